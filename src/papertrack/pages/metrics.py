"""Where main content ends, in pages, from the probe's marks (and pdftotext lines if present)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.pages.pdfmode import APPENDIX_HEADINGS, BIBLIOGRAPHY_HEADINGS, heading_pattern
from papertrack.pages.probedata import (
    ONE_INCH_SP,
    SP_PER_BP,
    VALID_FRACTION,
    Mark,
    PageGeometry,
    Position,
    ProbeData,
    parse_probe,
)
from papertrack.pages.textlines import TextLine, column_lines, pdf_text_lines
from papertrack.pages.titles import clean_title, matches_heading, normalize_heading

__all__ = [
    "ONE_INCH_SP",
    "ContentEnd",
    "Heading",
    "Overflow",
    "PageMetrics",
    "Position",
    "ProbeData",
    "clean_title",
    "compute_metrics",
    "matches_heading",
    "normalize_heading",
    "overflow",
    "parse_probe",
    "pdf_text_lines",
]


@dataclass(frozen=True)
class ContentEnd:
    """The last line of counted main content."""

    position: Position
    line: int | None = None
    lines_in_column: int | None = None
    text: str | None = None
    exact: bool = True
    source: str = "probe"  # probe | pdftotext | estimate

    def describe(self) -> str:
        """'p9 line 20 of 45' / 'p6 col1 line 13 of 47', as in EXPECTED.toml."""
        p = self.position
        where = f"p{p.page}" + (f" col{p.column}" if p.columns > 1 else "")
        if self.line is not None:
            where += f" line {self.line} of {self.lines_in_column}"
        else:
            where += f" at {p.fraction:.0%} of the text block"
        return where


@dataclass(frozen=True)
class Heading:
    """A \\section/\\chapter/\\part heading the probe saw."""

    title: str
    level: str
    position: Position | None


@dataclass
class PageMetrics:
    """Page facts of one build, in physical PDF pages."""

    total_pages: int
    bib_start_page: int | None
    appendix_start_page: int | None
    end: ContentEnd
    main_content_pages: float
    ended_by: str
    lines_per_page: float
    headings: list[Heading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def overflow(self, limit: float) -> Overflow:
        """How far main content is over (or under) a page limit."""
        return overflow(self, limit)


@dataclass(frozen=True)
class Overflow:
    """Main content against a page limit: pages and text lines over (negative: to spare)."""

    limit: float
    pages_over: float
    lines_over: int
    message: str

    @property
    def over(self) -> bool:
        """True when main content exceeds the limit."""
        return self.pages_over > 0


def overflow(metrics: PageMetrics, limit: float) -> Overflow:
    """'0.4 page over, about 23 lines' (or to spare), using the body text's line height."""
    over = round(metrics.main_content_pages - limit, 2)
    lines = round(abs(over) * metrics.lines_per_page)
    amount = f"{abs(over):.2f}" if abs(over) < 0.1 else f"{abs(over):.1f}"
    page_word = "page" if abs(over) <= 1 else "pages"
    if over > 0:
        msg = f"{amount} {page_word} over the {limit:g}-page limit, about {lines} lines"
    elif over == 0:
        msg = f"exactly at the {limit:g}-page limit"
    else:
        msg = (
            f"fits the {limit:g}-page limit with {amount} {page_word} to spare, about {lines} lines"
        )
    return Overflow(limit, over, lines if over > 0 else -lines, msg)


def _previous_columns(page: int, column: int, columns: int, first_page: int):
    """(page, column, columns) slots before a given one, nearest first, at most 3 pages back."""
    for c in range(column - 1, 0, -1):
        yield page, c, columns
    for p in range(page - 1, max(first_page, page - 3) - 1, -1):
        for c in range(columns, 0, -1):
            yield p, c, columns


class _Lines:
    """Lazy per-page pdftotext lines."""

    def __init__(self, pdf: Path | None, enabled: bool) -> None:
        self.pdf, self.enabled, self.cache = pdf, enabled and pdf is not None, {}

    def page(self, page: int) -> list[TextLine] | None:
        if not self.enabled or page < 1:
            return None
        if page not in self.cache:
            got = pdf_text_lines(self.pdf, max(1, page - 3), page)  # type: ignore[arg-type]
            if not got:
                self.enabled = False
                return None
            self.cache.update(got)
        return self.cache.get(page, [])


