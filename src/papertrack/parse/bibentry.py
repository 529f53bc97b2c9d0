"""Bibliography entries and files as the readers make them, with a compact form for the cache."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from papertrack.facts import Diagnostic
from papertrack.parse.bibvalues import clean_value, final_value

# Fields kept per entry: what rules, reports and duplicate detection read.
KEPT_FIELDS = (
    "title",
    "author",
    "year",
    "doi",
    "url",
    "journal",
    "booktitle",
    "publisher",
    "eprint",
    "crossref",
)
SEP = "\x1f"  # joins an entry's kept raw values into one string (one object, not ten)
# For each bit mask over KEPT_FIELDS, the names it selects.
MASK_NAMES = tuple(
    tuple(k for i, k in enumerate(KEPT_FIELDS) if m >> i & 1) for m in range(1 << len(KEPT_FIELDS))
)
RAW = None  # `strings` of an entry whose values bibtexparser leaves untransformed


@contextmanager
def no_gc():
    """Pause the cycle collector while making ~100k acyclic objects: its passes over the
    growing heap cost more than the objects themselves (from_compact 170 -> 55 ms)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class BibEntry:
    """One bibliography entry. `fields` holds the KEPT_FIELDS it sets (whitespace-normalised)."""

    __slots__ = (
        "_blob",
        "_fields",
        "_mask",
        "_strings",
        "field_names",
        "file",
        "key",
        "line",
        "type",
    )

    def __init__(
        self,
        key: str,
        type: str,
        file: str,
        line: int,
        fields: dict[str, str] | None = None,
        field_names: tuple[str, ...] = (),
    ) -> None:
        self.key = key
        self.type = type
        self.file = file
        self.line = line
        self.field_names = field_names
        self._fields = {} if fields is None else fields
        self._mask = 0
        self._blob = None
        self._strings = RAW

    @property
    def fields(self) -> dict[str, str]:
        f = self._fields
        if f is None:
            f = self._fields = _expand(self._mask, self._blob, self._strings)
        return f

    @fields.setter
    def fields(self, value: dict[str, str]) -> None:
        self._fields = value

    def raw_text(self) -> str:
        """The kept values as written, joined: a cheap pre-filter before reading `fields`
        (expanding every entry of a 100k-entry bib costs seconds)."""
        if self._fields is not None:
            return " ".join(self._fields.values())
        blob = self._blob
        return blob if isinstance(blob, str) else " ".join(blob)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BibEntry):
            return NotImplemented
        return (self.key, self.type, self.file, self.line, self.fields, self.field_names) == (
            other.key,
            other.type,
            other.file,
            other.line,
            other.fields,
            other.field_names,
        )

    __hash__ = None  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (
            f"BibEntry(key={self.key!r}, type={self.type!r}, file={self.file!r}, "
            f"line={self.line!r}, fields={self.fields!r}, field_names={self.field_names!r})"
        )

    def __reduce__(self):
        return (
            BibEntry,
            (self.key, self.type, self.file, self.line, self.fields, self.field_names),
        )

    def _compact(self) -> tuple:
        """(mask, blob, raw?) for the cache; entries built by hand store their final values."""
        if self._fields is None:
            return self._mask, self._blob, self._strings is RAW
        mask, vals = 0, []
        for i, k in enumerate(KEPT_FIELDS):
            if k in self._fields:
                mask |= 1 << i
                vals.append(self._fields[k])
        return mask, tuple(vals), True


def new_entry(
    key: str, typ: str, file: str, line: int, names: tuple, mask: int, blob, strings
) -> BibEntry:
    e = BibEntry.__new__(BibEntry)
    e.key = key
    e.type = typ
    e.file = file
    e.line = line
    e.field_names = names
    e._mask = mask
    e._blob = blob
    e._strings = strings
    e._fields = None
    return e


def _expand(mask: int, blob, strings) -> dict[str, str]:
    names = MASK_NAMES[mask]
    if not names:
        return {}
    vals = blob.split(SEP) if isinstance(blob, str) else blob
    if strings is RAW:
        return {k: clean_value(v) for k, v in zip(names, vals, strict=False)}
    return {k: clean_value(final_value(v, strings)) for k, v in zip(names, vals, strict=False)}


@dataclass
class BibFile:
    """A parsed bibliography: its entries in file order and what could not be read."""

    rel: str
    entries: list[BibEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    encoding: str = "utf-8"
    strings: dict[str, str] = field(default_factory=dict)  # @string name (lower case) -> raw value

    # -- compact form for the cache: columns of plain values load ~20x faster than objects -------
    def to_compact(self) -> tuple:
        shapes: dict[tuple, int] = {}
        es = self.entries
        if all(e._fields is None for e in es):  # all as the scanner made them: plain columns
            masks = [e._mask for e in es]
            blobs = [e._blob for e in es]
            raw_ix = [i for i, e in enumerate(es) if e._strings is RAW]
        else:
            comp = [e._compact() for e in es]
            masks = [c[0] for c in comp]
            blobs = [c[1] for c in comp]
            raw_ix = [i for i, c in enumerate(comp) if c[2]]
        return (
            _COMPACT_VERSION,
            self.rel,
            self.encoding,
            [e.key for e in es],
            [e.type for e in es],
            [e.line for e in es],
            [shapes.setdefault(e.field_names, len(shapes)) for e in es],
            list(shapes),
            masks,
            blobs,
            raw_ix,
            self.strings,
            [(d.rule, d.file, d.line, d.col, d.message, d.extra) for d in self.diagnostics],
        )

    @classmethod
    def from_compact(cls, c: tuple) -> BibFile | None:
        if not c or c[0] != _COMPACT_VERSION:
            return None
        (
            _v,
            rel,
            encoding,
            keys,
            types,
            lines,
            shape_ix,
            shapes,
            masks,
            blobs,
            raw_ix,
            strings,
            diags,
        ) = c
        shapes = [tuple(s) for s in shapes]
        n = len(keys)
        with no_gc():
            entries = list(
                map(
                    new_entry,
                    keys,
                    types,
                    [rel] * n,
                    lines,
                    map(shapes.__getitem__, shape_ix),
                    masks,
                    blobs,
                    [strings] * n,
                )
            )
        for i in raw_ix:
            entries[i]._strings = RAW
        return cls(rel, entries, [Diagnostic(*d) for d in diags], encoding, strings)


_COMPACT_VERSION = "bib-2"
