"""Chapters a thesis pulls in through its own macro, and a publication list before the text."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import load_config

SPEC = r"""
%! main.tex
\documentclass{report}
\usepackage{biblatex}
\input{include/commands}
\begin{document}
\printbibliography[keyword=own, title=List of publications]
\includechapter{in}{introduction}
\includechapter{me}{method}
\printbibliography
\end{document}
%! include/commands.tex
\newcommand{\chapterpath}{}
\newcommand{\includechapter}[2]{
    \renewcommand{\chapterpath}{#2}
    \input{chapters/\chapterpath}
}
%! chapters/introduction.tex
\chapter{Introduction}
We study how chapters come into the text through a macro of the thesis itself.
%! chapters/method.tex
\chapter{Method}
The method chapter has its own words, counted as main text before the bibliography.
"""


def test_chapters_through_an_input_wrapper_macro_are_main_text(make_project):
    folder = make_project(SPEC)
    cfg = load_config(folder)
    cfg.compile = False
    doc = run_check(folder, cfg=cfg, use_cache=False).document
    assert {"chapters/introduction.tex", "chapters/method.tex"} <= set(doc.project.files)
    chapters = {s.title: s for s in doc.sections}
    assert set(chapters) == {"Introduction", "Method"}
    # the filtered list of the author's publications does not end the main text
    assert not any(s.after_bibliography for s in chapters.values())
    assert doc.words > 20
