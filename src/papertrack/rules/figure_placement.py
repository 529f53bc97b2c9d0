"""PT805-PT806: where figures are printed against where the text refers to them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from papertrack.config import Config
from papertrack.facts import Float
from papertrack.model.document import Document
from papertrack.model.flowmarks import FlowMarks
from papertrack.model.queries import float_label as _main_label
from papertrack.model.refpages import PdfLinks, label_anchors, pdf_links
from papertrack.rules.base import Hit, loc, rule
from papertrack.rules.figure_colours import _is_figure
from papertrack.rules.figures import _by_content

# a section that collects the figures at the end, as journals ask of a submitted manuscript:
# its figures are far from their references by design
# a float written this many source lines after its reference is where the reference is
FOLLOW_LINES = 12
_FIGURES_AT_END = re.compile(
    r"(?:list of )?(?:figures?|tables?|figures?(?: and |\s*&\s*)tables?|tables?(?: and |\s*&\s*)"
    r"figures?|figure (?:captions|legends))\.?",
    re.IGNORECASE,
)


class _BackMatter:
    """Tells whether a file:line:col lies in the appendix, after the bibliography or in a
    section that collects the figures at the end."""

    def __init__(self, doc: Document) -> None:
        back = [
            sec.in_appendix
            or sec.after_bibliography
            or _FIGURES_AT_END.fullmatch(sec.title.strip()) is not None
            for sec in doc.sections
        ]
        self._flow = FlowMarks(doc, back, False)

    def at(self, file: str, line: int, col: int) -> bool | None:
        """True in the appendix or back matter, False in the main text, None if not in the flow."""
        return self._flow.at(file, line, col)


def _refs_by_label(doc: Document) -> dict[str, list]:
    """The source's references grouped by the label they name."""
    out: dict[str, list] = {}
    for r in doc.refs:
        out.setdefault(r.name, []).append(r)
    return out


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
    refs = _refs_by_label(doc)
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


# How far a float may land from the text that refers to it and still be where LaTeX puts it: on
# the page of the reference, at the top of the next one (figure* in two columns never lands
# earlier), or on the page before when it opens the page whose text refers to it.
NEAR_PAGES = 1
# A figure on the first two pages, ahead of every reference, is the paper's teaser or overview
# figure, placed there on purpose (common in two-column papers)
TEASER_PAGES = 2
_FIGURE_ANCHOR = re.compile(r"[A-Za-z@]*figure\*?\.")
# Links from the list of figures are not references in the text. Its pages: from the probe's
# mark of its heading to the next heading; else (memoir sets it without \chapter) a page that
# links mostly to figures, 3+ of them printed 6+ pages apart: text near a figure does not.
LOF_MIN_FIGURES = 3
LOF_MIN_SPREAD = 6
LOF_MIN_SHARE = 0.6  # most of its links: captions' citations are the rest


def _lof_pages(doc: Document, links: PdfLinks, anchors: set[str], lof_file: bool) -> set[int]:
    """The pages of the list of figures (empty without one)."""
    pages: set[int] = set()
    probe = getattr(getattr(doc, "compile", None), "probe", None)
    heads = [m for m in getattr(probe, "marks", None) or [] if m.kind == "SEC"]
    for i, m in enumerate(heads):
        if "listfigurename" in m.title or "listoffigures" in m.title:
            end = heads[i + 1].page if i + 1 < len(heads) else m.page + 1
            pages.update(range(m.page, max(m.page + 1, end)))
    if not lof_file:
        return pages
    per_page: dict[int, set[str]] = {}
    on_page: dict[int, int] = {}  # every link of the page, to figures or not
    for name, at_pages in links.link_pages.items():
        for p in at_pages:
            on_page[p] = on_page.get(p, 0) + 1
            if name in anchors:
                per_page.setdefault(p, set()).add(name)
    for p, names in per_page.items():
        at = [links.dest_page[n] for n in names]
        to_figures = sum(links.link_pages[n].count(p) for n in names)
        if (
            len(names) >= LOF_MIN_FIGURES
            and max(at) - min(at) >= LOF_MIN_SPREAD
            and to_figures >= LOF_MIN_SHARE * on_page[p]
        ):
            pages.add(p)
    return pages


