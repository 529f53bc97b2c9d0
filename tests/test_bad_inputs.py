"""The catalogue of bad inputs (issues 2 and 8): each through the real CLI, with its message and exit code.

Every case in bad_inputs.CATALOGUE is written to a temporary paper folder and checked with
`papertrack check --no-compile` in three formats. Each must print the catalogued message (with
file:line:col where there is a location), exit with the catalogued code, print no traceback,
and leave the paper folder exactly as it was. docs/troubleshooting.md documents every case.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import CATALOGUE, PNG, BadInput, check_json_output, root, tree_diff, tree_state
from click.testing import CliRunner

from papertrack.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "troubleshooting.md"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _make_unreadable(case: BadInput, folder: Path, monkeypatch) -> None:
    """chmod 000 the file; as root (CI containers) permission bits do not stop reads, so simulate.

    root reads any file whatever its mode, so chmod alone would test nothing there. The
    simulation makes exactly that file's read fail with PermissionError, which is what the
    kernel does for other users; test_chmod_000_for_real covers the real thing as non-root.
    """
    target = folder / case.unreadable
    target.chmod(0)
    if not AS_ROOT:
        return
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def run_cli(args: list[str]):
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{out}"
    )
    assert "Traceback" not in out, out
    return result.exit_code, out


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_input(case: BadInput, tmp_path, monkeypatch):
    folder = case.write(tmp_path / "case")
    if case.unreadable:
        _make_unreadable(case, folder, monkeypatch)
    target = folder / case.path if case.path else folder
    before = tree_state(tmp_path)
    try:
        base = ["check", str(target), "--no-compile", *case.args]
        code, out = run_cli([*base, "--format", "concise"])
        assert code == case.exit, out
        for text in case.expect:
            assert text in out, f"{text!r} not in:\n{out}"
        for text in case.absent:
            assert text not in out, out
        code_text, out_text = run_cli(base)  # the rich text report
        assert code_text == case.exit, out_text
        code_json, out_json = run_cli([*base, "--format", "json"])
        assert code_json == case.exit, out_json
        if case.exit != 2:  # exit 2 prints an error, not a report
            check_json_output(target if target.is_dir() else target.parent, out_json)
        assert tree_diff(before, tree_state(tmp_path)) == []
    finally:
        if case.unreadable:
            (folder / case.unreadable).chmod(0o644)


def test_catalogue_is_large_enough_and_ids_unique():
    assert len(CATALOGUE) >= 25
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE)


def test_troubleshooting_page_documents_every_case():
    text = DOCS.read_text(encoding="utf-8")
    for case in CATALOGUE:
        assert f"`{case.id}`" in text, f"docs/troubleshooting.md lacks {case.id}"
        assert f"| {case.exit} |" in text.split(f"`{case.id}`", 1)[1].split("\n", 1)[0], case.id


@pytest.mark.skipif(
    AS_ROOT, reason="root reads files whatever their mode; the catalogue simulates the failure"
)
def test_chmod_000_for_real(tmp_path):
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root("\\input{secret}"))
    (folder / "secret.tex").write_text("Text.\n")
    (folder / "secret.tex").chmod(0)
    try:
        code, out = run_cli(["check", str(folder), "--no-compile", "--format", "concise"])
    finally:
        (folder / "secret.tex").chmod(0o644)
    assert code == 1
    assert "main.tex:3:1: PT004" in out and "secret.tex: permission denied" in out


def test_unreadable_root_is_a_clear_error(tmp_path, monkeypatch):
    case = BadInput("unreadable-root", "", {"main.tex": root()}, [], 2, unreadable="main.tex")
    folder = case.write(tmp_path / "paper")
    _make_unreadable(case, folder, monkeypatch)
    try:
        code, out = run_cli(["check", str(folder / "main.tex"), "--no-compile"])
    finally:
        (folder / "main.tex").chmod(0o644)
    assert code == 2 and "cannot read the root file" in out and "permission denied" in out


def test_real_process_prints_no_traceback(tmp_path):
    """One case through `python -m papertrack` in a process of its own (stderr as users see it)."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_bytes(PNG)
    env = {**os.environ, "PAPERTRACK_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run(
        [sys.executable, "-m", "papertrack", "check", str(folder / "main.tex"), "--no-compile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    assert "papertrack: error: cannot read the root file" in r.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["main.tex"]


def test_report_file_with_a_non_utf8_file_name(tmp_path):
    """-o writes the report even when a file name is not UTF-8 (a lone surrogate in Python)."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / os.fsdecode(b"m\xffain.tex")).write_text(root("See \\ref{nowhere}."))
    for fmt in ("json", "text", "concise"):
        out = tmp_path / f"report.{fmt}"
        code, printed = run_cli(
            ["check", str(folder), "--no-compile", "--format", fmt, "-o", str(out)]
        )
        assert code == 1, printed
        text = out.read_text(encoding="utf-8")  # valid UTF-8
        assert "ain.tex" in text
        if fmt == "json":
            check_json_output(folder, text)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_terminal_that_cannot_show_the_text(tmp_path, encoding):
    """A section title in Chinese on a console that cannot show it is escaped, not a crash."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(
        root("\\section{Caf\u00e9 \u6f22\u5b57}\nSee \\ref{caf\u00e9}."), encoding="utf-8"
    )
    env = {
        **os.environ,
        "PAPERTRACK_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONIOENCODING": encoding,
    }
    for fmt in ("text", "concise", "json"):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "papertrack",
                "check",
                str(folder),
                "--no-compile",
                "--format",
                fmt,
            ],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert r.returncode == 1, r.stderr
        assert b"Traceback" not in r.stderr
        assert b"PT101" in r.stdout


