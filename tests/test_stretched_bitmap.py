r"""A bitmap given both a width and a height (no keepaspectratio) is stretched: PT802 names the
size it prints at and the lower of its two resolutions (minimal papers written here)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import Config

PAPER = r"""\documentclass{article}
\usepackage{graphicx}
\begin{document}
\includegraphics[width=1in,height=1in]{wide}
\end{document}
"""


def _png(path: Path, w: int, h: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + bytes((x * 7 + y) % 256 for x in range(w * 3)) for y in range(h))
    head = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _paper(tmp_path: Path) -> Path:
    _png(tmp_path / "wide.png", 300, 100)  # at 1 x 1 in: 300 ppi across, 100 ppi down
    (tmp_path / "main.tex").write_text(PAPER)
    return tmp_path


def test_a_stretched_bitmap_reports_its_printed_size_and_lower_resolution(tmp_path):
    r = run_check(_paper(tmp_path), cfg=Config(compile=False))
    [f] = [f for f in r.findings if f.code == "PT802"]
    assert "prints about 1.0 x 1.0 in, stretched: 100 pixels per inch" in f.message, f.message


@pytest.mark.tex
def test_tex_prints_it_at_300_by_100_ppi(tmp_path):
    if not (shutil.which("pdflatex") and shutil.which("pdfimages")):
        pytest.skip("no TeX or poppler")
    folder = _paper(tmp_path)
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "main.tex"],
        cwd=folder,
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    out = subprocess.run(
        ["pdfimages", "-list", str(folder / "main.pdf")], capture_output=True, text=True
    ).stdout
    row = out.splitlines()[2].split()
    assert (row[3], row[4], row[12], row[13]) == ("300", "100", "300", "100")
