"""One label copied onto many floats is one PT102 finding, the copies related; two definitions
stay one finding each (a minimal paper written here; pdflatex warns once per copy)."""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static, pdflatex

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
\begin{figure}
\fbox{a}\label{sub}
\fbox{b}\label{sub}
\fbox{c}\label{sub}
\fbox{d}\label{sub}
\caption{Four panels.}\label{fig:panels}
\end{figure}
\section{Setup}\label{sec:setup}
Figure~\ref{fig:panels} and Section~\ref{sec:setup}.
\section{Again}\label{sec:setup}
\end{document}
"""


def test_a_label_copied_onto_many_floats_is_one_finding(make_project):
    r = check_static(make_project(PAPER))
    found = sorted(
        (f.location.line, f.message, len(f.related)) for f in r.findings if f.code == "PT102"
    )
    assert found == [
        (5, "label 'sub' is defined 4 times (first at main.tex:4:9)", 3),
        (12, "label 'sec:setup' is already defined at main.tex:10:16", 1),
    ]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX")
def test_latex_warns_for_each_copy(make_project, tmp_path):
    log = pdflatex(make_project(PAPER), tmp_path, runs=2)
    assert log.count("Label `sub' multiply defined") == 3
    assert log.count("Label `sec:setup' multiply defined") == 1
