"""The summary counts read as English: '1 error, 1 warning', not '1 errors, 1 warnings'."""

from __future__ import annotations

from types import SimpleNamespace

from click.testing import CliRunner

from papertrack.cli import main
from papertrack.findings import Severity
from papertrack.watch.dashboard import counts_text

PAPER = (
    "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
    "See Section~\\ref{sec:nowhere}. TODO: write this.\n\\end{document}\n"
)


def test_check_summary_counts_are_singular_for_one(tmp_path):
    (tmp_path / "main.tex").write_text(PAPER)
    args = ["check", "--no-compile", "--select", "PT101", "--select", "PT301", str(tmp_path)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1, r.output
    assert "1 error, 1 warning, 0 info" in r.output, r.output


def test_watch_counts_are_singular_for_one():
    counts = {Severity.ERROR: 1, Severity.WARNING: 1, Severity.INFO: 3}
    snap = SimpleNamespace(result=SimpleNamespace(counts=lambda: counts))
    assert counts_text(snap) == "1 error, 1 warning, 3 info"
    counts[Severity.WARNING] = 2
    assert counts_text(snap) == "1 error, 2 warnings, 3 info"


def test_citations_line_counts_a_written_thebibliography(tmp_path):
    """'0 bib entries in 0 files' read as 'no bibliography' on a paper with thebibliography."""
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nAs shown~\\cite{a}.\n"
        "\\begin{thebibliography}{9}\n\\bibitem{a} A. Author. A paper.\n"
        "\\bibitem{b} B. Author. B paper.\n\\end{thebibliography}\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path)])
    assert "2 bibitems in the source" in r.output, r.output
    assert "0 bib entries" not in r.output, r.output


def test_one_hidden_info_finding_is_singular(tmp_path):
    """Six PT356 infos (five shown) ended with '... and 1 more PT356 info findings'."""
    body = "".join(f"Claim {i} is shown in \\cite{{k{i}}}.\n" for i in range(6))
    bib = "".join(f"@misc{{k{i}, title={{T{i}}}, author={{A}}, year={{2020}}}}\n" for i in range(6))
    (tmp_path / "refs.bib").write_text(bib)
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        + body
        + "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["check", "--no-compile", "--select", "PT356", str(tmp_path)])
    assert "... and 1 more PT356 info finding (--verbose" in r.output, r.output
    assert "lists it)" in r.output and "1 more PT356 info findings" not in r.output, r.output


def test_the_hidden_info_line_is_not_broken_in_a_pipe(tmp_path):
    """Piped output broke '... and 15 more PT356 info findings (... lists them' + newline + 'all)'."""
    body = "".join(f"Claim {i} is shown in \\cite{{k{i}}}.\n" for i in range(20))
    bib = "".join(
        f"@misc{{k{i}, title={{T{i}}}, author={{A}}, year={{2020}}}}\n" for i in range(20)
    )
    (tmp_path / "refs.bib").write_text(bib)
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        + body
        + "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    r = CliRunner().invoke(main, ["check", "--no-compile", "--select", "PT356", str(tmp_path)])
    line = "... and 15 more PT356 info findings (--verbose or --format concise lists them all)"
    assert line in r.output.splitlines(), r.output


def test_the_main_file_line_is_one_line_in_a_pipe(tmp_path):
    """The header broke its reason at 80 columns: '... (given on the command line; it has no' +
    newline + '\\documentclass of its own ...'."""
    (tmp_path / "chapter.tex").write_text("\\section{Introduction}\nSome words.\n")
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path / "chapter.tex")])
    first = r.output.splitlines()[0]
    assert first.endswith("check the paper's folder or main file instead)"), r.output


def test_each_file_shows_the_fix_once_even_when_the_last_file_had_the_same(tmp_path, monkeypatch):
    """The same advice is said once under consecutive findings, but it also skipped the first
    finding of the next file: its group showed no fix at all."""
    (tmp_path / "refs.bib").write_text(
        "@misc{a, title={A}, author={X}, year={2020}}\n@misc{b, title={B}, author={Y}, year={2021}}\n"
    )
    (tmp_path / "b.tex").write_text("As shown in \\cite{b}.\n")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "As shown in \\cite{a}.\n\\input{b}\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    # from the paper's folder: files are named relative to the working folder
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["check", "--no-compile", "--select", "PT356", "."])
    lines = r.output.splitlines()
    for name in ("b.tex", "main.tex"):
        first = next(i for i, x in enumerate(lines) if x.startswith(f"{name}:"))
        assert lines[first + 1].strip() == "fix: write ~\\cite", r.output


def test_the_summary_says_when_no_page_limit_is_checked(tmp_path):
    """With no venue detected and no page-limit, the summary had no venue row: nothing said
    the pages were never held against a limit."""
    (tmp_path / "main.tex").write_text(PAPER)
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path)], terminal_width=200)
    flat = " ".join(r.output.split())
    assert "venue none detected: no page limit to check (set `venue` or `page-limit`" in flat
    (tmp_path / "papertrack.toml").write_text("page-limit = 8\n")
    r = CliRunner().invoke(main, ["check", "--no-compile", str(tmp_path)])
    assert "no page limit to check" not in r.output and "(limit 8)" in r.output, r.output
