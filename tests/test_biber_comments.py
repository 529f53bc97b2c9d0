"""Biber reads a line that starts with % as a comment, inside an entry and between entries;
BibTeX reads neither (minimal papers written here)."""

from __future__ import annotations

import pytest
from helpers import check_static as check
from helpers import finding_codes as codes

from papertrack.parse.bib import parse_bib
from papertrack.parse.bibreference import parse_bib_reference

BIB = (
    "%! refs.bib\n"
    "@article{kept,\n"
    "  title = {A Title},\n"
    "  % note = {a field switched off},\n"
    "  author = {Doe, Jane},\n"
    "  journal = {J},\n"
    "  year = 2020, % the year of print\n"
    "}\n"
    "%@misc{kept,\n"
    "%  title = {An older copy, commented out},\n"
    "%}\n"
)


def biblatex_paper(preamble: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n"
        + preamble
        + "\n\\begin{document}\nSee \\cite{kept}.\n\\printbibliography\n\\end{document}\n"
        + BIB
    )


@pytest.mark.parametrize(
    "preamble",
    [
        "\\usepackage[backend=biber]{biblatex}\\addbibresource{refs.bib}",
        "\\usepackage{biblatex}\\addbibresource{refs.bib}",  # biber is the default backend
        # a class that loads biblatex itself: only its commands show it
        "\\addbibresource{refs.bib}",
    ],
)
def test_biber_reads_comment_lines_in_a_bib_as_comments(make_project, preamble):
    r = check(make_project(biblatex_paper(preamble)))
    # no syntax error, no duplicate from the commented-out copy, the fields after the comment read
    assert codes(r, "PT204", "PT205", "PT208", "PT209") == []


def test_bibtex_still_stops_at_a_percent_inside_an_entry(make_project):
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{kept}.\n"
        "\\bibliographystyle{plain}\\bibliography{refs}\n\\end{document}\n" + BIB
    )
    assert "PT204" in codes(check(make_project(paper)), "PT204")


def test_backend_bibtex_option_keeps_bibtex_reading(make_project):
    paper = biblatex_paper("\\usepackage[backend=bibtex]{biblatex}\\addbibresource{refs.bib}")
    assert "PT204" in codes(check(make_project(paper)), "PT204")


def test_both_bib_readers_agree_under_biber():
    data = BIB.split("\n", 1)[1].encode()
    fast, ref = (
        parse_bib("refs.bib", data, biber=True),
        parse_bib_reference("refs.bib", data, biber=True),
    )
    assert [(e.key, e.line) for e in fast.entries] == [(e.key, e.line) for e in ref.entries]
    assert [(e.key, e.line) for e in fast.entries] == [("kept", 1)]
    assert fast.diagnostics == ref.diagnostics == []
