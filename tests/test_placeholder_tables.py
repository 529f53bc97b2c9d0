"""PT301: a table of results still to come (TBD in every cell) is one thing to fill in, one
finding with every cell related (minimal papers written here)."""

from __future__ import annotations

from helpers import check_static as check

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
Results in Table~\ref{t} are TBD.
\begin{table}[t]
\begin{tabular}{lll}
a & TBD & TBD \\
b & TBD & TBD \\
\end{tabular}
\caption{Scores.}\label{t}
\end{table}
\begin{table}[t]
\begin{tabular}{ll}
c & TBD \\
\end{tabular}
\caption{Other scores.}\label{u}
\end{table}
See Table~\ref{u}.
\end{document}
"""


def test_placeholders_filling_a_table_are_one_finding(make_project):
    r = check(make_project(PAPER))
    found = sorted(
        (f.location.line, f.message, len(f.related)) for f in r.findings if f.code == "PT301"
    )
    assert found == [
        (3, "placeholder text: TBD.", 0),
        (6, "placeholder text: TBD (4 times in this table)", 3),
        (13, "placeholder text: TBD", 0),
    ]
