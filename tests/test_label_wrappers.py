"""Labels and references made by the paper's macros from keys of several arguments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import pdflatex

from papertrack.check import CheckResult, run_check
from papertrack.config import load_config


def _check(folder: Path) -> CheckResult:
    """The findings of a paper folder, without compiling or the parse cache."""
    cfg = load_config(folder)
    cfg.compile = False
    return run_check(folder, cfg=cfg, use_cache=False)


SPEC = r"""
%! main.tex
\documentclass{article}
\newcommand{\genericlabel}[2]{\label{#1:#2}}
\newcommand{\examplelabel}[1]{\genericlabel{exa}{#1}}
\newcommand{\genericref}[2]{\ref{#1:#2}}
\newcommand{\exampleref}[1]{Example~\genericref{exa}{#1}}
\begin{document}
\section{Examples}
\examplelabel{Ints} An example of integers. \genericlabel{fig}{Plot} A plot.
See \exampleref{Ints}, \ref{exa:Ints}, \ref{fig:Plot} and \exampleref{Missing}.
\end{document}
"""


def test_keys_of_several_arguments_through_wrappers(make_project):
    result = _check(make_project(SPEC))
    labels = {lb.name for lb in result.document.labels}
    assert {"exa:Ints", "fig:Plot"} <= labels
    undefined = sorted(f.message for f in result.findings if f.code == "PT101")
    assert len(undefined) == 1 and "'exa:Missing'" in undefined[0]


STY = r"""
%! main.tex
\documentclass{article}
\usepackage{pervasives}
\begin{document}
\section{Examples}
\examplelabel{Ints} An example of integers.
See \ref{exa:Ints} and \exampleref{Ints}.
\end{document}
%! pervasives.sty
\newcommand{\genericlabel}[2]{\label{#1:#2}}
\newcommand{\examplelabel}[1]{\genericlabel{exa}{#1}}
\newcommand{\exampleref}[1]{Example~\ref{exa:#1}}
% text macros of a local package stay unread
\newcommand{\sys}{Tidal}
"""


def test_wrappers_from_the_papers_own_package(make_project):
    result = _check(make_project(STY))
    assert "exa:Ints" in {lb.name for lb in result.document.labels}
    assert not [f for f in result.findings if f.code == "PT101"]
    assert "sys" not in result.document.macros.macros  # only label/ref/cite wrappers


RULES = r"""
%! main.tex
\documentclass{article}
\usepackage{rules}
\begin{document}
\section{Rules}
\inferH{wp-mono}{P}{Q} A rule.
The rule \ruleref{wp-mono} weakens, and \ruleref{wp-none} is not there.
\end{document}
%! rules.sty
\newcommand*{\savelabel}[2]{\edef\@currentlabel{#2}\label{#1}}
\newcommand*{\textlabel}[2]{{#2}\savelabel{#1}{#2}}
\newcommand*{\ruleref}[1]{\textsc{\ref{#1}}}
\newcommand*{\inferhref}[4]{\inferrule*[lab=\textlabel{#2}{#1}]{#3}{#4}}
\newcommand*{\inferH}[3]{\inferhref{#1}{#1}{#2}{#3}}
"""


def test_a_label_made_inside_another_macros_optional_argument(make_project):
    """mathpartir rules: \\inferH labels its rule through \\inferrule*[lab=\\textlabel{..}]."""
    result = _check(make_project(RULES))
    assert "wp-mono" in {lb.name for lb in result.document.labels}
    undefined = [f.message for f in result.findings if f.code == "PT101"]
    assert len(undefined) == 1 and "'wp-none'" in undefined[0]


# checked with pdflatex: rule-a, rule-b and eq:fixed are defined (where \rulesfig is used),
# never-there is undefined (\unused is never used), twice is multiply defined, and the figure
# has no label of its own (the rules' labels come before its caption)
FIXED_KEYS = r"""
%! main.tex
\documentclass{article}
\newcommand{\rulelabel}[1]{\textbf{#1}\label{#1}}
\newcommand{\rulesfig}{%
\begin{center}
\rulelabel{rule-a} and \rulelabel{rule-b}
%\rulelabel{rule-c}
\end{center}
\label{eq:fixed}}
\newcommand{\unused}{\label{never-there}}
\newcommand{\twice}{\label{twice}}
\begin{document}
\section{Rules}
See rule \ref{rule-a}, rule \ref{rule-b} and \ref{eq:fixed}. Also \ref{never-there}.
\begin{figure}
\rulesfig
\caption{Rules.}
\end{figure}
\twice\twice See \ref{twice}.
\end{document}
"""


def test_labels_written_in_a_macro_body_are_defined_where_it_is_used(make_project):
    """A \\label{key} (or a label macro given a key) inside a definition's body: TeX defines
    it at each use of the macro, not at the definition, and not at all if it is never used."""
    result = _check(make_project(FIXED_KEYS))
    labels = [lb.name for lb in result.document.labels]
    assert {"rule-a", "rule-b", "eq:fixed"} <= set(labels)
    assert "never-there" not in labels and "rule-c" not in labels  # unused; a comment
    undefined = [f.message for f in result.findings if f.code == "PT101"]
    assert len(undefined) == 1 and "'never-there'" in undefined[0]
    twice = [f.message for f in result.findings if f.code == "PT102"]
    assert len(twice) == 1 and "'twice'" in twice[0]
    (fig,) = result.document.floats
    assert fig.labels == []  # the rules' labels do not name the figure
    assert "PT104" in {f.code for f in result.findings}


# checked with pdflatex: \figlabel makes fig:1 and fig:2 (a new key at each use, no
# "multiply defined" warning)
EXPANDED_KEY = r"""
%! main.tex
\documentclass{article}
\newcommand{\figlabel}{\label{fig:\thefigure}}
\begin{document}
\section{Figures}
\begin{figure}\centering X\caption{One.}\figlabel\end{figure}
\begin{figure}\centering Y\caption{Two.}\figlabel\end{figure}
\end{document}
"""


def test_a_label_key_made_of_macros_is_not_one_fixed_key(make_project):
    result = _check(make_project(EXPANDED_KEY))
    assert not [f for f in result.findings if f.code == "PT102"]


def test_a_papers_own_figureref_is_its_own_not_jmlrs(make_project):
    r"""jmlr's \figureref{key} refers to `key`; a paper on another class that defines
    \figureref{x} as Figure~\ref{fig:x} refers to `fig:x` (pdflatex: no undefined reference)."""
    result = _check(
        make_project(
            r"""
%! main.tex
\documentclass{article}
\newcommand{\figureref}[1]{Figure~\ref{fig:#1}}
\begin{document}
\section{Plots}
\begin{figure}\caption{A plot.}\label{fig:plot}\end{figure}
See \figureref{plot}.
\end{document}
"""
        )
    )
    assert not [f for f in result.findings if f.code == "PT101"]


GUARDED = r"""
%! main.tex
\documentclass{article}
\usepackage{refcount}
\makeatletter
\newcommand{\proofref}[1]{\IfRefUndefinedExpandable{#1:proof}{}{(proved on
  p.~\pageref{#1:proof})}}
\newcommand{\seeproof}[1]{\@ifundefined{r@#1:pf}{}{see \ref{#1:pf}}}
\makeatother
\begin{document}
\section{Results}\label{sec:res}
Theorem one.\label{one} \proofref{one} \seeproof{one}
Theorem two.\label{two} \proofref{two} \seeproof{two} and \ref{three}.
\section{Proofs}
Proof of one.\label{one:proof}\label{one:pf}
\end{document}
"""


def test_a_wrapper_that_refers_only_to_an_existing_label_is_never_undefined(make_project):
    # \proofref{two} tests two:proof first and prints nothing without it; \ref{three} is bare
    result = _check(make_project(GUARDED))
    undefined = [f.message for f in result.findings if f.code == "PT101"]
    assert len(undefined) == 1 and "'three'" in undefined[0]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_tex_warns_only_about_the_bare_reference(make_project, tmp_path):
    root = make_project(GUARDED)
    log = pdflatex(root, tmp_path, runs=2)
    assert "Reference `three' on page 1 undefined" in log
    assert "`two:proof'" not in log and "`two:pf'" not in log
