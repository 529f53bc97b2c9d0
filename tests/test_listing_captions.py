"""A listing's caption= option prints a numbered caption ("Listing 1: ..."): a figure float
that holds such a listing is captioned (minimal papers written here)."""

from __future__ import annotations

from helpers import check_static as check
from helpers import finding_codes as codes


def paper(options: str) -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{listings}\n\\begin{document}\n"
        "See Listing~\\ref{lst:loop}.\n"
        "\\begin{figure}[tbp]\n"
        f"\\begin{{lstlisting}}[{options}\n  label={{lst:loop}}]\n"
        "for (int i = 0; i < n; i++) { sum += a[i]; }\n"
        "\\end{lstlisting}\n"
        "\\end{figure}\n"
        "\\end{document}\n"
    )


def test_a_listing_caption_captions_its_figure(make_project):
    r = check(make_project(paper("%\n  caption={[Short]A loop that sums an array.},%")))
    assert codes(r, "PT104", "PT105") == []


def test_a_figure_around_an_uncaptioned_listing_still_has_no_caption(make_project):
    r = check(make_project(paper("language=C,")))
    assert codes(r, "PT105") == ["PT105"]
