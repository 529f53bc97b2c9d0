"""PT301 and the open notes of "is done": 'TODO' in the author block of a build that hides it.

A double-blind submission often leaves its author block as `\\author{TODO}` with
`\\institution{TODO}`, `\\email{TODO}`: the anonymous build of the template never prints it, so
it is not work left (mwhittaker/bipartisan_paxos' PODC 2019 submission: acmart [anonymous],
five authors with six TODO fields each read as 30 open notes, is done held at the 90% cap).
With a build that prints the names, the same TODOs are open notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.completion import assess
from papertrack.config import Config

PROSE = (
    "This sentence is ordinary prose that fills the section with enough words for a paper. " * 12
)

AUTHOR = [
    r"\author{TODO}",  # 4
    r"\affiliation{%",  # 5
    r"  \institution{TODO}",  # 6
    r"  \city{TODO}",  # 7
    r"  \country{TODO}}",  # 8
    r"\email{TODO}",  # 9
]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def paper(tmp_path: Path, options: str, body_note: str = "") -> Path:
    folder = tmp_path / "paper"
    folder.mkdir()
    lines = [
        rf"\documentclass[{options}]{{acmart}}",  # 1
        r"\begin{document}",  # 2
        r"\title{Fast Sorting}",  # 3
        *AUTHOR,  # 4-9
        r"\begin{abstract}" + PROSE + r"\end{abstract}",  # 10
        r"\maketitle",  # 11
        r"\section{Introduction}",  # 12
        PROSE + body_note,  # 13
        r"\section{Related Work}",
        PROSE,
        r"\section{Conclusion}",
        PROSE,
        r"\end{document}",
        "",
    ]
    (folder / "main.tex").write_text("\n".join(lines), encoding="utf-8")
    return folder


def notes(folder: Path) -> tuple[list[int], list[str]]:
    result = run_check(folder, cfg=Config(compile=False), use_cache=False)
    lines = sorted(f.location.line for f in result.findings if f.code == "PT301")
    return lines, assess(result).blockers


def test_todo_names_in_an_anonymous_build_are_not_open_notes(tmp_path):
    lines, blockers = notes(paper(tmp_path, "sigconf,anonymous"))
    assert lines == []
    assert not any("open note" in b for b in blockers)


def test_a_todo_in_the_body_of_an_anonymous_build_is_still_an_open_note(tmp_path):
    lines, blockers = notes(paper(tmp_path, "sigconf,anonymous", " TODO: the numbers."))
    assert lines == [13]
    assert any(b.startswith("1 open note") for b in blockers)


def test_todo_names_in_a_build_that_prints_them_are_open_notes(tmp_path):
    # printed, they are open notes: one finding for the author block (its places related)
    folder = paper(tmp_path, "sigconf")
    lines, blockers = notes(folder)
    assert lines == [4]
    result = run_check(folder, cfg=Config(compile=False), use_cache=False)
    (block,) = [f for f in result.findings if f.code == "PT301"]
    assert [x.line for x in block.related] == [6, 7, 8, 9]
    assert any("open note" in b for b in blockers)