def _line_position(ln: TextLine, geom: PageGeometry, column: int, columns: int) -> Position:
    v = ln.baseline * SP_PER_BP
    return Position(ln.page, column, columns, geom.fraction(v), ln.baseline)


def _locate_line(end: Position, probe: ProbeData, lines: _Lines) -> tuple[int, int, str] | None:
    """(k, N, text) of the pdftotext line on the end baseline."""
    geom = probe.geometry_for(end.page)
    page_lines = lines.page(end.page)
    if geom is None or page_lines is None:
        return None
    col = column_lines(page_lines, geom, end.column, end.columns)
    if not col:
        return None
    best = min(range(len(col)), key=lambda i: abs(col[i].baseline - end.v_bp))
    if abs(col[best].baseline - end.v_bp) > 4:
        return None
    return best + 1, len(col), col[best].text


def _end_before(
    event: Position, probe: ProbeData, lines: _Lines, stops: Sequence[re.Pattern[str]] = ()
) -> ContentEnd | None:
    """The last text line before an event's baseline, from pdftotext, in reading order.

    A mark made inside the references or an exempt section can sit below its heading line:
    lines from the first one matching a `stops` heading on do not count.
    """
    geom = probe.geometry_for(event.page)
    page_lines = lines.page(event.page)
    if geom is None or page_lines is None:
        return None
    col = column_lines(page_lines, geom, event.column, event.columns)
    above = [i for i, ln in enumerate(col) if ln.baseline < event.v_bp - 2]
    heading = next((i for i in above if any(p.match(col[i].text) for p in stops)), None)
    if heading is not None:
        above = [i for i in above if i < heading]
    if above:
        i = above[-1]
        return ContentEnd(
            _line_position(col[i], geom, event.column, event.columns),
            i + 1,
            len(col),
            col[i].text,
            True,
            "pdftotext",
        )
    for page, column, columns in _previous_columns(event.page, event.column, event.columns, 1):
        g = probe.geometry_for(page)
        pl = lines.page(page)
        if g is None or pl is None:
            return None
        prev = column_lines(pl, g, column, columns)
        if prev:
            return ContentEnd(
                _line_position(prev[-1], g, column, columns),
                len(prev),
                len(prev),
                prev[-1].text,
                True,
                "pdftotext",
            )
    return None


def _estimate_before(event: Position, probe: ProbeData) -> ContentEnd:
    """Without pdftotext: the previous column counts full when the event opens a column."""
    geom = probe.geometry_for(event.page)
    line = (geom.baselineskip / geom.text_height) if geom and geom.text_height else 0.03
    if event.fraction <= 1.5 * line:
        column, page = event.column - 1, event.page
        if column < 1:
            page, column = page - 1, event.columns
        return ContentEnd(
            Position(page, column, event.columns, 1.0), exact=False, source="estimate"
        )
    return ContentEnd(
        Position(event.page, event.column, event.columns, max(0.0, event.fraction - 2 * line)),
        exact=False,
        source="estimate",
    )


