"""Graphics that exist only as drawings (fig.svg, fig.dot for the fig.pdf the paper includes):
a Makefile or the editor exports them, TeX never does. Many are one finding with the cause, and
TeX's own log confirms each is missing (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'


def paper(names: list[str]) -> str:
    figs = "".join(f"\\includegraphics{{{n}}}\n" for n in names)
    return (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{graphicx}\n"
        "\\graphicspath{{images/}}\n\\begin{document}\nText.\n" + figs + "\\end{document}\n"
        "%! images/arch.svg\n" + SVG + "%! images/flow.svg\n" + SVG + "%! images/tree.dot\n"
        "digraph { a -> b }\n"
    )


def test_drawings_not_exported_are_one_finding(make_project):
    r = run_check(
        make_project(paper(["arch.pdf", "flow", "tree.pdf", "lost.pdf"])),
        cfg=Config(compile=False),
        use_cache=False,
    )
    got = sorted(f.message for f in r.findings if f.code == "PT106")
    assert len(got) == 2, got
    assert got[0].startswith("3 graphics files are missing whose drawings are here (.dot, .svg)")
    assert got[1] == "graphics file 'lost.pdf' not found"


def test_one_drawing_names_itself(make_project):
    r = run_check(make_project(paper(["arch.pdf"])), cfg=Config(compile=False), use_cache=False)
    got = [f.message for f in r.findings if f.code == "PT106"]
    assert got == [
        "graphics file 'arch.pdf' not found: only its drawing 'images/arch.svg' is here, which"
        " TeX does not convert"
    ]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="TeX Live is not installed")
def test_tex_does_not_convert_the_drawing(make_project, tmp_path):
    log = pdflatex(make_project(paper(["arch.pdf"])), tmp_path)
    assert "File `arch.pdf' not found" in log
