"""`papertrack check refs.bib` is a usage error, not a clean check of a .bib taken as the root."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from papertrack.cli import main


@pytest.mark.parametrize("name", ["refs.bib", "Makefile", "notes.md"])
def test_a_path_that_is_no_tex_file_is_exit_2(tmp_path, name):
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nText \\ref{nowhere}.\n\\end{document}\n"
    )
    (tmp_path / name).write_text("@misc{a, title={A}}\n")
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path / name)])
    assert r.exit_code == 2, r.output
    assert f"{name}: not a .tex file" in r.output and "main .tex file" in r.output, r.output
    assert "Traceback" not in r.output
