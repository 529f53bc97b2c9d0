"""PDF-only page facts (no TeX): total pages and where references or exempt sections start."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def _reader(pdf: Path):
    """pypdf's reader, quiet: on a file that is no PDF (`--pdf paper.tex`) pypdf logs 'invalid
    pdf header' and 'EOF marker not found' to stderr before the error papertrack reports."""
    import logging

    from pypdf import PdfReader  # slow import: only PDF mode needs it

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return PdfReader(str(pdf))


BIBLIOGRAPHY_HEADINGS = (
    "References",
    "Bibliography",
    "Literaturverzeichnis",
    "Literatur",
    "Bibliographie",
    "Références",
    "Referencias",
    "Bibliografía",
    "参考文献",
)
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
        pattern = r"\s?".join(re.escape(ch) for ch in word)
        if re.fullmatch(r"(?i)acknowledge?ments?", word):
            # both spellings, with or without the plural: the venue lists one of them
            pattern = r"\s?".join("acknowledg") + r"\s?(?:e\s?)?m\s?e\s?n\s?t\s?s?"
        words.append(pattern)
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
    reader = _reader(pdf)
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


@dataclass(frozen=True)
class PdfContentEnd:
    """Where main content ends in a PDF, measured from its text positions (bp from the page top)."""

    pages: float  # (P-1) + (c-1+f)/columns, as the build's probe measures it
    page: int
    column: int
    columns: int
    fraction: float
    ended_by: str
    heading_page: int
    text: str
    total_pages: int
    block: tuple[float, float]  # top and bottom of the text block
    line_height: float = 12.0

    @property
    def lines_per_page(self) -> float:
        """Body lines of a full page (all columns), from the block and the line pitch."""
        pitch = 1.2 * self.line_height
        return self.columns * max(10.0, (self.block[1] - self.block[0]) / pitch)

    def describe(self) -> str:
        where = f"p{self.page}" + (f" col{self.column}" if self.columns > 1 else "")
        return f"{where} at {self.fraction:.0%} of the text block"


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def _quantile(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0


def _is_number_line(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.,]+", text))


def _typical(values: list[float], q: float) -> float:
    """The most common value (1bp bins) when it recurs on 30% of the pages, else the q-quantile
    (a ragged bottom: pages end higher than the block, and a first page's footer lower)."""
    if not values:
        return 72.0 if q < 0.5 else 720.0
    bins: dict[int, list[float]] = {}
    for v in values:
        bins.setdefault(round(v), []).append(v)
    for k in list(bins):  # neighbours share a bin's count (rounding splits a baseline)
        bins[k] = bins[k] + bins.get(k + 1, [])
    best = max(bins.values(), key=len)
    if len(best) >= 2 and len(best) >= 0.3 * len(values):
        return _median(best)
    return _quantile(values, q)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"[\dIVXivx]+", "#", text.lower()))


