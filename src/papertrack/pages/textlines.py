"""Text lines of PDF pages with their baselines, from pdftotext -bbox-layout (poppler)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from papertrack.pages.probedata import SP_PER_BP, PageGeometry


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


def run_on_pdf(
    cmd: list[str], pdf: Path, timeout: float
) -> subprocess.CompletedProcess[bytes] | None:
    """Run a poppler tool on the build's PDF, in the sandbox when there is one (the PDF carries
    whatever the paper embedded, and poppler parses it); None when it cannot run."""
    from papertrack.pages import sandbox

    if sandbox.availability().ok:
        folder = pdf.resolve().parent
        env = sandbox.clean_env({}, folder)
        cmd = sandbox.wrap(cmd, writable=None, cwd=folder, readable=[folder], env=env)
    try:
        return subprocess.run(
            cmd, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


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
    cmd = [exe, "-bbox-layout", "-f", str(first), "-l", str(last), str(pdf), "-"]
    done = run_on_pdf(cmd, pdf, timeout)
    if done is None:
        return {}
    out = done.stdout.decode("utf-8", "replace")
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
        # by the line's middle: a reference's label or a list's mark hangs into the column gap
        if geom.column_of((ln.x_min + ln.x_max) / 2 * SP_PER_BP, columns) == column:
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
