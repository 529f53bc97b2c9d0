"""A venue's required sections are asked only of papers of the years its rules are known for:
a style older than the profile (acl.sty "for ACL 2020", neurips_2023.sty) is not held to a
section that a later year introduced (ACL's Limitations, NeurIPS's checklist in the PDF)."""

from __future__ import annotations

import pytest
from helpers import check_static as check


def _paper(style_line: str, style_files: str = "") -> str:
    body = " ".join(["word"] * 50)
    return (
        "%! main.tex\n\\documentclass{article}\n" + style_line + "\n\\begin{document}\n"
        "\\begin{abstract}\n" + body + "\n\\end{abstract}\n"
        "\\section{Introduction}\n" + body + "\n\\section{Related Work}\n" + body + "\n"
        "\\section{Conclusion}\n" + body + "\n\\end{document}\n" + style_files
    )


def _required(r) -> list[str]:
    return [f.message for f in r.findings if f.code == "PT304" and "requires" in f.message]


# an acl.sty of the ACL 2020 kit, as the paper ships it (written here, not copied)
ACL_2020 = "%! acl.sty\n\\typeout{Conference Style for ACL 2020}\n\\ProvidesPackage{acl}\n"
ACL_NOW = "%! acl.sty\n\\typeout{Conference Style for ACL}\n\\ProvidesPackage{acl}\n"


def test_an_acl_style_of_2020_is_not_asked_for_limitations(make_project):
    r = check(make_project(_paper("\\usepackage[final]{acl}", ACL_2020)))
    assert _required(r) == []
    assert r.document.venue is not None and r.document.venue.name == "ACL"
    assert any("not asked of a 2020 paper" in n for n in r.document.venue.notes)


def test_an_acl_style_without_a_year_is_asked_for_limitations(make_project):
    r = check(make_project(_paper("\\usepackage[final]{acl}", ACL_NOW)))
    assert _required(r) == ["no 'Limitations' section (ACL requires it)"]


@pytest.mark.parametrize(
    "style, required",
    [
        # NeurIPS put the checklist into the PDF from 2024 on
        ("\\usepackage{neurips_2023}", []),
        (
            "\\usepackage{neurips_2024}",
            ["no 'NeurIPS Paper Checklist' section (NeurIPS 2024 requires it)"],
        ),
        # ICML asked for the impact statement from 2024 on (its call for papers of that year)
        (
            "\\usepackage[accepted]{icml2024}",
            ["no 'Impact Statement' section (ICML 2025 requires it)"],
        ),
        ("\\usepackage[accepted]{icml2023}", []),
    ],
)
def test_required_sections_follow_the_style_year(make_project, style, required):
    assert _required(check(make_project(_paper(style)))) == required
