"""Shared fixtures: temporary paper projects written from inline multi-file specs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
if not CORPUS.is_dir():  # a checkout laid out as <work>/<repo>: shared/ sits beside the repo
    CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache and data folder, never the user's."""
    base = tmp_path_factory.mktemp("ptcache")
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("PAPERTRACK_DATA_DIR", str(base / "data"))


def write_project(root: Path, spec: str) -> Path:
    """Write files from a spec where a line `%! path` starts each file (as texlab's tests do)."""
    root.mkdir(parents=True, exist_ok=True)
    current: Path | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None:
            current.parent.mkdir(parents=True, exist_ok=True)
            current.write_text("\n".join(lines).strip("\n") + "\n", encoding="utf-8")

    for line in spec.strip("\n").splitlines():
        if line.startswith("%! "):
            flush()
            current = root / line[3:].strip()
            lines = []
        else:
            lines.append(line)
    flush()
    return root


@pytest.fixture
def make_project(tmp_path):
    counter = iter(range(1000))

    def make(spec: str) -> Path:
        return write_project(tmp_path / f"paper{next(counter)}", spec)

    return make


def corpus_papers() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of a corpus paper (tests must not touch the shared originals)."""

    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copytree(CORPUS / name, dst, symlinks=True)
        return dst

    return copy


def needs_corpus():
    return pytest.mark.skipif(
        not CORPUS.is_dir() and not os.environ.get("CI"), reason="../shared/corpus not present"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a TeX test that skips is a failure: CI installs TeX, so a skip hides a broken setup."""
    outcome = yield
    report = outcome.get_result()
    import shutil

    tex_missing = shutil.which("latexmk") is None or shutil.which("pdflatex") is None
    if os.environ.get("CI") and report.skipped and item.get_closest_marker("tex") and tex_missing:
        report.outcome = "failed"
        report.longrepr = (
            f"TeX test skipped in CI (TeX must be installed by .ci/run): {report.longrepr}"
        )
