"""Walking the include graph from the root as TeX reads it, recording what is missing or loops."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from papertrack.errors import PapertrackError
from papertrack.facts import Diagnostic
from papertrack.project import conditionals as cond
from papertrack.project import includes as inc
from papertrack.project.files import Reader, inside, rel_path
from papertrack.project.search import (
    LATEX_INPUT_EXTS,
    TIKZSCALE_EXTS,
    SearchPath,
    resolve_directive,
)
from papertrack.project.texdist import in_distribution, kpsewhich
from papertrack.project.texenv import project_env
from papertrack.project.tree import Include, Project, visible_in

# \def\input@path{{dir1/}{dir2/}}: folders LaTeX tries for \input after the working folder
_INPUT_PATH = re.compile(r"\\(?:def|gdef)\s*\\input@path\s*\{((?:\s*\{[^{}]*\}\s*)*)\}")
_PACKAGE = re.compile(
    r"\\(?:usepackage|RequirePackage|documentclass)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}"
)
_GRAPHIC = re.compile(r"\\includegraphics\s*\*?\s*(?:\[[^\]]*\]\s*)*\{([^{}#\\]+)\}")
_TEX_GRAPHIC = re.compile(
    r"\\includegraphics\s*\*?\s*(?:\[[^\]]*\]\s*)*\{([^{}#\\]+\.(?:tikz|pgf))\}"
)
_TIKZ_NAME = re.compile(r"\.(?:tikz|pgf)$", re.IGNORECASE)
_TIKZSCALE = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{[^}]*\btikzscale\b")
_GRAPHIC_EXTS = ("", ".pdf", ".png", ".jpg", ".jpeg", ".eps", ".ps", ".mps")
# a file re-read more often than this (a macro that \input's a file per row) is counted this often
MAX_READS = 50


def _undecided(masked: str) -> list[tuple[int, int]]:
    """Conditionals of the root that papertrack cannot decide, where an \\includeonly sits.

    Only the root's own switches are known here (the other files are not read yet): a switch
    set elsewhere reads as undecided, and its \\includeonly as absent, which reads more files,
    never fewer."""
    if "\\includeonly" not in masked:
        return []
    return cond.undecided_spans(masked, project_env([masked]))


def follow(project: Project, reader: Reader) -> None:
    """Depth-first walk of the include graph from the root, as TeX reads it, recording problems."""
    folder = project.folder
    root_src = reader.get(project.main)
    if root_src is None:
        raise PapertrackError(
            f"cannot read the root file {project.main}: {reader.errors.get(project.main, 'cannot be read')}"
        )
    search = project.search or SearchPath(folder, "", [], project.all_files)
    only = inc.includeonly(root_src.masked, _undecided(root_src.masked))
    project.input_path = _input_path(root_src.masked)
    diags = project.diagnostics
    stack: list[str] = []
    bib_seen: set[str] = set()
    budget = [10000]  # re-reads counted in all: a file read per table row must not explode

    def reread(rel: str, path: list[str]) -> None:
        """A file TeX reads again: it and everything it includes count once more."""
        if budget[0] <= 0 or project.reads.get(rel, 1) >= MAX_READS:
            return
        budget[0] -= 1
        project.reads[rel] = project.reads.get(rel, 1) + 1
        for e in project.includes.get(rel, []):
            if e.kind != "bib" and e.target in project.files and e.target not in path:
                reread(e.target, [*path, e.target])

    # user macros that include a file (\includechapter{in}{introduction}), in document order
    wrappers: dict[str, inc.Wrapper] = {}

    def visit(rel: str, idir: str | None, binds: dict[str, str]) -> None:
        src = reader.get(rel)
        if src is None:
            return
        project.files[rel] = src
        project.order.append(rel)
        project.reads[rel] = 1
        if idir is not None:
            project.import_dirs[rel] = idir
        if binds:
            project.bindings[rel] = binds
        stack.append(rel)
        if src.encoding != "utf-8":
            diags.append(
                Diagnostic("not-utf8", rel, 1, 1, f"{rel} is not valid UTF-8; read as Latin-1")
            )
        if src.problem:
            diags.append(Diagnostic("file-too-large", rel, 1, 1, f"{rel}: {src.problem}"))
        visible = visible_in(project, rel, src)
        # \graphicspath and \input@path hold wherever they are set: the preamble, an \input
        # preamble file, a chapter
        project.graphics_paths += inc.graphics_paths(visible)
        project.input_path += _input_path(visible)
        edges: list[Include] = []
        wrappers.update(inc.input_wrappers(visible))
        queue = sorted(
            inc.template_includes(visible, inc.find_includes(visible))
            + inc.wrapper_includes(visible, wrappers),
            key=lambda d: d.pos,
        )
        known, at = len(wrappers), -1
        while True:
            if len(wrappers) != known:
                # a file included above defined an input wrapper: its uses below include too
                known, seen = len(wrappers), {d.pos for d in queue}
                later = [
                    d
                    for d in inc.wrapper_includes(visible, wrappers)
                    if d.pos > at and d.pos not in seen
                ]
                queue = sorted(queue + later, key=lambda d: d.pos)
            if not queue:
                break
            d = queue.pop(0)
            at = d.pos
            line, col = src.line_col(d.pos)
            if d.target.startswith("|"):
                diags.append(
                    Diagnostic(
                        "shell-escape-input",
                        rel,
                        line,
                        col,
                        f"\\{d.kind}{{{d.target}}} runs a shell command; not followed",
                    )
                )
                continue
            found, nidir = resolve_directive(search, d, idir, project.input_path)
            p = folder / found if found is not None else None
            if p is not None and not inside(folder, p):
                diags.append(
                    Diagnostic(
                        "include-outside-project",
                        rel,
                        line,
                        col,
                        f"\\{d.kind}{{{d.target}}} leaves the project folder; not followed",
                    )
                )
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, None))
                continue
            if p is None:
                if d.kind != "optional":
                    kind = "missing-bibliography" if d.kind == "bib" else "missing-include"
                    what = "bibliography" if d.kind == "bib" else "file"
                    diags.append(
                        Diagnostic(
                            kind,
                            rel,
                            line,
                            col,
                            f"\\{_cmd(d)}{_args(d)}: {what} not found",
                            extra=d.prefix + d.target,
                        )
                    )
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, None))
                continue
            target = rel_path(folder, p)
            if d.kind == "bib":
                if target not in bib_seen:
                    bib_seen.add(target)
                    project.bib_files.append(target)
                continue
            if (
                d.kind == "include"
                and only is not None
                and PurePosixPath(d.prefix + d.target).with_suffix("").as_posix() not in only
                and d.target.removesuffix(".tex") not in only
            ):
                # \includeonly leaves it out, as LaTeX does; but LaTeX keeps its old .aux,
                # so references to its labels still resolve
                excluded = reader.get(target)
                if excluded is not None:
                    project.excluded_files[target] = excluded
                continue
            if p.suffix not in LATEX_INPUT_EXTS:
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, target))
                continue  # .txt, .csv: a dependency, not prose
            if target in stack:
                cycle = " -> ".join([*stack[stack.index(target) :], target])
                diags.append(Diagnostic("include-cycle", rel, line, col, f"include cycle: {cycle}"))
                project.cycle_edges.add((rel, d.pos))
                continue
            if target in reader.errors or reader.get(target) is None:
                diags.append(
                    Diagnostic(
                        "unreadable-file",
                        rel,
                        line,
                        col,
                        f"{target}: {reader.errors.get(target, 'cannot be read')}",
                    )
                )
                continue
            if d.kind == "subfile":
                project.subfile_bodies.add(target)
            edges.append(Include(rel, d.pos, d.end, d.kind, d.target, target))
            if target not in project.files:
                visit(target, nidir, {**binds, **d.binds})
            else:
                # TeX reads it again: its labels are defined again, its floats set again
                reread(target, [*stack, target])
        project.includes[rel] = edges
        stack.pop()

    visit(project.main, None, {})
    # tikzscale's \includegraphics{plot.tikz} \input's the file: read it as source too, so
    # that the graphics and files it uses are checked (a missing one is PT106's, not PT001's)
    # (with tikzscale loaded, \includegraphics{plot} finds plot.tikz first)
    tikzscale = any(_TIKZSCALE.search(f.masked) for f in project.files.values())
    graphic, exts = (_GRAPHIC, TIKZSCALE_EXTS) if tikzscale else (_TEX_GRAPHIC, ("",))
    i = 0
    while i < len(project.order) and i < 5000:
        rel = project.order[i]
        i += 1
        for m in graphic.finditer(visible_in(project, rel, project.files[rel])):
            name = m.group(1).strip()
            found = project.find_graphic(name, rel, ("",) if _TIKZ_NAME.search(name) else exts)
            if (
                found
                and found not in project.files
                and inside(folder, folder / found)
                and reader.get(found) is not None
            ):
                visit(found, project.import_dirs.get(rel), project.bindings.get(rel, {}))
    _local_package_paths(project, reader, search)
    project.graphics_paths = list(dict.fromkeys(project.graphics_paths))
    project.input_path = list(dict.fromkeys(project.input_path))
    _drop_distribution_files(project)


def _input_path(masked: str) -> list[str]:
    out: list[str] = []
    for m in _INPUT_PATH.finditer(masked):
        out += [x.strip() for x in re.findall(r"\{([^{}]*)\}", m.group(1)) if x.strip()]
    return out


def _local_package_paths(project: Project, reader: Reader, search: SearchPath) -> None:
    """\\graphicspath and \\input@path set in the paper's own class and style files."""
    names: list[str] = []
    for rel in project.order:
        for m in _PACKAGE.finditer(project.files[rel].masked):
            kind = ".cls" if "documentclass" in m.group(0) else ".sty"
            names += [n + kind for n in inc.comma_list(m.group(1))]
    for name in list(dict.fromkeys(names))[:200]:
        rel = search.find(name, (), None, None)
        if rel is None or not inside(project.folder, project.folder / rel):
            continue
        src = reader.get(rel)
        if src is None or src.problem:
            continue
        project.package_files.append(rel)
        project.graphics_paths += inc.graphics_paths(src.masked)
        project.input_path += _input_path(src.masked)
    for rel in project.package_files:
        src = reader.get(rel)
        # a class that puts the university's logo on the title page uses that file
        for m in _GRAPHIC.finditer(src.masked if src else ""):
            g = project.find_graphic(m.group(1).strip(), rel, _GRAPHIC_EXTS)
            if g is not None:
                project.package_graphics.append(g)


def _drop_distribution_files(project: Project) -> None:
    """A 'missing' file that TeX finds in its own tree (\\input{glyphtounicode}) is not missing."""
    missing = [
        d for d in project.diagnostics if d.rule in ("missing-include", "missing-bibliography")
    ]
    if not missing:
        return
    found = set(kpsewhich([d.extra or "" for d in missing]))
    drop = {id(d) for d in missing if in_distribution(d.extra or "", found)}
    project.diagnostics[:] = [d for d in project.diagnostics if id(d) not in drop]


def _args(d: inc.Directive) -> str:
    """The directive's arguments as written: {dir/}{file} for \\import, {file} otherwise."""
    return f"{{{d.prefix}}}{{{d.target}}}" if d.prefix else f"{{{d.target}}}"


def _cmd(d: inc.Directive) -> str:
    return {"bib": "bibliography", "optional": "InputIfFileExists"}.get(d.kind, d.kind)
