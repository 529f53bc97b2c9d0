r"""A venue package that chooses the bibliography style itself (acl.sty's
\bibliographystyle{acl_natbib}) and the paper's own \bibliographystyle: BibTeX says "Illegal,
another \bibstyle command", keeps the first style and prints the references. The finding points
at the paper's command BibTeX ignored, as a warning (minimal papers written here, built with
pdflatex and BibTeX)."""

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
    "%! venue.sty\n\\bibliographystyle{plain}\n"
    "%! main.tex\n\\documentclass{article}\n\\usepackage{venue}\n\\begin{document}\n"
    "See~\\cite{a}.\n\\bibliographystyle{alpha}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n@article{a, author = {Ann Author}, title = {First}, journal = {J}, year = 2020}\n"
)


def test_the_ignored_style_is_a_warning_at_the_papers_command(make_project, tmp_path):
    root = make_project(PAPER)
    r = run_check(root, cfg=Config(compile=True))
    [f] = [f for f in r.findings if f.code == "PT701"]
    assert (f.location.file, f.location.line) == ("main.tex", 5)
    assert str(f.severity) == "warning"
    assert "BibTeX ignores \\bibliographystyle{alpha}" in f.message
    # the oracle: BibTeX used the package's style (plain: [1], not alpha's [Aut20]) and the
    # citation is defined
    assert not [f for f in r.findings if f.code in ("PT201", "PT702")]


def test_tex_bibtex_keeps_the_first_style(make_project, tmp_path):
    import subprocess

    root = make_project(PAPER)
    run = {"cwd": root, "capture_output": True, "check": False, "stdin": subprocess.DEVNULL}
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "main.tex"], **run)
    subprocess.run(["bibtex", "main"], **run)
    blg = (root / "main.blg").read_text()
    assert "Illegal, another \\bibstyle command" in blg
    assert "The style file: plain.bst" in blg
    assert "\\bibitem{a}" in (root / "main.bbl").read_text()  # plain's label, not alpha's


def test_a_style_bibtex_cannot_open_is_reported_at_the_command_naming_it(make_project):
    # BibTeX's "I couldn't open style file" names no line of the paper: the finding sat at the
    # root's line 1, far from the \bibliographystyle to fix
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee~\\cite{a}.\n\n"
        "\\bibliographystyle{nosuchstyle}\n\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n@article{a, author = {Ann Author}, title = {First}, journal = {J},"
        " year = 2020}\n"
    )
    r = run_check(root, cfg=Config(compile=True), use_cache=False)
    (f,) = [f for f in r.findings if "could not open style file" in f.message]
    assert (f.location.file, f.location.line) == ("main.tex", 5)
