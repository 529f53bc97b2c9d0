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
