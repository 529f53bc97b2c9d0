"""Page metrics from probe marks: positions, the end of main content, overflow, titles."""

from __future__ import annotations

import pytest

from papertrack.pages.metrics import (
    ONE_INCH_SP,
    clean_title,
    compute_metrics,
    matches_heading,
    overflow,
    parse_probe,
)

PT = 65536
PAGE_HEIGHT = 55380990  # A4, as \pdfpageheight reports it
TEXT_HEIGHT = 36044800  # 550pt
TEXT_WIDTH = 30736384
COL_WIDTH = 15040512
COL_SEP = 655360
TOP = 1048576  # \topmargin 16pt
HEAD = 786432 + 1638400  # \headheight + \headsep
BASELINE = 786432  # 12pt
TEXT_TOP = ONE_INCH_SP + TOP + HEAD
BOX = 41484288


def page_line(page: int, columns: int = 1, page_height: int = PAGE_HEIGHT) -> str:
    fields = [
        page,
        page,
        page_height,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        COL_WIDTH if columns == 2 else TEXT_WIDTH,
        COL_SEP,
        0,
        0,
        0,
        0,
        TOP,
        786432,
        1638400,
        BASELINE,
        columns,
        0,
        BOX,
    ]
    return "PAPERTRACK-PAGE|" + "|".join(str(f) for f in fields)


def mark(
    kind: str,
    seq: int,
    page: int,
    fraction: float,
    *,
    column: int = 1,
    columns: int = 1,
    info: str = "",
    title: str = "",
    page_height: int = PAGE_HEIGHT,
    depth: int = 0,
) -> str:
    v = TEXT_TOP + fraction * TEXT_HEIGHT + depth
    effective = page_height or BOX + 2 * ONE_INCH_SP
    x = ONE_INCH_SP + (column - 1) * (COL_WIDTH + COL_SEP) + 20 * PT
    return f"PAPERTRACK|{kind}|{seq}|{columns}|{info}|{page}|{x}|{round(effective - v)}|{title}"


def log(*lines: str, pages: int = 10, columns: int = 1, page_height: int = PAGE_HEIGHT) -> str:
    body = [page_line(p, columns, page_height) for p in range(1, pages + 1)]
    return "\n".join([*body, *lines, f"PAPERTRACK-END|{pages}", ""])


def test_one_column_end_before_references_uses_the_previous_baseline() -> None:
    text = log(
        mark("SEC", 1, 2, 0.1, info="pre:0:section", title="Introduction"),
        mark("PRE", 2, 9, 0.45, info="v:131072", depth=131072),
        mark("BIB", 3, 9, 0.52, info="pre:2:"),
        mark("SEC", 4, 9, 0.52, info="pre:0:section*", title="\\refname "),
        mark("APP", 5, 10, 0.01, info="pre:0:"),
    )
    m = compute_metrics(parse_probe(text), use_pdftotext=False)
    assert (m.total_pages, m.bib_start_page, m.appendix_start_page) == (10, 9, 10)
    assert m.ended_by == "references"
    assert m.main_content_pages == pytest.approx(8.45, abs=1e-3)
    assert m.end.exact and m.end.source == "probe"
    assert [h.title for h in m.headings] == ["Introduction", "References"]


def test_two_columns_exempt_heading() -> None:
    text = log(
        mark("PRE", 1, 6, 0.25, column=1, columns=2, info="h:0"),
        mark("SEC", 2, 6, 0.28, column=1, columns=2, info="pre:1:section*", title="Limitations"),
        mark("BIB", 3, 6, 0.6, column=2, columns=2, info="pre:0:"),
        pages=8,
        columns=2,
    )
    m = compute_metrics(parse_probe(text), exempt_headings=["Limitations"], use_pdftotext=False)
    assert m.ended_by == "heading 'Limitations'"
    assert (m.end.position.page, m.end.position.column) == (6, 1)
    assert m.main_content_pages == pytest.approx(5.125, abs=1e-3)
    assert m.bib_start_page == 6
    # Two columns of 550pt / 12pt lines.
    assert m.lines_per_page == pytest.approx(2 * 550 / 12)


