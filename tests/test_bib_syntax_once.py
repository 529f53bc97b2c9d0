"""A .bib syntax error that the source check reads (PT204, naming the entry and the field) and
BibTeX reports in its .blg ("I was expecting a `,' or a `}'") is one mistake: one finding
(minimal papers written here, built with pdflatex and BibTeX)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

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


def test_a_bibtex_error_the_source_check_does_not_see_is_still_reported(make_project):
    # an entry with no key: the source check and BibTeX disagree on where; BibTeX's line stands
    root = make_project(PAPER.replace("note = {A note}\n", "note = {A note},\n"))
    (root / "refs.bib").write_text(
        (root / "refs.bib").read_text() + "\n@misc{c, title = {Third}, year = {20}} }\n"
    )
    r = run_check(root, cfg=Config(compile=True))
    assert not [f for f in r.findings if f.code == "PT204"]
