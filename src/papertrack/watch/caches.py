"""What watch keeps between updates: the read and masked source files, and the venue profiles."""

from __future__ import annotations

import copy
import os
from pathlib import Path

from papertrack.project.source import SourceFile, read_source


class SourceStore:
    """Read-and-masked source files kept between updates; a file is read again only when changed.

    Reading and masking every file on every save would dominate the update on a long paper.
    Each load gets its own shallow copies: the loader re-masks the files of one load in place.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple[int, int, int], SourceFile]] = {}
        self._used: set[str] = set()

    def read(self, path: Path, rel: str) -> SourceFile:
        key_path = os.fspath(path)
        try:
            st = os.stat(key_path)
        except OSError:
            self._files.pop(key_path, None)
            return read_source(path, rel)  # raises UnreadableFile with the reason
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        hit = self._files.get(key_path)
        if hit is None or hit[0] != stamp or hit[1].rel != rel:
            hit = (stamp, read_source(path, rel))
            self._files[key_path] = hit
        self._used.add(key_path)
        return copy.copy(hit[1])

    def invalidate(self, paths) -> None:
        for p in paths:
            self._files.pop(os.fspath(p), None)

    def prune(self) -> None:
        """Forget files the last load did not read (deleted or no longer included)."""
        for p in set(self._files) - self._used:
            del self._files[p]
        self._used = set()

    def __len__(self) -> int:
        return len(self._files)


class Profiles:
    """Venue profiles, read again only when a profile file changed."""

    def __init__(self) -> None:
        self._stamp: tuple | None = None
        self._profiles: dict | None = None

    def get(self, folder: Path) -> dict:
        from papertrack import venues

        files = sorted(venues.shipped_venues_dir().glob("*.toml"))
        files += sorted(venues.user_venues_dir(folder).glob("*.toml"))
        stamp = tuple((str(p), *_stat(p)) for p in files)
        if stamp != self._stamp or self._profiles is None:
            self._profiles = venues.load_profiles(folder)
            self._stamp = stamp
        return self._profiles


def _stat(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return (0, 0)
