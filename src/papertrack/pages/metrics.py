"""Where main content ends, in pages, from the probe's marks (and pdftotext lines if present)."""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ONE_INCH_SP = 4736286  # 72.27 TeX points: the engines' page origin sits 1in from the top left
SP_PER_BP = 65536 * 72.27 / 72  # pdftotext and the PDF speak big points
# A mark this far outside the text block is not where TeX set the material (e.g. it landed in a
# running header): it cannot be trusted.
_VALID_FRACTION = (-0.01, 1.03)


@dataclass(frozen=True)
class PageGeometry:
    """The layout one physical page was made with (TeX dimensions in sp)."""

    page: int
    folio: int
    page_height: int
    text_width: int
    text_height: int
    column_width: int
    column_sep: int
    hoffset: int
    voffset: int
    odd_side_margin: int
    even_side_margin: int
    top_margin: int
    head_height: int
    head_sep: int
    baselineskip: int
    columns: int
    twoside: bool
    box_height: int = 0

    @property
    def effective_height(self) -> int:
        """The height positions are measured from (XeTeX without \\pdfpageheight: box + 2in)."""
        if self.page_height > 0:
            return self.page_height
        return self.box_height + 2 * (ONE_INCH_SP + self.voffset)

    @property
    def text_top(self) -> int:
        """Distance from the top of the page to the top of the text block."""
        return ONE_INCH_SP + self.voffset + self.top_margin + self.head_height + self.head_sep

    @property
    def text_left(self) -> int:
        """Distance from the left page edge to the text block (even pages differ in twoside)."""
        side = (
            self.even_side_margin if self.twoside and self.folio % 2 == 0 else self.odd_side_margin
        )
        return ONE_INCH_SP + self.hoffset + side

    def fraction(self, v: float) -> float:
        """Share of the text block above a baseline v (sp from the page top)."""
        return (v - self.text_top) / self.text_height if self.text_height else 0.0

    def column_of(self, x: float, columns: int) -> int:
        """The column (1-based) an x position (sp from the left edge) falls in."""
        if columns <= 1:
            return 1
        pitch = self.column_width + self.column_sep
        if pitch <= 0:
            return 1
        col = 1 + math.floor((x - self.text_left + 2 * SP_PER_BP) / pitch)
        return max(1, min(columns, col))


@dataclass(frozen=True)
class Mark:
    """One probe mark: what happened where (x, y in sp from the page's lower left)."""

    kind: str
    seq: int
    columns: int
    info: str
    page: int
    x: int
    y: int
    title: str = ""

    @property
    def pre_seq(self) -> int:
        """For an event: the seq of the end-of-previous-material mark made with it (0 = none)."""
        m = re.match(r"pre:(\d+)", self.info)
        return int(m.group(1)) if m else 0

    @property
    def level(self) -> str:
        """For a heading: section, section*, chapter, ..."""
        return self.info.split(":", 2)[2] if self.info.count(":") >= 2 else ""

    @property
    def depth(self) -> int:
        """For a mark after a box on a vertical list: that box's depth (below its baseline)."""
        if self.info.startswith("v:"):
            return max(0, int(self.info[2:]))
        return 0


@dataclass(frozen=True)
class Position:
    """A baseline on a physical page: column and fraction of the text block (0 top, 1 bottom)."""

    page: int
    column: int
    columns: int
    fraction: float
    v_bp: float = 0.0

    @property
    def pages(self) -> float:
        """Pages used up to here: (P-1)+f, or (P-1)+(c-1+f)/columns with several columns."""
        f = min(1.0, max(0.0, self.fraction))
        return (self.page - 1) + (self.column - 1 + f) / max(1, self.columns)

    @property
    def valid(self) -> bool:
        """Inside the text block (a mark in a running header is not)."""
        return _VALID_FRACTION[0] <= self.fraction <= _VALID_FRACTION[1]


@dataclass
class ProbeData:
    """Everything the probe reported in one build's log."""

    geometry: PageGeometry | None = None
    pages: dict[int, PageGeometry] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    total_pages: int | None = None
    eod_pre: int = 0
    unplaced: str = ""
    hooks_missing: bool = False

    def geometry_for(self, page: int) -> PageGeometry | None:
        """The layout of a physical page (the document's if the page was not recorded)."""
        return self.pages.get(page) or self.geometry

    def mark(self, seq: int) -> Mark | None:
        """The mark with this sequence number."""
        return next((m for m in self.marks if m.seq == seq), None)

    def position(self, mark: Mark) -> Position | None:
        """Where a mark's baseline is; None without geometry."""
        geom = self.geometry_for(mark.page)
        if geom is None:
            return None
        v = geom.effective_height - mark.y - mark.depth
        return Position(
            mark.page,
            geom.column_of(mark.x, mark.columns),
            mark.columns,
            geom.fraction(v),
            v / SP_PER_BP,
        )


