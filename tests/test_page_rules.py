"""PT5xx and PT7xx on controlled page figures and build logs (the TeX tests cover real builds)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from papertrack.check import run_check, run_rules
from papertrack.config import Config
from papertrack.model.pages import PageAccount
from papertrack.pages.logparse import CompileProblem

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"


@pytest.fixture
def doc():
    # an unsealed copy: these tests set the page figure and the build to control the rules' input
    return run_check(EXAMPLE, cfg=Config(compile=False)).document.variant()


def codes(doc, code, **cfg):
    findings, _ = run_rules(doc, Config(compile=False, **cfg))
    return [f for f in findings if f.code == code]


def build(*problems):
    return SimpleNamespace(
        problems=list(problems),
        first_error=next((p for p in problems if p.kind == "tex-error"), None),
    )


@pytest.mark.parametrize(
    ("method", "pages", "limit", "error", "want"),
    [
        ("exact", 8.4, 8, None, ["error"]),
        ("exact", 7.9, 8, None, []),
        ("estimate", 9.1, 8, 0.8, ["warning"]),  # over by more than the estimate's error
        ("estimate", 8.5, 8, 0.8, ["warning"]),  # within the error: "may be over", never an error
        ("estimate", 7.9, 8, 0.8, []),
        ("exact", 12.0, None, None, []),  # no limit known: figures without a verdict
    ],
)
def test_over_page_limit(doc, method, pages, limit, error, want):
    doc.pages = PageAccount(method, pages, limit=limit, error=error)
    assert [str(f.severity) for f in codes(doc, "PT501")] == want


def test_near_page_limit(doc):
    doc.pages = PageAccount("exact", 7.85, limit=8, over_lines=-9)
    found = codes(doc, "PT502")
    assert len(found) == 1 and "only 0.15 page left" in found[0].message
    doc.pages = PageAccount("exact", 7.5, limit=8)
    assert codes(doc, "PT502") == []
    doc.pages = PageAccount("estimate", 7.9, limit=8, error=0.8)
    assert codes(doc, "PT502") == []


def test_compile_error_and_missing_file(doc):
    doc.compile = build(
        CompileProblem(
            "tex-error",
            "error",
            "Undefined control sequence.",
            "sections/method.tex",
            12,
            "l.12 \\foo",
        ),
        CompileProblem("missing-file", "error", "File `inconsolata.sty' not found.", "main.tex", 8),
    )
    err = codes(doc, "PT701")
    assert [(f.location.file, f.location.line) for f in err] == [("sections/method.tex", 12)]
    missing = codes(doc, "PT703")
    assert [(f.location.file, f.location.line) for f in missing] == [("main.tex", 8)]
    doc.compile = build()
    assert codes(doc, "PT701") == [] and codes(doc, "PT703") == []


def test_build_undefined_only_when_the_source_check_missed_it(doc):
    doc.compile = build(
        CompileProblem(
            "undefined-reference",
            "warning",
            "Reference 'SEC:ABLATION' undefined",
            "sections/evaluation.tex",
            70,
        ),
        CompileProblem(
            "undefined-reference",
            "warning",
            "Reference 'sec:ablation' undefined",
            "sections/evaluation.tex",
            70,
        ),
    )
    found = codes(doc, "PT702")
    assert [f.message for f in found] == [
        "Reference 'SEC:ABLATION' undefined"
    ]  # the other is PT101's


def test_font_substitution_and_overfull(doc):
    doc.compile = build(
        CompileProblem(
            "font-substitution",
            "warning",
            "font shape T1/lmtt/b/n undefined, using T1/lmtt/m/n",
            "main.tex",
            3,
        ),
        CompileProblem(
            "overfull-hbox",
            "info",
            "1 overfull line into the margin; worst 12.5pt too wide",
            "sections/intro.tex",
            20,
        ),
    )
    assert [f.location.line for f in codes(doc, "PT704")] == [3]
    assert [f.location.file for f in codes(doc, "PT705")] == ["sections/intro.tex"]
    doc.compile = build()
    assert codes(doc, "PT704") == [] and codes(doc, "PT705") == []


def test_a_paper_exactly_at_the_limit_has_no_negative_zero_left():
    # menhguin/calibration_paper: 9.00 of 9 pages printed '-0.00 page left'
    assert PageAccount("exact", 9.0, limit=9).summary.endswith("(limit 9): 0.00 page left")
