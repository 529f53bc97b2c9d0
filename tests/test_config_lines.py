"""A bad setting is named at its file:line, with the bad value itself (not its whole table)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from papertrack.cli import main

ROOT = (
    "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\nText.\n\\end{document}\n"
)

CASES = [
    ("# ours\nstub-words = -3\n", ":2: 'stub-words' must be", "not -3"),
    ("# ours\ncolour = 1\n", ":2: unknown setting 'colour'", ""),
    ('[severity]\nPT101 = "info"\nPT102 = "fatal"\n', ":3: 'severity' must be", "not 'fatal'"),
    ('severity = { PT102 = "loud" }\n', ":1: 'severity' must be", "not 'loud'"),
    ("[completion]\ntodo = -1\n", ":2: 'completion' must be", "not -1"),
    ('[targets]\nIntroduction = "x"\n', ":2: 'targets' must be", "not 'x'"),
    ('stub-words = 30\nignore = ["PT999"]\n', ":2: 'PT999' matches no rule", ""),
    ('[severity]\nPT101 = "info"\nPT998 = "off"\n', ":3: 'PT998' matches no rule", ""),
    ('# ours\n\nvenue = "nosuchconf"\n', ":3: unknown venue 'nosuchconf'", ""),
]


@pytest.mark.parametrize(("toml", "where", "value"), CASES)
def test_config_error_names_its_line(tmp_path, toml, where, value):
    (tmp_path / "main.tex").write_text(ROOT)
    (tmp_path / "papertrack.toml").write_text(toml)
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path)])
    assert r.exit_code == 2, r.output
    assert f"papertrack.toml{where}" in r.output, r.output
    assert value in r.output and "{" not in r.output.split("must be")[-1], r.output
    assert "Traceback" not in r.output


def test_venue_flag_error_names_the_flag(tmp_path):
    (tmp_path / "main.tex").write_text(ROOT)
    r = CliRunner().invoke(main, ["check", "--no-compile", "--venue", "nosuch", str(tmp_path)])
    assert r.exit_code == 2 and "--venue: unknown venue 'nosuch'" in r.output, r.output


def test_venue_evidence_says_where_the_venue_was_set(tmp_path):
    import json

    (tmp_path / "main.tex").write_text(ROOT)
    (tmp_path / "papertrack.toml").write_text('# ours\nvenue = "acl"\n')
    args = ["check", "--no-compile", "--format", "json", str(tmp_path)]
    r = CliRunner().invoke(main, args)
    assert json.loads(r.output)["venue"]["evidence"] == "set in papertrack.toml:2", r.output
    r = CliRunner().invoke(main, [*args, "--venue", "acl"])
    assert json.loads(r.output)["venue"]["evidence"] == "given with --venue", r.output


def test_toml_syntax_error_is_file_line_col(tmp_path):
    (tmp_path / "main.tex").write_text(ROOT)
    (tmp_path / "papertrack.toml").write_text("stub-words = 1\nstub-words = 2\n")
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path)])
    assert r.exit_code == 2, r.output
    assert "papertrack.toml:2:15: invalid TOML: Cannot overwrite a value" in r.output, r.output
