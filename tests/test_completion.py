"""The completion model: statuses, tasks with real file:line, felt vs honest, configurable weights."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import CORPUS, corpus_papers, needs_corpus

from papertrack.check import run_check
from papertrack.completion import STATUSES, WEIGHTS, assess
from papertrack.completion.locate import Locator
from papertrack.config import Config, load_config
from papertrack.errors import PapertrackError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROSE = "We describe the method in plain words so that the section has real prose in it. "


def completion(folder, cfg: Config | None = None):
    cfg = cfg or load_config(folder)
    cfg.compile = False
    return assess(run_check(folder, cfg=cfg, use_cache=False))


def expected(name: str) -> dict:
    with open(CORPUS / "EXPECTED.toml", "rb") as fh:
        return tomllib.load(fh)["papers"][name]


def places(details: str) -> set[str]:
    """`file:line` places from EXPECTED's todo_details ('a.tex:4, b.tex:32, :79' -> a.tex:4, b.tex:32, b.tex:79)."""
    out, current = set(), None
    for m in re.finditer(r"([\w/.-]+\.tex)?:(\d+)", details.split(";")[0]):
        current = m.group(1) or current
        out.add(f"{current}:{m.group(2)}")
    return out


def task_places(comp, part: str | None = None) -> set[str]:
    return {
        f"{loc.file}:{loc.line}"
        for t in comp.tasks
        if part is None or t.part == part
        for loc in t.locations
    }


# --- the corpus drafts ----------------------------------------------------------------------


@needs_corpus()
def test_firefly_is_less_done_than_it_feels_and_says_why():
    comp = completion(CORPUS / "ieee-firefly-draft", Config())
    exp = expected("ieee-firefly-draft")
    assert comp.honest < comp.felt
    assert comp.felt - comp.honest >= 0.15
    # every live TODO of the ground truth is a task at its file:line, and nothing else is
    assert task_places(comp, "todos") == places(exp["todo_details"])
    assert comp.todos == exp["todo_markers"]
    # the undefined citations are one task naming the missing keys
    (bib,) = [t for t in comp.tasks if t.text.startswith("Add bibliography entries")]
    assert f"{len(exp['undefined_cites'])} undefined citation keys" in bib.text
    assert all(k in bib.detail for k in exp["undefined_cites"][:8])
    # the floats no text refers to, and the reference whose label is commented out
    unref = {f.label for f in comp.floats if "unreferenced" in f.problems}
    assert unref == set(exp["unreferenced_floats"])
    assert any(
        "fig:attack-illustration" in t.text and t.locations[0].file == "evaluation.tex"
        for t in comp.tasks
    )
    # the Background section is only a heading and floats (its text is commented out)
    background = next(r for r in comp.sections if r.title == "Background")
    assert background.status == "stub" and background.words < 40
    assert {"open TODOs", "bibliography", "writing", "figures and tables"} <= {
        r.split(":")[0] for r in comp.reasons()
    }


@needs_corpus()
def test_sherlock_is_less_done_than_it_feels_and_says_why():
    comp = completion(CORPUS / "journal-sherlock-draft2018", Config())
    assert comp.honest < comp.felt
    # the two figure files that stop the build (EXPECTED compile_note) are tasks at their line
    missing = {
        (t.locations[0].file, t.locations[0].line): t.text
        for t in comp.tasks
        if "missing image" in t.text
    }
    assert set(missing) == {("main.tex", 84), ("main.tex", 95)}
    assert "figs/4_brains_panels.pdf" in missing[("main.tex", 84)]
    assert "figs/5_topics.pdf" in missing[("main.tex", 95)]
    states = {f.label: f.state for f in comp.floats}
    assert sum(1 for s in states.values() if s == "missing file") == 2
    # no section with missing figures is called finished
    intro = next(r for r in comp.sections if r.title == "Introduction")
    assert intro.status == "drafting"


@needs_corpus()
@pytest.mark.parametrize("name", corpus_papers())
def test_every_corpus_paper_honest_never_above_felt_and_tasks_point_into_the_paper(name):
    comp = completion(CORPUS / name, Config())
    assert 0.0 <= comp.honest <= comp.felt <= 1.0
    assert all(r.status in STATUSES for r in comp.sections)
    assert [t.hours for t in comp.tasks] == sorted((t.hours for t in comp.tasks), reverse=True)
    for t in comp.tasks:
        assert t.hours > 0, t
        for loc in t.locations:
            path = CORPUS / name / loc.file
            assert path.is_file(), (t.text, loc)
            assert 1 <= loc.line <= len(path.read_bytes().splitlines()) + 1, (t.text, loc)


