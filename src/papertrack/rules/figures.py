"""PT8xx: figures as the reader sees them: text size and sharpness at the printed size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from papertrack.config import Config
from papertrack.facts import Float, Graphic
from papertrack.model.document import Document
from papertrack.model.graphics import resolve_graphic
from papertrack.model.printsize import body_size, layout_of, printed_factor, sizing_at
from papertrack.parse.images import pdf_facts, raster_facts
from papertrack.rules.base import Hit, loc, rule
from papertrack.rules.perfloat import one_per_float

# The smallest printed text any publisher guideline we found accepts: 5 pt (Nature's figure
# guide asks 5-7 pt; IEEE's Proceedings recommend 9-10 pt; GSA 7-12 pt). Below it, labels are
# unreadable on paper whatever the venue.
MIN_TEXT_PT = 5.0
# Publishers ask 300 ppi for photographs (IEEE, Elsevier) and more for line art; below half of
# that, blur and pixel steps are visible in print and when zooming a PDF.
MIN_PPI = 150.0
# A build measures the text block; a static guess can be ~10% off, so it needs that margin.
STATIC_MARGIN = 0.9
RASTER_EXTS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"}


def _float_of(doc: Document, g: Graphic) -> Float | None:
    """The float a graphic sits in: the last one opened before it in the same file."""
    best = None
    for fl in doc.floats:
        if fl.file != g.file or g.path not in fl.graphics:
            continue
        if (fl.line, fl.col) <= (g.line, g.col) and (
            best is None or (fl.line, fl.col) > (best.line, best.col)
        ):
            best = fl
    return best


def _placed(doc: Document) -> Iterator[tuple[Graphic, Path, float, bool, Float | None]]:
    """Each graphic with its file, the factor its content is scaled by when printed, and its
    float."""
    exact = layout_of(doc).exact
    seen: set[tuple[str, int, int]] = set()
    for g in doc.graphics:
        key = (g.file, g.line, g.col)
        if key in seen or "\\" in g.path:
            continue
        seen.add(key)
        rel = resolve_graphic(doc, g.path, g.file)
        if rel is None:
            continue
        path = doc.folder / rel
        fl = _float_of(doc, g)
        sizing = sizing_at(doc, g, fl)
        if sizing is None:
            continue
        yield g, path, sizing, exact, fl


@rule("PT801", "small-figure-text", "warning", "Text in a figure prints too small to read")
def small_figure_text(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reads the text of each vector PDF figure (axis labels, legends, tick labels)
    and scales its font size by the size at which the paper prints the figure (its
    \\includegraphics width, height or scale against the text block the build measured). Reports
    figures whose smallest text prints below 5 pt. Without a build the text block is the class's
    usual one, and only text clearly below 5 pt (by a 10% margin) is reported. Several such
    graphics in one float (a grid of sub-figures, a table of drawings) are one finding, at the
    smallest text, with the others as related locations.

    Why it matters: readers look at the figures first. A matplotlib figure saved 6.4 in wide
    with 10 pt labels and printed in a 3.3 in column has 5.2 pt labels; at 4 pt they are a blur.

    Example: `\\includegraphics[width=\\columnwidth]{plot.pdf}` where plot.pdf is 9 in wide.

    Fix: make the figure at the size it is printed (figsize=(3.3, 2.5) for one column) or enlarge
    its fonts.
    """
    body = body_size(doc)
    found: list[tuple[Float | None, float, Hit]] = []
    for g, path, sizing, exact, fl in _placed(doc):
        if path.suffix.lower() != ".pdf":
            continue
        facts = _by_content("pdf-facts", path, pdf_facts)
        if facts is None or not facts.runs:
            continue
        # the options speak TeX points, the PDF big points
        bp = 72.27 / 72
        factor = printed_factor(sizing, facts.width_bp * bp, facts.height_bp * bp)
        small = facts.smallest()
        if factor is None or small is None:
            continue
        printed = small.size * factor
        limit = MIN_TEXT_PT if exact else MIN_TEXT_PT * STATIC_MARGIN
        if round(printed, 1) >= limit:
            continue  # the message shows one decimal: never "prints at 5.0 pt" as too small
        about = "" if exact else "about "
        hit = Hit(
            f"text in '{g.path}' prints at {about}{printed:.1f} pt (e.g. '{small.text}'); "
            f"the body text is {body:g} pt",
            loc(g),
            f"save the figure at its printed width ({facts.width_bp * factor / 72:.1f} in) "
            f"with fonts of {body * 0.8:.0f}-{body:g} pt, or enlarge its fonts "
            # to the smallest of those sizes: reaching 5 pt ('1.0x' at 4.8 pt) reads no better
            f"{body * 0.8 / printed:.1f}x",
        )
        found.append((fl, printed, hit))
    yield from one_per_float(found, f"graphics with text below {MIN_TEXT_PT:g} pt")


