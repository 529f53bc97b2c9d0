"""watch with a real watchdog observer on a temporary copy of a corpus paper.

Every editor's save pattern, done with real file operations, must give exactly one update, and
that update must show what a fresh check of the folder shows. Waits are generous timeouts;
nothing here asserts how fast anything is.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from helpers import CORPUS

from papertrack.check import run_check
from papertrack.config import load_config
from papertrack.watch.loop import watch
from papertrack.watch.session import Session

PAPER = "iclr-rnn-extrapolation"
SETTLE = 2.0  # after an update, no second one may come within this (the debounce's grace is 1 s)

pytestmark = pytest.mark.skipif(not (CORPUS / PAPER).is_dir(), reason="needs the corpus")


class Watching:
    """Runs watch() in a thread and records what it shows."""

    def __init__(self, folder: Path, **kw) -> None:
        self.folder = folder
        self.session = Session(folder, lambda: load_config(folder), compile_=False, **kw)
        self.snaps: list = []
        self.cond = threading.Condition()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch, args=(self.session, self.show), kwargs={"stop": self.stop}, daemon=True
        )
        self.thread.start()
        self.wait_updates(0, timeout=120)

    def show(self, snap) -> None:
        with self.cond:
            self.snaps.append(snap)
            self.cond.notify_all()

    def updates(self) -> list:
        """Text updates and failed updates: what one save must produce exactly one of."""
        with self.cond:
            return [s for s in self.snaps if s.kind in ("text", "error")]

    def wait_updates(self, n_before: int, timeout: float = 30) -> list:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len([s for s in self.snaps if s.kind in ("text", "error")]) <= n_before:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no update came")
                self.cond.wait(left)
        return self.updates()[n_before:]

    def save(self, action) -> list:
        """Run one save action; return every update it caused (after a quiet settle time)."""
        n = len(self.updates())
        action()
        self.wait_updates(n)
        time.sleep(SETTLE)
        return self.updates()[n:]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def paper(tmp_path):
    dest = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, dest)
    return dest


@pytest.fixture
def watching(paper):
    w = Watching(paper)
    yield w
    w.close()


def fresh(folder: Path):
    cfg = dataclasses.replace(load_config(folder), compile=False)
    return run_check(folder, cfg=cfg)


def summary(result) -> tuple:
    doc = result.document
    findings = sorted((f.code, str(f.location), f.message) for f in result.findings)
    sections = [(s.title, s.heading.file, s.words) for s in doc.sections]
    return doc.main, doc.words, sections, findings


def words_of(result, title: str) -> int:
    return next(s.total_words for s in result.document.sections if s.title == title)


def todo_findings(result, marker: str) -> list:
    return [f for f in result.findings if f.code == "PT301" and marker in f.message]


ADDED = "Seven brand new words stand right here."  # 7 words


def edited(path: Path, marker: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text.rstrip("\n") + f"\n\n{ADDED} TODO {marker}\n"


def write(path: Path, text: str, fsync: bool = True) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        if fsync:
            os.fsync(fh.fileno())


# --- the editors' save patterns, as real file operations --------------------------------------


def plain_overwrite(path: Path, text: str) -> None:
    write(path, text)


def vim_save(path: Path, text: str) -> None:
    d = path.parent
    write(d / f".{path.name}.swp", "swap")  # vim's swap file is written while editing
    probe = d / "4913"
    write(probe, "")
    probe.unlink()
    backup = d / (path.name + "~")
    os.rename(path, backup)  # the file is missing for a moment
    time.sleep(0.01)
    write(path, text)
    backup.unlink()
    write(d / f".{path.name}.swp", "swap again")


def emacs_save(path: Path, text: str) -> None:
    d = path.parent
    lock = d / f".#{path.name}"
    os.symlink("user@host.1234:1700000000", lock)
    write(d / f"#{path.name}#", text)  # auto-save
    os.rename(path, d / (path.name + "~"))  # first save keeps a backup
    write(path, text)
    (d / f"#{path.name}#").unlink()
    lock.unlink()


def jetbrains_save(path: Path, text: str) -> None:
    d = path.parent
    tmp = d / f"{path.name}___jb_tmp___"
    old = d / f"{path.name}___jb_old___"
    write(tmp, text)
    os.rename(path, old)
    os.rename(tmp, path)
    old.unlink()


def atomic_rename_save(path: Path, text: str) -> None:
    tmp = path.parent / f"{path.name}.tmp.{os.getpid()}"  # the real file appears only as dest_path
    write(tmp, text)
    os.replace(tmp, path)


def hidden_temp_rename_save(path: Path, text: str) -> None:
    tmp = path.parent / f".{path.name}.{os.getpid()}~"
    write(tmp, text)
    os.replace(tmp, path)


def sed_in_place(path: Path, text: str) -> None:
    marker = text.rstrip("\n").rsplit("TODO ", 1)[1]
    subprocess.run(
        ["sed", "-i", f"$ a\\\\n{ADDED} TODO {marker}", str(path)], check=True, capture_output=True
    )


def autosave_burst(path: Path, text: str) -> None:
    for i in range(1, 6):  # an editor saving as you type, faster than the quiet window
        write(path, text[: len(text) - 5 + i] if i < 5 else text, fsync=False)
        time.sleep(0.005)
    write(path, text)


PATTERNS = [
    plain_overwrite,
    vim_save,
    emacs_save,
    jetbrains_save,
    atomic_rename_save,
    hidden_temp_rename_save,
    sed_in_place,
    autosave_burst,
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.__name__ for p in PATTERNS])
def test_each_save_pattern_gives_one_update_with_the_new_numbers(watching, paper, pattern):
    target = paper / "conclusions.tex"
    before = watching.updates()[-1].result
    marker = f"{pattern.__name__}-x"
    ups = watching.save(lambda: pattern(target, edited(target, marker)))
    assert len(ups) == 1, [(u.kind, u.changed, u.error) for u in ups]
    snap = ups[0]
    assert snap.kind == "text", snap.error
    assert "conclusions.tex" in snap.changed
    after = snap.result
    assert words_of(after, "Conclusion") == words_of(before, "Conclusion") + 9  # 7, TODO, marker
    (todo,) = todo_findings(after, marker)
    assert todo.location.file == "conclusions.tex"
    assert target.read_text().splitlines()[todo.location.line - 1].endswith(f"TODO {marker}")
    assert summary(after) == summary(fresh(paper))
    # nothing of the editors' temp files is left, nothing was written by papertrack
    leftovers = [p.name for p in paper.iterdir() if p.name.endswith(("~", "___", ".swp"))]
    assert leftovers in ([], [".conclusions.tex.swp"], ["conclusions.tex~"])


def test_saves_in_turn_each_give_one_update(watching, paper):
    target = paper / "introduction.tex"
    for i in range(3):
        ups = watching.save(lambda i=i: write(target, edited(target, f"turn-{i}")))
        assert len(ups) == 1
        assert len(todo_findings(ups[0].result, "turn-")) == i + 1


def test_reading_files_never_triggers(watching, paper):
    n = len(watching.updates())
    for p in paper.glob("*.tex"):
        p.read_text(encoding="utf-8")
    fresh(paper)  # a whole check reads everything
    time.sleep(SETTLE)
    assert len(watching.updates()) == n


def test_a_new_input_is_picked_up_and_a_removed_one_dropped(watching, paper):
    new = paper / "outlook.tex"
    ups = watching.save(lambda: write(new, "\\section{Outlook}\nFour words of outlook.\n"))
    assert len(ups) == 1
    assert "Outlook" not in [s.title for s in ups[0].result.document.sections]
    main = paper / "main.tex"
    original = main.read_text(encoding="utf-8")
    with_input = original.replace(
        "\\input{conclusions.tex}", "\\input{conclusions.tex}\n\\input{outlook}"
    )
    assert with_input != original
    ups = watching.save(lambda: write(main, with_input))
    assert len(ups) == 1
    doc = ups[0].result.document
    assert "outlook.tex" in doc.project.files
    assert words_of(ups[0].result, "Outlook") == 4
    ups = watching.save(lambda: write(new, "\\section{Outlook}\nNow six words of outlook here.\n"))
    assert words_of(ups[0].result, "Outlook") == 6
    ups = watching.save(lambda: write(main, original))
    assert len(ups) == 1
    assert "outlook.tex" not in ups[0].result.document.project.files
    assert summary(ups[0].result) == summary(fresh(paper))


def test_branch_switch_gives_one_update(tmp_path):
    folder = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, folder)
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    subprocess.run([*git, "checkout", "-q", "-b", "draft"], check=True)
    for name in ("introduction.tex", "analysis.tex", "experiments.tex", "conclusions.tex"):
        p = folder / name
        p.write_text(edited(p, f"branch-{name}"), encoding="utf-8")
    (folder / "related_work.tex").unlink()
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "two"], check=True)
    subprocess.run([*git, "checkout", "-q", "main"], check=True)
    w = Watching(folder)
    try:
        ups = w.save(lambda: subprocess.run([*git, "checkout", "-q", "draft"], check=True))
        assert len(ups) == 1
        assert len(todo_findings(ups[0].result, "branch-")) == 4
        assert summary(ups[0].result) == summary(fresh(folder))
        ups = w.save(lambda: subprocess.run([*git, "checkout", "-q", "main"], check=True))
        assert len(ups) == 1
        assert todo_findings(ups[0].result, "branch-") == []
        assert summary(ups[0].result) == summary(fresh(folder))
    finally:
        w.close()


def test_root_deleted_and_recreated(watching, paper):
    main = paper / "main.tex"
    text = main.read_text(encoding="utf-8")
    ups = watching.save(main.unlink)
    assert len(ups) == 1
    assert ups[0].kind == "error" and "main.tex" in ups[0].error
    assert ups[0].result is not None  # the last good result stays on screen
    ups = watching.save(lambda: write(main, text.replace("\\input{conclusions.tex}", "")))
    assert len(ups) == 1 and ups[0].kind == "text"
    assert ups[0].result.document.main == "main.tex"
    assert "Conclusion" not in [s.title for s in ups[0].result.document.sections]
    assert summary(ups[0].result) == summary(fresh(paper))


def test_an_exception_in_an_update_is_shown_and_watching_goes_on(watching, paper):
    real = watching.session.make_config
    calls = {"n": 0}

    def broken():
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom in the config")
        return real()

    watching.session.make_config = broken
    target = paper / "conclusions.tex"
    ups = watching.save(lambda: write(target, edited(target, "after-boom")))
    assert len(ups) == 1 and ups[0].kind == "error"
    assert "boom in the config" in ups[0].error
    assert ups[0].problems and "RuntimeError" in ups[0].problems[-1]
    ups = watching.save(lambda: write(target, edited(target, "after-boom-2")))
    assert len(ups) == 1 and ups[0].kind == "text"
    assert todo_findings(ups[0].result, "after-boom-2")


def test_an_exception_in_the_event_handler_does_not_kill_the_observer(watching, paper):
    from papertrack.watch import events

    real = events.PathFilter.relevant

    def flaky(self, path):
        if path.endswith("poison.tex"):
            raise ValueError("bad path")
        return real(self, path)

    events.PathFilter.relevant = flaky
    try:
        n = len(watching.snaps)
        write(paper / "poison.tex", "x")
        deadline = time.monotonic() + 20
        while not any("bad path" in p for s in watching.snaps[n:] for p in s.problems):
            assert time.monotonic() < deadline, "the handler's exception was not shown"
            time.sleep(0.05)
        target = paper / "conclusions.tex"
        ups = watching.save(lambda: write(target, edited(target, "still-alive")))
        assert len(ups) == 1 and todo_findings(ups[0].result, "still-alive")
    finally:
        events.PathFilter.relevant = real


def test_papertrack_never_writes_into_the_paper_folder(paper):
    def listing():
        return sorted((str(p.relative_to(paper)), p.stat().st_size) for p in paper.rglob("*"))

    before = listing()
    w = Watching(paper)
    try:
        target = paper / "conclusions.tex"
        w.save(lambda: write(target, edited(target, "no-writes")))
    finally:
        w.close()
    after = listing()
    changed = {name for name, _ in set(after) ^ set(before)}
    assert changed == {"conclusions.tex"}


def test_the_folder_removed_and_put_back(tmp_path):
    folder = tmp_path / PAPER
    shutil.copytree(CORPUS / PAPER, folder)
    backup = tmp_path / "backup"
    shutil.copytree(folder, backup)
    w = Watching(folder)
    try:
        n = len(w.updates())
        shutil.rmtree(folder)
        ups = w.wait_updates(n)
        assert ups[0].kind == "error" and ups[0].result is not None
        shutil.copytree(backup, folder)
        target = folder / "conclusions.tex"
        deadline = time.monotonic() + 30
        while not any(u.kind == "text" for u in w.updates()[n:]):
            assert time.monotonic() < deadline, "watching did not resume"
            time.sleep(0.1)
        time.sleep(SETTLE)
        ups = w.save(lambda: write(target, edited(target, "back-again")))
        assert len(ups) == 1 and todo_findings(ups[0].result, "back-again")
    finally:
        w.close()


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"
SENTENCE = (
    "The measurements in this paragraph repeat the setting of the earlier runs with a larger "
    "cache, and they show the same trend for every workload we tried. "
)


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX not installed")
def test_twenty_saves_with_builds_between_move_the_pages_only_by_the_edits(tmp_path):
    """Between builds the figure is the last build plus the edit; a build only corrects it."""
    from papertrack.accounting import compile_for

    paper = tmp_path / "draft"
    shutil.copytree(EXAMPLE, paper)
    s = Session(paper, lambda: load_config(paper), compile_=True, with_completion=False)
    if s.runner is not None:  # builds are run by the test, in between the saves
        s.runner.stop()
        s.runner = None
    sec = paper / "sections" / "evaluation.tex"
    original = sec.read_text()
    added: list[str] = []
    s.update()

    def build():
        res = s.result
        out = compile_for(res.document, res.config)
        return s.on_compile(("compiled", s.fp, out))

    shown = [build().result.document.pages]
    exact = [shown[0].main_pages]
    assert shown[0].method == "exact" and shown[0].since is None
    # grow, shrink, grow again: paragraphs of 2 to 7 sentences (about 60 to 200 words)
    plan = [3, 5, 2, 7, 4, -2, -3, 6, 2, -1, 5, 3, -4, 2, 6, -2, 3, -1, 4, 2]
    for i, n in enumerate(plan):
        if n > 0:
            added.append("\n\n" + SENTENCE * n)
        else:
            for _ in range(-n):
                if added:
                    added.pop()
        sec.write_text(original + "".join(added))
        text = s.update(frozenset([str(sec)])).result.document.pages
        assert text.method == "exact" and text.since is not None, i  # never the estimate again
        after = build().result.document.pages
        assert after.method == "exact" and after.since is None
        edit = abs(after.main_pages - exact[-1])  # what the edit itself changed, per TeX
        lpp = text.since.lines_per_page
        # the save moves the figure by about the edit (a float or a paragraph may move a few
        # lines more in TeX than in the count of lines)
        assert abs(text.main_pages - shown[-1].main_pages) <= edit + 4 / lpp + 0.25 * edit, i
        # the build that follows only corrects the edit's estimate, it never jumps further
        assert abs(after.main_pages - text.main_pages) <= 4 / lpp + 0.25 * edit, i
        shown.append(after)
        exact.append(after.main_pages)
    assert max(exact) - min(exact) > 0.2  # the edits did move the pages
