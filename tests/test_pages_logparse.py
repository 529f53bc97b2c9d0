"""Log parsing: real-looking excerpts of pdfTeX, latexmk, BibTeX and Biber output."""

from __future__ import annotations

from papertrack.pages.logparse import (
    CompileProblem,
    parse_blg,
    parse_latexmk_output,
    parse_log,
    source_relative,
)

# From the ieee-firefly-draft build: an unescaped $ in a .bib title breaks the generated .bbl.
FIREFLY = r"""(./main.tex
LaTeX2e <2022-11-01> patch level 1
(./IEEEtran.cls
Document Class: IEEEtran 2015/08/26 V1.8b by Michael Shell
) (./motivation.tex
LaTeX Warning: Citation `nasaFirms' on page 1 undefined on input line 4.
LaTeX Warning: Citation `nasaFirms' on page 2 undefined on input line 9.
) (./evaluation.tex
LaTeX Warning: Reference `fig:attack-illustration' on page 9 undefined on input line 173.

Overfull \hbox (5.8961pt too wide) in paragraph at lines 39--44
\OT1/cmr/m/n/8 450
 []

) (./_papertrack_out/main.bbl
_papertrack_out/main.bbl:40: Extra }, or forgotten $.
l.40   made possible by $450 million Apple investment in US infrastructure}
                                                                           .
I've deleted a group-closing symbol because it seems to be
spurious, as in `$x}$'.


_papertrack_out/main.bbl:42: LaTeX Error: Command $ invalid in math mode.

See the LaTeX manual or LaTeX Companion for explanation.
Type  H <return>  for immediate help.
 ...

l.42 \bibitem
             {x}

Overfull \hbox (81.4467pt too wide) in paragraph at lines 72--78
\T1/ptm/m/n/10 Understanding
 []

)
"""

# A missing package in nonstop mode ends in an emergency stop; the error before it is the cause.
EMERGENCY = r"""(./main.tex
LaTeX2e <2022-11-01> patch level 1
(/usr/share/texlive/texmf-dist/tex/latex/base/article.cls
Document Class: article 2022/07/02 v1.4n Standard LaTeX document class
(/usr/share/texlive/texmf-dist/tex/latex/base/size10.clo))
./macros.tex:12: LaTeX Error: File `mathabx.sty' not found.

Type X to quit or <RETURN> to proceed,
or enter new name. (Default extension: sty)

Enter file name:
./macros.tex:12: Emergency stop.
<read *>

l.12 \usepackage
                {mathabx}^^M
*** (cannot \read from terminal in nonstop modes)
"""

# Without -file-line-error: '!' lines; the l.N line gives the line number.
BANG = r"""(./main.tex (./sections/intro.tex
! Undefined control sequence.
l.7 Some text \foo
                   bar
)
! Emergency stop.
<*> main.tex
"""

LIBERTINE = (
    "Class acmart Warning: You do not have the libertine package installed. "
    "Please upgrade your TeX on input line 1021."
)
FONTS = (
    "(./main.tex\n"
    + LIBERTINE
    + r"""
LaTeX Font Warning: Font shape `OT1/cmr/bx/sc' undefined
(Font)              using `OT1/cmr/bx/n' instead on input line 74.
LaTeX Font Warning: Font shape `OT1/cmr/bx/sc' undefined
(Font)              using `OT1/cmr/bx/n' instead on input line 80.
Missing character: There is no ^^A in font cmr10!
(./sec/a.tex
Overfull \hbox (12.5pt too wide) detected at line 33
Overfull \hbox (0.5pt too wide) in alignment at lines 10--20
))
"""
)


def _kinds(problems: list[CompileProblem]) -> list[str]:
    return [p.kind for p in problems]


def test_first_error_with_file_line_and_context() -> None:
    problems = parse_log(FIREFLY)
    first = problems[0]
    assert first.kind == "tex-error"
    assert first.severity == "error"
    assert first.message.startswith("Extra }, or forgotten $.")
    assert "(first of 2 errors)" in first.message
    assert (first.file, first.line) == ("main.bbl", 40)
    assert first.context is not None
    assert first.context.startswith("l.40 ") and "$450 million" in first.context


def test_undefined_references_and_citations_counted_with_location() -> None:
    problems = {p.message: p for p in parse_log(FIREFLY)}
    cite = problems["Citation 'nasaFirms' undefined (2 times)"]
    assert (cite.kind, cite.file, cite.line) == ("undefined-citation", "motivation.tex", 4)
    ref = problems["Reference 'fig:attack-illustration' undefined"]
    assert (ref.kind, ref.file, ref.line) == ("undefined-reference", "evaluation.tex", 173)


def test_overfull_boxes_count_and_worst() -> None:
    over = [p for p in parse_log(FIREFLY) if p.kind == "overfull-hbox"]
    assert len(over) == 2
    # The big one (over an inch: an error) is in the generated bibliography, lines 72--78;
    # the small one is summarised as information.
    assert "81.4467pt" in over[0].message and over[0].severity == "error"
    assert (over[0].file, over[0].line) == ("main.bbl", 72)
    assert over[1].message.startswith("1 overfull line") and over[1].severity == "info"


def test_emergency_stop_reports_the_error_before_it() -> None:
    problems = parse_log(EMERGENCY)
    first = problems[0]
    assert first.message == "LaTeX Error: File `mathabx.sty' not found."
    assert (first.file, first.line) == ("macros.tex", 12)
    assert first.context is not None and first.context.startswith("l.12 \\usepackage")
    missing = [p for p in problems if p.kind == "missing-file"]
    assert missing and missing[0].message == "missing file mathabx.sty"


