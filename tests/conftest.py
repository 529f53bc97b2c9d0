"""Shared fixtures: temporary paper projects written from inline multi-file specs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, write_project


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own cache and data folder, never the user's."""
    base = tmp_path_factory.mktemp("ptcache")
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("PAPERTRACK_DATA_DIR", str(base / "data"))


@pytest.fixture
def make_project(tmp_path):
    counter = iter(range(1000))

    def make(spec: str) -> Path:
        return write_project(tmp_path / f"paper{next(counter)}", spec)

    return make


@pytest.fixture
def corpus_copy(tmp_path):
    """A writable copy of a corpus paper (tests must not touch the shared originals)."""

    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copytree(CORPUS / name, dst, symlinks=True)
        return dst

    return copy


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
