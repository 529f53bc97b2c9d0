"""BibTeX's verdict on blocks the readers could not take as they are, at the line of the error."""

from __future__ import annotations

from papertrack.facts import Diagnostic
from papertrack.parse.bibentry import KEPT_FIELDS, BibEntry
from papertrack.parse.bibpatterns import bib_lines, scanner_accepts
from papertrack.parse.bibsyntax import read_block
from papertrack.parse.bibvalues import clean_value, final_value


def syntax_error(
    rel: str, raw: str | None, line0: int, *, biber: bool = False
) -> Diagnostic | None:
    """BibTeX's (or biber's) first syntax error in an entry bibtexparser accepted, at its line."""
    if not raw or "@" not in raw:
        return None
    at = raw.index("@")
    if scanner_accepts(raw[at:]):
        return None
    blk = read_block(raw, at, biber=biber)
    if blk is None or blk.error is None:
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
    rel: str, b, line0: int, *, biber: bool = False
) -> tuple[BibEntry | None, Diagnostic | None]:
    """A block bibtexparser gave up on: BibTeX still defines its key with the fields read
    before the error; the finding points at the line of the error."""
    raw = b.raw or ""
    blk = read_block(raw, raw.index("@"), biber=biber) if "@" in raw else None
    if biber and blk is not None and blk.key and blk.error is None:
        # bibtexparser failed on a %-comment that biber reads as white space: a sound entry
        fields = blk.field_dict()
        line = line0 + bib_lines(raw, 0, raw.index("@")) + 1
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
            line0 + bib_lines(raw, 0, raw.index("@")) + 1,
            {k: clean_value(final_value(fields[k].raw, {})) for k in KEPT_FIELDS if k in fields},
            tuple(f.name for f in blk.fields),
        )
        line = line0 + bib_lines(raw, 0, pos) + 1
        text = f"entry '{blk.key}': {msg} (BibTeX still defines '{blk.key}')"
        return entry, Diagnostic("bib-parse-error", rel, line, 1, text, extra=blk.key)
    err = getattr(b, "error", None)
    reason = str(err or "") or getattr(err, "abort_reason", "")
    first = raw.strip().splitlines()[0][:60] if raw.strip() else ""
    msg = f"bib block could not be parsed: {first}"
    if reason:
        msg += f" ({str(reason).strip().splitlines()[0][:100]})"
    return None, Diagnostic("bib-parse-error", rel, line0 + 1, 1, msg)
