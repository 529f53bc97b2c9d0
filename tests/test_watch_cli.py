"""`papertrack watch` as a process: plain lines in a pipe, Ctrl-C, no LaTeX left behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import CORPUS, default_signals

PAPER = "iclr-rnn-extrapolation"
needs_corpus = pytest.mark.skipif(not (CORPUS / PAPER).is_dir(), reason="needs the corpus")
needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
SLOW = r"""\documentclass{article}
\newcount\n
\begin{document}
\section{Intro}
Some words.
\loop\advance\n by 1 \ifnum\n<200000000\repeat
\end{document}
"""


class Proc:
    """`python -m papertrack watch ...` with its output read line by line in a thread."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "papertrack", "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=default_signals,  # Ctrl-C below acts as at a terminal
        )
        self.lines: list[str] = []
        self.raw = b""
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            with self.cond:
                self.raw += raw
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, pred, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if pred(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    err = self.proc.stderr.read1(10000) if self.proc.poll() is not None else b""
                    raise AssertionError(f"no such line; got {self.lines!r} {err!r}")
                self.cond.wait(left)

    def interrupt(self, timeout: float = 10) -> float:
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout)
        return time.monotonic() - t0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def _env(tmp_path: Path, **extra) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PAPERTRACK_CACHE_DIR=str(tmp_path / "cache"), PAPERTRACK_DATA_DIR=str(tmp_path / "data")
    )
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def _warnings(line: str) -> int:
    return int(re.search(r"(\d+) warnings?", line).group(1))


def _updates(lines: list[str]) -> list[str]:
    return [line for line in lines if " #" in line[:14]]


@needs_corpus
def test_plain_lines_in_a_pipe_even_with_force_color(tmp_path):
    paper = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, paper)
    p = Proc(["--no-compile", str(paper)], _env(tmp_path, FORCE_COLOR="1", TERM="xterm-256color"))
    try:
        first = p.wait_line(lambda line: " #1 " in line)
        assert "pages (estimate)" in first and "warning" in first
        target = paper / "conclusions.tex"
        target.write_text(target.read_text() + "\nOne more sentence here. TODO piped-edit\n")
        second = p.wait_line(lambda line: " #2 " in line)
        assert "conclusions.tex:" in second
        assert _warnings(second) == _warnings(first) + 1  # the new TODO
        p.interrupt()
    finally:
        p.kill()
    assert p.proc.returncode == 0
    assert b"\x1b" not in p.raw  # no colour, no cursor movement: a log stays readable
    assert len(_updates(p.lines)) == 2
    assert p.lines[-1] == "papertrack watch: stopped"


@needs_corpus
def test_ctrl_c_exits_promptly_without_compile(tmp_path):
    paper = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, paper)
    p = Proc(["--no-compile", str(paper)], _env(tmp_path))
    try:
        p.wait_line(lambda line: " #1 " in line)
        took = p.interrupt(timeout=10)
    finally:
        p.kill()
    assert p.proc.returncode == 0
    assert took < 10  # generous: the requirement is a second, machines under load vary
    assert b"Traceback" not in p.proc.stderr.read()


def _latex_under(folder: Path) -> list[str]:
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cwd.startswith(str(folder)):
            out.append(cmd)
    return out


@pytest.mark.tex
@needs_tex
def test_ctrl_c_during_a_build_leaves_no_latex_process(tmp_path):
    paper = tmp_path / "slow"
    paper.mkdir()
    (paper / "main.tex").write_text(SLOW)
    cache = tmp_path / "cache"
    p = Proc(["--plain", str(paper)], _env(tmp_path))
    try:
        p.wait_line(lambda line: " #1 " in line)
        deadline = time.monotonic() + 60
        while not any("pdflatex" in c or "latexmk" in c for c in _latex_under(cache)):
            assert time.monotonic() < deadline, "the build did not start"
            time.sleep(0.05)
        took = p.interrupt(timeout=15)
    finally:
        p.kill()
    assert p.proc.returncode == 0
    assert took < 15
    time.sleep(0.5)
    assert _latex_under(cache) == []


@needs_corpus
def test_missing_folder_is_a_usage_error(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "papertrack", "watch", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
    )
    assert r.returncode == 2
    assert "no such file or folder" in r.stderr and "Traceback" not in r.stderr
