"""PNG thumbnails of figures as printed: pdftoppm (poppler) on the build's PDF, in the sandbox."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

# (x0, y0, x1, y1) in PDF big points, origin at the page's lower left
Box = tuple[float, float, float, float]
MIN_SIDE_BP = 20.0  # smaller placed images are logos, icons and bullets
PAD_BP = 6.0
CAPTION_BP = 40.0  # room kept below the graphics for the first lines of the caption
ROW_GAP_BP = 24.0  # sub-figures of one figure sit closer than this to each other


def placed_images(pdf: Path, page: int) -> tuple[list[Box], tuple[float, float]]:
    """Where images and included PDFs (XObjects) are drawn on a page (1-based), and the page
    size; ([], (0, 0)) when pypdf cannot read it. Only the page's own drawing operations are
    read: what an included PDF draws inside itself is part of its box."""
    from pypdf.generic import ContentStream

    boxes: list[Box] = []
    try:
        st = pdf.stat()
        reader = _reader(str(pdf), st.st_mtime_ns, st.st_size)
        pg = reader.pages[page - 1]
        w, h = float(pg.mediabox.width), float(pg.mediabox.height)
        xobjects = (pg.get("/Resources") or {}).get("/XObject") or {}
        contents = pg.get_contents()
        if contents is None:
            return [], (w, h)
        cm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        for operands, op in ContentStream(contents, reader).operations:
            if op == b"q":
                stack.append(cm)
            elif op == b"Q":
                cm = stack.pop() if stack else cm
            elif op == b"cm" and len(operands) == 6:
                cm = _times([float(v) for v in operands], cm)
            elif op == b"Do" and operands:
                xo = xobjects.get(operands[0])
                box = _placed(xo.get_object() if xo is not None else None, cm)
                big = box[2] - box[0] >= 0.95 * w and box[3] - box[1] >= 0.95 * h
                if min(box[2] - box[0], box[3] - box[1]) >= MIN_SIDE_BP and not big:
                    boxes.append(box)
    except Exception:
        return [], (0.0, 0.0)
    return boxes, (w, h)


@functools.lru_cache(maxsize=2)
def _reader(path: str, mtime_ns: int, size: int):
    """One parsed PDF for all the figures of a report (parsing a thesis takes most of a second);
    keyed by the file's time and size so a rebuilt PDF is read again."""
    import pypdf

    return pypdf.PdfReader(path)


def _times(m: list[float], n: list[float]) -> list[float]:
    """The matrix product m x n (PDF order: m applies first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def _placed(xo, cm: list[float]) -> Box:
    """The page area an XObject covers: an image fills the unit square, a form its /BBox."""
    bbox = [0.0, 0.0, 1.0, 1.0]
    if xo is not None and xo.get("/Subtype") == "/Form" and xo.get("/BBox"):
        bbox = [float(v) for v in xo["/BBox"]]
        if xo.get("/Matrix"):
            cm = _times([float(v) for v in xo["/Matrix"]], cm)
    a, b, c, d, e, f = cm
    corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _gap(a: float, b: float, lo: float, hi: float) -> float:
    """Distance between the ranges [a, b] and [lo, hi] (0 when they overlap)."""
    return max(0.0, lo - b, a - hi)


def figure_box(
    boxes: list[Box], anchor: tuple[float, float] | None, others: list[tuple[float, float]]
) -> Box | None:
    """The region of the figure whose hyperref anchor is at `anchor` (left, top): the placed
    graphic nearest to it, the graphics next to that one (sub-figures) that are not nearer to
    another figure's anchor on the page (`others`), and room for the caption below. None when
    no graphic is near (a TikZ figure draws no XObject)."""
    if not boxes or anchor is None:
        return None

    def distance(b: Box, at: tuple[float, float]) -> float:
        ax, ay = at
        return _gap(ay, ay, b[1], b[3]) + 0.25 * _gap(ax, ax, b[0], b[2])

    ours = [b for b in boxes if all(distance(b, anchor) <= distance(b, o) for o in others)]
    if not ours:
        return None
    ay = anchor[1]
    boxes = ours
    first = min(boxes, key=lambda b: distance(b, anchor))
    if distance(first, anchor) > 200:
        return None
    group = [first]
    grown = True
    while grown:
        grown = False
        x0, y0, x1, y1 = _union(group)
        for b in boxes:
            if b in group:
                continue
            if _gap(b[1], b[3], y0, y1) < ROW_GAP_BP and _gap(b[0], b[2], x0, x1) < ROW_GAP_BP * 4:
                group.append(b)
                grown = True
    x0, y0, x1, y1 = _union(group)
    y0 = min(y0, ay) - CAPTION_BP  # the anchor sits at the caption or just above the figure
    y1 = max(y1, ay)
    return (x0 - PAD_BP, y0 - PAD_BP, x1 + PAD_BP, y1 + PAD_BP)


def column_span(geom, box: Box) -> tuple[float, float] | None:
    """The text column (or the whole text block, for a figure wider than a column) that a
    figure's box sits in, in bp from the left edge: captions run its full width. `geom` is the
    probe's PageGeometry of the page (None: unknown)."""
    if geom is None or geom.text_width <= 0:
        return None
    from papertrack.pages.probedata import SP_PER_BP

    left = geom.text_left / SP_PER_BP
    width = geom.text_width / SP_PER_BP
    columns = max(1, geom.columns)
    col_w = geom.column_width / SP_PER_BP
    if columns == 1 or box[2] - box[0] > col_w + PAD_BP * 2 + 1:
        return (left, left + width)
    col = geom.column_of((box[0] + box[2]) / 2 * SP_PER_BP, columns)
    start = left + (col - 1) * (col_w + geom.column_sep / SP_PER_BP)
    return (start, start + col_w)


def widen(box: Box, span: tuple[float, float] | None) -> Box:
    """The box stretched sideways to the column it sits in (never narrowed)."""
    if span is None:
        return box
    return (min(box[0], span[0] - PAD_BP), box[1], max(box[2], span[1] + PAD_BP), box[3])


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def render(
    pdf: Path,
    page: int,
    box: Box | None,
    page_size: tuple[float, float],
    width_px: int = 480,
    timeout: float = 60,
) -> bytes | None:
    """A PNG of `box` on `page` (the whole page when box is None), about width_px wide; None
    when pdftoppm is missing or fails."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return None
    w, h = page_size
    cmd = [exe, "-png", "-f", str(page), "-l", str(page), "-singlefile"]
    if box is not None and w > 0 and h > 0:
        x0, y0 = max(0.0, box[0]), max(0.0, box[1])
        x1, y1 = min(w, box[2]), min(h, box[3])
        if x1 - x0 < MIN_SIDE_BP or y1 - y0 < MIN_SIDE_BP:
            box = None
        else:
            dpi = max(30, min(200, round(width_px * 72 / (x1 - x0))))
            k = dpi / 72
            cmd += ["-r", str(dpi), "-x", str(round(x0 * k)), "-y", str(round((h - y1) * k))]
            cmd += ["-W", str(round((x1 - x0) * k)), "-H", str(round((y1 - y0) * k))]
    if box is None:
        cmd += ["-scale-to", str(width_px)]
    cmd.append(str(pdf))
    from papertrack.pages.textlines import run_on_pdf

    done = run_on_pdf(cmd, pdf, timeout)
    png = done.stdout if done is not None and done.returncode == 0 else b""
    return png if png.startswith(b"\x89PNG") else None
