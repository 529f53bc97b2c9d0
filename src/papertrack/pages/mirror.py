"""Mirror a paper folder into the build folder: sources only, never a write to the paper."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from papertrack.pages.logparse import OUT_DIR_NAME
from papertrack.paths import cache_dir

# Never mirrored: version control, editor and tool folders, and our own output folder.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".idea",
        ".vscode",
        ".mypy_cache",
        ".pytest_cache",
        OUT_DIR_NAME,
    }
)
# Build outputs a paper folder may contain (committed or left by an editor). Mirrored, a stale
# .aux/.bbl would take over the build (latexmk once re-ran BibTeX on a committed .aux).
BUILD_OUTPUTS = (
    ".aux",
    ".bbl",
    ".blg",
    ".log",
    ".out",
    ".fls",
    ".fdb_latexmk",
    ".synctex.gz",
    ".synctex",
    ".synctex(busy)",
    ".toc",
    ".lof",
    ".lot",
    ".lol",
    ".loa",
    ".nav",
    ".snm",
    ".vrb",
    ".bcf",
    ".run.xml",
    ".xdv",
    ".dvi",
    ".nlo",
    ".nls",
    ".ilg",
    ".ind",
    ".idx",
    ".glo",
    ".gls",
    ".glg",
    ".acn",
    ".acr",
    ".alg",
    ".brf",
    ".thm",
    ".auxlock",
    ".ptc",
    ".maf",
    ".xref",
    ".tdo",
    ".upa",
    ".upb",
    "-blx.bib",
    ".bbl-SAVE-ERROR",
    ".pytxcode",
    ".figlist",
    ".makefile",
)
# Big files (data, videos, huge figures) are linked, not copied: TeX only ever reads them.
LINK_ABOVE_BYTES = 32 * 2**20
# A folder holding more than this is not mirrored in full (a link to /dev/zero once filled a
# disk): the rest is left out with a finding.
MAX_MIRROR_BYTES = 2 * 2**30
# Tool configuration a paper must not bring along: biber.conf can send biber's output anywhere.
EXCLUDED_FILES = frozenset({"biber.conf", ".biber.conf"})


@dataclass(frozen=True)
class Source:
    """A regular file of the paper folder: where to read it and what it looked like."""

    path: Path
    size: int
    mtime_ns: int


def _is_build_output(name: str) -> bool:
    return name.endswith(BUILD_OUTPUTS)


def _inside(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _source_files(project_dir: Path) -> tuple[dict[str, Source], list[tuple[str, str]]]:
    """Every regular file that stays inside the paper folder, by relative path, and what was
    left out with why: links that leave the folder, special files, unreadable entries."""
    root = os.path.realpath(project_dir)
    files: dict[str, Source] = {}
    left_out: list[tuple[str, str]] = []
    # A cache folder inside the paper folder must not mirror itself; linked loops are cut.
    seen: set[str] = {os.path.realpath(cache_dir())}
    stack: list[tuple[str, str]] = [(str(project_dir), "")]
    while stack:
        folder, rel = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            left_out.append((rel or ".", f"cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            name = entry.name
            sub = f"{rel}/{name}" if rel else name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                left_out.append((sub, f"cannot be read ({exc.strerror})"))
                continue
            path = entry.path
            if stat.S_ISLNK(st.st_mode):
                path = os.path.realpath(entry.path)
                if not _inside(root, path):
                    if name not in EXCLUDED_DIRS:
                        left_out.append((sub, "is a symbolic link that leaves the paper folder"))
                    continue
                try:
                    st = os.stat(path)
                except OSError:
                    continue  # a dangling link: TeX reports the file missing if it is needed
            if stat.S_ISDIR(st.st_mode):
                if name not in EXCLUDED_DIRS:
                    stack.append((path, sub))
            elif stat.S_ISREG(st.st_mode):
                if name not in EXCLUDED_FILES:
                    files[sub] = Source(Path(path), st.st_size, st.st_mtime_ns)
            else:
                left_out.append((sub, f"is a {_kind(st.st_mode)}"))
    return files, left_out


def _copy(src: Path, dst: Path, size: int) -> None:
    """Copy a regular file (checked again on the open descriptor: no FIFO, device or link
    swapped in since the walk), at most `size` bytes, private to the user."""
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(src))
        with (
            os.fdopen(fd, "rb", closefd=False) as fin,
            open(dst, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as fout,
        ):
            left = size
            while left > 0:
                chunk = fin.read(min(left, 1 << 20))
                if not chunk:
                    break
                fout.write(chunk)
                left -= len(chunk)
    finally:
        os.close(fd)


def _clear(path: Path) -> None:
    """Remove whatever is at path (file, link or folder): a file may have become a folder."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _make_parents(tree: Path, dst: Path) -> None:
    """Create dst's folders under tree, removing files that stand where a folder must be."""
    for parent in reversed(dst.relative_to(tree).parents[:-1]):
        p = tree / parent
        if p.is_symlink() or (p.exists() and not p.is_dir()):
            p.unlink()
    dst.parent.mkdir(parents=True, exist_ok=True)