def _geometry(page: int, folio: int, nums: Sequence[int], box_height: int = 0) -> PageGeometry:
    (
        page_height,
        text_width,
        text_height,
        column_width,
        column_sep,
        hoffset,
        voffset,
        odd,
        even,
        top,
        head_height,
        head_sep,
        baselineskip,
        columns,
        twoside,
    ) = nums[:15]
    return PageGeometry(
        page,
        folio,
        page_height,
        text_width,
        text_height,
        column_width,
        column_sep,
        hoffset,
        voffset,
        odd,
        even,
        top,
        head_height,
        head_sep,
        baselineskip,
        columns,
        bool(twoside),
        box_height,
    )


def _ints(fields: Iterable[str]) -> list[int]:
    return [int(f.strip() or 0) for f in fields]


def parse_probe(log_text: str) -> ProbeData:
    """Read the PAPERTRACK lines the probe wrote into a .log."""
    data = ProbeData()
    for raw in log_text.splitlines():
        if not raw.startswith("PAPERTRACK"):
            continue
        parts = raw.split("|")
        tag = parts[0]
        try:
            if tag == "PAPERTRACK" and len(parts) >= 8:
                kind, seq, cols, info, page, x, y = parts[1:8]
                title = "|".join(parts[8:])
                data.marks.append(
                    Mark(kind, int(seq), int(cols), info, int(page), int(x), int(y), title.strip())
                )
            elif tag == "PAPERTRACK-GEOM" and len(parts) >= 19:
                # paperwidth, paperheight, pageheight, textwidth, ..., topskip, columns, twoside
                nums = _ints(parts[3:16]) + _ints(parts[17:19])
                data.geometry = _geometry(0, 1, nums)
            elif tag == "PAPERTRACK-PAGE" and len(parts) >= 19:
                page, folio = int(parts[1]), int(parts[2])
                nums = _ints(parts[3:18])
                box = int(parts[18]) if len(parts) > 18 and parts[18].strip() else 0
                data.pages[page] = _geometry(page, folio, nums, box)
            elif tag == "PAPERTRACK-END":
                data.total_pages = int(parts[1])
            elif tag == "PAPERTRACK-EOD":
                data.eod_pre = int(parts[1])
            elif tag == "PAPERTRACK-UNPLACED":
                data.unplaced = "|".join(parts[1:])
            elif tag == "PAPERTRACK-NOHOOKS":
                data.hooks_missing = True
        except ValueError:
            continue  # a line cut by a crash mid-write
    data.marks.sort(key=lambda m: m.seq)
    return data


# ---- heading titles -------------------------------------------------------------------------

_NAMED = {
    "refname": "References",
    "bibname": "Bibliography",
    "appendixname": "Appendix",
    "abstractname": "Abstract",
    "contentsname": "Contents",
    "ackname": "Acknowledgments",
    "acknowledgmentsname": "Acknowledgments",
    "acknowledgementsname": "Acknowledgements",
}


# Commands in heading arguments that print nothing in the heading itself (marks, labels, notes).
_DROPPED = {
    "label": 1,
    "footnote": 1,
    "thanks": 1,
    "index": 1,
    "footnotemark": 0,
    "@mkboth": 2,
    "markboth": 2,
    "markright": 1,
    "addcontentsline": 3,
    "phantomsection": 0,
}


def _drop_command(text: str, name: str, args: int = 1) -> str:
    """Remove \\name{...}... with its (balanced) arguments."""
    out, i = [], 0
    pattern = re.compile(r"\\" + re.escape(name) + r"\*?\s*(?:\[[^\]]*\])?\s*(?=\{)")
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i : m.start()])
        j = m.end()
        for _ in range(args):
            while j < len(text) and text[j].isspace():
                j += 1
            if j >= len(text) or text[j] != "{":
                break
            depth, j = 1, j + 1
            while j < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
        i = j


def clean_title(raw: str) -> str:
    """A heading's source text as plain words: 'Acknowledgments\\label{x}' -> 'Acknowledgments'."""
    t = raw
    t = t.replace("\\protect", "")
    for name, args in _DROPPED.items():
        t = _drop_command(t, name, args)
    t = re.sub(
        r"\\texorpdfstring\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}", r"\2", t
    )
    t = re.sub(r"\\([A-Za-z@]+)\s*", lambda m: _NAMED.get(m.group(1), " "), t)
    t = re.sub(r"\\(.)", r"\1", t)
    t = t.replace("~", " ").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", t).strip()


