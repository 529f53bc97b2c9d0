"""Helpers the tests import (conftest.py holds only fixtures and hooks: pytest imports it itself)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
if not CORPUS.is_dir():  # a checkout laid out as <work>/<repo>: shared/ sits beside the repo
    CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def write_project(root: Path, spec: str) -> Path:
    """Write files from a spec where a line `%! path` starts each file (as texlab's tests do)."""
    root.mkdir(parents=True, exist_ok=True)
    current: Path | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None:
            current.parent.mkdir(parents=True, exist_ok=True)
            current.write_text("\n".join(lines).strip("\n") + "\n", encoding="utf-8")

    for line in spec.strip("\n").splitlines():
        if line.startswith("%! "):
            flush()
            current = root / line[3:].strip()
            lines = []
        else:
            lines.append(line)
    flush()
    return root


def corpus_papers() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def needs_corpus():
    return pytest.mark.skipif(
        not CORPUS.is_dir() and not os.environ.get("CI"), reason="../shared/corpus not present"
    )


def check_static(root: Path):
    """The check of a paper without compiling it and without the parse cache."""
    from papertrack.check import run_check
    from papertrack.config import Config

    return run_check(root, cfg=Config(compile=False), use_cache=False)


def finding_codes(result, *wanted: str) -> list[str]:
    """The codes of the findings among `wanted`, sorted (one per finding)."""
    return sorted(f.code for f in result.findings if f.code in wanted)


def pdflatex(folder: Path, out: Path, runs: int = 1) -> str:
    """Compile folder/main.tex with pdflatex into out (no shell escape, stdin closed) and
    return its log: TeX's own answer for a fixture."""
    import subprocess

    for _ in range(runs):
        subprocess.run(
            [
                "pdflatex",
                "-interaction=nonstopmode",
                "-no-shell-escape",
                f"-output-directory={out}",
                "main.tex",
            ],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=180,
            check=False,
        )
    return (out / "main.log").read_text(errors="replace")


def default_signals() -> None:
    """preexec_fn for a child a test interrupts: Ctrl-C acts as it does at a terminal, even
    when the test runner was started in the background (where the shell ignores SIGINT, and
    its children would inherit that)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
