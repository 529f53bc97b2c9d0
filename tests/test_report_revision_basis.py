"""The report's revision line says why revision is not measured: a short paper in git read
'no git history of the paper', which sent its author looking for a broken repository."""

from __future__ import annotations

import os
import subprocess

from click.testing import CliRunner

from papertrack.cli import main

PAPER = (
    "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
    "A few words to start the paper with.\n\\end{document}\n"
)


def _git(folder, *args):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    cmd = ["git", "-C", str(folder), "-c", "user.name=a", "-c", "user.email=a@b", *args]
    subprocess.run(cmd, check=True, env=env, capture_output=True)


def test_a_short_paper_in_git_is_not_said_to_have_no_history(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(PAPER)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "main.tex")
    _git(tmp_path, "commit", "-qm", "start")
    r = CliRunner().invoke(main, ["report", "--no-compile", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "Revision: not measured: under 300 words, nothing to revise yet" in r.output, r.output
    assert "no git history" not in r.output, r.output


def test_a_paper_outside_git_still_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "main.tex").write_text(PAPER)
    r = CliRunner().invoke(main, ["report", "--no-compile", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "Revision: not measured: no git history of the paper" in r.output, r.output


def test_as_of_outside_git_names_the_folder_not_dot(tmp_path, monkeypatch):
    """Run in the paper folder, the error read '... and . is not'."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "main.tex").write_text(PAPER)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["report", "--no-compile", "--as-of", "HEAD"])
    assert r.exit_code == 2, r.output
    assert f"and {tmp_path.resolve()} is not in one" in r.output, r.output
    assert "hint: commit the paper to git" in r.output, r.output
