"""A chapter whose text TeX reads from another file when it runs (catchfile's
\\CatchFileBetweenDelims of the README's abstract) is not a stub: its words are in the PDF,
not in the source (minimal paper written here)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

WORDS = " ".join(["Words the chapter holds in its own source, enough for a real chapter."] * 8)
PAPER = rf"""%! main.tex
\documentclass{{report}}
\usepackage{{catchfilebetweentags}}
\begin{{document}}
\chapter{{Summary}}
\section{{English}}
\CatchFileBetweenDelims{{\readme}}{{README.txt}}{{.. start}}{{.. stop}}{{}}
\readme
\chapter{{Method}}
{WORDS}
\chapter{{Empty}}
Only a line.
\end{{document}}
%! README.txt
Intro for the repository.
.. start
The abstract of the thesis lives here and is read by TeX when it runs, all of it.
.. stop
"""


def test_a_chapter_read_from_a_file_is_no_stub(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=False), use_cache=False)
    stubs = [f.message for f in r.findings if f.code == "PT303"]
    assert stubs == ["section 'Empty' is a stub (3 words)"]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="TeX Live is not installed")
def test_tex_prints_the_text_it_reads(make_project, tmp_path):
    root = make_project(PAPER)
    log = pdflatex(root, tmp_path)
    assert "Output written on" in log
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "main.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "The abstract of the thesis lives here" in text
