"""PT606: author names in the PDF's metadata, from the source or the PDF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.project.braces import group_end
from papertrack.rules.anonymity.review import in_review, loc, scan
from papertrack.rules.anonymity.text import emails, is_placeholder, plain_text, short
from papertrack.rules.base import Hit, rule

_HYPER_AUTHOR = re.compile(r"pdfauthor\s*=\s*")
_PDFINFO_AUTHOR = re.compile(r"/Author\s*\(")
_HOME_PATH = re.compile(r"(?:/home/|/Users/|[A-Za-z]:\\\\?Users\\\\?)([^/\\\s]+)")


def _author_value(text: str, pos: int, closer: str = "") -> str:
    """The value after `pdfauthor=` (a {group} or up to , or ]) or after `/Author (`."""
    if closer:
        end = text.find(closer, pos)
        return text[pos : end if end >= 0 else pos + 200]
    if pos < len(text) and text[pos] == "{":
        end = group_end(text, pos)
        return text[pos + 1 : (end - 1) if end else pos + 200]
    m = re.match(r"[^,\]}\n]*", text[pos:])
    return m.group() if m else ""


def pdf_metadata_findings(pdf_path: Path) -> list[Hit]:
    """What a PDF's metadata says about its authors: Author (document info and XMP) and
    Creator/Producer values that carry an e-mail address or a home-folder user name."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf_path))
        info = reader.metadata or {}
    except Exception:  # a damaged PDF is the page count's finding, not an anonymity one
        return []
    hits: list[Hit] = []
    author = str(info.get("/Author") or "").strip()
    if author and not is_placeholder(author):
        hits.append(
            Hit(
                f"{pdf_path.name}: the PDF metadata names the author '{short(author)}'",
                fix=_PDF_FIX,
            )
        )
    try:
        xmp = reader.xmp_metadata
        creators = list(xmp.dc_creator or []) if xmp is not None else []
    except Exception:
        creators = []
    for c in creators:
        c = str(c).strip()
        if c and not is_placeholder(c) and c != author:
            hits.append(
                Hit(
                    f"{pdf_path.name}: the PDF's XMP metadata names the creator '{short(c)}'",
                    fix=_PDF_FIX,
                )
            )
    for key in ("/Creator", "/Producer"):
        value = str(info.get(key) or "")
        mail = emails(value)
        home = _HOME_PATH.search(value)
        if mail or home:
            who = mail[0].group() if mail else f"user '{home.group(1)}'"
            hits.append(
                Hit(f"{pdf_path.name}: the PDF's {key[1:]} field gives away {who}", fix=_PDF_FIX)
            )
    return hits


_PDF_FIX = (
    "clear the metadata (\\hypersetup{pdfauthor={}}, or exiftool -Author= -Creator= paper.pdf) "
    "before submitting"
)


@rule("PT606", "pdf-metadata-author", "error", "The PDF's metadata names the authors")
def pdf_metadata_author(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports author names the source
    writes into the PDF's metadata (`\\hypersetup{pdfauthor=...}`, `pdfauthor=` options of
    hyperref, `\\pdfinfo{/Author (...)}`) and, when a PDF is given with `--pdf`, its Author
    field (document info and XMP) and Creator or Producer fields that carry an e-mail address or
    a home-folder user name (`/home/jdoe/...`). Empty and "Anonymous" values are fine.

    Why it matters: a reviewer's PDF viewer shows the metadata under Document Properties; the
    page itself can be perfectly anonymous.

    Example: `\\hypersetup{pdfauthor={Jane Doe, John Roe}}` in the preamble.

    Fix: leave pdfauthor empty in the review version, or clear the fields of the finished PDF
    (`exiftool -Author= -Creator= paper.pdf`).
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    for rel, text in sc.texts.items():
        found = [(m, _author_value(text, m.end())) for m in _HYPER_AUTHOR.finditer(text)]
        found += [(m, _author_value(text, m.end(), ")")) for m in _PDFINFO_AUTHOR.finditer(text)]
        for m, value in found:
            plain = plain_text(value)
            if not is_placeholder(plain):
                yield Hit(
                    f"the PDF metadata will name the author '{short(plain)}'",
                    loc(doc, rel, m.start()),
                    _PDF_FIX,
                )
    # the check pipeline does not hand the PDF to rules yet; either place works once it does
    pdf = doc.pdf
    if pdf:
        yield from pdf_metadata_findings(Path(pdf))
