r"""A $ never closed before the paragraph ends: the source check reports it at the $ (PT404)
and TeX says "Missing $ inserted" at the paragraph's end. One mistake, one finding: PT404,
where it was made (minimal papers written here, built with pdflatex)."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]

PAPER = (
    "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
    "The shape $S$ and the texture $T.\nThe paragraph goes on.\n\n"
    "A second paragraph.OTHER\n\\end{document}\n"
)


def test_the_unclosed_dollar_is_reported_once_at_the_dollar(make_project, tmp_path):
    root = make_project(PAPER.replace("OTHER", ""))
    log = pdflatex(root, tmp_path)
    # the oracle: TeX stops at the blank line that ends the paragraph, not at the $
    assert "! Missing $ inserted." in log and "\nl.5 \n" in log
    r = run_check(root, cfg=Config(compile=True))
    got = [(f.code, f.location.line) for f in r.findings if f.code in ("PT404", "PT701")]
    assert got == [("PT404", 3)]
    # the page count's caveat names the finding that is reported
    assert "fix PT404 first" in r.document.pages.caveat


def test_an_earlier_math_error_of_its_own_still_stands(make_project, tmp_path):
    # TeX's first error is a _ outside math in the first paragraph; the $ left open is in the
    # second: two mistakes, two findings
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        "The first paragraph a_b.\n\nThe texture $T.\n\n\\end{document}\n"
    )
    root = make_project(paper)
    log = pdflatex(root, tmp_path)
    assert "! Missing $ inserted." in log and "\nl.3 The first paragraph a_" in log
    r = run_check(root, cfg=Config(compile=True))
    got = sorted((f.code, f.location.line) for f in r.findings if f.code in ("PT404", "PT701"))
    assert got == [("PT404", 5), ("PT701", 3)]