def _placements(doc: Document) -> Iterator[tuple[Float, int, list[int]]]:
    """Each main-text figure with its printed page and the pages of the links to it (physical
    PDF pages), from the build; nothing without a build, hyperref links or anchors."""
    build = getattr(doc, "compile", None)
    pdf, out_dir = getattr(build, "pdf", None), getattr(build, "out_dir", None)
    # a build with errors still counts when it wrote a fresh PDF (compile sets pdf only then):
    # the figure's page and the links' pages both come from that one PDF, and the .aux gives
    # only anchor names, which do not change from one pass to the next
    if pdf is None or out_dir is None:
        return
    if any(name == "endfloat" for name, _ in doc.packages):
        return  # every figure is printed at the end by design
    if getattr(getattr(doc, "record", None), "missing_graphics", None):
        # TeX typeset each image it could not load as a stand-in of another size, so floats
        # land where they would not in the paper (tog-2018-frankengan: 7 dropped figure PDFs
        # pushed 4 figures 2-3 pages from their references)
        return
    if getattr(build, "needs_shell_escape", False):
        # minted or svg stopped at each block (papertrack never grants shell escape): the code
        # listings and drawings are missing from the PDF, so floats land elsewhere than in the
        # paper, as with images TeX could not load
        return
    anchors = label_anchors(Path(out_dir))
    figures = [fl for fl in doc.floats if _is_figure(fl)]
    referenced = {r.name for r in doc.refs}
    if not any(
        not (fl.in_appendix or fl.after_bibliography)
        and any(
            lb in referenced and _FIGURE_ANCHOR.match(anchors.get(lb, "")) for lb in fl.all_labels
        )
        for fl in figures
    ):
        return  # no figure to judge: do not pay for reading the PDF (seconds on some papers)
    links = _by_content("pdf-links", Path(pdf), pdf_links)
    if links is None or not links.links:
        return
    fig_anchors: dict[int, list[str]] = {}
    for i, fl in enumerate(figures):
        names = [anchors[lb] for lb in fl.all_labels if lb in anchors]
        fig_anchors[i] = [a for a in names if _FIGURE_ANCHOR.match(a) and a in links.dest_page]
    every = {a for names in fig_anchors.values() for a in names}
    # an anchor two floats share (a label before its \caption takes the previous figure's) says
    # nothing about either
    owners: dict[str, int] = {}
    for names in fig_anchors.values():
        for a in set(names):
            owners[a] = owners.get(a, 0) + 1
    lof = _lof_pages(doc, links, every, any(Path(out_dir).rglob("*.lof")))
    for i, fl in enumerate(figures):
        own = [a for a in fig_anchors[i] if owners[a] == 1]
        main = [anchors[lb] for lb in fl.labels if lb in anchors and anchors[lb] in own]
        if not own or not main:
            continue
        page = links.dest_page[main[0]]
        refs = sorted(p for a in own for p in links.link_pages.get(a, ()) if p not in lof)
        yield fl, page, refs


def _numbered(doc: Document, page: int) -> str:
    """' (numbered 27)' when the page's own number (the probe's record) is not its PDF index."""
    probe = getattr(getattr(doc, "compile", None), "probe", None)
    geom = (getattr(probe, "pages", None) or {}).get(page)
    folio = getattr(geom, "folio", None)
    return f" (numbered {folio})" if isinstance(folio, int) and 0 < folio != page else ""


