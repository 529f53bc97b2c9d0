r"""A venue's exempt "Ethics Statement" is found as authors spell it ("Ethic Statement",
"Ethical Statement", "Ethics Statements"): the main content ends before it, in the build's page
count and in the estimate (minimal papers written here)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papertrack.model.build import build_document
from papertrack.model.measure import main_body
from papertrack.pages import compile_paper
from papertrack.pages.titles import matches_heading
from papertrack.project.loader import load_project
from papertrack.venues import normalize_heading

ICLR = ["Ethics Statement", "Reproducibility Statement"]

PAPER = r"""\documentclass{article}
\begin{document}
\section{Introduction}
Main words ENDOFMAIN.
\section*{TITLE}
Statement words.
\section*{Reproducibility Statement}
Code words.
\end{document}
"""


@pytest.mark.parametrize("title", ["Ethic Statement", "Ethical Statement", "Ethics Statements"])
def test_the_spellings_of_the_ethics_statement_are_one_heading(title: str) -> None:
    assert normalize_heading(title) == normalize_heading("Ethics Statement")
    assert matches_heading(title, ICLR) == "Ethics Statement"


def test_other_headings_stay_apart() -> None:
    assert matches_heading("Ethics", ICLR) is None
    assert matches_heading("Ethical Considerations", ICLR) is None
    assert normalize_heading("Acknowledgements") == "acknowledgments"


def test_the_estimate_ends_before_the_misspelt_statement(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(PAPER.replace("TITLE", "Ethic Statement"))
    doc = build_document(load_project(tmp_path))
    body = main_body(doc, ICLR)
    assert "ENDOFMAIN" in body and "Statement words" not in body


@pytest.mark.tex
def test_tex_main_content_ends_before_the_misspelt_statement(tmp_path: Path) -> None:
    if not shutil.which("latexmk"):
        pytest.skip("no TeX")
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(PAPER.replace("TITLE", "Ethic Statement"))
    res = compile_paper(folder, Path("main.tex"), exempt_headings=ICLR, build_dir=tmp_path / "b")
    assert res.ok and res.pages is not None, res.problems
    # the heading as the paper writes it ends the main content, not the next one
    assert res.pages.ended_by == "heading 'Ethic Statement'"
