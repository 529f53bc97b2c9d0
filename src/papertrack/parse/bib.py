"""Reading .bib files: a fast scanner for well-formed entries, bibtexparser 2 for everything else.

bibtexparser needs ~15 s and ~800 MB for a 100k-entry shared bibliography. Almost every block
of a real .bib is a plain `@type{key, name = value, ...}`. The scanner recognises those with
compiled regular expressions and yields exactly what bibtexparser's default parse yields
(splitter, @string resolution, enclosing removal): keys, types, line numbers, field values.
Any stretch it does not recognise (comments in odd places, @preamble, parenthesised or
malformed blocks, exotic escapes) goes to bibtexparser's own splitter, so its verdicts and
messages stay the reference. Duplicate keys, @string definitions and duplicate fields are
decided over the whole file in file order, as bibtexparser's Library does.
bench/bib_equiv.py checks the agreement on real and randomly damaged files.

Field values are kept raw and finished (strings resolved, braces removed, whitespace
normalised) on first access: rules only read the fields of cited entries.
"""

from __future__ import annotations

import gc
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

from papertrack.facts import Diagnostic
from papertrack.parse.bibsyntax import read_block
from papertrack.project.source import decode, looks_binary

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
_FIELD_NAME = re.compile(r"'([^']+)'")
_SEP = "\x1f"  # joins an entry's kept raw values into one string (one object, not ten)
# For each bit mask over KEPT_FIELDS, the names it selects.
_MASK_NAMES = tuple(
    tuple(k for i, k in enumerate(KEPT_FIELDS) if m >> i & 1) for m in range(1 << len(KEPT_FIELDS))
)
_RAW = None  # `strings` of an entry whose values bibtexparser leaves untransformed


@contextmanager
def _no_gc():
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
        self._strings = _RAW

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
            return self._mask, self._blob, self._strings is _RAW
        mask, vals = 0, []
        for i, k in enumerate(KEPT_FIELDS):
            if k in self._fields:
                mask |= 1 << i
                vals.append(self._fields[k])
        return mask, tuple(vals), True


