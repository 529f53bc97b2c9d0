"""A line that holds only a comment is not a blank line: its % swallows the line's end, so TeX
never sees the empty line that would end the paragraph (minimal papers written here)."""

from __future__ import annotations

from helpers import check_static as check

from papertrack.parse.structure import check_structure


def unclosed_math(r) -> list[tuple[int, str]]:
    return sorted(
        (f.location.line if f.location else 0, f.message) for f in r.findings if f.code == "PT404"
    )


def paper(body: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    )


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


def test_an_empty_line_after_a_comment_line_still_ends_the_paragraph(make_project):
    body = "We need $x\n% a comment\n\ny$ here.\n"
    lines = [line for line, _ in unclosed_math(check(make_project(paper(body))))]
    assert lines[0] == 3  # the $ opened on the first line of the body


def test_structure_reads_the_source_not_only_the_masked_text():
    source = "a $x\n% c\ny$ b\n"
    masked = "a $x\n   \ny$ b\n"

    def line_col(pos: int) -> tuple[int, int]:
        return source.count("\n", 0, pos) + 1, 1

    diags, _ = check_structure("m.tex", masked, line_col, is_root=True, source=source)
    assert diags == []
    # without the source, a blanked line looks empty: the old reading
    diags, _ = check_structure("m.tex", masked, line_col, is_root=True)
    assert [d.rule for d in diags] == ["unclosed-math", "unclosed-math"]
