"""Reading .bib files with bibtexparser 2 into compact entries and problems with line numbers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from papertrack.model.diagnostics import Diagnostic
from papertrack.project.source import decode, looks_binary

# Fields kept per entry: what rules, reports and duplicate detection read.
KEPT_FIELDS = ("title", "author", "year", "doi", "url", "journal", "booktitle", "publisher", "eprint", "crossref")
_FIELD_NAME = re.compile(r"'([^']+)'")


@dataclass
class BibEntry:
    key: str
    type: str
    file: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_names: tuple[str, ...] = ()


@dataclass
class BibFile:
    """A parsed bibliography: its entries in file order and what could not be read."""

    rel: str
    entries: list[BibEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    encoding: str = "utf-8"


def _value(v: object) -> str:
    s = str(v) if v is not None else ""
    return re.sub(r"\s+", " ", s).strip()


def parse_bib(rel: str, data: bytes) -> BibFile:
    """Parse one .bib file's bytes; never raises on bad input."""
    out = BibFile(rel)
    if looks_binary(data):
        out.diagnostics.append(Diagnostic("bib-parse-error", rel, 1, 1, f"{rel} is a binary file, not a bibliography"))
        return out
    text, out.encoding = decode(data)
    if out.encoding != "utf-8":
        out.diagnostics.append(Diagnostic("not-utf8", rel, 1, 1, f"{rel} is not valid UTF-8; read as Latin-1"))
    import bibtexparser

    # bibtexparser logs every failed block itself; papertrack reports them as findings instead
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    try:
        lib = bibtexparser.parse_string(text)
    except Exception as exc:  # defensive: a parser bug must not take the whole check down
        out.diagnostics.append(Diagnostic("bib-parse-error", rel, 1, 1, f"{rel} could not be parsed: {type(exc).__name__}"))
        return out
    for e in lib.entries:
        out.entries.append(_entry(rel, e))
    from bibtexparser import model as bm

    for b in lib.failed_blocks:
        line = (b.start_line or 0) + 1
        if isinstance(b, bm.DuplicateBlockKeyBlock):
            if isinstance(getattr(b, "ignore_error_block", None), bm.String):
                continue  # BibTeX lets a later @string redefine an earlier one
            out.diagnostics.append(
                Diagnostic("duplicate-bib-key", rel, line, 1, f"duplicate bib key '{b.key}' (BibTeX uses the first)", extra=b.key)
            )
        elif isinstance(b, bm.DuplicateFieldKeyBlock):
            fields = ", ".join(_FIELD_NAME.findall(str(b.error))) or "a field"
            entry = getattr(b, "ignore_error_block", None)
            key = getattr(entry, "key", "?")
            out.diagnostics.append(
                Diagnostic("duplicate-bib-field", rel, line, 1, f"entry '{key}' sets {fields} twice", extra=key)
            )
            if entry is not None:
                out.entries.append(_entry(rel, entry))
        else:
            reason = str(getattr(b, "error", "") or "") or getattr(getattr(b, "error", None), "abort_reason", "")
            first = b.raw.strip().splitlines()[0][:60] if b.raw and b.raw.strip() else ""
            msg = f"bib block could not be parsed: {first}"
            if reason:
                msg += f" ({str(reason).strip().splitlines()[0][:100]})"
            out.diagnostics.append(Diagnostic("bib-parse-error", rel, line, 1, msg))
    return out


def _entry(rel: str, e) -> BibEntry:
    fd = e.fields_dict
    kept = {k: _value(fd[k].value) for k in KEPT_FIELDS if k in fd}
    return BibEntry(e.key, e.entry_type.lower(), rel, (e.start_line or 0) + 1, kept, tuple(fd.keys()))
