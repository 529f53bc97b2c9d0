"""The command line: exit codes, output formats, rules and venues listings."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from papertrack.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_exit_codes_follow_findings_and_threshold():
    assert run("check", "--no-compile", str(EXAMPLES / "minimal")).exit_code == 0
    draft = str(EXAMPLES / "draft-paper")
    assert run("check", "--no-compile", draft).exit_code == 1  # undefined reference and citation
    assert (
        run("check", "--no-compile", "--select", "PT3", draft).exit_code == 0
    )  # only warnings left
    assert (
        run("check", "--no-compile", "--select", "PT3", "--fail-on", "warning", draft).exit_code
        == 1
    )
    assert run("check", "--no-compile", "--select", "PT999", draft).exit_code == 2
    assert run("check", "--no-compile", "--format", "nope", draft).exit_code == 2


def test_concise_lines_are_editor_locations(monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)  # the repository root, wherever pytest was started
    r = run("check", "--no-compile", "--format", "concise", "examples/draft-paper")
    lines = r.output.strip().splitlines()
    # paths open from where the command ran (here the repository root)
    assert (
        "examples/draft-paper/sections/evaluation.tex:70:49: PT101 [error] undefined reference 'sec:ablation' (\\cref)"
        in lines
    )
    assert all(line.split(":")[1].isdigit() for line in lines)


def test_json_has_schema_version_sections_and_findings():
    r = run("check", "--no-compile", "--format", "json", str(EXAMPLES / "draft-paper"))
    data = json.loads(r.output)
    assert data["schema"] == "papertrack-check/1"
    assert data["project"]["main"] == "main.tex"
    assert {"PT101", "PT201", "PT103", "PT301"} <= {f["code"] for f in data["findings"]}
    titles = [s["title"] for s in data["sections"]]
    assert "Related Work" in titles
    assert data["pages"]["method"] == "estimate"


def test_config_error_is_exit_2_with_file_name(tmp_path):
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\\begin{document}x\\end{document}\n"
    )
    (tmp_path / "papertrack.toml").write_text("stub-word = 3\n")
    r = run("check", "--no-compile", str(tmp_path))
    assert r.exit_code == 2
    assert "papertrack.toml:1: unknown setting 'stub-word' (did you mean 'stub-words'?)" in r.output
    assert "Traceback" not in r.output


def test_rules_and_rule_docs():
    r = run("rules")
    assert r.exit_code == 0 and "PT101" in r.output and "undefined-reference" in r.output
    r = run("rule", "unreferenced-float")
    assert r.exit_code == 0 and "PT103" in r.output and "Why it matters" in r.output
    assert run("rule", "PT000").exit_code == 2


def test_venues_list_and_show():
    r = run("venues")
    assert r.exit_code == 0 and "NeurIPS 2024" in r.output
    r = run("venues", "emnlp")  # an alias of the ACL profile
    assert r.exit_code == 0 and "Limitations" in r.output and "source" in r.output
    assert run("venues", "no-such-venue").exit_code == 2


def test_venue_override_adds_required_section(tmp_path):
    r = run(
        "check",
        "--no-compile",
        "--format",
        "json",
        "--venue",
        "acl:long-review",
        str(EXAMPLES / "draft-paper"),
    )
    data = json.loads(r.output)
    assert data["venue"]["name"] == "ACL" and data["venue"]["mode"] == "long-review"
    msgs = [f["message"] for f in data["findings"] if f["code"] == "PT304"]
    assert "no 'Limitations' section (ACL requires it)" in msgs


def test_ctrl_c_exits_130_not_the_findings_code(monkeypatch):
    """Ctrl-C printed click's 'Aborted!' and exited 1, the code for 'findings at the threshold'."""
    import papertrack.commands.report as report_cmd

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_cmd, "run", interrupted)
    r = CliRunner().invoke(main, ["report", "--no-compile", str(EXAMPLES / "minimal")])
    assert r.exit_code == 130, r.output
    assert "papertrack: interrupted" in r.output and "Aborted" not in r.output, r.output


def test_main_help_lists_every_command_uncut():
    """`papertrack --help` cut five command descriptions mid-sentence ('how to install what is...')."""
    r = CliRunner().invoke(main, ["--help"], terminal_width=80)
    assert r.exit_code == 0, r.output
    commands = r.output.split("Commands:", 1)[1].strip().splitlines()
    assert len(commands) == len(main.commands), r.output
    assert not any(line.rstrip().endswith("...") for line in commands), r.output


