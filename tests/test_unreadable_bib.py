"""A .bib that cannot be read (a link to a file on the author's machine) is one finding, PT004,
not one PT201 per citation (minimal papers written here)."""

from __future__ import annotations

import os

from helpers import check_static as check
from helpers import finding_codes as codes

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
As \cite{alpha} and \cite{beta} show.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! other.bib
@article{alpha, title={A}, author={B}, journal={C}, year={2020}}
"""


def test_a_dangling_bib_link_is_one_finding(make_project, tmp_path):
    folder = make_project(PAPER)
    os.symlink(tmp_path / "on-another-machine" / "refs.bib", folder / "refs.bib")
    r = check(folder)
    assert codes(r, "PT004", "PT201") == ["PT004"]


def test_a_readable_bib_still_checks_every_citation(make_project):
    folder = make_project(PAPER)
    (folder / "refs.bib").write_text((folder / "other.bib").read_text())
    r = check(folder)
    assert codes(r, "PT004", "PT201") == ["PT201"]  # beta is in no entry
