"""Choosing the root file among the decoys real repositories hold."""

from __future__ import annotations

import pytest

from papertrack.errors import PapertrackError
from papertrack.project.loader import load_project

BODY = "\n".join(
    f"Paragraph {i} of the real paper with enough words to weigh something." for i in range(40)
)
PAPER = "\\documentclass{article}\n\\begin{document}\n\\input{sections/intro}\n\\bibliography{refs}\n\\end{document}\n"
INTRO = f"%! sections/intro.tex\n\\section{{Introduction}}\n{BODY}\n"


def root(make_project, spec: str, **kw):
    return load_project(make_project(spec), **kw)


def test_template_left_in_is_not_the_root(make_project):
    spec = f"%! paper.tex\n{PAPER}{INTRO}%! template.tex\n\\documentclass{{article}}\n\\begin{{document}}\nSample text of the venue's template. {BODY}\n\\end{{document}}\n"
    p = root(make_project, spec)
    assert p.main == "paper.tex"
    assert [a for a, _ in p.alternatives] == ["template.tex"]


def test_latexdiff_copy_and_scaffold_main_are_decoys(make_project):
    diff = PAPER.replace("\\begin{document}", "\\begin{document}\\DIFadd{new} \\DIFdel{old}" + BODY)
    scaffold = "\\documentclass{article}\n\\title{Article Template}\n\\begin{document}\n\\include{sections/intro}\n\\end{document}\n"
    spec = (
        f"%! neurips_submission.tex\n{PAPER}{INTRO}%! main-diff.tex\n{diff}%! main.tex\n{scaffold}"
    )
    p = root(make_project, spec)
    assert p.main == "neurips_submission.tex"
    reasons = dict(p.alternatives)
    assert "latexdiff" in reasons["main-diff.tex"]
    assert "bibliography" in reasons["main.tex"]


def test_documentclass_in_an_input_header_is_not_a_root(make_project):
    spec = f"%! main.tex\n\\input{{header}}\n\\begin{{document}}\n\\input{{sections/intro}}\n\\end{{document}}\n{INTRO}%! header.tex\n\\documentclass{{article}}\n\\usepackage{{amsmath}}\n"
    p = root(make_project, spec, main="main.tex")
    assert p.main == "main.tex" and "header.tex" in p.files


def test_magic_comment_and_latexmkrc(make_project):
    spec = f"%! thesis.tex\n{PAPER}{INTRO}%! other.tex\n{PAPER}%! sections/x.tex\n% !TEX root = ../thesis.tex\nText.\n"
    p = root(make_project, spec)
    assert p.main == "thesis.tex" and "TEX root" in p.main_reason
    spec = f"%! a.tex\n{PAPER}{INTRO}%! b.tex\n{PAPER}{BODY}\n%! .latexmkrc\n@default_files = ('a.tex');\n"
    p = root(make_project, spec)
    assert p.main == "a.tex" and "latexmkrc" in p.main_reason


def test_a_section_file_given_on_the_command_line_follows_its_magic_comment(make_project):
    folder = make_project(
        f"%! main.tex\n{PAPER}{INTRO}".replace(
            "\\section{Introduction}", "% !TEX root = ../main.tex\n\\section{Introduction}"
        )
    )
    p = load_project(folder / "sections" / "intro.tex")
    assert p.main == "main.tex" and "sections/intro.tex" in p.files


def test_subfiles_children_are_not_roots(make_project):
    child = (
        "%! ch.tex\n\\documentclass[main.tex]{subfiles}\n\\begin{document}\n"
        + BODY
        + "\n\\end{document}\n"
    )
    spec = f"%! main.tex\n\\documentclass{{article}}\n\\usepackage{{subfiles}}\n\\begin{{document}}\n\\subfile{{ch}}\n\\end{{document}}\n{child}"
    p = root(make_project, spec)
    assert p.main == "main.tex" and p.alternatives == []
    assert "ch.tex" in p.files


def test_no_root_is_a_clear_error(make_project):
    with pytest.raises(PapertrackError, match="no root file"):
        root(make_project, "%! notes.tex\nJust notes, no document.\n")
    with pytest.raises(PapertrackError, match=r"main file nothere\.tex not found"):
        root(make_project, f"%! main.tex\n{PAPER}", main="nothere.tex")


def test_includeonly_and_include_forms(make_project):
    spec = (
        "%! main.tex\n\\documentclass{article}\n\\includeonly{chapters/a}\n\\begin{document}\n"
        "\\include{chapters/a}\n\\include{chapters/b}\n\\input chapters/c\n\\import{parts/}{d}\n\\end{document}\n"
        "%! chapters/a.tex\nA.\n%! chapters/b.tex\nB.\n%! chapters/c.tex\nC.\n%! parts/d.tex\n\\subimport{sub/}{e}\n%! parts/sub/e.tex\nE.\n"
    )
    p = root(make_project, spec)
    assert sorted(p.files) == [
        "chapters/a.tex",
        "chapters/c.tex",
        "main.tex",
        "parts/d.tex",
        "parts/sub/e.tex",
    ]


