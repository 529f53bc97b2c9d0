"""The heading the bibliography prints under, written by hand (`\\section*{\\refname}`,
`\\section*{Literature}` before `\\bibliography`), is no empty section; LaTeX's name commands
in a heading read as the text TeX prints (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static, pdflatex, write_project

WORDS = "Two curves meet where the solver says they do, within a small tolerance. " * 6
PAPER = (
    "%! main.tex\n\\documentclass{article}\nPREAMBLE\\begin{document}\n\\section{Introduction}\n"
    f"{WORDS}\\cite{{k}}.\n\\section{{Conclusion}}\nThey meet. {WORDS}\n"
    "HEADING\n\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n@misc{k, title={K}, author={K. K}, year={2020}}\n"
)


@pytest.mark.parametrize(
    ("preamble", "heading", "title"),
    [
        ("", "\\section*{\\refname}", "References"),
        ("\\renewcommand{\\refname}{Literature}\n", "\\section*{\\refname}", "Literature"),
        ("", "\\section*{Works cited}", "Works cited"),
    ],
)
def test_a_heading_over_the_bibliography_is_no_empty_section(tmp_path, preamble, heading, title):
    spec = PAPER.replace("PREAMBLE", preamble).replace("HEADING", heading)
    root = write_project(tmp_path / "p", spec)
    r = check_static(root)
    assert [f.message for f in r.findings if f.code == "PT303"] == []
    assert [s.title for s in r.document.sections][-1] == title
    if shutil.which("pdflatex"):
        (tmp_path / "out").mkdir()
        assert "\n! " not in pdflatex(root, tmp_path / "out")


def test_an_empty_numbered_conclusion_before_the_bibliography_is_still_empty(tmp_path):
    spec = PAPER.replace("PREAMBLE", "").replace(f"They meet. {WORDS}\n", "").replace("HEADING", "")
    r = check_static(write_project(tmp_path / "p", spec))
    assert [f.message for f in r.findings if f.code == "PT303"] == ["section 'Conclusion' is empty"]
