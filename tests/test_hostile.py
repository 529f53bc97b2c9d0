"""Hostile LaTeX in the compile path: no reading or writing outside, no shell, bounded time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from papertrack.pages import compile_paper

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]


def paper(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"
    )
    return folder


def test_reading_files_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("TOPSECRETVALUE\n")
    folder = paper(tmp_path, f"Start \\input{{{secret}}} \\input{{../secret}} end.")
    result = compile_paper(folder, Path("main.tex"), timeout=120)
    assert result.first_error is not None and "secret" in result.first_error.message
    for p in result.build_dir.rglob("*"):
        if p.is_file() and p.suffix in (".pdf", ".log", ".aux"):
            assert b"TOPSECRETVALUE" not in p.read_bytes(), p


def test_writing_outside_the_build_folder_is_refused(tmp_path):
    body = (
        "\\newwrite\\f\\immediate\\openout\\f=../../../../escaped.tex\\immediate\\write\\f{x}"
        f"\\immediate\\closeout\\f \\immediate\\openout\\f={tmp_path}/abs.tex\\immediate\\closeout\\f Text."
    )
    folder = paper(tmp_path, body)
    result = compile_paper(folder, Path("main.tex"), timeout=120)
    assert not (tmp_path / "abs.tex").exists()
    assert not list(tmp_path.rglob("escaped.tex"))
    assert not list(result.build_dir.parent.rglob("escaped.tex")) or result.build_dir.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["main.tex"]  # the paper folder is untouched


def test_an_infinite_macro_loop_is_stopped_and_reported(tmp_path):
    folder = paper(tmp_path, "\\def\\loop{\\loop x}\\loop")
    result = compile_paper(folder, Path("main.tex"), timeout=8)
    assert result.timed_out or result.first_error is not None
    kinds = {p.kind for p in result.problems}
    assert kinds & {"timeout", "tex-error", "output-limit"}
