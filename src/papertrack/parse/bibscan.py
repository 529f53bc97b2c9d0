"""The fast .bib scanner: plain entries by regular expression, other stretches to bibtexparser."""

from __future__ import annotations

import logging
from operator import itemgetter

from papertrack.facts import Diagnostic
from papertrack.parse.bibdiag import failed_block, syntax_error
from papertrack.parse.bibentry import KEPT_FIELDS, RAW, SEP, BibEntry, BibFile, new_entry
from papertrack.parse.bibpatterns import BLOCK_START, SPECIAL_TYPES, bib_lines, patterns


class BibReader:
    """State of one file's reading: entries, diagnostics, strings and keys seen so far."""

    def __init__(self, rel: str, out: BibFile, *, biber: bool = False) -> None:
        self.rel = rel
        self.out = out
        self.biber = biber  # the paper's biblatex runs biber, which reads %-comments in entries
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
            if SEP in blob:
                blob = (blob,)
        else:
            vals = get(d)
            blob = SEP.join(vals)
            if blob.count(SEP) != n - 1:
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
            self.late.append(new_entry(key, typ, rel, line + 1, names, mask, blob, RAW))
            return
        if key in self.seen:
            self.out.diagnostics.append(
                Diagnostic(
                    "duplicate-bib-key",
                    rel,
                    line + 1,
                    1,
                    f"duplicate bib key '{key}'",
                    extra=key,
                )
            )
            return
        self.seen.add(key)
        self.out.entries.append(
            new_entry(key, typ, rel, line + 1, names, mask, blob, self.out.strings)
        )


def scan(
    text: str, r: BibReader, lo: int = 0, hi: int | None = None, line0: int = 0, tail_head: str = ""
) -> None:
    """Read text[lo:hi]; lo is 0 or a line where bibtexparser starts a block, `line0` its line,
    `tail_head` the head of the block starting at hi (see _fallback)."""
    # One pass over 45 MB: the common path is inlined (no calls per field, one split per entry).
    pats = patterns()
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
            if ltyp.startswith(SPECIAL_TYPES):
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
        if start > prev_end and BLOCK_START.search(text, prev_end, start):
            head = text[start : text.index("{", start) + 1]
            _fallback(text[prev_end:start], line + bib_lines(text, prev_pos, prev_end), r, head)
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
            blob = SEP.join(vals)
            if blob.count(SEP) != k - 1:
                blob = vals
        elif k == 1:
            blob = get(parts)
            if SEP in blob:
                blob = (blob,)
        else:
            blob = ""
        seen.add(key)
        e = new(BibEntry)
        e.key, e.type, e.file, e.line, e.field_names = key, ltyp, rel, line + 1, names
        e._mask, e._blob, e._strings, e._fields = mask, blob, strings, None
        entries.append(e)
    if prev_end < n and BLOCK_START.search(text, prev_end, n):
        _fallback(text[prev_end:n], line + bib_lines(text, prev_pos, prev_end), r, tail_head)


def _fallback(segment: str, line0: int, r: BibReader, head: str = "") -> None:
    """Let bibtexparser's splitter read a stretch the scanner did not recognise.

    `head` is the start of the block that follows (`@type{`): with it, a block left open in
    the stretch fails the way it fails in the whole file ("Unexpected block start"); the
    incomplete block it makes itself is dropped.
    """
    from bibtexparser import model as bm
    from bibtexparser.splitter import Splitter

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    lib = Splitter(segment + head).split()
    head_line = bib_lines(segment, 0, len(segment)) if head else None
    for b in lib.blocks:
        if head_line is not None and (b.start_line or 0) >= head_line:
            continue
        if isinstance(b, bm.DuplicateBlockKeyBlock):
            b = b.ignore_error_block  # duplicates are decided over the whole file
        line = line0 + (b.start_line or 0)
        if isinstance(b, (bm.Entry, bm.DuplicateFieldKeyBlock)):
            d = syntax_error(r.rel, b.raw, line, biber=r.biber, whole=segment)
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
            entry, d = failed_block(r.rel, b, line, biber=r.biber, whole=segment)
            if d is not None:
                r.out.diagnostics.append(d)
            if entry is not None:
                r.late.append(entry)
