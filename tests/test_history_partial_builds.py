"""A build of part of the paper (chapters commented out of the main file while one is written)
is no dip in its length: revision is measured from when the whole paper reached its length.

MedericFourmy/these (outside issue 16's list) toggles its parts in and out of these.tex some
twenty times in its last month: the word count swings between 3 600 and 35 000, the thesis
"reached its length" only on its last full build (drafting 0.9 days, so no time allowed for
revision) and its submitted version read 73%."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_history import git, needs_git

from papertrack import history
from papertrack.cli import main
from papertrack.config import Config

START = 1_710_000_000


def write(folder, name: str, n: int) -> None:
    words = " ".join(f"{name}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(n))
    (folder / f"{name}.tex").write_text(f"\\chapter{{{name.title()}}}\n{words}.\n")


def main_file(folder, *, second: bool) -> None:
    (folder / "main.tex").write_text(
        "\\documentclass{report}\n\\begin{document}\n\\include{first}\n"
        + ("" if second else "% ")
        + "\\include{second}\n\\end{document}\n"
    )


@needs_git()
@pytest.mark.parametrize("focus", [True, False])
def test_a_partial_build_is_no_dip_in_the_length(tmp_path, focus):
    repo = tmp_path / "repo"
    folder = repo / "thesis"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")

    def commit(day: int) -> None:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"day {day}", when=START + day * 86400)

    main_file(folder, second=True)
    write(folder, "first", 50)
    write(folder, "second", 50)
    commit(0)
    write(folder, "first", 400)
    write(folder, "second", 1000)  # the thesis reaches its length on day 40
    commit(40)
    # day 50: the first chapter is written with the second left out of the build (focus), or
    # the second chapter is cut down for real (no focus: a dip the measure must keep)
    write(folder, "first", 420)
    if focus:
        main_file(folder, second=False)
    else:
        write(folder, "second", 100)
    commit(50)
    main_file(folder, second=True)
    write(folder, "second", 1000)
    commit(60)
    snaps = history.git_history(folder, Config(), "main.tex")
    assert [s["words"] < 1000 for s in snaps] == [True, False, True, False]
    out = CliRunner().invoke(
        main, ["report", str(folder), "--format", "json", "--no-compile", "--as-of", "HEAD"]
    )
    assert out.exit_code == 0, out.output
    done = json.loads(out.output)["is_done"]
    if focus:
        # from day 40, after 40 days of drafting: the partial build on day 50 changes nothing
        assert done["revision_days"] == pytest.approx(20, abs=0.1)
        assert done["drafting_days"] == pytest.approx(40, abs=0.1)
        # and so is the chapter left out: it keeps the length it had when last read
        files = {f["file"]: f for f in done["revision_files"]}
        assert files["second.tex"]["days"] == pytest.approx(20, abs=0.1)
    else:
        # the second chapter really shrank: the thesis reached its length again on day 60
        assert done["revision_days"] == pytest.approx(0, abs=0.1)
