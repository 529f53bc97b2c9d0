r"""A command the paper defines around \section (\usection{Title}{sec:key}) starts a section
where it is used, as TeX typesets it (minimal papers written here)."""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import check_static as check
from helpers import finding_codes as codes
from helpers import pdflatex

PAPER = r"""%! main.tex
\documentclass{article}
\newcommand{\usection}[2]{
  \section*{#1}
  \label{#2}
  \addcontentsline{toc}{section}{#1}
}
\newcommand{\mysec}[1]{\section{#1}}
\newcommand{\sect}[1]{\usection{#1}{sec:#1}}
\newcommand{\proofof}[1]{\paragraph{Proof of #1}}
\begin{document}
\begin{abstract}
We study how sections are made.
\end{abstract}
\usection{Introduction}{sec:intro}
This introduction says what the paper does, in enough words to be more than a stub of a
section: the reader learns the question, the method and what we found, and why it matters.
It goes on for a while longer, so that nobody takes it for a section still to be written.
\mysec{Related Work}
Others asked this before \cite{knuth}, with other methods, and we build on what they found
about the question, the method and the answers they gave to the people who asked them.
We say how our answer differs from theirs, and where it agrees, in a few more words here.
\proofof{the claim}
The proof is short.
\sect{Conclusion}
We conclude what Section~\ref{sec:intro} promised, in a few more words than a stub has,
so that the reader knows what was found and what is left for the work that follows this.
The last sentence thanks the reader for reading this far into a paper about sections.
\begin{thebibliography}{1}
\bibitem{knuth} D. Knuth. The TeXbook. 1984.
\end{thebibliography}
\end{document}
"""


def _titles(result) -> list[tuple[int, str, bool]]:
    return [(s.level, s.title, s.heading.starred) for s in result.document.sections]


def test_heading_wrappers_start_sections(make_project):
    r = check(make_project(PAPER))
    # introduction, related work and conclusion are all there: no PT304, and no section reads
    # as a stub
    assert codes(r, "PT304", "PT303") == []
    assert _titles(r) == [
        (2, "Introduction", True),
        (2, "Related Work", False),
        # a title built around the parameter is not the parameter: not a heading we can title
        (2, "Conclusion", True),
    ]
    # read as the built-in commands they wrap: the same sections with the same words (a title
    # is the heading's, not prose of the section before it)
    plain = (
        PAPER.replace(
            r"\usection{Introduction}{sec:intro}", "\\section*{Introduction}\\label{sec:intro}"
        )
        .replace(r"\mysec{Related Work}", r"\section{Related Work}")
        .replace(r"\sect{Conclusion}", r"\section*{Conclusion}")
    )
    assert plain != PAPER
    same = check(make_project(plain))
    assert [(s.title, s.words) for s in r.document.sections] == [
        (s.title, s.words) for s in same.document.sections
    ]


@pytest.mark.tex
def test_tex_lists_the_wrapped_headings(make_project, tmp_path):
    # the oracle: TeX writes a table-of-contents line for each section the wrappers make
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    folder = make_project(
        PAPER.replace(r"\begin{abstract}", "\\tableofcontents\n\\begin{abstract}")
    )
    pdflatex(folder, tmp_path, runs=1)
    toc = (tmp_path / "main.toc").read_text()
    tex = re.findall(r"\\contentsline \{section\}\{(?:\\numberline \{\d+\})?([^}]*)\}", toc)
    assert tex == ["Introduction", "Related Work", "Conclusion"]
    r = check(folder)
    assert [t for lvl, t, _s in _titles(r) if lvl == 2] == tex


def test_journal_front_and_back_matter_are_short_sections(make_project):
    # Elsevier's highlights, a graphical abstract and a licence note are not body sections
    # to be written out to a share of the pages
    r = check(
        make_project(
            PAPER.replace(
                r"\usection{Introduction}",
                "\\section*{Graphical Abstract}\nSee the picture.\n"
                "\\section*{Highlights}\nFirst point. Second point.\n"
                "\\section*{License}\nCC-BY 4.0.\n\\usection{Introduction}",
            )
        )
    )
    assert codes(r, "PT303", "PT304") == []
