r"""With tikzscale, \includegraphics{plot} finds plot.tikz (the package declares .tikz before
pdfTeX's extensions): no missing-graphics finding, and the .tikz file is read as source."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import check_static as check
from helpers import finding_codes as codes
from helpers import pdflatex

PLOT = r"""\begin{tikzpicture}
\draw (0,0) -- (1,1);
\node at (0,1) {\ref{fig:nowhere}};
\end{tikzpicture}
"""


def paper(preamble: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{tikz}\n"
        f"{preamble}\\begin{{document}}\nFigure~\\ref{{fig:p}}.\n"
        "\\begin{figure}\\centering\\includegraphics[width=3cm]{plots/mu_2.0}"
        "\\caption{A plot.}\\label{fig:p}\\end{figure}\n\\end{document}\n"
        f"%! plots/mu_2.0.tikz\n{PLOT}"
    )


def test_tikzscale_finds_a_tikz_file_without_its_extension(make_project):
    r = check(make_project(paper("\\usepackage{tikzscale}\n")))
    assert codes(r, "PT106") == []
    # the .tikz file is read as the paper's source: its broken reference is found
    assert [f.location.file for f in r.findings if f.code == "PT101"] == ["plots/mu_2.0.tikz"]


def test_without_tikzscale_the_graphic_is_missing(make_project):
    r = check(make_project(paper("")))
    assert codes(r, "PT106") == ["PT106"]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None and not os.environ.get("CI"), reason="no TeX")
def test_tex_agrees(make_project, tmp_path):
    for pre, ok in (("\\usepackage{tikzscale}\n", True), ("", False)):
        folder = make_project(paper(pre))
        out = tmp_path / ("with" if ok else "without")
        out.mkdir()
        log = pdflatex(folder, out)
        assert ("not found" in log) is not ok, log[-2000:]