@needs_corpus()
@pytest.mark.parametrize(
    "name",
    [
        "aaai25-centroid-distance",
        "iclr-rnn-extrapolation",
        "lncs-asvc",
        "neurips24-catastrophic-goodhart",
    ],
)
def test_published_papers_do_not_look_like_drafts(name):
    comp = completion(CORPUS / name, Config())
    assert comp.honest >= 0.85, comp.reasons()
    assert not [r.title for r in comp.sections if r.status in ("missing", "stub")]


# --- statuses and tasks on small papers -----------------------------------------------------

DRAFT = r"""
%! papertrack.toml
page-limit = 2
%! main.tex
\documentclass{article}
\usepackage{todonotes}
\begin{document}
\begin{abstract}
PROSE
\end{abstract}
\section{Introduction}
PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE
\input{related}
\section{Method}
\todo[author=Ana]{explain the loss}
Short.
\begin{figure}\missingfigure{the pipeline}\caption{Pipeline.}\label{fig:pipe}\end{figure}
\section{Experiments}
PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE
PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE PROSE
See \cref{fig:pipe}.
\begin{table}\centering x\caption{Numbers.}\label{tab:numbers}\end{table}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! related.tex
% papertrack: owner Bob
\section{Related Work}
PROSE PROSE PROSE PROSE PROSE PROSE Prior work~\cite{a,b}.
%! refs.bib
@article{a, title={First}, author={A}, journal={J}, year={2020}}
@article{b, title={Second}, author={B}, journal={J}}
@article{c, title={Third}, author={C}, journal={J}, year={2021}}
"""


def draft(make_project, extra_config: str = ""):
    spec = DRAFT.replace("PROSE", PROSE.strip())
    if extra_config:
        spec = spec.replace("page-limit = 2\n", "page-limit = 2\n" + extra_config + "\n")
    return make_project(spec)


def test_statuses_owners_and_tasks_on_a_small_draft(make_project):
    comp = completion(draft(make_project))
    rows = {r.title: r for r in comp.sections}
    assert rows["Introduction"].words > 150  # its words come before \input{related}
    assert rows["Method"].status == "stub"
    assert rows["Related Work"].status in ("stub", "drafting")
    assert rows["Related Work"].owner == "Bob"  # % papertrack: owner in its file
    assert rows["Related Work"].cites == 2
    assert any("cites 2 works" in x for x in rows["Related Work"].reasons)
    assert not rows["Conclusion"].present and rows["Conclusion"].status == "missing"
    (todo,) = rows["Method"].todos
    assert todo.owner == "Ana" and todo.location.file == "main.tex" and todo.location.line == 11
    by_text = {t.text: t for t in comp.tasks}
    fig = next(t for t in comp.tasks if t.text.startswith("Make figure 'fig:pipe'"))
    assert fig.hours == WEIGHTS["figure"] and fig.section == "Method"
    assert any(t.text.startswith("Discuss table 'tab:numbers'") for t in comp.tasks)
    assert any(t.text.startswith("Write the missing 'Conclusion' section") for t in comp.tasks)
    assert any("more related works" in t.text and t.owner == "Bob" for t in comp.tasks)
    (bib,) = [t for t in comp.tasks if "missing fields" in t.text]
    assert "b 'Second' (no year)" in bib.detail
    assert any(t.text.startswith("Cite or drop 1 uncited") for t in comp.tasks)
    assert "Resolve: \\todo: explain the loss" in by_text
    assert by_text["Resolve: \\todo: explain the loss"].owner == "Ana"
    floats = {f.label: f for f in comp.floats}
    assert floats["fig:pipe"].state == "placeholder"
    assert floats["tab:numbers"].problems == ["unreferenced"]
    assert comp.honest < comp.felt


def test_over_the_page_limit_is_work_left(make_project):
    long = (PROSE * 40 + "\n\n") * 6
    folder = make_project(
        "%! papertrack.toml\npage-limit = 2\n%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
        "\\section{Introduction}\n"
        + long
        + "\\section{Conclusion}\n"
        + PROSE * 5
        + "\n\\end{document}\n"
    )
    comp = completion(folder)
    (cut,) = [t for t in comp.tasks if t.part == "pages"]
    assert cut.text.startswith("Cut about") and "2-page limit" in cut.text
    assert cut.hours == pytest.approx((comp.pages.main_pages - 2) * WEIGHTS["trim-page"], rel=0.05)


