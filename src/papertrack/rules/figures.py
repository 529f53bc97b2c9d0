"""PT8xx: figures as the reader sees them: text size and sharpness at the printed size."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from pathlib import Path

from papertrack.config import Config
from papertrack.facts import Float, Graphic
from papertrack.model.document import Document
from papertrack.model.graphics import resolve_graphic
from papertrack.model.printsize import body_size, layout_of, printed_factor, sizing_at
from papertrack.model.queries import float_label as _main_label
from papertrack.parse.images import pdf_facts, raster_facts
from papertrack.rules.base import Hit, loc, rule

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


def _placed(doc: Document) -> Iterator[tuple[Graphic, Path, float, bool]]:
    """Each graphic with its file and the factor its content is scaled by when printed."""
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
        sizing = sizing_at(doc, g, _float_of(doc, g))
        if sizing is None:
            continue
        yield g, path, sizing, exact


@rule("PT801", "small-figure-text", "warning", "Text in a figure prints too small to read")
def small_figure_text(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reads the text of each vector PDF figure (axis labels, legends, tick labels)
    and scales its font size by the size at which the paper prints the figure (its
    \\includegraphics width, height or scale against the text block the build measured). Reports
    figures whose smallest text prints below 5 pt. Without a build the text block is the class's
    usual one, and only text clearly below 5 pt (by a 10% margin) is reported.

    Why it matters: readers look at the figures first. A matplotlib figure saved 6.4 in wide
    with 10 pt labels and printed in a 3.3 in column has 5.2 pt labels; at 4 pt they are a blur.

    Example: `\\includegraphics[width=\\columnwidth]{plot.pdf}` where plot.pdf is 9 in wide.

    Fix: make the figure at the size it is printed (figsize=(3.3, 2.5) for one column) or enlarge
    its fonts.
    """
    body = body_size(doc)
    for g, path, sizing, exact in _placed(doc):
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
        yield Hit(
            f"text in '{g.path}' prints at {about}{printed:.1f} pt (e.g. '{small.text}'); "
            f"the body text is {body:g} pt",
            loc(g),
            f"save the figure at its printed width ({facts.width_bp * factor / 72:.1f} in) "
            f"with fonts of {body * 0.8:.0f}-{body:g} pt, or enlarge its fonts "
            f"{MIN_TEXT_PT / printed:.1f}x",
        )


