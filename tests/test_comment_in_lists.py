"""A line holding only a comment inside a {a, b, c} list (\\includeonly, \\bibliography,
\\usepackage) removes that name and nothing else, as LaTeX reads it (a minimal thesis written
here, compiled with pdflatex and BibTeX: both chapters and the second .bib are read)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from helpers import check_static as check

from papertrack.project.includes import comma_list

THESIS = r"""%! main.tex
\documentclass{report}
\usepackage{amsmath,
% amssymb,
graphicx}
\includeonly{%
chapters/intro,
% chapters/draft,
chapters/conclusion,
}
\begin{document}
\begin{abstract}
A short abstract.
\end{abstract}
\include{chapters/intro}
\include{chapters/draft}
\include{chapters/conclusion}
\bibliographystyle{plain}
\bibliography{refs,
% old,
more}
\end{document}
%! chapters/intro.tex
\chapter{Introduction}\label{ch:intro}
We build on earlier work~\cite{ka}, as set out in Chapter~\ref{ch:end}.
%! chapters/draft.tex
\chapter{Draft}
Not typeset.
%! chapters/conclusion.tex
\chapter{Conclusion}\label{ch:end}
The results of~\cite{kc} hold, with the method of Chapter~\ref{ch:intro}.
%! refs.bib
@misc{ka, title = {A}, author = {Ann Author}, year = 2020}
%! more.bib
@misc{kc, title = {C}, author = {Cay Author}, year = 2021}
"""


def test_a_comment_line_in_a_list_hides_only_its_own_name() -> None:
    assert comma_list("chapters/a,\n%\nchapters/c,\n") == ["chapters/a", "chapters/c"]
    assert comma_list("a,%\n b") == ["a", "b"]
    assert comma_list(None) == []


def test_includeonly_bibliography_and_packages_after_a_comment_line(make_project) -> None:
    r = check(make_project(THESIS))
    files = r.document.project.files
    assert "chapters/conclusion.tex" in files and "chapters/draft.tex" not in files
    # the conclusion is there, and more.bib is read: no missing section, no missing .bib
    assert not [(f.code, f.message) for f in r.findings if f.code in ("PT007", "PT201", "PT304")]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("bibtex") is None and not os.environ.get("CI"), reason="no TeX")
def test_latex_reads_the_same_lists(make_project, tmp_path) -> None:
    root = make_project(THESIS)

    def run(*cmd: str) -> None:
        subprocess.run(cmd, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, timeout=180)

    run("pdflatex", "-interaction=nonstopmode", "main.tex")
    run("bibtex", "main")
    run("pdflatex", "-interaction=nonstopmode", "main.tex")
    run("pdflatex", "-interaction=nonstopmode", "main.tex")
    log = (root / "main.log").read_text(errors="replace")
    assert "(./chapters/conclusion.tex" in log and "(./chapters/draft.tex" not in log
    assert "undefined" not in log
    assert "Database file #2: more.bib" in (root / "main.blg").read_text()
