"""PT804: series colours a colour-blind reader cannot tell apart, in vector PDFs and bitmaps."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw
from rule_fixtures import SECTIONS, paper

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model.colourblind import confusions, series_colours
from papertrack.parse.colours import Swatch, pdf_colours, raster_colours

# matplotlib's tab10: red and green collapse under deuteranopia, blue and orange never do
RED, GREEN = (0.839, 0.153, 0.157), (0.173, 0.627, 0.173)
BLUE, ORANGE = (0.122, 0.467, 0.706), (1.0, 0.498, 0.055)


def stream(dictionary: str, content: str) -> bytes:
    data = content.encode()
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def write_pdf(
    path: Path, content: str, resources: str = "", extra: tuple[bytes, ...] = (), w=460, h=345
) -> None:
    """A one-page PDF with the given content stream (the way plotting libraries write them);
    `extra` objects are numbered from 5."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << {resources} >> "
        "/Contents 4 0 R >>".encode(),
        stream("", content),
        *extra,
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


def line(rgb, phase: float, op: str = "RG", width: float = 1.5) -> str:
    """A wavy series line across the plot area, in the given stroke colour."""
    pts = [(60 + 6 * i, 170 + 90 * math.sin(i / 8 + phase)) for i in range(60)]
    path = f"{pts[0][0]:.1f} {pts[0][1]:.1f} m " + " ".join(
        f"{x:.1f} {y:.1f} l" for x, y in pts[1:]
    )
    return f"q {width} w {rgb[0]} {rgb[1]} {rgb[2]} {op} {path} S Q\n"


def plot(a, b, extra: str = "") -> str:
    """A line plot: black axes, grey grid, two series, a title in black text."""
    axes = "q 0 G 0.8 w 50 40 m 50 320 l 420 40 m 50 40 l S 0.8 G 40 180 m 420 180 l S Q\n"
    text = "BT /F1 10 Tf 200 330 Td (Accuracy) Tj ET\n"
    return axes + line(a, 0) + line(b, 2) + text + extra


def test_series_colours_are_read_from_strokes_and_fills(tmp_path):
    legend = "q 1 0 1 rg 400 300 6 6 re f Q\n"  # a magenta legend patch: too small to be a series
    write_pdf(tmp_path / "p.pdf", plot(RED, GREEN, legend))
    sw = pdf_colours(tmp_path / "p.pdf")
    assert sw is not None
    hexes = {s.hex for s in series_colours(sw)}
    assert hexes == {"#d62728", "#2ca02c"}, hexes  # black axes, grey grid, magenta patch: not
    assert pdf_colours(tmp_path / "missing.pdf") is None


def test_colour_spaces_cmyk_icc_scn_forms_and_transparency(tmp_path):
    # the same red line drawn as CMYK, through a named colour space with scn, inside a form
    # XObject scaled by cm, and a translucent fill that prints as pink on white
    content = (
        "q 0 0.82 0.81 0.16 K 1.5 w 60 100 m 400 100 l S Q\n"
        "q /CS0 CS 0.173 0.627 0.173 SCN 1.5 w 60 200 m 400 200 l S Q\n"
        "q 2 0 0 2 0 0 cm /Fm0 Do Q\n"
        "q /A gs 0 0 1 rg 60 250 300 40 re f Q\n"
    )
    form = "q 0.122 0.467 0.706 RG 1 w 30 20 m 200 20 l S Q"
    res = "/ColorSpace << /CS0 /DeviceRGB >> /XObject << /Fm0 5 0 R >> /ExtGState << /A << /ca 0.2 >> >>"
    write_pdf(tmp_path / "c.pdf", content, res, (stream("/Type /XObject /Subtype /Form", form),))
    sw = {s.hex: s.ink for s in pdf_colours(tmp_path / "c.pdf")}
    assert "#2ca02c" in sw and "#1f77b4" in sw
    assert any(h.startswith("#d6") for h in sw), sw  # CMYK 0 .82 .81 .16 is about #d62728
    # the form's line is 2x longer and 2x wider than drawn: 4x its own length x width
    assert abs(sw["#1f77b4"] * 460 * 345 - 170 * 2 * 2) < 1
    assert "#ccccff" in sw  # 20% blue on white