def test_anonymity_and_checklist_are_work_left(make_project):
    body = PROSE * 30
    folder = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage[review]{acl}\n\\begin{document}\n"
        "\\section{Introduction}\n" + body + " Write to jdoe@mit.edu for the code.\n"
        "\\section{Conclusion}\n" + PROSE * 4 + "\n\\end{document}\n"
    )
    comp = completion(folder)
    assert any(t.part == "anonymity" and "jdoe@mit.edu" in t.text for t in comp.tasks)
    neurips = make_project(
        "%! main.tex\n\\documentclass{article}\n\\usepackage{neurips_2024}\n\\begin{document}\n"
        "\\section{Introduction}\n"
        + body
        + "\n\\section{Conclusion}\n"
        + PROSE * 4
        + "\n\\end{document}\n"
    )
    comp = completion(neurips)
    assert any(t.part == "checklist" and "NeurIPS Paper Checklist" in t.text for t in comp.tasks)


def test_targets_from_the_config(make_project):
    folder = draft(make_project, 'targets = { "Introduction" = 600, "Discussion" = 300 }')
    comp = completion(folder)
    rows = {r.title: r for r in comp.sections}
    assert rows["Introduction"].target == 600 and rows["Introduction"].configured
    assert rows["Introduction"].status == "drafting"
    assert not rows["Discussion"].present and rows["Discussion"].target == 300


# --- the weights are configurable and validated ---------------------------------------------


def test_weights_from_the_config_change_the_figures(make_project):
    base = completion(draft(make_project))
    heavy = completion(
        draft(make_project, '[completion]\ntodo = 4\nfigure = 10\n"words-per-hour" = 100')
    )
    assert heavy.weights["todo"] == 4 and heavy.weights["figure"] == 10
    todo = next(t for t in heavy.tasks if t.part == "todos")
    assert todo.hours == 4
    assert heavy.honest != base.honest
    assert heavy.felt == base.felt  # the felt figure is words against the target only


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[completion]\ntodos = 1", "'todos' is none of them (did you mean 'todo'?)"),
        ("[completion]\ntodo = -1", "todo must be 0 or more"),
        ('[completion]\ntodo = "much"', "todo must be 0 or more"),
        ('[completion]\n"written-at" = 2', "written-at must be a share between 0 and 1"),
        ('[completion]\n"words-per-hour" = 0', "words-per-hour must be more than 0"),
        ("completion = 3", "'completion' must be a table"),
    ],
)
def test_bad_weights_are_a_config_error_naming_the_file(tmp_path, table, message):
    (tmp_path / "papertrack.toml").write_text(table + "\n")
    with pytest.raises(PapertrackError) as err:
        load_config(tmp_path)
    assert "papertrack.toml" in err.value.message and message in err.value.message


def test_honest_figure_follows_the_documented_formula(make_project):
    comp = completion(draft(make_project))
    w = comp.weights
    credit = sum(r.credit(w["written-at"]) for r in comp.sections)
    other = sum(t.hours for t in comp.tasks if t.part not in ("writing", "sections"))
    total_h = comp.target_words / w["words-per-hour"]
    assert comp.hours_done == pytest.approx(credit / w["words-per-hour"])
    assert comp.honest == pytest.approx(min(comp.felt, comp.hours_done / (total_h + other)))
    assert comp.felt == pytest.approx(min(1.0, comp.words / (w["written-at"] * comp.target_words)))


# --- where things are ------------------------------------------------------------------------


def test_locator_follows_includes(make_project):
    folder = make_project(
        r"""
%! main.tex
\documentclass{article}
\begin{document}
\input{front}
\section{Alpha}
\input{a}
\section{Beta}
\input{b}
\begin{figure}\caption{x}\label{fig:x}\end{figure}
\end{document}
%! front.tex
Front matter text.
%! a.tex
Text of alpha.
%! b.tex
Text of beta.
\section{Gamma}
Text of gamma.
"""
    )
    doc = run_check(folder, cfg=Config(compile=False), use_cache=False).document
    loc = Locator(doc)
    titles = [s.title for s in loc.tops]
    assert titles == ["Alpha", "Beta", "Gamma"]

    def at(file, line):
        i = loc.section_of(file, line)
        return None if i is None else titles[i]

    assert at("front.tex", 1) is None
    assert at("a.tex", 1) == "Alpha"
    assert at("b.tex", 1) == "Beta"
    assert at("b.tex", 3) == "Gamma"
    assert at("main.tex", 9) == "Gamma"  # after \input{b}, whose last section is Gamma
    assert at("unknown.tex", 1) is None
