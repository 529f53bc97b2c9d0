r"""ECCV's author kit (eccv.sty with keyval options): [review] replaces the author block with
"Anonymous ECCV <year> Submission", so PT601 has nothing to report; without [review], or with
[final], the names print and PT601 reports them. The eccv.sty here is a stand-in written for
the test that does what the kit's option does (minimal papers written here)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from papertrack.check import run_check
from papertrack.config import Config

STY = r"""\NeedsTeXFormat{LaTeX2e}
\ProvidesPackage{eccv}[2099/01/01 stand-in for the ECCV author kit's review option]
\newif\ifeccv@review
\DeclareOption{review}{\eccv@reviewtrue}
\DeclareOption{final}{\eccv@reviewfalse}
\DeclareOption*{}
\ProcessOptions\relax
\ifeccv@review
  \let\maketitleold\maketitle
  \renewcommand{\maketitle}{\author{Anonymous ECCV Submission}\maketitleold}
\fi
"""

PAPER = r"""\documentclass{article}
\usepackage[OPTIONS]{eccv}
\title{Fast Sorting}
\author{Jane Doe \\ Example University}
\begin{document}
\maketitle
\section{Introduction}
Words of the introduction.
\end{document}
"""


def _paper(tmp_path, options: str):
    folder = tmp_path / options.replace(",", "-").replace("=", "")
    folder.mkdir()
    (folder / "eccv.sty").write_text(STY)
    (folder / "main.tex").write_text(PAPER.replace("OPTIONS", options))
    return folder


@pytest.mark.parametrize(("options", "named"), [("review,ID=5", False), ("ID=5", True)])
def test_the_review_option_hides_the_author_block(tmp_path, options, named):
    # no option: the kit prints the names, and papertrack takes ECCV's stage as review
    r = run_check(_paper(tmp_path, options), cfg=Config(compile=False))
    assert r.document.venue is not None and r.document.venue.name.startswith("ECCV")
    assert bool([f for f in r.findings if f.code == "PT601"]) is named


def test_the_final_option_is_the_camera_ready(tmp_path):
    r = run_check(_paper(tmp_path, "final"), cfg=Config(compile=False))
    assert [f for f in r.findings if f.code == "PT601"] == []


@pytest.mark.tex
@pytest.mark.parametrize(
    ("options", "named"), [("review,ID=5", False), ("ID=5", True), ("final", True)]
)
def test_tex_prints_the_names_only_without_review(tmp_path, options, named):
    if not shutil.which("pdflatex") or not shutil.which("pdftotext"):
        pytest.skip("no TeX")
    folder = _paper(tmp_path, options)
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "main.tex"],
        cwd=folder,
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    text = subprocess.run(
        ["pdftotext", str(folder / "main.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert ("Jane Doe" in text) is named
    assert ("Anonymous ECCV Submission" in text) is not named
