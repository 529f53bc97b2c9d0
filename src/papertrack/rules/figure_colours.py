"""PT804: series colours of a figure that colour-blind readers cannot tell apart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from papertrack.config import Config
from papertrack.facts import Float, Graphic
from papertrack.model.document import Document
from papertrack.model.graphics import resolve_graphic
from papertrack.rules.base import Hit, loc, rule
from papertrack.rules.figures import RASTER_EXTS, _by_content, _float_of

_CROPS = re.compile(r"\b(?:trim|clip|viewport|page|bb)\s*[=,\]]|\bclip\s*$")


def _is_figure(fl: Float) -> bool:
    """A figure float, or a float environment of the paper's own named like one (suppfigure)."""
    return fl.kind == "figure" or fl.env.rstrip("*").endswith("figure")


def _figure_images(doc: Document) -> Iterator[tuple[Graphic, Path]]:
    """Each image shown whole in a figure float, with its file (crops may hide colours)."""
    seen: set[tuple[str, int, int]] = set()
    for g in doc.graphics:
        key = (g.file, g.line, g.col)
        fl = _float_of(doc, g)
        if key in seen or "\\" in g.path or fl is None or not _is_figure(fl):
            continue
        seen.add(key)
        src = doc.project.files.get(g.file)
        if src is None or not 1 <= g.line <= len(src._line_starts):
            continue
        text = src.masked or src.text
        pos = src._line_starts[g.line - 1] + g.col - 1
        opts = re.match(r"\\includegraphics\s*(\*?)\s*(\[[^\]]*\])?\s*(\[)?", text[pos : pos + 400])
        if opts is None or opts.group(1) or opts.group(3) or _CROPS.search(opts.group(2) or ""):
            continue
        rel = resolve_graphic(doc, g.path, g.file)
        if rel is not None:
            yield g, doc.folder / rel


@rule(
    "PT804",
    "colour-blind-confusion",
    "info",
    "Two series colours of a figure look alike to colour-blind readers",
)
def colour_blind_confusion(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reads the colours a figure paints its lines, bars and areas with (the fill
    and stroke colours of a vector PDF, or the few flat colours of a PNG or JPEG plot), keeps
    the chromatic ones that cover a real part of the figure (not greys, text or a legend
    marker), and simulates how readers with deuteranopia or protanopia see them (Machado,
    Oliveira and Fernandes 2009, full severity). Reports two colours that are clearly distinct
    (CIEDE2000 difference of 20 or more) but become nearly the same (below 5) in simulation.
    Photographs and colour maps (more than 12 colours) are not read.

    Why it matters: about 1 in 12 men has a red-green colour vision deficiency. If two series
    differ only by a red/green (or blue/purple) hue, these readers cannot match lines to the
    legend.

    Example: a line plot with a red and a green line of similar lightness (#d62728, #2ca02c).

    Fix: use a colour-blind-safe palette (Okabe-Ito, Paul Tol's, viridis) or tell the series
    apart by markers, line styles or direct labels as well.
    """
    for g, path in _figure_images(doc):
        if path.suffix.lower() != ".pdf" and path.suffix.lower() not in RASTER_EXTS:
            continue
        found = _by_content("colour-confusions", path, _confusions)
        if not found:
            continue
        a, b, normal, simulated, deficiency = found[0]
        n = len(found) - 1
        more = f" (and {n} more pair{'s' if n > 1 else ''})" if n else ""
        yield Hit(
            f"in '{g.path}', colours {a} and {b} look alike with {deficiency} "
            f"(difference {simulated:.1f}; {normal:.0f} for normal vision){more}",
            loc(g),
            "use a colour-blind-safe palette (Okabe-Ito, Paul Tol's, viridis) or tell the series "
            "apart by markers, line styles or labels as well",
        )


def _confusions(path: Path) -> tuple[tuple[str, str, float, float, str], ...]:
    """The confusable series colour pairs of one image file (hex, hex, dE normal, dE sim, name)."""
    from papertrack.model.colourblind import confusions, series_colours
    from papertrack.parse.colours import pdf_colours, raster_colours

    swatches = pdf_colours(path) if path.suffix.lower() == ".pdf" else raster_colours(path)
    series = series_colours(swatches) if swatches else None
    found = confusions(series) if series and len(series) > 1 else []
    return tuple((c.a.hex, c.b.hex, c.normal, c.simulated, c.deficiency) for c in found)
