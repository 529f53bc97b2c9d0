"""A figure whose content is code or an \\input file is a figure, not a placeholder to make."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.completion import assess
from papertrack.config import load_config

SPEC = r"""
%! main.tex
\documentclass{article}
\usepackage{minted}
\begin{document}
\section{Design}
The schema is in Figure~\ref{fig:schema}, the tree in Figure~\ref{fig:tree}, the empty one
in Figure~\ref{fig:empty}.
\begin{figure}
  \centering
  \begin{minted}{yaml}
Name: "the function"
  \end{minted}
  \caption{Schema.}\label{fig:schema}
\end{figure}
\begin{figure}
  \centering
  \input{img/tree.tikz}
  \caption{Tree.}\label{fig:tree}
\end{figure}
\begin{figure}
  \centering
  \caption{Still to draw.}\label{fig:empty}
\end{figure}
\end{document}
%! img/tree.tikz
\begin{tikzpicture}\node {root};\end{tikzpicture}
"""


def test_code_and_input_files_are_figure_content(make_project):
    folder = make_project(SPEC)
    cfg = load_config(folder)
    cfg.compile = False
    result = run_check(folder, cfg=cfg, use_cache=False)
    assert [f.placeholder for f in result.document.floats] == [False, False, True]
    comp = assess(result)
    made = [t.text for t in comp.tasks if t.text.startswith("Make figure")]
    assert made == ["Make figure 'fig:empty' (a placeholder now)"]