def normalize_heading(title: str) -> str:
    """Case- and spelling-insensitive form for whole-title comparison."""
    t = re.sub(r"\s+", " ", title).strip().lower().rstrip(".:")
    return t.replace("acknowledgement", "acknowledgment")


def matches_heading(title: str, wanted: Iterable[str]) -> str | None:
    """The wanted heading this whole title equals (case-insensitively), if any."""
    norm = normalize_heading(title)
    return next((w for w in wanted if normalize_heading(w) == norm), None)


# ---- pdftotext lines ------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """A text line of a PDF page per pdftotext -bbox-layout (bp, measured from the page top)."""

    page: int
    x_min: float
    x_max: float
    v_min: float
    v_max: float
    text: str

    @property
    def baseline(self) -> float:
        """Estimated baseline: pdftotext boxes run from ascent to descent (~21% below)."""
        return self.v_max - 0.21 * (self.v_max - self.v_min)


_PAGE_RE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_LINE_RE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    r"(.*?)</line>",
    re.S,
)
_WORD_RE = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


def pdf_text_lines(
    pdf: Path, first: int, last: int, timeout: float = 60
) -> dict[int, list[TextLine]]:
    """Text lines of pages first..last (empty dict when pdftotext is not installed)."""
    exe = shutil.which("pdftotext")
    if exe is None or first > last:
        return {}
    try:
        out = subprocess.run(
            [exe, "-bbox-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return {}
    pages: dict[int, list[TextLine]] = {}
    for offset, page_match in enumerate(_PAGE_RE.finditer(out)):
        page = first + offset
        lines = []
        for lm in _LINE_RE.finditer(page_match.group(1)):
            words = [html.unescape(w) for w in _WORD_RE.findall(lm.group(5))]
            x0, y0, x1, y1 = (float(lm.group(i)) for i in range(1, 5))
            lines.append(TextLine(page, x0, x1, y0, y1, " ".join(words)))
        pages[page] = lines
    return pages


def column_lines(
    lines: Sequence[TextLine], geom: PageGeometry, column: int, columns: int
) -> list[TextLine]:
    """The text block's lines in one column, top to bottom; lines sharing a baseline merged.

    Running header/footer, page numbers and margin line numbers (outside the block) are left out.
    """
    top = geom.text_top / SP_PER_BP
    bottom = (geom.text_top + geom.text_height) / SP_PER_BP
    left = geom.text_left / SP_PER_BP
    right = left + geom.text_width / SP_PER_BP
    inside = []
    for ln in lines:
        if not top - 2 <= ln.baseline <= bottom + 3:
            continue
        width = max(0.1, ln.x_max - ln.x_min)
        overlap = min(ln.x_max, right) - max(ln.x_min, left)
        if overlap < 0.5 * width:
            continue
        if geom.column_of(ln.x_min * SP_PER_BP, columns) == column:
            inside.append(ln)
    inside.sort(key=lambda ln: (ln.baseline, ln.x_min))
    merged: list[TextLine] = []
    for ln in inside:
        if merged and abs(merged[-1].baseline - ln.baseline) < 1.5:
            prev = merged[-1]
            merged[-1] = TextLine(
                prev.page,
                min(prev.x_min, ln.x_min),
                max(prev.x_max, ln.x_max),
                prev.v_min,
                prev.v_max,
                prev.text + " " + ln.text,
            )
        else:
            merged.append(ln)
    return merged


# ---- results --------------------------------------------------------------------------------


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


# ---- the computation ------------------------------------------------------------------------


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


def _end_before(event: Position, probe: ProbeData, lines: _Lines) -> ContentEnd | None:
    """The last text line before an event's baseline, from pdftotext, in reading order."""
    geom = probe.geometry_for(event.page)
    page_lines = lines.page(event.page)
    if geom is None or page_lines is None:
        return None
    col = column_lines(page_lines, geom, event.column, event.columns)
    above = [i for i, ln in enumerate(col) if ln.baseline < event.v_bp - 2]
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
        if pos.fraction < _VALID_FRACTION[0]:
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
        elif mark.kind == "BIB":
            terminators.append((mark, "references"))
        elif mark.kind == "APP":
            terminators.append((mark, "appendix"))
        elif mark.kind == "MAC" and mark.level in exempt_macros:
            terminators.append((mark, f"\\{mark.level}"))
    for mark in probe.marks:
        if mark.kind == "BIB" and bib_page is None:
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
            end = _end_before(event, probe, lines) or _estimate_before(event, probe)
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
