"""What the report prints reads as the paper does (minimal papers written here): a long section
whose title holds a back-matter word is body text, and a caption keeps its escaped characters."""

from __future__ import annotations

from helpers import check_static, write_project

from papertrack.completion.sections import role_of

SENTENCE = "The replication had less power than the original study had. "


def test_a_long_section_named_after_a_project_is_not_a_short_statement():
    assert role_of("Reproducibility statement") == "short"
    assert role_of("Reproducibility statement", 40) == "short"
    # a chapter of the argument that names the Reproducibility Project
    assert role_of("Power and the Reproducibility Project", 3000) == "other"
    assert role_of("Limitations of earlier power analyses", 900) != "short"


def test_a_caption_keeps_its_percent_and_ampersand(tmp_path):
    spec = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\section{Power}\n"
        + SENTENCE * 3
        + "\n\\begin{figure}\\caption{Less than 5\\% of the time: R\\&D \\_x.}\\label{f}"
        "\\end{figure}\nSee Figure~\\ref{f}.\n\\end{document}\n"
    )
    r = check_static(write_project(tmp_path / "p", spec))
    [fl] = [f for f in r.document.floats if f.labels == ["f"]]
    assert fl.captions == ["Less than 5% of the time: R&D _x."]
