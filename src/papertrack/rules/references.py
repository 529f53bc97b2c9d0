"""PT1xx: labels, references, floats and graphics."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.model.graphics import (
    IMAGE_EXTS,
    absolute_missing,
    case_missing,
    relative_twin,
    resolve_graphic,
    source_missing,
)
from papertrack.model.pythontex import made_by_code, python_code
from papertrack.model.queries import float_label
from papertrack.project.files import inside, is_file
from papertrack.project.tree import preamble_missing
from papertrack.rules.base import Hit, loc, rule

_EXTERNAL_DOC = re.compile(r"\\externaldocument|\\externalcitedocument|\\zexternaldocument")


# Labels a package writes itself: \\pageref{LastPage} prints the page count with lastpage.
PACKAGE_LABELS = {
    "lastpage": ("LastPage",),
    "pageslts": ("LastPage", "LastPages", "VeryLastPage"),
    "totpages": ("TotPages",),
}


@rule("PT101", "undefined-reference", "error", "A reference to a label that is never defined")
def undefined_reference(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports \\ref, \\cref, \\autoref, \\eqref, \\nameref, \\vref, \\pageref (and your
    own macros that wrap them, such as `\\newcommand{\\figref}[1]{Figure~\\ref{#1}}`) whose label
    is defined nowhere in the reachable source. Silent when labels may live elsewhere: another
    document (xr), a preamble file that is missing (its commands may make the labels), or
    the Python of a pythontex paper that names the label (its output defines it).

    Why it matters: the PDF shows "??" where the reader expects "Figure 3".

    Example: `see \\cref{fig:overveiw}` with `\\label{fig:overview}`.

    Fix: correct the label name (labels are case-sensitive), or restore the \\label that was
    commented out.
    """
    if any(_EXTERNAL_DOC.search(f.masked) for f in doc.project.files.values()):
        return  # labels may live in another document (xr): cannot be checked from this source
    if preamble_missing(doc.project):
        return  # the commands that make its labels are defined there; PT001 names the file
    defined = {lb.name for lb in doc.labels}
    loaded = {name for name, _o in doc.packages}
    defined |= {lb for pkg, names in PACKAGE_LABELS.items() if pkg in loaded for lb in names}
    code = python_code(doc)
    for r in doc.refs:
        if r.name in defined or made_by_code(r.name, code):
            continue  # (a label pythontex's Python prints is defined once PythonTeX runs)
        close = difflib.get_close_matches(r.name, defined, n=1, cutoff=0.85)
        lower = {d.lower(): d for d in defined}
        fix = None
        if r.name.lower() in lower:
            fix = f"did you mean '{lower[r.name.lower()]}'? labels are case-sensitive"
        elif close:
            fix = f"did you mean '{close[0]}'?"
        yield Hit(f"undefined reference '{r.name}' (\\{r.macro})", loc(r), fix)


