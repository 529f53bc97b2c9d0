"""Paths as the user can open them: relative to the folder papertrack was run from."""

from __future__ import annotations

import os
from pathlib import Path


def shown(folder: Path, file: str) -> str:
    """`file` (relative to the paper folder) relative to the current folder when that is shorter.

    `papertrack check paper/` then prints `paper/main.tex:3:1`, which terminals and editors open
    from where the command ran; a paper elsewhere keeps its project-relative path.
    """
    try:
        rel = os.path.relpath(folder / file)
    except ValueError:  # another drive on Windows
        return file
    return rel if not rel.startswith(".." + os.sep + "..") else file