def test_confusions_follow_the_simulation():
    red, green = Swatch(RED, 0.01), Swatch(GREEN, 0.01)
    blue, orange = Swatch(BLUE, 0.01), Swatch(ORANGE, 0.01)
    found = confusions([red, green])
    assert len(found) == 1 and found[0].deficiency == "deuteranopia"
    assert found[0].normal > 60 and found[0].simulated < 5
    assert confusions([blue, orange]) == []
    # a grey and a near-twin shade are not series of their own
    assert series_colours(
        [Swatch((0.5, 0.5, 0.5), 0.2), blue, Swatch((0.13, 0.47, 0.7), 0.01)]
    ) == [Swatch(BLUE, 0.02)]
    # a colour map: more colours than any categorical palette
    ramp = [Swatch((i / 20, 0.2, 1 - i / 20), 0.01) for i in range(20)]
    assert series_colours(ramp) is None


def bars_png(path: Path, a, b) -> None:
    img = Image.new("RGB", (600, 400), "white")
    d = ImageDraw.Draw(img)
    d.line([(40, 360), (580, 360)], fill="black", width=2)
    for i, c in enumerate([a, b, a, b]):
        d.rectangle(
            [80 + i * 120, 120 + 30 * i, 160 + i * 120, 358], fill=tuple(round(v * 255) for v in c)
        )
    img.save(path)


def test_raster_flat_colours_and_photographs(tmp_path):
    bars_png(tmp_path / "bars.png", RED, GREEN)
    assert {s.hex for s in series_colours(raster_colours(tmp_path / "bars.png"))} == {
        "#d62728",
        "#2ca02c",
    }
    noise = Image.effect_noise((300, 200), 80).convert("RGB")
    noise.save(tmp_path / "photo.jpg")
    assert raster_colours(tmp_path / "photo.jpg") is None


def test_raster_modes_read_as_painted_over_white(tmp_path):
    """A large plot saved as RGB, RGBA (opaque or on a transparent background) or a palette
    image gives the same colours and shares: what a reader sees on the white page."""
    bars_png(tmp_path / "rgb.png", RED, GREEN)
    big = Image.open(tmp_path / "rgb.png").resize((1500, 1000), Image.NEAREST)
    big.save(tmp_path / "big.png")
    big.convert("RGBA").save(tmp_path / "opaque.png")
    big.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(tmp_path / "palette.png")
    clear = big.convert("RGBA")
    clear.putdata(
        [(r, g, b, 0 if (r, g, b) == (255, 255, 255) else 255) for r, g, b in big.getdata()]
    )
    clear.save(tmp_path / "clear.png")
    want = raster_colours(tmp_path / "big.png")
    assert {s.hex for s in series_colours(want)} == {"#d62728", "#2ca02c"}
    for name in ("opaque.png", "palette.png", "clear.png"):
        assert raster_colours(tmp_path / name) == want, name
    half = big.convert("RGBA")
    half.putalpha(128)  # half-transparent everywhere: paler colours over white
    half.save(tmp_path / "half.png")
    assert raster_colours(tmp_path / "half.png") != want


def project(make_project, body: str) -> Path:
    root = make_project(paper(SECTIONS + body))
    (root / "figs").mkdir(exist_ok=True)
    return root


def fig(name: str, opts: str = "width=\\linewidth", env: str = "figure") -> str:
    stem = name.split(".")[0]
    return (
        f"\\begin{{{env}}}\\centering\\includegraphics[{opts}]{{figs/{name}}}"
        f"\\caption{{Accuracy of two models.}}\\label{{fig:{stem}}}\\end{{{env}}} "
        f"See Figure~\\ref{{fig:{stem}}}.\n"
    )


