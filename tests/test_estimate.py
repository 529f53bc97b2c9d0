"""The page estimate from the layout a paper asks for: text block, fonts, floats, the last build."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from papertrack.accounting import estimate_pages, remember_build
from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model import fontmetrics
from papertrack.model.imagesize import image_size
from papertrack.model.layout import page_layout
from papertrack.model.measure import measure
from papertrack.model.pages import estimate

needs_tex = pytest.mark.skipif(
    shutil.which("pdflatex") is None and not os.environ.get("CI"), reason="TeX not installed"
)

PROSE = (
    "We study how the length of a written report depends on the layout that the authors "
    "choose, and we show that a careful reading of the source predicts the pages. "
)


def doc_of(make_project, preamble: str, body: str, extra: str = ""):
    spec = f"%! main.tex\n{preamble}\n\\begin{{document}}\n{body}\n\\end{{document}}\n{extra}"
    return run_check(make_project(spec), cfg=Config(compile=False)).document


def tex_layout(tmp_path: Path, preamble: str) -> dict[str, float]:
    """The text block pdfLaTeX makes of a preamble: \\textwidth, \\textheight, ... in pt."""
    src = tmp_path / "probe.tex"
    src.write_text(
        preamble + "\n\\begin{document}\\makeatletter\\immediate\\write16{LAYOUT|"
        "\\the\\textwidth|\\the\\textheight|\\the\\columnwidth|\\the\\baselineskip|"
        "\\if@twocolumn 2\\else 1\\fi|}\\end{document}\n"
    )
    out = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-draftmode", "probe.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env={**os.environ, "max_print_line": "10000"},
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("LAYOUT|"))
    tw, th, cw, bls, cols = line.split("|")[1:6]
    return {
        "text_width": float(tw[:-2]),
        "text_height": float(th[:-2]),
        "column_width": float(cw[:-2]),
        "baselineskip": float(bls[:-2]),
        "columns": int(cols),
    }


PREAMBLES = [
    "\\documentclass{article}",
    "\\documentclass[11pt,a4paper]{article}",
    "\\documentclass[12pt]{report}",
    "\\documentclass[twocolumn]{article}",
    "\\documentclass{article}\n\\usepackage[margin=1in]{geometry}",
    "\\documentclass[11pt]{article}\n\\usepackage[left=2cm,right=3cm,top=2.5cm,bottom=2.5cm]{geometry}",
    "\\documentclass{article}\n\\setlength{\\textwidth}{6in}\n\\setlength{\\textheight}{9in}",
    "\\documentclass[conference]{IEEEtran}",
    "\\documentclass{llncs}" if shutil.which("kpsewhich") else "\\documentclass{article}",
    "\\documentclass{article}\n\\usepackage{times}\n\\linespread{1.3}",
    # a commented-out option on its own line (REVTeX's template) hides none of the others
    "\\documentclass[%\n%draft,\n twocolumn,%\n%final,\n a4paper]{article}",
    *(
        ["\\documentclass[linenumbers]{aastex631}", "\\documentclass[usenatbib]{mnras}"]
        if shutil.which("kpsewhich")
        else []
    ),
]


@needs_tex
@pytest.mark.tex
@pytest.mark.parametrize("preamble", PREAMBLES)
def test_the_text_block_is_the_one_tex_makes(make_project, tmp_path, preamble):
    lay = page_layout(doc_of(make_project, preamble, PROSE))
    tex = tex_layout(tmp_path, preamble)
    assert lay.text_width == pytest.approx(tex["text_width"], abs=2)
    assert lay.text_height == pytest.approx(tex["text_height"], abs=3)
    assert lay.column_width == pytest.approx(tex["column_width"], abs=2)
    assert lay.columns == tex["columns"]
    # \linespread scales the line pitch at \selectfont time, after \begin{document}
    if "linespread" not in preamble:
        assert lay.baselineskip == pytest.approx(tex["baselineskip"], abs=0.1)


def test_a_venue_style_the_paper_ships_sets_the_page(make_project):
    style = (
        "%! myvenue.sty\n\\setlength\\textwidth{7.0in}\n\\setlength\\textheight{9.0in}\n"
        "\\setlength\\columnsep{0.25in}\n\\RequirePackage{times}\n\\flushbottom \\twocolumn \\sloppy\n"
    )
    doc = doc_of(
        make_project, "\\documentclass[10pt]{article}\n\\usepackage{myvenue}", PROSE, style
    )
    lay = page_layout(doc)
    assert lay.columns == 2 and lay.font == "times"
    assert lay.text_width == pytest.approx(505.9, abs=0.5)
    assert lay.column_width == pytest.approx((505.9 - 18.07) / 2, abs=0.5)
    assert any("myvenue.sty" in e for e in lay.evidence)


def test_a_style_files_option_branches_do_not_switch_columns(make_project):
    style = (
        "%! journal.cls\n\\LoadClass[a4paper,11pt]{article}\n"
        "\\if@twocolumn\\twocolumn[\\@maketitle]\\fi\n"
        "\\def\\endtitlepage{\\if@restonecol\\twocolumn \\else \\newpage \\fi}\n"
    )
    doc = doc_of(make_project, "\\documentclass{journal}", PROSE, style)
    lay = page_layout(doc)
    assert lay.columns == 1
    assert lay.text_width == pytest.approx(360.0) and lay.size == 11  # from the loaded class


def test_tfm_metrics_agree_with_the_measured_table():
    if fontmetrics.tfm_word_em("cm") is None:
        pytest.skip("no TeX fonts here")
    for font, measured in fontmetrics.MEASURED_EM.items():
        got = fontmetrics.tfm_word_em(font)
        if got is not None:
            assert got == pytest.approx(measured, rel=0.02), font
    # Times sets more words in a line than Computer Modern, Bookman fewer
    assert fontmetrics.word_width_em("times") < fontmetrics.word_width_em("cm")
    assert fontmetrics.word_width_em("bookman") > fontmetrics.word_width_em("cm")


def png(path: Path, width: int, height: int, dpi: int = 72) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ppm = round(dpi / 0.0254)
    raw = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_image_sizes_come_from_their_headers(tmp_path):
    w, h = image_size(png(tmp_path / "a.png", 300, 150, dpi=150))
    assert w == pytest.approx(300 / 150 * 72.27, rel=0.01) and h == pytest.approx(w / 2, rel=0.01)
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Page /MediaBox [0 0 200 100] >> endobj\n")
    assert image_size(pdf) == pytest.approx((200 * 1.00375, 100 * 1.00375))
    assert image_size(tmp_path / "missing.png") is None


def test_a_tall_figure_takes_more_lines_than_a_wide_one(make_project):
    base = "\\documentclass{article}\n\\usepackage{graphicx}"
    fig = (
        "\\begin{figure}\\includegraphics[width=\\linewidth]{img}\\caption{A figure.}\\end{figure}"
    )
    lines = {}
    for name, (w, h) in {"wide": (400, 100), "tall": (400, 200)}.items():
        folder = make_project(
            f"%! main.tex\n{base}\n\\begin{{document}}\n{PROSE}\n{fig}\n\\end{{document}}"
        )
        png(folder / "img.png", w, h)
        doc = run_check(folder, cfg=Config(compile=False)).document
        lines[name] = measure(doc, page_layout(doc)).float_lines
    # the width is the line's (345pt): the height follows the image's own aspect ratio,
    # 86pt for the wide one, 172pt for the taller one: 86pt more at a 12pt line pitch
    assert lines["tall"] - lines["wide"] == pytest.approx(345 / 4 / 12, abs=0.3)
    # a figure can be no taller than the page
    spec = f"%! main.tex\n{base}\n\\begin{{document}}\n{PROSE}\n{fig}\n\\end{{document}}"
    folder = make_project(spec)
    png(folder / "img.png", 100, 1000)
    doc = run_check(folder, cfg=Config(compile=False)).document
    assert measure(doc, page_layout(doc)).float_lines < 550 / 12 + 5


def test_two_columns_and_a_larger_font_change_the_estimate(make_project):
    body = "\n\n".join([PROSE * 6] * 40)
    one = estimate(doc_of(make_project, "\\documentclass[12pt]{article}", body), None)
    two = estimate(
        doc_of(make_project, "\\documentclass[twocolumn]{article}\\usepackage{times}", body), None
    )
    # 12pt on a 390pt line vs 10pt Times on two 229pt columns of a longer page
    assert one.main_pages > 1.6 * two.main_pages
    assert one.error >= 1.0 and "words" in one.notes[0]


def test_displayed_math_lists_and_headings_take_space(make_project):
    plain = doc_of(make_project, "\\documentclass{article}", PROSE * 10)
    math = "\\begin{align}a&=b\\\\c&=d\\\\e&=f\\end{align}\n\\[ x = y \\]\n"
    rich = doc_of(
        make_project,
        "\\documentclass{article}",
        "\\section{One}\n" + PROSE * 10 + math + "\\begin{itemize}\\item a\\item b\\end{itemize}",
    )
    m0 = measure(plain, page_layout(plain))
    m1 = measure(rich, page_layout(rich))
    assert m1.displays == 2 and m1.math_lines > 4
    assert m1.heading_lines > m0.heading_lines and m1.list_lines > 0
    # a line break with spacing (\\[2pt]) opens no display
    odd = doc_of(make_project, "\\documentclass{article}", PROSE + "\\\\[2pt] " + PROSE * 10)
    assert measure(odd, page_layout(odd)).displays == 0


def test_the_last_build_plus_the_edits_since(make_project):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        + "\n\n".join([PROSE * 3] * 20)
        + "\n\\end{document}\n"
    )
    doc = run_check(folder, cfg=Config(compile=False)).document
    assert estimate_pages(doc, 8).method == "estimate"  # no build yet
    remember_build(doc, 3.40, None)
    same = estimate_pages(doc, 8)
    assert same.method == "exact" and same.since is not None
    assert same.main_pages == pytest.approx(3.40, abs=0.01)
    # the figure is the build's, printed once: not "3.40 pages (exact at the last build (3.40); ...)"
    assert "exact at the last build; no change in length since" in same.summary
    assert same.summary.count("3.40") == 1, same.summary
    main = folder / "main.tex"
    main.write_text(main.read_text().replace("\\end{document}", PROSE * 30 + "\n\\end{document}"))
    grown = estimate_pages(run_check(folder, cfg=Config(compile=False)).document, 8)
    added = grown.since.lines
    assert added > 20 and grown.main_pages == pytest.approx(
        3.40 + added / grown.since.lines_per_page, abs=0.01
    )
    assert "+ about" in grown.summary and "lines since" in grown.summary


def test_history_points_use_the_papers_own_last_build(make_project, tmp_path):
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        + "\n\n".join([PROSE * 3] * 20)
        + "\n\\end{document}\n"
    )
    remember_build(run_check(folder, cfg=Config(compile=False)).document, 3.40, None)
    # an older commit checked out elsewhere: a third of the text was not written yet
    older = tmp_path / "checkout"
    shutil.copytree(folder, older)
    main = older / "main.tex"
    main.write_text(main.read_text().replace(PROSE * 3 + "\n\n", "", 7))
    doc = run_check(older, cfg=Config(compile=False)).document
    assert estimate_pages(doc, 8).method == "estimate"  # that folder was never built
    point = estimate_pages(doc, 8, paper_folder=folder)
    assert point.since is not None and point.since.lines < -20
    assert point.main_pages < 3.40


def test_an_escaped_brace_does_not_stretch_a_footnote(make_project):
    # TeX reads \{ as a character: the footnote ends at its own closing brace, and the prose
    # after it is text, not footnote lines
    def lines(note: str) -> float:
        doc = doc_of(
            make_project, "\\documentclass{article}", f"A\\footnote{{{note}}} " + PROSE * 10
        )
        return measure(doc, page_layout(doc)).footnote_lines

    assert lines("the set $\\{1, 2$ only") == pytest.approx(lines("the set $(1, 2$ only"))
    assert lines("the set $\\{1, 2$ only") < 2
