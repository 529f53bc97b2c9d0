"""BibTeX and the build: after a TeX error the build does not decide, but BibTeX still ran:
its complaint about an entry and the static check that says the same (PT209 and PT708) are one
finding; and a BibTeX that failed leaves every citation undefined, which is its one finding."""

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


NO_STYLE = r"""%! main.tex
\documentclass{article}
\begin{document}
Tracing~\cite{a}, \cite{b} and \cite{c}.
\bibliographystyle{nosuchstyleanywhere}
\bibliography{refs}
\end{document}
%! refs.bib
@article{a, author = {A, B}, title = {One}, journal = {J}, year = {2020}}
@article{b, author = {C, D}, title = {Two}, journal = {J}, year = {2021}}
@article{c, author = {E, F}, title = {Three}, journal = {J}, year = {2022}}
"""


@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_citations_left_undefined_by_a_failed_bibtex_are_its_one_finding(make_project):
    r = run_check(make_project(NO_STYLE), cfg=Config(), use_cache=False)
    log = next(r.document.compile.out_dir.glob("main.log")).read_text()
    assert "Citation `a' on page 1 undefined" in log  # TeX's own word: all three are undefined
    codes = [(f.code, f.message) for f in r.findings if f.code in ("PT701", "PT702", "PT201")]
    assert codes == [("PT701", "BibTeX could not open style file nosuchstyleanywhere.bst")]


SPACE = r"""%! main.tex
\documentclass{article}
\begin{document}
Tracing~\cite{a}, as in~\cite{plasticity papers}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! refs.bib
@article{a, author = {A, B}, title = {One}, journal = {J}, year = {2020}}
"""


@pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)
def test_a_key_with_a_space_is_one_finding_at_its_cite(make_project):
    r = run_check(make_project(SPACE), cfg=Config(), use_cache=False)
    blg = next(r.document.compile.out_dir.glob("main.blg")).read_text()
    assert "White space in argument" in blg  # BibTeX's own complaint, about the .aux
    got = [(f.code, f.location.line, f.message) for f in r.findings if f.code.startswith("PT7")]
    got += [(f.code, f.location.line, f.message) for f in r.findings if f.code == "PT201"]
    assert got == [
        ("PT201", 3, "citation key 'plasticity papers' holds a space, which no .bib key can")
    ]
