"""The Markdown report's own hints keep their code spans: (`deadline = ...` in papertrack.toml),
not (\\`deadline = ...\\` in papertrack.toml), which a plain-text e-mail shows as is."""

from __future__ import annotations

from click.testing import CliRunner

from papertrack.cli import main


def test_report_hints_are_code_spans(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some `quoted` words here.\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["report", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "- Deadline: none set (add `deadline = YYYY-MM-DD` to papertrack.toml)" in r.output
    # an example date here read as the paper's deadline to a coauthor
    assert "2026-05-15" not in r.output, r.output
    assert "Set one with `page-limit = 12` in papertrack.toml" in r.output, r.output
    assert "\\`deadline" not in r.output and "\\`page-limit" not in r.output, r.output


def test_html_report_hints_are_code_not_backticks(tmp_path, monkeypatch):
    """The HTML report showed the same hints with literal backticks: `deadline = ...`."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some `quoted` words here.\n\\end{document}\n"
    )
    args = ["report", "--format", "html", "--no-compile", "--no-git", str(tmp_path)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "none set (add <code>deadline = YYYY-MM-DD</code> to papertrack.toml)" in r.output
    assert "Set one with <code>page-limit = 12</code> in papertrack.toml" in r.output
    assert "`deadline" not in r.output and "`page-limit" not in r.output


def test_figures_as_printed_code_spans_only_the_location(tmp_path, monkeypatch):
    """The figure line put its page note in the code span: `main.tex:4, page 4 of the PDF
    (whole page: figure not located)`; now only `main.tex:4` is code."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "\\section{Introduction}\nAs Figure~\\ref{fig:a} shows.\n"
        "\\begin{figure}\\centering\\rule{1cm}{1cm}\\caption{A square.}\\label{fig:a}\\end{figure}\n"
        "\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["report", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "- **fig:a** (`main.tex:6`, page unknown): A square." in r.output, r.output


def test_an_unlabelled_figure_is_not_named_by_its_location_twice(tmp_path, monkeypatch):
    """A figure without a label read '**main.tex:5** (`main.tex:5`, page unknown (no label))'."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "\\section{Introduction}\nText.\n"
        "\\begin{figure}\\centering\\rule{1cm}{1cm}\\caption{A square.}\\end{figure}\n"
        "\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["report", "--no-compile", "--no-git", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "- **unlabelled figure** (`main.tex:6`, page unknown): A square." in r.output, r.output
    assert "**main.tex:6**" not in r.output, r.output


def test_a_long_todo_is_cut_with_an_ellipsis(tmp_path, monkeypatch):
    """The section table cut a TODO at 60 characters (80 in HTML) with no mark: 'Justify k=2
    with the calibration experiment from the (Alice)' read as the whole note."""
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    note = "Justify the choice of k with the calibration experiment from the March traces"
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        f"Some words here. TODO: {note}.\n\\end{{document}}\n"
    )
    args = ["report", "--no-compile", "--no-git", str(tmp_path)]
    md = CliRunner().invoke(main, args).output
    row = next(x for x in md.splitlines() if x.startswith("| Introduction"))
    assert "…" in row and note not in row, row
    html = CliRunner().invoke(main, [*args, "--format", "html"]).output
    assert "…</li>" in html or "… <em>" in html, html