def test_bang_errors_use_the_file_stack_and_context_line() -> None:
    first = parse_log(BANG)[0]
    assert first.message == "Undefined control sequence."
    assert (first.file, first.line) == ("sections/intro.tex", 7)


def test_font_fallbacks_are_surfaced() -> None:
    problems = parse_log(FONTS)
    kinds = _kinds(problems)
    assert "font-missing" in kinds
    libertine = next(p for p in problems if p.kind == "font-missing")
    assert "libertine" in libertine.message and libertine.line == 1021
    shape = next(p for p in problems if p.kind == "font-substitution")
    assert "OT1/cmr/bx/sc" in shape.message and "(2 times)" in shape.message
    assert shape.line == 74
    assert "missing-character" in kinds
    over = next(p for p in problems if p.kind == "overfull-hbox")
    assert (over.file, over.line) == ("sec/a.tex", 33)


def test_clean_log_has_no_findings() -> None:
    assert parse_log("(./main.tex\nLaTeX2e <2022-11-01>\n)\nOutput written on main.pdf.\n") == []


def test_latexmk_refusing_to_run_bibtex() -> None:
    out = (
        "Latexmk: applying rule 'bibtex out/main'...\n"
        "Latexmk: I WON'T RUN 'bibtex out/main' because I don't find the following files:\n"
        "  nonexistent.bib\n"
        "Latexmk: applying rule 'pdflatex'...\n"
        "Latexmk: I WON'T RUN 'bibtex out/main' because I don't find the following files:\n"
        "  nonexistent.bib\n"
    )
    problems = parse_latexmk_output(out)
    assert len(problems) == 1
    assert problems[0].kind == "missing-bib" and problems[0].severity == "error"
    assert "nonexistent.bib" in problems[0].message


def test_bibtex_blg_errors() -> None:
    """A repeated entry is no build error here: PT205 reports the duplicate key (BibTeX keeps
    the first), at the same line, once."""
    blg = (
        "This is BibTeX, Version 0.99d (TeX Live 2022/Debian)\n"
        "The top-level auxiliary file: main.aux\n"
        "I couldn't open style file apa.bst\n"
        "---line 4 of file main.aux\n"
        " : \\bibstyle{apa\n"
        "I was expecting a `,' or a `}'---line 40 of file refs.bib\n"
        'Warning--I didn\'t find a database entry for "x"\n'
        "Repeated entry---line 305 of file refs.bib\n"
        " : @inproceedings{birman1987exploiting\n"
    )
    problems = parse_blg(blg)
    assert [p.message for p in problems] == [
        "BibTeX could not open style file apa.bst",
        "I was expecting a `,' or a `}'",
    ]
    assert (problems[1].file, problems[1].line) == ("refs.bib", 40)


def test_biber_blg_errors() -> None:
    blg = (
        "[0] Config.pm:307> INFO - This is Biber 2.18\n"
        "[45] Utils.pm:411> ERROR - Cannot find 'refs.bib'!\n"
    )
    problems = parse_blg(blg, "biber")
    assert [(p.kind, p.message) for p in problems] == [("biber-error", "Cannot find 'refs.bib'!")]


def test_source_relative_paths() -> None:
    assert source_relative("./sec/a.tex") == "sec/a.tex"
    assert source_relative("_papertrack_out/main.bbl") == "main.bbl"
    assert source_relative("./_papertrack_out/sec/x.aux") == "sec/x.aux"


def test_a_package_errors_continuation_lines_are_part_of_its_message() -> None:
    # a package names the cause on its second line, "(name)" indented
    log = (
        "(./main.tex\n(/usr/share/texlive/texmf-dist/tex/latex/foo/foo.sty\n"
        "/usr/share/texlive/texmf-dist/tex/latex/foo/foo.sty:12: Package foo Error: "
        "Option 'bar' clashes. Either you load it twice\n"
        "(foo)                or another package sets it first.\n\n"
        "See the foo package documentation for explanation.\n))\n"
    )
    first = parse_log(log)[0]
    assert first.message.endswith("or another package sets it first.")
    assert first.via == "foo.sty" and first.file == "main.tex"
    # babel's unknown language with its .ldf not found is a file this TeX lacks (PT703)
    babel = (
        "(./main.tex\n(/usr/share/texlive/texmf-dist/tex/generic/babel/babel.sty\n"
        "/usr/share/texlive/texmf-dist/tex/generic/babel/babel.sty:4357: Package babel Error: "
        "Unknown option 'brazil'. Either you misspelled it\n"
        "(babel)                or the language definition file brazil.ldf was not found.\n\n"
        "See the babel package documentation for explanation.\n))\n"
    )
    assert [p.kind for p in parse_log(babel)] == ["missing-file"]


def test_what_minted_writes_is_not_a_missing_file() -> None:
    log = (
        "(./main.tex\n./main.tex:3: Package minted Error: You must invoke LaTeX with the "
        "-shell-escape flag.\n\n"
        "./main.tex:7: Package minted Error: Missing Pygments output; \\inputminted was\n\n"
        "./main.tex:7: LaTeX Error: File `_minted-main/default.pygstyle' not found.\n\n)\n"
    )
    assert [p.kind for p in parse_log(log)] == ["tex-error"]