@rule(
    "PT806",
    "figure-far-from-reference",
    "warning",
    "A figure is printed more than a page away from every reference to it",
)
def figure_far_from_reference(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: takes, from the compiled PDF, the page each main-text figure is printed on
    and the pages of the text's references to it (to the figure or its sub-figures, as the
    links hyperref makes for \\ref, \\cref, \\autoref and \\subref), and reports a figure that
    no reference is within one page of: printed two or more pages after the text last referred
    to it, or two or more pages before the text first does. A float on the page of its reference,
    at the top of the next page (where figure* always goes in two columns) or opening the page
    whose text refers to it is where LaTeX puts floats, and is not reported.

    It needs the build: without a compile (--no-compile) it stays silent, never guesses. It is
    also silent without hyperref's links (no hyperref, as AAAI asks, or hyperref's
    draft/nolinks), with endfloat, when the build could not load an image (its stand-in has
    another size, so floats land elsewhere than in the paper; PT106 reports the image) or
    stopped at each code listing for want of shell escape (PT707), and for
    a figure whose references the build did not link (no link to it at all, or fewer links than
    references in the source). Links from the list of
    figures are not references. A figure on page 1 or 2 that the text refers to only later is
    the paper's opening (teaser) figure and is not reported. Figures in the appendix are not
    checked (the main text often refers to them by design), nor figures referenced only from the
    appendix (PT805's).

    Why it matters: a reader who meets "Figure 3 shows" turns to the figure; two pages away,
    they lose their place, and a figure met long before the text explains it is skipped.

    Example: `\\begin{figure}` written at the end of Section 5 while Section 2 (page 3) is the
    only text that refers to it; LaTeX prints it on page 7.

    Fix: move the figure's source next to the paragraph that first refers to it, and let it
    float ([tbp]); in two columns, put a figure* before the reference's paragraph.
    """
    placements = list(_placements(doc))
    if not placements:
        return
    where = _BackMatter(doc)
    by_name = _refs_by_label(doc)
    for fl, page, refs in placements:
        if (
            fl.in_appendix
            or fl.after_bibliography
            or where.at(fl.file, fl.line, fl.col) is not False
        ):
            continue
        source = [r for lb in fl.all_labels for r in by_name.get(lb, [])]
        if not source or not refs or len(refs) < len(source):
            continue  # a reference the build did not link may be the near one
        if all(where.at(r.file, r.line, r.col) is True for r in source):
            continue  # referenced only from the appendix: PT805's
        if any(abs(p - page) <= NEAR_PAGES for p in refs):
            continue
        before = [p for p in refs if p < page]
        after = [p for p in refs if p > page]
        if not before and page <= TEASER_PAGES:
            continue  # a figure that opens the paper before the text gets to it: by design
        name = _main_label(fl)
        if before and not after:
            what = (
                f"{page - before[-1]} pages after the last reference to it "
                f"(page {before[-1]}"
                + (f"; first on page {before[0]}" if before[0] != before[-1] else "")
                + ")"
            )
        elif after and not before:
            what = f"{after[0] - page} pages before the first reference to it (page {after[0]})"
        else:
            what = f"between its references on pages {before[-1]} and {after[0]}"
        fix = (
            "move the figure's source next to the paragraph that first refers to it "
            "(in two columns, a figure* just before that paragraph)"
        )
        if before and not after and _follows_its_reference(fl, source):
            # the source is already where the text refers to it: earlier floats held it back
            fix = (
                "its source already follows the reference: LaTeX held it behind earlier "
                "floats; make the figures smaller, allow [!htbp], or flush them with \\clearpage"
            )
        yield Hit(
            f"figure '{name}' is printed on page {page} of the PDF{_numbered(doc, page)}, {what}",
            loc(fl),
            fix,
        )


def _follows_its_reference(fl: Float, refs: list) -> bool:
    """Whether the float's source comes within a few lines after a reference to it."""
    return any(r.file == fl.file and 0 <= fl.line - r.line <= FOLLOW_LINES for r in refs)
