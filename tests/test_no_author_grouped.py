"""Cited entries with no author, editor or key: a few are reported one by one; five or more
(web pages exported by a reference manager) are one finding with every entry related, as
duplicate keys are (minimal papers written here, built with pdflatex and BibTeX)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from papertrack.check import run_check
from papertrack.config import Config


def _paper(n: int) -> str:
    keys = [f"page{i}" for i in range(n)]
    bib = "".join(
        f"@misc{{{k},\n  title = {{Page {i}}},\n  howpublished = {{Online}},\n  year = {{2024}}\n}}\n"
        for i, k in enumerate(keys)
    )
    return (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n"
        f"See~\\citep{{{','.join(keys)}}}.\n\\bibliographystyle{{plainnat}}\n\\bibliography{{refs}}\n"
        "\\end{document}\n%! refs.bib\n" + bib
    )


def test_six_entries_without_author_are_one_finding(make_project):
    r = run_check(make_project(_paper(6)), cfg=Config(compile=False))
    [f] = [f for f in r.findings if f.code == "PT209"]
    assert f.message.startswith("6 cited entries have no author, editor or key (page0, page1,")
    assert (f.location.file, f.location.line) == ("refs.bib", 1)
    assert [w.line for w in f.related] == [6, 11, 16, 21, 26]


def test_two_entries_without_author_are_two_findings(make_project):
    r = run_check(make_project(_paper(2)), cfg=Config(compile=False))
    assert [f.location.line for f in r.findings if f.code == "PT209"] == [1, 6]


@pytest.mark.tex
def test_tex_bibtex_warns_for_each_of_the_six(make_project):
    if not (shutil.which("pdflatex") and shutil.which("bibtex")):
        pytest.skip("no TeX")
    root = make_project(_paper(6))
    run = {"cwd": root, "capture_output": True, "check": False, "stdin": subprocess.DEVNULL}
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "main.tex"], **run)
    subprocess.run(["bibtex", "main"], **run)
    assert (root / "main.blg").read_text().count(
        "Warning--to sort, need author or key in page"
    ) == 6