def test_an_output_path_that_cannot_be_written_is_a_usage_error(tmp_path):
    """-o into a missing folder, or -o naming a folder, ended in a FileNotFoundError or
    IsADirectoryError traceback after the whole analysis; now exit 2 before it."""
    minimal = str(EXAMPLES / "minimal")
    for cmd in (["check", "--no-compile"], ["report", "--no-compile", "--no-git"]):
        r = run(*cmd, "-o", str(tmp_path / "no-such-folder" / "out.txt"), minimal)
        assert r.exit_code == 2, r.output
        assert "no folder" in r.output and "Traceback" not in r.output, r.output
        assert not isinstance(r.exception, OSError), r.exception
        r = run(*cmd, "-o", str(tmp_path), minimal)
        assert r.exit_code == 2 and "is a folder" in r.output, r.output
    r = run("check", "--no-compile", "-o", str(tmp_path / "out.txt"), minimal)
    assert r.exit_code == 0 and (tmp_path / "out.txt").is_file(), r.output


def test_venues_with_a_missing_paper_folder_is_a_usage_error(tmp_path):
    """`venues --paper typo/` listed the shipped profiles and exited 0, silently without the
    paper's own profiles in .papertrack/venues/."""
    r = run("venues", "--paper", str(tmp_path / "typo"))
    assert r.exit_code == 2 and "does not exist" in r.output, r.output
    assert run("venues", "--paper", str(tmp_path)).exit_code == 0


def test_rules_list_is_readable_at_80_columns(monkeypatch):
    """At 80 columns the boxed table gave 'what it finds' 12 characters: a word a line, 326
    lines for 69 rules."""
    from papertrack.rules.registry import all_rules

    monkeypatch.setenv("COLUMNS", "80")
    r = run("rules")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert all(len(x) <= 80 for x in lines), r.output
    assert any("An \\input, \\include or" in x for x in lines), r.output
    codes = all_rules()
    assert all(code in r.output and rule.name in r.output for code, rule in codes.items())
    assert len(lines) < 2.5 * len(codes), len(lines)  # it was 4.7 lines a rule


def test_venues_list_never_cuts_a_mode_name_at_80_columns(monkeypatch):
    """At 80 columns the list cut 'long-camera-ready' to 'long-camera-…': a name typed into
    --venue acl:long-camera-ready."""
    monkeypatch.setenv("COLUMNS", "80")
    r = run("venues")
    assert r.exit_code == 0, r.output
    assert "…" not in r.output and all(len(x) <= 80 for x in r.output.splitlines()), r.output
    assert "long-camera-ready 9" in r.output and "short-camera-ready 5" in r.output, r.output


def test_no_compile_help_does_not_promise_an_estimate_only():
    """--no-compile said 'pages are then an estimate', but with an exact build on record the
    count is that build's plus the edits since ('exact at the last build')."""
    for cmd in ("check", "report", "progress", "watch"):
        r = CliRunner().invoke(main, [cmd, "--help"], terminal_width=200)
        assert "last build's count plus the edits since, or an estimate" in r.output, r.output
        assert "pages are then an estimate" not in r.output, r.output


def test_config_naming_a_folder_says_so(tmp_path):
    """--config some/folder said 'config file some/folder not found' of a folder that exists."""
    r = run("check", "--no-compile", "--config", str(tmp_path), str(EXAMPLES / "minimal"))
    assert r.exit_code == 2, r.output
    assert f"config file {tmp_path} is a folder" in r.output and "not found" not in r.output


def test_a_document_given_on_the_command_line_wins_over_the_configs_main(tmp_path):
    # `check b.tex` beside a papertrack.toml naming a.tex checked a.tex; a chapter given on
    # the command line still checks the config's paper (an editor passes the file it shows)
    doc = "\\documentclass{{article}}\n\\begin{{document}}\n\\section{{Intro}}\n{}\n\\end{{document}}\n"
    (tmp_path / "a.tex").write_text(doc.format("Paper A."), encoding="utf-8")
    (tmp_path / "b.tex").write_text(doc.format("Paper B."), encoding="utf-8")
    (tmp_path / "chap.tex").write_text("A chapter.\n", encoding="utf-8")
    (tmp_path / "papertrack.toml").write_text('main = "a.tex"\n', encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["check", "--no-compile", str(tmp_path / "b.tex")]).output
    assert (
        "main file: b.tex (given on the command line ('main' in papertrack.toml names a.tex))"
        in out
    )
    for given in ("a.tex", "chap.tex"):
        out = runner.invoke(main, ["check", "--no-compile", str(tmp_path / given)]).output
        assert "main file: a.tex (named by 'main' in papertrack.toml)" in out
