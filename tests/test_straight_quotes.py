"""PT353's message holds under every font encoding: a straight " prints as a closing quote in
OT1 and as a straight mark in T1, never as an opening quote (pdftotext reads what TeX printed)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from helpers import check_static as check
from helpers import pdflatex

PAPER = '%! main.tex\n\\documentclass{article}\nPRE\\begin{document}\nThe so-called "reward hacking" problem.\n\\end{document}\n'


def test_the_message_names_no_glyph_it_cannot_know(make_project):
    r = check(make_project(PAPER.replace("PRE", "")))
    assert [f.message for f in r.findings if f.code == "PT353"] == [
        'straight " opens a quotation: it never prints as an opening quote'
    ]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None and not os.environ.get("CI"), reason="no TeX")
def test_tex_prints_no_opening_quote_in_ot1_or_t1(make_project, tmp_path):
    printed = {}
    for enc, pre in (("OT1", ""), ("T1", "\\usepackage[T1]{fontenc}\n")):
        out = tmp_path / enc
        out.mkdir()
        pdflatex(make_project(PAPER.replace("PRE", pre)), out)
        text = subprocess.run(
            ["pdftotext", str(out / "main.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        printed[enc] = text[text.index("so-called") + len("so-called ")]
    assert printed == {"OT1": "\u201d", "T1": '"'}  # neither is the opening quote \u201c
