"""The build's record decides in compile mode: reading it, merging it, converging, locating."""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.pages.engine import choose_engine
from papertrack.pages.logparse import OUT_DIR_NAME, parse_log
from papertrack.pages.record import fls_files, parse_blg, parse_log_facts

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None and not os.environ.get("CI"), reason="TeX Live is not installed"
)

BIB = """%! refs.bib
@article{knuth,
  title = {The Art},
  author = {Knuth, Donald},
  journal = jcomp,
  year = {1968},
}
@book{nobody,
  title = {No Author},
  year = {2000},
}
@weirdtype{strange,
  title = {Strange},
  author = {X, Y},
  year = {2001},
}
@misc{spare,
  title = {Never cited},
  author = {Z, Q},
  year = {2002},
}
"""


def codes(result, code):
    return [f for f in result.findings if f.code == code]


def where(findings):
    return sorted(f"{f.location.file}:{f.location.line}" for f in findings)


# -- reading the record (synthetic logs written for these tests) -------------------------------


def test_blg_warnings_name_the_entry_or_the_bib_line():
    blg = (
        "This is BibTeX, Version 0.99d\n"
        'Warning--string name "jcomp" is undefined\n'
        "--line 5 of file refs.bib\n"
        'Warning--I didn\'t find a database entry for "nokey"\n'
        "Warning--empty journal in knuth\n"
        'Warning--entry type for "strange" isn\'t style-file defined\n'
        "--line 12 of file refs.bib\n"
        "Warning--to sort, need author, editor, or key in nobody\n"
    )
    got = [(w.kind, w.key, w.file, w.line) for w in parse_blg(blg)]
    assert got == [
        ("undefined-string", None, "refs.bib", 5),
        ("undefined-citation", "nokey", None, None),
        ("missing-field", "knuth", None, None),
        ("unknown-type", "strange", "refs.bib", 12),
        ("missing-field", "nobody", None, None),
    ]


def test_biber_warnings():
    blg = (
        "[0] Config.pm:307> INFO - This is Biber 2.17\n"
        "[12] Biber.pm:4115> WARN - Datamodel: article entry 'knuth' (refs.bib): "
        "Missing mandatory field 'journaltitle'\n"
        "[13] Biber.pm:131> WARN - I didn't find a database entry for 'nokey' (section 0)\n"
    )
    got = [(w.kind, w.key) for w in parse_blg(blg)]
    assert got == [("missing-field", "knuth"), ("undefined-citation", None)]


def test_fls_paths_become_paper_paths_wherever_the_build_ran():
    fls = (
        "PWD /sandbox/tree/paper\n"
        "INPUT /usr/share/texmf-dist/tex/latex/base/article.cls\n"
        "INPUT ./paper.tex\n"
        "INPUT ./sections/intro.tex\n"
        "INPUT ../img/plot.pdf\n"
        f"INPUT {OUT_DIR_NAME}/paper.aux\n"
        f"OUTPUT {OUT_DIR_NAME}/paper.aux\n"
        f"OUTPUT {OUT_DIR_NAME}/sections/intro.aux\n"
        "INPUT /etc/passwd\n"
    )
    got = fls_files(fls, "paper")
    assert got["INPUT"] == [
        "paper/paper.tex",
        "paper/sections/intro.tex",
        "img/plot.pdf",
        f"paper/{OUT_DIR_NAME}/paper.aux",
    ]
    assert got["OUTPUT"] == [
        f"paper/{OUT_DIR_NAME}/paper.aux",
        f"paper/{OUT_DIR_NAME}/sections/intro.aux",
    ]


