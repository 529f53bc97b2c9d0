"""PT0xx: problems with the project's files and include graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.rules.base import Hit, diagnostic_rule, rule


@rule(
    "PT001",
    "missing-include",
    "error",
    "An \\input, \\include or \\subfile names a file that does not exist",
)
def missing_include(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports \\input, \\include, \\subfile and \\import commands whose file is not in
    the project (LaTeX's `.tex` extension search applied; files TeX finds in its own tree, such as
    glyphtounicode, are not reported). When the folder holds a file of that name elsewhere, the
    fix names it; three or more files of one folder that does not exist are one finding.

    Why it matters: LaTeX stops with "File not found"; on an online editor the section silently
    vanishes from the PDF.

    Example: `\\input{sections/conclusion}` with no sections/conclusion.tex.

    Fix: add the file, correct the path (paths are relative to the main file's folder), or remove
    the command.
    """
    missing = doc.diagnostics_for("missing-include")
    by_name: dict[str, list[str]] = {}
    for f in doc.project.all_files:
        by_name.setdefault(PurePosixPath(f).name, []).append(f)
    dirs = {str(PurePosixPath(f).parent) for f in doc.project.all_files}
    # a folder the paper names that is not there: its files were moved (or never committed)
    absent: dict[str, list] = {}
    for d in missing:
        folder = str(PurePosixPath(doc.project.from_workdir(d.extra or "")).parent)
        if folder != "." and folder not in dirs:
            absent.setdefault(folder, []).append(d)
    grouped = {id(d) for ds in absent.values() if len(ds) >= 3 for d in ds}
    for d in missing:
        if id(d) not in grouped:
            yield Hit(d.message, Location(d.file, d.line, d.col), _elsewhere(d.extra, by_name))
    for folder, ds in absent.items():
        if len(ds) < 3:
            continue
        found = [_elsewhere(d.extra, by_name) for d in ds]
        fix = (
            f"the files are in the paper folder elsewhere: {found[0]} (correct the paths)"
            if all(found)
            else f"add the folder {folder}/ with its files, or correct the paths"
        )
        yield Hit(
            f"{len(ds)} files in {folder}/ are not found: the folder {folder}/ does not exist "
            f"({', '.join(PurePosixPath(d.extra or '').name for d in ds[:3])}"
            f"{', ...' if len(ds) > 3 else ''})",
            Location(ds[0].file, ds[0].line, ds[0].col),
            fix,
            related=tuple(Location(d.file, d.line, d.col) for d in ds[1:]),
        )


def _elsewhere(target: str | None, by_name: dict[str, list[str]]) -> str | None:
    """'conclusion.tex is at chapters/conclusion.tex' when the folder has one file of that name."""
    name = PurePosixPath(target or "").name
    name = name if name.endswith(".tex") else f"{name}.tex"
    places = by_name.get(name, [])
    return f"{name} is at {places[0]}" if len(places) == 1 else None


diagnostic_rule(
    "PT002",
    "include-cycle",
    "error",
    "Files include each other in a loop",
    """
    What it does: reports an include that leads back to a file that is already being included.

    Why it matters: LaTeX recurses until it runs out of input stack ("TeX capacity exceeded").

    Example: main.tex inputs intro.tex, which inputs main.tex.

    Fix: remove the include that closes the loop.
    """,
)
diagnostic_rule(
    "PT003",
    "include-outside-project",
    "warning",
    "An include points outside the project folder",
    """
    What it does: reports includes with absolute paths or `..` paths that leave the paper folder.
    papertrack does not follow them.

    Why it matters: the paper will not build for coauthors, on arXiv or in CI; a path such as
    `\\input{/etc/passwd}` is also how a hostile source leaks files.

    Example: `\\input{../../shared/macros}`.

    Fix: copy the file into the project and include it with a relative path.
    """,
)
diagnostic_rule(
    "PT004",
    "unreadable-file",
    "error",
    "A file of the project cannot be read as LaTeX source",
    """
    What it does: reports included files that are binary, unreadable (permissions), folders, or
    symbolic-link loops.

    Why it matters: LaTeX fails on them, or includes garbage.

    Example: `\\input{figures/plot}` where figures/plot.tex is a PNG renamed by mistake.

    Fix: include the right file; check permissions.
    """,
)
LEGACY_INPUTENC = {
    "latin1",
    "latin9",
    "latin2",
    "ansinew",
    "cp1252",
    "cp1250",
    "applemac",
    "cp850",
    "cp437",
}


@rule("PT005", "not-utf8", "warning", "A file is not valid UTF-8")
def not_utf8(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports source or .bib files that are not UTF-8, unless the document declares
    a legacy encoding with `\\usepackage[latin1]{inputenc}` (then Latin-1 is what LaTeX
    expects). papertrack reads such files as Latin-1 and goes on.

    Why it matters: modern LaTeX (2018+) assumes UTF-8; accented names then print as garbage or
    stop the build with "Invalid UTF-8 byte sequence".

    Example: a .bib exported by an old reference manager in Windows-1252.

    Fix: convert the file: `iconv -f latin1 -t utf-8 refs.bib > refs.utf8.bib`.
    """
    if any(name == "inputenc" and LEGACY_INPUTENC & set(opts) for name, opts in doc.packages):
        return
    for d in doc.diagnostics_for("not-utf8"):
        yield Hit(d.message, Location(d.file, d.line, d.col))


diagnostic_rule(
    "PT006",
    "file-too-large",
    "warning",
    "A source file is too large to analyse",
    """
    What it does: reports .tex files over 4 MB; papertrack skips their content.

    Why it matters: such files are usually generated (data tables, a pasted log) and slow every
    tool down; findings inside them are not checked.

    Example: a 10 MB table exported from a spreadsheet.

    Fix: move generated data into a figure or an external file, or ignore PT006 for that file.
    """,
)
diagnostic_rule(
    "PT007",
    "missing-bibliography",
    "error",
    "\\bibliography or \\addbibresource names a .bib file that does not exist",
    """
    What it does: reports bibliography files that are neither in the project nor in TeX's tree.

    Why it matters: BibTeX/biber is skipped, every citation prints as [?] and the references
    section disappears, which also makes the page count wrong.

    Example: `\\bibliography{refs}` with the file named references.bib.

    Fix: correct the name or add the file.
    """,
)
diagnostic_rule(
    "PT008",
    "shell-escape-input",
    "warning",
    "An \\input runs a shell command",
    """
    What it does: reports `\\input{|"command"}`, which runs a program when shell escape is on.

    Why it matters: papertrack never compiles with shell escape, and neither do arXiv or most
    journals: the content will be missing there. In someone else's paper it can be an attack.

    Example: `\\input{|"git describe"}`.

    Fix: generate the file beforehand and \\input the result.
    """,
)
diagnostic_rule(
    "PT009",
    "parse-failure",
    "warning",
    "A file could not be analysed in full",
    """
    What it does: reports files whose content papertrack could not analyse (for example braces
    nested hundreds of levels deep). Other files are still checked.

    Why it matters: findings in that file may be missing; the figure shown for it is incomplete.

    Example: a generated file with 10,000 nested groups.

    Fix: look at the file named in the message; often it is generated and can be ignored.
    """,
)
