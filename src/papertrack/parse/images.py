"""Facts about image files: a raster's pixel size, a vector PDF's size and the text sizes in it."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A figure PDF larger than this is a scan or a data dump, not a plot: reading its text would
# cost seconds for a finding that is not about text.
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_TEXT_RUNS = 5000


HIDDEN_TEXT_PT = 1.5


@dataclass(frozen=True)
class RasterFacts:
    """A bitmap's size in pixels."""

    width_px: int
    height_px: int


@dataclass(frozen=True)
class TextRun:
    """One piece of text in a vector figure and its size in the figure's own units (bp)."""

    size: float
    text: str


@dataclass(frozen=True)
class PdfFacts:
    """A one-page vector figure: its natural size (crop box, bp) and the text drawn in it."""

    width_bp: float
    height_bp: float
    runs: tuple[TextRun, ...]
    pages: int

    def smallest(self) -> TextRun | None:
        """The smallest text run that is real text (not a lone dot or space, nor a hidden mark:
        text under 1.5 pt in the figure's own units is no label anyone was meant to read, e.g.
        the tick labels of a shared axis that a matplotlib script shrinks to size 1 to hide)."""
        real = [
            r
            for r in self.runs
            if sum(ch.isalnum() for ch in r.text) >= 1 and r.size >= HIDDEN_TEXT_PT
        ]
        return min(real, key=lambda r: r.size) if real else None


def raster_facts(path: Path) -> RasterFacts | None:
    """Pixel size from the image header (Pillow reads the header only, not the pixels)."""
    try:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning and friends: header only
            with Image.open(path) as im:
                w, h = im.size
    except Exception:
        return None
    if w <= 0 or h <= 0:
        return None
    return RasterFacts(int(w), int(h))


def open_pdf(path: Path):
    """A pypdf reader for a figure, shared by the rules that read it (pypdf parses objects in
    pure Python: one draw.io figure's page dictionary took 9 s); None if absent or too large."""
    try:
        st = path.stat()
    except OSError:
        return None
    if st.st_size > MAX_PDF_BYTES:
        return None
    return _open_pdf(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def _open_pdf(path: str, _mtime: int, _size: int):
    try:
        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed figures chatter
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PdfReader(path, strict=False)
    except Exception:
        return None


@dataclass(frozen=True)
class PdfPage:
    """One page of a PDF figure as pypdf reads it, with its crop box's size in bp."""

    reader: Any
    page: Any
    count: int  # pages in the file
    width: float
    height: float


@contextlib.contextmanager
def pdf_page(path: Path, page: int = 1) -> Iterator[PdfPage | None]:
    """Page `page` (from 1) of a PDF figure, or None (absent, too large, no such page); pypdf's
    warnings about malformed files stay quiet meanwhile."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = open_pdf(path)
        n = len(reader.pages) if reader is not None else 0
        if not 1 <= page <= n:
            yield None
            return
        pg = reader.pages[page - 1]
        width, height = visible_size(pg)
        yield PdfPage(reader, pg, n, width, height)


def visible_size(pg: Any) -> tuple[float, float]:
    """Width and height (bp) of the part of a page that prints: its crop box clipped to its
    media box, as the PDF standard says and as pdfTeX includes it (a crop box larger than the
    media box, as some drawing tools write, does not make the figure larger)."""
    media, crop = pg.mediabox, pg.cropbox
    left, right = (
        max(float(media.left), float(crop.left)),
        min(float(media.right), float(crop.right)),
    )
    bottom, top = (
        max(float(media.bottom), float(crop.bottom)),
        min(float(media.top), float(crop.top)),
    )
    if right <= left or top <= bottom:  # no overlap: a broken box, read the media box
        return float(media.width), float(media.height)
    return right - left, top - bottom


def pdf_facts(path: Path, page: int = 1) -> PdfFacts | None:
    """The crop box of one page of a PDF figure and every text run's size on it."""
    try:
        with pdf_page(path, page) as found:
            if found is None:
                return None
            pg, n, width, height = found.page, found.count, found.width, found.height
            if pg.get("/Rotate", 0) % 180:
                width, height = height, width
            runs: list[TextRun] = []

            def visit(text, cm, tm, _font, size) -> None:
                if len(runs) >= MAX_TEXT_RUNS or not text or not text.strip() or not size:
                    return
                # the printed size is the font size times the vertical scale of text matrix x CTM
                a, b, c, d = (
                    tm[0] * cm[0] + tm[1] * cm[2],
                    tm[0] * cm[1] + tm[1] * cm[3],
                    tm[2] * cm[0] + tm[3] * cm[2],
                    tm[2] * cm[1] + tm[3] * cm[3],
                )
                scale = math.sqrt(abs(a * d - b * c))
                eff = abs(float(size)) * scale
                if 0.05 < eff < 500:
                    runs.append(TextRun(round(eff, 2), text.strip()[:40]))

            pg.extract_text(visitor_text=visit)
    except Exception:
        return None
    if width <= 0 or height <= 0:
        return None
    return PdfFacts(width, height, tuple(runs), n)
