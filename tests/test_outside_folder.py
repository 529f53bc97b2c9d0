"""Graphics the paper opens from outside its folder: the build's copy cannot reach them."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import load_config

needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None, reason="no TeX")


def _png(path: Path) -> None:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


@needs_tex
def test_graphics_outside_the_folder_are_one_finding_not_missing_files(tmp_path):
    """A paper in repo/paper with \\graphicspath{{../figs/}}: TeX in place finds the figures,
    so they are neither PT106 nor PT703; PT706 says once that the build cannot see them."""
    figs = tmp_path / "repo" / "figs"
    figs.mkdir(parents=True)
    for name in ("a.png", "b.png"):
        _png(figs / name)
    paper = tmp_path / "repo" / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\graphicspath{{../figs/}}\n"
        "\\begin{document}\nText.\n\n"
        "\\includegraphics[width=1cm]{a}\n\n\\includegraphics[width=1cm]{b.png}\n"
        "\\end{document}\n"
    )
    r = run_check(paper, cfg=load_config(paper))
    assert r.document.compile is not None
    codes = [f.code for f in r.findings]
    assert "PT106" not in codes and "PT703" not in codes and "PT701" not in codes, r.findings
    outside = [f for f in r.findings if f.code == "PT706"]
    assert len(outside) == 1
    assert "../figs/a.png" in outside[0].message and len(outside[0].related) == 1
    # checked from the folder that holds them all, nothing is outside
    whole = run_check(tmp_path / "repo", cfg=load_config(tmp_path / "repo"))
    assert not [f for f in whole.findings if f.code in ("PT106", "PT703", "PT706")]


@needs_tex
def test_absolute_graphics_paths_from_another_machine_are_one_finding(tmp_path):
    """\\includegraphics{/home/ann/paper/images/a.png} for each figure: one cause, so one PT106
    with the others related and the relative name that works, in the build and without it."""
    paper = tmp_path / "paper"
    (paper / "images").mkdir(parents=True)
    figs = "".join(
        f"\\includegraphics[width=1cm]{{/nonexistent-home/ann/paper/images/{n}.png}}\n\n"
        for n in ("a", "b", "c")
    )
    for n in ("a", "b", "c"):
        _png(paper / "images" / f"{n}.png")
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\nText.\n\n"
        f"{figs}\\includegraphics[width=1cm]{{images/missing.png}}\n\\end{{document}}\n"
    )
    for compile_ in (False, True):
        cfg = load_config(paper)
        r = run_check(paper, cfg=cfg) if compile_ else run_check(paper, cfg=cfg, text_only=True)
        missing = [f for f in r.findings if f.code == "PT106"]
        assert len(missing) == 2, missing
        grouped = [f for f in missing if "absolute" in f.message]
        assert len(grouped) == 1 and len(grouped[0].related) == 2
        assert "images/a.png" in (grouped[0].fix or "")
        assert any("images/missing.png" in f.message for f in missing)


@needs_tex
def test_a_file_name_in_other_letter_case_is_found_as_tex_live_finds_it(tmp_path):
    """\\includegraphics{figures/plot} for figures/Plot.png: kpathsea retries a file name (not
    its folders) in any letter case, so TeX Live opens it; the check without the build said
    PT106 "not found ... names are case-sensitive on Linux" where the build finds it."""
    paper = tmp_path / "paper"
    (paper / "figures").mkdir(parents=True)
    _png(paper / "figures" / "Plot.png")
    _png(paper / "figures" / "Other.png")
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\nText.\n\n"
        "\\includegraphics[width=1cm]{figures/plot}\n\n"
        "\\includegraphics[width=1cm]{figures/OTHER.PNG}\n\\end{document}\n"
    )
    for compile_ in (False, True):
        cfg = load_config(paper)
        r = run_check(paper, cfg=cfg) if compile_ else run_check(paper, cfg=cfg, text_only=True)
        assert [f.message for f in r.findings if f.code in ("PT106", "PT107")] == [], compile_


@needs_tex
def test_graphics_named_in_other_letter_case_are_one_finding(tmp_path):
    """\\includegraphics{Figures/a} for figures/a.png, written on macOS or Windows: TeX on Linux
    does not find them (one cause, one PT106 naming the file as it is); a lone one names its
    file; the files are not 'never included'; a file that is not there at all stays PT106."""
    paper = tmp_path / "paper"
    (paper / "figures").mkdir(parents=True)
    for n in ("a", "b", "c", "d"):
        _png(paper / "figures" / f"{n}.png")
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\nText.\n\n"
        "\\includegraphics[width=1cm]{Figures/a}\n\n\\includegraphics[width=1cm]{./Figures/b.png}"
        "\n\n\\includegraphics[width=1cm]{figures/c}\n\n"
        "\\includegraphics[width=1cm]{figures/nothere}\n\\end{document}\n"
    )
    for compile_ in (False, True):
        cfg = load_config(paper)
        r = run_check(paper, cfg=cfg) if compile_ else run_check(paper, cfg=cfg, text_only=True)
        missing = [f for f in r.findings if f.code == "PT106"]
        assert len(missing) == 2, missing
        grouped = next(f for f in missing if "letter case" in f.message)
        assert "'Figures/a' for 'figures/a.png'" in grouped.message
        assert len(grouped.related) == 1 and grouped.related[0].line == 8
        assert any("'figures/nothere' not found" in f.message for f in missing)
        unused = [f.location.file for f in r.findings if f.code == "PT107"]
        assert unused == ["figures/d.png"], compile_
    # one alone: its own finding, with the name of the file
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "\\includegraphics[width=1cm]{Figures/a}\n\\end{document}\n"
    )
    r = run_check(paper, cfg=load_config(paper), text_only=True)
    [one] = [f for f in r.findings if f.code == "PT106"]
    assert "the file is 'figures/a.png'" in one.message and one.fix == "write 'figures/a.png'"
