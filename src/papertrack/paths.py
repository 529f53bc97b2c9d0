"""Where papertrack keeps caches, builds and history: never inside the paper folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """The user cache folder (PAPERTRACK_CACHE_DIR overrides, for tests and CI)."""
    env = os.environ.get("PAPERTRACK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("papertrack"))


def data_dir() -> Path:
    """The user data folder for history snapshots (PAPERTRACK_DATA_DIR overrides)."""
    env = os.environ.get("PAPERTRACK_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("papertrack"))


def project_key(folder: Path) -> str:
    """A stable short key for a paper folder, used to name its cache and build folders."""
    resolved = str(folder.resolve())
    return Path(resolved).name[:40] + "-" + hashlib.sha256(resolved.encode()).hexdigest()[:12]


def templates_dir() -> Path:
    """The shipped templates: inside the installed package, or the repository's templates/."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"
