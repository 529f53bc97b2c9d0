"""PDF-only page facts (no TeX): total pages and where references or exempt sections start."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIBLIOGRAPHY_HEADINGS = ("References", "Bibliography")
APPENDIX_HEADINGS = ("Appendix", "Appendices")
# Optional section number in front of a heading line: "7", "7.1", "A", "A.2", "VII." (IEEE).
_NUMBER = r"(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)*\.?|[IVXLC]+\.)"


@dataclass(frozen=True)
class PdfPageInfo:
    """Page facts read from a PDF's text: 1-based physical pages, None when not found."""

    total_pages: int
    bib_start_page: int | None
    appendix_start_page: int | None
    exempt_heading_page: int | None
    exempt_heading: str | None
    end_page: int | None
    ended_by: str | None


def heading_pattern(title: str) -> re.Pattern[str]:
    """A whole-line, optionally numbered, case-insensitive match of one heading title.

    Letters may be split by one space (small caps come out of PDFs as 'R EFERENCES'); line
    numbers glued on either side are allowed, a page number after a space (a TOC entry) is not.
    """
    words = []
    for word in title.split():
        words.append(r"\s?".join(re.escape(ch) for ch in word))
    body = r"\s+".join(words)
    # Review-mode PDFs glue margin line numbers to the line: "References148", "148References".
    return re.compile(rf"^\s*(?:\d{{1,4}}(?=\S))?(?:{_NUMBER}\s*)?(?i:{body})[.:]?\d{{0,4}}\s*$")


def find_heading(lines: Sequence[str], titles: Sequence[str]) -> str | None:
    """The first of titles that is a whole line among lines, or None."""
    patterns = [(t, heading_pattern(t)) for t in titles]
    for line in lines:
        for title, pattern in patterns:
            if pattern.match(line):
                return title
    return None


def pdf_pages(pdf: Path, exempt_headings: Sequence[str] = ()) -> PdfPageInfo:
    """Total pages and the first page with a references, appendix or exempt heading line.

    Only whole heading lines count, so 'Limitations of prior work' in body text ends nothing.
    """
    from pypdf import PdfReader  # slow import: only PDF mode needs it

    reader = PdfReader(str(pdf))
    total = len(reader.pages)
    bib = app = exempt_page = None
    exempt_title = None
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # a broken content stream must not end the scan
            continue
        lines = text.splitlines()
        if bib is None and find_heading(lines, BIBLIOGRAPHY_HEADINGS):
            bib = number
        if app is None and find_heading(lines, APPENDIX_HEADINGS):
            app = number
        if exempt_page is None and exempt_headings:
            hit = find_heading(lines, exempt_headings)
            if hit:
                exempt_page, exempt_title = number, hit
        if bib is not None and app is not None and (exempt_page or not exempt_headings):
            break
    candidates = [
        (p, why)
        for p, why in (
            (bib, "references"),
            (app, "appendix"),
            (exempt_page, f"heading '{exempt_title}'"),
        )
        if p
    ]
    end_page, ended_by = min(candidates) if candidates else (None, None)
    return PdfPageInfo(total, bib, app, exempt_page, exempt_title, end_page, ended_by)
