"""A loaded LaTeX project: its files, include edges and search path, and the text TeX reads."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from papertrack.facts import Diagnostic
from papertrack.project import includes as inc
from papertrack.project.search import SearchPath
from papertrack.project.source import SourceFile


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
    # file -> helpers its input wrapper set (\includechapter{ds}{x}: chapterprefix = ds)
    bindings: dict[str, dict[str, str]] = field(default_factory=dict)
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


def visible_in(project: Project, rel: str, src: SourceFile) -> str:
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
    """The masked text LaTeX reads from one loaded file (for the parser)."""
    return visible_in(project, rel, project.files[rel])


def preamble_missing(project: Project) -> bool:
    """Whether the root's preamble \\input's a file that is not here (one a build script
    writes, such as preface_aa.tex made from preface.tex): the paper's commands are unknown."""
    main = project.files.get(project.main)
    if main is None or main.problem:
        return False
    body = inc.body_range(main.masked)
    if body is None:
        return False
    begin = main.line_col(body[0])[0]
    return any(
        d.rule == "missing-include" and d.file == project.main and d.line <= begin
        for d in project.diagnostics
    )


def preamble_files(project: Project) -> set[str]:
    """Files LaTeX reads only in the root's preamble (macros.tex with \\lstset, \\newcommand):
    nothing in them prints, so none of it is prose. A file that itself holds the
    \\begin{document} (a header.tex that opens the body) is not one of them."""
    main = project.files.get(project.main)
    if main is None or main.problem:
        return set()
    body = inc.body_range(main.masked)
    if body is None:
        return set()
    inside: set[str] = set()  # reached from somewhere that may print
    preamble: set[str] = set()
    for rel in project.order:
        src = project.files.get(rel)
        if src is None or src.problem:
            continue
        opens_body = inc.body_range(src.masked) is not None
        for e in project.includes.get(rel, []):
            if e.target is None:
                continue
            if rel == project.main and e.pos < body[0]:
                preamble.add(e.target)
            elif rel not in preamble or opens_body:
                inside.add(e.target)
            else:
                preamble.add(e.target)
    return {
        r
        for r in preamble - inside
        if r in project.files and inc.body_range(project.files[r].masked) is None
    }
