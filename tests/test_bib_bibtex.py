""".bib files as BibTeX reads them: malformed entries keep their key, `%` is no comment inside an
entry, @string/@preamble/crossref, and keys compared as the backend compares them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import pdflatex

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.parse.bib import parse_bib
from papertrack.parse.bibreference import parse_bib_reference
from papertrack.parse.bibsyntax import read_block


def check(root):
    return run_check(root, cfg=Config(compile=False), use_cache=False)


def at(r, code):
    return sorted((f.location.file, f.location.line) for f in r.findings if f.code == code)


def paper(cite: str, bib: str, pre: str = "", style: str = "\\bibliographystyle{plain}\n") -> str:
    return (
        f"%! main.tex\n\\documentclass{{article}}\n{pre}\\begin{{document}}\n"
        f"Text {cite}.\n{style}\\bibliography{{refs}}\n\\end{{document}}\n%! refs.bib\n{bib}"
    )


MALFORMED = (
    "@article{good,\n  title = {A},\n  year = 2020,\n}\n"  # 1-4
    "@article{nocomma,\n  title = {B}\n  year = {2021},\n}\n"  # 5-8: the error is on line 7
    "@article{pct,\n  title = {C},\n% note = {z},\n  year = {2020},\n}\n"  # 9-13: line 11
    "@article{open,\n  title = {Unclosed,\n  year = {2020},\n}\n"  # 14-17: line 15
    "@misc{after, title = {D}}\n"
)


def test_malformed_entries_keep_their_key_and_point_at_the_offending_line(make_project):
    r = check(make_project(paper("\\cite{good,nocomma,pct,open,after}", MALFORMED)))
    assert at(r, "PT201") == []  # BibTeX defines every one of these keys
    assert at(r, "PT204") == [("refs.bib", 7), ("refs.bib", 11), ("refs.bib", 15)]
    msgs = " | ".join(f.message for f in r.findings if f.code == "PT204")
    assert (
        "missing comma" in msgs
        and "a % is not a comment" in msgs
        and "swallows the fields after it" in msgs
    )


def test_both_readers_agree_on_malformed_entries():
    data = MALFORMED.encode()
    fast, ref = parse_bib("refs.bib", data), parse_bib_reference("refs.bib", data)
    assert [(e.key, e.line) for e in fast.entries] == [(e.key, e.line) for e in ref.entries]
    assert fast.diagnostics == ref.diagnostics
    # the entry bibtexparser gave up on comes back with the fields read before the error
    open_entry = next(e for e in fast.entries if e.key == "open")
    assert open_entry.line == 14


def test_a_percent_line_outside_entries_is_not_a_comment(make_project):
    # BibTeX skips text between entries but an @ there starts an entry, comment or not
    bib = "% @misc{hidden, title = {Still read}}\n@misc{shown, title = {S}}\n"
    r = check(make_project(paper("\\cite{hidden,shown}", bib)))
    assert at(r, "PT201") == []


def test_read_block_gives_raw_pieces_and_string_names():
    text = '@inproceedings{k, booktitle = icml # " 2020", year = 2020, title = "A {B} c"}'
    blk = read_block(text)
    assert blk is not None and blk.error is None and blk.key == "k"
    f = blk.field_dict()
    assert [(k, t) for k, t, _ in f["booktitle"].pieces] == [
        ("macro", "icml"),
        ("quote", '" 2020"'),
    ]
    assert f["year"].pieces[0][0] == "number"
    assert read_block("@string{x = {y}}") is None and read_block("@preamble{{x}}") is None


def test_undefined_string_is_found_and_defined_strings_and_months_are_not(make_project):
    bib = (
        "@string{nips = {Advances in NeurIPS}}\n"
        "@inproceedings{a, author = {A, B}, title = {T}, booktitle = nips, year = 2020, month = jun}\n"
        "@inproceedings{b, author = {A, B}, title = {U}, booktitle = icml, year = 2020}\n"
    )
    r = check(make_project(paper("\\cite{a,b}", bib)))
    assert [f.message.split("'")[1] for f in r.findings if f.code == "PT207"] == ["b"]
    assert at(r, "PT208") == []  # the empty booktitle is PT207's finding, not a second one


def test_crossref_fields_count_and_a_parent_cited_twice_prints(make_project):
    bib = (
        "@inproceedings{c1, author = {A, B}, title = {T}, crossref = {proc}}\n"
        "@inproceedings{c2, author = {A, B}, title = {U}, crossref = {proc}}\n"
        "@proceedings{proc, title = {Proc}, booktitle = {Proc}, year = 2020}\n"
    )
    r = check(make_project(paper("\\cite{c1,c2}", bib)))
    assert at(r, "PT208") == []
    # plain sorts a printed @proceedings by editor or organization: this one has neither
    assert at(r, "PT209") == [("refs.bib", 3)]
    # cited once, the parent does not print (min-crossrefs is 2): nothing to sort
    r = check(make_project(paper("\\cite{c1}", bib)))
    assert at(r, "PT209") == []


def test_uncited_entries_of_a_shared_bib_are_not_checked(make_project):
    bib = "@article{cited, author = {A}, title = {T}, journal = {J}, year = 2020}\n@article{bad}\n"
    r = check(make_project(paper("\\cite{cited}", bib)))
    assert at(r, "PT208") == [] and at(r, "PT209") == []


def test_biblatex_uses_its_data_model_and_biber_compares_keys_exactly(make_project):
    bib = "@online{web, title = {Docs}, url = {https://x.org}}\n@article{Smith2020, author = {S}, title = {T}, journaltitle = {J}, date = {2020}}\n"
    pre = "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n"
    spec = paper("\\cite{web,smith2020}", bib, pre, style="").replace(
        "\\bibliography{refs}", "\\printbibliography"
    )
    r = check(make_project(spec))
    assert at(r, "PT210") == []  # @online is a biblatex type
    assert at(r, "PT208") == []  # journaltitle and date satisfy biblatex's @article
    assert [f.message for f in r.findings if f.code == "PT201"] == [
        "citation 'smith2020' is not in the bibliography"
    ]
    r = check(make_project(spec.replace("backend=biber", "backend=bibtex")))
    assert at(r, "PT201") == []


def test_a_bst_beside_the_paper_decides_the_types(make_project):
    bst = "ENTRY { author title year } {} { label }\nFUNCTION {article} { }\nFUNCTION {misc} { }\n"
    bib = "@inproceedings{p, author = {A}, title = {T}, booktitle = {B}, year = 2020}\n"
    spec = paper("\\cite{p}", bib, style="\\bibliographystyle{mini}\n") + "%! mini.bst\n" + bst
    r = check(make_project(spec))
    assert [f.message for f in r.findings if f.code == "PT210"] == [
        "@inproceedings 'p' is not a type mini.bst defines: it prints as @misc"
    ]


def test_keys_that_differ_in_case_are_one_key_for_bibtex_only(make_project):
    bib = "@misc{Smith2020, title = {A}}\n@misc{smith2020, title = {B}}\n"
    r = check(make_project(paper("\\cite{smith2020}", bib)))
    assert at(r, "PT205") == [("refs.bib", 2)]
    pre = "\\usepackage{biblatex}\n\\addbibresource{refs.bib}\n"
    spec = paper("\\cite{smith2020}", bib, pre, style="").replace(
        "\\bibliography{refs}", "\\printbibliography"
    )
    assert at(check(make_project(spec)), "PT205") == []


def test_an_entry_without_a_key_is_named_by_its_type(make_project):
    bib = "@misc{site,\n  title = {A site},\n}\n\n@Misc{,\n  url = {https://example.org/},\n}\n"
    r = check(make_project(paper("\\cite{site}", bib)))
    assert [(f.location.line, f.message) for f in r.findings if f.code == "PT204"] == [
        (5, "an @misc entry has no key")
    ]
    data = bib.encode()
    assert (
        parse_bib("refs.bib", data).diagnostics == parse_bib_reference("refs.bib", data).diagnostics
    )


DUP_FIELDS = (
    "@article{cited, author = {A B}, title = {T}, title = {T2}, journal = {J}, year = 2001}\n"
    "@article{shared, author = {C D}, author = {E F}, title = {U}, journal = {J}, year = 2002}\n"
)


def test_a_duplicate_field_of_an_entry_the_paper_does_not_cite_is_information(make_project):
    # BibTeX reads only the entries it prints: it warns about 'cited' and says nothing of 'shared'
    r = check(make_project(paper("\\cite{cited}", DUP_FIELDS)))
    found = {f.message.split("'")[1]: f.severity.name for f in r.findings if f.code == "PT206"}
    assert found == {"cited": "WARNING", "shared": "INFO"}
    r = check(make_project(paper("\\cite{cited}\\nocite{*}", DUP_FIELDS)))
    assert {f.severity.name for f in r.findings if f.code == "PT206"} == {"WARNING"}


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs pdflatex and bibtex")
def test_bibtex_warns_only_about_the_cited_entrys_duplicate_field(make_project, tmp_path):
    root = make_project(paper("\\cite{cited}", DUP_FIELDS))
    pdflatex(root, tmp_path)
    shutil.copy(root / "refs.bib", tmp_path)
    subprocess.run(["bibtex", "main"], cwd=tmp_path, capture_output=True, timeout=60, check=False)
    blg = (tmp_path / "main.blg").read_text()
    assert 'ignoring cited\'s extra "title" field' in blg and "shared" not in blg


# Mendeley escapes the math of an abstract as {\{}...{\}} and \{\}: BibTeX counts every brace
# (balanced), bibtexparser skips the escaped ones (the field closes early)
ESCAPED = (
    "@article{chem,\n author = {Ann Author},\n"
    " abstract = {Tension {\\{}{\\$}{\\}}({\\{}\\{\\}}gamma ){\\{}{\\$}{\\}} of it.},\n"
    " journal = {J Things},\n title = {Surface tension},\n year = {2013},\n}\n\n"
    "@article{next, author = {B. Bee}, title = {Next}, journal = {J}, year = 2020}\n"
)


def test_escaped_braces_that_balance_as_bibtex_counts_them_are_no_error(make_project):
    r = check(make_project(paper("\\cite{chem,next}", ESCAPED)))
    assert [(f.code, f.message) for f in r.findings if f.code in ("PT204", "PT208")] == []
    assert read_block(ESCAPED).error is None
    # a missing comma after such a field is still BibTeX's error
    broken = ESCAPED.replace("of it.},\n journal", "of it.}\n journal")
    r = check(make_project(paper("\\cite{chem,next}", broken)))
    assert at(r, "PT204") == [("refs.bib", 3)]


def test_a_value_ending_in_a_backslash_is_closed_by_its_brace(make_project):
    # `{C:\\data\\}`: bibtexparser gives up on the block (the brace is escaped for it), BibTeX
    # reads a sound entry; it is cited and complete
    bib = ESCAPED.replace(" of it.},", " of it.},\n note = {Saved in C:\\data\\},")
    r = check(make_project(paper("\\cite{chem,next}", bib)))
    assert [(f.code, f.message) for f in r.findings if f.code in ("PT201", "PT204", "PT208")] == []
    assert {e.key for e in parse_bib_reference("refs.bib", bib.encode()).entries} == {
        "chem",
        "next",
    }


def test_bibtex_reads_the_escaped_braces_without_error(make_project, tmp_path):
    import shutil
    import subprocess

    import pytest

    if shutil.which("bibtex") is None:
        pytest.skip("no TeX")
    bib = ESCAPED.replace(" of it.},", " of it.},\n note = {Saved in C:\\data\\},")
    root = make_project(paper("\\cite{chem,next}", bib))
    for cmd in (["pdflatex", "-interaction=nonstopmode", "main.tex"], ["bibtex", "main"]):
        subprocess.run(cmd, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    blg = (root / "main.blg").read_text()
    assert "error message" not in blg and "Warning--" not in blg, blg


# a subscript inside a chemical or math formula command is typeset by that command
FORMULAS = (
    "@article{chem, author = {Ann Author}, journal = {J Cells}, year = 2019,\n"
    " title = {Phases of \\ce{Li[Ni_{1/3}Mn_{2/3}]O2} and \\ensuremath{x_1} in \\(y_2\\)}}\n"
    "@article{bare, author = {B. Bee}, journal = {J}, year = 2020, title = {Cell_7 data}}\n"
)


def test_a_subscript_in_a_formula_command_is_not_an_unescaped_underscore(make_project):
    r = check(make_project(paper("\\cite{chem,bare}", FORMULAS, "\\usepackage{mhchem}\n")))
    assert [f.message.split("'")[1] for f in r.findings if f.code == "PT211"] == ["bare"]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs pdflatex and bibtex")
def test_tex_typesets_the_formula_subscripts_of_a_reference(make_project, tmp_path):
    root = make_project(paper("\\cite{chem}", FORMULAS, "\\usepackage{mhchem}\n"))
    pdflatex(root, tmp_path)
    shutil.copy(root / "refs.bib", tmp_path)
    subprocess.run(["bibtex", "main"], cwd=tmp_path, capture_output=True, timeout=60, check=False)
    log = pdflatex(root, tmp_path)
    assert "! " not in log and "Missing $ inserted" not in log
    assert "\\ce{Li[Ni_{1/3}" in (tmp_path / "main.bbl").read_text()
