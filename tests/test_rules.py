"""Each rule fires on its fixture at the expected place and stays silent on the clean twin."""

from __future__ import annotations

import pytest
from rule_fixtures import FIXTURES, SECTIONS, paper

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.rules.registry import all_rules

RULES = all_rules()


def findings(path, code, **cfg):
    result = run_check(path, cfg=Config(compile=False, **cfg), use_cache=False)
    return [f for f in result.findings if f.code == code]


def test_every_rule_has_a_fixture_and_docs():
    from pathlib import Path

    tests = Path(__file__).parent
    other = "".join(p.read_text() for p in tests.glob("test_*.py") if p.name != "test_rules.py")
    for code, rule in RULES.items():
        # rules of the core families have fixtures here; later families test in their own files
        assert code in FIXTURES or f'"{code}"' in other, f"{code} {rule.name} has no fixture"
        for part in ("What it does", "Why it matters", "Example", "Fix"):
            assert part in rule.doc, f"{code} docs lack '{part}'"
        assert rule.name == rule.name.lower() and " " not in rule.name


SPEC_RULES = [c for c, f in FIXTURES.items() if f.fires]


@pytest.mark.parametrize("code", SPEC_RULES)
def test_rule_fires(code, make_project):
    fx = FIXTURES[code]
    found = findings(make_project(fx.fires), code)
    where = sorted(f"{f.location.file}:{f.location.line}" for f in found)
    assert where == sorted(fx.where), [f.message for f in found]


@pytest.mark.parametrize("code", SPEC_RULES)
def test_rule_silent_on_clean_twin(code, make_project):
    found = findings(make_project(FIXTURES[code].clean), code)
    assert found == [], [f"{f.location}: {f.message}" for f in found]


def test_not_utf8(make_project):
    root = make_project(paper(SECTIONS + "\\input{latin}"))
    (root / "latin.tex").write_bytes("Caf\xe9 na\xefve r\xe9sum\xe9.\n".encode("latin-1"))
    found = findings(root, "PT005")
    assert [str(f.location) for f in found] == ["latin.tex:1:1"]
    clean = make_project(paper(SECTIONS + "\\input{utf}", "%! utf.tex\nCafé naïve résumé.\n"))
    assert findings(clean, "PT005") == []


def test_file_too_large(make_project):
    root = make_project(paper(SECTIONS + "\\input{big}"))
    (root / "big.tex").write_text(("word " * 200 + "\n") * 5000)
    found = findings(root, "PT006")
    assert [f.location.file for f in found] == ["big.tex"]
    assert findings(make_project(paper(SECTIONS)), "PT006") == []


def test_parse_failure_on_deep_nesting(make_project):
    root = make_project(paper(SECTIONS + "\\input{deep}"))
    (root / "deep.tex").write_text("{" * 5000 + "x" + "}" * 5000 + "\n")
    result = run_check(root, cfg=Config(compile=False), use_cache=False)
    assert [f.location.file for f in result.findings if f.code == "PT009"] == ["deep.tex"]
    assert findings(make_project(paper(SECTIONS + "{{{{x}}}}")), "PT009") == []


def test_uncited_shared_bib_is_summarised(make_project):
    entries = "".join(f"@misc{{k{i},\n  title = {{Entry number {i}}},\n}}\n" for i in range(120))
    root = make_project(
        paper(SECTIONS + "\\cite{k1}", bib=BIB_SHARED.replace("{entries}", entries))
    )
    found = findings(root, "PT202")
    assert len(found) == 1
    assert found[0].message.startswith("119 of 121 entries in refs.bib are never cited")


BIB_SHARED = "%! refs.bib\n@article{smith2020,\n  title = {A Study of Things},\n}\n{entries}"


def test_severity_override_and_ignore(make_project):
    root = make_project(FIXTURES["PT101"].fires)
    r = run_check(root, cfg=Config(compile=False, severity={"PT101": "info"}), use_cache=False)
    assert {str(f.severity) for f in r.findings if f.code == "PT101"} == {"info"}
    r = run_check(root, cfg=Config(compile=False, ignore=["references"]), use_cache=False)
    assert not [f for f in r.findings if f.code.startswith("PT1")]
    r = run_check(root, cfg=Config(compile=False, select=["undefined-reference"]), use_cache=False)
    assert {f.code for f in r.findings} == {"PT101"}


def test_suppression_same_line_next_line_and_blocks(make_project):
    body = SECTIONS + (
        "\\ref{a1} % papertrack: ignore PT101\n"
        "% papertrack: ignore undefined-reference\n"
        "\\ref{a2}\n"
        "\\ref{a3}\n"
        "% papertrack: off PT1\n"
        "\\ref{a4}\n"
        "% papertrack: on\n"
        "\\ref{a5}\n"
    )
    r = run_check(make_project(paper(body)), cfg=Config(compile=False), use_cache=False)
    left = sorted(f.message.split("'")[1] for f in r.findings if f.code == "PT101")
    assert left == ["a3", "a5"]
    assert r.suppressed == 3


def test_file_wide_suppression_and_per_file_ignores(make_project):
    root = make_project(
        paper(
            SECTIONS + "\\input{draft}",
            "%! draft.tex\n% papertrack: ignore-file PT3\nTODO everything\n",
        )
    )
    assert findings(root, "PT301") == []
    root = make_project(paper(SECTIONS + "\\input{draft}", "%! draft.tex\nTODO everything\n"))
    assert findings(root, "PT301", per_file_ignores={"draft.tex": ["placeholder"]}) == []
    assert len(findings(root, "PT301")) == 1
