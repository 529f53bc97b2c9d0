"""`papertrack check` with TeX: exact pages, the verdict, and compile findings at the right place."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS

from papertrack.check import run_check
from papertrack.config import Config, load_config

pytestmark = pytest.mark.tex
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@needs_tex
def test_example_is_over_its_page_limit_exactly(tmp_path):
    paper = tmp_path / "draft"
    shutil.copytree(EXAMPLE, paper)
    before = _snapshot(paper)
    r = run_check(paper, cfg=load_config(paper))
    pages = r.document.pages
    assert pages.method == "exact"
    assert pages.total_pages == 5
    assert 4.5 < pages.main_pages < 4.8
    over = [f for f in r.findings if f.code == "PT501"]
    assert len(over) == 1 and "over the limit of 4.5" in over[0].message
    assert _snapshot(paper) == before  # the build happened in the cache, not here
    # an unchanged paper is not rebuilt
    again = run_check(paper, cfg=load_config(paper))
    assert again.document.compile.up_to_date
    assert again.document.pages.main_pages == pages.main_pages


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() and not os.environ.get("CI"), reason="../shared/corpus not present"
)


@needs_tex
@needs_corpus
def test_compile_error_points_at_the_bib_entry():
    r = run_check(CORPUS / "ieee-firefly-draft", cfg=Config())
    errors = [f for f in r.findings if f.code == "PT701"]
    assert errors, [f.message for f in r.findings if f.code.startswith("PT7")]
    first = errors[0]
    assert "Extra }, or forgotten $" in first.message
    assert (first.location.file, first.location.line) == ("refs.bib", 573)
    # the cascade of undefined citations after the error is not reported as separate findings
    assert not [f for f in r.findings if f.code == "PT702"]


@needs_tex
@needs_corpus
def test_acl_main_content_ends_before_limitations():
    r = run_check(CORPUS / "acl-aacl23-sealp-tlunified", cfg=Config())
    p = r.document.pages
    assert p.method == "exact"
    assert p.main_pages == pytest.approx(5.12, abs=0.02)
    assert "Limitations" in p.ended_by
    assert not [f for f in r.findings if f.code in ("PT501", "PT502")]  # 5.12 of 9


def test_estimate_when_compile_is_off():
    r = run_check(EXAMPLE, cfg=Config(compile=False, page_limit=4.5))
    p = r.document.pages
    assert p.method == "estimate" and p.error
    assert "estimate" in p.summary
    # an estimate 0.7 page over with a 0.8 error is no verdict: only a "may be over" warning
    found = [f for f in r.findings if f.code == "PT501"]
    assert (
        len(found) == 1
        and "may be over" in found[0].message
        and str(found[0].severity) == "warning"
    )
    r = run_check(EXAMPLE, cfg=Config(compile=False, page_limit=8))
    assert not [f for f in r.findings if f.code == "PT501"]
    r = run_check(EXAMPLE, cfg=Config(compile=False, page_limit=3))
    warn = [f for f in r.findings if f.code == "PT501"]
    assert (
        len(warn) == 1 and str(warn[0].severity) == "warning" and "probably over" in warn[0].message
    )


@needs_tex
@pytest.mark.skipif(
    shutil.which("kpsewhich") is not None
    and not __import__("subprocess")
    .run(["kpsewhich", "minted.sty"], capture_output=True, text=True)
    .stdout.strip(),
    reason="minted is not installed",
)
def test_a_paper_that_needs_shell_escape_is_not_a_broken_paper(make_project):
    # minted runs Pygments through \write18; papertrack never allows it, so TeX stops with
    # "You must invoke LaTeX with the -shell-escape flag": papertrack's choice, not an error
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{minted}\n\\begin{document}\n"
        "\\section{Code}\nA listing.\n\\begin{minted}{python}\nprint(1)\n\\end{minted}\n"
        "\\end{document}\n"
    )
    r = run_check(root, cfg=Config())
    assert r.document.compile is not None and r.document.compile.needs_shell_escape
    codes = sorted(f.code for f in r.findings if f.code in ("PT701", "PT703", "PT707"))
    assert codes == ["PT707"]
    assert "needs shell escape" in next(f.message for f in r.findings if f.code == "PT707")
    assert "PT707" in (r.document.pages.caveat or "")


@needs_tex
def test_a_missing_bib_file_is_one_finding_not_one_per_citation(make_project):
    # latexmk will not run BibTeX without refs.bib, so every citation is undefined in the
    # build: one cause, reported once (PT007 at the \bibliography line)
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\section{A}\n"
        "See \\cite{one}, \\cite{two} and \\cite{three}.\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    r = run_check(root, cfg=Config())
    assert r.document.compile is not None and r.document.compile.pdf is not None
    codes = sorted(f.code for f in r.findings if f.code.startswith(("PT7", "PT0", "PT2")))
    assert codes == ["PT007"]


@needs_tex
def test_a_build_stopped_by_one_missing_file_is_one_error(make_project):
    # TeX stops at the missing package: PT703 names it; the TeX error saying the same and
    # "no PDF was produced" are that one problem, not three
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{nosuchpackagehere}\n"
        "\\begin{document}\n\\section{A}\nText.\n\\end{document}\n"
    )
    r = run_check(root, cfg=Config())
    assert r.document.compile is not None and r.document.compile.pdf is None
    found = [(f.code, f.message) for f in r.findings if f.code.startswith("PT7")]
    assert found == [
        ("PT703", "missing file nosuchpackagehere.sty: LaTeX stopped there, no PDF was produced")
    ]


@needs_tex
def test_a_bibtex_complaint_the_source_check_makes_too_is_one_finding(make_project):
    # BibTeX says "empty institution in rep" and "to sort, need author or key in web";
    # PT208 and PT209 say the same at the same entries, with the fix: one finding each (also
    # when a TeX error leaves the build without the last word on the source's findings)
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\section{A}\n"
        "See \\cite{rep,web} \\nosuchcommand.\n\\bibliographystyle{plain}\n\\bibliography{refs}\n"
        "\\end{document}\n%! refs.bib\n"
        "@techreport{rep, author = {A. B}, title = {R}, year = 2020}\n"
        "@misc{web, title = {W}, howpublished = {online}}\n"
    )
    r = run_check(root, cfg=Config())
    codes = sorted(f.code for f in r.findings if f.code in ("PT208", "PT209", "PT701", "PT708"))
    assert codes == ["PT208", "PT209", "PT701"]
