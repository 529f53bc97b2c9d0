"""Progress over time: run snapshots in the data folder, history rebuilt from git, trend maths."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from papertrack import history
from papertrack.check import run_check
from papertrack.cli import main
from papertrack.config import Config

PROSE = "Words that grow the paper one sentence at a time, as papers do. "


def needs_git():
    return pytest.mark.skipif(
        not shutil.which("git") and not os.environ.get("CI"), reason="git not installed"
    )


def paper_text(sections: int, todo: bool = True) -> str:
    body = "".join(f"\\section{{Part {i}}}\n{PROSE * (10 + 20 * i)}\n" for i in range(sections))
    return (
        "\\documentclass{article}\n\\begin{document}\n"
        + body
        + ("\\todo{finish}\n" if todo else "")
        + "\\end{document}\n"
    )


def write_paper(folder: Path, sections: int = 2, todo: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tex").write_text(paper_text(sections, todo))
    return folder


def git(repo: Path, *args: str, when: int | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when} +0000"
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def make_repo(tmp_path: Path, sub: str = "paper") -> tuple[Path, Path, list[int]]:
    """A repository whose paper grows over 4 commits (one a day), plus an unrelated commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("notes\n")
    start = 1_710_000_000
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "readme only", when=start)
    folder = repo / sub if sub else repo
    times = []
    for i in range(1, 5):
        write_paper(folder, sections=i, todo=i < 4)
        git(repo, "add", "-A")
        when = start + i * 86400
        times.append(when)
        git(repo, "commit", "-q", "-m", f"paper {i}", when=when)
    (repo / "README.md").write_text("more notes\n")
    git(repo, "commit", "-q", "-am", "readme again", when=start + 6 * 86400)
    return repo, folder, times


# --- run snapshots ---------------------------------------------------------------------------


def test_record_appends_a_snapshot_in_the_data_folder(tmp_path):
    folder = write_paper(tmp_path / "paper")
    result = run_check(folder, cfg=Config(compile=False))
    path = history.record(result)
    assert path is not None and path.is_relative_to(Path(os.environ["PAPERTRACK_DATA_DIR"]))
    assert path.name == f"{history.project_key(folder)}.jsonl"
    (snap,) = history.load(folder)
    assert snap["source"] == "run" and snap["words"] > 0 and snap["todos"] == 1
    # no page limit known: no "feels done" percentage (it would be true by construction)
    assert snap["felt"] is None and 0 < snap["honest"] < 1 and snap["blocked"] is True
    assert set(history.METRICS) <= set(snap)
    assert sorted(p.name for p in folder.iterdir()) == ["main.tex"]  # nothing in the paper folder
    history.record(result)  # same metrics a moment later: not written twice
    assert len(history.load(folder)) == 1


def test_check_records_unless_disabled_or_partial(tmp_path, monkeypatch):
    folder = write_paper(tmp_path / "paper")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(folder), "--no-compile"]).exit_code in (0, 1)
    assert len(history.load(folder)) == 1
    (folder / "main.tex").write_text(paper_text(3))
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    runner.invoke(main, ["check", str(folder), "--no-compile"])
    monkeypatch.delenv("PAPERTRACK_NO_HISTORY")
    runner.invoke(main, ["check", str(folder), "--no-compile", "--select", "PT1"])
    assert len(history.load(folder)) == 1  # neither the disabled nor the partial run recorded
    runner.invoke(main, ["check", str(folder), "--no-compile"])
    assert len(history.load(folder)) == 2


