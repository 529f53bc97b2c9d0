"""A command that drops its arguments (`\\newcommand{\\cut}[1]{}`) hides what they hold from TeX:
an `\\input` inside is never read, so the figures and labels of that file do not exist
(minimal papers written here; the basic one checked with pdflatex)."""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static, pdflatex

from papertrack.project.texenv import project_env

OLD = "%! old.tex\n\\begin{figure}\\centering X\\caption{Old.}\\label{fig:old}\\end{figure}\n"


def paper(preamble: str, body: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n"
        + preamble
        + "\n\\begin{document}\n\\section{Introduction}\nSome words here.\n"
        + body
        + "\n\\end{document}\n"
        + OLD
    )


def unreferenced(root) -> list[str]:
    return [f.message for f in check_static(root).findings if f.code == "PT103"]


def test_an_input_inside_a_dropped_argument_is_never_read(make_project, tmp_path):
    root = make_project(
        paper(
            "\\newcommand{\\cut}[1]{}",
            "\\cut{\n\\input{old}\nThe old text.\n\n\\section{Gone}\nMore.\n}\nAfter.",
        )
    )
    assert unreferenced(root) == []
    r = check_static(root)
    assert [s.title for s in r.document.sections] == ["Introduction"]
    if shutil.which("pdflatex"):
        out = tmp_path / "out"
        out.mkdir()
        log = pdflatex(root, out)
        assert "old.tex" not in log and "Output written" in log


@pytest.mark.parametrize(
    "preamble",
    [
        "\\newcommand{\\cut}[1]{#1}",  # prints its argument
        "\\newcommand{\\cut}[1]{}\\renewcommand{\\cut}[1]{#1}",  # redefined to print it
        "\\newif\\ifdraft\\ifdraft\\newcommand{\\cut}[1]{}\\else\\newcommand{\\cut}[1]{#1}\\fi",
        "\\providecommand{\\cut}[1]{}",  # a package may have defined it first
    ],
)
def test_a_command_that_may_print_its_argument_keeps_it(make_project, preamble):
    root = make_project(paper(preamble, "\\cut{\\input{old}}"))
    assert unreferenced(root) == ["figure 'fig:old' is never referenced"]


def test_dropping_commands_and_their_argument_counts():
    env = project_env(
        [
            "\\newcommand{\\cut}[1]{}\\newcommand\\two[2]{ }\\long\\def\\gone#1#2#3{}"
            "\\newcommand{\\keep}[1]{#1}\\newcommand{\\opt}[2][x]{}"
        ]
    )
    assert env.gobblers == {"cut": 1, "two": 2, "gone": 3}
