"""Loading a LaTeX project: choose the root file and follow its includes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from papertrack.errors import PapertrackError
from papertrack.facts import Diagnostic
from papertrack.project import includes as inc
from papertrack.project.files import SKIP_DIRS, Reader, inside, is_file, rel_path, walk_files
from papertrack.project.root import choose_root
from papertrack.project.search import (
    LATEX_INPUT_EXTS,
    SearchPath,
    project_texinputs,
    resolve_directive,
)
from papertrack.project.source import SourceFile, UnreadableFile, read_source
from papertrack.project.texdist import KNOWN_DIST_FILES, in_distribution, kpsewhich

__all__ = ["KNOWN_DIST_FILES", "SKIP_DIRS", "Include", "Project", "load_project", "walk_files"]

_MAGIC_ROOT = re.compile(r"^\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE)
# \def\input@path{{dir1/}{dir2/}}: folders LaTeX tries for \input after the working folder
_INPUT_PATH = re.compile(r"\\(?:def|gdef)\s*\\input@path\s*\{((?:\s*\{[^{}]*\}\s*)*)\}")
_PACKAGE = re.compile(
    r"\\(?:usepackage|RequirePackage|documentclass)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}"
)
_GRAPHIC = re.compile(r"\\includegraphics\s*\*?\s*(?:\[[^\]]*\]\s*)*\{([^{}#\\]+)\}")
_TEX_GRAPHIC = re.compile(
    r"\\includegraphics\s*\*?\s*(?:\[[^\]]*\]\s*)*\{([^{}#\\]+\.(?:tikz|pgf))\}"
)
_GRAPHIC_EXTS = ("", ".pdf", ".png", ".jpg", ".jpeg", ".eps", ".ps", ".mps")
# a file re-read more often than this (a macro that \input's a file per row) is counted this often
MAX_READS = 50


@dataclass
class Include:
    """An include edge: where it is written and the file it resolved to (None when missing)."""

    parent: str
    pos: int
    end: int
    kind: str
    written: str
    target: str | None


@dataclass
class Project:
    """A loaded LaTeX project: the root, the reachable files, the include graph, bibliographies."""

    folder: Path
    main: str
    main_reason: str
    alternatives: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, SourceFile] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    includes: dict[str, list[Include]] = field(default_factory=dict)
    bib_files: list[str] = field(default_factory=list)
    graphics_paths: list[str] = field(default_factory=list)
    all_files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    subfile_bodies: set[str] = field(default_factory=set)
    cycle_edges: set[tuple[str, int]] = field(default_factory=set)
    excluded_files: dict[str, SourceFile] = field(default_factory=dict)  # left out by \includeonly
    # where TeX runs (the root file's folder, relative to `folder`) and how it finds files
    search: SearchPath | None = None
    import_dirs: dict[str, str] = field(default_factory=dict)  # file -> its \import folder
    input_path: list[str] = field(default_factory=list)  # \input@path entries
    reads: dict[str, int] = field(default_factory=dict)  # how often TeX reads each file
    package_files: list[str] = field(default_factory=list)  # the paper's own .cls/.sty it loads
    package_graphics: list[str] = field(default_factory=list)  # graphics those files include

    @property
    def workdir(self) -> str:
        """The root file's folder relative to the project folder ('' at the top): TeX's cwd."""
        return self.search.workdir if self.search else ""

    def from_workdir(self, name: str) -> str:
        """A path TeX prints (relative to its working folder) relative to the project folder."""
        if not self.workdir or os.path.isabs(name):
            return name
        return PurePosixPath(os.path.normpath(os.path.join(self.workdir, name))).as_posix()

    def find_graphic(self, name: str, from_file: str, exts: tuple[str, ...]) -> str | None:
        """The file \\includegraphics{name} in from_file opens: from TeX's working folder, the
        file's \\import folder, \\graphicspath, \\input@path and TEXINPUTS, in that order."""
        search = self.search or SearchPath(self.folder, "", [], self.all_files)
        idir = self.import_dirs.get(from_file)
        return search.find(name, exts, idir, [*self.graphics_paths, *self.input_path])


