"""Paper-derived text reaches the terminal, the CI log and JSON readers shown, never interpreted.

The attacks are those of ../shared/notes/security-review.md (OI03-OI10, MI21, MI22: F12, F13,
F22): escape sequences, bidi overrides, newlines and rich markup in section titles, TODO texts,
reference keys and file names, and file names that are not UTF-8. Every case runs through the
real command line.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from papertrack.cli import main
from papertrack.config import load_config
from papertrack.reporters.escape import json_text, unicode_tree, valid_unicode, visible

ESC, BEL = "\x1b", "\x07"
# what a hostile paper puts in its text: a pane-title change (OSC 2), concealed text (SGR 8),
# a clipboard write (OSC 52), a bell, a right-to-left override, rich markup and an emoji code
TITLE = f"Results {ESC}]2;PANE-TITLE-HIJACKED{ESC}\\ ok {ESC}[8mHIDDEN{ESC}[0m [bold]B[/bold] :smile: \u202eevil"
TODO = f"TODO fix {ESC}]52;c;SGVsbG8={BEL} this"
SUB = f"sub{ESC}[8m"  # an included file's name
MARKUP = "m[bold]k:smile:"  # another, with rich markup and an emoji code
# each byte the terminal must never receive from the paper
RAW = [f"{ESC}]", f"{ESC}[8m", f"{ESC}\\", BEL, "\u202e"]


def _root(body: str) -> str:
    return f"\\documentclass{{article}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "ansi"
    folder.mkdir()
    body = f"\\section{{{TITLE}}}\nText \\ref{{nowhere{BEL}x}}. {TODO}\n\\input{{{SUB}}}"
    body += f"\n\\input{{{MARKUP}}}"
    (folder / "main.tex").write_text(_root(body), encoding="utf-8")
    (folder / f"{SUB}.tex").write_text("See \\ref{gone}.\n", encoding="utf-8")
    (folder / f"{MARKUP}.tex").write_text("See \\ref{lost}.\n", encoding="utf-8")
    return folder


def cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "Traceback" not in res.output, res.output
    return res.exit_code, res.output


def _no_raw(out: str) -> None:
    for seq in RAW:
        assert seq not in out, f"{seq!r} reached the output:\n{out!r}"


# --- the escaping itself ----------------------------------------------------------------------


def test_visible_spells_out_every_control_character():
    assert visible("plain text, naïve 日本語 👩‍💻\tand a tab") == (
        "plain text, naïve 日本語 👩‍💻\tand a tab"
    )
    assert visible(f"a{ESC}[31mb") == "a\\x1b[31mb"
    assert visible("a\nb\rc\x00d\x7fe\x9bf") == "a\\nb\\rc\\x00d\\x7fe\\x9bf"
    for bidi in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert visible(f"x{bidi}y") == f"x\\u{ord(bidi):04x}y"
    assert visible("line\u2028sep\u2029") == "line\\u2028sep\\u2029"
    assert visible("keep\nthis", keep="\n") == "keep\nthis"
    # a file name that is not UTF-8, as Python carries it (surrogateescape)
    name = os.fsdecode(b"m\xffain.tex")
    assert visible(name) == valid_unicode(name) == "m\\xffain.tex"
    assert valid_unicode(f"a{ESC}b") == f"a{ESC}b"  # JSON escapes these itself
    assert unicode_tree({name: [name, 1, None]}) == {"m\\xffain.tex": ["m\\xffain.tex", 1, None]}
    dumped = json.dumps({"t": "a\u202eb\x9bc\u2028"}, ensure_ascii=False)
    assert json_text(dumped) == '{"t": "a\\u202eb\\u009bc\\u2028"}'
    assert json.loads(json_text(dumped)) == json.loads(dumped)


# --- OI03, OI04: text output ------------------------------------------------------------------


def test_text_output_shows_escape_sequences_and_markup_literally(hostile):
    """OI03, OI04 (F12): titles, TODOs, keys and file names with ESC, BEL, bidi and markup."""
    code, out = cli("check", str(hostile), "--no-compile")
    assert code == 1
    _no_raw(out)
    assert ESC not in out  # not a terminal: papertrack's own colours are off too
    assert "\\x1b]2;PANE-TITLE-HIJACKED" in out and "\\x1b[8mHIDDEN" in out
    assert "\\x1b]52;c;SGVsbG8=\\x07" in out and "\\u202eevil" in out
    assert "nowhere\\x07x" in out
    assert "sub\\x1b[8m.tex:1:5: error PT101" in out
    assert "[bold]B[/bold]" in out and ":smile:" in out  # not interpreted by rich


def test_text_output_on_a_colour_terminal_sends_only_papertracks_own_codes(hostile):
    """OI04 on a real terminal: rich colours the output, the paper's sequences stay text."""
    from papertrack.check import run_check
    from papertrack.reporters import text

    cfg = load_config(hostile)
    cfg.compile = False
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="truecolor", width=200)
    text.render(run_check(hostile, cfg=cfg), console)
    out = buf.getvalue()
    assert f"{ESC}[" in out  # the terminal does get papertrack's own styling
    _no_raw(out)
    assert "\\x1b]2;PANE-TITLE-HIJACKED" in out and "😄" not in out