def test_heading_titles_match_whole_and_case_insensitively() -> None:
    text = log(
        mark("SEC", 1, 3, 0.3, info="pre:0:section", title="Limitations of prior work"),
        mark("SEC", 2, 7, 0.5, info="pre:0:section*", title="ACKNOWLEDGEMENTS\\label {ack}"),
        mark("BIB", 3, 8, 0.1, info="pre:0:"),
    )
    m = compute_metrics(parse_probe(text), exempt_headings=["Acknowledgments"], use_pdftotext=False)
    assert m.ended_by == "heading 'ACKNOWLEDGEMENTS'"
    assert m.end.position.page == 7
    assert not m.end.exact  # no end-of-material mark and no pdftotext: estimated


def test_mark_in_running_header_counts_as_top_of_next_page() -> None:
    text = log(
        mark("PRE", 1, 3, 0.98, info="v:0"),
        mark("APP", 2, 3, -0.08, info="pre:0:"),
        pages=5,
    )
    m = compute_metrics(parse_probe(text), use_pdftotext=False)
    assert m.appendix_start_page == 4
    assert any("above the text block" in n for n in m.notes)
    # Without pdftotext the page before an event that opens a page counts as full.
    assert m.main_content_pages == pytest.approx(3.0)


def test_end_of_document_without_references() -> None:
    text = log(mark("PRE", 1, 2, 0.6, info="h:0"), "PAPERTRACK-EOD|1", pages=2)
    m = compute_metrics(parse_probe(text), use_pdftotext=False)
    assert m.ended_by == "end of document"
    assert m.main_content_pages == pytest.approx(1.6)
    assert m.bib_start_page is None


def test_xetex_positions_without_pdfpageheight() -> None:
    # XeTeX measures from the shipped box height plus 2in when \pdfpageheight is 0.
    text = log(
        mark("PRE", 1, 4, 0.7, info="h:0", page_height=0),
        mark("BIB", 2, 4, 0.75, info="pre:1:", page_height=0),
        pages=5,
        page_height=0,
    )
    m = compute_metrics(parse_probe(text), use_pdftotext=False)
    assert m.main_content_pages == pytest.approx(3.7, abs=1e-3)


def test_exempt_macro_opens_the_supplement() -> None:
    text = log(
        mark("PRE", 1, 10, 0.1, column=2, columns=2, info="v:0"),
        mark("BIB", 2, 11, 0.0, columns=2, info="pre:1:"),
        mark("MAC", 3, 15, 0.0, columns=2, info="pre:0:maketitlesupplementary"),
        pages=18,
        columns=2,
    )
    m = compute_metrics(
        parse_probe(text), exempt_macros=["maketitlesupplementary"], use_pdftotext=False
    )
    assert m.appendix_start_page == 15
    assert m.main_content_pages == pytest.approx(9.55, abs=1e-3)


def test_overflow_messages() -> None:
    text = log(mark("PRE", 1, 9, 0.4, info="h:0"), mark("BIB", 2, 9, 0.45, info="pre:1:"))
    m = compute_metrics(parse_probe(text), use_pdftotext=False)
    over = overflow(m, 8)
    assert over.over and over.pages_over == pytest.approx(0.4)
    lines = round(0.4 * 550 / 12)
    assert over.lines_over == lines
    assert over.message == f"0.4 page over the 8-page limit, about {lines} lines"
    fits = m.overflow(9)
    assert not fits.over and "to spare" in fits.message


def test_probe_lines_cut_by_a_crash_are_ignored() -> None:
    data = parse_probe("PAPERTRACK|SEC|1|1|pre:0:section|2|12\nPAPERTRACK|BIB|x\n")
    assert data.marks == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Limitations", "Limitations"),
        (
            "\\refname \\@mkboth {\\MakeUppercase {\\refname }}{\\MakeUppercase {\\refname }}",
            "References",
        ),
        ("Ethics Statement\\label {sec:ethics}", "Ethics Statement"),
        ("\\texorpdfstring {\\textsc{Acks}}{Acknowledgments}", "Acknowledgments"),
        ("Broader~Impact\\footnote {see {x}}", "Broader Impact"),
        ("\\bibname ", "Bibliography"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_matches_heading() -> None:
    wanted = ["Limitations", "Ethics Statement", "Acknowledgments"]
    assert matches_heading("limitations", wanted) == "Limitations"
    assert matches_heading("Acknowledgements", wanted) == "Acknowledgments"
    assert matches_heading("Ethics  statement.", wanted) == "Ethics Statement"
    assert matches_heading("Limitations of prior work", wanted) is None
    assert matches_heading("Broader Impact and Limitations", wanted) is None
