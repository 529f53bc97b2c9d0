"""pythontex: the code of its environments (pycode, pythontexcustomcode, ...) and of its inline
commands (\\py{...}, and macros built on them) is Python, which PythonTeX runs; its braces,
% signs and quotes are not LaTeX's (minimal papers written here)."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""%! main.tex
\documentclass{article}
\usepackage{pythontex}
\newcommand{\pyunit}[2]{\py{'\\mbox{' + str(#1) + '}{#2}'}}
\begin{pythontexcustomcode}[begin]{py}
def wrap(name, body):
    return '\\begin{%s}%s\n\\end{%s}' % (name, body, name)
\end{pythontexcustomcode}
\begin{document}
\begin{pycode}
data = {'rt': [0.5, 0.7]}
print('\\begin{center}{' + 'x')
\end{pycode}
The mean is \py{round(sum(data['rt']) / len(data['rt']), 2)} seconds, or
\pyunit{data['rt'][0]}{s} for the first trial (\pyc{x = (1} here).
A real 'quote' of the author is still read.
\end{document}
"""


def test_python_code_is_not_read_as_latex(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=False), use_cache=False)
    got = sorted((f.code, f.location.line) for f in r.findings if f.severity.name != "INFO")
    # only the prose's own straight quote (line 15) remains
    assert got == [("PT353", 15)], got


def test_without_pythontex_a_py_macro_is_the_paper_s_own(make_project):
    paper = "%! main.tex\n\\documentclass{article}\n\\newcommand{\\py}[1]{#1}\n"
    paper += "\\begin{document}\nWe say \\py{a real 'quote' here} to all.\n\\end{document}\n"
    r = run_check(make_project(paper), cfg=Config(compile=False), use_cache=False)
    assert [f.code for f in r.findings if f.code == "PT353"] == ["PT353"]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="TeX Live is not installed")
def test_tex_reads_the_fixture_without_a_latex_error(make_project, tmp_path):
    # before PythonTeX runs, LaTeX typesets placeholders: no error, the code is not LaTeX
    log = pdflatex(make_project(PAPER), tmp_path)
    assert "Output written on" in log and "\n! " not in log, log[-3000:]


LABELS = r"""%! main.tex
\documentclass{article}
\usepackage{pythontex}
\begin{document}
\begin{pycode}
def figure(name, label):
    return '\\begin{figure}\\caption{%s}\\label{fig:%s}\\end{figure}' % (name, label)
\end{pycode}
\py{figure('Times', label='times')}
Figure~\ref{fig:times} shows the times; \py{'\\label{tab:t}'} and Table~\ref{tab:t} too.
\py{1 + 1} and Figure~\ref{fig:typo} is a reference to no label.
\end{document}
"""


def test_labels_the_python_prints_are_defined(make_project):
    r = run_check(make_project(LABELS), cfg=Config(compile=False), use_cache=False)
    assert [f.message for f in r.findings if f.code == "PT101"] == [
        "undefined reference 'fig:typo' (\\ref)"
    ]


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pythontex") is None,
    reason="TeX Live with PythonTeX is not installed",
)
def test_tex_with_pythontex_defines_the_printed_labels_only(make_project):
    import subprocess

    root = make_project(LABELS)

    def run(*cmd: str) -> None:
        subprocess.run(cmd, cwd=root, capture_output=True, timeout=180, check=False)

    run("pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "main.tex")
    run("pythontex", "main.tex")
    for _ in range(2):
        run("pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "main.tex")
    log = (root / "main.log").read_text(errors="replace")
    assert "Reference `fig:typo' on page 1 undefined" in log
    assert "fig:times' on page" not in log and "tab:t' on page" not in log