# --- OI05, OI07, OI08, OI09: concise and github -----------------------------------------------


def test_concise_output_one_line_per_finding_nothing_raw(hostile, monkeypatch):
    """OI05 (F12): concise printed every byte raw, BEL and OSC 52 included."""
    monkeypatch.chdir(hostile)  # paths print relative to the working folder, wherever pytest ran
    code, out = cli("check", ".", "--no-compile", "--format", "concise")
    assert code == 1
    _no_raw(out)
    lines = out.splitlines()
    files = ("main.tex", "sub\\x1b[8m.tex", MARKUP + ".tex")
    assert all(line.startswith(tuple(f"{f}:" for f in files)) for line in lines), out
    assert any("TODO fix \\x1b]52;c;SGVsbG8=\\x07 this" in line for line in lines)


def test_github_output_nothing_raw(hostile):
    """OI05 (F12): annotations carry the visible form; the log viewer interprets nothing."""
    code, out = cli("check", str(hostile), "--no-compile", "--format", "github")
    assert code == 1
    _no_raw(out)
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines[:-1]) and lines[-1].startswith("papertrack:")
    assert any("file=sub\\x1b[8m.tex" in line or "sub\\x1b[8m.tex,line=1" in line for line in lines)


def test_github_newlines_and_commands_in_paper_text_stay_inside_one_annotation(tmp_path):
    """OI07: `::error::`, `%0A` and newlines in a TODO note cannot start a command line."""
    folder = tmp_path / "nl"
    folder.mkdir()
    body = "\\todo{first line\n::error::FORGED\n::add-mask::papertrack done}\nText 50\\%0A."
    (folder / "main.tex").write_text(
        _root(body).replace("\\begin{document}", "\\usepackage{todonotes}\n\\begin{document}"),
        encoding="utf-8",
    )
    code, out = cli("check", str(folder), "--no-compile", "--format", "github")
    assert code in (0, 1)
    lines = out.splitlines()
    assert not [x for x in lines if x.startswith(("::error::", "::add-mask"))], out
    assert all(x.startswith(("::error ", "::warning ", "::notice ", "papertrack:")) for x in lines)
    note = next(x for x in lines if "FORGED" in x)  # the whole note, inside one annotation
    assert note.startswith("::warning ") and "::add-mask::papertrack done" in note
    from papertrack.reporters.github import escape_data

    assert escape_data("50%0A\n::x") == "50%250A%0A::x"  # a literal %0A is not a newline


NL_ROOT = "main\n::error file=README.md,line=1,title=Forged::FORGED\n::add-mask::papertrack\n.tex"


def test_newline_in_the_root_file_name_cannot_inject_workflow_commands(tmp_path):
    """OI08 (F13): the summary line printed the root's name raw: forged `::error`, `::add-mask`."""
    folder = tmp_path / "gh"
    folder.mkdir()
    (folder / NL_ROOT).write_text(_root("x \\ref{y}"), encoding="utf-8")
    for fmt in ("github", "concise", "text"):
        code, out = cli("check", str(folder), "--no-compile", "--format", fmt)
        assert code == 1, out
        forged = [
            x for x in out.splitlines() if x.startswith(("::error file=README", "::add-mask"))
        ]
        assert forged == [], f"{fmt}: {forged}"
        if fmt == "github":
            assert "main%0A::error file=README.md,line=1,title=Forged::FORGED%0A" in out
    code, out = cli("check", str(folder), "--no-compile", "--format", "json")
    assert json.loads(out)["project"]["main"] == NL_ROOT  # JSON keeps the exact name


def test_newline_comma_and_colon_in_a_file_name_are_escaped_in_the_file_property(tmp_path):
    """OI09: a newline, `,` and `:` in the `file=` property are percent-encoded."""
    folder = tmp_path / "prop"
    folder.mkdir()
    (folder / "a\nb,c:d.tex").write_text(_root("See \\ref{x}."), encoding="utf-8")
    code, out = cli("check", str(folder), "--no-compile", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(x.startswith(("::", "papertrack:")) for x in lines), out
    assert "a%0Ab%2Cc%3Ad.tex,line=3,col=5,title=PT101" in out


# --- OI06: watch --------------------------------------------------------------------------


def test_watch_dashboard_and_plain_lines_show_the_paper_text_visibly(hostile):
    """OI06 (F12): in tmux a section title set the pane title during watch."""
    from papertrack.watch.dashboard import Dashboard, plain_line
    from papertrack.watch.session import Session

    session = Session(hostile, lambda: load_config(hostile), compile_=False)
    snap = session.update()
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="truecolor", width=160, height=50)
    console.print(Dashboard(snap, console))
    screen = buf.getvalue()
    assert f"{ESC}[" in screen  # rich's own styling is there
    _no_raw(screen)
    assert "PANE-TITLE-HIJACKED" in screen and "\\x1b]2;" in screen
    assert "m[bold]k:smile:.tex" in screen and "😄" not in screen  # markup stays text
    line = plain_line(snap)
    assert line is not None and "\n" not in line
    _no_raw(line)


