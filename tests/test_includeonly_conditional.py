"""An \\includeonly inside a conditional papertrack cannot decide (a class's own switch, set
by a class option) is read as absent, as a build with the default options reads it; one in a
branch papertrack can decide follows TeX (minimal papers written here, checked with pdflatex:
the class's switch is false, both chapters are typeset)."""

from __future__ import annotations

from helpers import check_static as check

from papertrack.project.conditionals import undecided_spans
from papertrack.project.includes import includeonly
from papertrack.project.texenv import project_env

CLASS = (
    "%! myclass.cls\n\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesClass{myclass}\n"
    "\\newif\\ifchaptermode\\chaptermodefalse\n\\DeclareOption{chapter}{\\chaptermodetrue}\n"
    "\\ProcessOptions\\relax\n\\LoadClass{report}\n"
)
CHAPTERS = (
    "%! chapters/one.tex\n\\chapter{One}\\label{ch:one}\nText of one.\n"
    "%! chapters/two.tex\n\\chapter{Two}\\label{ch:two}\nText of two, see~\\ref{ch:one}.\n"
)


def paper(preamble: str) -> str:
    return (
        "%! main.tex\n\\documentclass{myclass}\n"
        + preamble
        + "\\begin{document}\n\\include{chapters/one}\n\\include{chapters/two}\n"
        "See Chapter~\\ref{ch:one}.\n\\end{document}\n" + CLASS + CHAPTERS
    )


def test_an_includeonly_under_a_class_switch_is_read_as_absent(make_project):
    r = check(make_project(paper("\\ifchaptermode\n  \\includeonly{chapters/two}\n\\fi\n")))
    assert "chapters/one.tex" in r.document.project.files
    # what the paper without the \includeonly gets: both chapters, their words, their labels
    plain = check(make_project(paper("")))
    assert [(f.code, f.message) for f in r.findings] == [
        (f.code, f.message) for f in plain.findings
    ]
    assert r.document.words == plain.document.words


def test_an_includeonly_in_a_decided_branch_still_holds(make_project):
    pre = "\\newif\\ifreview\\reviewtrue\n\\ifreview\n  \\includeonly{chapters/two}\n\\fi\n"
    r = check(make_project(paper(pre)))
    assert "chapters/one.tex" not in r.document.project.files
    pre = pre.replace("\\reviewtrue", "\\reviewfalse")
    assert "chapters/one.tex" in check(make_project(paper(pre))).document.project.files


def test_the_last_includeonly_outside_undecided_branches_counts():
    text = (
        "\\ifsubmission\\includeonly{a}\\fi\n\\includeonly{b}\n\\includeonly{c,d}\n"
        "\\ifdef{\\x}{\\includeonly{e}}{}\n"
    )
    spans = undecided_spans(text, project_env([text]))
    assert spans == [(0, text.index("\\fi") + 3)]  # \ifdef takes arguments: no \fi of its own
    assert includeonly(text, spans) == {"e"}
    assert includeonly(text[: text.index("\\ifdef")], spans) == {"c", "d"}