def pt804(root: Path) -> list:
    result = run_check(root, cfg=Config(compile=False), use_cache=False)
    return [f for f in result.findings if f.code == "PT804"]


def test_red_green_plots_fire(make_project):
    # a float environment of the paper's own (\\newfloat{suppfigure}) is a figure too
    body = fig("rg.pdf") + fig("bars.png") + fig("s.pdf", env="suppfigure")
    root = project(make_project, body)
    write_pdf(root / "figs/rg.pdf", plot(RED, GREEN))
    write_pdf(root / "figs/s.pdf", plot(RED, GREEN))
    bars_png(root / "figs/bars.png", RED, GREEN)
    found = pt804(root)
    assert [(f.location.file, f.location.line) for f in found] == [
        ("main.tex", 13),
        ("main.tex", 14),
        ("main.tex", 15),
    ]
    assert "#d62728 and #2ca02c look alike with deuteranopia" in found[0].message


def test_clean_twins_stay_silent(make_project):
    body = (
        fig("bo.pdf")  # blue and orange: safe
        + fig("rg.pdf", "width=\\linewidth,trim=0 0 200 0,clip")  # cropped: colours may be hidden
        + "\\includegraphics{figs/logo.pdf}\n"  # not in a figure: a logo, not a plot
        + fig("bars.png")
    )
    root = project(make_project, body)
    write_pdf(root / "figs/bo.pdf", plot(BLUE, ORANGE))
    write_pdf(root / "figs/rg.pdf", plot(RED, GREEN))
    write_pdf(root / "figs/logo.pdf", plot(RED, GREEN))
    bars_png(root / "figs/bars.png", BLUE, ORANGE)
    assert pt804(root) == []


def appendix_paper(main_ref: bool, sub: bool = False) -> str:
    """A figure in Section 1; a reference from an included appendix file, and maybe one in the
    main text."""
    label = "\\label{fig:abl}"
    inner = (
        "\\begin{subfigure}{.4\\linewidth}\\caption{a}\\label{fig:abl-a}\\end{subfigure}"
        if sub
        else ""
    )
    body = (
        "\\section{Method}\nWe train.\n"
        f"\\begin{{figure}}{inner}\\caption{{Ablation of the loss terms.}}{label}\\end{{figure}}\n"
        + ("As Figure~\\ref{fig:abl} shows, it works.\n" if main_ref else "It works.\n")
        + "\\appendix\n\\input{app}\n"
    )
    target = "fig:abl-a" if sub else "fig:abl"
    return paper(body, f"%! app.tex\n\\section{{More}}\nDetails in Figure~\\ref{{{target}}}.\n")


def pt805(root: Path) -> list:
    result = run_check(root, cfg=Config(compile=False), use_cache=False)
    return [f for f in result.findings if f.code == "PT805"]


def test_main_text_figure_referenced_only_from_the_appendix_fires(make_project):
    for sub in (False, True):
        found = pt805(make_project(appendix_paper(main_ref=False, sub=sub)))
        assert [(f.location.file, f.location.line) for f in found] == [("main.tex", 9)], found
        assert "referenced only from the appendix (app.tex:2)" in found[0].message


def test_figure_referenced_in_the_main_text_too_is_silent(make_project):
    assert pt805(make_project(appendix_paper(main_ref=True))) == []
    # a figure in the appendix referenced from the appendix is where it belongs
    body = "\\section{Method}\nText.\n\\appendix\n\\section{More}\n" + fig("x.pdf")
    assert pt805(make_project(paper(body))) == []


def test_content_tokens_skip_strings_and_inline_images():
    from papertrack.parse.colours import _operations

    data = (
        b"BT (a (nested) 1 0 0 rg \\) string) Tj ET\n"
        b"BI /W 2 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 rg \x00\xff\x00 EI\n"
        b"0.5 g [3 2] 0 d 1 0 0 RG"
    )
    ops = [(o, args) for args, o in _operations(data)]
    assert ("rg", [0.0, 1.0, 0.0]) not in ops  # nothing inside the string or the image data
    assert [o for o, _ in ops] == ["BT", "Tj", "ET", "BI", "g", "d", "RG"]
    assert ops[-1] == ("RG", [1.0, 0.0, 0.0]) and ops[4] == ("g", [0.5])