def test_a_failure_to_record_never_fails_the_check(tmp_path, monkeypatch):
    folder = write_paper(tmp_path / "paper", todo=False)

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(history.snapshots, "record", broken)  # record_safely calls it there
    result = CliRunner().invoke(main, ["check", str(folder), "--no-compile", "--format", "concise"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0


def test_unreadable_lines_are_skipped(tmp_path):
    folder = tmp_path / "paper"
    path = history.history_path(folder)
    path.parent.mkdir(parents=True)
    good = {"time": "2024-01-02T00:00:00+00:00", "words": 5, "honest": 0.1}
    path.write_text("not json\n" + json.dumps(good) + '\n{"time": "yesterday"}\n')
    assert history.load(folder) == [good]


# --- git history -------------------------------------------------------------------------------


@needs_git()
def test_git_history_has_one_snapshot_per_commit_of_the_paper(tmp_path):
    repo, folder, times = make_repo(tmp_path)
    head = git(repo, "rev-parse", "HEAD")
    before = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts)
    snaps = history.git_history(folder, Config(), "main.tex")
    assert [s["time"] for s in snaps] == [
        dt.datetime.fromtimestamp(t, dt.timezone.utc).isoformat() for t in times
    ]
    words = [s["words"] for s in snaps]
    assert words == sorted(words) and words[0] < words[-1]
    assert [s["todos"] for s in snaps] == [1, 1, 1, 0]
    assert all(s["source"] == "git" and len(s["commit"]) == 40 for s in snaps)
    assert all(s["pages_method"] == "estimate" for s in snaps)  # never compiled
    # the user's repository is untouched: same files, same HEAD, clean status
    after = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts)
    assert after == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""


@needs_git()
def test_points_count_pages_from_the_last_exact_build(tmp_path):
    """Points rebuilt from git use the page accounting of today's point: the last exact build
    of the same layout plus the change since, and a new build recounts them."""
    from papertrack.accounting import remember_build

    _repo, folder, _times = make_repo(tmp_path)
    before = history.git_history(folder, Config(), "main.tex")
    assert {s["pages_method"] for s in before} == {"estimate"}
    today = run_check(folder, cfg=Config(compile=False))
    remember_build(today.document, 3.0, None)  # what an exact build of today's text counted
    after = history.git_history(folder, Config(), "main.tex")
    assert {s["pages_method"] for s in after} == {"exact"}
    assert after[-1]["pages"] == 3.0  # the commit holding today's text: the build's count
    pages = [s["pages"] for s in after]
    assert pages == sorted(pages) and pages[0] < 3.0  # earlier, shorter states: fewer pages


@needs_git()
def test_git_history_is_cached_per_commit(tmp_path, monkeypatch):
    _repo, folder, _times = make_repo(tmp_path)
    first = history.git_history(folder, Config(), "main.tex")

    def fail(*a, **k):
        raise AssertionError("recomputed a cached commit")

    monkeypatch.setattr(history.rebuild, "_metrics_at", fail)
    assert history.git_history(folder, Config(), "main.tex") == first


@needs_git()
def test_git_history_of_a_paper_at_the_repository_root(tmp_path):
    _repo, folder, _times = make_repo(tmp_path, sub="")
    snaps = history.git_history(folder, Config(), "main.tex")
    # the readme-only first commit has no paper; the last one has it unchanged
    assert len(snaps) == 5 and snaps[0]["words"] > 0
    assert snaps[-1]["words"] == snaps[-2]["words"]


def test_no_git_no_history(tmp_path, monkeypatch):
    folder = write_paper(tmp_path / "paper")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert history.git_history(folder, Config(), "main.tex") == []


def test_sampling_keeps_the_first_and_the_newest_commit_on_a_stable_grid():
    picked = history._sample(list(range(1000)), 500)
    assert 250 <= len(picked) <= 500 and picked[0] == 0 and picked[-1] == 999
    assert history._sample([1, 2, 3], 500) == [1, 2, 3]
    # a replay at an earlier commit samples a finer grid holding the same commits (so their
    # metrics are cached)
    earlier = history._sample(list(range(700)), 500)
    assert {i for i in picked if i < 700} <= set(earlier)


# --- trend maths ---------------------------------------------------------------------------------


def snaps_over(days: list[int], words: list[int], honest: list[float]) -> list[dict]:
    t0 = dt.datetime(2024, 3, 1, 12, tzinfo=dt.timezone.utc)
    return [
        {
            "time": (t0 + dt.timedelta(days=d)).isoformat(),
            "words": w,
            "honest": h,
            "felt": min(1.0, h + 0.2),
        }
        for d, w, h in zip(days, words, honest, strict=True)
    ]


