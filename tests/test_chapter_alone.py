"""`papertrack check sections/intro.tex` on a chapter (no \\documentclass) says it is one.

Checked alone, a chapter reads every reference to the rest of the paper as undefined; the
header now says why the findings look wrong and what to check instead."""

from __future__ import annotations

from click.testing import CliRunner

from papertrack.cli import main


def _paper(tmp_path):
    (tmp_path / "sections").mkdir()
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{sections/intro}\n"
        "\\section{Method}\\label{sec:method}\nText.\n\\end{document}\n"
    )
    (tmp_path / "sections" / "intro.tex").write_text(
        "\\section{Introduction}\nSee Section~\\ref{sec:method}.\n"
    )


def test_chapter_alone_says_it_has_no_documentclass(tmp_path):
    _paper(tmp_path)
    r = CliRunner().invoke(
        main, ["check", "--no-compile", str(tmp_path / "sections" / "intro.tex")]
    )
    assert "no \\documentclass of its own" in " ".join(r.output.split()), r.output


def test_root_file_given_says_nothing_more(tmp_path):
    _paper(tmp_path)
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path / "main.tex")])
    assert "given on the command line)" in r.output and "documentclass" not in r.output, r.output