def _figure_pages(out_dir: Path, folios: list[int], names: str) -> list[tuple[str, int]]:
    """figure_pages of figures fig:<name> in a build whose physical pages carry `folios`."""
    from types import SimpleNamespace

    from papertrack.facts import Float
    from papertrack.model.figurepages import figure_pages

    pages = {i: SimpleNamespace(folio=f) for i, f in enumerate(folios, 1)}
    build = SimpleNamespace(out_dir=out_dir, probe=SimpleNamespace(pages=pages))
    floats = [
        Float("figure", "figure", "m.tex", i, 1, labels=[f"fig:{lb}"]) for i, lb in enumerate(names)
    ]
    doc = SimpleNamespace(compile=build, floats=floats)
    return [(fl.labels[0], p) for fl, p in figure_pages(doc)]


def test_figure_pages_from_the_aux_and_the_probe_folios(tmp_path):
    from papertrack.model.figurepages import label_folios

    (tmp_path / "main.aux").write_text(
        "\\newlabel{fig:a}{{3}{5}{Ablation}{figure.caption.7}{}}\n"
        "\\newlabel{fig:b}{{{\\relax A.1}}{ii}}\n\\@input{ch1.aux}\n"
    )
    (tmp_path / "ch1.aux").write_text("\\newlabel{fig:c}{{4}{7}}\n\\newlabel{fig:e}{{5}{1}}\n")
    assert label_folios(tmp_path) == {"fig:a": "5", "fig:b": "ii", "fig:c": "7", "fig:e": "1"}
    # two roman front-matter pages: folio 5 is the 7th physical page
    got = _figure_pages(tmp_path, [1, 2, 1, 2, 3, 4, 5, 6, 7], "abcde")
    # b is on a roman page (not read), d has no label in the aux, e is arabic page 1, not i
    assert got == [("fig:a", 7), ("fig:c", 9), ("fig:e", 3)]


def test_figure_pages_when_a_supplement_restarts_the_page_numbers(tmp_path):
    # a paper of 6 pages, then a supplement numbered 1-4 again (\setcounter{page}{1}):
    # Figures 1-2 on pages 2 and 3, Figure 3 deferred to the supplement's page 1, S1 on its 3
    (tmp_path / "main.aux").write_text(
        "\\newlabel{fig:a}{{1}{2}}\n\\@input{main-body.aux}\n"
        "\\newlabel{fig:c}{{3}{1}}\n\\newlabel{sec:s}{{A}{2}}\n\\newlabel{fig:s}{{S1}{3}}\n"
    )
    # an \include's .aux sits where main.aux inputs it, whatever its name sorts as
    (tmp_path / "main-body.aux").write_text("\\newlabel{fig:b}{{2}{3}}\n")
    got = _figure_pages(tmp_path, [1, 2, 3, 4, 5, 6, 1, 2, 3, 4], "abcs")
    assert got == [("fig:a", 2), ("fig:b", 3), ("fig:c", 7), ("fig:s", 9)]


def test_results_follow_the_file_content_through_the_cache(make_project):
    root = project(make_project, fig("rg.pdf"))
    write_pdf(root / "figs/rg.pdf", plot(RED, GREEN))
    first = [f.message for f in pt804(root)]
    assert len(first) == 1 and [f.message for f in pt804(root)] == first  # replayed
    write_pdf(root / "figs/rg.pdf", plot(BLUE, ORANGE))  # the author fixes the palette
    assert pt804(root) == []
    write_pdf(root / "figs/rg.pdf", plot(RED, GREEN))
    assert [f.message for f in pt804(root)] == first