def subfile_parent(path: Path, masked: str) -> Path | None:
    """The main file a subfiles child names in `\\documentclass[../main.tex]{subfiles}`."""
    dc = inc.document_class(masked)
    if not dc or dc[0] != "subfiles" or not dc[1]:
        return None
    name = dc[1][0]
    for cand in (name, name + ".tex"):
        p = path.parent / cand
        if is_file(p):  # first: resolve() raises on a symbolic link loop
            target = p.resolve()
            if target.suffix == ".tex":
                return target
    return None


def load_project(path: Path, main: str | None = None, *, read=read_source) -> Project:
    """Load the project at `path` (a folder or a .tex file); `main` overrides root detection.

    `read(path, rel) -> SourceFile` reads one file (raising UnreadableFile); each call must
    return a new object, as \\newif switches re-mask the files of one load in place.
    """
    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    if not path.is_file() and not path.is_dir():
        raise PapertrackError(f"{path}: not a regular file or folder (a named pipe or a device)")
    why_main: str | None = None
    if path.is_file():
        folder = path.parent.resolve()
        if main is None:
            main = path.name
            try:
                src = read_source(path, path.name) if path.suffix == ".tex" else None
            except UnreadableFile as exc:
                raise PapertrackError(f"cannot read the root file {path}: {exc}") from None
            for c in src.comments[:20] if src else []:
                m = _MAGIC_ROOT.match(c.text)
                # only a .tex root: `%!TEX root = /etc/passwd` must not make papertrack read it
                if (
                    m
                    and m.group(1).strip().endswith(".tex")
                    and is_file(path.parent / m.group(1).strip())
                ):
                    target = (path.parent / m.group(1).strip()).resolve()
                    if not _may_follow(path, target):
                        why_main = (
                            f"the '%!TEX root' comment in {path.name} names a file outside this "
                            "folder and its repository: not followed"
                        )
                        continue
                    folder = target.parent
                    main = target.name
                    why_main = f"named by the '%!TEX root' comment in {path.name}"
            parent = subfile_parent(path, src.masked) if src else None
            if parent is not None and not _may_follow(path, parent.resolve()):
                parent = None
            if parent is not None and main == path.name:
                # \documentclass[../main.tex]{subfiles}: the document is the main file
                folder, main = parent.parent, parent.name
                why_main = f"the main document of the subfile {path.name}"
    else:
        folder = path.resolve()
    reader = Reader(folder, read)
    all_files = walk_files(folder)
    tex_files = [f for f in all_files if f.endswith(".tex")]
    alternatives: list[tuple[str, str]] = []
    if main is not None:
        main_path = Path(main) if os.path.isabs(main) else folder / main
        if not is_file(main_path) and is_file(folder / (main + ".tex")):
            main_path = folder / (main + ".tex")
        if not is_file(main_path):
            raise PapertrackError(f"main file {main} not found in {folder}")
        if not inside(folder, main_path):
            # `main = "/etc/passwd"` in a branch's papertrack.toml must not make CI read it
            raise PapertrackError(
                f"main file {main} is outside the project folder {folder}",
                hint="run papertrack on the folder that holds the main file",
            )
        main = rel_path(folder, main_path)
        reason = why_main or "given on the command line"
    else:
        if not tex_files:
            raise PapertrackError(
                f"{folder}: no .tex files here",
                hint="run papertrack in your paper's folder or pass the main .tex file",
            )
        main, reason, alternatives = choose_root(folder, reader, all_files)
    workdir = PurePosixPath(main).parent.as_posix()
    workdir = "" if workdir == "." else workdir
    # TeX runs in the root file's folder: every relative name starts there
    search = SearchPath(folder, workdir, project_texinputs(folder, workdir), all_files)

    def new() -> Project:
        return Project(
            folder=folder,
            main=main,
            main_reason=reason,
            alternatives=alternatives,
            all_files=all_files,
            search=search,
        )

    project = new()
    _follow(project, reader)
    if _apply_switches(project, reader):
        # false branches may hide includes: follow the graph again on the corrected text
        project = new()
        _follow(project, reader)
    return project