def test_a_subfile_given_on_the_command_line_checks_its_main_document(make_project):
    child = "%! chapters/extra.tex\n\\documentclass[../main.tex]{subfiles}\n\\begin{document}\nMore.\n\\end{document}\n"
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{subfiles}\n\\begin{document}\n"
        "\\subfile{chapters/extra}\n\\end{document}\n" + child
    )
    p = load_project(folder / "chapters" / "extra.tex")
    assert p.main == "main.tex" and "subfile" in p.main_reason and "chapters/extra.tex" in p.files
    with pytest.raises(PapertrackError, match=r"extra\.tex is a subfile of \.\./main\.tex"):
        load_project(folder / "chapters")


def test_a_folder_of_sections_points_at_the_paper_above_it(make_project):
    # papertrack run in sections/: "no root file" with no word of the paper one folder up
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\begin{document}\n\\input{sections/a}\n"
        "\\end{document}\n%! sections/a.tex\nSome text.\n"
    )
    with pytest.raises(PapertrackError, match=r"\.\. holds a paper") as err:
        load_project(folder / "sections")
    assert "papertrack check" in err.value.hint


def test_tex_root_comment_never_leads_outside_the_folder_and_its_repository(tmp_path):
    """Security review F23/MI12: a file given on the command line cannot send papertrack to
    check and compile another folder; a chapter's root inside its repository is still followed."""
    doc = "\\documentclass{article}\n\\begin{document}\nBase.\n\\end{document}\n"
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "main.tex").write_text(doc)
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text("% !TEX root = ../baseline/main.tex\n" + doc)
    project = load_project(paper / "main.tex")
    assert project.folder == paper.resolve() and project.main == "main.tex"
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "chapters").mkdir()
    (repo / "main.tex").write_text(doc)
    (repo / "chapters" / "intro.tex").write_text("% !TEX root = ../main.tex\nChapter.\n")
    project = load_project(repo / "chapters" / "intro.tex")
    assert project.folder == repo.resolve() and project.main == "main.tex"


def test_a_paper_whose_preamble_a_build_script_writes_is_still_a_document(make_project):
    # paper.tex reads its \documentclass from preface.tex, which make.py writes and git does
    # not hold; the one-page newsletter beside it is a complete document, but not the paper
    paper = (
        "\\input{preface}\n\\begin{document}\n\\input{sections/intro}\n"
        "\\bibliography{refs}\n\\end{document}\n"
    )
    note = "\\documentclass{article}\n\\begin{document}\nA short note.\n\\end{document}\n"
    spec = f"%! paper.tex\n{paper}{INTRO}%! newsletter.tex\n{note}"
    p = root(make_project, spec)
    assert p.main == "paper.tex"
    assert "newsletter.tex" in dict(p.alternatives)
    # without the preamble input it is a fragment of another document, as before
    spec = f"%! paper.tex\n{paper.replace(chr(92) + 'input{preface}', '')}{INTRO}%! newsletter.tex\n{note}"
    assert root(make_project, spec).main == "newsletter.tex"


def test_a_missing_preamble_weighs_against_a_document(make_project):
    paper = "\\input{preface}\n\\begin{document}\n\\input{sections/intro}\n\\bibliography{refs}\n\\end{document}\n"
    spec = f"%! draft.tex\n{paper}{INTRO}%! main.tex\n{PAPER}"
    p = root(make_project, spec)
    # main.tex reaches the same sections and builds as it is
    assert p.main == "main.tex"
    assert "preamble input 'preface' is missing" in dict(p.alternatives)["draft.tex"]


def test_without_its_preamble_a_papers_labels_are_not_judged(make_project):
    from helpers import check_static, finding_codes

    # \plotfig{file}{label} is defined in the preamble make.py writes: its labels are unknown
    paper = (
        "\\input{preface}\n\\begin{document}\nAs Figure~\\ref{fig:map} shows.\n"
        "\\plotfig{map.pdf}{fig:map}\n\\input{sections/intro}\n\\end{document}\n"
    )
    r = check_static(make_project(f"%! paper.tex\n{paper}{INTRO}"))
    assert finding_codes(r, "PT001", "PT101") == ["PT001"]
    # a file missing from the body hides nothing: the preamble says what \plotfig does
    whole = (
        "\\documentclass{article}\n\\newcommand\\plotfig[2]{\\label{#2}}\n"
        + paper.replace("\\input{preface}\n", "").replace("Figure~\\ref{fig:map}", "\\ref{fig:mpa}")
    ).replace("\\input{sections/intro}", "\\input{sections/missing}")
    r = check_static(make_project(f"%! paper.tex\n{whole}{INTRO}"))
    assert finding_codes(r, "PT001", "PT101") == ["PT001", "PT101"]
