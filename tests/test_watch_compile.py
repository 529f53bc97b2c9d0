"""watch's background build: exact pages swapped in, errors shown, stale builds cancelled."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from papertrack.config import load_config
from papertrack.watch.loop import watch
from papertrack.watch.session import Session

pytestmark = pytest.mark.tex
needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"
SLOW = r"""\documentclass{article}
\newcount\n
\begin{document}
\section{Intro}
Some words. %s
\loop\advance\n by 1 \ifnum\n<40000000\repeat
\end{document}
"""


class Watching:
    def __init__(self, folder: Path) -> None:
        self.session = Session(folder, lambda: load_config(folder), compile_=True)
        self.snaps: list = []
        self.messages: list[str] = []
        real = self.session.on_compile

        def on_compile(item):
            self.messages.append(item[0])
            return real(item)

        self.session.on_compile = on_compile
        self.cond = threading.Condition()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch, args=(self.session, self.show), kwargs={"stop": self.stop}, daemon=True
        )
        self.thread.start()

    def show(self, snap) -> None:
        with self.cond:
            self.snaps.append(snap)
            self.cond.notify_all()

    def wait(self, pred, timeout: float = 180):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for s in reversed(self.snaps):
                    if pred(s):
                        return s
                left = deadline - time.monotonic()
                assert left > 0, "timed out"
                self.cond.wait(left)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(15)
        assert not self.thread.is_alive()


def latex_processes_under(folder: Path) -> list[int]:
    """Processes (latexmk, TeX, BibTeX) working in a folder under `folder` (from /proc)."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd.startswith(str(folder)):
            out.append(int(pid))
    return out


@needs_tex
def test_exact_pages_are_swapped_in_when_the_build_finishes(tmp_path):
    paper = tmp_path / "draft"
    shutil.copytree(EXAMPLE, paper)
    w = Watching(paper)
    try:
        first = w.wait(lambda s: s.kind == "text")
        assert first.result.document.pages.method == "estimate"  # the text never waits for TeX
        done = w.wait(lambda s: s.kind == "compile")
        pages = done.result.document.pages
        assert pages.method == "exact" and 4.5 < pages.main_pages < 4.8
        assert any(f.code == "PT501" for f in done.result.findings)
        assert done.compile.last_ok and done.compile.exact_current
        # a save: the text update comes first with an estimate, the last exact count stays known
        sec = next((paper / "sections").glob("*.tex"))
        sec.write_text(sec.read_text() + "\nTODO after-build\n")
        text = w.wait(lambda s: s.kind == "text" and s.seq >= 2)
        assert any("after-build" in f.message for f in text.result.findings)
        assert text.compile.exact is not None and not text.compile.exact_current
        again = w.wait(lambda s: s.kind == "compile" and s.seq >= 2)
        assert again.result.document.pages.method == "exact"
        assert any("after-build" in f.message for f in again.result.findings)
    finally:
        w.close()


@needs_tex
def test_a_paper_that_does_not_compile_keeps_the_text_checks(tmp_path):
    paper = tmp_path / "draft"
    shutil.copytree(EXAMPLE, paper)
    w = Watching(paper)
    try:
        w.wait(lambda s: s.kind == "compile")
        main = paper / "main.tex"
        lines = main.read_text().splitlines()
        at = next(i for i, line in enumerate(lines) if "\\begin{document}" in line) + 1
        lines.insert(at, "\\undefinedmacrofortest TODO broken-build")
        main.write_text("\n".join(lines) + "\n")
        text = w.wait(lambda s: s.kind == "text" and s.seq >= 2)
        assert any("broken-build" in f.message for f in text.result.findings)
        built = w.wait(lambda s: s.kind == "compile" and s.seq >= 2)
        st = built.compile
        assert st.error and "Undefined control sequence" in st.error
        assert st.error_at == f"main.tex:{at + 1}"
        codes = {f.code for f in built.result.findings}
        assert "PT701" in codes
        assert any("broken-build" in f.message for f in built.result.findings)
    finally:
        w.close()


@needs_tex
def test_a_newer_save_cancels_the_running_build(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(cache))
    paper = tmp_path / "slow"
    paper.mkdir()
    main = paper / "main.tex"
    main.write_text(SLOW % "first")
    w = Watching(paper)
    try:
        w.wait(lambda s: s.compile.running, timeout=60)
        deadline = time.monotonic() + 60
        while not latex_processes_under(cache):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        main.write_text(SLOW.replace("40000000", "10") % "second TODO newer")
        w.wait(lambda s: s.kind == "text" and s.seq >= 2)
        done = w.wait(lambda s: s.kind == "compile", timeout=240)
        assert "compile-cancelled" in w.messages
        assert done.compile.last_current
        assert any("newer" in f.message for f in done.result.findings)
    finally:
        w.close()
    assert latex_processes_under(cache) == []
