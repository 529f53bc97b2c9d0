"""Which project file `\\includegraphics{path}` means, with LaTeX's folder and extension search."""

from __future__ import annotations

from pathlib import PurePosixPath

from papertrack.facts import Graphic
from papertrack.model.document import Document
from papertrack.project.search import TIKZSCALE_EXTS, SearchPath

# pdfTeX's default \DeclareGraphicsExtensions order, plus .eps (epstopdf converts it)
GRAPHICS_SEARCH = (
    ".pdf",
    ".png",
    ".jpg",
    ".mps",
    ".jpeg",
    ".jbig2",
    ".jb2",
    ".PDF",
    ".PNG",
    ".JPG",
    ".JPEG",
    ".eps",
    ".ps",
)
IMAGE_EXTS = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".eps",
    ".ps",
    ".svg",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".mps",
}


def resolve_graphic(doc: Document, path: str, from_file: str) -> str | None:
    """The project file \\includegraphics{path} uses, with LaTeX's folder and extension search."""
    # asked once per graphic and document: PT106 and PT107 both resolve every graphic
    memo = doc.__dict__.setdefault("_graphics_memo", {})
    key = (path, str(PurePosixPath(from_file).parent))
    if key not in memo:
        memo[key] = _resolve_graphic(doc, path, from_file)
    return memo[key]


def _resolve_graphic(doc: Document, path: str, from_file: str) -> str | None:
    path = path.strip().strip('"')
    has_ext = PurePosixPath(path).suffix.lower() in IMAGE_EXTS | {".jbig2", ".jb2"}
    exts = ("",) if has_ext else ("", *GRAPHICS_SEARCH)
    if not has_ext and any(name == "tikzscale" for name, _o in doc.packages):
        exts = ("", *TIKZSCALE_EXTS, *GRAPHICS_SEARCH)  # declared before the others
    # TeX's own search: the root's folder, the \import folder, \graphicspath, TEXINPUTS
    found = doc.project.find_graphic(path, from_file, exts)
    if found is None:
        # TeX Live's kpathsea retries a file name (not its folders) in any letter case
        # (texmf_casefold_search): figs/plot opens figs/Plot.pdf
        found = _case_match(doc, path, from_file, exts, name_only=True)
    return found


def outside_folder(rel: str) -> bool:
    """Whether a file the source reaches (`../figs/a.pdf`, `/data/a.pdf`) lies outside the paper
    folder, where the build's copy of the folder cannot reach it."""
    return rel.startswith(("../", "/"))


def graphics_outside(doc: Document) -> list[Graphic]:
    """The graphics TeX opens from outside the paper folder (a \\graphicspath{{../notebooks/}}
    of a paper checked from its own subfolder), in document order."""
    return [
        g
        for g in doc.graphics
        if "\\" not in g.path
        and (found := resolve_graphic(doc, g.path, g.file)) is not None
        and outside_folder(found)
    ]


def absolute_missing(doc: Document) -> list[Graphic]:
    """The graphics named by an absolute path that does not exist here (`/home/ann/paper/fig.png`
    from the author's machine), in document order: one cause, however many figures."""
    return [
        g
        for g in doc.graphics
        if "\\" not in g.path
        and "#" not in g.path
        and g.path.strip().strip('"').startswith(("/", "~"))
        and resolve_graphic(doc, g.path, g.file) is None
    ]


def relative_twin(doc: Document, g: Graphic) -> str | None:
    """The shortest tail of an absolute graphics path that the paper folder holds
    (`images/fig.png` for `/home/ann/paper/images/fig.png`), or None."""
    parts = PurePosixPath(g.path.strip().strip('"')).parts[1:]
    for i in range(len(parts) - 1, 0, -1):
        tail = "/".join(parts[i:])
        if resolve_graphic(doc, tail, g.file) is not None:
            return tail
    return None


def case_twin(doc: Document, g: Graphic) -> str | None:
    """The project file a missing graphic names in other letter case (`Figures/plot` for
    figures/plot.pdf), where TeX looks for it: found on macOS and Windows, not on Linux (TeX
    Live retries only the file name in other case, and resolve_graphic finds those)."""
    name = g.path.strip().strip('"')
    has_ext = PurePosixPath(name).suffix.lower() in IMAGE_EXTS
    return _case_match(doc, name, g.file, ("",) if has_ext else ("", *GRAPHICS_SEARCH))


def _case_match(
    doc: Document, name: str, from_file: str, exts, name_only: bool = False
) -> str | None:
    """The project file TeX's search would find for name in any letter case; with name_only,
    only where its folders are written exactly as they are named (what kpathsea retries)."""
    by_case = doc.__dict__.get("_files_by_case")
    if by_case is None:
        by_case = {}
        for f in doc.project.all_files:
            by_case.setdefault(f.lower(), f)
        doc.__dict__["_files_by_case"] = by_case
    p = doc.project
    search = p.search or SearchPath(p.folder, "", [], p.all_files)
    for base in search.bases(p.import_dirs.get(from_file), [*p.graphics_paths, *p.input_path]):
        for ext in exts:
            rel = search.join(base, name + ext)
            twin = by_case.get(rel.lower()) if rel is not None else None
            if twin is not None and (
                not name_only or PurePosixPath(twin).parent == PurePosixPath(rel).parent
            ):
                return twin
    return None


def case_missing(doc: Document) -> list[tuple[Graphic, str]]:
    """The missing graphics that differ from a project file only in letter case, with that
    file, in document order: one cause (a folder renamed, written on macOS), however many."""
    out = []
    for g in doc.graphics:
        if "\\" in g.path or "#" in g.path or resolve_graphic(doc, g.path, g.file) is not None:
            continue
        twin = case_twin(doc, g)
        if twin is not None:
            out.append((g, twin))
    return out


# drawings a build script (a Makefile, latexmkrc rule, or the editor) turns into the PDF or PNG
# the paper includes; TeX itself never converts them
SOURCE_EXTS = (".svg", ".dot", ".gv", ".drawio", ".fig", ".odg", ".ipe", ".gp", ".plt")


def source_missing(doc: Document) -> list[tuple[Graphic, str]]:
    """The missing graphics whose drawing is in the folder under the same name (`fig.pdf` with
    only `fig.svg` there), with that file, in document order: files a build step makes, not
    lost ones; one cause, however many figures."""
    out = []
    for g in doc.graphics:
        if "\\" in g.path or "#" in g.path or resolve_graphic(doc, g.path, g.file) is not None:
            continue
        p = PurePosixPath(g.path.strip().strip('"'))
        stem = str(p.with_suffix("")) if p.suffix.lower() in IMAGE_EXTS else str(p)
        src = doc.project.find_graphic(stem, g.file, SOURCE_EXTS)
        if src is not None:
            out.append((g, src))
    return out
