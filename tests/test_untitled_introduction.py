"""An introduction without a heading (APA style, Nature's articles): prose between the abstract
and the first heading is the introduction, so no section is missing (minimal papers written here).
"""

from __future__ import annotations

from helpers import check_static, write_project

from papertrack.completion.sections import expected_missing
from papertrack.config import Config

SENTENCE = "Reviewers ask whether the effect of practice on recall holds in older adults too. "


def paper(lead: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n\\title{Practice}\\author{A. Author}\n"
        "\\begin{document}\n\\maketitle\n\\begin{abstract}\nWe test practice and recall.\n"
        "\\end{abstract}\n"
        + lead
        + "\n\\section{Related work}\nEarlier studies \\cite{k}.\n\\section{Method}\n"
        + SENTENCE * 12
        + "\n\\section{Conclusion}\nPractice helps.\n"
        "\\bibliographystyle{plain}\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n@misc{k, title={K}, author={K. K}, year={2020}}\n"
    )


def missing(r) -> list[str]:
    return [f.message for f in r.findings if f.code == "PT304"]


def test_prose_after_the_abstract_is_an_untitled_introduction(tmp_path):
    root = write_project(tmp_path / "p", paper(SENTENCE * 12))
    r = check_static(root)
    assert missing(r) == []
    assert "Introduction" not in expected_missing(r.document, Config(compile=False))


def test_a_line_of_keywords_after_the_abstract_is_no_introduction(tmp_path):
    root = write_project(tmp_path / "p", paper("\\noindent Keywords: practice, recall, ageing."))
    r = check_static(root)
    assert missing(r) == ["no 'introduction' section"]


def test_a_long_title_block_before_the_abstract_is_no_introduction(tmp_path):
    # affiliations typed in the body (AASTeX's \\affil) come before the abstract
    spec = paper("").replace(
        "\\maketitle\n", "\\maketitle\n" + "Department of Psychology, Some University. " * 40
    )
    r = check_static(write_project(tmp_path / "p", spec))
    assert missing(r) == ["no 'introduction' section"]
