"""GitHub Actions workflow commands: one annotation per finding, on its file and line."""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path, PurePosixPath

from papertrack.engine import Analysis
from papertrack.findings import Finding, Severity
from papertrack.reporters.escape import visible

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as GitHub's toolkit does (`%`, CR and LF).

    Other control characters are spelt out first (reporters/escape.py): the log viewer would
    otherwise interpret ANSI sequences from the paper.
    """
    text = visible(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as a message, plus `:` and `,`, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@lru_cache(maxsize=32)
def git_toplevel(folder: str) -> Path | None:
    """The root of the git working tree holding `folder`, or None outside git (or without git)."""
    try:
        out = subprocess.run(
            # the paper's repository config may name programs: none is needed to find the root
            ["git", "-c", "core.fsmonitor=", "-C", folder, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = out.stdout.strip()
    return Path(top) if out.returncode == 0 and top else None


def base_dir(folder: Path) -> Path:
    """What annotation paths are relative to: the repository root (GitHub's view), else the cwd."""
    return git_toplevel(str(Path(folder).resolve())) or Path.cwd().resolve()


def repo_path(folder: Path, file: str) -> str:
    """`file` (relative to the paper folder) as a POSIX path relative to the repository root."""
    absolute = os.path.normpath(os.path.join(Path(folder).resolve(), file))
    return PurePosixPath(Path(os.path.relpath(absolute, base_dir(folder)))).as_posix()


def _line(f: Finding, folder: Path, main: str) -> str:
    props = [f"file={escape_property(repo_path(folder, f.location.file if f.location else main))}"]
    if f.location:
        props += [f"line={f.location.line}", f"col={f.location.col}"]
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    message = f.message + (f"\nfix: {f.fix}" if f.fix else "")
    return f"::{LEVEL[f.severity]} {','.join(props)}::{escape_data(message)}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render(result: Analysis) -> str:
    doc = result.document
    lines = [_line(f, doc.folder, doc.main) for f in result.findings]
    counts = result.counts()
    # plain text is shown in the log as is; the root's name is the paper's, so it is escaped
    # too: a newline in it would start a line of its own, read as a workflow command
    errors, warnings = _n(counts[Severity.ERROR], "error"), _n(counts[Severity.WARNING], "warning")
    where = escape_data(repo_path(doc.folder, doc.main))
    lines.append(f"papertrack: {errors}, {warnings}, {counts[Severity.INFO]} info in {where}")
    return "\n".join(lines)
