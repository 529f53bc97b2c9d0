"""The bound on what a build writes grows with the paper: a PDF that embeds a large photograph
is not a runaway build; a loop that writes without end still is (minimal papers written here)."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from papertrack.pages import compile_paper

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]


def _noise_png(path: Path, side: int = 1100) -> None:
    """An RGB PNG of random pixels (about 3.6 MB: noise does not compress)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))
    head = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def test_a_pdf_as_large_as_its_photograph_is_not_stopped(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    _noise_png(paper / "photo.png")
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "\\includegraphics[width=\\linewidth]{photo}\n\\newpage\nText.\n"
        # the bound is checked once a second: a busy loop keeps TeX running after the page
        # with the photograph is written
        "\\newcount\\n\\loop\\advance\\n 1 \\ifnum\\n<6000000 \\repeat\n\\end{document}\n"
    )
    # a 2 MB bound of its own: the 3.6 MB photograph makes the PDF larger than that
    result = compile_paper(
        paper, Path("main.tex"), build_dir=tmp_path / "b", max_output_bytes=2 * 2**20
    )
    assert result.killed is None and result.pdf is not None, result.problems
    assert result.pdf.stat().st_size > 2 * 2**20  # the oracle: what the bound alone forbade