def _apply_switches(project: Project, reader: Reader) -> bool:
    """Blank the branches TeX skips (see conditionals.py); True if anything changed."""
    from papertrack.project import conditionals as cond

    texts = [project.files[r].masked for r in project.order]
    changed = False
    for rel, new in zip(project.order, cond.mask_texts(texts), strict=True):
        src = project.files[rel]
        if new != src.masked:
            src.masked = new
            changed = True
    return changed


def _follow(project: Project, reader: Reader) -> None:
    """Depth-first walk of the include graph from the root, as TeX reads it, recording problems."""
    folder = project.folder
    root_src = reader.get(project.main)
    if root_src is None:
        raise PapertrackError(
            f"cannot read the root file {project.main}: {reader.errors.get(project.main, 'cannot be read')}"
        )
    search = project.search or SearchPath(folder, "", [], project.all_files)
    only = inc.includeonly(root_src.masked)
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
    wrappers: dict[str, tuple[int, str, str]] = {}

    def visit(rel: str, idir: str | None) -> None:
        src = reader.get(rel)
        if src is None:
            return
        project.files[rel] = src
        project.order.append(rel)
        project.reads[rel] = 1
        if idir is not None:
            project.import_dirs[rel] = idir
        stack.append(rel)
        if src.encoding != "utf-8":
            diags.append(
                Diagnostic("not-utf8", rel, 1, 1, f"{rel} is not valid UTF-8; read as Latin-1")
            )
        if src.problem:
            diags.append(Diagnostic("file-too-large", rel, 1, 1, f"{rel}: {src.problem}"))
        visible = _visible(project, rel, src)
        # \graphicspath and \input@path hold wherever they are set: the preamble, an \input
        # preamble file, a chapter
        project.graphics_paths += inc.graphics_paths(visible)
        project.input_path += _input_path(visible)
        edges: list[Include] = []
        wrappers.update(inc.input_wrappers(visible))
        queue = sorted(
            inc.find_includes(visible) + inc.wrapper_includes(visible, wrappers),
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
                visit(target, nidir)
            else:
                # TeX reads it again: its labels are defined again, its floats set again
                reread(target, [*stack, target])
        project.includes[rel] = edges
        stack.pop()

    visit(project.main, None)
    # tikzscale's \includegraphics{plot.tikz} \input's the file: read it as source too, so
    # that the graphics and files it uses are checked (a missing one is PT106's, not PT001's)
    i = 0
    while i < len(project.order) and i < 5000:
        rel = project.order[i]
        i += 1
        for m in _TEX_GRAPHIC.finditer(_visible(project, rel, project.files[rel])):
            found = project.find_graphic(m.group(1).strip(), rel, ("",))
            if (
                found
                and found not in project.files
                and inside(folder, folder / found)
                and reader.get(found) is not None
            ):
                visit(found, project.import_dirs.get(rel))
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
            names += [n.strip() + kind for n in m.group(1).split(",") if n.strip()]
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


def _visible(project: Project, rel: str, src: SourceFile) -> str:
    """The masked text LaTeX reads from this file (only the body of a \\subfile document)."""
    if rel in project.subfile_bodies:
        rng = inc.body_range(src.masked)
        if rng:
            a, b = rng
            return (
                "".join(c if c == "\n" else " " for c in src.masked[:a])
                + src.masked[a:b]
                + "".join(c if c == "\n" else " " for c in src.masked[b:])
            )
    return src.masked


def visible_text(project: Project, rel: str) -> str:
    """Public form of _visible for the parser."""
    return _visible(project, rel, project.files[rel])


def _may_follow(origin: Path, target: Path) -> bool:
    """Whether a root named inside `origin` may be used: in the git work tree that holds the
    file, or in the file's folder or up to two folders above it (a chapter's `%!TEX root =
    ../main.tex`), never a folder beside or far above (a paper must not send papertrack to check
    and compile another project, or the whole home folder)."""
    here = origin.resolve().parent
    for d in (here, *here.parents):
        if (d / ".git").exists():
            try:
                target.relative_to(d)
                return True
            except ValueError:
                break
    return target.parent in (here, *here.parents[:2])
