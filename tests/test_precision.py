"""Regressions for false positives and misses found by trying papertrack on real-life LaTeX."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.config import Config


def check(root):
    return run_check(root, cfg=Config(compile=False), use_cache=False)


def codes(r, code):
    return sorted(f.message for f in r.findings if f.code == code)


def test_verb_does_not_swallow_the_text_after_it(make_project):
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{article}\\usepackage{cleveref}\n\\begin{document}\n"
            "\\section{Intro}\\label{sec:intro}\nThe flag \\verb|-q| is quiet. A \\verb|{| and \\verb|}| B.\n"
            "\\begin{table}\\caption{R.}\\label{tab:res}\\end{table}\n\\section{Usage}\\label{sec:usage}\n"
            "See \\cref{tab:res}, \\cref{sec:intro} and \\cref{sec:usage}.\n\\end{document}\n"
        )
    )
    assert codes(r, "PT101") == []
    assert [s.title for s in r.document.sections] == ["Intro", "Usage"]


BIBLATEX = (
    "%! main.tex\n\\documentclass{article}\n\\usepackage[backend=BACKEND]{biblatex}\n\\addbibresource{refs.bib}\n"
    "\\begin{document}\nAs \\parencites{a1}{a2} and \\textcites[3]{a3}[4]{ghost} show, and \\cite{A4}.\n"
    "\\printbibliography\n\\end{document}\n"
    "%! refs.bib\n@misc{a1, title={One}}\n@misc{a2, title={Two}}\n@misc{a3, title={Three}}\n@misc{a4, title={Four}}\n"
)


def test_biblatex_multicite_commands_cite_every_key(make_project):
    r = check(make_project(BIBLATEX.replace("BACKEND", "bibtex")))
    assert codes(r, "PT201") == ["citation 'ghost' is not in the bibliography"]
    assert codes(r, "PT202") == []  # a1..a3 through the multicite forms, a4 case-insensitively


def test_biber_matches_keys_exactly(make_project):
    r = check(make_project(BIBLATEX.replace("BACKEND", "biber")))
    assert codes(r, "PT201") == [
        "citation 'A4' is not in the bibliography",
        "citation 'ghost' is not in the bibliography",
    ]
    assert codes(r, "PT202") == ["bib entry 'a4' is never cited"]


def test_zref_labels_and_references(make_project):
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
            "\\begin{figure}\\caption{x}\\zlabel{fig:z}\\end{figure} See \\zcref{fig:z}.\n\\end{document}\n"
        )
    )
    assert codes(r, "PT103") == [] and codes(r, "PT104") == []


HEAD = "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"


def test_placeholders_in_code_and_punctuation_are_not_markers(make_project):
    r = check(
        make_project(
            HEAD + "Run \\texttt{TODO.md} and \\texttt{TODO}. Really?? Yes: \\texttt{a??b}.\n"
            "Results are in Table ??.\n\\end{document}\n"
        )
    )
    assert [(f.location.line, f.message) for f in r.findings if f.code == "PT301"] == [
        (4, "'??' placeholder: ??.")
    ]


def test_a_section_of_displayed_math_is_not_a_stub(make_project):
    math = "\n".join(f"\\begin{{equation}} x_{i} = y \\end{{equation}}" for i in range(4))
    r = check(
        make_project(
            HEAD
            + "\\section{Theory}\nWe have\n"
            + math
            + "\n\\section{Empty}\nSoon.\n\\end{document}\n"
        )
    )
    # one word is 'a stub (1 word)': it read '(1 words)'
    assert codes(r, "PT303") == ["section 'Empty' is a stub (1 word)"]


def test_latin1_declared_with_inputenc_is_not_reported(make_project):
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage[latin1]{inputenc}\n\\begin{document}\n\\input{a}\n\\end{document}\n"
    )
    (root / "a.tex").write_bytes("Caf\xe9.\n".encode("latin-1"))
    assert codes(check(root), "PT005") == []


def test_estimate_over_the_limit_warns_even_within_its_error(make_project):
    words = " ".join(["word"] * 700)
    r = run_check(
        make_project(HEAD + "\\section{A}\n" + words + "\n\\end{document}\n"),
        cfg=Config(compile=False, page_limit=1),
    )
    found = [f for f in r.findings if f.code == "PT501"]
    assert (
        len(found) == 1
        and "may be over" in found[0].message
        and str(found[0].severity) == "warning"
    )


def test_includeonly_keeps_labels_of_excluded_chapters(make_project):
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{article}\n\\includeonly{one}\n\\begin{document}\n\\include{one}\n\\include{two}\n\\end{document}\n"
            "%! one.tex\n\\section{One} See Chapter~\\ref{ch:two}.\n"
            "%! two.tex\n\\section{Two}\\label{ch:two} TODO later.\n"
        )
    )
    assert codes(r, "PT101") == []
    assert codes(r, "PT301") == []  # the excluded chapter is not checked itself


def test_statements_short_by_nature_are_not_stubs(make_project):
    # a disclosure, a supporting-information list or a software-availability note is finished
    # at two lines; a results section of two lines is not
    body = "".join(
        f"\\section*{{{t}}}\nOne short line of text here.\n"
        for t in (
            "Disclosure Statement",
            "Supporting Information",
            "Supplementary Material",
            "Software Availability",
            "Results",
        )
    )
    r = check(make_project(HEAD + body + "\\end{document}\n"))
    assert codes(r, "PT303") == ["section 'Results' is a stub (6 words)"]


def test_a_heading_inside_the_abstract_environment_is_not_an_empty_section(make_project):
    """A thesis prints the abstract's title itself: \\begin{abstract}\\section*{Abstract} text.
    The text is the abstract's; the heading is not an empty section (PT303)."""
    prose = " ".join(["word"] * 60) + ".\n"
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{abstract}\n"
            "\\section{Introduction}\n" + prose + "\\section{Empty}\nTo do.\n\\end{document}\n"
            "%! abstract.tex\n\\begin{abstract}\n\\section*{Abstract}\n"
            + prose
            + "\\end{abstract}\n"
        )
    )
    assert r.document.abstract_words and r.document.abstract_words >= 60
    assert codes(r, "PT303") == ["section 'Empty' is a stub (2 words)"]


