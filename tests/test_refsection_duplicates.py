"""biblatex refsections each print their own references: one work cited under two keys in two
different refsections (a thesis of papers, one per part) never shows twice in one list; in
the same refsection, or without refsections, it does (minimal papers written here)."""

from __future__ import annotations

import pytest

from papertrack.check import run_check
from papertrack.config import Config

BIB = r"""%! refs.bib
@article{smith2020a, author={Smith, Ann}, title={Streaming Transducers for Swarms},
  journal={J. Swarms}, year={2020}}
@article{smith2020b, author={Smith, Ann}, title={Streaming Transducers for Swarms},
  journal={J. Swarms}, year={2020}}
"""


def paper(first: str, second: str, split: bool) -> str:
    begin, end = ("\\begin{refsection}\n", "\\printbibliography\n\\end{refsection}\n")
    if not split:
        begin = end = ""
    return (
        "%! main.tex\n\\documentclass{book}\n\\usepackage[backend=biber]{biblatex}\n"
        "\\addbibresource{refs.bib}\n\\begin{document}\n"
        f"\\part{{One}}\n{begin}\\input{{one}}\n{end}"
        f"\\part{{Two}}\n{begin}\\chapter{{Two}}\nAs shown \\cite{{{second}}}.\n{end}"
        + ("" if split else "\\printbibliography\n")
        + "\\end{document}\n"
        f"%! one.tex\n\\chapter{{One}}\nAs shown \\cite{{{first}}}.\n" + BIB
    )


@pytest.mark.parametrize(
    ("first", "second", "split", "reported"),
    [
        ("smith2020a", "smith2020b", True, False),  # one in each part's refsection
        ("smith2020a, smith2020b", "smith2020b", True, True),  # both in part One's list
        ("smith2020a", "smith2020b", False, True),  # one list for the whole thesis
    ],
)
def test_a_duplicate_counts_within_one_refsection(make_project, first, second, split, reported):
    r = run_check(
        make_project(paper(first, second, split)), cfg=Config(compile=False), use_cache=False
    )
    assert bool([f for f in r.findings if f.code == "PT203"]) is reported