@rule("PT102", "duplicate-label", "error", "The same label is defined twice")
def duplicate_label(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a \\label whose name was already defined elsewhere in the document.

    Why it matters: LaTeX keeps the last definition and warns "multiply defined"; references
    silently point at the wrong figure or section.

    Example: `\\label{fig:protocol}` in both the method section and the appendix.

    Fix: rename one label and update the references to it.
    """
    places: dict[str, list[Location]] = {}
    for lb in doc.labels:
        if lb.context == "listing-escape":
            continue  # a \\label in code may be the code's text, not LaTeX: never a duplicate
        places.setdefault(lb.name, []).append(loc(lb))
    for name, where in places.items():
        first, *again = where
        if len(again) > 1:  # one label copied onto many floats: one thing to fix
            yield Hit(
                f"label '{name}' is defined {len(where)} times (first at {first})",
                again[0],
                "give each its own label",
                related=(first, *again[1:]),
            )
            continue
        for at in again:
            yield Hit(
                f"label '{name}' is defined twice: {at.file} is read twice"
                if at == first  # the file holding it is read twice
                else f"label '{name}' is already defined at {first}",
                at,
                "rename one of the two labels",
                related=(first,),
            )


@rule("PT103", "unreferenced-float", "warning", "A figure or table is never referenced in the text")
def unreferenced_float(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports figures and tables none of whose labels (including sub-figure labels)
    is referenced by \\ref, \\cref, \\autoref or any macro wrapping them.

    Why it matters: reviewers and style guides expect every float to be discussed; an
    unreferenced figure is often one that no longer belongs in the paper.

    Example: `\\begin{figure}...\\label{fig:ablation}\\end{figure}` and no `\\ref{fig:ablation}`.

    Fix: refer to it where the text discusses it ("as \\cref{fig:ablation} shows"), or remove it.
    """
    referenced = doc.referenced_labels()
    for fl in doc.floats:
        if fl.kind not in ("figure", "table") or not fl.all_labels:
            continue
        if not any(lb in referenced for lb in fl.all_labels):
            yield Hit(
                f"{fl.kind} '{float_label(fl)}' is never referenced",
                loc(fl),
                f"add \\ref{{{float_label(fl)}}} where the text discusses it",
            )


@rule("PT104", "float-without-label", "warning", "A figure or table has no \\label")
def float_without_label(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports figures and tables without any \\label (one with no caption either
    is PT105's: it has no number to refer to until it has a caption).

    Why it matters: a float without a label cannot be referenced, so the text cannot point the
    reader to it.

    Example: `\\begin{table}\\caption{Results}...\\end{table}`.

    Fix: add `\\label{tab:results}` right after the \\caption.
    """
    for fl in doc.floats:
        # a float with no caption has no number to refer to: PT105's fix (a caption, then the
        # label) is the one thing to do
        if fl.kind in ("figure", "table") and not fl.all_labels and not _uncaptioned(fl):
            yield Hit(
                f"{fl.kind} has no \\label, so it cannot be referenced",
                loc(fl),
                "add \\label{...} after the \\caption",
            )


@rule("PT105", "float-without-caption", "warning", "A figure or table has no \\caption")
def float_without_caption(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports figures and tables with no \\caption (sub-captions count, and so
    does a code listing's own `caption=` option, which prints "Listing N: ...").

    Why it matters: the float gets no number, is missing from the list of figures, and a \\label
    inside it refers to the enclosing section instead.

    Example: `\\begin{figure}\\includegraphics{plot}\\label{fig:plot}\\end{figure}`.

    Fix: add `\\caption{...}` before the \\label.
    """
    for fl in doc.floats:
        if _uncaptioned(fl):
            yield Hit(
                f"{fl.kind} has no \\caption",
                loc(fl),
                "add \\caption{...} and put the \\label after it",
            )


def _uncaptioned(fl) -> bool:
    """A figure or table with no caption of any kind (sub-captions and a listing's own count)."""
    return (
        fl.kind in ("figure", "table")
        and not fl.captions
        and not fl.sub_labels
        and not fl.empty_caption
        and not fl.code_caption
    )


@rule(
    "PT106", "missing-graphics-file", "error", "\\includegraphics names a file that does not exist"
)
def missing_graphics(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports \\includegraphics whose file is not found, searching the folders of
    \\graphicspath and LaTeX's extension list (.pdf, .png, .jpg, .eps, ...), as pdfLaTeX does. A
    file name in other letter case is found, as TeX Live finds it (`figs/plot` opens
    figs/Plot.pdf); a folder in other letter case (`Figures/` for figures/) is not, and the
    finding says so; many such names, many absolute paths from the author's machine, or many files
    that exist only as drawings (fig.svg for fig.pdf: a Makefile or the editor exports them) are one
    finding.

    Why it matters: the build stops with "File not found", or draft mode shows an empty box.

    Example: `\\includegraphics{Figs/results}` when the file is figs/results.pdf.

    Fix: add the file or correct the path (names are case-sensitive on Linux and in CI).
    """
    absolute = absolute_missing(doc)
    if len(absolute) > 1:  # one cause: paths from the author's machine, however many figures
        first = absolute[0]
        twin = relative_twin(doc, first)
        yield Hit(
            f"{len(absolute)} graphics files named by absolute paths that do not exist here,"
            f" such as '{first.path}'",
            loc(first),
            f"name them relative to the paper folder ('{twin}')"
            if twin
            else "name them relative to the paper folder",
            related=tuple(loc(g) for g in absolute[1:]),
        )
    grouped = {id(g) for g in absolute} if len(absolute) > 1 else set()
    cased = [(g, twin) for g, twin in case_missing(doc) if id(g) not in grouped]
    if len(cased) > 1:  # one cause: a folder written in other case, however many figures
        (first, twin), *rest = cased
        yield Hit(
            f"{len(cased)} graphics files are named in other letter case than the files, such"
            f" as '{first.path}' for '{twin}': names are case-sensitive on Linux",
            loc(first),
            "write each name as the file is named",
            related=tuple(loc(g) for g, _t in rest),
        )
        grouped |= {id(g) for g, _t in cased}
    made = [(g, src) for g, src in source_missing(doc) if id(g) not in grouped]
    if len(made) > 1:  # one cause: a build step (Makefile, editor export) papertrack never runs
        (first, src), *rest = made
        kinds = sorted({PurePosixPath(s).suffix for _g, s in made})
        yield Hit(
            f"{len(made)} graphics files are missing whose drawings are here ({', '.join(kinds)}),"
            f" such as '{first.path}' from '{src}': a build step makes them, TeX does not",
            loc(first),
            "export them (inkscape --export-type=pdf, dot -Tpdf; your Makefile may do it) and"
            " add the files, or include what TeX can read",
            related=tuple(loc(g) for g, _s in rest),
        )
        grouped |= {id(g) for g, _s in made}
    drawings = {id(g): s for g, s in made}
    twins = {id(g): t for g, t in cased}
    for g in doc.graphics:
        if "\\" in g.path or "#" in g.path or id(g) in grouped:
            continue  # built from a macro: cannot be resolved without TeX
        if id(g) in twins:
            yield Hit(
                f"graphics file '{g.path}' not found: the file is '{twins[id(g)]}' (names are"
                " case-sensitive on Linux)",
                loc(g),
                f"write '{twins[id(g)]}'",
            )
        elif id(g) in drawings:
            yield Hit(
                f"graphics file '{g.path}' not found: only its drawing '{drawings[id(g)]}' is"
                " here, which TeX does not convert",
                loc(g),
                "export the drawing to PDF and add it, or include what TeX can read",
            )
        elif resolve_graphic(doc, g.path, g.file) is None:
            yield Hit(
                f"graphics file '{g.path}' not found", loc(g), "add the file or correct the path"
            )


@rule("PT107", "unused-graphics-file", "info", "An image in a figures folder is never included")
def unused_graphics(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: lists image files in folders the paper takes figures from that no
    \\includegraphics uses.

    Why it matters: stale figures bloat the submission archive, and sometimes the one that is
    not included is the one you meant to include.

    Example: figures/results_v2.pdf next to the included figures/results.pdf.

    Fix: delete it, or include it.
    """
    if doc.diagnostics_for("missing-include"):
        return  # a file that is not there may include them, or define the command that does
    used: set[str] = set()
    for g in doc.graphics:
        r = resolve_graphic(doc, g.path, g.file)
        if r:
            used.add(r)
    for incs in doc.project.includes.values():
        for i in incs:
            if i.target:
                used.add(i.target)
    used.update(doc.project.package_graphics)  # the paper's own class file includes these
    used.update(t for _g, t in case_missing(doc))  # named in other case: PT106 says so
    dirs = {str(PurePosixPath(u).parent) for u in used}
    elsewhere = _other_documents_graphics(doc)
    tex_stems = {
        PurePosixPath(f).with_suffix("").as_posix()
        for f in doc.project.all_files
        if f.endswith(".tex")
    }
    for f in doc.project.all_files:
        p = PurePosixPath(f)
        if p.suffix.lower() not in IMAGE_EXTS or f in used or str(p.parent) not in dirs:
            continue
        if p.stem in elsewhere:
            continue  # another document of the folder (a supplement, a poster) shows it
        if p.with_suffix("").as_posix() in used:
            continue  # fig.pdf beside the extensionless fig it names: which one TeX opens varies
        if p.with_suffix("").as_posix() in tex_stems or p.stem.endswith("-eps-converted-to"):
            continue  # a compiled PDF of a .tex file, or a conversion output
        if str(p.parent) == (doc.project.workdir or ".") and p.suffix.lower() == ".pdf":
            continue  # PDFs beside the main file are usually compiled papers, not figures
        yield Hit(f"{f} is never included", Location(f, 1, 1))


_INCLUDEGRAPHICS = re.compile(r"\\includegraphics\*?\s*(?:\[[^\]]*\]\s*)?\{([^{}]+)\}")


def _other_documents_graphics(doc: Document) -> set[str]:
    """Stems of the images the folder's .tex files outside this document include: a
    supplement built beside the paper (latexmkrc lists both) uses figures the paper does not."""
    out: set[str] = set()
    others = [f for f in doc.project.all_files if f.endswith(".tex") and f not in doc.project.files]
    for f in others[:200]:  # a bound: a folder of hundreds of .tex files is not one paper
        path = doc.project.folder / f
        # a regular file inside the folder only: a named pipe called x.tex blocked the check
        # forever, and a link may point anywhere
        if not is_file(path) or not inside(doc.project.folder, path):
            continue
        try:
            if path.stat().st_size > 2_000_000:
                continue
            text = path.read_text(errors="replace")
        except OSError:
            continue
        text = re.sub(r"(?<!\\)%.*", "", text)
        out.update(PurePosixPath(m.strip()).stem for m in _INCLUDEGRAPHICS.findall(text))
    return out
