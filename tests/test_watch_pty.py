"""`papertrack watch` on a terminal: the live dashboard, read back from a terminal emulator."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from helpers import CORPUS

pyte = pytest.importorskip("pyte")

PAPER = "iclr-rnn-extrapolation"
COLS, ROWS = 120, 45
pytestmark = pytest.mark.skipif(not (CORPUS / PAPER).is_dir(), reason="needs the corpus")


class Terminal:
    """A pseudo-terminal running papertrack, its output fed to a pyte screen."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "papertrack", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.raw = b""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.raw += data
                self.stream.feed(data)

    def text(self) -> str:
        with self.lock:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, pred, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if pred(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never matched:\n{text}")
            time.sleep(0.05)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        os.close(self.master)


def test_the_dashboard_shows_an_edit(tmp_path):
    paper = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, paper)
    env = dict(os.environ)
    env.update(
        PAPERTRACK_CACHE_DIR=str(tmp_path / "cache"),
        PAPERTRACK_DATA_DIR=str(tmp_path / "data"),
        TERM="xterm-256color",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
    )
    env.pop("NO_COLOR", None)
    term = Terminal(["watch", "--no-compile", str(paper)], env)
    try:
        # a frame is complete when its last line is there (a redraw may be read half-way)
        screen = term.wait_for(lambda s: "update #1" in s and "Ctrl-C to stop" in s)
        assert "papertrack watch" in screen
        assert "pages" in screen and "(estimate)" in screen
        assert "Conclusion" in screen  # one bar per section
        warnings = int(re.search(r"(\d+) warnings?", screen).group(1))
        target = paper / "conclusions.tex"
        target.write_text(
            target.read_text() + "\nSeven brand new words stand right here. TODO pty-edit\n"
        )
        screen = term.wait_for(
            lambda s: "update #2" in s and "pty-edit" in s and "Ctrl-C to stop" in s
        )
        assert "saved conclusions.tex" in screen
        assert f"{warnings + 1} warnings" in screen
        row = next(line for line in screen.splitlines() if "PT301" in line)
        assert "conclusions.tex:" in row and "pty-edit" in row
        conclusion = next(
            line for line in screen.splitlines() if line.strip().startswith("Conclusion")
        )
        assert "347" in conclusion  # 338 words + 9
        os.write(term.master, b"\x03")  # Ctrl-C from the keyboard
        term.proc.wait(15)
        assert term.proc.returncode == 0
        term.wait_for(lambda s: "stopped" in s, timeout=5)
    finally:
        term.close()
