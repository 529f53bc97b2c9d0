"""Words as they print: citation notes count, a bare URL is one word, nomenclature is not text."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.parse.vocabulary import count_words


def words(make_project, body: str) -> int:
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{nomencl}\n\\begin{document}\n"
        "\\section{Intro}\n" + body + "\n\\end{document}\n"
    )
    result = run_check(root, cfg=Config(compile=False), use_cache=False)
    return result.document.words


def test_citation_notes_print_and_count(make_project):
    assert words(make_project, "Shown before \\cite{k}.") == 2
    # "Shown before [see p. 3]": the notes are printed text
    assert words(make_project, "Shown before \\citep[see][p.~3]{k}.") == 5


def test_a_bare_url_is_one_word():
    assert count_words("see https://github.com/a/b-c/d.html now") == 3
    assert count_words("at www.example.org/x/y today") == 3
    assert count_words("no url here") == 3


def test_nomenclature_entries_are_not_text(make_project):
    assert words(make_project, "Text. \\nomenclature[a01]{$x$}{the input vector of size n}") == 1
