"""Every relative path resolves as TeX resolves it, from wherever papertrack is run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.project.loader import load_project

PDF = b"%PDF-1.4 stand-in\n"


def check(path: Path):
    return run_check(path, cfg=Config(compile=False), use_cache=False)


def findings(r, prefix: str = "") -> set[str]:
    """Every finding as text, with the folder prefix of a layout removed."""
    return {f"{f.location} {f.code} {f.message}".replace(prefix, "") for f in r.findings}


def codes(r, *wanted: str) -> list[str]:
    return sorted(f"{f.location} {f.message}" for f in r.findings if f.code in wanted)


THESIS = (
    "%! thesis/thesis.tex\n\\documentclass{report}\n\\usepackage{graphicx,import}\n"
    "\\graphicspath{{./figs/}}\n\\begin{document}\n\\input{generated/numbers}\n"
    "\\include{chapters/one}\n\\bibliography{refs}\n\\end{document}\n"
    "%! thesis/generated/numbers.tex\n\\newcommand{\\accuracy}{93\\%}\n"
    "%! thesis/chapters/one.tex\n\\chapter{One}\\label{ch:one}\nSee Figure~\\ref{fig:plot} "
    "and~\\ref{fig:d} and \\cite{k}.\n"
    "\\begin{figure}\\includegraphics{plot}\\caption{P.}\\label{fig:plot}\\end{figure}\n"
    "\\begin{figure}\\import{drawings/}{d.pdf_tex}\\caption{D.}\\label{fig:d}\\end{figure}\n"
    "%! thesis/drawings/d.pdf_tex\n\\begin{picture}(1,1)\\put(0,0){\\includegraphics{d.pdf}}"
    "\\put(0,0){\\makebox(0,0){label}}\\end{picture}\n"
    "%! thesis/refs.bib\n@misc{k, title={K}}\n"
    "%! src/tool.py\nprint('code beside the paper')\n"
    "%! README.md\nA tool, and its thesis in thesis/.\n"
)


def make_thesis(make_project) -> Path:
    repo = make_project(THESIS)
    (repo / "thesis" / "figs").mkdir()
    (repo / "thesis" / "figs" / "plot.pdf").write_bytes(PDF)
    (repo / "thesis" / "drawings" / "d.pdf").write_bytes(PDF)
    return repo


def test_the_repository_root_and_the_paper_folder_give_the_same_findings(make_project):
    repo = make_thesis(make_project)
    above, own = check(repo), check(repo / "thesis")
    assert above.document.main == "thesis/thesis.tex" and own.document.main == "thesis.tex"
    assert findings(above, "thesis/") == findings(own)
    for r in (above, own):
        # every file is found: \input from the root's folder, \graphicspath, \import's folder
        assert codes(r, "PT001", "PT007", "PT106", "PT107", "PT101", "PT201") == []


def test_inkscape_export_inside_import_uses_its_graphic_and_reports_a_missing_one(make_project):
    repo = make_thesis(make_project)
    (repo / "thesis" / "drawings" / "d.pdf").unlink()
    (repo / "thesis" / "drawings" / "unused.pdf").write_bytes(PDF)
    r = check(repo / "thesis")
    assert "drawings/d.pdf_tex" in r.document.project.files
    assert codes(r, "PT106") == ["drawings/d.pdf_tex:1:31 graphics file 'd.pdf' not found"]


def test_names_start_in_the_root_folder_not_the_including_files_folder(make_project):
    # TeX runs in the root's folder: chapters/one.tex's \includegraphics{local} is not
    # chapters/local.pdf, and \input{part} is not chapters/part.tex
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{chapters/one}\n"
        "\\end{document}\n%! chapters/one.tex\n\\input{part}\n\\includegraphics{local}\n"
        "%! chapters/part.tex\nPart.\n"
    )
    (folder / "chapters" / "local.pdf").write_bytes(PDF)
    r = check(folder)
    assert codes(r, "PT001") == ["chapters/one.tex:1:1 \\input{part}: file not found"]
    assert codes(r, "PT106") == ["chapters/one.tex:2:1 graphics file 'local' not found"]


def test_graphicspath_in_an_input_preamble_file_and_in_a_local_class(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{uni}\n\\input{setup}\n\\begin{document}\n"
        "\\includegraphics{a}\\includegraphics{b}\n\\end{document}\n"
        "%! setup.tex\n\\usepackage{graphicx}\n\\graphicspath{{figures/}}\n"
        "%! uni.cls\n\\LoadClass{article}\n\\RequirePackage{graphicx}\n"
        "\\graphicspath{{logos/}{figures/}}\n\\AtBeginDocument{\\includegraphics{crest}}\n"
    )
    for f in ("figures/a.pdf", "logos/b.png", "logos/crest.pdf", "logos/other.pdf"):
        (folder / f).parent.mkdir(exist_ok=True)
        (folder / f).write_bytes(PDF)
    r = check(folder)
    assert codes(r, "PT106") == []
    # the class's own crest is used; only the stray logo is not
    assert codes(r, "PT107") == ["logos/other.pdf:1:1 logos/other.pdf is never included"]


def test_texinputs_from_latexmkrc_is_read_and_never_run(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{macros}\n"
        "\\end{document}\n%! lib/tex/macros.tex\n\\newcommand{\\x}{x}\n"
        "%! .latexmkrc\n$ENV{'TEXINPUTS'} = './lib//:' . $ENV{'TEXINPUTS'};\n"
        "system('touch pwned');\n"
    )
    p = load_project(folder)
    assert "lib/tex/macros.tex" in p.files and p.diagnostics == []
    assert not (folder / "pwned").exists()


def test_texinputs_from_a_makefile(make_project):
    folder = make_project(
        "%! paper.tex\n\\documentclass{article}\n\\begin{document}\n\\input{shared}\n"
        "\\end{document}\n%! common/shared.tex\nShared.\n"
        "%! Makefile\nexport TEXINPUTS := ./common:\npaper.pdf: paper.tex\n\tpdflatex paper\n"
    )
    assert "common/shared.tex" in load_project(folder).files


def test_a_file_input_twice_is_read_twice(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{fig}\n"
        "Figure~\\ref{fig:a}.\n\\input{fig}\n\\end{document}\n"
        "%! fig.tex\n\\begin{figure}\\caption{A.}\\label{fig:a}\\end{figure}\n"
    )
    r = check(folder)
    assert codes(r, "PT102") == [
        "fig.tex:1:27 label 'fig:a' is defined twice: fig.tex is read twice"
    ]
    assert len(r.document.floats) == 2
    assert r.document.project.reads["fig.tex"] == 2


def test_files_that_are_latex_but_not_tex_are_followed(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{pgf}\n\\begin{document}\n"
        "\\begin{figure}\\input{plots/loss.pgf}\\caption{L.}\\label{fig:l}\\end{figure}\n"
        "\\begin{figure}\\input{xfig/arch.pstex_t}\\caption{A.}\\label{fig:a}\\end{figure}\n"
        "Figures~\\ref{fig:l} and~\\ref{fig:a}.\n\\end{document}\n"
        "%! plots/loss.pgf\n\\begin{pgfpicture}\\pgftext{\\includegraphics{plots/loss-img0.png}}"
        "\\end{pgfpicture}\n"
        "%! xfig/arch.pstex_t\n\\begin{picture}(0,0)\\includegraphics{xfig/arch.pstex}"
        "\\end{picture}\n"
    )
    (folder / "plots" / "loss-img0.png").write_bytes(b"\x89PNG")
    (folder / "plots" / "stale-img0.png").write_bytes(b"\x89PNG")
    r = check(folder)
    assert {"plots/loss.pgf", "xfig/arch.pstex_t"} <= set(r.document.project.files)
    assert codes(r, "PT107") == ["plots/stale-img0.png:1:1 plots/stale-img0.png is never included"]
    assert codes(r, "PT106") == ["xfig/arch.pstex_t:1:21 graphics file 'xfig/arch.pstex' not found"]


def test_subimport_and_import_folders(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{import}\n\\begin{document}\n"
        "\\import{parts/}{a}\n\\end{document}\n"
        "%! parts/a.tex\n\\subimport{deep/}{b}\n\\input{c}\n\\includegraphics{pa}\n"
        "%! parts/deep/b.tex\n\\includegraphics{pb}\n"
        "%! parts/c.tex\nC.\n"
    )
    (folder / "parts" / "pa.pdf").write_bytes(PDF)
    (folder / "parts" / "deep" / "pb.pdf").write_bytes(PDF)
    r = check(folder)
    assert {"parts/a.tex", "parts/deep/b.tex", "parts/c.tex"} <= set(r.document.project.files)
    assert codes(r, "PT001", "PT106") == []


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_a_compile_error_is_placed_in_the_same_file_from_a_repository_above(make_project):
    repo = make_project(
        "%! paper/main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{sections/a}\n"
        "\\end{document}\n%! paper/sections/a.tex\nFine.\n\nBroken \\undefinedmacro here.\n"
        "%! src/tool.py\nprint(1)\n"
    )

    def first_error(path: Path) -> str:
        r = run_check(path, cfg=Config(), use_cache=False)
        return next(str(f.location) for f in r.findings if f.code == "PT701")

    assert first_error(repo / "paper") == "sections/a.tex:3:1"
    assert first_error(repo) == "paper/sections/a.tex:3:1"


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_the_latexmkrc_beside_the_root_picks_the_engine_from_a_repository_above(make_project):
    repo = make_project(
        "%! paper/main.tex\n\\documentclass{article}\n\\begin{document}\nText.\n\\end{document}\n"
        "%! paper/.latexmkrc\n$pdf_mode = 5;\n%! src/tool.py\nprint(1)\n"
    )
    for path in (repo / "paper", repo):
        build = run_check(path, cfg=Config(), use_cache=False).document.compile
        assert build.engine == "xelatex"


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("ensure_path( 'TEXINPUTS', './tex//', 'sty' );\n", ["./tex//", "sty/"]),
        ("$ENV{'TEXINPUTS'} = './lib//:' . $ENV{'TEXINPUTS'};\n", ["./lib//"]),
        (
            "export TEXINPUTS := ./common:\nall:\n\tTEXINPUTS=.//: pdflatex x\n",
            ["./common/", ".//"],
        ),
        ("TEXINPUTS=/usr/share/texmf//:$(HOME)/tex:\n", []),  # TeX's and the user's own trees
    ],
)
def test_texinputs_entries_as_written_in_build_files(text, entries):
    from papertrack.project.search import texinputs_from

    assert texinputs_from(text) == entries


def test_a_tikz_file_shown_with_includegraphics_is_read(make_project):
    # tikzscale: \includegraphics{x.tikz} inputs the file; what it uses is checked
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{tikzscale}\n\\graphicspath{{figs/}}\n"
        "\\begin{document}\n\\begin{figure}\\includegraphics[width=3cm]{plot.tikz}\\caption{P.}"
        "\\label{fig:p}\\end{figure}\nFigure~\\ref{fig:p}.\n\\end{document}\n"
        "%! figs/plot.tikz\n\\begin{tikzpicture}\\node{\\includegraphics{figs/inset}};"
        "\\node{\\includegraphics{figs/gone}};\\end{tikzpicture}\n"
    )
    (folder / "figs" / "inset.png").write_bytes(b"\x89PNG")
    r = check(folder)
    assert "figs/plot.tikz" in r.document.project.files
    assert codes(r, "PT106") == ["figs/plot.tikz:1:62 graphics file 'figs/gone' not found"]
    assert codes(r, "PT107") == []


def test_an_image_that_a_companion_document_shows_is_used(make_project):
    # latexmk builds the paper and its supplement; each shows its own figures
    doc = "%! {name}.tex\n\\documentclass{{article}}\n\\usepackage{{graphicx}}\n{pre}"
    spec = (
        doc.format(name="paper", pre="")
        + "\\begin{document}\nText.\n\\includegraphics{figs/main-plot}\n\\end{document}\n"
        + doc.format(name="supplement", pre="\\graphicspath{{figs/}}\n")
        + "\\begin{document}\nMore.\n\\includegraphics[width=3cm]{extra-plot.png}\n"
        + "% \\includegraphics{stale}\n\\end{document}\n"
    )
    folder = make_project(spec)
    (folder / "figs").mkdir()
    for name in ("main-plot.pdf", "extra-plot.png", "stale.png"):
        (folder / "figs" / name).write_bytes(b"%PDF" if name.endswith("pdf") else b"\x89PNG")
    (folder / "latexmkrc").write_text("@default_files = ('supplement', 'paper');\n")
    r = check(folder)
    assert r.document.project.main == "supplement.tex"
    assert codes(r, "PT107") == ["figs/stale.png:1:1 figs/stale.png is never included"]
