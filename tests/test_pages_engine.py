"""Engine and bibliography-tool choice from a paper's own sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from papertrack.pages.engine import bib_tool, choose_engine

ARTICLE = "\\documentclass{article}\n\\begin{document}\nx\n\\end{document}\n"


@pytest.mark.parametrize(
    ("main", "engine"),
    [
        (ARTICLE, "pdflatex"),
        ("% !TEX program = xelatex\n" + ARTICLE, "xelatex"),
        ("%!TEX TS-program = LuaLaTeX\n" + ARTICLE, "lualatex"),
        ("% !TeX program = pdflatex\n\\usepackage{fontspec}\n" + ARTICLE, "pdflatex"),
        (
            "\\documentclass{article}\n\\usepackage{fontspec}\n\\begin{document}\\end{document}",
            "xelatex",
        ),
        ("\\documentclass{article}\n\\usepackage[math-style=ISO]{unicode-math}\n", "xelatex"),
        ("\\documentclass{article}\n\\usepackage{xeCJK}\n", "xelatex"),
        ("\\documentclass[UTF8]{ctexart}\n", "xelatex"),
        ("\\documentclass{article}\n\\usepackage{amsmath,ctex}\n", "xelatex"),
        ("\\documentclass{article}\n\\usepackage{luacode}\n", "lualatex"),
        # Commented out, or after \begin{document}: not loaded.
        ("\\documentclass{article}\n% \\usepackage{fontspec}\n\\begin{document}\n", "pdflatex"),
        # Templates that load fontspec only under a Unicode engine compile with pdfLaTeX.
        (
            "\\documentclass{article}\n\\usepackage{iftex}\n\\ifPDFTeX\\usepackage[T1]{fontenc}"
            "\\else\\usepackage{fontspec}\\fi\n",
            "pdflatex",
        ),
    ],
)
def test_engine_from_main_file(tmp_path: Path, main: str, engine: str) -> None:
    chosen, reason = choose_engine(main, tmp_path)
    assert chosen == engine, reason
    assert reason


@pytest.mark.parametrize(
    ("rc", "engine"),
    [
        ("$pdf_mode = 5;\n", "xelatex"),
        ("$pdf_mode=4;\n", "lualatex"),
        ("$pdf_mode = 1; # pdflatex\n", "pdflatex"),
        ("@default_files = ('main.tex');\n$latex = 'latex';\n# -xelatex\n", None),
        ("$pdflatex = 'xelatex -shell-escape %O %S';\n", "xelatex"),
    ],
)
def test_engine_from_latexmkrc(tmp_path: Path, rc: str, engine: str | None) -> None:
    (tmp_path / ".latexmkrc").write_text(rc)
    chosen, reason = choose_engine(ARTICLE, tmp_path)
    assert chosen == (engine or "pdflatex")
    if engine:
        assert ".latexmkrc" in reason


def test_magic_comment_beats_latexmkrc(tmp_path: Path) -> None:
    (tmp_path / "latexmkrc").write_text("$pdf_mode = 5;\n")
    assert choose_engine("% !TEX program = lualatex\n" + ARTICLE, tmp_path)[0] == "lualatex"


def test_packages_in_local_preamble_files(tmp_path: Path) -> None:
    (tmp_path / "preamble.tex").write_text("\\usepackage{fontspec}\n")
    main = "\\documentclass{article}\n\\input{preamble}\n\\begin{document}\\end{document}\n"
    assert choose_engine(main, tmp_path)[0] == "xelatex"
    (tmp_path / "mystyle.sty").write_text("\\RequirePackage{unicode-math}\n")
    main = "\\documentclass{article}\n\\usepackage{mystyle}\n\\begin{document}\\end{document}\n"
    assert choose_engine(main, tmp_path)[0] == "xelatex"


@pytest.mark.parametrize(
    ("preamble", "tool"),
    [
        ("\\usepackage{natbib}\n", "bibtex"),
        ("\\usepackage[style=authoryear]{biblatex}\n", "biber"),
        ("\\usepackage[backend=bibtex,style=numeric]{biblatex}\n", "bibtex"),
        ("\\PassOptionsToPackage{backend=biber}{biblatex}\n\\usepackage{biblatex}\n", "biber"),
        ("% \\usepackage{biblatex}\n", "bibtex"),
    ],
)
def test_bib_tool(tmp_path: Path, preamble: str, tool: str) -> None:
    main = "\\documentclass{article}\n" + preamble + "\\begin{document}\\end{document}\n"
    assert bib_tool(main, tmp_path) == tool


def test_corpus_thesis_uses_biber() -> None:
    corpus = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
    thesis = corpus / "thesis-manchester-ferigo"
    if not thesis.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide ../shared/corpus: {thesis} missing")
        pytest.skip("corpus not available")
    text = (thesis / "thesis.tex").read_text(encoding="utf-8", errors="replace")
    assert bib_tool(text, thesis) == "biber"
    # Its latexmkrc only sets a shell-escape $pdflatex command line, no engine switch.
    assert choose_engine(text, thesis)[0] == "pdflatex"


def test_unreadable_latexmkrc_and_preamble_file_are_skipped(tmp_path: Path, monkeypatch) -> None:
    """Security review F14: an unreadable .latexmkrc or \\input file (a root-owned leftover)
    must not crash the engine choice; tests run as root, so the read error is simulated."""
    (tmp_path / ".latexmkrc").write_text("$pdf_mode = 5;\n")
    (tmp_path / "head.tex").write_text("\\usepackage{fontspec}\n")
    real = Path.read_text

    def denied(self, *a, **k):
        if self.name in (".latexmkrc", "head.tex"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", denied)
    main = "\\documentclass{article}\\input{head}\\begin{document}x\\end{document}"
    engine, _why = choose_engine(main, tmp_path)
    assert engine == "pdflatex"


def test_directlua_inside_a_local_package_copy_is_not_the_papers(tmp_path: Path) -> None:
    """A paper shipping mathtools.sty (which calls \\directlua behind its own engine test)
    still builds with pdfLaTeX; \\directlua in the paper's own preamble asks for LuaLaTeX."""
    (tmp_path / "mathtools.sty").write_text("\\ifdefined\\directlua\\directlua{x=1}\\fi\n")
    main = "\\documentclass{article}\\usepackage{mathtools}\\begin{document}x\\end{document}"
    assert choose_engine(main, tmp_path)[0] == "pdflatex"
    own = "\\documentclass{article}\\directlua{x=1}\\begin{document}x\\end{document}"
    assert choose_engine(own, tmp_path)[0] == "lualatex"


def test_a_package_named_like_the_main_file_is_read_as_the_package(tmp_path: Path) -> None:
    """thesis.tex loads its own thesis.sty, which loads fontspec: \\usepackage{thesis} reads
    thesis.sty (as LaTeX does), not thesis.tex, the main file itself."""
    (tmp_path / "thesis.sty").write_text("\\ProvidesPackage{thesis}\n\\RequirePackage{core}\n")
    (tmp_path / "core.sty").write_text("\\RequirePackage{fontspec}\n")
    main = "\\documentclass{book}\n\\usepackage{thesis}\n\\begin{document}\\end{document}\n"
    (tmp_path / "thesis.tex").write_text(main)
    assert choose_engine(main, tmp_path)[0] == "xelatex"
    # and \input{x} still reads x.tex, never x.sty
    (tmp_path / "setup.sty").write_text("\\RequirePackage{fontspec}\n")
    main2 = "\\documentclass{article}\n\\input{setup}\n\\begin{document}\\end{document}\n"
    assert choose_engine(main2, tmp_path)[0] == "pdflatex"