def test_velocity_over_7_and_30_days():
    snaps = snaps_over([0, 10, 20, 23, 30], [0, 1000, 2000, 2300, 3000], [0.0, 0.1, 0.2, 0.23, 0.3])
    assert history.velocity(snaps, 7).per_day == pytest.approx((3000 - 2300) / 7)
    assert history.velocity(snaps, 30).per_day == pytest.approx(100)
    short = history.velocity(snaps[:2], 30)  # only 10 days of history: measured over those
    assert short.per_day == pytest.approx(100) and short.days == pytest.approx(10)
    assert history.velocity(snaps[:1], 7) is None


def test_projection_has_an_interval_and_says_when_there_is_no_signal():
    days = list(range(0, 31, 3))
    snaps = snaps_over(days, [100 * d for d in days], [0.2 + 0.01 * d for d in days])
    today = dt.date(2024, 3, 31)
    p = history.project(snaps, None, today=today)  # +1 point a day, 50 points left
    assert p.per_day == pytest.approx(0.01) and p.status == "projected"
    assert p.finish == today + dt.timedelta(days=50)
    assert p.finish_low <= p.finish <= p.finish_high
    # two points a day apart: too short a history for a date
    short = history.project(snaps[:2], None, today=today)
    assert short.finish is None and short.status == "not enough signal"
    # a pace that would take years gives no date at all
    slow = snaps_over(days, days, [0.2 + 0.0001 * d for d in days])
    far = history.project(slow, None, today=today)
    assert far.finish is None and "not enough signal" in far.basis


def test_projection_toward_the_deadline_and_never_on_track_when_flat():
    days = list(range(0, 31, 3))
    snaps = snaps_over(days, [100 * d for d in days], [0.2 + 0.01 * d for d in days])
    today = dt.date(2024, 3, 31)
    ok = history.project(snaps, "2024-06-01", today=today)
    assert ok.status == "on track" and ok.beats is True
    assert ok.finish == dt.date(2024, 6, 1)  # writers use the time they have
    late = history.project(snaps, "2024-04-10", today=today)
    assert late.status == "misses" and late.beats is False
    assert late.needed_per_day == pytest.approx(0.5 / 10)
    # grew early, flat for the last two weeks: stalled, whatever the deadline
    flat = [0.2 + 0.02 * min(d, 15) for d in days]
    stalled = history.project(snaps_over(days, days, flat), "2024-12-01", today=today)
    assert stalled.status == "stalled" and not stalled.beats
    done = history.project(snaps_over([0, 10, 20], [1, 2, 3], [0.5, 0.9, 0.97]), None, today)
    assert done.status == "done"


def test_daily_carries_values_over_days_without_snapshots():
    snaps = snaps_over([0, 0, 3], [10, 20, 50], [0.1, 0.2, 0.5])
    series = history.daily(snaps, "words")
    assert [v for _d, v in series] == [20, 20, 20, 50]
    wide = history.daily(
        snaps_over(list(range(0, 100)), list(range(100)), [0.0] * 100), "words", width=10
    )
    assert len(wide) == 10 and wide[0][1] == 0 and wide[-1][1] == 99


# --- the progress command ------------------------------------------------------------------------


@needs_git()
def test_progress_command_shows_trend_velocity_and_deadline(tmp_path):
    _repo, folder, _times = make_repo(tmp_path)
    (tmp_path / "cfg.toml").write_text('deadline = "2099-01-01"\n')
    result = CliRunner().invoke(
        main, ["progress", str(folder), "--config", str(tmp_path / "cfg.toml")]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4 commits, 1 run)" in out
    for label in ("words", "open TODOs", "is done (honest)", "feels done"):
        assert label in out
    assert any(c in out for c in "▁▂▃▄▅▆▇█")
    assert "velocity, last 7 days" in out and "velocity, last 30 days" in out
    assert "deadline 2099-01-01" in out


