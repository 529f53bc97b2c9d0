"""Shared helpers for the hardening tests: folder snapshots and output invariants (issue 8)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry under folder: path -> (kind, size, sha256 or link target, mtime_ns).

    Symbolic links are recorded, not followed, so a link to /etc or a link loop is fine.
    """
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            rel = p.relative_to(folder).as_posix()
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", 0, os.readlink(p), st.st_mtime_ns)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", 0, "", st.st_mtime_ns)
            else:
                try:
                    digest = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
                out[rel] = ("file", st.st_size, digest, st.st_mtime_ns)
    return out


def tree_diff(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Human-readable differences between two tree_state snapshots (empty when identical)."""
    out = [f"new: {p}" for p in sorted(set(after) - set(before))]
    out += [f"gone: {p}" for p in sorted(set(before) - set(after))]
    out += [
        f"changed: {p} {before[p]} -> {after[p]}"
        for p in sorted(set(before) & set(after))
        if before[p] != after[p]
    ]
    return out


def line_count(path: Path) -> int:
    """Lines of a file as papertrack counts them (CR, LF and CRLF all end a line)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return max(normalized.count("\n"), data.count(b"\n")) + 1


def check_locations(folder: Path, locations: list[dict]) -> None:
    """Each location names a file inside the paper folder, with a line the file has."""
    root = folder.resolve()
    for loc in locations:
        file, line, col = loc.get("file"), loc.get("line"), loc.get("col")
        if file is None:
            continue
        assert not os.path.isabs(file), loc
        p = folder / file
        assert p.resolve().is_relative_to(root), f"outside the paper: {loc}"
        assert p.is_file(), f"not a file of the paper: {loc}"
        assert isinstance(line, int) and 1 <= line <= line_count(p), f"line out of range: {loc}"
        assert isinstance(col, int) and col >= 1, loc


def check_json_output(folder: Path, text: str) -> dict:
    """The JSON report parses, and every finding points into the paper."""
    data = json.loads(text)
    assert isinstance(data, dict) and isinstance(data["findings"], list)
    locs = []
    for f in data["findings"]:
        assert isinstance(f["code"], str) and f["code"].startswith("PT"), f
        assert isinstance(f["message"], str) and f["message"], f
        locs.append(f)
        locs.extend(f.get("related") or [])
    check_locations(folder, locs)
    return data