def test_log_facts():
    log = (
        "(./main.tex\n"
        "LaTeX Warning: Reference `sec:x' on page 1 undefined on input line 7.\n"
        "(./sec/a.tex\n"
        "Package natbib Warning: Citation `smith' on page 2 undefined on input line 3.\n"
        "./sec/a.tex:9: LaTeX Error: File `figs/plot' not found.\n"
        "./sec/a.tex:10: Package pdftex.def Error: File `figs/b.png' not found: using draft setting.\n"
        "./sec/a.tex:11: LaTeX Error: File `missing.sty' not found.\n"
        ")\n"
        "LaTeX Warning: Label `fig:a' multiply defined.\n"
        "Output written on main.pdf (2 pages, 100 bytes).\n"
    )
    f = parse_log_facts(log)
    assert list(f["refs"]) == ["sec:x"] and f["refs"]["sec:x"][0].line == 7
    assert f["cites"]["smith"][0].file == "sec/a.tex"
    assert sorted(f["missing"]) == ["figs/b.png", "figs/plot"]  # not the package
    assert f["multi"] == ["fig:a"] and f["finished"]
    # a missing graphic does not take the record's authority away; other errors do
    assert f["errors"] == ["LaTeX Error: File `missing.sty' not found."]
    assert not parse_log_facts(log + "! Emergency stop.\n")["finished"]


def test_error_inside_a_tex_live_file_is_placed_at_the_users_line():
    log = (
        "(./main.tex\n"
        "(/usr/share/texlive/texmf-dist/tex/latex/foo/foo.cls\n"
        "(/usr/share/texlive/texmf-dist/tex/latex/foo/foo-fonts.def\n"
        "/usr/share/texlive/texmf-dist/tex/latex/foo/foo-fonts.def:101: Package fontspec Error: "
        'The font "SimSun" cannot be found.\n'
        "l.101 \\setCJKmainfont{SimSun}\n"
    )
    first = next(p for p in parse_log(log) if p.kind == "tex-error")
    assert (first.file, first.line, first.via) == ("main.tex", None, "foo.cls")
    assert first.context is None  # the TeX Live file's line means nothing to the author


def test_no_build_folder_names_in_messages():
    log = (
        "(./main.tex\n"
        f"./main.tex:3: LaTeX Error: File `/home/u/.cache/papertrack/builds/x/tree/"
        f"{OUT_DIR_NAME}/gen.tex' not found.\n"
    )
    first = next(p for p in parse_log(log) if p.kind == "tex-error")
    assert OUT_DIR_NAME not in first.message and "builds" not in first.message
    assert "gen.tex" in first.message


def test_overfull_severity_grows_with_size():
    log = (
        "(./main.tex\n"
        "Overfull \\hbox (261.5pt too wide) in paragraph at lines 10--12\n"
        "Overfull \\hbox (14.0pt too wide) in paragraph at lines 20--21\n"
        "Overfull \\hbox (2.5pt too wide) in paragraph at lines 30--31\n"
        "Overfull \\hbox (1.5pt too wide) in paragraph at lines 40--41\n"
    )
    got = [(p.severity, p.line) for p in parse_log(log) if p.kind == "overfull-hbox"]
    assert got == [("error", 10), ("warning", 20), ("info", 30)]


def test_follow_on_bibliography_errors_are_not_reported(make_project):
    from papertrack.check import run_rules
    from papertrack.pages.logparse import CompileProblem

    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\nx\n\\end{document}\n"
    )
    doc = run_check(root, cfg=Config(compile=False)).document.variant()
    doc.compile = SimpleNamespace(
        problems=[
            CompileProblem("tex-error", "error", "File `a.tikz' not found.", "main.tex", 3),
            CompileProblem(
                "biber-error", "error", "main.bcf is malformed, last biblatex run probably failed"
            ),
        ],
        first_error=CompileProblem("tex-error", "error", "File `a.tikz' not found.", "main.tex", 3),
    )
    found, _ = run_rules(doc, Config(compile=False))
    assert [f.message for f in found if f.code == "PT701"] == ["File `a.tikz' not found."]


