"""Loading a LaTeX project: choose the root file and follow its includes."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from papertrack.errors import PapertrackError
from papertrack.project.files import SKIP_DIRS, Reader, inside, is_file, rel_path, walk_files
from papertrack.project.follow import follow
from papertrack.project.root import choose_root, subfile_parent
from papertrack.project.search import SearchPath, project_texinputs
from papertrack.project.source import UnreadableFile, read_source
from papertrack.project.texdist import KNOWN_DIST_FILES
from papertrack.project.tree import Include, Project, visible_text

__all__ = [
    "KNOWN_DIST_FILES",
    "SKIP_DIRS",
    "Include",
    "Project",
    "load_project",
    "visible_text",
    "walk_files",
]

_MAGIC_ROOT = re.compile(r"^\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE)


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
        if main is None and path.suffix.lower() not in (".tex", ".ltx", ".latex"):
            # `check refs.bib` took the .bib as the root and found nothing wrong (exit 0)
            raise PapertrackError(
                f"{path}: not a .tex file",
                hint="pass the paper's folder or its main .tex file",
            )
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
            if why_main is None and src is not None and "\\documentclass" not in src.masked:
                # a chapter checked alone reads every reference to the rest as undefined
                why_main = (
                    "given on the command line; it has no \\documentclass of its own: if it is "
                    "part of a larger paper, check the paper's folder or main file instead"
                )
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
    follow(project, reader)
    if _apply_switches(project, reader):
        # false branches may hide includes: follow the graph again on the corrected text
        project = new()
        follow(project, reader)
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


def is_document(path: Path) -> bool:
    """A .tex file that is a document of its own (\\documentclass and \\begin{document} outside
    comments), not a chapter of one."""
    if not path.is_file() or path.suffix.lower() not in (".tex", ".ltx", ".latex"):
        return False
    try:
        masked = read_source(path, path.name).masked
    except UnreadableFile:
        return False
    return "\\documentclass" in masked and "\\begin{document}" in masked
