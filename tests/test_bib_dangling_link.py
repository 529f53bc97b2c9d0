"""A .bib file that is a dangling symbolic link says where it points, not just 'No such file'."""

from __future__ import annotations

import os

from click.testing import CliRunner

from papertrack.cli import main


def test_dangling_bib_link_names_its_target(tmp_path):
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "As shown~\\cite{a}.\n\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    gone = tmp_path / "elsewhere" / "shared.bib"  # another machine's folder: absent here
    os.symlink(gone, paper / "refs.bib")
    r = CliRunner().invoke(main, ["check", "--no-compile", "--format", "concise", str(paper)])
    assert r.exit_code == 1, r.output
    line = next(x for x in r.output.splitlines() if "PT004" in x)
    assert f"refs.bib is a link to {gone}, which does not exist here" in line, line
    assert "Traceback" not in r.output
