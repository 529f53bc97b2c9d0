"""watch's event filter and trailing debounce, on synthetic event sequences (no observer, no clock)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from papertrack.watch.events import Change, Debounce, PathFilter, changes_of, is_temp_name

ROOT = "/paper"


@dataclass
class Ev:
    """A stand-in for a watchdog event."""

    event_type: str
    src_path: str
    dest_path: str = ""
    is_directory: bool = False


def p(rel: str) -> str:
    return f"{ROOT}/{rel}"


@pytest.fixture
def keep(tmp_path):
    return PathFilter(tmp_path).relevant


@pytest.mark.parametrize(
    "name",
    [
        ".main.tex.swp",
        ".main.tex.swx",
        ".main.tex.swo",
        "4913",
        "5036",
        "main.tex~",
        ".#main.tex",
        "#main.tex#",
        "main.tex___jb_tmp___",
        "main.tex___jb_old___",
        ".goutputstream-ABC123",
        "main.tex.tmp",
        "sedAbC123",
    ],
)
def test_editor_temp_names(name):
    assert is_temp_name(name) or name.startswith(".")


@pytest.mark.parametrize(
    "name", ["main.tex", "refs.bib", "fig1.pdf", "intro.tex", "2023.tex", "a~b.tex"]
)
def test_real_names_are_not_temp(name):
    assert not is_temp_name(name)


def test_filter(tmp_path):
    (tmp_path / "main.tex").write_text("x")
    f = PathFilter(tmp_path, ignored=(tmp_path / "cachedir",))
    root = str(tmp_path.resolve())
    assert f.relevant(f"{root}/main.tex")
    assert f.relevant(f"{root}/sections/intro.tex")
    assert f.relevant(f"{root}/figures/plot.pdf")
    assert f.relevant(f"{root}/.latexmkrc")
    assert f.relevant(f"{root}/.papertrack/venues/mine.toml")
    assert not f.relevant(f"{root}/main.pdf")  # the writer's own build of main.tex
    assert not f.relevant(f"{root}/main.aux")
    assert not f.relevant(f"{root}/main.synctex.gz")
    assert not f.relevant(f"{root}/.git/index")
    assert not f.relevant(f"{root}/.git/refs/heads/main")
    assert not f.relevant(f"{root}/.idea/workspace.xml")
    assert not f.relevant(f"{root}/_papertrack_out/main.log")
    assert not f.relevant(f"{root}/cachedir/parse/ab/cd.pkl")
    assert not f.relevant(f"{root}/.main.tex.swp")
    assert not f.relevant("/elsewhere/main.tex")
    assert not f.relevant(root)


def test_reads_and_folder_mtimes_never_count(keep, tmp_path):
    root = str(tmp_path.resolve())
    assert changes_of(Ev("opened", f"{root}/main.tex"), keep) == []
    assert changes_of(Ev("closed_no_write", f"{root}/main.tex"), keep) == []
    assert changes_of(Ev("modified", root, is_directory=True), keep) == []
    assert changes_of(Ev("closed", f"{root}/main.tex"), keep) == [
        Change(f"{root}/main.tex", "closed")
    ]


def test_rename_onto_the_real_file_counts_by_its_destination(keep, tmp_path):
    root = str(tmp_path.resolve())
    out = changes_of(Ev("moved", f"{root}/main.tex___jb_tmp___", f"{root}/main.tex"), keep)
    assert out == [Change(f"{root}/main.tex", "moved-here")]
    out = changes_of(Ev("moved", f"{root}/main.tex", f"{root}/main.tex~"), keep)
    assert out == [Change(f"{root}/main.tex", "moved-away")]


def _run(events: list[tuple[float, list[Change]]], deb: Debounce, until: float, step=0.005):
    """Feed timed changes and poll every `step` seconds; returns (time, batch) pairs."""
    out = []
    t = 0.0
    queue = sorted(events, key=lambda e: e[0])
    while t <= until:
        while queue and queue[0][0] <= t:
            deb.add(queue.pop(0)[1], t)
        batch = deb.take(t)
        if batch:
            out.append((t, batch))
        t = round(t + step, 6)
    return out


def C(kind, rel, is_dir=False):
    return Change(p(rel), kind, is_dir)


def test_plain_overwrite_is_one_batch():
    deb = Debounce(quiet=0.05, exists=lambda path: True)
    evs = [
        (0.0, [C("modified", "a.tex")]),
        (0.001, [C("modified", "a.tex")]),
        (0.002, [C("closed", "a.tex")]),
    ]
    out = _run(evs, deb, 1.0)
    assert len(out) == 1 and out[0][1] == {p("a.tex")}
    assert out[0][0] == pytest.approx(0.052, abs=0.006)


def test_vim_save_pattern_is_one_batch():
    # 4913 test file, main.tex renamed to main.tex~ (missing for a moment), new main.tex
    # written, a slow fsync before the close, backup deleted; swap file writes filtered before
    deb = Debounce(
        quiet=0.05, expected=lambda path: path == p("main.tex"), exists=lambda path: True
    )
    evs = [
        (0.000, [C("moved-away", "main.tex")]),
        (0.002, [C("created", "main.tex")]),
        (0.003, [C("modified", "main.tex")]),
        (0.250, [C("closed", "main.tex")]),  # fsync took 250 ms: longer than the quiet window
    ]
    out = _run(evs, deb, 2.0)
    assert len(out) == 1
    assert out[0][0] >= 0.25


def test_a_missing_project_file_waits_for_its_return():
    present = {"main.tex": False}
    deb = Debounce(
        quiet=0.05,
        expected=lambda path: path == p("main.tex"),
        exists=lambda path: present["main.tex"],
    )
    evs = [(0.0, [C("moved-away", "main.tex")]), (0.3, [C("moved-here", "main.tex")])]

    def flip(t):
        if t >= 0.3:
            present["main.tex"] = True

    out, t = [], 0.0
    queue = list(evs)
    while t <= 2.0:
        flip(t)
        while queue and queue[0][0] <= t:
            deb.add(queue.pop(0)[1], t)
        b = deb.take(t)
        if b:
            out.append((t, b))
        t = round(t + 0.005, 6)
    assert len(out) == 1 and out[0][0] >= 0.35


def test_a_real_deletion_still_fires_after_the_grace():
    deb = Debounce(quiet=0.05, grace=1.0, expected=lambda path: True, exists=lambda path: False)
    out = _run([(0.0, [C("deleted", "old.tex")])], deb, 3.0)
    assert len(out) == 1 and 1.0 <= out[0][0] < 1.1


def test_jetbrains_and_atomic_rename_are_one_batch():
    deb = Debounce(
        quiet=0.05, expected=lambda path: path == p("main.tex"), exists=lambda path: True
    )
    evs = [
        (0.000, [C("moved-away", "main.tex")]),  # main.tex -> main.tex___jb_old___
        (0.004, [C("moved-here", "main.tex")]),  # main.tex___jb_tmp___ -> main.tex
    ]
    assert len(_run(evs, deb, 1.0)) == 1


def test_branch_switch_burst_is_one_batch():
    deb = Debounce(quiet=0.05, exists=lambda path: True)
    evs = []
    t = 0.0
    for i in range(300):  # git rewrites 100 files: three events each, 0.5 ms apart
        for kind in ("modified", "modified", "closed"):
            evs.append((round(t, 4), [C(kind, f"sec/s{i % 100}.tex")]))
            t += 0.0005
    out = _run(evs, deb, 3.0)
    assert len(out) == 1 and len(out[0][1]) == 100


def test_separate_saves_are_separate_batches():
    deb = Debounce(quiet=0.05, exists=lambda path: True)
    evs = [
        (0.0, [C("closed", "a.tex")]),
        (0.5, [C("closed", "a.tex")]),
        (1.0, [C("closed", "b.tex")]),
    ]
    out = _run(evs, deb, 2.0)
    assert [sorted(b) for _, b in out] == [[p("a.tex")], [p("a.tex")], [p("b.tex")]]


def test_a_stream_without_pause_still_updates_every_max_wait():
    deb = Debounce(quiet=0.05, max_wait=1.0, exists=lambda path: True)
    evs = [(i * 0.01, [C("closed", "log.tex")]) for i in range(400)]  # 4 s of writes
    out = _run(evs, deb, 5.0)
    assert 3 <= len(out) <= 5


def test_a_write_never_closed_fires_after_the_grace():
    deb = Debounce(quiet=0.05, grace=0.5, exists=lambda path: True)
    out = _run([(0.0, [C("modified", "a.tex")])], deb, 2.0)  # e.g. chmod: no close follows
    assert len(out) == 1 and 0.5 <= out[0][0] < 0.6


def test_wait_time_polls_while_unsettled():
    deb = Debounce(quiet=0.05, exists=lambda path: True)
    assert deb.wait_time(0.0) is None
    deb.add([C("modified", "a.tex")], 0.0)
    assert deb.wait_time(0.0) == pytest.approx(0.05)
    assert deb.take(0.06) is None  # still being written
    assert 0 < deb.wait_time(0.06) <= 0.05


def test_a_temp_file_alone_waits_longer_for_its_rename():
    # an atomic save whose rename comes 200 ms after the temp file was closed (a busy machine)
    deb = Debounce(quiet=0.05, exists=lambda path: True)
    evs = [
        (0.0, [C("created", "main.tex.tmp.4711"), C("modified", "main.tex.tmp.4711")]),
        (0.001, [C("closed", "main.tex.tmp.4711")]),
        (0.2, [C("moved-away", "main.tex.tmp.4711"), C("moved-here", "main.tex")]),
    ]
    out = _run(evs, deb, 2.0)
    assert len(out) == 1 and p("main.tex") in out[0][1]


def test_nothing_fires_while_git_holds_its_index_lock():
    lock = {"held": True}
    deb = Debounce(quiet=0.05, exists=lambda path: True, busy=lambda: lock["held"])
    deb.add([C("closed", "a.tex")], 0.0)
    assert deb.take(0.5) is None
    lock["held"] = False
    assert deb.take(0.51) == {p("a.tex")}
