"""A thesis of papers: each part (or chapter) prints its own references (\\printbibliography in
a refsection, or a thebibliography per chapter) and numbered chapters follow. Such a
bibliography is not the end of the main text; the last one, or one followed only by the
appendix or unnumbered back matter, still is (minimal papers written here)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

WORDS = " ".join(["Words of the chapter that the thesis prints for its reader."] * 60)


def refs(key: str) -> str:
    return f"\\begin{{thebibliography}}{{9}}\n\\bibitem{{{key}}} A. Author. A paper.\n"
    "\\end{thebibliography}\n"


def thesis(tail: str) -> str:
    return (
        "%! main.tex\n\\documentclass{book}\n\\begin{document}\n"
        f"\\part{{First}}\n\\chapter{{One}}\n{WORDS} \\cite{{a}}\n{refs('a')}"
        f"\\part{{Second}}\n\\chapter{{Two}}\n{WORDS} \\cite{{b}}\n{refs('b')}"
        f"{tail}\\end{{document}}\n"
    )


@pytest.mark.parametrize(
    ("tail", "after"),
    [
        ("", ["Two"]),  # the last bibliography ends the main text: Two is before it
        ("\\chapter{Conclusion}\nClosing words.\n", []),
        ("\\chapter*{Acknowledgements}\nThanks.\n", ["Acknowledgements"]),
        ("\\appendix\n\\chapter{Data}\nTables.\n", ["Data"]),
    ],
)
def test_only_the_last_bibliography_ends_the_main_text(make_project, tail, after):
    r = run_check(make_project(thesis(tail)), cfg=Config(compile=False), use_cache=False)
    chapters = [s for s in r.document.sections if s.level == 1]
    assert not chapters[0].after_bibliography  # One: its part's references follow it
    back = [s.title for s in chapters if s.after_bibliography or s.in_appendix]
    assert back == [t for t in after if t != "Two"]


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_the_build_measures_the_main_text_to_the_last_part(make_project):
    r = run_check(make_project(thesis("")), cfg=Config(), use_cache=False)
    pages = r.document.pages
    assert pages.method == "exact"
    assert pages.ended_by == "ends before references"
    # part pages, two chapters and the first part's references come before the last bibliography
    assert pages.main_pages > 5, pages


def test_one_bibliography_still_ends_the_main_text(make_project):
    # a thesis with one reference list and a numbered chapter after it, without \appendix
    # (TheChymera/masterarbeit's "Supplementary Material"): that chapter is back matter
    paper = (
        "%! main.tex\n\\documentclass{book}\n\\begin{document}\n"
        f"\\chapter{{One}}\n{WORDS} \\cite{{a}}\n{refs('a')}"
        "\\chapter{Supplementary Material}\nMore tables.\n\\end{document}\n"
    )
    r = run_check(make_project(paper), cfg=Config(compile=False), use_cache=False)
    back = [s.title for s in r.document.sections if s.after_bibliography]
    assert back == ["Supplementary Material"]
