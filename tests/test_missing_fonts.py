"""A font the paper names that this system lacks (fontspec's "The font ... cannot be found"):
the machine's gap, reported as missing (PT703), all the fonts of one font set as one finding,
not as an error of the paper (PT701). Minimal papers written here."""

from __future__ import annotations

import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.pages.texmessages import missing_file

PAPER = r"""%! main.tex
% !TEX program = xelatex
\documentclass{article}
\usepackage{fontspec}
\setmainfont{Qqnosuch Serif}
\setsansfont{Qqnosuch Sans}
\begin{document}
Text.
\end{document}
"""


def test_the_log_s_font_errors_name_the_font():
    msg = 'Package fontspec Error: The font "Times New Roman" cannot be found.'
    assert missing_file(msg) == "missing font 'Times New Roman' (not installed here)"
    tfm = "Font \\T1/qq/m/n/10=qqfont at 10.0pt not loadable: Metric (TFM) file not found."
    assert missing_file(tfm) == "missing font 'qqfont' (not installed here)"


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("xelatex") is None,
    reason="TeX Live with XeLaTeX is not installed",
)
def test_fonts_the_system_lacks_are_one_missing_finding(make_project):
    r = run_check(make_project(PAPER), cfg=Config(), use_cache=False)
    got = [(f.code, f.message) for f in r.findings if f.code in ("PT701", "PT703")]
    assert len(got) == 1, got
    code, message = got[0]
    assert code == "PT703"
    assert message.startswith("missing fonts 'Qqnosuch Serif', 'Qqnosuch Sans' (not installed")
