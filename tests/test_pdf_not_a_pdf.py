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
