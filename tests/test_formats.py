"""--format github (workflow commands) and --format sarif (checked against the official schema)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from papertrack.check import run_check
from papertrack.cli import main
from papertrack.config import Config
from papertrack.findings import Finding, Location, Severity
from papertrack.reporters import github, sarif

# ../shared beside the checkout (the brief's parents[2] form is tried first for other layouts)
_HERE = Path(__file__).resolve()
SHARED = next(
    (
        p / "shared"
        for p in (_HERE.parents[2].parent, _HERE.parents[1].parent)
        if (p / "shared").is_dir()
    ),
    _HERE.parents[1].parent / "shared",
)
CORPUS = SHARED / "corpus"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
PAPERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []

MAIN = r"""\documentclass{article}
\begin{document}
\section{Introduction}
See Figure~\ref{fig:missing} and \cite{known}.
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
BIB = """@article{known, title={Known}, author={A, B}, journal={J}, year={2020}}
@article{unused, title={Unused}, author={C, D}, journal={J}, year={2021}}
"""
EXPECTED_GITHUB = [
    "::error file=paper/main.tex,line=4,col=12,title=PT101 undefined-reference::"
    r"undefined reference 'fig:missing' (\ref)",
    "::notice file=paper/refs.bib,line=2,col=1,title=PT202 uncited-bib-entry::"
    "bib entry 'unused' is never cited",
    "papertrack: 1 error, 0 warnings, 1 info in paper/main.tex",
]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _paper(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "main.tex").write_text(MAIN, encoding="utf-8")
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    return folder


def _git_repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _check(path: Path, **cfg):
    return run_check(path, cfg=Config(compile=False, **cfg), use_cache=False)


# --- github ---------------------------------------------------------------------------------


def test_escaping_follows_github_rules():
    assert github.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations_relative_to_the_repository_root(tmp_path):
    paper = _paper(_git_repo(tmp_path) / "paper")
    result = _check(paper, select=["PT101", "PT202"])
    assert github.render(result).splitlines() == EXPECTED_GITHUB


def test_github_paths_relative_to_cwd_outside_git(tmp_path, monkeypatch):
    paper = _paper(tmp_path / "outside" / "paper")
    monkeypatch.chdir(tmp_path / "outside")
    if github.git_toplevel(str(paper.resolve())) is not None:
        pytest.skip("the temporary folder is inside a git repository")
    result = _check(paper, select=["PT101", "PT202"])
    assert github.render(result).splitlines() == EXPECTED_GITHUB


def test_github_cli_exit_code_and_output(tmp_path):
    paper = _paper(_git_repo(tmp_path) / "paper")
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(paper),
            "--no-compile",
            "--format",
            "github",
            "--select",
            "PT101",
            "--select",
            "PT202",
        ],
    )
    assert res.exit_code == 1, res.output
    assert res.output.splitlines() == EXPECTED_GITHUB


def test_github_escapes_messages_and_properties(tmp_path):
    paper = _paper(_git_repo(tmp_path) / "paper")
    result = _check(paper, select=["PT101"])
    result = dataclasses.replace(
        result,
        findings=(
            Finding(
                "PT101",
                "undefined-reference",
                Severity.ERROR,
                "100% broken\nsecond line",
                Location("a,b:c.tex", 3, 7),
                "fix it",
            ),
            Finding("PT303", "stub-section", Severity.WARNING, "no location", None),
            Finding(
                "PT202", "uncited-bib-entry", Severity.INFO, "info", Location("refs.bib", 1, 1)
            ),
        ),
    )
    assert github.render(result).splitlines()[:3] == [
        "::error file=paper/a%2Cb%3Ac.tex,line=3,col=7,title=PT101 undefined-reference::"
        "100%25 broken%0Asecond line%0Afix: fix it",
        "::warning file=paper/main.tex,title=PT303 stub-section::no location",
        "::notice file=paper/refs.bib,line=1,col=1,title=PT202 uncited-bib-entry::info",
    ]


# --- sarif ----------------------------------------------------------------------------------


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} not present")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _assert_consistent(log: dict) -> None:
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        art = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "SRCROOT" and not art["uri"].startswith(("/", "file:"))
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")


def test_sarif_rule_metadata_and_results(tmp_path):
    paper = _paper(_git_repo(tmp_path) / "paper")
    result = _check(paper)
    extra = Finding(
        "PT102",
        "duplicate-label",
        Severity.ERROR,
        "twice",
        Location("main.tex", 4, 1),
        related=[Location("main.tex", 3, 2)],
    )
    result = dataclasses.replace(result, findings=(*result.findings, extra))
    log = json.loads(sarif.render(result))
    _validator().validate(log)
    _assert_consistent(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "papertrack" and driver["informationUri"].startswith("https://")
    by_id = {r["id"]: r for r in driver["rules"]}
    pt101 = by_id["PT101"]
    assert pt101["name"] == "undefined-reference"
    assert pt101["defaultConfiguration"]["level"] == "error"
    assert (
        "What it does" in pt101["fullDescription"]["text"]
        and "**Fix:**" in pt101["help"]["markdown"]
    )
    assert by_id["PT202"]["defaultConfiguration"]["level"] == "note"
    results = log["runs"][0]["results"]
    ref = next(r for r in results if r["ruleId"] == "PT101")
    assert ref["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "paper/main.tex"
    assert ref["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 12}
    dup = next(r for r in results if r["ruleId"] == "PT102")
    assert dup["relatedLocations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 2,
    }


def test_sarif_uri_is_percent_encoded(tmp_path):
    paper = _git_repo(tmp_path) / "my paper"
    paper.mkdir()
    (paper / "main.tex").write_text(MAIN.replace(r" and \cite{known}", ""), encoding="utf-8")
    log = json.loads(sarif.render(_check(paper, select=["PT101"])))
    _validator().validate(log)
    where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "my%20paper/main.tex"


@pytest.mark.corpus
@pytest.mark.parametrize("name", PAPERS)
def test_sarif_validates_for_every_corpus_paper(name):
    validator = _validator()
    result = run_check(CORPUS / name, cfg=Config(compile=False))
    log = json.loads(sarif.render(result))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    _assert_consistent(log)
    assert len(log["runs"][0]["results"]) == len(result.findings)


def test_corpus_is_present_in_ci():
    if not PAPERS:
        pytest.skip("../shared/corpus not present")
    assert len(PAPERS) >= 9


# --- json -----------------------------------------------------------------------------------

JSON_SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "check-output.schema.json"


def _json_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _assert_valid(validator, data: dict) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_json_schema_accepts_a_small_paper_and_rejects_a_broken_finding(tmp_path):
    validator = _json_validator()
    paper = _paper(tmp_path / "paper")
    res = CliRunner().invoke(main, ["check", str(paper), "--no-compile", "--format", "json"])
    data = json.loads(res.output)
    _assert_valid(validator, data)
    assert data["findings"], "the fixture has findings"
    data["findings"][0]["severity"] = "fatal"
    assert not validator.is_valid(data)


@pytest.mark.corpus
@pytest.mark.parametrize("name", PAPERS)
def test_json_output_matches_the_documented_schema(name):
    validator = _json_validator()
    res = CliRunner().invoke(
        main, ["check", str(CORPUS / name), "--no-compile", "--format", "json"]
    )
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.output)
    _assert_valid(validator, data)
    assert data["summary"]["errors"] == sum(f["severity"] == "error" for f in data["findings"])
