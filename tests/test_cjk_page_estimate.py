"""The page estimate of Chinese text (ctex classes): no spaces between words, each character
one em wide, and ctex's wider line spacing. The estimate must land near what XeLaTeX sets
(minimal paper written here, its text made up)."""

from __future__ import annotations

import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

SENTENCE = "我们在这里写一段用来测试排版的中文句子，它没有任何实际的意义，只是为了填满页面。"
PARAGRAPH = SENTENCE * 8


def paper(zihao: str) -> str:
    body = "\n\n".join(f"\\section{{第{i}节}}\n{PARAGRAPH}\n\n{PARAGRAPH}" for i in range(12))
    return (
        "%! main.tex\n% !TEX program = xelatex\n"
        f"\\documentclass[zihao={zihao},fontset=fandol]{{ctexart}}\n"
        f"\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )


def test_chinese_characters_fill_lines_by_their_width(make_project):
    small = run_check(make_project(paper("5")), cfg=Config(compile=False), use_cache=False)
    large = run_check(make_project(paper("-4")), cfg=Config(compile=False), use_cache=False)
    # 24 paragraphs of 320 characters: many pages, more at the larger size
    assert small.document.pages.main_pages > 5
    assert large.document.pages.main_pages > small.document.pages.main_pages * 1.1


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None
    or shutil.which("xelatex") is None
    or shutil.which("kpsewhich") is None,
    reason="TeX Live with XeLaTeX is not installed",
)
@pytest.mark.parametrize("zihao", ["5", "-4"])
def test_the_estimate_is_near_the_pages_xelatex_sets(make_project, zihao):
    import subprocess

    if not subprocess.run(["kpsewhich", "FandolSong-Regular.otf"], capture_output=True).stdout:
        pytest.skip("the Fandol fonts are not installed")
    root = make_project(paper(zihao))
    est = run_check(root, cfg=Config(compile=False), use_cache=False).document.pages
    exact = run_check(root, cfg=Config(), use_cache=False).document.pages
    assert exact.method == "exact", exact
    assert abs(est.main_pages - exact.main_pages) <= 0.25 * exact.main_pages, (est, exact)
