"""PDF-only mode: whole heading lines end main content, body text mentioning them does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from papertrack.pages.pdfmode import find_heading, heading_pattern, pdf_pages

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.mark.parametrize(
    ("title", "line", "hit"),
    [
        ("Limitations", "Limitations", True),
        ("Limitations", "7 Limitations", True),
        ("Limitations", "A.1 Limitations", True),
        ("Limitations", "LIMITATIONS", True),
        ("Limitations", "Limitations.", True),
        ("Limitations", "Limitations of prior work", False),
        ("Limitations", "We discuss limitations below", False),
        ("Limitations", "Broader Impact and Limitations", False),
        ("References", "R EFERENCES", True),  # small caps split by the PDF text layer
        ("References", "VII. REFERENCES", True),
        ("References", "References148", True),  # review-mode line number glued on
        ("References", "148References", True),
        ("References", "References 217", False),  # a table-of-contents entry
        ("References", "See References", False),
        ("Ethics Statement", "Ethics  Statement", True),
        ("Ethics Statement", "Ethics", False),
    ],
)
def test_heading_pattern(title: str, line: str, hit: bool) -> None:
    assert bool(heading_pattern(title).match(line)) is hit


def test_find_heading_first_whole_line() -> None:
    lines = ["Limitations of prior work are many.", "6 Conclusion", "Limitations", "References"]
    assert find_heading(lines, ["References", "Limitations"]) == "Limitations"
    assert find_heading(lines[:2], ["Limitations"]) is None


def committed_pdf(relative: str) -> Path:
    pdf = CORPUS / relative
    if not pdf.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide ../shared/corpus: {pdf} missing")
        pytest.skip("corpus not available")
    return pdf


@pytest.mark.corpus
def test_committed_neurips_pdf() -> None:
    info = pdf_pages(
        committed_pdf("neurips24-catastrophic-goodhart/main.pdf"), ["NeurIPS Paper Checklist"]
    )
    assert (info.total_pages, info.bib_start_page) == (26, 9)
    assert (info.exempt_heading_page, info.exempt_heading) == (21, "NeurIPS Paper Checklist")
    assert (info.end_page, info.ended_by) == (9, "references")


@pytest.mark.corpus
def test_committed_acl_pdf_ends_at_limitations() -> None:
    info = pdf_pages(
        committed_pdf("acl-aacl23-sealp-tlunified/sealp2023.pdf"),
        ["Limitations", "Ethical Considerations", "Acknowledgments"],
    )
    assert info.total_pages == 8
    assert (info.exempt_heading_page, info.exempt_heading) == (6, "Limitations")
    assert (info.bib_start_page, info.appendix_start_page) == (6, 7)
    assert info.end_page == 6


@pytest.mark.corpus
def test_committed_cvpr_pdf() -> None:
    info = pdf_pages(committed_pdf("cvpr-proteus/main.pdf"))
    assert (info.total_pages, info.bib_start_page) == (18, 11)


@pytest.mark.corpus
def test_review_mode_template_with_line_numbers() -> None:
    # The NeurIPS template PDF is typeset with margin line numbers: "References148".
    info = pdf_pages(committed_pdf("neurips24-catastrophic-goodhart/neurips_2024.pdf"))
    assert info.bib_start_page == 5


SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def _shared_papers() -> list[tuple[str, str]]:
    """(folder under ../shared, main) of the shared papers that build cleanly and quickly."""
    out = []
    expected = SHARED / "corpus" / "EXPECTED.toml"
    if expected.is_file():
        import tomllib

        for name, e in tomllib.loads(expected.read_text())["papers"].items():
            if e.get("compiles") and not name.startswith("thesis"):
                out.append((f"corpus/{name}", e["main"]))
    manifest = SHARED / "wild" / "MANIFEST.tsv"
    if manifest.is_file():
        for line in manifest.read_text().splitlines()[1:]:
            f = line.split("\t")
            if f[7] == "yes" and not f[0].startswith("thesis"):
                out.append((f"wild/{f[0]}", f[4]))
    return out


@pytest.mark.tex
@pytest.mark.corpus
@pytest.mark.parametrize(("paper", "main"), _shared_papers())
def test_pdf_positions_agree_with_the_build(paper: str, main: str, tmp_path) -> None:
    """--pdf on a shared paper's own PDF gives the build's figure within 0.05 page."""
    import shutil

    from papertrack.check import run_check
    from papertrack.config import Config
    from papertrack.model.pages import exempt
    from papertrack.pages import compile_paper
    from papertrack.pages.pdfmode import pdf_content_end

    if shutil.which("latexmk") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide TeX Live and poppler-utils")
        pytest.skip("TeX or poppler-utils not installed")
    folder = SHARED / paper
    doc = run_check(folder, main=main, cfg=Config(compile=False)).document
    headings, macros = exempt(doc)
    build = compile_paper(
        folder,
        Path(main),
        exempt_headings=headings,
        exempt_macros=macros,
        build_dir=tmp_path / "build",  # never into ../shared
    )
    m = build.pages
    if m is None or build.first_error is not None or m.ended_by in ("end of document",):
        pytest.skip(f"no clean build ending at a heading ({m.ended_by if m else 'no PDF'})")
    if m.ended_by == "appendix" or m.ended_by.startswith("\\"):
        pytest.skip("ends at \\appendix or a macro: no heading line marks it in the PDF")
    end = pdf_content_end(build.pdf, headings)
    assert end is not None
    assert end.pages == pytest.approx(m.main_content_pages, abs=0.05), (end, m.end)
