"""FastLatexWalker builds the same node trees as pylatexenc's LatexWalker."""

from __future__ import annotations

import pytest
from pylatexenc import latexwalker as lw

from papertrack.parse import latex, macros
from papertrack.parse.fastwalk import FastLatexWalker


def _dump(nodes, out: list) -> list:
    for n in nodes or []:
        if n is None:
            out.append(None)
            continue
        row = [type(n).__name__, n.pos, n.len]
        for attr in (
            "chars",
            "macroname",
            "environmentname",
            "delimiters",
            "comment",
            "specials_chars",
        ):
            row.append(getattr(n, attr, None))
        out.append(tuple(map(str, row)))
        if getattr(n, "nodeargd", None) is not None and n.nodeargd.argnlist:
            out.append("args(")
            _dump(n.nodeargd.argnlist, out)
            out.append(")")
        if getattr(n, "nodelist", None):
            out.append("(")
            _dump(n.nodelist, out)
            out.append(")")
    return out


SNIPPETS = [
    "Plain prose, with punctuation; and ``quotes'' -- dashes --- and ~ties."
    " What?` Yes!`\n\nNew para.",
    r"\section*{Intro}\label{sec:a} Text \cite[p.~3][see]{a,b} and \citep{c}.   \ref{x}",
    r"Math $a_i^2 + \alpha \cdot b$ and $$x=1$$ and \(y\) and \[z\] end.",
    r"\begin{figure}[t]\centering\includegraphics[width=0.5\linewidth]{f.pdf}"
    r"\caption{A \emph{caption} [with brackets].}\label{fig:a}\end{figure}",
    r"\begin{itemize}\item[a)] first \item second\end{itemize} trailing   ",
    "% a comment\ntext % inline comment\n   \n\n  more text\n\n\n  last",
    r"\newcommand{\figref}[1]{Figure~\ref{#1}} see \figref{fig:a} and \figref fig.",
    r"unbalanced { brace and \begin{itemize} unclosed \end{enumerate} $ stray",
    r"\begin bad \end \\ \& \% \{ \} \verb|x{| after & cells \\[2pt] row",
    r"\todo[inline]{Fix} \textbf{bold {nested {deep}}} [not an arg] \item[x] \hspace*{1cm}",
    "  leading spaces and a final run without newline",
    r"\section{A}text\subsection{B} x--y ''z'' !`a ?`b `c' d",
    "\\ab\u00b2 \\\u00e9t\u00e9 \\\u00c5x \\\\ \\, \\@ \\alpha\u2162 end",
    r"$a $$ b$ $$x$$ \begin {itemize} \item[{x}] y \end {itemize} \begin{a b.c_d*}z\end{a b.c_d*}",
    "text\n\n\n\nmore \\macro  \n\n  after \\macro \n \t\n x \\end",
    "% only a comment\n\\x % and another\nlast \\",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_same_nodes_as_pylatexenc(text):
    db = latex.context_db(
        macros.build_table(macros.find_definitions(text, "a.tex", lambda p: (1, 1)))
    )
    want = _dump(
        lw.LatexWalker(text, latex_context=db, tolerant_parsing=True).get_latex_nodes()[0], []
    )
    got = _dump(
        FastLatexWalker(text, latex_context=db, tolerant_parsing=True).get_latex_nodes()[0], []
    )
    assert got == want


def test_specials_lookup_keeps_longest_match():
    db = latex.context_db(macros.build_table([]))
    FastLatexWalker("x", latex_context=db)
    for s in ("---", "--", "-", "''", "'", "``", "`", "!`", "?`", "~", "&", "x"):
        spec = db.test_for_specials(s, 0)
        assert (spec.specials_chars if spec else None) == {
            "-": None,
            "'": None,
            "`": None,
            "x": None,
        }.get(s, s)
