"""PT806: a figure printed far from every reference to it, measured on the compiled PDF."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model.figurepages import label_folios
from papertrack.model.refpages import label_anchors

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)

FILLER = (
    "The method updates every estimate once per round and keeps the previous one for the "
    "comparison that follows; the cost of a round grows with the number of items. "
) * 6


def placement_paper(
    make_project, *, far: bool, hyperref: bool = True, lof: bool = False, image: bool = False
) -> Path:
    """Five pages of text; the figure's only reference is on page 1. `far` writes the figure
    after four pages of text, its clean twin right after the reference. `image` adds a figure
    showing plot.png (not written: the test decides whether it exists)."""
    figure = (
        "\\begin{figure}[t]\\centering\\rule{6cm}{4cm}"
        "\\caption{Error against rounds: the error halves every round.}\\label{fig:err}"
        "\\end{figure}\n"
    )
    pages = "\n\n".join([FILLER] * 24)
    body = (
        "\\section{Introduction}\nFigure~\\ref{fig:err} shows the error.\n\n"
        + ("" if far else figure)
        + FILLER
        + "\n\\section{Method}\n"
        + pages
        + "\n"
        + (figure if far else "")
        + "\\section{End}\n"
        + FILLER
        + "\n"
        + ("\\clearpage\\listoffigures\n" if lof else "")
    )
    if image:
        body = (
            "\\begin{figure}[b]\\centering\\includegraphics[width=3cm]{plot.png}"
            "\\caption{The data as plotted.}\\end{figure}\n" + body
        )
    pkg = ("\\usepackage{graphicx}\n" if image else "") + (
        "\\usepackage{hyperref}\n" if hyperref else ""
    )
    return make_project(
        "%! main.tex\n\\documentclass{article}\n"
        + pkg
        + "\\begin{document}\n"
        + body
        + "\\end{document}\n"
    )


def pt806(root: Path, compile_: bool = True) -> list:
    result = run_check(root, cfg=Config(compile=compile_, select=["PT806"]), use_cache=False)
    return [f for f in result.findings if f.code == "PT806"]


@pytest.mark.tex
@needs_tex
def test_a_figure_printed_pages_after_its_reference_fires(make_project):
    root = placement_paper(make_project, far=True)
    found = pt806(root)
    assert len(found) == 1, found
    assert found[0].location.file == "main.tex"
    msg = found[0].message
    assert msg.startswith("figure 'fig:err' is printed on page ")
    assert "after the last reference to it (page 1)" in msg
    page = int(msg.split("on page ")[1].split()[0])
    assert page >= 4  # four pages of text lie between the reference and the figure
    # without a build there is nothing to measure: silent, not a guess
    assert pt806(root, compile_=False) == []


@pytest.mark.tex
@needs_tex
@pytest.mark.parametrize("heading", ["Figures", "Figures and Tables", "Figure captions"])
def test_figures_collected_in_a_section_at_the_end_are_by_design(make_project, heading):
    # a submitted manuscript puts its figures after the text, as journals ask
    root = placement_paper(make_project, far=True)
    main = root / "main.tex"
    text = main.read_text().replace(
        "\\begin{figure}[t]", f"\\clearpage\n\\section*{{{heading}}}\n\\begin{{figure}}[t]"
    )
    main.write_text(text)
    assert pt806(root) == []


@pytest.mark.tex
@needs_tex
def test_links_from_the_list_of_figures_are_not_references(make_project):
    found = pt806(placement_paper(make_project, far=True, lof=True))
    assert len(found) == 1, found
    # the list of figures at the end links to the figure too; it is not "a reference after it"
    assert "after the last reference to it (page 1)" in found[0].message
    assert "between" not in found[0].message


@pytest.mark.tex
@needs_tex
def test_a_figure_next_to_its_reference_is_clean(make_project):
    assert pt806(placement_paper(make_project, far=False)) == []


def ahead_paper(make_project, *, start: int) -> Path:
    """The figure after `start` blocks of text (6 blocks fill about a page), its only
    reference about four pages later."""
    figure = (
        "\\begin{figure}[t]\\centering\\rule{6cm}{4cm}"
        "\\caption{Error against rounds: the error halves every round.}\\label{fig:err}"
        "\\end{figure}\n"
    )
    blocks = "\n\n".join([FILLER] * start)
    later = "\n\n".join([FILLER] * 24)
    return make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{hyperref}\n\\begin{document}\n"
        f"{blocks}\n{figure}{later}\n\nFigure~\\ref{{fig:err}} shows the error.\n\n{FILLER}\n"
        "\\end{document}\n"
    )


@pytest.mark.tex
@needs_tex
def test_a_figure_printed_pages_before_its_first_reference_fires(make_project):
    found = pt806(ahead_paper(make_project, start=14))
    assert len(found) == 1, found
    assert "pages before the first reference to it" in found[0].message


@pytest.mark.tex
@needs_tex
def test_a_teaser_figure_on_page_one_is_by_design(make_project):
    assert pt806(ahead_paper(make_project, start=0)) == []


@pytest.mark.tex
@needs_tex
def test_without_hyperref_links_the_rule_stays_silent(make_project):
    assert pt806(placement_paper(make_project, far=True, hyperref=False)) == []


@pytest.mark.tex
@needs_tex
def test_a_build_that_could_not_load_an_image_is_not_judged(make_project):
    # TeX sets an image it cannot load as a stand-in of another size: every float after it
    # lands elsewhere than in the paper, so no page distance of that build is the paper's
    from PIL import Image

    root = placement_paper(make_project, far=True, image=True)
    assert pt806(root) == []
    Image.new("RGB", (300, 200), "white").save(root / "plot.png")  # the twin has the image
    found = pt806(root)
    assert len(found) == 1, found
    assert "after the last reference to it (page 1)" in found[0].message


def test_label_anchors_read_the_fourth_field_through_nested_braces(tmp_path):
    (tmp_path / "main.aux").write_text(
        "\\newlabel{fig:a}{{3}{5}{A {\\em nested} caption}{figure.caption.7}{}}\n"
        "\\newlabel{fig:b}{{4}{6}}\n"  # no hyperref: no anchor
        "\\newlabel{sec:c}{{2}{1}{Intro}{section.2}{}}\n"
    )
    # memoir nests the number: {\M@TitleReference {2.1}{Title \cite {x}\relax }}
    (tmp_path / "ch.aux").write_text(
        "\\newlabel{fig:m}{{\\M@TitleReference {2.1}{Plot \\cite  {x}\\relax }}{6}"
        "{Plot \\cite {x}\\relax }{figure.caption.7b}{}}\n"
    )
    assert label_anchors(tmp_path) == {
        "fig:a": "figure.caption.7",
        "sec:c": "section.2",
        "fig:m": "figure.caption.7b",
    }
    assert label_folios(tmp_path) == {"fig:a": "5", "fig:b": "6", "sec:c": "1", "fig:m": "6"}


def _report(root: Path, fmt: str, compile_: bool, tmp: Path) -> str:
    from click.testing import CliRunner

    from papertrack.cli import main

    out = tmp / f"report.{fmt}"
    args = ["report", str(root), "--format", fmt, "-o", str(out)]
    result = CliRunner().invoke(main, args + ([] if compile_ else ["--no-compile"]))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_figures_section_without_a_build_says_so(make_project, tmp_path):
    root = placement_paper(make_project, far=True)
    text = _report(root, "md", False, tmp_path)
    section = text.split("### Figures as printed")[1].split("###")[0]
    assert "No build of the paper" in section
    assert "fig:err" in section and "![" not in section


@pytest.mark.tex
@needs_tex
def test_report_shows_each_figure_as_printed_beside_its_findings(make_project, tmp_path):
    import base64
    import io
    import re

    from PIL import Image

    root = placement_paper(make_project, far=True)
    before = sorted(p.name for p in root.rglob("*"))
    page = _report(root, "html", True, tmp_path)
    section = page.split("<h2>Figures as printed</h2>")[1].split("<h2>")[0]
    assert "fig:err" in section and "PT806" in section
    shots = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', section)
    assert len(shots) == 1
    image = Image.open(io.BytesIO(base64.b64decode(shots[0])))
    assert image.width > 100 and image.height > 100
    assert sorted(p.name for p in root.rglob("*")) == before  # nothing written into the paper


def test_figure_box_keeps_sub_figures_together_and_neighbours_apart():
    from papertrack.pages.thumbnails import figure_box

    # two sub-figures in a row under one anchor (caption package: anchor above the float)
    row = [(72.0, 500.0, 290.0, 650.0), (300.0, 500.0, 540.0, 650.0)]
    box = figure_box(row, (72.0, 660.0), [])
    assert box is not None and box[0] < 72 and box[2] > 540
    assert box[1] < 500 - 30  # room for the caption under the graphics
    # the same two images as two figures side by side in two columns, each with its anchor
    left = figure_box(row, (72.0, 660.0), [(300.0, 660.0)])
    right = figure_box(row, (300.0, 660.0), [(72.0, 660.0)])
    assert left is not None and right is not None
    assert left[2] < 300 and right[0] > 290
    # no graphic near the anchor (a TikZ figure): no crop, the whole page is shown
    assert figure_box(row, (72.0, 100.0), []) is None
    assert figure_box([], (72.0, 660.0), []) is None


@pytest.mark.tex
@needs_tex
def test_a_build_without_shell_escape_for_minted_is_not_judged(make_project):
    # minted stops at each listing without -shell-escape (papertrack never grants it): the
    # listings are missing from the PDF and the floats after them land elsewhere than in the
    # paper (cric96/phd-thesis); the twin without minted still fires
    root = placement_paper(make_project, far=True)
    main = root / "main.tex"
    text = main.read_text()
    listing = "\\begin{minted}{python}\nprint('a listing')\n\\end{minted}\n"
    main.write_text(
        text.replace("\\begin{document}\n", "\\usepackage{minted}\n\\begin{document}\n" + listing)
    )
    assert pt806(root) == []
    main.write_text(text)
    assert len(pt806(root)) == 1


def test_xetex_s_missing_image_wording_is_a_missing_graphic():
    from papertrack.pages.record import parse_log_facts

    log = (
        "(./main.tex\n./main.tex:9: Unable to load picture or PDF file 'plot.png'.\n"
        "<to be read again> \n                   }\nl.9 \\includegraphics{plot.png}\n"
        ")\nOutput written on main.pdf (5 pages).\n"
    )
    facts = parse_log_facts(log)
    assert list(facts["missing"]) == ["plot.png"]
    assert facts["errors"] == []


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("xelatex") is None,
    reason="TeX Live with XeLaTeX is not installed",
)
def test_a_xelatex_build_records_the_image_it_could_not_load(make_project):
    # XeTeX says "Unable to load picture or PDF file" where pdfTeX says "File not found"
    # (OUCyf/My-Master-Thesis: 24 PT806 from one missing figure PDF): the build's record must
    # know the image is missing, which keeps PT806 from judging that build
    root = placement_paper(make_project, far=True, image=True)
    main = root / "main.tex"
    main.write_text("% !TEX program = xelatex\n" + main.read_text())
    r = run_check(root, cfg=Config(select=["PT806"]), use_cache=False)
    assert list(r.document.record.missing_graphics) == ["plot.png"]
    assert [f for f in r.findings if f.code == "PT806"] == []


@pytest.mark.tex
@needs_tex
def test_a_figure_held_back_behind_earlier_floats_says_so(make_project):
    # each figure's source follows its reference; tall floats queue up and print pages later
    figs = "".join(
        f"Figure~\\ref{{fig:f{i}}} shows round {i}.\n"
        f"\\begin{{figure}}[tb]\\centering\\rule{{6cm}}{{0.7\\textheight}}"
        f"\\caption{{Round {i}: the error against time.}}\\label{{fig:f{i}}}\\end{{figure}}\n"
        for i in range(5)
    )
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{hyperref}\n\\begin{document}\n"
        f"\\section{{Results}}\n{figs}\n{FILLER}\n\\end{{document}}\n"
    )
    found = pt806(root)
    assert found, "the queued figures print pages after their references"
    assert all("already follows the reference" in (f.fix or "") for f in found)