# --- OI10, MI21, MI22: JSON and SARIF ---------------------------------------------------------


def _strict_json(raw: bytes) -> dict:
    """Parse as a strict reader does: UTF-8 only, no lone surrogates anywhere."""
    text = raw.decode("utf-8")  # raises on bytes that are not UTF-8
    data = json.loads(text)

    def walk(v):
        if isinstance(v, str):
            v.encode("utf-8")  # raises on a lone surrogate, escaped or not
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(data)
    return data


def test_control_characters_keep_json_and_sarif_valid(hostile):
    """OI10: JSON escapes control characters itself; the exact text survives."""
    for fmt in ("json", "sarif"):
        code, out = cli("check", str(hostile), "--no-compile", "--format", fmt)
        assert code == 1
        data = _strict_json(out.encode("utf-8"))
        _no_raw(out)  # ESC written as \u001b, the bidi override as \u202e: same JSON value
        if fmt == "json":
            titles = [s["title"] for s in data["sections"]]
            assert any("PANE-TITLE-HIJACKED" in t and ESC in t and "\u202e" in t for t in titles)


@pytest.fixture
def non_utf8(tmp_path) -> Path:
    folder = tmp_path / "nu"
    folder.mkdir()
    body = "\\section{Intro}\nSee \\ref{x}."
    (folder / os.fsdecode(b"m\xffain.tex")).write_text(_root(body), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_non_utf8_file_name_in_sarif_and_json_through_a_real_process(non_utf8, tmp_path, fmt):
    """MI22 (F22): --format sarif crashed with UnicodeEncodeError ('\\udcff')."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "papertrack",
            "check",
            str(non_utf8),
            "--no-compile",
            "--format",
            fmt,
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert b"Traceback" not in r.stderr, r.stderr.decode("utf-8", "replace")
    assert r.returncode == 1, r.stderr
    data = _strict_json(r.stdout)
    if fmt == "sarif":
        uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert uri["artifactLocation"]["uri"].endswith("m%FFain.tex")
    else:
        assert data["project"]["main"] == "m\\xffain.tex"
        assert {f["file"] for f in data["findings"]} == {"m\\xffain.tex"}
    out = tmp_path / f"report.{fmt}"
    code, printed = cli("check", str(non_utf8), "--no-compile", "--format", fmt, "-o", str(out))
    assert code == 1, printed
    _strict_json(out.read_bytes())


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_non_utf8_file_name_shown_as_its_bytes(non_utf8, fmt):
    """MI21: a file name that is not UTF-8 shows its byte (`\\xff`), no crash, no raw surrogate."""
    code, out = cli("check", str(non_utf8), "--no-compile", "--format", fmt)
    assert code == 1, out
    assert "m\\xffain.tex" in out
    out.encode("utf-8")  # nothing unencodable reached the output


def test_a_papers_own_venue_profile_is_shown_not_interpreted(tmp_path):
    """`papertrack venues` and `check` show a paper-supplied profile's name visibly."""
    folder = tmp_path / "paper"
    (folder / ".papertrack" / "venues").mkdir(parents=True)
    (folder / "main.tex").write_text(
        _root("\\section{Intro}\nText.").replace("}\n\\begin", "}\n\\usepackage{myvenue}\n\\begin"),
        encoding="utf-8",
    )
    name = "Evil \\u001b]2;TITLE\\u0007 [bold]X :smile:"
    (folder / ".papertrack" / "venues" / "evil.toml").write_text(
        f'name = "{name}"\nyear = 2026\nsource = "t"\naliases = ["evil"]\n'
        "[pages]\nreview = 8\n[detect]\npackages = ['^myvenue$']\n",
        encoding="utf-8",
    )
    for args in (
        ["venues", "evil", "--paper", str(folder)],
        ["check", str(folder), "--no-compile"],
    ):
        code, out = cli(*args)
        assert code in (0, 1), out
        _no_raw(out)
        assert "\\x1b]2;TITLE\\x07 [bold]X :smile:" in out, out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_coauthor_reports_spell_out_control_characters(hostile, fmt):
    """A section title with ESC, BEL and a bidi override reaches a coauthor's report spelt out.

    Markdown and HTML escaping leave control characters alone; a coauthor who `cat`s the .md
    or views the page's source in a terminal would have the paper's sequences interpreted.
    """
    code, out = cli("report", str(hostile), "--no-compile", "--no-git", "--format", fmt)
    assert code == 0, out
    _no_raw(out)
    assert ESC not in out
    assert "PANE-TITLE-HIJACKED" in out  # the title is in the report, spelt out
    assert "u202eevil" in out
