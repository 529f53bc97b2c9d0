"""Figures as printed: PT801 small text in vector figures, PT802 low-resolution bitmaps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import pdflatex
from PIL import Image
from rule_fixtures import SECTIONS, paper

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model.printsize import Layout, Sizing, length_pt, printed_factor
from papertrack.parse.images import pdf_facts, raster_facts


def write_pdf(
    path: Path,
    width_bp: float,
    height_bp: float,
    font_pt: float,
    text="Accuracy",
    crop="",
    extra="",
) -> None:
    """A one-page PDF drawing `text` the way matplotlib does (Tf size, identity Tm); `crop` a
    /CropBox entry; `extra` more content-stream operators."""
    stream = f"BT /F1 {font_pt} Tf 1 0 0 1 20 20 Tm ({text}) Tj ET {extra}".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_bp} {height_bp}] {crop}"
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def project(make_project, body: str, cls: str = "article") -> Path:
    spec = paper(SECTIONS + body).replace("\\documentclass{article}", f"\\documentclass{{{cls}}}")
    root = make_project(spec)
    (root / "figs").mkdir(exist_ok=True)
    return root


def codes(root: Path, code: str) -> list:
    result = run_check(root, cfg=Config(compile=False), use_cache=False)
    return [f for f in result.findings if f.code == code]


def fig(opts: str, name: str, env: str = "figure") -> str:
    return (
        f"\\begin{{{env}}}\\centering\\includegraphics[{opts}]{{figs/{name}}}"
        f"\\caption{{A plot.}}\\label{{fig:{name.split('.')[0]}}}\\end{{{env}}} "
        f"See Figure~\\ref{{fig:{name.split('.')[0]}}}.\n"
    )


def test_pdf_text_sizes_are_read(tmp_path):
    write_pdf(tmp_path / "a.pdf", 460.8, 345.6, 10)
    facts = pdf_facts(tmp_path / "a.pdf")
    assert facts is not None
    assert (round(facts.width_bp, 1), round(facts.height_bp, 1)) == (460.8, 345.6)
    assert facts.smallest().size == 10 and facts.smallest().text == "Accuracy"
    assert pdf_facts(tmp_path / "missing.pdf") is None
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 garbage")
    assert pdf_facts(tmp_path / "junk.pdf") is None


def test_lengths_and_factors():
    lay = Layout(text_width=500, column_width=240, text_height=650, exact=True)
    assert length_pt("0.5\\textwidth", 240, lay) == 250
    assert length_pt("\\columnwidth", 240, lay) == 240
    assert length_pt(".5\\linewidth", 100, lay) == 50
    assert length_pt("\\textwidth", 100, lay, in_box=True) == 100  # a minipage resets it
    assert round(length_pt("1in", 240, lay), 2) == 72.27
    assert length_pt("\\figwidth", 240, lay) is None
    assert length_pt("3", 240, lay) is None
    assert printed_factor(Sizing(width=230.4), 460.8, 345.6) == 0.5
    assert printed_factor(Sizing(height=100, width=100, keepaspectratio=True), 200, 400) == 0.25
    assert printed_factor(Sizing(scale=0.3), 100, 100) == 0.3
    assert printed_factor(Sizing(), 100, 100) == 1.0


def test_small_text_fires_on_a_wide_figure_in_a_column(make_project):
    # matplotlib's default 6.4 x 4.8 in figure with 8 pt tick labels, printed 0.3\textwidth wide
    root = project(make_project, fig("width=0.3\\textwidth", "wide.pdf"))
    write_pdf(root / "figs/wide.pdf", 460.8, 345.6, 8)
    found = codes(root, "PT801")
    assert [(f.location.file, f.location.line) for f in found] == [("main.tex", 13)]
    assert "prints at about 1.9 pt" in found[0].message
    assert "the body text is 10 pt" in found[0].message
    assert found[0].fix.endswith("enlarge its fonts 4.3x")  # to 8 pt, the advice's smallest


def test_small_text_clean_twins(make_project):
    # the same file at full width, a figure made at its printed size, and text outlined to paths
    body = (
        fig("width=\\textwidth", "wide.pdf")
        + fig("width=\\linewidth", "sized.pdf")
        + fig("width=0.3\\textwidth", "outlined.pdf")
        + fig("width=0.3\\textwidth,trim=0 0 10 10,clip", "cropped.pdf")
        + "\\resizebox{0.2\\textwidth}{!}{\\includegraphics{figs/boxed.pdf}}\n"
    )
    root = project(make_project, body)
    write_pdf(root / "figs/wide.pdf", 460.8, 345.6, 8)
    write_pdf(root / "figs/sized.pdf", 240, 180, 8)
    write_pdf(root / "figs/outlined.pdf", 460.8, 345.6, 8, text="")
    write_pdf(root / "figs/cropped.pdf", 460.8, 345.6, 8)
    write_pdf(root / "figs/boxed.pdf", 460.8, 345.6, 8)
    assert codes(root, "PT801") == []


def test_a_crop_box_larger_than_the_media_box_does_not_shrink_the_text(make_project, tmp_path):
    """Drawing tools (Keynote, Illustrator exports) may write a /CropBox larger than the
    /MediaBox; the page that prints is their intersection, and pdfTeX includes that."""
    root = project(make_project, fig("width=0.5\\linewidth", "drawn.pdf"))
    write_pdf(root / "figs/drawn.pdf", 120, 90, 9, crop="/CropBox [0 0 720 540] ")
    facts = pdf_facts(root / "figs/drawn.pdf")
    assert facts is not None and (facts.width_bp, facts.height_bp) == (120, 90)
    assert codes(root, "PT801") == []  # 9 pt enlarged to 13 pt (read as 720 bp wide: 2 pt)
    if shutil.which("pdflatex"):
        out = tmp_path / "out"
        out.mkdir()
        log = pdflatex(root, out)
        assert (
            "<figs/drawn.pdf, id=" in log and "120.45" in log.split("figs/drawn.pdf, id=")[1][:40]
        )


def test_subfigure_width_is_the_box_width(make_project):
    body = (
        "\\begin{figure*}\\begin{subfigure}{0.49\\textwidth}\\includegraphics[width=\\textwidth]"
        "{figs/a.pdf}\\caption{A.}\\end{subfigure}\\caption{Two.}\\label{fig:two}\\end{figure*}"
        " See Figure~\\ref{fig:two}.\n"
    )
    root = project(make_project, body)
    # 8 pt in a 460 bp figure printed ~0.49 x 360 pt wide: 3.1 pt; if the subfigure's \textwidth
    # were the page's, it would print at 6.3 pt and stay silent
    write_pdf(root / "figs/a.pdf", 460.8, 345.6, 8)
    found = codes(root, "PT801")
    assert len(found) == 1 and "prints at about 3.1 pt" in found[0].message, found


def png(path: Path, w: int, h: int, dpi: int | None = None) -> None:
    img = Image.new("RGB", (w, h), "white")
    img.save(path, dpi=(dpi, dpi)) if dpi else img.save(path)


def test_low_resolution_fires_on_a_small_bitmap_printed_wide(make_project):
    root = project(make_project, fig("width=\\textwidth", "shot.png"))
    png(root / "figs/shot.png", 480, 360)
    found = codes(root, "PT802")
    assert [(f.location.file, f.location.line) for f in found] == [("main.tex", 13)]
    assert "480x360 px" in found[0].message and "pixels per inch" in found[0].message
    assert raster_facts(root / "figs/shot.png").width_px == 480


def test_low_resolution_natural_size_uses_the_images_own_dpi(make_project):
    # no width: pdfTeX prints it at its stored resolution (72 ppi when it has none)
    root = project(make_project, fig("", "plain72.png") + fig("", "hi.png"))
    png(root / "figs/plain72.png", 300, 200)
    png(root / "figs/hi.png", 300, 200, dpi=300)
    found = codes(root, "PT802")
    assert [f.location.line for f in found] == [13], [f.message for f in found]


def test_low_resolution_clean_twin(make_project):
    root = project(make_project, fig("width=\\textwidth", "big.png") + fig("width=1in", "s.png"))
    png(root / "figs/big.png", 2400, 1600)
    png(root / "figs/s.png", 300, 300)
    assert codes(root, "PT802") == []


@pytest.mark.parametrize("code", ["PT801", "PT802", "PT803", "PT804", "PT805", "PT806"])
def test_rules_are_registered_with_docs(code):
    from papertrack.rules.registry import all_rules

    rule = all_rules()[code]
    assert rule.family == "figures"
    assert "Why it matters" in rule.doc


def caption_fig(caption: str, name: str) -> str:
    return (
        f"\\begin{{figure}}\\includegraphics{{figs/{name}}}\\caption{{{caption}}}"
        f"\\label{{fig:{name}}}\\end{{figure}} See Figure~\\ref{{fig:{name}}}.\n"
    )


def test_caption_not_standalone_fires_on_a_name_and_on_see_text(make_project):
    body = caption_fig("Results.", "a") + caption_fig("Throughput; see text for details.", "b")
    root = project(make_project, body)
    found = codes(root, "PT803")
    assert [f.location.line for f in found] == [13, 14]
    assert "'Results.'" in found[0].message and "sends the reader" in found[1].message


def test_caption_not_standalone_clean_twin(make_project):
    body = (
        caption_fig("Accuracy against training time: pruning halves the time to 90\\%.", "a")
        + caption_fig("系统架构与数据流示意图", "b")  # seven characters: a phrase, not a name
    )
    root = project(make_project, body)
    assert codes(root, "PT803") == []


def test_small_text_in_many_graphics_of_one_table_is_one_finding(make_project):
    # a table of molecule drawings printed at scale=0.2: every drawing's labels are tiny, and
    # the writer meets one finding for the table, with each graphic as a related location
    rows = "".join(f"{i} & \\includegraphics[scale=0.2]{{figs/m{i}.pdf}} \\\\\n" for i in range(5))
    table = (
        "\\begin{table}\\centering\\begin{tabular}{ll}\n" + rows + "\\end{tabular}"
        "\\caption{Molecules.}\\label{tab:m}\\end{table} See Table~\\ref{tab:m}.\n"
    )
    root = project(make_project, table + fig("width=\\textwidth", "wide.pdf"))
    for i in range(5):
        write_pdf(root / f"figs/m{i}.pdf", 200, 200, 10 - i)
    write_pdf(root / "figs/wide.pdf", 1400, 500, 9)
    found = codes(root, "PT801")
    assert len(found) == 2, [f.message for f in found]
    (tab,) = [f for f in found if "m" in f.message and "wide" not in f.message]
    # the worst drawing (6 pt labels at 0.2: 1.2 pt) carries the finding, the four others relate
    assert "figs/m4.pdf" in tab.message and "1.2 pt" in tab.message
    assert "4 more graphics" in tab.message and "this table" in tab.message
    assert len(tab.related) == 4


@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="needs TeX's classes")
def test_a_class_with_a_measured_text_block_sizes_its_figures(make_project):
    # aastex631 sets a 7.1in text block (TeX's \textwidth: 513pt), not article's 345pt: a 7in
    # plot with 7 pt labels at 0.8\textwidth prints them at 5.7 pt, not 4.0 pt
    root = project(make_project, fig("width=0.8\\textwidth", "wide.pdf"), cls="aastex631")
    write_pdf(root / "figs/wide.pdf", 504, 504, 7)
    assert codes(root, "PT801") == []
    # mnras sets its body in 9 pt
    root = project(make_project, fig("width=0.3\\textwidth", "wide.pdf"), cls="mnras")
    write_pdf(root / "figs/wide.pdf", 460.8, 345.6, 8)
    assert "the body text is 9 pt" in codes(root, "PT801")[0].message


def test_text_hidden_at_size_one_is_no_label(make_project):
    # matplotlib scripts hide a shared axis's tick labels by drawing them at size 1: no reader
    # sees them, the legend is the smallest label (9 pt printed at 0.3: 2.8 pt, too small)
    root = project(make_project, fig("width=0.3\\textwidth", "shared.pdf"))
    hidden = "BT /F1 1 Tf 1 0 0 1 300 20 Tm (10) Tj ET BT /F1 0.7 Tf 1 0 0 1 301 21 Tm (3) Tj ET"
    write_pdf(root / "figs/shared.pdf", 345, 250, 9, text="Legend", extra=hidden)
    found = codes(root, "PT801")
    assert len(found) == 1 and "'Legend'" in found[0].message
    write_pdf(root / "figs/shared.pdf", 345, 250, 20, text="Legend", extra=hidden)
    assert codes(root, "PT801") == []
