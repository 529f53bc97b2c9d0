"""A content-addressed pickle cache for parse results, kept in the user cache folder."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from papertrack import __version__
from papertrack.paths import cache_dir

# Bump when FileFacts or BibFile change shape: old entries are then simply not found.
SCHEMA = "6"


def _code_fingerprint() -> str:
    """Hash of the parsing code, so an edited parser never reads facts its older self cached."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(
        [
            *here.glob("*.py"),
            here.parent / "model" / "items.py",
            # the masking and the argument scanner the parser's readers share
            here.parent / "project" / "source.py",
            here.parent / "project" / "braces.py",
        ]
    ):
        with contextlib.suppress(OSError):
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


_FINGERPRINT = _code_fingerprint()


def key(*parts: str | bytes) -> str:
    h = hashlib.sha256(f"{__version__}/{SCHEMA}/{_FINGERPRINT}".encode())
    for p in parts:
        h.update(b"\0")
        h.update(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p)
    return h.hexdigest()


class Cache:
    """get/put by key; a broken or unwritable cache only costs speed, never correctness."""

    def __init__(self, root: Path | None = None, enabled: bool = True) -> None:
        self.root = (root or cache_dir()) / "parse"
        self.enabled = enabled
        self._dirs: set[Path] = set()  # folders known to exist: one mkdir each, not per put

    def _path(self, k: str) -> Path:
        return self.root / k[:2] / (k[2:] + ".pkl")

    def get(self, k: str) -> Any | None:
        if not self.enabled:
            return None
        try:
            with open(self._path(k), "rb") as fh:
                return pickle.load(fh)
        except Exception:
            return None

    def has(self, k: str) -> bool:
        return self.enabled and os.path.exists(self._path(k))

    def put(self, k: str, value: Any) -> None:
        if not self.enabled:
            return
        path = self._path(k)
        try:
            if path.parent not in self._dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._dirs.add(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except Exception:
            pass
