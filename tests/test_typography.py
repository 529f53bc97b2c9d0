"""The prose typography rules read: what is blanked, and the idioms real papers use."""

from __future__ import annotations

import shutil

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.parse.prose import extract


def words(text: str, root: bool = False, keys: frozenset[str] = frozenset()) -> str:
    p = extract("x.tex", text, root, keys)
    assert len(p.text) == len(text) and p.text.count("\n") == text.count("\n")
    return " ".join(p.text.split())


def test_preamble_macros_options_keys_and_math_are_not_prose():
    text = (
        "\\documentclass[11pt]{article}\n\\usepackage[a]{b}\n\\begin{document}\n"
        "See \\cite[p.~3]{k(1} and \\ref{fig:a} at \\url{https://x.org/a_(b)}, $f(x$ and \\(g(\\).\n"
        "\\begin{equation}\n h(x \\end{equation}\n\\end{document}\n"
    )
    p = extract("main.tex", text, True)
    assert " ".join(p.text.split()) == "See and at , and ."
    assert [f.text for f in p.formulas] == ["f(x", "g(", "\n h(x "]


def test_definitions_code_and_user_code_macros_are_not_prose():
    text = (
        '\\newcommand{\\op}[1]{(#1}\n\\def\\x#1{[#1}\n\\texttt{f(x} \\hs{"pong"}\n'
        "\\begin{reactcode}\nf(() => {\n\\end{reactcode}\nafter"
    )
    assert words(text, keys=frozenset({"hs"})) == "after"


def test_a_long_optional_argument_spans_paragraphs():
    assert words("\\twocolumn[\n\\title{A}\n\nB\n]\nText (a).") == "Text (a)."


def test_a_tabular_in_a_tabular_cell_ends_at_the_outer_end():
    # an inference rule's side condition set as a one-column tabular, in a table of rules
    # (ebproof's \infer1[...]): the inner \end{tabular} does not end the outer table
    text = (
        "\\begin{tabular}{l}\n\\infer1\n[{\n\\begin{tabular}{@{}l}\n$x$ \\\\\n"
        "\\end{tabular}\n}]\n{y} \\\\\n\\end{tabular}\nAfter (a)."
    )
    assert words(text) == "After (a)."
    # verbatim cannot nest: its text ends at the first \end{verbatim}
    assert words("\\begin{verbatim}\n\\begin{verbatim}\n\\end{verbatim}\nafter") == "after"


def test_texttt_reads_its_argument_past_escaped_braces():
    # a rewriting rule in monospace, (x, x or x, {}): TeX reads \\{ and \\} as characters, so
    # the argument ends at the last }; \\mintinline reads verbatim up to the first }
    text = "The rule \\texttt{(x,\\ x\\ or\\ x, \\{\\})} holds (here)."
    assert words(text) == "The rule holds (here)."
    assert words("\\mintinline{py}{f(x}) and (y).") == ") and (y)."


def check(root):
    return run_check(root, cfg=Config(compile=False), use_cache=False)


def lines(r, code):
    return sorted(f.location.line for f in r.findings if f.code == code)


def doc(body: str, pre: str = "") -> str:
    return f"%! main.tex\n\\documentclass{{article}}\n{pre}\\begin{{document}}\n{body}\n\\end{{document}}\n"


def test_quote_shorthands_of_babel_csquotes_and_knowledge_are_not_quotes(make_project):
    body = 'Das "Wort" hier.'
    assert lines(check(make_project(doc(body))), "PT353") == [3]
    for pre in (
        "\\usepackage[ngerman]{babel}\n",
        '\\usepackage{csquotes}\\MakeOuterQuote{"}\n',
        "\\usepackage{knowledge}\\knowledgeconfigure{notion, quotation}\n",
    ):
        assert lines(check(make_project(doc(body, pre))), "PT353") == [], pre


def test_parenthesis_closed_inside_a_formula_and_a_caption_typo(make_project):
    body = (
        "A state (by $\\theta=0)$ is fine.\n\n"
        "It represents ``arsh'' in ``Varshini'') from the step.\n\n"
        "Items: i) one, ii) two, (iii) three."
    )
    r = check(make_project(doc(body)))
    assert lines(r, "PT351") == [5]


def test_a_half_open_interval_pairs_its_own_brackets(make_project):
    body = (
        "Random probabilities [0, 1) from a uniform distribution, and $x$ in (0, 1].\n\n"
        "Values in [a, b) or [-1, 2.5) are fine.\n\n"
        "But [this aside is open."
    )
    assert lines(check(make_project(doc(body))), "PT351") == [7]


def test_brackets_of_file_names_are_not_asides(make_project):
    # a notebook's name printed in the text, cut short, and a link's text: their brackets sit
    # next to underscores. The prose's own brackets around a reference with underscores in
    # its key still count.
    body = (
        "See the notebook eval\\_set\\_(multiday\\_run)\\_(public).ipynb and\n"
        "train\\_run\\_(left\\_in\\_np.ipynb, or \\href{https://x.org}{Foo\\_(bar}.\n\n"
        "An aside (see Appendix~\\ref{app_more_details}). Another (see \\ref{app_b}.\n"
    )
    assert lines(check(make_project(doc(body))), "PT351") == [6]


def test_space_before_footnote_after_a_line_break_counts(make_project):
    body = (
        "is displayed in the figure.\n\\footnote{The code needs Julia.}\n\nA word%\n\\footnote{B.}"
    )
    assert lines(check(make_project(doc(body))), "PT354") == [3]


def test_single_quotes_that_open_a_quotation_and_apostrophes_that_do_not(make_project):
    body = (
        "Perfect recognition of 'frog' class, the label '4', \\texttt{'code'}.\n"
        "The authors' results and rock 'n roll, don't, the '90s."
    )
    r = check(make_project(doc(body)))
    assert [f.location.col for f in r.findings if f.code == "PT353"] == [24, 48]


