"""The files of a paper folder: listing them and reading each once, safely."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from papertrack.project.source import SourceFile, UnreadableFile, read_source

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", "_minted"}
MAX_WALK_FILES = 20000


def rel_path(folder: Path, path: Path) -> str:
    """path relative to folder, POSIX style."""
    return PurePosixPath(os.path.relpath(path, folder)).as_posix()


def walk_files(folder: Path) -> list[str]:
    """All files in the project folder (relative POSIX paths), without VCS and tool folders."""
    out: list[str] = []
    # an unreadable subfolder is skipped, not fatal: os.walk reports it to onerror
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False, onerror=lambda e: None):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            out.append(rel_path(folder, Path(dirpath) / name))
            if len(out) >= MAX_WALK_FILES:
                return out
    return out


def is_file(p: Path) -> bool:
    """Path.is_file, also for names the OS refuses (too long, NUL): those are absent."""
    try:
        return p.is_file()
    except (OSError, ValueError):
        return False


def inside(folder: Path, path: Path) -> bool:
    """Whether path, links resolved, lies in folder."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        # a dangling link or a link loop: judge by where the link itself lives; reading it then
        # fails with its own message ("symbolic link loop") instead of "outside the project"
        try:
            real = Path(os.path.realpath(path.parent)) / path.name
        except (OSError, ValueError):
            return False
    return real.is_relative_to(folder.resolve())


class Reader:
    """Reads each file once, remembering failures as diagnostics."""

    def __init__(self, folder: Path, read=read_source) -> None:
        self.folder = folder
        self.read = read  # watch passes a reader that reuses unchanged files
        self.cache: dict[str, SourceFile | None] = {}
        self.errors: dict[str, str] = {}

    def get(self, rel: str) -> SourceFile | None:
        if rel not in self.cache:
            if not inside(self.folder, self.folder / rel):
                self.cache[rel] = None
                self.errors[rel] = "a link to a file outside the project folder; not read"
                return None
            try:
                self.cache[rel] = self.read(self.folder / rel, rel)
            except UnreadableFile as exc:
                self.cache[rel] = None
                self.errors[rel] = str(exc)
            except OSError as exc:  # a reader that lets the OS error through
                self.cache[rel] = None
                self.errors[rel] = exc.strerror or str(exc)
        return self.cache[rel]
