"""A babel language this TeX lacks is a missing file (PT703) at the \\usepackage line, not an
error of the paper: TeX carries on, and the build still decides (minimal papers written here)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.pages.logparse import parse_log
from papertrack.pages.record import parse_log_facts

LOG = """(./main.tex
(/usr/share/texlive/texmf-dist/tex/generic/babel/babel.sty
/usr/share/texlive/texmf-dist/tex/generic/babel/babel.sty:4357: Package babel Error: \
Unknown option 'klingonx'. Either you misspelled it
(babel)                or the language definition file klingonx.ldf was not found.

See the babel package documentation for explanation.
)
Output written on main.pdf (1 page, 1000 bytes).
"""

PAPER = r"""%! main.tex
\documentclass{article}
\usepackage[klingonx,english]{babel}
\begin{document}
Section~\ref{s} says so.
\section{Start}\label{s}
Text.
\end{document}
"""


def test_the_log_says_a_language_file_is_missing():
    problems = parse_log(LOG)
    assert [p.kind for p in problems] == ["missing-file"]
    assert problems[0].message.startswith("missing file klingonx.ldf")
    facts = parse_log_facts(LOG)
    assert facts["finished"] and facts["errors"] == []


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_the_build_reports_the_language_at_its_package_line(make_project):
    r = run_check(make_project(PAPER), cfg=Config(), use_cache=False)
    got = [(f.code, f.location.line) for f in r.findings if f.code.startswith("PT7")]
    assert got == [("PT703", 2)]  # the \usepackage line
    assert r.document.pages.method == "exact"


WIDE = "\\mbox{" + "x" * 90 + "}"


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
@pytest.mark.parametrize(("options", "folded"), [("klingonx", True), ("klingonx,english", False)])
def test_margins_of_a_build_without_the_main_language_are_one_note(make_project, options, folded):
    # without its language TeX hyphenates the whole paper with other patterns: the overfull
    # lines are not the author's (joenio/dissertacao-ufba-2016: 75 warnings from 'brazil');
    # a secondary language missing changes only its own passages
    paper = PAPER.replace("klingonx,english", options).replace("Text.", f"Text.\n\n{WIDE}\n")
    r = run_check(make_project(paper), cfg=Config(), use_cache=False)
    margins = [f for f in r.findings if f.code == "PT705"]
    assert len(margins) == 1
    if folded:
        assert margins[0].severity.name == "INFO"
        assert "without 'klingonx' hyphenation" in margins[0].message
    else:
        assert margins[0].message.startswith("a line runs")
        assert margins[0].severity.name == "ERROR"
