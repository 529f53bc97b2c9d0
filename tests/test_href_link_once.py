r"""\href{url}{url}, the link printed as its own address, is one link: PT604 reports it once
(minimal papers written here)."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""\documentclass{article}
\usepackage[review]{acl}
\title{Fast Sorting}
\author{Anonymous}
\begin{document}
\maketitle
\section{Introduction}
LINK
\end{document}
"""


def _pt604(tmp_path, link: str) -> list:
    (tmp_path / "main.tex").write_text(PAPER.replace("LINK", link))
    r = run_check(tmp_path, cfg=Config(compile=False))
    return [f for f in r.findings if f.code == "PT604"]


def test_a_link_printed_as_its_address_is_reported_once(tmp_path):
    url = "https://github.com/jdoe/fastsort"
    found = _pt604(tmp_path, f"Our code is at \\href{{{url}}}{{{url}}}.")
    assert len(found) == 1 and "github.com/jdoe/fastsort" in found[0].message


def test_two_links_in_one_sentence_are_two_findings(tmp_path):
    a, b = "https://github.com/jdoe/fastsort", "https://github.com/jdoe/slowsort"
    found = _pt604(tmp_path, f"Our code is at \\href{{{a}}}{{{a}}} and \\url{{{b}}}.")
    assert sorted(f.message.split()[2] for f in found) == [a, b]
