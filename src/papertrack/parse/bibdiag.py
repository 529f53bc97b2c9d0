"""BibTeX's verdict on blocks the readers could not take as they are, at the line of the error."""

from __future__ import annotations

from papertrack.facts import Diagnostic
from papertrack.parse.bibentry import KEPT_FIELDS, BibEntry
from papertrack.parse.bibpatterns import bib_lines, scanner_accepts
from papertrack.parse.bibsyntax import read_block
from papertrack.parse.bibvalues import clean_value, final_value


def _window(whole: str | None, raw: str) -> tuple[str | None, int]:
    """The file's text up to the next line that starts an entry, and where `raw` (a block
    bibtexparser split off) starts in it: where BibTeX may read an entry further than
    bibtexparser did. Both .bib readers see the same window (the scanner's stretch of text it
    hands to bibtexparser ends where a line starts an entry)."""
    if whole is None:
        return None, -1
    start = whole.find(raw)
    if start < 0:
        return None, -1
    end = whole.find("\n@", start + 1)
    return whole[: len(whole) if end < 0 else end + 1], start


def syntax_error(
    rel: str, raw: str | None, line0: int, *, biber: bool = False, whole: str | None = None
) -> Diagnostic | None:
    """BibTeX's (or biber's) first syntax error in an entry bibtexparser accepted, at its line.
    `whole` is the text the block was split from: bibtexparser ends a block where `\\{` and
    `\\}` leave it balanced, BibTeX where every brace does, possibly further on."""
    if not raw or "@" not in raw:
        return None
    at = raw.index("@")
    if scanner_accepts(raw[at:]):
        return None
    blk = read_block(raw, at, biber=biber)
    if blk is None or blk.error is None:
        return None
    window, start = _window(whole, raw)
    if window is not None:
        # read from the file, counting every brace, BibTeX may find the entry sound
        whole_blk = read_block(window, start + at, biber=biber)
        if whole_blk is not None and whole_blk.error is None and whole_blk.every_brace:
            return None
    pos, msg = blk.error
    if blk.key:
        text = f"entry '{blk.key}': {msg}"
    else:  # no key to name it by
        text = f"an @{blk.type} entry " + (
            "has no key" if msg == "the entry has no key" else f"without a key: {msg}"
        )
    return Diagnostic("bib-parse-error", rel, line0 + bib_lines(raw, 0, pos) + 1, 1, text)


def failed_block(
    rel: str, b, line0: int, *, biber: bool = False, whole: str | None = None
) -> tuple[BibEntry | None, Diagnostic | None]:
    """A block bibtexparser gave up on: BibTeX still defines its key with the fields read
    before the error; the finding points at the line of the error. `whole`: the text the
    block was split from, where BibTeX may read the entry further (see syntax_error)."""
    raw = b.raw or ""
    blk = read_block(raw, raw.index("@"), biber=biber) if "@" in raw else None
    window, start = _window(whole, raw) if blk is not None and blk.error else (None, -1)
    if window is not None:
        whole_blk = read_block(window, start + raw.index("@"), biber=biber)
        if whole_blk is not None and whole_blk.error is None and whole_blk.every_brace:
            line0 -= bib_lines(window, 0, start)
            blk, raw = whole_blk, window
    if blk is not None and blk.key and blk.error is None and (biber or blk.every_brace):
        # bibtexparser failed on a %-comment that biber reads as white space, or on braces
        # BibTeX balances otherwise (`{C:\\data\\}`): a sound entry
        fields = blk.field_dict()
        line = line0 + bib_lines(raw, 0, blk.start) + 1
        vals = {k: clean_value(final_value(fields[k].raw, {})) for k in KEPT_FIELDS if k in fields}
        names = tuple(f.name for f in blk.fields)
        return BibEntry(blk.key, blk.type, rel, line, vals, names), None
    if blk is not None and blk.key and blk.error is not None:
        pos, msg = blk.error
        fields = blk.field_dict()
        entry = BibEntry(
            blk.key,
            blk.type,
            rel,
            line0 + bib_lines(raw, 0, blk.start) + 1,
            {k: clean_value(final_value(fields[k].raw, {})) for k in KEPT_FIELDS if k in fields},
            tuple(f.name for f in blk.fields),
        )
        line = line0 + bib_lines(raw, 0, pos) + 1
        text = f"entry '{blk.key}': {msg} (BibTeX still defines '{blk.key}')"
        return entry, Diagnostic("bib-parse-error", rel, line, 1, text, extra=blk.key)
    err = getattr(b, "error", None)
    reason = str(err or "") or getattr(err, "abort_reason", "")
    own = b.raw or ""
    first = own.strip().splitlines()[0][:60] if own.strip() else ""
    msg = f"bib block could not be parsed: {first}"
    if reason:
        msg += f" ({str(reason).strip().splitlines()[0][:100]})"
    return None, Diagnostic("bib-parse-error", rel, line0 + 1, 1, msg)