class _Block:
    """The body text block of a PDF, inferred from its lines: edges, columns, line height."""

    def __init__(self, pages: dict[int, list]) -> None:
        # running headers and footers repeat (digits aside) at the top or bottom of many pages
        seen: dict[str, int] = {}
        for lines in pages.values():
            ends = sorted(lines, key=lambda ln: ln.baseline)
            for key in {_norm(ln.text) for ln in ends[:2] + ends[-2:]}:
                seen[key] = seen.get(key, 0) + 1
        need = max(2, 0.3 * len(pages))
        self.running = {k for k, n in seen.items() if n >= need}
        body = [
            ln
            for lines in pages.values()
            for ln in lines
            if not _is_number_line(ln.text) and _norm(ln.text) not in self.running
        ]
        heights = [ln.v_max - ln.v_min for ln in body]
        self.line_height = _median(heights) or 10.0
        self.left = _quantile([ln.x_min for ln in body], 0.05)
        self.right = _quantile([ln.x_max for ln in body], 0.95)
        width = max(1.0, self.right - self.left)
        self.mid = self.left + width / 2
        # two columns: prose lines (six words or more; table cells have fewer) are narrow and
        # many of them start right of the middle
        prose = [ln for ln in body if len(ln.text.split()) >= 6]
        narrow = [ln for ln in prose if ln.x_max - ln.x_min < 0.6 * width]
        right = [ln for ln in narrow if ln.x_min > self.mid - 0.02 * width]
        n = max(1, len(prose))
        self.columns = 2 if len(narrow) > 0.6 * n and len(right) > 0.25 * n else 1
        tops, bottoms = [], []
        for lines in pages.values():
            inner = self._inner(lines)
            if len(inner) >= 8:
                tops.append(inner[0].baseline)
                bottoms.append(max(ln.baseline for ln in inner))
        # Full text pages start and end on the same baselines: the most common first and last
        # ones (a title page or a float page does not). The first baseline sits \topskip (about
        # the font size) below the top of the block.
        self.top = _typical(tops, 0.0) - 0.95 * self.line_height
        self.bottom = _typical(bottoms, 0.9)

    def _inner(self, lines: list) -> list:
        """Lines of one page without the running header/footer and margin line numbers."""
        return sorted(
            (
                ln
                for ln in lines
                if not _is_number_line(ln.text) and _norm(ln.text) not in self.running
            ),
            key=lambda ln: ln.baseline,
        )

    def column_of(self, ln) -> int:
        if self.columns == 1 or ln.x_max - ln.x_min > 0.6 * (self.right - self.left):
            return 1
        return 1 if ln.x_min < self.mid - 0.02 * (self.right - self.left) else 2

    def ordered(self, lines: list) -> list:
        """A page's body lines in reading order (column by column, top to bottom)."""
        inner = [ln for ln in self._inner(lines) if self.top - 2 <= ln.baseline <= self.bottom + 3]
        return sorted(inner, key=lambda ln: (self.column_of(ln), ln.baseline))

    def fraction(self, ln) -> float:
        return min(1.0, max(0.0, (ln.baseline - self.top) / max(1.0, self.bottom - self.top)))


def pdf_content_end(pdf: Path, exempt_headings: Sequence[str] = ()) -> PdfContentEnd | None:
    """Where main content ends, from pdftotext's line positions (None without poppler or a
    whole heading line): the last line before the first references, appendix or exempt heading,
    on its page and column, against the text block (a heading opening a page: the page before
    ends full)."""
    from papertrack.pages.textlines import pdf_text_lines

    try:
        total = len(_reader(pdf).pages)
    except Exception:  # pypdf raises many types on damaged files
        return None
    pages = pdf_text_lines(pdf, 1, total, timeout=120)
    if not pages:
        return None
    block = _Block(pages)
    titles = [
        *((t, "references") for t in BIBLIOGRAPHY_HEADINGS),
        *((t, "appendix") for t in APPENDIX_HEADINGS),
        *((t, f"heading '{t}'") for t in exempt_headings),
    ]
    patterns = [(heading_pattern(t), why) for t, why in titles]
    previous = None  # (page, line) of the last body line seen
    for number in sorted(pages):
        ordered = block.ordered(pages[number])
        for ln in ordered:
            why = next((w for p, w in patterns if p.match(ln.text)), None)
            if why is not None and _alone(ln, ordered, block) and previous is not None:
                return _end(previous, block, why, number, total)
            previous = (number, ln)
    if previous is None:
        return None
    return _end(previous, block, "end of document", previous[0], total)


def _alone(line, ordered: list, block: _Block) -> bool:
    """A heading has its baseline to itself in its column (a table cell 'References' does not)."""
    col = block.column_of(line)
    return not any(
        other is not line
        and block.column_of(other) == col
        and abs(other.baseline - line.baseline) < 1.5
        for other in ordered
    )


def _end(previous: tuple, block: _Block, why: str, heading_page: int, total: int) -> PdfContentEnd:
    page, last = previous
    col = block.column_of(last)
    f = block.fraction(last)
    value = (page - 1) + (col - 1 + f) / block.columns
    return PdfContentEnd(
        round(value, 4),
        page,
        col,
        block.columns,
        f,
        why,
        heading_page,
        last.text,
        total,
        (block.top, block.bottom),
        block.line_height,
    )