def test_progress_without_history(tmp_path, monkeypatch):
    folder = write_paper(tmp_path / "paper")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    result = CliRunner().invoke(main, ["progress", str(folder)])
    assert result.exit_code == 0, result.output
    assert "One snapshot so far" in result.output
    assert "not enough history yet" in result.output


def test_progress_on_a_missing_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["progress", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


# --- renames, replay at a past point, revision ---------------------------------------------------


@needs_git()
def test_history_follows_renames_of_the_folder_and_the_main_file(tmp_path):
    repo, _folder, times = make_repo(tmp_path, sub="paper")
    git(repo, "mv", "paper", "doc")
    git(repo, "mv", "doc/main.tex", "doc/ms.tex")
    git(repo, "commit", "-q", "-m", "move", when=times[-1] + 3 * 86400)
    moved = repo / "doc"
    (moved / "ms.tex").write_text(paper_text(5, todo=False))
    git(repo, "commit", "-q", "-am", "more", when=times[-1] + 4 * 86400)
    snaps = history.git_history(moved, Config(), "ms.tex")
    # the four commits made under paper/main.tex are there, then the move and the new text
    assert len(snaps) == 6
    assert [s["rel"] for s in snaps] == ["paper"] * 4 + ["doc"] * 2
    words = [s["words"] for s in snaps]
    assert words[:4] == sorted(words[:4]) and words[-1] > words[3] > 0


@needs_git()
def test_as_of_replays_report_and_progress_at_a_past_commit_or_date(tmp_path):
    repo, folder, times = make_repo(tmp_path)
    shas = git(repo, "log", "--reverse", "--format=%H", "--", "paper").split()
    runner = CliRunner()
    at = runner.invoke(
        main, ["report", str(folder), "--format", "json", "--no-compile", "--as-of", shas[1]]
    )
    assert at.exit_code == 0, at.output
    data = json.loads(at.output)
    assert data["schema"].startswith("papertrack-report/") and data["as_of"]["commit"] == shas[1]
    assert [h["commit"] for h in data["history"]] == shas[:2]  # nothing after that commit
    now = json.loads(
        runner.invoke(main, ["report", str(folder), "--format", "json", "--no-compile"]).output
    )
    assert data["feels_done"]["words"] < now["feels_done"]["words"]
    # a date picks the last commit of the paper on or before that day
    day = dt.datetime.fromtimestamp(times[2], dt.timezone.utc).date().isoformat()
    by_date = runner.invoke(main, ["progress", str(folder), "--no-compile", "--as-of", day])
    assert by_date.exit_code == 0, by_date.output
    assert f"as of commit {shas[2][:10]}" in by_date.output
    bad = runner.invoke(main, ["progress", str(folder), "--as-of", "no-such-rev"])
    assert bad.exit_code == 2 and "neither a revision" in bad.output
    early = runner.invoke(main, ["progress", str(folder), "--as-of", "2001-01-01"])
    assert early.exit_code == 2 and "no commit" in early.output


@needs_git()
def test_revision_is_the_share_of_the_full_length_text_rewritten_since(tmp_path):
    repo = tmp_path / "repo"
    folder = repo / "paper"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    start = 1_710_000_000

    def word(n: int) -> str:  # a distinct letters-only word per number
        return "".join(chr(97 + int(d)) for d in str(n + 10))

    sentences = [
        f"The {word(n)} result says something about {word(n + 500)} here. " for n in range(200)
    ]

    def commit(body: list[str], day: int) -> None:
        (folder / "main.tex").write_text(
            "\\documentclass{article}\\begin{document}\\section{Introduction}\n"
            + "".join(body)
            + "\n\\end{document}\n"
        )
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"day {day}", when=start + day * 86400)

    commit(sentences[:50], 0)
    commit(sentences, 1)  # full length
    rewritten = [
        f"A {word(n + 900)} finding tells nothing of {word(n + 1300)} now. " for n in range(100)
    ]
    commit(rewritten + sentences[100:], 5)  # half of it rewritten
    snaps = history.git_history(folder, Config(), "main.tex")
    assert snaps[0]["rewritten"] == 0 and snaps[1]["rewritten"] == 0
    assert snaps[2]["rewritten"] == pytest.approx(0.5, abs=0.05)
    # revision counts in "is done": same drafting, more revision, a higher figure
    assert snaps[2]["drafting"] == pytest.approx(snaps[1]["drafting"], abs=0.02)
    assert snaps[2]["honest"] > snaps[1]["honest"]


