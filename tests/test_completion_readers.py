"""What the completion model reads as work left: figures that are content, sections PT304 expects."""

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


THESIS = r"""
%! main.tex
\documentclass{report}
\begin{document}
\begin{abstract}
PROSE
\end{abstract}
\chapter{Introduction}
PROSE
\chapter{Methods}
PROSE
\chapter{Results}
PROSE
\chapter{Outlook}
PROSE
\end{document}
"""

ARTICLE = r"""
%! main.tex
\documentclass{article}
\begin{document}
\section{Einleitung}
PROSE
\section{Method}
PROSE
\end{document}
"""


def test_completion_table_expects_what_pt304_expects(make_project):
    """The section table's missing rows are the sections PT304 reports missing: a thesis is
    not asked for related work, an article is asked for its conclusion in any language."""
    prose = "Words of real prose in this part of the text, written out in full sentences. " * 20
    for spec, missing in ((THESIS, set()), (ARTICLE, {"abstract", "related work", "conclusion"})):
        folder = make_project(spec.replace("PROSE", prose))
        cfg = load_config(folder)
        cfg.compile = False
        result = run_check(folder, cfg=cfg, use_cache=False)
        rows = {r.title.lower() for r in assess(result).sections if not r.present}
        reported = {f.message.split("'")[1] for f in result.findings if f.code == "PT304"}
        assert rows == reported == missing


def _sectioned(titles: list[str], prose: str) -> str:
    body = "".join(f"\\section{{{t}}}\n{prose}\n" for t in titles)
    return "%! main.tex\n\\documentclass{article}\n\\begin{document}\n" + body + "\\end{document}\n"


def test_a_long_document_of_another_genre_is_not_held_to_the_paper_template(make_project):
    """A specification or a tutorial (six sections and more, thousands of words, none of the
    research template) is not asked for Related work or a Conclusion; a research draft of the
    same size that names Methods and Experiments still is."""
    prose = "Words of real prose in this part of the text, written out in full sentences. " * 80
    spec = ["Overview", "Format", "Encoding", "Security", "Implementation", "Rationale"]
    draft = ["Introduction", "Setting", "Methods", "Datasets", "Experiments", "Ablations"]
    outcome = {}
    for name, titles in (("spec", spec), ("draft", draft)):
        folder = make_project(_sectioned(titles, prose))
        cfg = load_config(folder)
        cfg.compile = False
        result = run_check(folder, cfg=cfg, use_cache=False)
        reported = {f.message.split("'")[1] for f in result.findings if f.code == "PT304"}
        rows = {r.title.lower() for r in assess(result).sections if not r.present}
        assert rows == reported
        outcome[name] = reported
    assert outcome["spec"] == set()
    assert outcome["draft"] == {"abstract", "related work", "conclusion"}
    # the same specification, short (a skeleton): the defaults still apply
    folder = make_project(_sectioned(spec, "A short paragraph of prose."))
    cfg = load_config(folder)
    cfg.compile = False
    result = run_check(folder, cfg=cfg, use_cache=False)
    # (its Overview stands for the introduction)
    assert {f.message.split("'")[1] for f in result.findings if f.code == "PT304"} == {
        "abstract",
        "related work",
        "conclusion",
    }


def test_an_introduction_that_reviews_the_literature_needs_no_related_work_section(make_project):
    """An astronomy or biology paper reviews the literature in its introduction: with as many
    works cited as a covered related-work section cites, neither PT304 nor the completion
    table asks for one; with fewer, both still do."""
    prose = "Words of real prose in this part of the text, written out in full sentences. " * 20
    outcome = {}
    for n in (12, 11):
        cites = " ".join(f"\\citep{{w{i}}}" for i in range(n))
        bib = "".join(
            f"@misc{{w{i}, title={{Work {i}}}, author={{A. Author}}, year=2020}}\n"
            for i in range(n)
        )
        spec = (
            "%! main.tex\n\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n"
            "\\begin{abstract}An abstract.\\end{abstract}\n"
            f"\\section{{Introduction}}\n{prose} {cites}\n\\section{{Observations}}\n{prose}\n"
            f"\\section{{Conclusions}}\n{prose}\n\\bibliographystyle{{plainnat}}\n"
            f"\\bibliography{{refs}}\n\\end{{document}}\n%! refs.bib\n{bib}"
        )
        folder = make_project(spec)
        cfg = load_config(folder)
        cfg.compile = False
        result = run_check(folder, cfg=cfg, use_cache=False)
        rows = {r.title.lower() for r in assess(result).sections if not r.present}
        reported = {f.message.split("'")[1] for f in result.findings if f.code == "PT304"}
        assert rows == reported
        outcome[n] = reported
    assert outcome == {12: set(), 11: {"related work"}}


def test_spacing_and_colour_in_a_title_are_not_its_words(make_project):
    """`\\chapter*{\\vspace{4.55cm}Introduction}` is the Introduction: a command that prints
    space, a colour or a mark puts none of its argument into the title."""
    folder = make_project(
        r"""
%! main.tex
\documentclass{report}
\usepackage{xcolor}
\begin{document}
\chapter*{\vspace{4.55cm}Introduction}
Some words of the introduction.
\chapter{\color{teal}Related Work\hspace{1em}}
Other words.
\chapter{Results\linebreak[4] and\rule{1pt}{2pt} Discussion}
Last words.
\end{document}
"""
    )
    doc = run_check(folder, cfg=load_config(folder, None)).document
    titles = [s.title for s in doc.sections]
    assert titles == ["Introduction", "Related Work", "Results and Discussion"]
