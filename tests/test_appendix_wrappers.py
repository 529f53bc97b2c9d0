r"""A command that calls \appendix (a thesis class's \startappendices, a paper's own
\appendixstart) starts the appendices where it is used, as TeX numbers them (minimal papers
written here)."""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import check_static as check
from helpers import pdflatex

CLS = r"""%! mythesis.cls
\NeedsTeXFormat{LaTeX2e}
\ProvidesClass{mythesis}
\LoadClass{report}
\newcommand{\startappendices}{\appendix\clearpage}
"""

PAPER = (
    r"""%! main.tex
\documentclass{mythesis}
\newcommand{\appendixstart}{\clearpage\startappendices}
\newcommand{\appendixname}{Appendix}
\newcommand{\seeappendix}{see the \appendixname}
\begin{document}
\tableofcontents
\chapter{Introduction}
Intro words here, \seeappendix.
\chapter{Conclusion}
Concluding words.
START
\chapter{Extra Details}
More details.
\end{document}
"""
    + CLS
)


@pytest.mark.parametrize("start", [r"\startappendices", r"\appendixstart"])
def test_a_command_that_calls_appendix_starts_the_appendices(make_project, start):
    r = check(make_project(PAPER.replace("START", start)))
    # \seeappendix names the appendix, it does not start it
    assert [(s.title, s.in_appendix) for s in r.document.sections] == [
        ("Introduction", False),
        ("Conclusion", False),
        ("Extra Details", True),
    ]


@pytest.mark.tex
def test_tex_numbers_the_chapters_after_it_as_appendices(make_project, tmp_path):
    # the oracle: TeX numbers the chapter after \startappendices with a letter, the others not
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    folder = make_project(PAPER.replace("START", r"\appendixstart"))
    pdflatex(folder, tmp_path, runs=1)
    toc = (tmp_path / "main.toc").read_text()
    numbers = re.findall(r"\\contentsline \{chapter\}\{\\numberline \{(\w+)\}([^}]*)\}", toc)
    assert numbers == [("1", "Introduction"), ("2", "Conclusion"), ("A", "Extra Details")]
    r = check(folder)
    assert [s.in_appendix for s in r.document.sections] == [n.isalpha() for n, _t in numbers]