# -- the engine the paper asks for -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rc", "magic", "want"),
    [
        ("$pdf_mode = 5;\n", "", "xelatex"),
        ("$pdf_mode = 4;\n", "", "lualatex"),
        ("$pdflatex = 'xelatex %O %S';\n", "", "xelatex"),
        ('$pdflatex = "lualatex --shell-escape %O %S";\n', "", "lualatex"),
        ("$pdf_mode = 5;\n$pdf_mode = 1;\n", "", "pdflatex"),  # the last assignment wins
        ("# $pdf_mode = 5;\n", "", "pdflatex"),  # a comment
        ("", "% !TEX program = xelatex\n", "xelatex"),
        ("", "% !TEX TS-program = LuaLaTeX\n", "lualatex"),
        ("$pdf_mode = 4;\n", "%!TeX TS-program = xelatex\n", "xelatex"),  # the file itself wins
    ],
)
def test_engine_from_latexmkrc_and_magic_comments(tmp_path, rc, magic, want):
    if rc:
        (tmp_path / ".latexmkrc").write_text(rc)
    main = magic + "\\documentclass{article}\n\\begin{document}x\\end{document}\n"
    engine, reason = choose_engine(main, tmp_path)
    assert engine == want, reason
    if want != "pdflatex":
        assert reason  # named, so the user sees why


# -- real builds -----------------------------------------------------------------------------


@needs_tex
@pytest.mark.tex
def test_build_overrules_static_reading(make_project):
    """A label the static reader cannot see and a citation in a condition only TeX can
    evaluate: the build knows better."""
    root = make_project(
        r"""%! main.tex
\documentclass{article}
\usepackage{listings}
\begin{document}
\section{Intro}\label{sec:intro}
\csname label\endcsname{sec:hidden}
See Section~\ref{sec:hidden} and \ref{sec:nowhere}.
\ifnum\value{page}>100 Hidden \cite{ghost}. \fi
Seen \cite{knuth}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
        + BIB
    )
    static = run_check(root, cfg=Config(compile=False))
    assert {f.message.split("'")[1] for f in codes(static, "PT101")} == {
        "sec:hidden",
        "sec:nowhere",
    }
    assert [f.message.split("'")[1] for f in codes(static, "PT201")] == ["ghost"]
    r = run_check(root, cfg=Config())
    rec = r.build_record
    assert rec["authoritative"]
    assert [f.message.split("'")[1] for f in codes(r, "PT101")] == ["sec:nowhere"]
    assert codes(r, "PT201") == [] and codes(r, "PT702") == []
    assert sorted(rec["uncited_entries"]) == ["nobody", "spare", "strange"]
    assert "sec:hidden" in rec["labels"]
    kinds = {(d["kind"], d["key"]) for d in rec["disagreements"]}
    assert ("undefined-reference", "sec:hidden") in kinds
    assert ("undefined-citation", "ghost") in kinds
    assert ("cited-entry", "ghost") not in kinds  # not an entry


@needs_tex
@pytest.mark.tex
def test_converged_build_past_a_missing_figure_and_bib_warnings(make_project):
    root = make_project(
        r"""%! main.tex
\documentclass{article}
\usepackage{graphicx}
\begin{document}
\section{Intro}\label{sec:a}
See \ref{sec:b}, \cite{knuth}, \cite{strange} and \cite{nobody}.
\includegraphics{missing-figure}
\section{B}\label{sec:b}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
        + BIB
    )
    r = run_check(root, cfg=Config())
    conv = r.document.compile.convergence
    assert conv is not None and conv.converged and conv.extra_passes >= 1, conv
    rec = r.build_record
    # latexmk -f alone stops after two passes with these still undefined
    assert rec["undefined_citations"] == [] and rec["undefined_references"] == []
    assert rec["missing_graphics"] == ["missing-figure"]
    assert where(codes(r, "PT106")) == ["main.tex:6"]
    # one finding per BibTeX complaint: the static twin where it says all the log says at
    # that entry (it names what will print), else the log's; never both
    assert where(codes(r, "PT207")) == ["refs.bib:4"] and codes(r, "PT709") == []  # jcomp
    assert where(codes(r, "PT210")) == ["refs.bib:11"] and codes(r, "PT710") == []
    # nobody: "to sort, need author" is PT209, "empty author/publisher" PT208; knuth's
    # "empty journal" follows from the undefined @string that PT207 names
    assert where(codes(r, "PT208")) == where(codes(r, "PT209")) == ["refs.bib:7"]
    assert codes(r, "PT708") == []
    # the page caveat names the error that blocks the build
    assert "missing-figure" in (r.document.pages.caveat or "")
    # unchanged: latexmk's "nothing to do", and the verdict of the converged build is kept
    again = run_check(root, cfg=Config())
    assert again.document.compile.up_to_date
    assert again.document.compile.convergence.converged
    assert again.build_record["undefined_citations"] == []


