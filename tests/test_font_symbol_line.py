r"""LaTeX's font warning for one symbol (pxfonts has no typewriter \{: "Font shape
`OMS/pxtt/m/n' undefined ... for symbol `textbraceleft' on input line 6") is read with its
third line: PT704 points at the line and names the symbol (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.pages.logparse import parse_log

PAPER = "%! main.tex\n\\documentclass{article}\n\\usepackage{pxfonts}\n\\begin{document}\nText.\n\n\\texttt{\\{a\\}}\n\\end{document}\n"

LOG = """LaTeX Font Warning: Font shape `OMS/pxtt/m/n' undefined
(Font)              using `OMS/pxsy/m/n' instead
(Font)              for symbol `textbraceleft' on input line 40.

LaTeX Font Warning: Font shape `T1/lmtt/b/n' undefined
(Font)              using `T1/lmtt/m/n' instead on input line 12.
"""


def test_the_symbol_and_its_line_are_read_from_the_third_line():
    got = [(p.message, p.line) for p in parse_log(LOG) if p.kind == "font-substitution"]
    assert got == [
        ("font shape OMS/pxtt/m/n undefined, using OMS/pxsy/m/n for \\textbraceleft", 40),
        ("font shape T1/lmtt/b/n undefined, using T1/lmtt/m/n", 12),
    ]


@pytest.mark.tex
def test_tex_writes_the_symbol_warning_on_three_lines(make_project, tmp_path):
    if not shutil.which("pdflatex"):
        pytest.skip("no pdflatex")
    log = pdflatex(make_project(PAPER), tmp_path)
    [p] = [p for p in parse_log(log) if p.kind == "font-substitution"]
    assert p.line == 6 and p.message.endswith("for \\textbraceleft")
