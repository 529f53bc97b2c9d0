"""Overfull lines of one table are one PT705 finding; lines of the text stay one each (TeX's
own log is the record: minimal papers written here, compiled)."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]

TOKEN = "CC(=O)N[C@H]1CCc2cc(c(c(c2-c3c1cc(=O)c(cc3)O)OC)OC)OC"
ROWS = "".join(f"{i} & \\texttt{{{TOKEN}}} \\\\\n" for i in range(4))
PAPER = f"""%! main.tex
\\documentclass{{article}}
\\begin{{document}}
Table~\\ref{{tab:smiles}} lists the molecules.
\\begin{{table}}\\centering
\\begin{{tabular}}{{lp{{1.5cm}}}}
{ROWS}\\end{{tabular}}
\\caption{{Molecules.}}\\label{{tab:smiles}}
\\end{{table}}
A path in the text: \\texttt{{{TOKEN}}}.

And another one: \\texttt{{{TOKEN}{TOKEN[:20]}}}.
\\end{{document}}
"""


def test_a_tables_overfull_rows_are_one_finding(make_project):
    r = run_check(make_project(PAPER), cfg=Config(compile=True), use_cache=False)
    assert r.document.pages.method == "exact"
    found = [f for f in r.findings if f.code == "PT705" and f.severity.name != "INFO"]
    in_table = [f for f in found if "in this table" in f.message]
    assert len(in_table) == 1, [f.message for f in found]
    # the widest row carries it, the three others are related
    assert "and 3 more overfull lines in this table" in in_table[0].message
    assert sorted(loc.line for loc in [*in_table[0].related, in_table[0].location]) == [6, 7, 8, 9]
    # the two paragraphs of text are separate findings, outside the table's lines (4-11)
    text = [f.location.line for f in found if f not in in_table]
    assert len(text) == 2 and not any(4 <= n <= 11 for n in text), text


def test_a_line_of_the_list_of_figures_points_at_the_list(make_project):
    # the overfull line is in main.lof, a file the build writes: the finding is where the
    # paper prints the list, and says how to shorten the entry
    word = "Supercalifragilisticexpialidocious" * 3
    spec = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\listoffigures\n"
        f"See Figure~\\ref{{fig:a}}.\n\\begin{{figure}}A\\caption{{{word}}}\\label{{fig:a}}"
        "\\end{figure}\n\\end{document}\n"
    )
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    lof = [f for f in r.findings if f.code == "PT705" and "list of figures" in f.message]
    assert [(f.location.file, f.location.line) for f in lof] == [("main.tex", 3)], [
        (f.location, f.message) for f in r.findings if f.code == "PT705"
    ]
    assert "\\caption[short]{long}" in lof[0].fix


def test_the_overfull_lines_one_source_line_prints_are_one_finding(make_project):
    # a command that typesets a block (\printbibliography with long URLs, here a macro): TeX
    # logs every overfull line at the one source line that prints them; one thing to fix
    long = TOKEN + TOKEN[:20]
    spec = (
        "%! main.tex\n\\documentclass{article}\n"
        f"\\newcommand\\block{{\\texttt{{{long}}}\\par\\texttt{{{long}}}\\par\\texttt{{{long}}}}}\n"
        "\\begin{document}\nText.\n\n\\block\n\nMore: \\texttt{" + long + "}.\n\\end{document}\n"
    )
    r = run_check(make_project(spec), cfg=Config(compile=True), use_cache=False)
    found = [f for f in r.findings if f.code == "PT705" and f.severity.name != "INFO"]
    assert sorted(f.location.line for f in found) == [6, 8], [
        (f.location, f.message) for f in found
    ]
    block = next(f for f in found if f.location.line == 6)
    assert "and 2 more overfull lines this line prints" in block.message
