"""Regressions for false positives and misses found by trying papertrack on real-life LaTeX."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import Config


def check(root):
    return run_check(root, cfg=Config(compile=False), use_cache=False)


def codes(r, code):
    return sorted(f.message for f in r.findings if f.code == code)


def test_verb_does_not_swallow_the_text_after_it(make_project):
    r = check(make_project(
        "%! main.tex\n\\documentclass{article}\\usepackage{cleveref}\n\\begin{document}\n"
        "\\section{Intro}\\label{sec:intro}\nThe flag \\verb|-q| is quiet. A \\verb|{| and \\verb|}| B.\n"
        "\\begin{table}\\caption{R.}\\label{tab:res}\\end{table}\n\\section{Usage}\\label{sec:usage}\n"
        "See \\cref{tab:res}, \\cref{sec:intro} and \\cref{sec:usage}.\n\\end{document}\n"
    ))
    assert codes(r, "PT101") == []
    assert [s.title for s in r.document.sections] == ["Intro", "Usage"]


BIBLATEX = (
    "%! main.tex\n\\documentclass{article}\n\\usepackage[backend=BACKEND]{biblatex}\n\\addbibresource{refs.bib}\n"
    "\\begin{document}\nAs \\parencites{a1}{a2} and \\textcites[3]{a3}[4]{ghost} show, and \\cite{A4}.\n"
    "\\printbibliography\n\\end{document}\n"
    "%! refs.bib\n@misc{a1, title={One}}\n@misc{a2, title={Two}}\n@misc{a3, title={Three}}\n@misc{a4, title={Four}}\n"
)


def test_biblatex_multicite_commands_cite_every_key(make_project):
    r = check(make_project(BIBLATEX.replace("BACKEND", "bibtex")))
    assert codes(r, "PT201") == ["citation 'ghost' is not in the bibliography"]
    assert codes(r, "PT202") == []  # a1..a3 through the multicite forms, a4 case-insensitively


def test_biber_matches_keys_exactly(make_project):
    r = check(make_project(BIBLATEX.replace("BACKEND", "biber")))
    assert codes(r, "PT201") == [
        "citation 'A4' is not in the bibliography",
        "citation 'ghost' is not in the bibliography",
    ]
    assert codes(r, "PT202") == ["bib entry 'a4' is never cited"]


def test_zref_labels_and_references(make_project):
    r = check(make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        "\\begin{figure}\\caption{x}\\zlabel{fig:z}\\end{figure} See \\zcref{fig:z}.\n\\end{document}\n"
    ))
    assert codes(r, "PT103") == [] and codes(r, "PT104") == []
