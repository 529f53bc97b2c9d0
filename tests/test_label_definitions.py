"""Where labels are defined: one label copied onto many floats is one PT102 finding, the copies
related (pdflatex warns once per copy); the labels a package writes (lastpage's LastPage) are
defined (minimal papers written here, compiled with pdflatex)."""

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


LASTPAGE = r"""%! main.tex
\documentclass{article}
\usepackage{lastpage,totpages}
\begin{document}
Page \thepage\ of \pageref{LastPage} (\ref{TotPages} in all); see \ref{sec:none}.
\end{document}
"""


def test_labels_a_package_writes_are_defined(make_project):
    r = check_static(make_project(LASTPAGE))
    assert [f.message for f in r.findings if f.code == "PT101"] == [
        "undefined reference 'sec:none' (\\ref)"
    ]
    # without the package, LastPage is undefined (LaTeX prints ??)
    r = check_static(make_project(LASTPAGE.replace("lastpage,", "")))
    assert sorted(f.message for f in r.findings if f.code == "PT101")[0].startswith(
        "undefined reference 'LastPage'"
    )


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX")
def test_latex_defines_the_labels_of_lastpage_and_totpages(make_project, tmp_path):
    log = pdflatex(make_project(LASTPAGE), tmp_path, runs=2)
    assert "Reference `sec:none' on page 1 undefined" in log
    assert "`LastPage'" not in log and "`TotPages'" not in log