@rule("PT802", "low-resolution-image", "warning", "A bitmap image prints below 150 pixels per inch")
def low_resolution_image(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: computes the pixels per inch of each PNG, JPEG, TIFF or GIF image at the size
    the paper prints it (its \\includegraphics width, height or scale; at its natural size
    pdfTeX uses the image's own resolution, 72 ppi when it has none), and reports images below
    150 ppi; several in one float are one finding, at the lowest resolution.

    Why it matters: publishers ask for 300 ppi (IEEE, Elsevier); below half of that, text and
    lines in a screenshot or plot are visibly blurred in print and when the reader zooms in.

    Example: a 480x360 screenshot printed at `width=\\textwidth` (6.5 in): 74 ppi.

    Fix: export the plot as PDF (vector), or re-export the bitmap at 300 ppi at its printed size.
    """
    found: list[tuple[Float | None, float, Hit]] = []
    for g, path, sizing, exact, fl in _placed(doc):
        if path.suffix.lower() not in RASTER_EXTS:
            continue
        facts = raster_facts(path)
        if facts is None:
            continue
        dpi = _stored_dpi(path)
        nat_w = facts.width_px / dpi * 72.27
        nat_h = facts.height_px / dpi * 72.27
        factor = printed_factor(sizing, nat_w, nat_h)
        if factor is None or factor <= 0:
            continue
        # width and height both given (no keepaspectratio) stretch the image: each way has its
        # own resolution, and the lower one is what blurs
        stretched = sizing.width is not None and sizing.height is not None
        stretched = stretched and not sizing.keepaspectratio
        printed_in = (sizing.width if stretched else nat_w * factor) / 72.27  # type: ignore[operator]
        high_in = nat_h * factor / 72.27
        ppi = min(facts.width_px / printed_in, facts.height_px / high_in)
        limit = MIN_PPI if exact else MIN_PPI * STATIC_MARGIN
        if round(ppi) >= limit:
            continue
        about = "" if exact else "about "
        wide = f"{printed_in:.1f} in wide"
        size = f"{printed_in:.1f} x {high_in:.1f} in, stretched" if stretched else wide
        hit = Hit(
            f"'{g.path}' ({facts.width_px}x{facts.height_px} px) prints {about}{size}: "
            f"{ppi:.0f} pixels per inch",
            loc(g),
            f"use a vector PDF, or a bitmap of at least {int(printed_in * 300)} px wide (300 ppi)",
        )
        found.append((fl, ppi, hit))
    yield from one_per_float(found, f"bitmaps below {MIN_PPI:g} ppi")


def _stored_dpi(path: Path) -> float:
    """The resolution pdfTeX uses at natural size: the image's own, else 72."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            dpi = im.info.get("dpi")
    except Exception:
        return 72.0
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    return x if 1 <= x <= 10000 else 72.0


_CACHE: list = []
MAX_IMAGE_BYTES = 64 * 1024 * 1024


def _by_content(kind: str, path: Path, compute):
    """compute(path), cached by the file's content (parse cache, keyed with papertrack's code):
    pypdf and Pillow take up to seconds per figure, a warm check reads each version once."""
    from papertrack.parse import cache as cachemod

    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if not _CACHE:
        _CACHE.append((cachemod.Cache(), _fingerprint()))
    cache, fingerprint = _CACHE[0]
    k = cachemod.key(kind, fingerprint, path.suffix.lower(), data)
    hit = cache.get(k)
    if isinstance(hit, dict) and hit.get("kind") == kind:
        return hit.get("value")
    value = compute(path)
    cache.put(k, {"kind": kind, "value": value})
    return value


def _fingerprint() -> str:
    """The code whose results are cached (the parse cache's own key covers parse/ only): a
    changed threshold must not read results its older self cached."""
    import hashlib

    here = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for rel in (
        "rules/figures.py",
        "rules/figure_colours.py",
        "model/colourblind.py",
        "model/refpages.py",
        "parse/colours.py",
        "parse/images.py",
    ):
        try:
            h.update((here / rel).read_bytes())
        except OSError:
            h.update(rel.encode())
    return h.hexdigest()[:16]
