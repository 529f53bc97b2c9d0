"""Replaying an unchanged check: same output and exit code; any change runs the check again."""

from __future__ import annotations

import os
import sys
import time

import pytest
from click.testing import CliRunner
from helpers import write_project

from papertrack import cli
from papertrack.commands import check as check_cmd


@pytest.fixture(autouse=True)
def _no_start_folder_on_path(monkeypatch):
    """`python -m pytest` puts the folder it started in on sys.path, and the run cache keys the
    times of sys.path folders (a new file there could shadow a module). Started from a busy
    folder such as /tmp, that time changes between two runs of a test: leave it out."""
    start = os.getcwd()
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".", start)])


PAPER = r"""
%! main.tex
\documentclass{article}
\begin{document}
\section{Introduction}
See Figure~\ref{fig:missing} and \cite{knuth}. TODO: finish.
\bibliography{refs}
\end{document}
%! refs.bib
@book{knuth, title={The TeXbook}, author={Knuth, Donald}, year=1984}
"""


def _age(folder, seconds: float = 60) -> None:
    """Make every file look older than the run cache's two-second race window."""
    past = time.time() - seconds
    for root, _dirs, files in os.walk(folder):
        for f in files:
            os.utime(os.path.join(root, f), (past, past))


@pytest.fixture
def paper(tmp_path):
    folder = write_project(tmp_path / "paper", PAPER)
    _age(folder)
    return folder


def _check(*args: str):
    return CliRunner().invoke(cli.main, ["check", "--no-compile", *args])


def _forbid_real_runs(monkeypatch) -> None:
    def boom(*a, **k):
        raise AssertionError("the check ran instead of being replayed")

    monkeypatch.setattr(check_cmd, "run", boom)


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_unchanged_check_is_replayed_identically(paper, monkeypatch, fmt):
    first = _check(str(paper), "--format", fmt)
    assert first.exit_code == 1, first.output  # the undefined reference is an error
    _forbid_real_runs(monkeypatch)
    second = _check(str(paper), "--format", fmt)
    assert (second.exit_code, second.output) == (first.exit_code, first.output)


def test_any_change_runs_the_check_again(paper, monkeypatch):
    first = _check(str(paper), "--format", "concise")
    (paper / "main.tex").write_text(
        (paper / "main.tex").read_text().replace("TODO: finish.", "Done.")
    )
    _age(paper)
    second = _check(str(paper), "--format", "concise")
    assert second.output != first.output and "TODO" not in second.output
    # other options are another command: no replay of the concise output
    third = _check(str(paper), "--format", "concise", "--select", "PT1")
    assert "PT301" not in third.output
    (paper / "new-figure.png").write_bytes(b"x")  # a new file in the folder changes the key too
    _age(paper)
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: 7)
    assert _check(str(paper), "--format", "concise").exit_code == 7


def test_not_stored_when_unsafe(paper, monkeypatch, tmp_path):
    # output to a file, --no-cache, and files changed within the race window are never stored
    _check(str(paper), "--format", "concise", "-o", str(tmp_path / "out.txt"))
    _check(str(paper), "--format", "concise", "--no-cache")
    (paper / "main.tex").write_text((paper / "main.tex").read_text() + "\n")  # just now
    _check(str(paper), "--format", "json")
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: 7)
    assert _check(str(paper), "--format", "concise", "-o", str(tmp_path / "out.txt")).exit_code == 7
    assert _check(str(paper), "--format", "concise", "--no-cache").exit_code == 7
    assert _check(str(paper), "--format", "json").exit_code == 7


def test_not_stored_when_the_project_reaches_outside(tmp_path, monkeypatch):
    folder = write_project(
        tmp_path / "p2",
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{missing}\n"
        "\\includegraphics{../outside.png}\n\\end{document}\n",
    )
    _age(folder)
    _check(str(folder), "--format", "concise")
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: 7)
    assert _check(str(folder), "--format", "concise").exit_code == 7


def test_environment_turns_replay_off(paper, monkeypatch):
    _check(str(paper), "--format", "concise")
    monkeypatch.setenv("PAPERTRACK_NO_RUN_CACHE", "1")
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: 7)
    assert _check(str(paper), "--format", "concise").exit_code == 7


def test_replay_only_when_the_real_run_would_record_no_history(paper, monkeypatch):
    import json

    from papertrack import history

    first = _check(str(paper), "--format", "concise")
    path = history.history_path(paper)
    lines = path.read_text().splitlines()
    assert len(lines) == 1
    _forbid_real_runs(monkeypatch)
    assert _check(str(paper), "--format", "concise").output == first.output
    assert path.read_text().splitlines() == lines  # a real run would have skipped it too
    # an hour later a real run adds a snapshot: no replay then
    snap = json.loads(lines[-1])
    snap["time"] = "2000-01-01T00:00:00+00:00"
    path.write_text(json.dumps(snap) + "\n")
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: 7)
    assert _check(str(paper), "--format", "concise").exit_code == 7


def test_distribution_files_do_not_block_replay(tmp_path, monkeypatch):
    folder = write_project(
        tmp_path / "p3", PAPER.replace(r"\bibliography{refs}", r"\bibliography{IEEEabrv,refs}")
    )
    _age(folder)
    first = _check(str(folder), "--format", "concise")
    _forbid_real_runs(monkeypatch)
    assert _check(str(folder), "--format", "concise").output == first.output


@pytest.mark.tex
@pytest.mark.skipif(
    not __import__("shutil").which("latexmk") and not os.environ.get("CI"),
    reason="TeX Live is not installed",
)
def test_unchanged_compile_mode_check_is_replayed_without_latexmk(paper, monkeypatch):
    """An unchanged paper in compile mode costs no latexmk run at all (the key covers the
    TeX installation); a changed TeX installation runs the check again."""
    from papertrack import runcache

    args = ["check", str(paper), "--format", "concise"]
    first = CliRunner().invoke(cli.main, args)
    assert first.exit_code == 1 and "PT101" in first.output, first.output
    calls = []
    real = check_cmd.run
    monkeypatch.setattr(check_cmd, "run", lambda *a, **k: calls.append(1) or real(*a, **k))
    second = CliRunner().invoke(cli.main, args)
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert calls == []
    monkeypatch.setattr(runcache, "tex_fingerprint", lambda: ["another TeX"])
    third = CliRunner().invoke(cli.main, args)
    assert calls == [1] and third.output == first.output