def _new(
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
    names = _MASK_NAMES[mask]
    if not names:
        return {}
    vals = blob.split(_SEP) if isinstance(blob, str) else blob
    if strings is _RAW:
        return {k: _value(v) for k, v in zip(names, vals, strict=False)}
    return {k: _value(_final(v, strings)) for k, v in zip(names, vals, strict=False)}


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
            raw_ix = [i for i, e in enumerate(es) if e._strings is _RAW]
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
        with _no_gc():
            entries = list(
                map(
                    _new,
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
            entries[i]._strings = _RAW
        return cls(rel, entries, [Diagnostic(*d) for d in diags], encoding, strings)


_COMPACT_VERSION = "bib-2"


def _value(v: object) -> str:
    # str.split() and re's \s agree on what whitespace is (both use Py_UNICODE_ISSPACE)
    return " ".join(str(v).split()) if v is not None else ""


# -- bibtexparser's value semantics (middlewares/enclosing.py and interpolate.py), ported ---------
_BRACES = re.compile(r"(?<!\\)[{}]")
_BRACES_AND_QUOTE = re.compile(r"(?<!\\)[{}\"]")


def _enclosed_in_braces(value: str) -> bool:
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner:
        return not inner.endswith("\\")
    depth = 0
    last = len(value) - 1
    for m in _BRACES.finditer(value):
        if m.group() == "{":
            depth += 1
            continue
        depth -= 1
        if depth < 0 or (depth == 0 and m.start() != last):
            return False
    return depth == 0


def _enclosed_in_quotes(value: str) -> bool:
    last = len(value) - 1
    if value.find('"', 1, last) < 0:
        return True
    depth = 0
    for m in _BRACES_AND_QUOTE.finditer(value):
        i = m.start()
        if i == 0 or i == last:
            continue
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return False
    return True


def _final(raw: str, strings: dict[str, str]) -> str:
    """The value bibtexparser's default stack gives: resolve a bare @string name, then unwrap."""
    if strings and raw and not (raw[0] == raw[-1] == '"' or (raw[0] == "{" and raw[-1] == "}")):
        raw = strings.get(raw.lower(), raw)
    value = raw.strip()
    if len(value) >= 2:
        a, b = value[0], value[-1]
        if a == "{" and b == "}" and _enclosed_in_braces(value):
            return value[1:-1]
        if a == '"' and b == '"' and _enclosed_in_quotes(value):
            return value[1:-1]
    return value


# -- the fast scanner ------------------------------------------------------------------------------
def _value_pattern(escapes: bool, strict_quotes: bool = False) -> str:
    """A field value: braced, quoted or bare pieces joined by `#`.

    With `escapes`, a delimiter after a backslash is text, as in bibtexparser's splitter (it
    checks the one character before); without, the value must hold no backslash at all (the
    caller checks), and the plainer expression is faster. Inside quotes bibtexparser tracks no
    braces: the first unescaped `"` ends the value (`{"}` is left to bibtexparser: the caller
    checks). `strict_quotes` (for @string) forbids braces inside quotes: there the block end is
    found by brace counting alone.
    """
    if escapes:
        o, c = r"\{(?<!\\\{)", r"\}(?<!\\\})"
        q = r'"[^"\\]*(?:\\+(?:"|[^"\\])[^"\\]*)*"'
    else:
        o, c = r"\{", r"\}"
        q = r'"[^"]*"'
    if strict_quotes:
        q = r'"[^"{}\\]*"'
    br = o + r"[^{}]*" + c
    for _ in range(4):  # nesting depth 5; deeper values go to bibtexparser
        br = o + r"[^{}]*(?:" + br + r"[^{}]*)*" + c
    piece = rf"(?:{br}|{q}|[\w\-.:+/']+)"
    return rf"{piece}(?:\s*\#\s*{piece})*"


_NAME = r"[A-Za-z_][\w\-:.+]*"
_KEY = r"""[^\s,{}()"=#%@\\]+"""
# Where bibtexparser starts a block: an `@name{` or `@name(` anywhere outside a block; and at the
# start of a line (after any whitespace) it ends whatever block is open. Each such line is a
# candidate; `type`/`key` are set when it opens a plain `{`-entry.
_HEAD = (
    rf"(?:[ \t]*@(?P<type>[A-Za-z]\w*)[ \t]*\{{[ \t\r\n]*(?P<key>{_KEY})[ \t\r\n]*(?=[,}}])"
    r"|[^\S\n]*@\w*[ \t]*[{(])"
)


class _Patterns:
    """The scanner's expressions, compiled on first use: compiling them costs ~15 ms, and a
    warm check (bibliographies from the cache) never needs them."""

    def __init__(self) -> None:
        # One field with the comma before it. Splitting a body on it leaves [gap, name, value,
        # gap, ...]: the body is well formed when every gap is empty.
        self.fields_plain = re.compile(rf",\s*({_NAME})\s*=\s*({_value_pattern(False)})\s*")
        self.fields_esc = re.compile(rf",\s*({_NAME})\s*=\s*({_value_pattern(True)})\s*")
        # the lookahead lets the search skip the ~10 lines of each entry that start no block
        self.candidate = re.compile(r"\n(?=[^\S\n]*@)" + _HEAD)
        self.first = re.compile(_HEAD)
        self.string = re.compile(
            r"[ \t]*@[Ss][Tt][Rr][Ii][Nn][Gg][ \t]*\{\s*"
            rf"({_NAME})\s*=\s*({_value_pattern(True, True)})\s*\}}"
        )


_PATTERNS: _Patterns | None = None


def _patterns() -> _Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _Patterns()
    return _PATTERNS


_BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
_SPECIAL_TYPES = ("comment", "preamble", "string")  # bibtexparser matches these as prefixes


def _lines(text: str, a: int, b: int) -> int:
    """Line breaks bibtexparser counts in text[a:b] (it ignores a newline after a backslash)."""
    n = text.count("\n", a, b)
    return n - text.count("\\\n", a, b) if n else 0


class _Reader:
    """State of one file's reading: entries, diagnostics, strings and keys seen so far."""

    def __init__(self, rel: str, out: BibFile) -> None:
        self.rel = rel
        self.out = out
        self.seen: set[str] = set()
        self.string_keys: set[str] = set()
        self.string_order: list[tuple[str, str]] = []
        self.late: list[BibEntry] = []  # entries with a duplicated field, appended at the end
        self.shapes: dict[tuple, tuple] = {}

    def string(self, name: str, raw: str) -> None:
        if name not in self.string_keys:  # the first definition of an exact name wins ...
            self.string_keys.add(name)
            self.string_order.append((name, raw))
            self.out.strings[name.lower()] = raw  # ... and later case variants win the lookup

    def shape(self, names: tuple[str, ...]) -> tuple:
        """(names, mask of kept fields, getter of their values, how many): shared per field list."""
        shape = self.shapes.get(names)
        if shape is None:
            kn = tuple(k for k in KEPT_FIELDS if k in names)
            mask = sum(1 << i for i, k in enumerate(KEPT_FIELDS) if k in names)
            shape = self.shapes[names] = (names, mask, itemgetter(*kn) if kn else None, len(kn))
        return shape

    def parts_shape(self, names: tuple[str, ...]) -> tuple | bool:
        """For field names as split from a body: (names, mask, getter of the kept values in the
        split list, how many), or False when a name repeats (the slow path decides)."""
        if len(set(names)) != len(names):
            return False
        kept = [k for k in KEPT_FIELDS if k in names]
        mask = sum(1 << i for i, k in enumerate(KEPT_FIELDS) if k in names)
        get = itemgetter(*(3 * names.index(k) + 2 for k in kept)) if kept else None
        return (names, mask, get, len(kept))

    def entry(
        self, line: int, key: str, typ: str, d: dict[str, str], dups: list[str] | None
    ) -> None:
        names, mask, get, n = self.shape(tuple(d))
        if n == 0:
            blob = ""
        elif n == 1:
            blob = get(d)
            if _SEP in blob:
                blob = (blob,)
        else:
            vals = get(d)
            blob = _SEP.join(vals)
            if blob.count(_SEP) != n - 1:
                blob = vals
        rel = self.rel
        if dups is not None:
            # bibtexparser keeps such an entry aside, unregistered and untransformed
            self.out.diagnostics.append(
                Diagnostic(
                    "duplicate-bib-field",
                    rel,
                    line + 1,
                    1,
                    f"entry '{key}' sets {', '.join(dups)} twice",
                    extra=key,
                )
            )
            self.late.append(_new(key, typ, rel, line + 1, names, mask, blob, _RAW))
            return
        if key in self.seen:
            self.out.diagnostics.append(
                Diagnostic(
                    "duplicate-bib-key",
                    rel,
                    line + 1,
                    1,
                    f"duplicate bib key '{key}' (BibTeX uses the first)",
                    extra=key,
                )
            )
            return
        self.seen.add(key)
        self.out.entries.append(_new(key, typ, rel, line + 1, names, mask, blob, self.out.strings))


def _scan(
    text: str, r: _Reader, lo: int = 0, hi: int | None = None, line0: int = 0, tail_head: str = ""
) -> None:
    """Read text[lo:hi]; lo is 0 or a line where bibtexparser starts a block, `line0` its line,
    `tail_head` the head of the block starting at hi (see _fallback)."""
    # One pass over 45 MB: the common path is inlined (no calls per field, one split per entry).
    pats = _patterns()
    plain, esc = pats.fields_plain.split, pats.fields_esc.split
    n = len(text) if hi is None else hi
    cands = [
        (m.start() + 1, m.group(1), m.group(2), m.end())
        for m in pats.candidate.finditer(text, lo, n)
    ]
    m0 = pats.first.match(text, lo, n)
    if m0:
        cands.insert(0, (lo, m0.group(1), m0.group(2), m0.end()))
    cands.append((n, None, None, n))
    backslash_newlines = "\\\n" in text  # bibtexparser does not count those as line breaks
    count = text.count
    out, rel, strings, seen = r.out, r.rel, r.out.strings, r.seen
    pshapes: dict[tuple, tuple | bool] = {}
    entries, new = out.entries, BibEntry.__new__
    prev_end = lo  # end of the last block read; what lies between is left to the fallback
    prev_pos = lo  # where `line` (0-based, counted as bibtexparser counts) was taken
    line = line0
    for i in range(len(cands) - 1):
        start, typ, key, head_end = cands[i]
        nxt = cands[i + 1][0]
        if typ is None:
            m = pats.string.match(text, start, nxt)
            if m is None:
                continue
            end = m.end()
        else:
            ltyp = typ.lower()
            if ltyp.startswith(_SPECIAL_TYPES):
                continue
            if text[head_end] == "}":
                parts, end = None, head_end + 1
            else:
                close = text.rfind("}", head_end, nxt)
                if close < head_end:
                    continue
                body = text[head_end:close].rstrip()  # from the comma after the key
                if body == ",":
                    parts = None
                else:
                    if body[-1] == ",":
                        body = body[:-1]
                    if '{"}' in body:
                        continue
                    parts = esc(body) if "\\" in body else plain(body)
                    if any(parts[::3]):
                        continue  # text the field grammar does not cover
                end = close + 1
        if start > prev_end and _BLOCK_START.search(text, prev_end, start):
            head = text[start : text.index("{", start) + 1]
            _fallback(text[prev_end:start], line + _lines(text, prev_pos, prev_end), r, head)
        line += count("\n", prev_pos, start)
        if backslash_newlines:
            line -= count("\\\n", prev_pos, start)
        prev_pos, prev_end = start, end
        if typ is None:
            r.string(m.group(1), m.group(2))
            continue
        if parts is None:
            r.entry(line, key, ltyp, {}, None)
            continue
        names = tuple(parts[1::3])
        ps = pshapes.get(names)
        if ps is None:
            ps = pshapes[names] = r.parts_shape(names)
        if ps is False or key in seen:  # a field given twice, or a key seen before
            d = dict(zip(names, parts[2::3], strict=True))
            dups = None
            if len(d) != len(names):
                dups = sorted({k for j, k in enumerate(names) if k in names[:j]})
            r.entry(line, key, ltyp, d, dups)
            continue
        # the common case, inlined: a new key, each field once; values straight from `parts`
        names, mask, get, k = ps
        if k > 1:
            vals = get(parts)
            blob = _SEP.join(vals)
            if blob.count(_SEP) != k - 1:
                blob = vals
        elif k == 1:
            blob = get(parts)
            if _SEP in blob:
                blob = (blob,)
        else:
            blob = ""
        seen.add(key)
        e = new(BibEntry)
        e.key, e.type, e.file, e.line, e.field_names = key, ltyp, rel, line + 1, names
        e._mask, e._blob, e._strings, e._fields = mask, blob, strings, None
        entries.append(e)
    if prev_end < n and _BLOCK_START.search(text, prev_end, n):
        _fallback(text[prev_end:n], line + _lines(text, prev_pos, prev_end), r, tail_head)


def _fallback(segment: str, line0: int, r: _Reader, head: str = "") -> None:
    """Let bibtexparser's splitter read a stretch the scanner did not recognise.

    `head` is the start of the block that follows (`@type{`): with it, a block left open in
    the stretch fails the way it fails in the whole file ("Unexpected block start"); the
    incomplete block it makes itself is dropped.
    """
    from bibtexparser import model as bm
    from bibtexparser.splitter import Splitter

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    lib = Splitter(segment + head).split()
    head_line = _lines(segment, 0, len(segment)) if head else None
    for b in lib.blocks:
        if head_line is not None and (b.start_line or 0) >= head_line:
            continue
        if isinstance(b, bm.DuplicateBlockKeyBlock):
            b = b.ignore_error_block  # duplicates are decided over the whole file
        line = line0 + (b.start_line or 0)
        if isinstance(b, (bm.Entry, bm.DuplicateFieldKeyBlock)):
            d = _syntax_error(r.rel, b.raw, line)
            if d is not None:
                r.out.diagnostics.append(d)
        if isinstance(b, bm.DuplicateFieldKeyBlock):
            e = b.ignore_error_block
            r.entry(
                line,
                e.key,
                e.entry_type.lower(),
                {k: f.value for k, f in e.fields_dict.items()},
                sorted(b.duplicate_keys),
            )
        elif isinstance(b, bm.Entry):
            r.entry(
                line,
                b.key,
                b.entry_type.lower(),
                {k: f.value for k, f in b.fields_dict.items()},
                None,
            )
        elif isinstance(b, bm.String):
            r.string(b.key, b.value)
        elif isinstance(b, bm.ParsingFailedBlock):
            entry, d = _failed_block(r.rel, b, line)
            r.out.diagnostics.append(d)
            if entry is not None:
                r.late.append(entry)


# Two cores: a forked helper reads the second half of a big bib while this process reads the
# first (a 100k-entry, 46 MB file: ~1 s of scanning). The halves meet at a line where
# bibtexparser starts a block whatever precedes it, so each half reads as it would in the whole.
PARALLEL_MIN_CHARS = 8_000_000


def _scan_in_parallel(text: str, r: _Reader) -> None:
    import os
    import pickle
    import sys
    import threading

    pats = _patterns()
    m = pats.candidate.search(text, len(text) // 2)
    while m is not None and m.group("type") is None:  # meet at a plain entry's `@type{`
        m = pats.candidate.search(text, m.end())
    if (
        m is None
        or sys.platform != "linux"
        or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1
        or os.environ.get("PAPERTRACK_JOBS") == "1"
    ):
        _scan(text, r)
        return
    mid = m.start() + 1
    head = text[mid : text.index("{", mid) + 1]
    rfd, wfd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        _scan(text, r)
        return
    if pid == 0:  # the helper: read the second half, send its result, run no exit handlers
        code = 1
        try:
            os.close(rfd)
            hr = _Reader(r.rel, BibFile(r.rel))
            _scan(text, hr, mid, None, _lines(text, 0, mid))
            late = BibFile(r.rel, hr.late)
            payload = (hr.out.to_compact(), late.to_compact(), hr.string_order)
            with os.fdopen(wfd, "wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    try:
        _scan(text, r, 0, mid, 0, head)
        with os.fdopen(rfd, "rb") as fh:
            data = fh.read()
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not _merge(r, data):
        _scan(text, r, mid, None, _lines(text, 0, mid))  # read it here instead: same result


def _merge(r: _Reader, data: bytes) -> bool:
    """Append the helper's half as the serial reading would have; False when it cannot."""
    import pickle

    try:
        main, late, string_order = pickle.loads(data)
    except Exception:
        return False
    half = BibFile.from_compact(main)
    rest = BibFile.from_compact(late)
    if half is None or rest is None:
        return False
    keys = [e.key for e in half.entries]
    if not r.seen.isdisjoint(keys):
        return False  # a key of the first half again: the serial reading reports it there
    out = r.out
    for name, raw in string_order:
        r.string(name, raw)
    for e in half.entries:
        if e._strings is not _RAW:
            e._strings = out.strings
    r.seen.update(keys)
    out.entries.extend(half.entries)
    r.late.extend(rest.entries)
    out.diagnostics.extend(half.diagnostics)
    return True


def _open(rel: str, data: bytes) -> tuple[BibFile, str | None]:
    """A BibFile for the bytes and their text; no text for a binary file (which is reported)."""
    out = BibFile(rel)
    if looks_binary(data):
        out.diagnostics.append(
            Diagnostic("bib-parse-error", rel, 1, 1, f"{rel} is a binary file, not a bibliography")
        )
        return out, None
    text, out.encoding = decode(data)
    if out.encoding != "utf-8":
        out.diagnostics.append(
            Diagnostic("not-utf8", rel, 1, 1, f"{rel} is not valid UTF-8; read as Latin-1")
        )
    return out, text


def parse_bib(rel: str, data: bytes) -> BibFile:
    """Parse one .bib file's bytes; never raises on bad input."""
    out, text = _open(rel, data)
    if text is None:
        return out
    r = _Reader(rel, out)
    try:
        with _no_gc():
            if len(text) >= PARALLEL_MIN_CHARS:
                _scan_in_parallel(text, r)
            else:
                _scan(text, r)
    except Exception as exc:  # defensive: a parser bug must not take the whole check down
        out.entries.clear()
        r.late.clear()
        out.diagnostics.append(
            Diagnostic(
                "bib-parse-error", rel, 1, 1, f"{rel} could not be parsed: {type(exc).__name__}"
            )
        )
    out.entries.extend(r.late)
    _order(out)
    return out


def parse_bib_reference(rel: str, data: bytes) -> BibFile:
    """The plain bibtexparser reading; the fast scanner must agree with it (tests compare both)."""
    import bibtexparser
    from bibtexparser import model as bm

    out, text = _open(rel, data)
    if text is None:
        return out
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    lib = bibtexparser.parse_string(text)
    for e in lib.entries:
        out.entries.append(_ref_entry(rel, e))
        d = _syntax_error(rel, e.raw, e.start_line or 0)
        if d is not None:
            out.diagnostics.append(d)
    for b in lib.failed_blocks:
        line = (b.start_line or 0) + 1
        inner = getattr(b, "ignore_error_block", None)
        if isinstance(inner, bm.Entry):
            d = _syntax_error(rel, inner.raw, line - 1)
            if d is not None:
                out.diagnostics.append(d)
        if isinstance(b, bm.DuplicateBlockKeyBlock):
            if isinstance(getattr(b, "ignore_error_block", None), bm.String):
                continue  # BibTeX lets a later @string redefine an earlier one
            out.diagnostics.append(
                Diagnostic(
                    "duplicate-bib-key",
                    rel,
                    line,
                    1,
                    f"duplicate bib key '{b.key}' (BibTeX uses the first)",
                    extra=b.key,
                )
            )
        elif isinstance(b, bm.DuplicateFieldKeyBlock):
            fields = ", ".join(_FIELD_NAME.findall(str(b.error))) or "a field"
            entry = getattr(b, "ignore_error_block", None)
            key = getattr(entry, "key", "?")
            out.diagnostics.append(
                Diagnostic(
                    "duplicate-bib-field",
                    rel,
                    line,
                    1,
                    f"entry '{key}' sets {fields} twice",
                    extra=key,
                )
            )
            if entry is not None:
                out.entries.append(_ref_entry(rel, entry))
        else:
            entry, d = _failed_block(rel, b, line - 1)
            out.diagnostics.append(d)
            if entry is not None:
                out.entries.append(entry)
    _order(out)
    return out


def _order(out: BibFile) -> None:
    """Diagnostics in file order (the two readers find them in different orders)."""
    out.diagnostics.sort(key=lambda d: (d.file, d.line, d.rule, d.message))


def _scanner_accepts(raw: str) -> bool:
    """Whether the fast scanner reads this block itself (then it is well formed for BibTeX
    too, and neither reader checks it again: that keeps the two readers equal)."""
    pats = _patterns()
    m = pats.first.match(raw)
    if not m or m.group("type") is None:
        return False
    head_end = m.end()
    if raw[head_end] == "}":
        return True
    close = raw.rfind("}", head_end)
    if close < head_end:
        return False
    body = raw[head_end:close].rstrip()
    if body == ",":
        return True
    if body[-1] == ",":
        body = body[:-1]
    if '{"}' in body:
        return False
    parts = (pats.fields_esc if "\\" in body else pats.fields_plain).split(body)
    return not any(parts[::3])


def _syntax_error(rel: str, raw: str | None, line0: int) -> Diagnostic | None:
    """BibTeX's first syntax error in an entry bibtexparser accepted, at its own line."""
    if not raw or "@" not in raw:
        return None
    at = raw.index("@")
    if _scanner_accepts(raw[at:]):
        return None
    blk = read_block(raw, at)
    if blk is None or blk.error is None:
        return None
    pos, msg = blk.error
    return Diagnostic(
        "bib-parse-error", rel, line0 + _lines(raw, 0, pos) + 1, 1, f"entry '{blk.key}': {msg}"
    )


def _failed_block(rel: str, b, line0: int) -> tuple[BibEntry | None, Diagnostic]:
    """A block bibtexparser gave up on: BibTeX still defines its key with the fields read
    before the error; the finding points at the line of the error."""
    raw = b.raw or ""
    blk = read_block(raw, raw.index("@")) if "@" in raw else None
    if blk is not None and blk.key and blk.error is not None:
        pos, msg = blk.error
        fields = blk.field_dict()
        entry = BibEntry(
            blk.key,
            blk.type,
            rel,
            line0 + _lines(raw, 0, raw.index("@")) + 1,
            {k: _value(_final(fields[k].raw, {})) for k in KEPT_FIELDS if k in fields},
            tuple(f.name for f in blk.fields),
        )
        line = line0 + _lines(raw, 0, pos) + 1
        text = f"entry '{blk.key}': {msg} (BibTeX still defines '{blk.key}')"
        return entry, Diagnostic("bib-parse-error", rel, line, 1, text, extra=blk.key)
    err = getattr(b, "error", None)
    reason = str(err or "") or getattr(err, "abort_reason", "")
    first = raw.strip().splitlines()[0][:60] if raw.strip() else ""
    msg = f"bib block could not be parsed: {first}"
    if reason:
        msg += f" ({str(reason).strip().splitlines()[0][:100]})"
    return None, Diagnostic("bib-parse-error", rel, line0 + 1, 1, msg)


def _ref_entry(rel: str, e) -> BibEntry:
    fd = e.fields_dict
    kept = {k: _value(fd[k].value) for k in KEPT_FIELDS if k in fd}
    return BibEntry(
        e.key, e.entry_type.lower(), rel, (e.start_line or 0) + 1, kept, tuple(fd.keys())
    )