@needs_tex
@pytest.mark.tex
def test_undefined_reference_in_a_running_head_points_at_the_title(make_project):
    filler = "\n\n".join(["Words that fill the page to push text onward. " * 12] * 14)
    root = make_project(
        r"""%! main.tex
\documentclass{article}
\usepackage{cleveref}
\pagestyle{headings}
\begin{document}
\section{Setup}\label{sec:setup}
"""
        + filler
        + r"""
\section{Results beyond \cref{sec:setup}}
"""
        + filler
        + "\n\\end{document}\n"
    )
    r = run_check(root, cfg=Config())
    assert r.build_record["undefined_references"] == ["SEC:SETUP"]
    head = codes(r, "PT702")
    assert len(head) == 1 and "running head" in head[0].message
    lines = (root / "main.tex").read_text().splitlines()
    assert lines[head[0].location.line - 1].startswith("\\section{Results")
    assert codes(r, "PT101") == []


@needs_tex
@pytest.mark.tex
def test_first_error_in_a_tex_live_file_points_at_the_usepackage(make_project):
    root = make_project(
        "%! main.tex\n% !TEX program = pdflatex\n\\documentclass{article}\n"
        "\\usepackage{amsmath}\n\\usepackage{fontspec}\n\\begin{document}\nx\n\\end{document}\n"
    )
    r = run_check(root, cfg=Config())
    assert r.document.compile.engine == "pdflatex"
    err = [f for f in codes(r, "PT701") if "fontspec" in f.message]
    assert err and (err[0].location.file, err[0].location.line) == ("main.tex", 4)
    assert "/usr/share" not in err[0].message and OUT_DIR_NAME not in err[0].message