def test_renamed_file_is_reported_under_its_new_name(tmp_path):
    """The parse cache is keyed by content; the facts carry the file name, so the key must too."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root("\\input{intro}"))
    (folder / "intro.tex").write_text("See \\ref{nowhere}.\n")
    _, out = run_cli(["check", str(folder), "--no-compile", "--format", "concise"])
    assert "intro.tex:1:5: PT101" in out
    (folder / "intro.tex").rename(folder / "introduction.tex")
    (folder / "main.tex").write_text(root("\\input{introduction}"))
    _, out = run_cli(["check", str(folder), "--no-compile", "--format", "concise"])
    assert "introduction.tex:1:5: PT101" in out and "\nintro.tex" not in "\n" + out, out


# A paper's own papertrack.toml cannot weaken safety or crash a command (security review F10,
# F19, RS05, MI11): every number is finite, above 0 where 0 makes no sense, and capped.
BAD_NUMBERS = [
    ("page-limit", "nan"),
    ("page-limit", "inf"),
    ("page-limit", "-inf"),
    ("page-limit", "1e308"),
    ("page-limit", "-1"),
    ("page-limit", "0"),
    ("compile-timeout", "nan"),
    ("compile-timeout", "inf"),
    ("compile-timeout", "-5"),
    ("compile-timeout", "0"),
    ("compile-timeout", "1e9"),
    ("stub-words", "100000000000000000000"),
    ("stub-words", "-1"),
    ("uncited-summary-at", "9999999999999"),
    ("targets", "{ Introduction = 99999999999 }"),
    ("targets", "{ Introduction = -3 }"),
    ("completion", "{ todo = nan }"),
    ("completion", "{ words-per-hour = inf }"),
    ("completion", "{ words-per-hour = 1e300 }"),
]
COMMANDS = [
    ["check"],
    ["check", "--no-compile", "--format", "json"],
    ["report", "--format", "md", "--no-compile"],
    ["report", "--format", "html", "--no-compile"],
    ["progress", "--no-compile"],
]


@pytest.mark.parametrize(("key", "value"), BAD_NUMBERS, ids=[f"{k}={v}" for k, v in BAD_NUMBERS])
def test_paper_config_numbers_are_finite_positive_and_capped(tmp_path, key, value):
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root("\\section{Introduction}\nText."))
    (folder / "papertrack.toml").write_text(f"{key} = {value}\n")
    before = tree_state(folder)
    for cmd in COMMANDS:
        code, out = run_cli([cmd[0], str(folder), *cmd[1:]])
        assert code == 2, f"{cmd}: {out}"
        assert f"papertrack.toml:1: '{key}' must be" in out, f"{cmd}: {out}"
    assert tree_diff(before, tree_state(folder)) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [("page-limit", "8"), ("page-limit", "9.5"), ("compile-timeout", "3600"), ("stub-words", "0")],
)
def test_paper_config_numbers_within_the_caps_are_accepted(tmp_path, key, value):
    from papertrack.config import load_config

    (tmp_path / "papertrack.toml").write_text(f"{key} = {value}\n")
    cfg = load_config(tmp_path)
    assert getattr(cfg, key.replace("-", "_")) == float(value)


def test_config_nan_through_a_real_process(tmp_path):
    """MI11 (F19) as a user sees it: `page-limit = nan` was a ValueError traceback, exit 1."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root())
    (folder / "papertrack.toml").write_text("page-limit = nan\n")
    env = {**os.environ, "PAPERTRACK_CACHE_DIR": str(tmp_path / "cache")}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    r = subprocess.run(
        [sys.executable, "-m", "papertrack", "check", str(folder), "--no-compile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr + r.stdout
    assert f"papertrack: error: {folder / 'papertrack.toml'}:1: 'page-limit' must be" in r.stderr


# MI09, MI10 of the security review: malformed settings files are exit 2 naming the file, with
# no traceback, in every command that reads them.
BAD_CONFIGS = {
    "invalid-toml": ("papertrack.toml", b'select = ["PT1"\n'),
    "utf16": ("papertrack.toml", 'select = ["PT1"]\n'.encode("utf-16")),
    "binary": ("papertrack.toml", bytes(range(256))),
    "duplicate-key": ("papertrack.toml", b'main = "a.tex"\nmain = "b.tex"\n'),
    "nul": ("papertrack.toml", b'main = "a\x00b"\n'),
    "unknown-key": ("papertrack.toml", b"stub_words = 3\n"),
    "wrong-type": ("papertrack.toml", b'compile = "yes"\n'),
    "bad-severity": ("papertrack.toml", b'[severity]\nPT101 = "fatal"\n'),
    "bad-fail-on": ("papertrack.toml", b'fail-on = "fatal"\n'),
    "bad-deadline": ("papertrack.toml", b'deadline = "tomorrow"\n'),
    "bad-targets": ("papertrack.toml", b'targets = { Intro = "many" }\n'),
    "bad-completion": ("papertrack.toml", b"completion = { nope = 1 }\n"),
    "empty-selector": ("papertrack.toml", b'select = [""]\n'),
    "unknown-per-file": ("papertrack.toml", b'[per-file-ignores]\n"*.tex" = ["PT99"]\n'),
    "deep-array": ("papertrack.toml", b"select = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    "broken-pyproject": ("pyproject.toml", b"[tool.papertrack\nmain = 1\n"),
    "pyproject-wrong-type": ("pyproject.toml", b'[tool.papertrack]\nstub-words = "x"\n'),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_malformed_settings_are_exit_2_naming_the_file(tmp_path, case):
    name, data = BAD_CONFIGS[case]
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root())
    (folder / name).write_bytes(data)
    for cmd in (
        ["check", "--no-compile"],
        ["report", "--no-compile"],
        ["progress", "--no-compile"],
    ):
        code, out = run_cli([cmd[0], str(folder), *cmd[1:]])
        assert code == 2, f"{cmd}: {out}"
        assert f"{folder / name}:" in out, f"{cmd}: {out}"


def test_settings_that_hold(tmp_path):
    """A pyproject.toml without our table is not ours; a date-time deadline counts its day."""
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(root())
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, out = run_cli(["check", str(folder), "--no-compile", "--format", "concise"])
    assert code == 0, out
    (folder / "papertrack.toml").write_text("deadline = 2026-01-31T23:59:00\n")
    code, out = run_cli(["progress", str(folder), "--no-compile"])  # was a ValueError traceback
    assert code == 0 and "2026-01-31" in out, out


PROFILE = """name = "Mine 2026"
year = 2026
source = "a test"
double_blind = true

[pages]
review = {pages}

[detect]
packages = ['^myvenue$']
"""


@pytest.mark.parametrize("pages", ["nan", "inf", "1e308", "-2", "0"])
def test_paper_venue_profile_page_numbers_are_finite_and_capped(tmp_path, pages):
    """The paper's own .papertrack/venues/*.toml is paper-controlled like papertrack.toml:
    `pages.review = nan` gave a ValueError traceback in check, report and progress."""
    folder = tmp_path / "paper"
    (folder / ".papertrack" / "venues").mkdir(parents=True)
    (folder / "main.tex").write_text(root("\\section{Intro}\nText.", "\\usepackage{myvenue}\n"))
    profile = folder / ".papertrack" / "venues" / "mine.toml"
    profile.write_text(PROFILE.format(pages=pages))
    for cmd in (
        ["check", "--no-compile", "--format", "json"],
        ["report", "--no-compile"],
        ["progress", "--no-compile"],
    ):
        code, out = run_cli([cmd[0], str(folder), *cmd[1:]])
        assert code == 2, f"{cmd}: {out}"
        assert f"{profile}: pages.review: expected a positive number of pages" in out, out
