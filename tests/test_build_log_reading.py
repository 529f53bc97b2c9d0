"""Reading the build's log: parentheses of the paper's own text that TeX echoes (in an overfull
line, an error's context) open and close no file; a package error's continuation lines are part
of it; what minted cannot write without shell escape is not a missing file of the paper."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.pages.logparse import parse_log

LONG = "CCOCCONCCOCCONCCOCCONCCOCCONCCOCCONCCOCCONCCOCCONCCOCCONCCOCCON"

# an error inside sec.tex whose context line ends in ')' (code in a listing), then an overfull
# line of sec.tex; the '(' of an overfull line's text is closed on the next line only
ECHOES = rf"""(./main.tex
(./sec.tex
./sec.tex:12: Argument of \foo has an extra }}.
<inserted text>
                \par
l.12   counter <= value)
                        {{
I've run across a `}}' that doesn't seem to match anything.

Overfull \hbox (40.0pt too wide) in paragraph at lines 20--22
[]\OT1/cmr/m/n/10 an aside (that goes on \OT1/cmtt/m/n/10 {LONG}
 []

Overfull \hbox (30.0pt too wide) in paragraph at lines 30--31
[]\OT1/cmr/m/n/10 still in the section \OT1/cmtt/m/n/10 {LONG}
 []

)
Overfull \hbox (20.0pt too wide) in paragraph at lines 9--10
[]\OT1/cmr/m/n/10 back in main \OT1/cmtt/m/n/10 {LONG}
 []

)
"""


def test_echoed_text_neither_opens_nor_closes_a_file() -> None:
    over = [(p.file, p.line) for p in parse_log(ECHOES) if p.kind == "overfull-hbox"]
    assert over == [("sec.tex", 20), ("sec.tex", 30), ("main.tex", 9)]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_an_overfull_line_with_a_closing_parenthesis_keeps_its_file(make_project) -> None:
    # TeX prints the overfull line "until it closes) ..." of sec.tex: that ')' closed sec.tex
    # for the log reader, so its later overfull line was put in main.tex, and main.tex's at
    # line 1 of a file no longer known
    spec = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nIntro.\n\n\\input{sec}\n\n"
        f"Back in the main file: \\texttt{{{LONG}}}.\n\\end{{document}}\n"
        "%! sec.tex\nAn aside opens here (and goes on\\\\\n"
        f"until it closes) \\texttt{{{LONG[:56]}}}.\n\n"
        f"Later in the section: \\texttt{{{LONG}}}.\n\nFiller.\n"
    )
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    assert r.document.pages.method == "exact"
    found = sorted(
        (f.location.file, f.location.line)
        for f in r.findings
        if f.code == "PT705" and f.severity.name != "INFO"
    )
    assert found == [("main.tex", 7), ("sec.tex", 1), ("sec.tex", 4)], found


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_a_babel_language_that_is_not_installed_says_so(make_project) -> None:
    spec = "%! main.tex\n\\documentclass{article}\n\\usepackage[klingonx]{babel}\n"
    spec += "\\begin{document}\nText.\n\\end{document}\n"
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    # TeX carries on with the languages it has: a file this TeX lacks (PT703), not PT701
    assert [f.code for f in r.findings if f.code == "PT701"] == []
    found = [f for f in r.findings if f.code == "PT703"]
    assert found and "klingonx.ldf" in found[0].message, found
    assert "no babel language 'klingonx'" in found[0].message
    assert (found[0].location.file, found[0].location.line) == ("main.tex", 2)


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_minted_without_shell_escape_is_one_error_not_a_missing_file(make_project) -> None:
    spec = "%! main.tex\n\\documentclass{article}\n\\usepackage{minted}\n\\begin{document}\n"
    spec += "Code:\n\\begin{minted}{python}\nprint(1)\n\\end{minted}\n\\end{document}\n"
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    # papertrack's build runs without shell escape: one PT707 says so, no missing minted file
    assert [f.code for f in r.findings if f.code.startswith("PT70")] == ["PT707"]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_a_paragraph_that_ends_after_its_file_is_placed_in_that_file(make_project) -> None:
    # sec.tex ends inside a paragraph; TeX ends it at main.tex's blank line and logs "lines
    # 3--9": line 3 of sec.tex, while main.tex is the file being read
    spec = (
        "%! main.tex\n\\documentclass{article}\n% a comment line\n% another\n"
        "\\begin{document}\nIntro.\n\n"
        "\\input{sec}\n\nAfter.\n\\end{document}\n"
        f"%! sec.tex\nFirst paragraph.\n\nLast one: \\texttt{{{LONG}}}.\n"
    )
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    over = [
        (f.location.file, f.location.line)
        for f in r.findings
        if f.code == "PT705" and f.severity.name != "INFO"
    ]
    assert over == [("sec.tex", 3)], over


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX")
def test_a_class_or_package_that_is_not_there_is_one_finding(make_project) -> None:
    # LaTeX stops at the missing file with no PDF: one finding (PT703) that says so, not also
    # PT701 "File not found" and PT701 "no PDF was produced"
    for line, pre in (
        (1, "\\documentclass{nosuchclassxyz}\n"),
        (2, "\\usepackage{nosuchpkgxyz}\n"),
    ):
        head = pre if line == 1 else "\\documentclass{article}\n" + pre
        spec = "%! main.tex\n" + head + "\\begin{document}\nText.\n\\end{document}\n"
        r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
        found = [
            (f.code, f.location.line, f.message) for f in r.findings if f.code.startswith("PT70")
        ]
        assert len(found) == 1 and found[0][:2] == ("PT703", line), found
        assert "LaTeX stopped there, no PDF was produced" in found[0][2], found
