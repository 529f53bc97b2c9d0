"""A line that holds only a comment is not a blank line: its % swallows the line's end, so TeX
never sees the empty line that would end the paragraph; nor is a line of a skipped \\iffalse
or a dead branch. Masking keeps a `%` on such a line, so every reader sees what TeX sees
(minimal papers written here; each paper's behaviour checked with pdflatex)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import check_static as check

from papertrack.parse.chunked import cut_points
from papertrack.project.braces import group_text
from papertrack.project.conditionals import mask_texts
from papertrack.project.source import SourceFile, mask_source

EMPTY_LINE = re.compile(r"\n[ \t]*\n")


def masked(text: str) -> str:
    src = SourceFile(Path("m.tex"), "m.tex", text)
    mask_source(src)
    assert len(src.masked) == len(text)
    assert [i for i, c in enumerate(src.masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    return src.masked


def unclosed_math(r) -> list[tuple[int, str]]:
    return sorted(
        (f.location.line if f.location else 0, f.message) for f in r.findings if f.code == "PT404"
    )


def paper(body: str, preamble: str = "") -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n"
        + preamble
        + "\\begin{document}\n"
        + body
        + "\n\\end{document}\n"
    )


def test_a_comment_line_keeps_a_percent_and_an_empty_line_stays_empty():
    text = "One.\n% a comment {with braces}\n  % indented\nTwo. % trailing\n\nThree.\n"
    out = masked(text)
    assert [line.rstrip() for line in out.splitlines()] == [
        "One.",
        "%",
        "  %",
        "Two.",
        "",
        "Three.",
    ]
    assert len(EMPTY_LINE.findall(out)) == 1  # only the line empty in the source


def test_skipped_lines_keep_a_percent_but_code_lines_do_not():
    text = (
        "a\n\\iffalse\nold text\n\\fi\nb\n\\begin{comment}\nc\n\\end{comment}\nd\n"
        "\\begin{verbatim}\n% code\n\\end{verbatim}\n"
    )
    lines = masked(text).splitlines()
    assert [line.strip() for line in lines] == [
        "a", "%", "%", "%", "b", "%", "%", "%", "d", "\\begin{verbatim}", "", "\\end{verbatim}",
    ]  # fmt: skip


def test_a_dead_branch_of_a_switch_keeps_its_lines_comment_lines():
    text = "\\newif\\ifdraft\n\\begin{document}\nA\n\\ifdraft\nDraft note.\n\\fi\nB\n"
    (out,) = mask_texts([masked(text)])
    assert out.splitlines()[4].strip() == "%"
    assert not EMPTY_LINE.search(out)


def test_comment_lines_inside_inline_math_do_not_end_it(make_project):
    # a commented-out row of a cases block inside $...$: TeX reads one paragraph
    body = (
        "We need $\\begin{cases}\n"
        "% a \\to 0\\\\\n"
        "  % b \\to 1\\\\\n"
        "a \\to 1\n"
        "\\end{cases}$ here.\n"
        "\n"
        "Then $x$ and $y$.\n"
    )
    assert unclosed_math(check(make_project(paper(body)))) == []


def test_skipped_branches_inside_inline_math_do_not_end_it(make_project):
    # pdflatex typesets both without "Missing $ inserted"
    body = "We need $x\n\\iffalse\n+ z\n\\fi\n+ y$ here, and $a\n\\ifdraft\n+ b\n\\fi\n+ c$ too.\n"
    r = check(make_project(paper(body, "\\newif\\ifdraft\n")))
    assert unclosed_math(r) == []


def test_an_empty_line_after_a_comment_line_still_ends_the_paragraph(make_project):
    body = "We need $x\n% a comment\n\ny$ here.\n"
    lines = [line for line, _ in unclosed_math(check(make_project(paper(body))))]
    assert lines[0] == 3  # the $ opened on the first line of the body


def test_the_chunked_parser_does_not_cut_at_a_comment_line():
    # long enough to be parsed in chunks; the only empty-looking lines are comment lines
    paras = [f"Sentence {i} goes on.\n% an aside\nMore words follow here.\n" for i in range(400)]
    assert cut_points(masked("".join(paras))) == []
    assert cut_points(masked("\n".join(paras))) != []  # real empty lines are cut points


def test_an_argument_after_a_comment_line_is_found():
    text = masked("\\caption\n% the old caption\n{The new caption}\n")
    assert group_text(text, len("\\caption")) == ("The new caption", len(text) - 1)


def test_a_comment_line_before_a_footnote_is_no_space(make_project):
    # pdflatex prints "One word1": the line ending in % leaves no space and the comment line
    # adds none; PT354 reads past the comment line's bare % to the word
    body = "One word%\n% a comment\n\\footnote{A note.} and more.\n"
    r = check(make_project(paper(body)))
    assert [f.location.line for f in r.findings if f.code == "PT354"] == []


def test_definitions_and_arguments_read_past_comment_lines(make_project):
    body = "\\newcommand\n% the name\n{\\mynote}\n% its body\n{\\textbf{note}}\nSee \\mynote.\n"
    r = check(make_project(paper(body)))
    assert r.document.macros.macros["mynote"].body.strip() == "\\textbf{note}"


def test_a_plain_if_reads_past_a_line_end_and_a_comment_line_after_a_macro():
    # pdflatex prints "A: TRUE. B: TRUE. C: 1 TRUE.": the end of the line after \x is no token,
    # nor is a comment line; a character on the same line is
    text = (
        "\\def\\x{1}\n\\begin{document}\n"
        "A: \\if\\x\n1 TRUE\\else FALSE\\fi.\n"
        "B: \\if\\x\n% which one\n1 TRUE\\else FALSE\\fi.\n"
        "C: \\if\\x 1\n1 TRUE\\else FALSE\\fi.\n"
    )
    (out,) = mask_texts([masked(text)])
    assert out.count("TRUE") == 3 and "FALSE" not in out


def test_an_indented_end_comment_inside_a_comment_block_does_not_end_it():
    """comment.sty (loaded by acmart and by \\usepackage{comment}) ends the block only at a line
    that starts with \\end{comment}: the indented pair of a nested block is skipped text, so
    the \\end{tabular} and \\end{table} after it are skipped too (pdflatex: no error)."""
    text = (
        "a\n\\begin{comment}\n\\begin{table}\n\\begin{tabular}{c}\n  \\begin{comment}\n"
        "  x \\\\\n  \\end{comment}\n\\end{tabular}\n\\end{table}\n}\n\\end{comment}\nb\n"
    )
    lines = [line.strip() for line in masked(text).splitlines()]
    assert lines[0] == "a" and lines[-1] == "b"
    assert set(lines[1:-1]) == {"%"}, lines
    # one-line and unindented blocks end where they did
    assert masked("\\begin{comment}\nc\n\\end{comment}\nd\n").splitlines()[-1] == "d"
    flat = masked("\\begin{comment}\nc\n  \\end{comment}\nd\n").splitlines()
    assert flat[-1] == "d"  # no line-start end at all: verbatim.sty's reading
