"""Where math starts and stops, as TeX reads it (minimal papers written here; each one checked
with pdflatex where TeX is installed):

- a line that holds only a definition (`\\def\\x{1}` in a tikzpicture) is no paragraph break;
- the `$` of an array-package column token (`>{$}c<{$}`) opens each cell's math, not a math
  that its group leaves open;
- `$\\approx$$10^4$` is two formulas: in inline math a `$` ends the math, so the `$$` is no
  display;
- `{0/$0$, 2/$$, 4/$c$}`, the labels of a TikZ picture, are three formulas, one empty: in a
  node's box `$$` is no display;
- an xparse command's optional star and optional argument (`\\NewDocumentCommand\\gr{som}`)
  do not take the tokens after a one-argument call as arguments (`\\(\\gr{x}\\)` keeps its `\\)`);
- a LaTeX command the paper redefines without arguments (`\\renewcommand{\\d}{\\boldsymbol{d}}`,
  the under-dot accent made a vector) takes none: `$\\d$` does not hand it the closing `$`.

Each of these, misread, reported PT404 and read the rest of the file as math, so every later
section was empty (PT303) and every later heading was missing (PT304).
"""

from __future__ import annotations

import shutil

import pytest
from helpers import check_static, pdflatex, write_project

from papertrack.parse.macros import blank_definitions, xparse_argspec

LATER = "\\section{Later}\nOne two three four five six seven eight nine ten eleven twelve.\n"


def paper(preamble: str, body: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n"
        + preamble
        + "\n\\begin{document}\n\\section{First}\nSome words before it.\n"
        + body
        + "\n"
        + LATER
        + "\\end{document}\n"
    )


def words(r, title: str) -> int:
    return next(s.words for s in r.document.sections if s.title == title)


DEFINITION_LINES = paper(
    "\\usepackage{tikz}",
    "\\[\n\\begin{tikzpicture}\n\\def\\x{1.8}\n\\def\\y{2}\n"
    "\\fill (\\x,\\y) circle (2pt);\n\\end{tikzpicture}\n\\]\nAfter the display.",
)
COLUMN_TOKENS = paper(
    "\\usepackage{array}\\usepackage{colortbl}",
    "\\begin{tabular}{@{}%\n>{\\columncolor[gray]{.9}$}r<{$}%\nl}\nx^2 & y \\\\\n\\end{tabular}\n"
    "\\begin{tabular}{>{$}c<{$}}\n\\alpha\n\\end{tabular}\n"
    "\\newenvironment{tabl}[1]{\\begin{tabular}{#1}}{\\end{tabular}}\n"
    "\\begin{tabl}{>{$}l<{$}}\n\\beta \\\\\n\\end{tabl}",
)
XPARSE_STAR_OPTIONAL = paper(
    "\\NewDocumentCommand\\agr{som}{\\operatorname{gr}_{\\IfValueTF{#2}{#2}{0}}"
    "\\IfBooleanTF{#1}{(#3)}{#3}}\n\\usepackage{amsmath}",
    "The graded module \\(\\agr{(V/W)}\\) is isomorphic to \\(\\agr*[1]{V}\\) here.",
)

# text accents that take one argument in LaTeX, redefined as argument-less math symbols
REDEFINED_ACCENTS = paper(
    "\\usepackage{amsmath}\\renewcommand{\\d}{\\boldsymbol{d}}\\renewcommand{\\b}{\\mathbf{b}}"
    "\\def\\v{\\mathbf{v}}\\renewcommand{\\vec}{\\mathbf}",
    "Some data $\\d$, a bias $\\b$ and $\\v$ give $p(\\d | \\b)$ and $\\vec{x}$. We conclude.",
)

ADJACENT_FORMULAS = paper(
    "\\newcommand{\\changes}[1]{#1}",
    "\\changes{The times are $\\approx$$10^4~{\\rm Gyr}$. We conclude.}",
)

# in a box (restricted horizontal mode: a TikZ node's text) `$$` is an empty formula
EMPTY_FORMULAS = (
    paper("\\usepackage{tikz}", "\\input{marks}")
    + "%! marks.tex\n\\begin{tikzpicture}\n\\foreach \\x/\\y in {0/$0$, 2/$$, 4/$c$}\n"
    + "  \\draw (\\x,0) node[below] {\\y};\n\\end{tikzpicture}\n"
)

# the same picture in the file whose later sections are counted
EMPTY_FORMULAS_INLINE = paper(
    "\\usepackage{tikz}",
    "\\begin{tikzpicture}\n\\foreach \\x/\\y in {0/$0$, 2/$$, 4/$c$}\n"
    "  \\draw (\\x,0) node[below] {\\y};\n\\end{tikzpicture}",
)


@pytest.mark.parametrize(
    "spec",
    [
        DEFINITION_LINES,
        COLUMN_TOKENS,
        XPARSE_STAR_OPTIONAL,
        ADJACENT_FORMULAS,
        EMPTY_FORMULAS,
        EMPTY_FORMULAS_INLINE,
        REDEFINED_ACCENTS,
    ],
    ids=["def", "array", "xparse", "adjacent", "empty", "empty-inline", "redefined-accent"],
)
def test_math_closes_where_tex_closes_it(make_project, spec, tmp_path):
    root = make_project(spec)
    r = check_static(root)
    assert [f.message for f in r.findings if f.code == "PT404"] == []
    assert [f.message for f in r.findings if f.code == "PT303" and "empty" in f.message] == []
    assert words(r, "Later") == 12
    if shutil.which("pdflatex"):
        out = tmp_path / "out"
        out.mkdir()
        log = pdflatex(root, out)
        assert "Missing $ inserted" not in log and "\n! " not in log, log[-2000:]


def test_a_definition_line_keeps_a_percent_and_an_empty_line_stays_empty():
    text = "A\n\\def\\x{1}\n  \\newcommand{\\y}{2}\n\nB \\def\\z{3} C\n"
    out = blank_definitions(text)
    assert len(out) == len(text)
    assert [line.rstrip() for line in out.splitlines()] == [
        "A",
        "%",
        "  %",
        "",
        "B" + " " * 11 + "C",
    ]


@pytest.mark.parametrize(
    ("letters", "spec"),
    [("som", "*[{"), ("m", "{"), ("O", "["), ("mm", "{{"), ("sm", "*{"), ("mD", "")],
)
def test_xparse_signatures_as_pylatexenc_reads_them(letters, spec):
    assert xparse_argspec(list(letters)) == spec


def test_a_real_unclosed_math_in_a_column_spec_paper_is_still_reported(tmp_path):
    root = write_project(
        tmp_path / "p",
        paper(
            "\\usepackage{array}", "\\begin{tabular}{>{$}c<{$}}\nx\n\\end{tabular}\nCost $O(n.\n"
        ),
    )
    r = check_static(root)
    assert [f.code for f in r.findings if f.code == "PT404"] == ["PT404"]
