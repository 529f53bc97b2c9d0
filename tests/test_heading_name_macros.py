"""A heading titled only by a name macro the paper's own package defines per language
(\\chapter{\\introductionname}) shows that macro's name, not an empty title (minimal papers
written here)."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""%! main.tex
\documentclass{book}
\usepackage{style}
\begin{document}
\chapter{\introductionname}
Words of the introduction.
\chapter{\textbf{Method}}
Words of the method.
\end{document}
%! style.sty
\ifdefined\italian\newcommand{\introductionname}{Introduzione}
\else\newcommand{\introductionname}{Introduction}\fi
"""


def test_a_title_made_of_one_name_macro_shows_its_name(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=False), use_cache=False)
    assert [s.title for s in r.document.sections] == ["\\introductionname", "Method"]
