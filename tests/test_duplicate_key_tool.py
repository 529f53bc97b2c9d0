"""PT205 names the tool that reads the .bib: BibTeX, or biber under biblatex (both keep the
first of two entries with one key; checked with biber 2.x: "Duplicate entry key ... skipping")."""

from __future__ import annotations

from helpers import check_static as check

BIB = (
    "%! refs.bib\n"
    "@misc{dup, title = {First copy}, author = {Doe, Jane}, year = 2020}\n"
    "@misc{dup, title = {Second copy}, author = {Roe, Rick}, year = 2021}\n"
)


def messages(r) -> list[str]:
    return [f.message for f in r.findings if f.code == "PT205"]


def test_biblatex_with_biber_names_biber(make_project):
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\usepackage{biblatex}\n"
        "\\addbibresource{refs.bib}\n\\begin{document}\nSee \\cite{dup}.\n"
        "\\printbibliography\n\\end{document}\n" + BIB
    )
    assert messages(check(make_project(paper))) == [
        "duplicate bib key 'dup' (biber uses the first)"
    ]


def test_bibtex_names_bibtex(make_project):
    paper = (
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nSee \\cite{dup}.\n"
        "\\bibliographystyle{plain}\\bibliography{refs}\n\\end{document}\n" + BIB
    )
    assert messages(check(make_project(paper))) == [
        "duplicate bib key 'dup' (BibTeX uses the first)"
    ]


def test_many_duplicate_keys_in_one_bib_are_one_finding(make_project):
    """A .bib merged from several exports repeats dozens of keys: one finding per file (and per
    severity), every duplicate related, instead of one warning each; the work left still
    counts every entry to merge."""
    from papertrack.completion import assess

    entries = "".join(
        f"@article{{k{i}, title={{T{i}}}, author={{A}}, journal={{J}}, year={{2020}}}}\n"
        for i in range(7)
    )
    cites = ",".join(f"k{i}" for i in range(6))  # k6 is not cited: its duplicate is info
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
            f"Text \\cite{{{cites}}}.\n\\bibliographystyle{{plain}}\n\\bibliography{{refs}}\n"
            "\\end{document}\n%! refs.bib\n" + entries + entries
        )
    )
    found = [f for f in r.findings if f.code == "PT205"]
    assert [(f.severity.name, f.message) for f in found] == [
        (
            "WARNING",
            "6 duplicate bib keys in refs.bib (k0, k1, k2, ...): BibTeX uses the first of each",
        ),
        ("INFO", "duplicate bib key 'k6' (BibTeX uses the first)"),
    ]
    assert [x.line for x in found[0].related] == [9, 10, 11, 12, 13]
    task = next(t for t in assess(r).tasks if t.text.startswith("Merge or fix"))
    assert task.text == "Merge or fix 7 duplicate bibliography entries or fields"
