"""After a TeX error the build does not decide, but BibTeX still ran: its complaint about an
entry and the static check that says the same (PT209 and PT708) are one finding."""

from __future__ import annotations

import os
import shutil

import pytest

from papertrack.check import run_check
from papertrack.config import Config

pytestmark = pytest.mark.tex

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
Tracing~\cite{tracer}, as \undefinedcommandhere{} said.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! refs.bib
@misc{tracer,
  title = {An Open Tracing Tool},
  howpublished = {\url{https://example.org}},
}
"""


@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_one_finding_for_one_bibtex_complaint_after_a_tex_error(make_project):
    r = run_check(make_project(PAPER), cfg=Config(), use_cache=False)
    assert r.document.compile.first_error is not None  # the build has an error: it cannot decide
    blg = next(r.document.compile.out_dir.glob("*.blg")).read_text()
    assert "to sort, need author or key in tracer" in blg  # BibTeX's own complaint
    assert sorted(f.code for f in r.findings if f.code in ("PT209", "PT708")) == ["PT209"]
