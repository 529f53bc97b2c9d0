"""Every command leaves the paper folder exactly as it was (issue 8): same files, bytes, mtimes.

Each corpus paper is copied to a temporary folder (symbolic links kept as links); every entry's
path, kind, size, sha256 and mtime_ns (folders too: a file created and deleted again changes
its folder's mtime) is recorded, the commands run one after the other, and the tree is compared
after each. The parse cache must land in PAPERTRACK_CACHE_DIR, never in the paper.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bad_inputs import tree_diff, tree_state
from click.testing import CliRunner
from helpers import CORPUS, corpus_papers, default_signals, needs_corpus

from papertrack.cli import main

pytestmark = [pytest.mark.corpus, needs_corpus()]
PAPERS = corpus_papers()
HAS_TEX = shutil.which("latexmk") is not None


def _has(command: str) -> bool:
    return command in main.commands


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, Path]:
    cache, data = tmp_path / "cache", tmp_path / "data"
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(cache))
    monkeypatch.setenv("PAPERTRACK_DATA_DIR", str(data))
    return {"cache": cache, "data": data}


def _copy(name: str, tmp_path: Path) -> Path:
    dst = tmp_path / "papers" / name
    shutil.copytree(CORPUS / name, dst, symlinks=True)
    return dst


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}\n{result.output[-2000:]}"
    )
    assert "Traceback" not in result.output, result.output[-2000:]
    assert result.exit_code in (0, 1), f"{args} exited {result.exit_code}:\n{result.output[-2000:]}"
    return result.output


def _assert_untouched(paper: Path, before: dict, what: str) -> None:
    diff = tree_diff(before, tree_state(paper))
    assert diff == [], f"{what} changed the paper folder:\n" + "\n".join(diff[:20])


def _watch_briefly(paper: Path, env: dict[str, Path], after_first: float = 1.5) -> None:
    """Run `papertrack watch --plain --no-compile` until its first update and a little more, then stop it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "papertrack", "watch", "--plain", "--no-compile", str(paper)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PAPERTRACK_CACHE_DIR": str(env["cache"]),
            "PAPERTRACK_DATA_DIR": str(env["data"]),
        },
        start_new_session=True,
        preexec_fn=default_signals,  # Ctrl-C below acts as at a terminal
    )
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            if "#1" in line:
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        first.wait(timeout=180)  # a liveness bound for slow CI, not a timing assertion
        time.sleep(after_first)  # let it sit watching for a moment
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    reader.join(timeout=10)
    err = proc.stderr.read()
    out = "".join(lines)
    assert "Traceback" not in err, err[-2000:]
    assert first.is_set(), f"watch showed no update:\n{out[-2000:]}\n{err[-2000:]}"


@pytest.mark.parametrize("name", PAPERS)
def test_commands_leave_the_paper_untouched(name, tmp_path, env):
    paper = _copy(name, tmp_path)
    before = tree_state(paper)
    assert before, "empty copy"

    _run(["check", str(paper), "--no-compile"])
    _assert_untouched(paper, before, "check --no-compile")
    parse_cache = env["cache"] / "parse"
    assert parse_cache.is_dir() and any(parse_cache.rglob("*")), (
        "the parse cache is not in PAPERTRACK_CACHE_DIR"
    )

    _run(["check", str(paper), "--no-compile", "--format", "json"])
    _assert_untouched(paper, before, "check --no-compile --format json")
    _run(["check", str(paper), "--no-compile", "--format", "concise", "--no-cache"])
    _assert_untouched(paper, before, "check --no-compile --no-cache")

    if _has("report"):
        _run(["report", str(paper), "--no-compile", "--no-git"])
        _assert_untouched(paper, before, "report")
    if _has("progress"):
        _run(["progress", str(paper), "--no-compile", "--no-git"])
        _assert_untouched(paper, before, "progress")
    if _has("watch"):
        _watch_briefly(paper, env)
        _assert_untouched(paper, before, "watch")

    # nothing of papertrack's own in the paper: no .papertrack/, no .aux, no cache files
    made = [
        p for p in tree_state(paper) if p.startswith(".papertrack") or p.endswith((".aux", ".pkl"))
    ]
    assert made == [] or all(p in before for p in made), made


@pytest.mark.tex
@pytest.mark.skipif(
    not HAS_TEX and not os.environ.get("CI"), reason="needs latexmk (CI installs TeX)"
)
@pytest.mark.parametrize("name", PAPERS)
def test_compiling_leaves_the_paper_untouched(name, tmp_path, env):
    """check with LaTeX (the default) and report: the build runs outside the paper folder."""
    paper = _copy(name, tmp_path)
    before = tree_state(paper)
    _run(["check", str(paper), "--format", "json"])
    _assert_untouched(paper, before, "check --format json (compiling)")
    if _has("report"):
        _run(["report", str(paper), "--no-git"])
        _assert_untouched(paper, before, "report (compiling)")