def test_a_thesis_classes_abstract_environment_is_the_abstract(make_project):
    """abntex2's \\begin{resumo}[Abstract] (every Brazilian thesis), the Chinese thesis classes'
    cabstract/eabstract and \\begin{abstract*} hold the abstract: no PT304 'no abstract'."""
    prose = " ".join(["word"] * 40) + ".\n"
    for env in ("resumo", "abstract*", "eabstract", "zusammenfassung"):
        r = check(
            make_project(
                "%! main.tex\n\\documentclass{report}\n\\newenvironment{resumo}[1][]{}{}\n"
                "\\newenvironment{abstract*}{}{}\n\\newenvironment{eabstract}{}{}\n"
                "\\newenvironment{zusammenfassung}{}{}\n\\begin{document}\n"
                f"\\begin{{{env}}}\n{prose}\\end{{{env}}}\n\\chapter{{Introduction}}\n{prose}"
                f"\\chapter{{Conclusion}}\n{prose}\\end{{document}}\n"
            )
        )
        assert r.document.abstract_words == 40, env
        assert codes(r, "PT304") == [], env
    # an environment that only ends in 'abstract' is not one
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{report}\n\\newenvironment{graphabstract}{}{}\n"
            f"\\begin{{document}}\n\\begin{{graphabstract}}\n{prose}\\end{{graphabstract}}\n"
            f"\\chapter{{Introduction}}\n{prose}\\chapter{{Conclusion}}\n{prose}\\end{{document}}\n"
        )
    )
    assert codes(r, "PT304") == ["no 'abstract' section"]


def test_a_classes_own_label_command_labels_its_float(make_project):
    """jmlr's \\floatconts{label}{caption}{contents} (jmlrutils.sty, loaded by jmlr.cls) labels
    the float, and \\figureref refers to it: read from the class's bundle in TeX's tree."""
    import pytest

    from papertrack.project import texdist

    if texdist.locate("jmlr.cls") is None:
        pytest.skip("jmlr.cls is not installed")
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{jmlr}\n\\begin{document}\n\\section{Intro}\n"
            "See Figure~\\ref{fig:a} and \\figureref{fig:b}.\n"
            "\\begin{figure}\\floatconts{fig:a}{\\caption{A.}}{A}\\end{figure}\n"
            "\\begin{figure}\n\\floatconts\n  {fig:b}\n  {\\caption{B.}}\n  {B}\n\\end{figure}\n"
            "\\end{document}\n"
        )
    )
    assert sorted(lb.name for lb in r.document.labels) == ["fig:a", "fig:b"]
    assert [f for f in r.findings if f.code in ("PT101", "PT103", "PT104")] == []


def test_the_section_table_counts_the_abstract_under_its_own_heading(make_project):
    """The same paper in the coauthor report: the abstract row, titled by the heading, has the
    abstract's words (not 0 words and 'stub')."""
    from papertrack.completion import assess

    prose = " ".join(["word"] * 60) + ".\n"
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{abstract}\n"
        "\\section{Introduction}\n" + prose + "\\end{document}\n"
        "%! abstract.tex\n\\begin{abstract}\n\\section*{Abstract}\n" + prose + "\\end{abstract}\n"
    )
    rows = [r for r in assess(check(folder)).sections if r.role == "abstract"]
    assert [(r.title, r.words) for r in rows] == [("Abstract", 60)]


def test_a_closing_discussion_is_the_conclusion(make_project):
    """A journal article ends with its Discussion (then data availability): no PT304 'no
    conclusion', and no conclusion owed in the section table. 'Results and Discussion' at the
    end is results discussed: the conclusion is still to write."""
    from papertrack.completion import assess

    prose = " ".join(["word"] * 60) + ".\n"

    def paper(last: str) -> str:
        return (
            "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\begin{abstract}\n"
            + prose
            + "\\end{abstract}\n\\section{Introduction}\n"
            + prose
            + "\\section{Background}\n"
            + prose
            + f"\\section{{{last}}}\n"
            + prose
            + "\\section*{Data Availability}\nOn request.\n\\end{document}\n"
        )

    for last, missing in [
        ("Discussion", []),
        ("Discussion and Outlook", []),
        ("Results and Discussion", ["no 'conclusion' section"]),
    ]:
        r = check(make_project(paper(last)))
        assert codes(r, "PT304") == missing, last
        owed = [row.title for row in assess(r).sections if not row.present]
        assert owed == (["Conclusion"] if missing else []), last