def test_a_static_bib_finding_bibtex_does_not_confirm_is_dropped(make_project):
    from papertrack.pages.bibverdict import bib_verdicts
    from papertrack.pages.record import BibWarning, BuildRecord

    root = make_project(
        r"""%! main.tex
\documentclass{article}
\begin{document}
Text \cite{nobody}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
        + BIB
    )
    static = run_check(root, cfg=Config(), use_cache=False)
    doc = static.document
    bib = [f for f in static.findings if f.code in ("PT208", "PT209")]
    assert {f.code for f in bib} == {"PT208", "PT209"}  # nobody: no author, no publisher
    # BibTeX ran and said nothing about the entry (a style that checks neither): both go
    kept, dropped = bib_verdicts(doc, BuildRecord(bib_log="bibtex"), bib)
    assert kept == [] and {key for _, key in dropped} == {"nobody"}
    # BibTeX complained once, about the sort key only: PT209 says that, PT208 goes
    one = BuildRecord(bib_log="bibtex")
    one.bib_warnings = [BibWarning("missing-field", "to sort, need author or key", "nobody")]
    kept, _ = bib_verdicts(doc, one, bib)
    assert [f.code for f in kept] == ["PT209"]
    # Biber's log is not complete for fields: the static findings stand
    biber = BuildRecord(bib_log="biber", case_sensitive=True)
    assert bib_verdicts(doc, biber, bib) == (bib, [])


@needs_tex
@pytest.mark.tex
def test_a_field_the_style_wants_of_every_entry_is_one_finding(make_project):
    """ACM-Reference-Format says 'empty publisher' and 'empty address' for every
    @inproceedings without them: one finding per field with the entries related, not one per
    entry; a complaint about one entry alone stays at that entry."""
    entries = "".join(
        f"@inproceedings{{p{i}, author={{A. Author{i}}}, title={{Paper {i}}},\n"
        f"  booktitle={{Proc. Conf.}}, year={{2020}}, address={{Here}}}}\n"
        for i in range(6)
    )
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n"
        "Text \\citep{p0,p1,p2,p3,p4,p5,solo}.\n"
        "\\bibliographystyle{ACM-Reference-Format}\n\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n" + entries + "@inproceedings{solo, author={B. Solo}, title={Alone},\n"
        "  booktitle={Proc. Conf.}, year={2021}, publisher={P}}\n"
    )
    r = run_check(root, cfg=Config())
    found = sorted((f.message, f.location.line, len(f.related)) for f in codes(r, "PT708"))
    assert any("empty publisher in 6 entries (p0, p1, p2, ...)" in m for m, _l, _n in found), found
    grouped = [x for x in found if "empty publisher in 6" in x[0]]
    assert grouped[0][1:] == (1, 5)
    assert [m for m, _l, _n in found if "solo" in m] == ["BibTeX: empty address in solo"]


@needs_tex
@pytest.mark.tex
def test_month_abbreviations_a_style_does_not_define_are_one_finding(make_project):
    """A style without the MACROs jan ... dec (abntex2-alf has them commented out): BibTeX
    says 'string name "apr" is undefined' for every entry with `month = apr`, one cause; an
    @string of the paper's own that is missing once stays at its entry."""
    import subprocess
    from pathlib import Path

    plain = Path(
        subprocess.run(["kpsewhich", "plain.bst"], capture_output=True, text=True).stdout.strip()
    )
    bst = "".join(
        line for line in plain.read_text().splitlines(keepends=True) if "MACRO {" not in line
    )
    months = ["jan", "apr", "may", "oct", "dec", "feb"]
    entries = "".join(
        f"@article{{a{i}, author={{A. Author{i}}}, title={{Paper {i}}}, journal={{J}},\n"
        f"  year={{2020}}, month={m}}}\n"
        for i, m in enumerate(months)
    )
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        "Text \\cite{a0,a1,a2,a3,a4,a5,solo}.\n"
        "\\bibliographystyle{nomonths}\n\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n" + entries + "@article{solo, author={B. Solo}, title={Alone},\n"
        "  journal=jcomp, year={2021}}\n"
    )
    (root / "nomonths.bst").write_text(bst)
    r = run_check(root, cfg=Config())
    found = sorted((f.message, f.location.line, len(f.related)) for f in codes(r, "PT709"))
    assert len(found) == 1, found
    assert found[0][0].startswith("BibTeX: 6 entries (a0, a1, a2, ...) give the month"), found
    assert found[0][1:] == (2, 5)
    # the one undefined @string of the paper's own is PT207's, at its entry
    assert [f.location.line for f in codes(r, "PT207")] == [14]


@needs_tex
@pytest.mark.tex
def test_a_bib_written_for_biblatex_under_a_bibtex_style_is_one_finding(make_project):
    """A .bib exported for biblatex (date, journaltitle) under plain.bst: BibTeX says 'empty
    journal' and 'empty year' for each entry; one cause, one PT208 naming the renames, and no
    PT708 per entry from the log. A lone entry says why it lacks its year."""
    entries = "".join(
        f"@article{{b{i}, author={{A. Author{i}}}, title={{Paper {i}}},\n"
        f"  journaltitle={{J. Things}}, date={{2020-01-0{i + 1}}}}}\n"
        for i in range(5)
    )
    root = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        "Text \\cite{b0,b1,b2,b3,b4,solo}.\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n" + entries + "@book{solo, author={B. Solo}, title={Alone},\n"
        "  date={2021}}\n"
    )
    r = run_check(root, cfg=Config())
    told = [w.message for w in r.document.record.bib_warnings]
    assert sum(m.startswith("empty journal in b") for m in told) == 5, told
    assert "empty year in solo" in told
    found = sorted((f.location.line, f.message, len(f.related)) for f in codes(r, "PT208"))
    assert [(n, rel) for n, _m, rel in found] == [(1, 4), (11, 0)], found
    assert (
        "5 cited entries (b0, b1, b2, ...) give journal as journaltitle and year as date"
        in (found[0][1])
    )
    assert "date is biblatex's name" in found[1][1]
    grouped = next(f for f in codes(r, "PT208") if f.related)
    assert (
        grouped.fix == "rename journaltitle to journal and date to year, or use biblatex with biber"
    )
    assert codes(r, "PT708") == []
