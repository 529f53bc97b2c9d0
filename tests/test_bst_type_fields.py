"""A .bst's entry-type functions decide which missing fields a reference loses (PT208)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import pdflatex, write_project

from papertrack.check import run_check
from papertrack.config import Config

# article prints author, journal and year, never a title (as mnras.bst and aasjournal.bst do);
# book checks its title through a helper function
BST = r"""
ENTRY { author title journal year } {} { label }
STRINGS { t }
FUNCTION {output.check}
{ 't :=
  duplicate$ empty$
    { pop$ "empty " t * " in " * cite$ * warning$ }
    { write$ newline$ }
  if$
}
FUNCTION {bibitem} { "\bibitem{" cite$ * "}" * write$ newline$ }
FUNCTION {format.title} { title "t" change.case$ "title" output.check }
FUNCTION {article}
{ bibitem
  author "author" output.check
  journal "journal" output.check
  year "year" output.check
}
FUNCTION {book} { bibitem author "author" output.check format.title year "year" output.check }
FUNCTION {inproceedings} { bibitem author "author" output.check format.title }
FUNCTION {misc} { bibitem }
FUNCTION {default.type} { misc }
READ
FUNCTION {begin.bib} { "\begin{thebibliography}{9}" write$ newline$ }
FUNCTION {end.bib} { "\end{thebibliography}" write$ newline$ }
EXECUTE {begin.bib}
ITERATE {call.type$}
EXECUTE {end.bib}
"""
SPEC = (
    "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{art,bk,art2,pr}.\n"
    "\\bibliographystyle{notitle}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n"
    "@article{art, author = {A. Smith}, journal = {J. Phys.}, year = 2001}\n"
    "@book{bk, author = {B. Jones}, publisher = {P}, year = 2002}\n"
    "@article{art2, author = {C. Lee}, title = {BERT: A}, journal = {J}, year = 2003}\n"
    "@inproceedings{pr, author = {D. Wu}, title = {GPT: B}, booktitle = {C}, year = 2004}\n"
    "%! notitle.bst\n" + BST
)


def _keys(root, code: str) -> list[str]:
    r = run_check(root, cfg=Config(compile=False), use_cache=False)
    return sorted(f.message.split("'")[1] for f in r.findings if f.code == code)


def test_a_type_whose_function_never_names_the_title_loses_nothing_without_it(tmp_path):
    # the book's title is checked in format.title, which the book calls: that one is missing
    root = write_project(tmp_path / "p", SPEC)
    assert _keys(root, "PT208") == ["bk"]
    # nor does it lower-case a title it never prints: only the paper's 'GPT' is reported
    assert _keys(root, "PT212") == ["pr"]


@pytest.mark.tex
def test_bibtex_warns_about_the_book_only(tmp_path):
    if shutil.which("bibtex") is None or shutil.which("pdflatex") is None:
        pytest.skip("needs pdflatex and bibtex")
    root = write_project(tmp_path / "p", SPEC)
    out = tmp_path / "out"
    out.mkdir()
    pdflatex(root, out)
    shutil.copy(root / "refs.bib", out)
    shutil.copy(root / "notitle.bst", out)
    subprocess.run(["bibtex", "main"], cwd=out, capture_output=True, timeout=60, check=False)
    blg = (out / "main.blg").read_text()
    assert "empty title in bk" in blg and "in art" not in blg
    bbl = (out / "main.bbl").read_text()
    assert "Gpt: B" in bbl and "BERT" not in bbl  # the article's title is not printed
