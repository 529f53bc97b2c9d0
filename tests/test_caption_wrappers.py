r"""A command the paper defines around \caption (\longcaption{short}{long}) captions the float
it is used in, as TeX typesets it (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static as check
from helpers import finding_codes as codes
from helpers import pdflatex

PAPER = r"""%! main.tex
\documentclass{article}
\newcommand\longcaption[2]{\caption[#1]{#2}}
\newcommand\plaincaption{\caption{Always the same words.}}
\newcommand\nocaption[1]{\textbf{#1}}
\begin{document}
Figures~\ref{fig:a}, \ref{fig:b} and \ref{fig:c} show it.
\begin{figure}\centering A\longcaption{Short}{\label{fig:a}A long caption of the first.}\end{figure}
\begin{figure}\centering B\plaincaption\label{fig:b}\end{figure}
\begin{figure}\centering C\nocaption{bold text, not a caption}\label{fig:c}\end{figure}
\end{document}
"""


def test_a_caption_wrapper_captions_its_figure(make_project):
    r = check(make_project(PAPER))
    # only the third figure, whose command prints bold text, has no caption
    assert codes(r, "PT105") == ["PT105"]
    (f,) = [f for f in r.findings if f.code == "PT105"]
    assert f.location.line == 9
    figs = r.document.floats
    assert [bool(x.captions) for x in figs] == [True, True, False]
    assert figs[0].captions == ["A long caption of the first."]


@pytest.mark.tex
def test_tex_numbers_the_wrapped_captions(make_project, tmp_path):
    # the oracle: TeX writes a caption line to the list of figures for the two wrapped captions
    # and none for the third figure
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    folder = make_project(PAPER.replace("\\end{document}", "\\listoffigures\n\\end{document}"))
    pdflatex(folder, tmp_path, runs=2)
    lof = (tmp_path / "main.lof").read_text()
    assert lof.count("\\contentsline {figure}") == 2
    assert "Short" in lof and "Always the same words" in lof


# a wrapper that labels inside the caption and typesets a bold title and a small text: the
# groups after \label{#1} are not \label's arguments
TITLED = r"""%! main.tex
\documentclass{article}
\newcommand{\titledcaption}[3]{\caption{
\label{#1}
{\bf #2. } {\small #3}}}
\begin{document}
Figure~\ref{fig:a} shows it.
\begin{figure}\centering A
  \titledcaption{fig:a}{Plain title}{What the plot shows, and why.}
\end{figure}
\begin{figure}[h]\centering B\caption[Short]{Long caption of B.}\end{figure}
\listoffigures
\end{document}
"""


def test_a_label_inside_a_wrapped_caption_is_its_first_argument(make_project):
    r = check(make_project(TITLED))
    assert codes(r, "PT101", "PT103", "PT105", "PT803") == []
    figs = r.document.floats
    assert figs[0].labels == ["fig:a"]
    assert figs[0].captions == ["Plain title What the plot shows, and why."]


@pytest.mark.tex
def test_tex_resolves_the_label_inside_the_wrapped_caption(make_project, tmp_path):
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    log = pdflatex(make_project(TITLED), tmp_path, runs=2)
    assert "undefined" not in log
    aux = (tmp_path / "main.aux").read_text()
    assert "\\newlabel{fig:a}{{1}" in aux


# a box with a title in a figure, and no \caption: one finding (a caption first, then a label)
BOXED = r"""%! main.tex
\documentclass{article}
\begin{document}
Text.
\begin{figure}[h]\centering \fbox{System prompt: answer briefly.}\end{figure}
\begin{table}[h]\centering \begin{tabular}{l}x\end{tabular}\caption{Numbers.}\end{table}
\end{document}
"""


def test_a_float_without_caption_is_not_also_reported_for_its_label(make_project):
    r = check(make_project(BOXED))
    got = sorted((f.code, f.location.line) for f in r.findings if f.code in ("PT104", "PT105"))
    assert got == [("PT104", 5), ("PT105", 4)]
