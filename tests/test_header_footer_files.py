"""A root that is only \\input lines: a header file opens the document (\\documentclass ...
\\begin{document}) and a footer file closes it. TeX reads them as one text, and so must the
section table, the word count and the structure check (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""%! main.tex
\input{header.tex}
\input{intro.tex}
\input{footer.tex}
%! header.tex
\documentclass{book}
\usepackage{graphicx}
\begin{document}
%! intro.tex
\chapter{Background}
Words of the first chapter that the reader sees on the page.
\chapter{Methods}
Words of the second chapter, also printed in the thesis.
%! footer.tex
\end{document}
"""


def test_the_chapters_between_header_and_footer_are_the_body(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=False), use_cache=False)
    assert [s.title for s in r.document.sections if s.level == 1] == ["Background", "Methods"]
    assert sum(s.words for s in r.document.sections) >= 18
    assert not [f for f in r.findings if f.code in ("PT402", "PT403")]


def test_another_stray_end_in_an_included_file_is_still_reported(make_project):
    paper = PAPER.replace("thesis.\n", "thesis.\n\\end{itemize}\n")
    r = run_check(make_project(paper), cfg=Config(compile=False), use_cache=False)
    assert [(f.code, f.location.file) for f in r.findings if f.code == "PT403"] == [
        ("PT403", "intro.tex")
    ]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="TeX Live is not installed")
def test_tex_compiles_the_split_document(make_project, tmp_path):
    log = pdflatex(make_project(PAPER), tmp_path)
    assert "Output written on" in log and "\n! " not in log
