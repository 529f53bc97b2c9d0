"""A .bib syntax error that the source check reads (PT204, naming the entry and the field) and
BibTeX reports in its .blg ("I was expecting a `,' or a `}'") is one mistake: one finding
(minimal papers written here, built with pdflatex and BibTeX)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.findings import Location
from papertrack.rules.buildplace import parsed_as_broken

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]

PAPER = (
    "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{a,b}.\n"
    "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n@article{a, author = {Ann Author}, title = {First}, journal = {J}, year = 2020}\n"
    "\n@misc{b,\n  title = {Second},\n  author = {Bo Brown},\n  year = {2021},\n"
    "  note = {A note}\n  howpublished = {Online},\n}\n"
)


def test_a_missing_comma_is_reported_once_where_the_source_check_reads_it(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=True))
    at = [(f.code, f.location.file, f.location.line) for f in r.findings if f.code[:4] == "PT70"]
    at += [(f.code, f.location.file, f.location.line) for f in r.findings if f.code == "PT204"]
    assert ("PT204", "refs.bib", 8) in at, at
    # BibTeX's own report of the same comma, same entry, is not a second error
    assert [a for a in at if a[0] == "PT701"] == [], at


def test_a_bibtex_error_in_another_entry_still_stands(make_project):
    # only the entry the source check reports as broken swallows BibTeX's error: one in entry
    # 'a' (line 1), which parses, or in a file with no parse error, is BibTeX's to report
    r = run_check(make_project(PAPER))
    doc = r.document
    assert parsed_as_broken(doc, Location("refs.bib", 9, 1))
    assert not parsed_as_broken(doc, Location("refs.bib", 1, 1))
    assert not parsed_as_broken(doc, Location("main.tex", 4, 1))
