"""Section targets under a page limit: the floor of a short section against the pages left."""

from __future__ import annotations

from papertrack.check import run_check
from papertrack.completion import assess
from papertrack.config import load_config

SENTENCE = "We describe the method in plain words so that the section has real prose in it. "


def prose(words: int) -> str:
    return " ".join((SENTENCE * (words // 16 + 1)).split()[:words])


def paper(make_project, limit: int, implementation: int):
    """A one-column paper of about 2200 words with an Implementation section of the given size."""
    body = {
        "Introduction": 300,
        "Related Work": 220,
        "Method": 900,
        "Experiments": 600,
        "Implementation": implementation,
        "Conclusion": 100,
    }
    sections = "\n".join(f"\\section{{{t}}}\n{prose(n)}\n" for t, n in body.items())
    spec = (
        "%! papertrack.toml\n"
        f"page-limit = {limit}\n"
        "%! main.tex\n"
        "\\documentclass{article}\n\\begin{document}\n"
        f"\\begin{{abstract}}\n{prose(150)}\n\\end{{abstract}}\n{sections}\\end{{document}}\n"
    )
    folder = make_project(spec)
    cfg = load_config(folder)
    cfg.compile = False
    comp = assess(run_check(folder, cfg=cfg, use_cache=False))
    return {r.title: r for r in comp.sections}, comp


def test_a_paper_that_fills_its_pages_has_no_words_left_to_write_in_a_short_section(make_project):
    """Four pages hold about 2200 words: the paper fills them. Its 120-word Implementation is
    below half the usual share of a body section (about 230 words), but there is no room left
    for more words: it is not writing left (its target was that floor, and it read drafting)."""
    rows, comp = paper(make_project, 4, 120)
    impl = rows["Implementation"]
    assert impl.target <= 130 and impl.status in ("drafted", "polished")
    assert not [t for t in comp.tasks if t.part == "writing" and t.section == "Implementation"]


def test_with_pages_left_a_short_section_is_still_lifted_to_its_floor(make_project):
    """Six pages hold about 3400 words: room for the floor of the Implementation section."""
    rows, _ = paper(make_project, 6, 120)
    impl = rows["Implementation"]
    assert impl.target >= 350 and impl.status == "drafting"


def test_a_stub_keeps_its_floor_even_when_the_pages_are_full(make_project):
    """A 45-word Implementation (under a quarter of its floor) is a section unwritten."""
    rows, _ = paper(make_project, 4, 45)
    impl = rows["Implementation"]
    assert impl.target >= 220 and impl.status == "stub"
