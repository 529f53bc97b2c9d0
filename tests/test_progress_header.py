"""`papertrack progress` at 80 columns shows its 'change' column whole (it read 'chan…')."""

from __future__ import annotations

from click.testing import CliRunner

from papertrack.cli import main


def test_progress_table_fits_80_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    monkeypatch.setenv("COLUMNS", "80")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["progress", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    header = next(line for line in r.output.splitlines() if "metric" in line)
    assert "change" in header and "…" not in header, header


def test_progress_in_the_paper_folder_names_it_not_dot(tmp_path, monkeypatch):
    """Run in the paper folder (the default PATH '.'), the header read '.: 1 snapshots ...'."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    paper = tmp_path / "my-paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    monkeypatch.chdir(paper)
    r = CliRunner().invoke(main, ["progress", "--no-compile", "--no-git"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("my-paper: "), r.output


def test_progress_header_counts_read_as_english(tmp_path, monkeypatch):
    """A first run read '1 snapshots from ... (0 commits, 1 runs)'."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    tmp_path = tmp_path / "p"  # a short name: the header line stays under 80 columns
    tmp_path.mkdir()
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["progress", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert ": 1 snapshot from " in r.output and "(0 commits, 1 run)" in r.output, r.output


def test_progress_model_lines_wrap_with_a_hanging_indent(tmp_path, monkeypatch):
    """At 80 columns the rest of a long line ('true by construction. Set one with ...') started
    at column 0, as if it were a new item."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["progress", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("  Drafting:"))
    end = next(i for i, x in enumerate(lines) if x.startswith("projected finish"))
    block = lines[start:end]
    assert any("Feels done: not shown" in x for x in block), r.output
    assert all(x.startswith("  ") and len(x) <= 80 for x in block), r.output


def test_the_projection_basis_wraps_with_a_hanging_indent(tmp_path, monkeypatch):
    """Under 'projected finish: ..., the deadline' the basis line's rest started at column 0."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "papertrack.toml").write_text("deadline = 2099-01-01\n")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["progress", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("projected finish: 2099-01-01"))
    end = next(i for i, x in enumerate(lines) if x.startswith("deadline 2099-01-01"))
    block = lines[start + 1 : end]
    assert len(block) >= 2 and "expect to submit then" in block[-1], r.output
    assert all(x.startswith("  ") and len(x) <= 80 for x in block), r.output
