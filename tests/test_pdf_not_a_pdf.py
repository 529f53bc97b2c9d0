"""`--pdf` given a file that is no PDF: one clear error, no pypdf chatter before it."""

from __future__ import annotations

import os
import subprocess
import sys


def test_pdf_option_on_a_tex_file_is_one_clean_error(tmp_path):
    paper = tmp_path / "paper"
    paper.mkdir()
    main = paper / "main.tex"
    main.write_text("\\documentclass{article}\n\\begin{document}\nText.\n\\end{document}\n")
    env = {**os.environ, "PAPERTRACK_CACHE_DIR": str(tmp_path / "cache")}
    env["PAPERTRACK_NO_HISTORY"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    r = subprocess.run(
        [sys.executable, "-m", "papertrack", "check", str(paper), "--pdf", str(main)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines()[0].startswith("papertrack: error:"), r.stderr
    assert "cannot be read as a PDF" in r.stderr
    assert "invalid pdf header" not in r.stderr and "EOF marker" not in r.stderr, r.stderr


def test_a_damaged_build_pdf_is_read_without_pypdf_chatter(tmp_path):
    # a build that dies mid-PDF (xdvipdfmx stopped) leaves a file without its trailer; the
    # report reads its links: pypdf's repair notes must not reach the terminal
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    buf = io.BytesIO()
    w.write(buf)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(buf.getvalue()[: buf.getvalue().rindex(b"xref")])
    code = "import sys, pathlib; from papertrack.model.refpages import pdf_links; "
    code += "pdf_links(pathlib.Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [sys.executable, "-c", code, str(cut)], capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", r.stderr
