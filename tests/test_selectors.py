"""One selector everywhere (issue 12): select, ignore, [severity], per-file-ignores, `% papertrack:`.

The three bugs the architecture review confirmed, through the real command line: a trailing
`% papertrack: ignore PT101` also hid the next line; `% papertrack: ignore references` (a
family) suppressed nothing and PT901 stayed silent; unknown names in per-file-ignores passed.
"""

from __future__ import annotations

import os

from click.testing import CliRunner

from papertrack.config import Config
from papertrack.findings import Finding, Location, Severity
from papertrack.rules import selection
from papertrack.rules.registry import all_rules
from papertrack.rules.selection import active_rules, file_ignored
from papertrack.rules.suppress import Suppression


def _paper(tmp_path, body: str, config: str | None = None, name: str = "main.tex"):
    folder = tmp_path / "paper"
    folder.mkdir(parents=True, exist_ok=True)
    text = "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    (folder / name).write_text(text, encoding="utf-8")
    if config is not None:
        (folder / "papertrack.toml").write_text(config, encoding="utf-8")
    return folder


def concise(folder, *args: str) -> tuple[int, list[str]]:
    # run from the paper folder: paths print relative to the working folder, and pytest may
    # have been started in a folder holding the test's temporary folder (/tmp)
    here = os.getcwd()
    os.chdir(folder)
    try:
        res = CliRunner().invoke(
            main_cli(), ["check", ".", "--no-compile", "--format", "concise", *args]
        )
    finally:
        os.chdir(here)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "Traceback" not in res.output
    return res.exit_code, res.output.splitlines()


def main_cli():
    from papertrack.cli import main

    return main


def _codes_at(lines: list[str]) -> list[str]:
    """`main.tex:5 PT101` for each finding line."""
    out = []
    for line in lines:
        where, rest = line.split(": ", 1)
        file, ln, _col = where.rsplit(":", 2)
        out.append(f"{file}:{ln} {rest.split()[0]}")
    return out


# --- bug 1: a trailing comment covers its own line only ---------------------------------------


def test_trailing_ignore_hides_only_its_own_line(tmp_path):
    folder = _paper(tmp_path, "Intro.\nSee \\ref{a1}. % papertrack: ignore PT101\nSee \\ref{a2}.")
    code, lines = concise(folder, "--select", "PT101", "--select", "PT901")
    assert code == 1
    assert _codes_at(lines) == ["main.tex:5 PT101"]  # a2 on the next line is not hidden
    assert "'a2'" in lines[0]


def test_comment_alone_on_its_line_hides_the_next_line_only(tmp_path):
    body = "Intro.\n  % papertrack: ignore undefined-reference\nSee \\ref{a1}.\nSee \\ref{a2}."
    folder = _paper(tmp_path, body)
    code, lines = concise(folder, "--select", "PT101", "--select", "PT901")
    assert code == 1
    assert _codes_at(lines) == ["main.tex:6 PT101"]  # a1 (line 5) hidden, a2 (line 6) not


def test_a_reason_may_follow_the_codes(tmp_path):
    folder = _paper(tmp_path, "See \\ref{a1}. % papertrack: ignore PT101 -- fixed by the editor")
    code, lines = concise(folder, "--select", "PT101", "--select", "PT901")
    assert code == 0 and lines == []


# --- bug 2: families in suppressions, and PT901 for them ---------------------------------------


def test_family_name_in_an_ignore_comment_suppresses(tmp_path):
    folder = _paper(tmp_path, "% papertrack: ignore references\nSee \\ref{gone}.")
    code, lines = concise(folder, "--select", "PT1", "--select", "PT901")
    assert code == 0 and lines == [], lines


def test_family_suppression_that_suppresses_nothing_is_reported(tmp_path):
    folder = _paper(tmp_path, "% papertrack: ignore references\nAll fine here.")
    code, lines = concise(folder, "--select", "PT1", "--select", "PT901")
    assert code == 0  # PT901 is a warning
    assert _codes_at(lines) == ["main.tex:3 PT901"]
    assert "'papertrack: ignore' for references suppresses nothing" in lines[0]


def test_family_in_off_block_and_ignore_file(tmp_path):
    body = "% papertrack: off citations\n\\cite{nope}\n% papertrack: on\n\\cite{other, knuth}\n"
    folder = _paper(tmp_path, body + "\\bibliographystyle{plain}\n\\bibliography{refs}")
    (folder / "refs.bib").write_text("@book{knuth, title={T}, author={K}, year={1984}}\n")
    code, lines = concise(folder, "--select", "PT201", "--select", "PT901")
    assert _codes_at(lines) == ["main.tex:6 PT201"], lines
    folder2 = _paper(tmp_path / "b", "% papertrack: ignore-file Progress\nTODO write this.")
    code, lines = concise(folder2, "--select", "PT301", "--select", "PT901")
    assert code == 0 and lines == [], lines


def test_unknown_code_in_a_comment_is_reported_where_it_is(tmp_path):
    """A typo in a paper's comment is a finding at its line (the paper is not a config file)."""
    folder = _paper(tmp_path, "See \\ref{a1}. % papertrack: ignore PT101, PT10l, no-such-rule")
    code, lines = concise(folder, "--select", "PT101", "--select", "PT901")
    assert code == 0  # PT901 is a warning; PT101 for a1 is suppressed
    assert _codes_at(lines) == ["main.tex:3 PT901"], lines
    assert "names no rule: 'PT10l', 'no-such-rule'" in lines[0]


