"""A thesis written on a conference template says so on its title page: the venue's page
limit, anonymity and required sections are not its rules (minimal papers written here)."""

from __future__ import annotations

from helpers import check_static as check

from papertrack.check import run_check
from papertrack.config import Config

THESIS = r"""%! main.tex
\documentclass{article}
\usepackage{ijcai23}
\begin{document}
\input{title_page}
\section{Introduction}
Our models are at \url{https://github.com/some-lab/tiny-models}.
\section{Conclusion}
Done.
\end{document}
%! title_page.tex
\title{Small Models Learn Slowly}
\author{Ann Student\\ Supervisor: Prof. B. Adviser}
\maketitle
\begin{center}
A Thesis Submitted to the Faculty of Computing, In Partial Fulfilment of the Requirements
for the Bachelor of Computer Science
\end{center}
"""

# a paper that grew from a thesis says so in its acknowledgements: still a submission
PAPER = r"""%! main.tex
\documentclass{article}
\usepackage{ijcai23}
\begin{document}
\title{Small Models Learn Slowly}
\author{Ann Student}
\maketitle
\section{Introduction}
Text.
\section*{Acknowledgements}
This work was done in partial fulfilment of the requirements of a master's degree.
\end{document}
"""


def test_a_thesis_on_a_conference_template_has_no_venue(make_project):
    r = check(make_project(THESIS))
    assert r.document.venue is None
    assert [f.code for f in r.findings if f.code.startswith(("PT5", "PT6"))] == []


def test_a_paper_mentioning_its_thesis_keeps_its_venue(make_project):
    r = check(make_project(PAPER))
    assert r.document.venue is not None and r.document.venue.name.startswith("IJCAI")


def test_the_venue_given_on_the_command_line_still_applies(make_project):
    r = run_check(make_project(THESIS), cfg=Config(compile=False, venue="ijcai"), use_cache=False)
    assert r.document.venue is not None
