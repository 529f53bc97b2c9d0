"""Chapters a thesis pulls in through its own macro, and a publication list before the text."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import load_config

SPEC = r"""
%! main.tex
\documentclass{report}
\usepackage{biblatex}
\input{include/commands}
\begin{document}
\printbibliography[keyword=own, title=List of publications]
\includechapter{in}{introduction}
\includechapter{me}{method}
\printbibliography
\end{document}
%! include/commands.tex
\newcommand{\chapterpath}{}
\newcommand{\includechapter}[2]{
    \renewcommand{\chapterpath}{#2}
    \input{chapters/\chapterpath}
}
%! chapters/introduction.tex
\chapter{Introduction}
We study how chapters come into the text through a macro of the thesis itself.
%! chapters/method.tex
\chapter{Method}
The method chapter has its own words, counted as main text before the bibliography.
"""


def test_chapters_through_an_input_wrapper_macro_are_main_text(make_project):
    folder = make_project(SPEC)
    cfg = load_config(folder)
    cfg.compile = False
    doc = run_check(folder, cfg=cfg, use_cache=False).document
    assert {"chapters/introduction.tex", "chapters/method.tex"} <= set(doc.project.files)
    chapters = {s.title: s for s in doc.sections}
    assert set(chapters) == {"Introduction", "Method"}
    # the filtered list of the author's publications does not end the main text
    assert not any(s.after_bibliography for s in chapters.values())
    assert doc.words > 20


PREFIX_SPEC = r"""
%! main.tex
\documentclass{report}
\usepackage{graphicx}
\usepackage{cleveref}
\graphicspath{{img/}}
\newcommand{\unit}{}
\newcommand{\unitdir}{}
\newcommand{\inpart}[2]{
    \renewcommand{\unit}{#1}
    \renewcommand{\unitdir}{#2}
    \input{parts/\unitdir}
}
\newcommand{\ulabel}[1]{\label{\unit:#1}}
\newcommand{\uref}[1]{\cref{\unit:#1}}
\newcommand{\pic}[3]{\begin{figure}\includegraphics{\unitdir/#1}\caption{#3}\ulabel{#2}\end{figure}}
\begin{document}
\inpart{al}{alpha}
\inpart{be}{beta}
\end{document}
%! parts/alpha.tex
\chapter{Alpha}\ulabel{top}
The first part shows a plot in \uref{plot}.
\pic{curve}{plot}{A curve.}
%! parts/beta.tex
\chapter{Beta}\ulabel{top}
Both parts call their figure plot: \uref{plot} here, \cref{al:plot} in the first part,
and \cref{al:gone} names no label at all.
\pic{curve}{plot}{Another curve.}
%! img/alpha/curve.png
png
%! img/beta/curve.png
png
"""


def test_labels_and_paths_built_from_a_helper_the_wrapper_sets(make_project):
    """\\label{\\unit:#1} with \\unit set per chapter by the macro that \\input's it: each
    chapter's labels carry its own prefix, as TeX builds them."""
    folder = make_project(PREFIX_SPEC)
    cfg = load_config(folder)
    cfg.compile = False
    result = run_check(folder, cfg=cfg, use_cache=False)
    doc = result.document
    labels = sorted(lb.name for lb in doc.labels)
    assert labels == ["al:plot", "al:top", "be:plot", "be:top"]
    assert sorted(g.path for g in doc.graphics) == ["alpha/curve", "beta/curve"]
    codes = [(f.code, f.message) for f in result.findings]
    # the one reference that names no label is still reported, and nothing else of the kind
    unresolved = [m for c, m in codes if c == "PT101"]
    assert len(unresolved) == 1 and "al:gone" in unresolved[0]
    # no double labels, no missing images, no \input{parts/\unitdir} inside the definition
    assert not [c for c, _ in codes if c in ("PT102", "PT106", "PT001")]
