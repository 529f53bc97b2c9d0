"""One cause, one finding: BibTeX's complaint about an entry's names, which it repeats at each
style line that formats them, and a build stopped at its output limit, whose undefined
references the next pass would define (minimal papers written here; papertrack's own example
paper for the stopped build)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from papertrack.check import run_check, run_rules
from papertrack.config import Config
from papertrack.pages.logparse import CompileProblem

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"

PAPER = (
    "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee~\\cite{a}.\n"
    "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n@article{a, author = {Ann Author, Bo Brown, Cy Clark, Ed Eve and Di Dent},\n"
    "  title = {First}, journal = {J}, year = 2020}\n"
)


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_a_name_list_with_too_many_commas_is_one_error(make_project, tmp_path):
    import subprocess

    # the oracle: plain.bst formats the names twice (sorting, printing) and BibTeX says so twice
    root = make_project(PAPER)
    run = {"cwd": root, "capture_output": True, "check": False, "stdin": subprocess.DEVNULL}
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "main.tex"], **run)
    out = subprocess.run(["bibtex", "main"], text=True, **run).stdout
    assert out.count("Too many commas in name 1") == 2
    for name in ("main.aux", "main.bbl", "main.blg", "main.log", "main.pdf"):
        (root / name).unlink(missing_ok=True)
    r = run_check(root, cfg=Config(compile=True))
    errs = [f for f in r.findings if f.code == "PT701"]
    assert len(errs) == 1 and "Too many commas" in errs[0].message
    assert (errs[0].location.file, errs[0].location.line) == ("refs.bib", 1)


def test_a_stopped_build_leaves_no_undefined_reference_findings():
    doc = run_check(EXAMPLE, cfg=Config(compile=False)).document.variant()
    undefined = CompileProblem(
        "undefined-reference", "warning", "Reference 'SEC:ABLATION' undefined", "main.tex", 9
    )
    stop = CompileProblem("output-limit", "error", "build stopped: output grew past 200 MB")

    def pt702(*problems):
        doc.compile = SimpleNamespace(problems=list(problems), first_error=None)
        return [f for f in run_rules(doc, Config(compile=False))[0] if f.code == "PT702"]

    assert len(pt702(undefined)) == 1  # a finished build: LaTeX's own report stands
    assert pt702(stop, undefined) == []