def sync_mirror(
    project_dir: Path, tree: Path, manifest: dict[str, list[int]], keep_bbl: bool
) -> tuple[dict[str, list[int]], bool, list[str], list[tuple[str, str]]]:
    """Make tree a copy of the paper's sources; returns (manifest, changed, notes, left_out).

    Only regular files inside the paper folder are copied (left_out says what was not, and
    why). Build outputs are left out unless a .bbl is the only bibliography source (no .bib:
    arXiv style) or keep_bbl asks for committed .bbl files. Raises OSError when the build
    folder cannot be written (a full disk).
    """
    notes: list[str] = []
    sources, left_out = _source_files(project_dir)
    has_bib = any(rel.endswith(".bib") for rel in sources)
    bbl_wanted = keep_bbl or not has_bib
    skipped = [
        rel
        for rel in sources
        if _is_build_output(rel) and not (bbl_wanted and rel.endswith(".bbl"))
    ]
    if skipped:
        shown = ", ".join(sorted(skipped)[:5]) + (" ..." if len(skipped) > 5 else "")
        notes.append(f"build outputs in the paper folder ignored: {shown}")
    if bbl_wanted and any(rel.endswith(".bbl") for rel in sources):
        notes.append("using the committed .bbl" + ("" if keep_bbl else " (no .bib file exists)"))
    skip = set(skipped)
    new: dict[str, list[int]] = {}
    total = 0
    for rel, src in sources.items():
        if rel in skip:
            continue
        if src.size <= LINK_ABOVE_BYTES:
            total += src.size
            if total > MAX_MIRROR_BYTES:
                left_out.append((rel, f"the paper folder holds over {MAX_MIRROR_BYTES >> 30} GB"))
                continue
        new[rel] = [src.size, src.mtime_ns]
    changed = False
    # stale entries first: a file that became a folder (or the reverse) must not block the copy
    for rel in manifest.keys() - new.keys():
        changed = True
        with contextlib.suppress(FileNotFoundError):
            _clear(tree / rel)
    for rel, key in list(new.items()):
        src = sources[rel]
        dst = tree / rel
        if manifest.get(rel) == key and (dst.is_file() or dst.is_symlink()):
            continue
        changed = True
        _make_parents(tree, dst)
        _clear(dst)
        if src.size > LINK_ABOVE_BYTES:
            dst.symlink_to(src.path)
            continue
        tmp = dst.with_name(dst.name + ".papertrack-tmp")
        try:
            _copy(src.path, tmp, src.size)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            left_out.append((rel, f"cannot be read ({exc.strerror})"))
            del new[rel]
            continue
        os.utime(tmp, ns=(src.mtime_ns, src.mtime_ns))
        os.replace(tmp, dst)
    return new, changed, notes, left_out
