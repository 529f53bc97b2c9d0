"""The probe's report in a build log: page layouts and position marks, in TeX units."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ONE_INCH_SP = 4736286  # 72.27 TeX points: the engines' page origin sits 1in from the top left
SP_PER_BP = 65536 * 72.27 / 72  # pdftotext and the PDF speak big points
# A mark this far outside the text block is not where TeX set the material (e.g. it landed in a
# running header): it cannot be trusted.
VALID_FRACTION = (-0.01, 1.03)


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
        return VALID_FRACTION[0] <= self.fraction <= VALID_FRACTION[1]


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
    """The 15 numbers of a geometry record, in PageGeometry's field order (page height ... twoside)."""
    *dims, twoside = nums[:15]
    return PageGeometry(page, folio, *dims, bool(twoside), box_height)


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
