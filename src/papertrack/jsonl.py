"""Append-only JSON-lines files (the run history): the newest valid record, read from the end."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

TAIL_BYTES = 4096  # a record is far shorter: the newest one is always in the last 4 kB


def last_record(path: Path, valid: Callable[[Any], bool]) -> Any | None:
    """The last line of `path` that parses as JSON and that `valid` accepts; None if none does
    or the file cannot be read. Only the tail is read: history files only grow."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - TAIL_BYTES))
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if valid(record):
            return record
    return None