@needs_git()
def test_a_thesis_written_a_chapter_at_a_time_is_revised_chapter_by_chapter(tmp_path):
    """The last chapter of a thesis doubles its length: the thesis "reaches its length" only
    then, but its first chapter has matured for two months. Revision is measured per file,
    each from when it reached its own length, weighted by its words."""
    repo = tmp_path / "repo"
    folder = repo / "thesis"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    start = 1_710_000_000

    def chapter(name: str, n: int) -> None:
        words = " ".join(f"{name}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(n))
        (folder / f"{name}.tex").write_text(f"\\chapter{{{name.title()}}}\n{words}.\n")

    def commit(day: int) -> None:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"day {day}", when=start + day * 86400)

    (folder / "main.tex").write_text(
        "\\documentclass{report}\n\\begin{document}\n"
        "\\include{first}\n\\include{second}\n\\end{document}\n"
    )
    chapter("first", 100)
    chapter("second", 10)
    commit(0)
    chapter("first", 600)  # the first chapter reaches its length after 10 days
    commit(10)
    chapter("second", 300)
    commit(60)
    chapter("second", 700)  # the thesis reaches its length with the second chapter
    commit(70)
    snaps = history.git_history(folder, Config(), "main.tex")
    assert [s["files"] for s in snaps][-1] == {"first.tex": 600, "second.tex": 700}
    out = CliRunner().invoke(
        main, ["report", str(folder), "--format", "json", "--no-compile", "--as-of", "HEAD"]
    )
    assert out.exit_code == 0, out.output
    done = json.loads(out.output)["is_done"]
    # the thesis as a whole has only just reached its length: nothing revised by that measure
    assert done["revision_days"] == 0 and done["rewritten"] == 0
    files = {f["file"]: f for f in done["revision_files"]}
    # the first chapter: 60 days since it reached its length, after 10 days of drafting; it
    # is revised at the thesis's pace (70 days of drafting, as long again for revision)
    assert files["first.tex"]["days"] == pytest.approx(60, abs=0.1)
    assert files["first.tex"]["drafting_days"] == pytest.approx(10, abs=0.1)
    assert files["first.tex"]["allowed_days"] == pytest.approx(70, abs=0.1)
    assert files["first.tex"]["progress"] == pytest.approx(60 / 70, abs=0.01)
    assert files["second.tex"]["progress"] == 0.0
    # weighted by their words: the first chapter's share of the thesis, revised that far
    assert done["revision"] == pytest.approx(600 / (600 + 700) * 60 / 70, abs=0.01)
    assert "measured per file (2 files" in done["revision_basis"]


@needs_git()
def test_a_paper_imported_whole_has_nothing_revised_at_its_first_commit(tmp_path):
    """Replayed at its first commit, a paper that arrived at full length (a conference paper
    turned into a journal one) has revised nothing yet: is done is not its drafting alone."""
    repo = tmp_path / "repo"
    folder = write_paper(repo / "paper", sections=6, todo=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "import", when=1_710_000_000)
    sha = git(repo, "rev-parse", "HEAD").strip()
    out = CliRunner().invoke(
        main, ["report", str(folder), "--format", "json", "--no-compile", "--as-of", sha]
    )
    assert out.exit_code == 0, out.output
    done = json.loads(out.output)["is_done"]
    assert done["revision"] == 0 and done["rewritten"] == 0
    assert done["value"] < done["drafting"]