# --- bug 3: unknown selectors anywhere in the settings are exit 2 naming the file --------------


def test_unknown_rule_in_per_file_ignores_is_a_usage_error(tmp_path):
    cfg = '[per-file-ignores]\n"drafts/*.tex" = ["PT3", "nonsense-rule"]\n'
    folder = _paper(tmp_path, "Text.", cfg)
    res = CliRunner().invoke(main_cli(), ["check", str(folder), "--no-compile"])
    assert res.exit_code == 2, res.output
    assert f"{folder / 'papertrack.toml'}:2: [per-file-ignores]" in res.output
    assert "'nonsense-rule' matches no rule" in res.output and "Traceback" not in res.output


def test_unknown_selectors_in_every_setting_are_usage_errors(tmp_path):
    for cfg in (
        'select = ["PT1", "PT999"]\n',
        'ignore = ["referencez"]\n',
        '[severity]\nno-such-rule = "info"\n',
        '[per-file-ignores]\n"*.tex" = ["PT99"]\n',
    ):
        folder = _paper(tmp_path, "Text.", cfg)
        res = CliRunner().invoke(main_cli(), ["check", str(folder), "--no-compile"])
        assert res.exit_code == 2 and "matches no rule" in res.output, (cfg, res.output)
        assert "papertrack.toml" in res.output
    res = CliRunner().invoke(main_cli(), ["check", str(folder), "--ignore", "nope-rule"])
    assert res.exit_code == 2 and "--select/--ignore: 'nope-rule' matches no rule" in res.output


def test_family_in_per_file_ignores_works(tmp_path):
    cfg = '[per-file-ignores]\n"drafts/*.tex" = ["progress"]\n'
    folder = _paper(tmp_path, "\\input{drafts/a}\nTODO here too.", cfg)
    (folder / "drafts").mkdir()
    (folder / "drafts" / "a.tex").write_text("TODO write.\n")
    _, lines = concise(folder, "--select", "PT301")
    assert _codes_at(lines) == ["main.tex:4 PT301"], lines


# --- one matcher: every setting agrees on what a selector names --------------------------------

SELECTORS = ["ALL", "PT1", "pt10", "PT101", "undefined-reference", "references", "References"]


def test_every_place_means_the_same_rules_by_a_selector():
    rules = all_rules()
    for sel in SELECTORS:
        expected = {c for c, r in rules.items() if selection.matches(sel, r.code, r.name)}
        assert expected, sel
        selected = {r.code for r in active_rules(Config(select=[sel]))}
        ignored = set(rules) - {r.code for r in active_rules(Config(ignore=[sel]))}
        severity = set(rules) - {r.code for r in active_rules(Config(severity={sel: "off"}))}
        sup = Suppression("a.tex", 1, 1, "ignore", (sel,), range(1, 2))
        suppressed = {c for c, r in rules.items() if sup.names(r)}
        cfg = Config(per_file_ignores={"*.tex": [sel]})
        per_file = {
            c
            for c, r in rules.items()
            if file_ignored(cfg, Finding(c, r.name, Severity.INFO, "m", Location("a.tex")))
        }
        assert selected == ignored == severity == suppressed == per_file == expected, sel


def test_selector_meaning():
    assert selection.matches("references", "PT101", "undefined-reference")
    assert not selection.matches("references", "PT201", "undefined-citation")
    assert selection.matches("pt1", "PT101", "x") and not selection.matches("PT11", "PT101", "x")
    assert not selection.matches("", "PT101", "x") and not selection.matches("  ", "PT101", "x")
    order = ["ALL", "references", "PT1", "PT10", "PT101", "undefined-reference"]
    specs = [selection.specificity(s, "PT101", "undefined-reference") for s in order]
    assert specs == sorted(specs) and len(set(specs)) == len(specs)


def test_most_specific_severity_wins_whatever_the_order(tmp_path):
    cfg = '[severity]\nPT101 = "info"\nreferences = "error"\nALL = "warning"\n'
    folder = _paper(tmp_path, "See \\ref{a}. TODO x.", cfg)
    code, lines = concise(folder, "--select", "PT101", "--select", "PT301")
    assert any("PT101 [info]" in x for x in lines) and any("PT301 [warning]" in x for x in lines)
    assert code == 0


def test_watch_refuses_unknown_selectors_before_watching(tmp_path):
    """watch validated selectors only inside an update: a typo showed as a dashboard error."""
    folder = _paper(tmp_path, "Text.", '[per-file-ignores]\n"*.tex" = ["nonsense-rule"]\n')
    res = CliRunner().invoke(main_cli(), ["watch", str(folder), "--no-compile", "--plain"])
    assert res.exit_code == 2 and "'nonsense-rule' matches no rule" in res.output, res.output
    assert "[per-file-ignores]" in res.output
    (folder / "papertrack.toml").unlink()
    res = CliRunner().invoke(main_cli(), ["watch", str(folder), "--plain", "--select", "PT99"])
    assert res.exit_code == 2 and "--select/--ignore: 'PT99' matches no rule" in res.output