def compute_metrics(
    probe: ProbeData,
    *,
    exempt_headings: Sequence[str] = (),
    exempt_macros: Sequence[str] = (),
    pdf: Path | None = None,
    total_pages: int | None = None,
    use_pdftotext: bool = True,
) -> PageMetrics:
    """Bibliography/appendix pages, where main content ends and why, from one build's probe data.

    Main content ends at the first of: the bibliography, the appendix, a heading whose whole
    title is one of exempt_headings (case-insensitive), a call of one of exempt_macros.
    """
    notes: list[str] = []
    lines = _Lines(pdf, use_pdftotext)
    total = probe.total_pages or total_pages or 0
    if probe.total_pages and total_pages and probe.total_pages != total_pages:
        notes.append(f"probe counted {probe.total_pages} pages, the PDF has {total_pages}")
        total = total_pages

    def place(mark: Mark) -> Position | None:
        pos = probe.position(mark)
        if pos is None:
            return None
        if pos.fraction < VALID_FRACTION[0]:
            # Set above the text block: the mark went into a running header made while the
            # previous page was shipped; the material itself opens the next page.
            notes.append(
                f"{mark.kind} mark above the text block on p{mark.page}: taken as the "
                f"top of p{mark.page + 1}"
            )
            return Position(mark.page + 1, 1, mark.columns, 0.0, 0.0)
        return pos

    headings: list[Heading] = []
    terminators: list[tuple[Mark, str]] = []
    bib_page = app_page = None
    for mark in probe.marks:
        if mark.kind == "SEC":
            title = clean_title(mark.title)
            headings.append(Heading(title, mark.level, probe.position(mark)))
            hit = matches_heading(title, exempt_headings)
            if hit:
                terminators.append((mark, f"heading '{title}'"))
        elif mark.kind == "BIB" and not _text_goes_on(probe.marks, mark):
            terminators.append((mark, "references"))
        elif mark.kind == "APP":
            terminators.append((mark, "appendix"))
        elif mark.kind == "MAC" and mark.level in exempt_macros:
            terminators.append((mark, f"\\{mark.level}"))
    for mark in probe.marks:
        if mark.kind == "BIB" and bib_page is None and not _text_goes_on(probe.marks, mark):
            pos = place(mark)
            bib_page = pos.page if pos else mark.page
        # An exempt macro (CVPR's \maketitlesupplementary) opens the supplement: an appendix.
        supplement = mark.kind == "MAC" and mark.level in exempt_macros
        if (mark.kind == "APP" or supplement) and app_page is None:
            pos = place(mark)
            app_page = pos.page if pos else mark.page

    end: ContentEnd | None = None
    ended_by = "end of document"
    if terminators:
        mark, ended_by = terminators[0]
        event = place(mark)
        pre = probe.mark(mark.pre_seq) if mark.pre_seq else None
        pre_pos = probe.position(pre) if pre else None
        if pre_pos is not None and pre_pos.valid:
            end = ContentEnd(pre_pos)
        elif event is not None:
            titles = [*BIBLIOGRAPHY_HEADINGS, *APPENDIX_HEADINGS, *exempt_headings]
            stops = [heading_pattern(t) for t in titles]
            end = _end_before(event, probe, lines, stops) or _estimate_before(event, probe)
    else:
        pre = probe.mark(probe.eod_pre) if probe.eod_pre else None
        pre_pos = probe.position(pre) if pre else None
        if pre_pos is not None and pre_pos.valid:
            end = ContentEnd(pre_pos)
        elif total:
            geom = probe.geometry_for(total)
            columns = geom.columns if geom else 1
            after = Position(total + 1, 1, columns, 0.0, 0.0)
            end = _end_before(after, probe, lines)
    if end is None:
        end = ContentEnd(Position(max(total, 1), 1, 1, 1.0), exact=False, source="estimate")
        notes.append("no usable probe mark: main content taken to fill the last page")
    if end.source == "probe":
        found = _locate_line(end.position, probe, lines)
        if found:
            end = ContentEnd(end.position, found[0], found[1], found[2], True, "probe")
    geom = probe.geometry_for(end.position.page)
    if geom and geom.baselineskip:
        lpp = end.position.columns * geom.text_height / geom.baselineskip
    else:
        lpp = 50.0
    if not end.exact:
        notes.append("main content end estimated (install poppler-utils for pdftotext)")
    if probe.unplaced:
        notes.append("a mark was never placed (no paragraph followed it)")
    return PageMetrics(
        total, bib_page, app_page, end, round(end.position.pages, 4), ended_by, lpp, headings, notes
    )


def _text_goes_on(marks: list, bib) -> bool:
    """Whether numbered chapters or parts follow this bibliography mark before any appendix,
    in a paper that prints several: a part's or chapter's own references (one \\printbibliography per refsection), not the
    end of the main text. Starred ones (Acknowledgements, CV) end nothing either way."""
    if sum(m.kind == "BIB" for m in marks) < 2:
        return False  # one bibliography: chapters after it are back matter (a supplement)
    after = False
    for m in marks:
        if m is bib:
            after = True
        elif after and m.kind == "APP":
            return False
        elif after and m.kind == "SEC" and m.level in ("part", "chapter"):
            return True
    return False
