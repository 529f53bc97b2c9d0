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

import re

from papertrack.facts import Diagnostic
from papertrack.parse.bibentry import BibFile, no_gc
from papertrack.parse.bibparallel import scan_in_parallel
from papertrack.parse.bibscan import BibReader, scan
from papertrack.project.source import decode, looks_binary

# Two cores: a forked helper reads the second half of a big bib while this process reads the
# first (a 100k-entry, 46 MB file: ~1 s of scanning). The halves meet at a line where
# bibtexparser starts a block whatever precedes it, so each half reads as it would in the whole.
PARALLEL_MIN_CHARS = 8_000_000


def open_bib(rel: str, data: bytes) -> tuple[BibFile, str | None]:
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


_COMMENT_LINE = re.compile(r"^[ \t]*%[^\n]*", re.M)


def blank_comment_lines(text: str) -> str:
    """The text with every line that starts with `%` blanked (same length and line breaks).

    Biber reads such a line as a comment wherever it stands: between entries, where BibTeX
    would still see a commented-out `%@misc{key,` as an entry, and inside one, where BibTeX
    expects a field name. (A `%` inside a field value is no comment for biber either: it
    fails on it, so blanking changes only what biber rejects anyway.)"""
    return _COMMENT_LINE.sub(lambda m: " " * len(m.group()), text)


def parse_bib(rel: str, data: bytes, *, biber: bool = False) -> BibFile:
    """Parse one .bib file's bytes; never raises on bad input. `biber`: the file is read by
    biber, not BibTeX (a %-comment inside an entry is then no error)."""
    out, text = open_bib(rel, data)
    if text is None:
        return out
    if biber:
        text = blank_comment_lines(text)
    r = BibReader(rel, out, biber=biber)
    try:
        with no_gc():
            if len(text) >= PARALLEL_MIN_CHARS:
                scan_in_parallel(text, r)
            else:
                scan(text, r)
    except Exception as exc:  # defensive: a parser bug must not take the whole check down
        out.entries.clear()
        r.late.clear()
        out.diagnostics.append(
            Diagnostic(
                "bib-parse-error", rel, 1, 1, f"{rel} could not be parsed: {type(exc).__name__}"
            )
        )
    out.entries.extend(r.late)
    order_diagnostics(out)
    return out


def order_diagnostics(out: BibFile) -> None:
    """Diagnostics in file order (the two readers find them in different orders)."""
    out.diagnostics.sort(key=lambda d: (d.file, d.line, d.rule, d.message))
