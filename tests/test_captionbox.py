r"""The caption package's \captionbox{caption}{contents} captions its float, as \caption does:
TeX numbers it and lists it in the list of figures (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static as check
from helpers import finding_codes as codes
from helpers import pdflatex

PAPER = r"""%! main.tex
\documentclass{article}
\usepackage{caption}
\begin{document}
Figures~\ref{fig:a} and~\ref{fig:b} show it.
\begin{figure}
  \centering
  \captionbox{A boxed caption.\label{fig:a}}{\rule{2cm}{1cm}}
  \captionbox[Short entry]{Another boxed caption.\label{fig:b}}[3cm][c]{\rule{2cm}{1cm}}
\end{figure}
\begin{figure}\centering\rule{1cm}{1cm}\end{figure}
\listoffigures
\end{document}
"""


def test_a_captionbox_captions_its_figure(make_project):
    r = check(make_project(PAPER))
    # only the second figure, a bare rule, has no caption
    assert [f.location.line for f in r.findings if f.code == "PT105"] == [10]
    assert codes(r, "PT101", "PT103", "PT104") == []
    first = r.document.floats[0]
    assert first.captions == ["A boxed caption.", "Another boxed caption."]
    assert first.labels == ["fig:a", "fig:b"]
    # the two captions and the list entry are caption words (as \caption[entry]{...}'s are);
    # the box's contents are the figure, not caption words
    assert r.document.caption_words == 8


@pytest.mark.tex
def test_tex_lists_both_boxed_captions(make_project, tmp_path):
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    pdflatex(make_project(PAPER), tmp_path, runs=2)
    lof = (tmp_path / "main.lof").read_text()
    assert lof.count("\\contentsline {figure}") == 2
    assert "A boxed caption" in lof and "Short entry" in lof