def test_space_before_footnote_after_a_formula(make_project):
    assert lines(
        check(make_project(doc("a point $y$ \\footnote{Recall.} with mass."))), "PT354"
    ) == [3]


def test_a_list_label_at_the_start_of_a_group_closes_nothing_by_design(make_project):
    # IEEE papers number paragraph heads by hand: \noindent{2) \em Multiscale.} Text.
    body = (
        "\\noindent {1) \\em 2D Deformation.} We verify it.\n\n"
        "\\noindent{2) \\em Multiscale.} And {a) this} too.\n\n"
        "But {this) is a stray one."
    )
    assert lines(check(make_project(doc(body))), "PT351") == [7]


def test_link_text_that_prints_the_address_itself_is_not_prose():
    url = "https://example.org/notebooks/run\\_(on\\_test\\_set)\\_(v2).ipynb"
    # the address printed whole, split over lines, or over two links for a printed copy
    assert words(f"See \\href{{{url}}}{{{url}}} now.") == "See now."
    split = "https://example.org/notebooks/\nrun\\_(on\\_test\\_set)\\_(v2).ipynb"
    assert words(f"See \\href{{{url}}}{{{split}}} now.") == "See now."
    assert words(f"A \\href{{{url}}}{{https://example.org/notebooks/run\\_(on}}\n\n") == "A"
    assert words(f"B \\href{{{url}}}{{\\_test\\_set)\\_(v2).ipynb}}.") == "B ."
    # a link's name is prose, even when one of its words is in the address
    assert (
        words(f"C \\href{{{url}}}{{the notebooks (all runs)}}.") == "C {the notebooks (all runs)}."
    )
    assert words(f"D \\href{{{url}}}{{notebooks}}.") == "D ."


def test_parenthesis_of_an_address_printed_as_link_text_is_not_reported(make_project):
    url = "https://example.org/a\\_(test\\_set)\\_(v2).ipynb"
    body = (
        f"Results in \\href{{{url}}}{{the notebook}}.\\footnote{{Full address: \n\n"
        f"\\href{{{url}}}{{https://example.org/a\\_(test}}\n\n"
        f"\\href{{{url}}}{{\\_set)\\_(v2).ipynb}}}}\n\nA stray (aside.\n"
    )
    assert lines(check(make_project(doc(body, "\\usepackage{hyperref}\n"))), "PT351") == [10]


def test_typewriter_text_holds_nested_groups_a_verbatim_argument_does_not():
    # \texttt is an ordinary command: its argument ends at the matching brace
    assert words("Mode \\texttt{F($R_{min}$=$2$, $I_C$=$1$)} here.") == "Mode here."
    # \lstinline reads verbatim, up to the first }
    assert words("Call \\lstinline{f({)} now.") == "Call now."


def test_a_parenthesis_inside_typewriter_text_with_a_formula(make_project):
    body = "Strong mode \\texttt{FStrong($R_{min}$=$20$,$I_C$=$12$)} is not used.\n"
    assert lines(check(make_project(doc(body))), "PT351") == []


@pytest.mark.tex
def test_tex_prints_the_typewriter_parentheses_as_a_pair(make_project, tmp_path):
    import subprocess

    if not shutil.which("pdflatex") or not shutil.which("pdftotext"):
        pytest.skip("no pdflatex or pdftotext")
    body = "Strong mode \\texttt{FStrong($R_{min}$=$20$,$I_C$=$12$)} is not used.\n"
    pdflatex(make_project(doc(body)), tmp_path)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "main.pdf"), "-"], capture_output=True, text=True
    ).stdout
    printed = text[text.index("FStrong") :].split("is not used")[0]
    assert printed.count("(") == printed.count(")") == 1


def test_straight_quotes_throughout_a_file_are_one_finding(make_project):
    few = " ".join(f'Say "w{i}" here.' for i in range(3))
    assert lines(check(make_project(doc(few))), "PT353") == [3, 3, 3]
    many = "\n".join(f'Line {i} says "w{i}" here.' for i in range(12))
    r = check(make_project(doc(many)))
    (f,) = [f for f in r.findings if f.code == "PT353"]
    assert "12 times in this file" in f.message
    assert f.location.line == 3 and len(f.related) == 11


def preamble_input_paper() -> str:
    # \lstset's escape delimiters and a definition's text are read in the preamble: none prints
    setup = (
        "\\usepackage{listings}\n"
        "\\lstset{escapeinside={\\%*}{*)}, % delimiters (like this\n"
        "  frame=single}\n"
        "\\newcommand{\\range}{1)}\n"
    )
    return (
        "%! main.tex\n\\documentclass{article}\n\\input{setup}\n\\begin{document}\n"
        "\\input{body}\n\\end{document}\n"
        f"%! setup.tex\n{setup}"
        "%! body.tex\nA closed (aside) here.\n\nA stray (aside.\n"
    )


def test_a_file_read_in_the_preamble_is_not_prose(make_project):
    r = check(make_project(preamble_input_paper()))
    assert [(f.location.file, f.location.line) for f in r.findings if f.code == "PT351"] == [
        ("body.tex", 3)
    ]


@pytest.mark.tex
def test_tex_prints_nothing_of_a_file_read_in_the_preamble(make_project, tmp_path):
    import subprocess

    if not shutil.which("pdflatex") or not shutil.which("pdftotext"):
        pytest.skip("no pdflatex or pdftotext")
    pdflatex(make_project(preamble_input_paper()), tmp_path)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "main.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert " ".join(text.split()).startswith("A closed (aside) here. A stray (aside.")