@rule("PT802", "low-resolution-image", "warning", "A bitmap image prints below 150 pixels per inch")
def low_resolution_image(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: computes the pixels per inch of each PNG, JPEG, TIFF or GIF image at the size
    the paper prints it (its \\includegraphics width, height or scale; at its natural size
    pdfTeX uses the image's own resolution, 72 ppi when it has none), and reports images below
    150 ppi.

    Why it matters: publishers ask for 300 ppi (IEEE, Elsevier); below half of that, text and
    lines in a screenshot or plot are visibly blurred in print and when the reader zooms in.

    Example: a 480x360 screenshot printed at `width=\\textwidth` (6.5 in): 74 ppi.

    Fix: export the plot as PDF (vector), or re-export the bitmap at 300 ppi at its printed size.
    """
    for g, path, sizing, exact in _placed(doc):
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
        printed_in = nat_w * factor / 72.27
        ppi = facts.width_px / printed_in
        limit = MIN_PPI if exact else MIN_PPI * STATIC_MARGIN
        if round(ppi) >= limit:
            continue
        about = "" if exact else "about "
        yield Hit(
            f"'{g.path}' ({facts.width_px}x{facts.height_px} px) prints {about}{printed_in:.1f} in "
            f"wide: {ppi:.0f} pixels per inch",
            loc(g),
            f"use a vector PDF, or a bitmap of at least {int(printed_in * 300)} px wide (300 ppi)",
        )


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


class _BackMatter:
    """Replays headings and includes in document order once, then tells whether a file:line:col
    lies in the appendix or after the bibliography."""

    def __init__(self, doc: Document) -> None:
        events: dict[str, list[tuple[int, int, str, object]]] = {}
        for sec in doc.sections:
            h = sec.heading
            back = sec.in_appendix or sec.after_bibliography
            events.setdefault(h.file, []).append((h.line, h.col, "h", back))
        for rel, incs in doc.project.includes.items():
            src = doc.project.files.get(rel)
            for inc in incs if src is not None else ():
                if inc.target in doc.project.files and inc.kind != "bib":
                    line, col = src.line_col(inc.pos)
                    events.setdefault(rel, []).append((line, col, "i", inc.target))
        for evs in events.values():
            evs.sort(key=lambda e: (e[0], e[1]))
        self._events = events
        self._marks: dict[str, list[tuple[int, int, bool]]] = {}
        self._replay(doc.main, False, [doc.main])

    def _replay(self, rel: str, back: bool, stack: list[str]) -> bool:
        marks = self._marks.setdefault(rel, [])
        if marks:
            return back  # a file included twice keeps its first placement
        marks.append((0, 0, back))
        for line, col, kind, value in self._events.get(rel, []):
            if kind == "h":
                back = bool(value)
            elif value not in stack and len(stack) < 64:
                back = self._replay(str(value), back, [*stack, str(value)])
            marks.append((line, col + (kind == "i"), back))
        return back

    def at(self, file: str, line: int, col: int) -> bool | None:
        """True in the appendix or back matter, False in the main text, None if not in the flow."""
        marks = self._marks.get(file)
        if not marks:
            return None
        i = bisect.bisect_right(marks, (line, col, True)) - 1
        return marks[i][2] if i >= 0 else None


@rule(
    "PT805",
    "figure-cited-only-in-appendix",
    "info",
    "A main-text figure is referenced only from the appendix",
)
def figure_cited_only_in_appendix(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a figure placed in the main text (before the appendix and the
    bibliography) whose every reference, including references to its sub-figures, comes from
    the appendix or after the bibliography. A figure that is never referenced is PT103's.

    Why it matters: the main text never tells the reader why the figure is there; it takes
    space within the page limit for material only the appendix discusses.

    Example: `\\begin{figure}...\\label{fig:ablation}` in Section 4, and
    `\\cref{fig:ablation}` only in Appendix B.

    Fix: discuss the figure in the main text, or move it to the appendix.
    """
    figures = [
        fl
        for fl in doc.floats
        if fl.kind == "figure" and not fl.in_appendix and not fl.after_bibliography
    ]
    if not figures:
        return
    where = _BackMatter(doc)
    refs: dict[str, list] = {}
    for r in doc.refs:
        refs.setdefault(r.name, []).append(r)
    for fl in figures:
        if where.at(fl.file, fl.line, fl.col) is not False:
            continue  # the float's own place in the flow is unknown
        found = [r for lb in fl.all_labels for r in refs.get(lb, [])]
        if not found:
            continue
        places = [where.at(r.file, r.line, r.col) for r in found]
        if all(p is True for p in places):
            first = found[0]
            yield Hit(
                f"figure '{_main_label(fl)}' is in the main text but referenced only from the "
                f"appendix ({first.file}:{first.line}"
                + (f" and {len(found) - 1} more" if len(found) > 1 else "")
                + ")",
                loc(fl),
                "refer to it in the main text, or move it to the appendix",
            )


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
    for rel in ("rules/figures.py", "model/colourblind.py", "parse/colours.py", "parse/images.py"):
        try:
            h.update((here / rel).read_bytes())
        except OSError:
            h.update(rel.encode())
    return h.hexdigest()[:16]


def _confusions(path: Path) -> tuple[tuple[str, str, float, float, str], ...]:
    """The confusable series colour pairs of one image file (hex, hex, dE normal, dE sim, name)."""
    from papertrack.model.colourblind import confusions, series_colours
    from papertrack.parse.colours import pdf_colours, raster_colours

    swatches = pdf_colours(path) if path.suffix.lower() == ".pdf" else raster_colours(path)
    series = series_colours(swatches) if swatches else None
    found = confusions(series) if series and len(series) > 1 else []
    return tuple((c.a.hex, c.b.hex, c.normal, c.simulated, c.deficiency) for c in found)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ELSEWHERE = re.compile(
    r"\bsee (?:the )?(?:main )?text\b|\b(?:described|explained|discussed) in the (?:main )?text\b",
    re.IGNORECASE,
)


@rule("PT803", "caption-not-standalone", "info", "A figure caption does not stand on its own")
def caption_not_standalone(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports figure captions of one or two words ("Results.", "Architecture") and
    captions that send the reader to the text ("see text for details").

    Why it matters: busy readers read the abstract and then only the figures; a caption that
    names the plot but not what it shows makes them hunt through the text.

    Example: `\\caption{Results.}` under a plot of accuracy against training time.

    Fix: say what the figure shows and what to notice: "Accuracy against training time: the
    pruned model reaches 90% in half the time."
    """
    for fl in doc.floats:
        if fl.kind != "figure" or fl.placeholder or len(fl.captions) != 1:
            continue
        text = " ".join(fl.captions[0].split())
        words = [w for w in re.split(r"\s+", text) if any(ch.isalnum() for ch in w)]
        # Chinese and Japanese write no spaces: each character counts as a word (as texcount)
        n = (
            len(words)
            + sum(1 for ch in text if _CJK.match(ch))
            - sum(1 for w in words if any(_CJK.match(ch) for ch in w))
        )
        if 1 <= n <= 2 and not fl.sub_labels:
            yield Hit(f"caption '{text}' names the figure but does not say what it shows", loc(fl))
        elif _ELSEWHERE.search(text):
            yield Hit(f"caption sends the reader to the text: '{text[:60]}'", loc(fl))