@needs_git()
def test_a_commit_the_utc_morning_after_the_deadline_date_is_still_on_the_deadline_day(tmp_path):
    """Calls for papers mean a deadline date anywhere on Earth (UTC-12): at 10:00 UTC on Feb 2
    the Feb 1 deadline has not passed. The projection counts from that day, as revision does."""
    repo, folder, _ = make_repo(tmp_path)
    (folder / "main.tex").write_text(paper_text(5))
    git(repo, "add", "-A")
    morning = int(dt.datetime(2024, 3, 20, 10, 0, tzinfo=dt.timezone.utc).timestamp())
    git(repo, "commit", "-q", "-m", "last touches", when=morning)
    sha = git(repo, "rev-parse", "HEAD").strip()
    runner = CliRunner()

    def projection(deadline: str | None) -> dict:
        args = ["report", str(folder), "--format", "json", "--no-compile", "--as-of", sha]
        if deadline:
            (tmp_path / "cfg.toml").write_text(f'deadline = "{deadline}"\n')
            args += ["--config", str(tmp_path / "cfg.toml")]
        out = runner.invoke(main, args)
        assert out.exit_code == 0, out.output
        return json.loads(out.output)["projection"]

    assert projection("2024-03-19")["today"] == "2024-03-19"  # the deadline day, anywhere
    assert projection("2024-03-18")["today"] == "2024-03-19"  # past it: the day after
    assert projection(None)["today"] == "2024-03-20"  # no deadline: the UTC date


@needs_git()
def test_a_replayed_point_has_the_files_the_paper_names_beside_its_folder(tmp_path):
    """A paper in paper/ with its figures in ../figures (\\graphicspath) and a link
    paper/shared -> ../shared: the checkout finds them, so --as-of and the rebuilt points must
    too (they had been written from paper/ alone: every figure missing, is done held at 90%)."""
    repo = tmp_path / "repo"
    folder = repo / "paper"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    body = (
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\graphicspath{{../figures/}}\n"
        "\\begin{document}\n\\section{Results}\n" + PROSE * 40 + "\n"
        "\\begin{figure}\\includegraphics{plot}\\caption{A plot.}\\label{fig:a}\\end{figure}\n"
        "\\begin{figure}\\includegraphics{shared/photo.png}\\caption{A photo.}\\label{fig:b}"
        "\\end{figure}\nFigures~\\ref{fig:a} and~\\ref{fig:b}.\n\\end{document}\n"
    )
    (folder / "main.tex").write_text(body)
    (repo / "figures").mkdir()
    (repo / "figures" / "plot.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (repo / "shared").mkdir()
    (repo / "shared" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "shared").symlink_to("../shared")
    (folder / "escape").symlink_to("../../../../../../etc")  # never made in the scratch copy
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "paper", when=1_710_000_000)
    sha = git(repo, "rev-parse", "HEAD").strip()

    runner = CliRunner()
    args = ["report", str(folder), "--format", "json", "--no-compile"]
    live = json.loads(runner.invoke(main, args).output)
    at = json.loads(runner.invoke(main, [*args, "--as-of", sha]).output)
    missing = [t["text"] for t in at["tasks"] if "missing image" in t["text"]]
    assert missing == [] and not any("figure" in b for b in at["is_done"]["blockers"])
    assert at["is_done"]["blockers"] == live["is_done"]["blockers"]

    from papertrack.history.gitlog import _Tree

    scratch = tmp_path / "scratch"
    tree = _Tree(repo, "paper", scratch / "paper")
    try:
        tree.checkout(sha)
    finally:
        tree.close()
    assert (scratch / "figures" / "plot.pdf").is_file()
    assert (scratch / "paper" / "shared").is_symlink()
    assert (scratch / "paper" / "shared" / "photo.png").is_file()
    assert not (scratch / "paper" / "escape").is_symlink()  # out of the copy: not followed
    assert (scratch / "paper" / "main.tex").read_text() == body
    # a later commit without the figure folder removes its files from the copy
    git(repo, "rm", "-q", "-r", "figures")
    git(repo, "commit", "-q", "-m", "drop figures", when=1_710_086_400)
    tree = _Tree(repo, "paper", scratch / "paper")
    tree.checkout(sha)
    tree.checkout(git(repo, "rev-parse", "HEAD").strip())
    tree.close()
    assert not (scratch / "figures" / "plot.pdf").exists()
