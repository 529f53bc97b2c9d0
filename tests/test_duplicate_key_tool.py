"""PT205 names the tool that reads the .bib: BibTeX, or biber under biblatex (both keep the
first of two entries with one key; checked with biber 2.x: "Duplicate entry key ... skipping")."""

from __future__ import annotations

from helpers import check_static as check

BIB = (
    "%! refs.bib\n"
    "@misc{dup, title = {First copy}, author = {Doe, Jane}, year = 2020}\n"
    "@misc{dup, title = {Second copy}, author = {Roe, Rick}, year = 2021}\n"
)


def messages(r) -> list[str]:
    return [f.message for f in r.findings if f.code == "PT205"]


def test_biblatex_with_biber_names_biber(make_project):
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{biblatex}\n"
        "\\addbibresource{refs.bib}\n\\begin{document}\nSee \\cite{dup}.\n"
        "\\printbibliography\n\\end{document}\n" + BIB
    )
    assert messages(check(make_project(paper))) == [
        "duplicate bib key 'dup' (biber uses the first)"
    ]


def test_bibtex_names_bibtex(make_project):
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{dup}.\n"
        "\\bibliographystyle{plain}\\bibliography{refs}\n\\end{document}\n" + BIB
    )
    assert messages(check(make_project(paper))) == [
        "duplicate bib key 'dup' (BibTeX uses the first)"
    ]
