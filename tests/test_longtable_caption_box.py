r"""A longtable's \caption with the caption package and \LTleft = \LTright = 0pt: LaTeX logs
"Overfull \hbox (<text width> too wide) detected at line n" for the zero-width box that holds
the caption, which prints inside the text block; nothing runs into the margin, so PT705 does
not report it (minimal papers written here, built with pdflatex)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]

PAPER = r"""%! main.tex
\documentclass{article}
\usepackage{caption}
\usepackage{longtable,booktabs}
\begin{document}
\setlength{\LTleft}{0pt}
\setlength{\LTright}{0pt}
\begin{longtable}{@{}p{0.1\linewidth}p{0.3\linewidth}rr@{}}
\caption{CAPTION}\label{tab:x}\\
\toprule
A & B & C & D \\
\midrule
\endfirsthead
\toprule
A & B & C & D \\
\endhead
x & y & 1 & 2 \\
\bottomrule
\end{longtable}
Table~\ref{tab:x} shows it.
\end{document}
"""


def test_the_caption_box_of_a_flush_longtable_is_not_text_in_the_margin(make_project, tmp_path):
    folder = make_project(PAPER.replace("CAPTION", "A short caption."))
    # the oracle: TeX logs the zero-width caption box as overfull by the text width (345pt),
    # and the caption's words lie inside the text block (72pt margin + 345pt in article)
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", f"-output-directory={tmp_path}", "main.tex"],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    log = (tmp_path / "main.log").read_text(errors="replace")
    assert re.search(r"Overfull \\hbox \(345\.0pt too wide\) detected at line 8", log)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "main.pdf"), "-"], capture_output=True, text=True
    ).stdout
    xs = [float(x) for x in re.findall(r'xMin="([\d.]+)"', bbox)]
    xe = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert xs and min(xs) >= 133.0 and max(xe) <= 479.0
    r = run_check(folder, cfg=Config(compile=True))
    assert [f.message for f in r.findings if f.code == "PT705"] == []


def test_a_caption_word_that_runs_out_of_the_line_is_still_reported(make_project):
    # an unbreakable word in the caption overflows its paragraph: text in the margin
    word = "Unbreakable" + "x" * 60
    r = run_check(make_project(PAPER.replace("CAPTION", word)), cfg=Config(compile=True))
    assert [f for f in r.findings if f.code == "PT705" and f.location.line == 8]
