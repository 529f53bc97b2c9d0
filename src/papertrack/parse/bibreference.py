"""The plain bibtexparser reading of a .bib: the reference the fast scanner must agree with."""

from __future__ import annotations

import logging
import re

from papertrack.facts import Diagnostic
from papertrack.parse.bib import blank_comment_lines, open_bib, order_diagnostics
from papertrack.parse.bibdiag import failed_block, syntax_error
from papertrack.parse.bibentry import KEPT_FIELDS, BibEntry, BibFile
from papertrack.parse.bibvalues import clean_value

_FIELD_NAME = re.compile(r"'([^']+)'")


def parse_bib_reference(rel: str, data: bytes, *, biber: bool = False) -> BibFile:
    """The plain bibtexparser reading; the fast scanner must agree with it (tests compare both)."""
    import bibtexparser
    from bibtexparser import model as bm

    out, text = open_bib(rel, data)
    if text is None:
        return out
    if biber:
        text = blank_comment_lines(text)
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    lib = bibtexparser.parse_string(text)
    for e in lib.entries:
        out.entries.append(_ref_entry(rel, e))
        d = syntax_error(rel, e.raw, e.start_line or 0, biber=biber, whole=text)
        if d is not None:
            out.diagnostics.append(d)
    for b in lib.failed_blocks:
        line = (b.start_line or 0) + 1
        inner = getattr(b, "ignore_error_block", None)
        if isinstance(inner, bm.Entry):
            d = syntax_error(rel, inner.raw, line - 1, biber=biber)
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
                    f"duplicate bib key '{b.key}'",
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
            entry, d = failed_block(rel, b, line - 1, biber=biber, whole=text)
            if d is not None:
                out.diagnostics.append(d)
            if entry is not None:
                out.entries.append(entry)
    order_diagnostics(out)
    return out


def _ref_entry(rel: str, e) -> BibEntry:
    fd = e.fields_dict
    kept = {k: clean_value(fd[k].value) for k in KEPT_FIELDS if k in fd}
    return BibEntry(
        e.key, e.entry_type.lower(), rel, (e.start_line or 0) + 1, kept, tuple(fd.keys())
    )
