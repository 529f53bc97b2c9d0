"""TikZ externalization needs shell escape, which papertrack's build never allows: the build
typesets the pictures in place, as the author's (shell-escape) build would lay them out."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = pytest.mark.tex
needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)

# the prefix folder is made by the author's Makefile (mkdir -p out), so it is not in the repo
PAPER = r"""%! main.tex
\documentclass{article}
\usepackage{tikz}
\usetikzlibrary{external}
\tikzexternalize[prefix=out/]
\begin{document}
Figure~\ref{fig:a} shows a square.
\begin{figure}[h]\centering
\begin{tikzpicture}\draw (0,0) rectangle (2,2);\end{tikzpicture}
\caption{A square.}\label{fig:a}
\end{figure}
\end{document}
"""


@needs_tex
def test_externalized_pictures_are_typeset_in_place(make_project):
    r = run_check(make_project(PAPER), cfg=Config(), use_cache=False)
    res = r.document.compile
    assert res is not None and res.pdf is not None
    assert res.first_error is None, res.first_error
    assert [f.code for f in r.findings if f.code.startswith("PT7")] == []
    assert r.document.pages.method == "exact" and r.document.pages.total_pages == 1
