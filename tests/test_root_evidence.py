"""Choosing the root from evidence: build files, outputs, names, and what a document reaches."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from papertrack.cli import main as cli
from papertrack.project.loader import load_project

WORDS = "\n".join(f"Sentence {i} of a paragraph that carries real content." for i in range(30))


def paper(body_files: int = 6) -> str:
    """A multi-file paper: main.tex pulls in a header, sections and a bibliography."""
    inputs = "\n".join(f"\\input{{sections/s{i}}}" for i in range(body_files))
    spec = (
        f"%! main.tex\n\\input{{header}}\n\\begin{{document}}\n{inputs}\n"
        "\\bibliography{refs}\n\\end{document}\n"
        "%! header.tex\n\\documentclass{article}\n\\usepackage{amsmath}\n"
    )
    for i in range(body_files):
        spec += f"%! sections/s{i}.tex\n\\section{{Part {i}}}\n{WORDS}\n"
    return spec


def one_file(name: str, words: int) -> str:
    """A self-contained document of about `words` sentences, with a bibliography."""
    text = "\n".join(
        f"Line {i} of a self-contained side document, kept for later." for i in range(words)
    )
    return (
        f"%! {name}\n\\documentclass{{article}}\n\\begin{{document}}\n{text}\n"
        "\\bibliography{refs}\n\\end{document}\n"
    )


def test_size_counts_the_reachable_document_not_the_root_file(make_project):
    # a one-file draft larger than the paper's root file, smaller than the whole paper
    p = load_project(make_project(paper(6) + one_file("draft.tex", 100)))
    assert p.main == "main.tex"
    assert "7 files" in p.main_reason or "8 files" in p.main_reason
    alt = dict(p.alternatives)
    assert "1 file," in alt["draft.tex"] and "smaller" in alt["draft.tex"]


def test_root_with_class_in_a_header_and_body_in_another_file(make_project):
    spec = (
        "%! main.tex\n\\input{preamble}\n\\input{body}\n"
        "%! preamble.tex\n\\documentclass{report}\n\\usepackage{graphicx}\n"
        f"%! body.tex\n\\begin{{document}}\n{WORDS}\n\\bibliography{{refs}}\n\\end{{document}}\n"
        + one_file("rebuttal/letter.tex", 10)
    )
    p = load_project(make_project(spec))
    assert p.main == "main.tex"
    assert [a for a, _ in p.alternatives] == ["rebuttal/letter.tex"]
    # neither the header nor the body is a document of its own
    assert "preamble.tex" in p.files and "body.tex" in p.files


def test_committed_outputs_beside_a_candidate(make_project):
    folder = make_project(paper(2) + one_file("paper-v2.tex", 80))
    for ext in (".pdf", ".synctex.gz"):
        (folder / ("main" + ext)).write_bytes(b"%PDF-1.5 stand-in")
    p = load_project(folder)
    assert p.main == "main.tex"
    assert "main.pdf and main.synctex.gz are committed beside it" in p.main_reason


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("README.md", "# Our paper\n\nTo build it, compile `short.tex` with pdflatex.\n"),
        ("Makefile", "all:\n\tlatexmk -pdf short\n"),
        (".github/workflows/build.yml", "jobs:\n  b:\n    steps:\n      - run: pdflatex short\n"),
        (
            ".vscode/settings.json",
            '{"latex-workshop.latex.rootFile": "${workspaceFolder}/short.tex"}',
        ),
    ],
)
def test_a_build_file_or_readme_that_names_the_root(make_project, path, text):
    folder = make_project(one_file("short.tex", 60) + one_file("long.tex", 150))
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    (folder / path).write_text(text)
    p = load_project(folder)
    assert p.main == "short.tex"
    assert f"{path} names it" in p.main_reason
    assert [a for a, _ in p.alternatives] == ["long.tex"]


def test_a_makefile_beside_a_paper_in_a_subfolder(make_project):
    folder = make_project(
        one_file("paper/paper.tex", 60) + one_file("paper/paper-extended.tex", 150)
    )
    (folder / "paper" / "Makefile").write_text("pdf:\n\tpdflatex paper.tex && bibtex paper\n")
    assert load_project(folder).main == "paper/paper.tex"


def test_folder_names_count_like_file_names(make_project):
    spec = one_file("paper/main.tex", 60) + one_file("slides/main.tex", 80)
    spec += one_file("old/main.tex", 90) + one_file("response/main.tex", 90)
    p = load_project(make_project(spec))
    assert p.main == "paper/main.tex"
    alt = dict(p.alternatives)
    assert "'slides'" in alt["slides/main.tex"] and "'old'" in alt["old/main.tex"]


def test_a_word_inside_a_longer_word_is_not_a_decoy(make_project):
    # `bold` and `support` contain decoy words; a survey may be called a review
    p = load_project(make_project(one_file("bold-support-review.tex", 90) + one_file("x.tex", 60)))
    assert p.main == "bold-support-review.tex"


def test_magic_comments_are_evidence_when_they_name_several_roots(make_project):
    spec = one_file("a/main.tex", 60) + one_file("b/main.tex", 60)
    spec += "%! a/intro.tex\n% !TEX root = main.tex\nx\n%! b/intro.tex\n% !TEX root = main.tex\n"
    spec += "%! a/more.tex\n% !TEX root = main.tex\nx\n"
    p = load_project(make_project(spec))
    # both are named; the tie is broken by name, and both appear with their reasons
    assert {p.main, *dict(p.alternatives)} == {"a/main.tex", "b/main.tex"}
    assert "TEX root" in p.main_reason


def test_graphics_missing_for_a_copy_make_it_less_likely(make_project):
    figs = "\n".join(f"\\includegraphics{{figures/f{i}}}" for i in range(4))
    doc = f"\\documentclass{{article}}\n\\begin{{document}}\n{figs}\n{WORDS}\n\\bibliography{{refs}}\n\\end{{document}}\n"
    folder = make_project(f"%! arxiv/main.tex\n{doc}%! camera/main.tex\n{doc}")
    for i in range(4):
        (folder / "camera" / "figures").mkdir(exist_ok=True)
        (folder / "camera" / "figures" / f"f{i}.pdf").write_bytes(b"%PDF")
    p = load_project(folder)
    assert p.main == "camera/main.tex"
    assert "4 of the 4 graphics it includes are missing" in dict(p.alternatives)["arxiv/main.tex"]


@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="needs TeX's kpsewhich")
def test_a_style_file_missing_everywhere_makes_a_candidate_less_likely(make_project):
    spec = one_file("a.tex", 100).replace(
        "\\begin{document}", "\\usepackage{pt-nowhere-style}\n\\begin{document}"
    )
    spec += one_file("b.tex", 60).replace(
        "\\begin{document}", "\\usepackage{amsmath,mylocal}\n\\begin{document}"
    )
    spec += "%! mylocal.sty\n\\ProvidesPackage{mylocal}\n"
    p = load_project(make_project(spec))
    assert p.main == "b.tex"
    assert "pt-nowhere-style.sty" in dict(p.alternatives)["a.tex"]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs TeX")
def test_a_class_named_in_other_letter_case_is_found_as_tex_live_finds_it(make_project, tmp_path):
    # \documentclass{ieeetran} beside IEEEtran.cls: kpathsea's case-insensitive retry loads it,
    # so the larger document is not halved as "loads ieeetran.cls, found neither here nor in TeX"
    spec = one_file("final/paper.tex", 100).replace("{article}", "{myconf}")
    spec += "%! final/MyConf.cls\n\\LoadClass{article}\n"
    spec += one_file("draft/paper.tex", 70)
    p = load_project(make_project(spec))
    assert p.main == "final/paper.tex", p.alternatives
    assert "found neither" not in p.main_reason
    # TeX's own answer: the class loads
    import subprocess

    folder = make_project(spec) / "final"
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "-draftmode", "paper.tex"],
        cwd=folder,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=120,
    )
    log = (folder / "paper.log").read_text(errors="replace")
    assert "MyConf.cls" in log and "not found" not in log


def test_latexmkrc_names_the_root_and_alternatives_are_still_listed(make_project):
    folder = make_project(one_file("small.tex", 10) + one_file("big.tex", 200))
    (folder / ".latexmkrc").write_text("@default_files = ('small.tex');\n")
    p = load_project(folder)
    assert p.main == "small.tex" and "latexmkrc" in p.main_reason
    assert [a for a, _ in p.alternatives] == ["big.tex"]


def test_latexmkrc_listing_a_companion_first_picks_the_document_that_imports_it(make_project):
    # A supplement listed first (so its .aux exists for xr) is not the paper: the paper is the
    # file that cross-references it, here through a wrapper of zref-xr's \zexternaldocument.
    companion = one_file("extra.tex", 40)
    importer = one_file("article.tex", 40).replace(
        "\\begin{document}",
        "\\newcommand{\\siexternaldocument}[2][]{\\zexternaldocument*[#1]{#2}}\n"
        "% \\externaldocument{nothing}\n\\siexternaldocument[x:]{extra}\n\\begin{document}",
        1,
    )
    folder = make_project(companion + importer)
    (folder / "latexmkrc").write_text("@default_files = ('extra', 'article');\n")
    p = load_project(folder)
    assert p.main == "article.tex" and "latexmkrc" in p.main_reason
    assert [a for a, _ in p.alternatives] == ["extra.tex"]


def test_latexmkrc_listing_independent_files_keeps_the_first(make_project):
    folder = make_project(one_file("one.tex", 20) + one_file("two.tex", 20))
    (folder / "latexmkrc").write_text("@default_files = ('one', 'two');\n")
    assert load_project(folder).main == "one.tex"


def test_check_says_why_and_how_to_pick_another(make_project):
    folder = make_project(paper(2) + one_file("poster/poster.tex", 20))
    (folder / "main.pdf").write_bytes(b"%PDF")
    r = CliRunner().invoke(cli, ["check", "--no-compile", str(folder)])
    out = " ".join(r.output.split())  # the terminal wraps long lines
    assert "main file: main.tex" in out
    assert "main.pdf is committed beside it" in out
    assert "--main poster/poster.tex" in out


def test_a_latexdiff_output_loses(make_project):
    spec = paper(2) + one_file("changes.tex", 300).replace("Line 0", "\\DIFadd{Line 0}")
    p = load_project(make_project(spec))
    assert p.main == "main.tex"
    assert "latexdiff" in dict(p.alternatives)["changes.tex"]
