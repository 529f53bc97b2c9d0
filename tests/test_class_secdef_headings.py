"""A thesis class's own sectioning command, built as LaTeX builds \\chapter (\\def\\xchapter{...
\\secdef\\@xchapter\\@schapter}, the worker stepping the chapter counter), starts a chapter
where the paper uses it (minimal class and paper written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""%! main.tex
\documentclass{mythesis}
\begin{document}
\xchapter{Introduction}{An epigraph}
Words of the introduction that a reader of the thesis reads first.
\xchapter[Results]{Results of the work}{}
Words of the results chapter with the numbers that matter.
\xchapter{Conclusion}{}
Words of the conclusion that close the thesis for good.
\end{document}
%! mythesis.cls
\NeedsTeXFormat{LaTeX2e}
\ProvidesClass{mythesis}
\LoadClass{report}
\def\xchapter{\clearpage
  \secdef\@xchapter\@schapter}
\def\@xchapter[#1]#2#3{%
  \refstepcounter{chapter}%
  \addcontentsline{toc}{chapter}{#1}%
  {\Huge\bfseries \thechapter\quad #2\par}\emph{#3}\par\bigskip}
"""


def test_the_class_command_starts_chapters(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=False), use_cache=False)
    chapters = [(s.title, s.level) for s in r.document.sections]
    assert chapters == [("Introduction", 1), ("Results of the work", 1), ("Conclusion", 1)]
    missing = [f.message for f in r.findings if f.code == "PT304"]
    assert missing == ["no 'abstract' section"]  # the fixture has none: the others are found


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="TeX Live is not installed")
def test_tex_typesets_the_class_command_as_a_chapter(make_project, tmp_path):
    log = pdflatex(make_project(PAPER), tmp_path)
    assert "Output written on" in log and "\n! " not in log, log[-2000:]
