"""Errors the bibliography causes in the build point at the .bib entry they come from (minimal
papers written here, built with pdflatex and BibTeX)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]

PAPER = (
    "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{a,b}.\n"
    "\\bibliographystyle{STYLE}\n\\bibliography{refs}\n\\end{document}\n"
    "%! refs.bib\n@article{a, author = {Ann Author}, title = {First}, journal = {J}, year = 2020}\n\n"
    "@article{b, author = {Quin\u0303ones, Rosa}, title = {Second}, journal = {J},\n"
    "  year = 2021}\n"
)


def test_a_latex_error_in_the_bbl_points_at_the_entry_it_comes_from(make_project):
    # plain.bst prints 'Rosa Quiñones': the .bbl's text is not the .bib's, its \bibitem is
    r = run_check(make_project(PAPER.replace("STYLE", "plain")), cfg=Config(compile=True))
    [err] = [f for f in r.findings if f.code == "PT701"]
    assert "U+0303" in err.message and "entry 'b' (refs.bib:3)" in err.message, err.message
    assert (err.location.file, err.location.line) == ("refs.bib", 3)


BAD_BST = "ENTRY { title } {} { }\nFUNCTION {article}\n{ pop$ }\nREAD\nITERATE {call.type$}\n"


def test_a_style_that_fails_on_an_entry_says_what_and_where(make_project):
    # BibTeX: "You can't pop an empty literal stack for entry a" / "while executing---line 5
    # of file bad.bst": the finding was 'while executing' at the style's line
    root = make_project(PAPER.replace("STYLE", "bad"))
    (root / "bad.bst").write_text(BAD_BST)
    r = run_check(root, cfg=Config(compile=True))
    errs = [f for f in r.findings if f.code == "PT701" and "BibTeX" in f.message]
    assert errs, [(f.code, f.message) for f in r.findings]
    assert errs[0].message == (
        "BibTeX: You can't pop an empty literal stack for entry a (the style bad.bst failed at"
        " its line 5)"
    )
    assert (errs[0].location.file, errs[0].location.line) == ("refs.bib", 1)


@pytest.mark.parametrize(
    ("main", "bib"),
    [("paper/main.tex", "../refs"), ("main.tex", "./refs")],
    ids=["parent-folder", "dot-slash"],
)
def test_a_bibliography_named_relative_to_the_root_is_found_as_the_author_builds_it(
    make_project, tmp_path, main, bib
):
    # `pdflatex main; bibtex main` beside main.tex finds ../refs.bib and ./refs.bib; latexmk
    # ran BibTeX inside the output folder, where those names point elsewhere: PT701 "BibTeX
    # could not open database file ../refs.bib" for a bibliography that is there
    spec = (
        f"%! {main}\n\\documentclass{{article}}\n\\begin{{document}}\nSee \\cite{{a}}.\n"
        f"\\bibliographystyle{{plain}}\n\\bibliography{{{bib}}}\n\\end{{document}}\n"
        "%! refs.bib\n@article{a, author = {Ann Author}, title = {First}, journal = {J},"
        " year = 2020}\n"
    )
    root = make_project(spec)
    r = run_check(root, cfg=Config(compile=True))
    assert [(f.code, f.message) for f in r.findings if f.code in ("PT007", "PT701", "PT201")] == []
    assert r.document.record.undefined_cites == {}
    # TeX's own answer: BibTeX run beside the root finds the file
    import subprocess

    work = tmp_path / "tex"
    shutil.copytree(root, work)
    folder = (work / main).parent
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "main.tex"],
        cwd=folder,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    bibtex = subprocess.run(["bibtex", "main"], cwd=folder, capture_output=True, text=True)
    assert bibtex.returncode == 0, bibtex.stdout


@pytest.mark.parametrize(("backend", "found"), [("bibtex", True), ("biber", False)])
def test_an_addbibresource_without_extension_is_found_only_by_bibtex(make_project, backend, found):
    # biblatex hands BibTeX `\addbibresource{./refs}` as \bibdata{./refs} and BibTeX adds .bib;
    # Biber looks for './refs' itself ("Cannot find './refs'!")
    spec = (
        f"%! main.tex\n\\documentclass{{article}}\n\\usepackage[backend={backend}]{{biblatex}}\n"
        "\\addbibresource{./refs}\n\\begin{document}\nSee \\cite{a}.\n\\printbibliography\n"
        "\\end{document}\n%! refs.bib\n@article{a, author = {Ann Author}, title = {First},"
        " journal = {J}, year = 2020}\n"
    )
    root = make_project(spec)
    static = run_check(root, cfg=Config(compile=False), use_cache=False)
    assert bool([f for f in static.findings if f.code == "PT007"]) is not found
    assert len(static.document.bib_entries) == (1 if found else 0)
    if backend == "bibtex":
        built = run_check(root, cfg=Config(compile=True))
        assert [f.code for f in built.findings if f.code in ("PT007", "PT701", "PT201")] == []
