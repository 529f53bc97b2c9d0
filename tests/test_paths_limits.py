"""The loader on hostile folders: unreadable files, absurd names, hundreds of missing inputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.project import texdist
from papertrack.project.loader import load_project

SRC = Path(__file__).resolve().parents[1] / "src"


def test_an_input_name_longer_than_a_file_name_can_be_is_missing(make_project):
    long = "a" * 300
    folder = make_project(
        f"%! main.tex\n\\documentclass{{article}}\n\\begin{{document}}\n\\input{{{long}}}\n"
        f"\\include{{dir/{long}}}\n\\includegraphics{{{long}}}\n% !TEX root = {long}.tex\n"
        "\\end{document}\n"
    )
    r = run_check(folder, cfg=Config(compile=False), use_cache=False)
    assert sorted(f.code for f in r.findings if f.code in ("PT001", "PT106")) == [
        "PT001",
        "PT001",
        "PT106",
    ]


def test_hundreds_of_missing_inputs_ask_tex_once(make_project, monkeypatch):
    body = "\n".join(f"\\input{{missing{i}}}" for i in range(500))
    folder = make_project(
        f"%! main.tex\n\\documentclass{{article}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    calls: list[list[str]] = []

    def fake_run(cmd, **kw):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", "")

    monkeypatch.setattr(texdist, "_cache", {})
    monkeypatch.setattr(texdist.shutil, "which", lambda name: "/usr/bin/kpsewhich")
    monkeypatch.setattr(texdist.subprocess, "run", fake_run)
    p = load_project(folder)
    assert len(calls) == 1 and "missing499.tex" in calls[0]
    assert sum(d.rule == "missing-include" for d in p.diagnostics) == 500
    load_project(folder)  # the answers are remembered: no second process
    assert len(calls) == 1


def test_names_with_a_folder_are_never_asked_of_tex(monkeypatch):
    monkeypatch.setattr(texdist, "_cache", {})
    monkeypatch.setattr(texdist.shutil, "which", lambda name: "/usr/bin/kpsewhich")

    def fail(*a, **kw):
        raise AssertionError("kpsewhich must not run for the paper's own paths")

    monkeypatch.setattr(texdist.subprocess, "run", fail)
    assert texdist.kpsewhich(["sections/intro", "figs/x.tex", "-version/x", ""]) == []


def test_tex_files_a_check_needs_are_found_in_one_kpsewhich_run(make_project, monkeypatch):
    """The .bst of a paper is asked together with the text font's .tfm (each kpsewhich run
    reads TeX's whole file database), and each answer is remembered."""
    from papertrack.model import fontmetrics
    from papertrack.model.build import build_document
    from papertrack.parse import bibstyle

    folder = make_project(
        "%! main.tex\n\\documentclass{article}\\usepackage{times}\n\\begin{document}\n"
        "Text \\cite{a}.\n\\bibliographystyle{ourstyle}\n\\bibliography{refs}\n\\end{document}\n"
        "%! refs.bib\n@article{a, title={T}, author={A}, year={2020}}\n"
    )
    calls: list[list[str]] = []

    def fake_run(cmd, **kw):
        calls.append(cmd)
        # kpsewhich prints one line per name it finds and exits 1 when one is missing
        return subprocess.CompletedProcess(cmd, 1, "/tex/fonts/tfm/ptmr7t.tfm\n", "")

    monkeypatch.setattr(texdist, "_located", {})
    monkeypatch.setattr(texdist, "_wanted", [])
    monkeypatch.setattr(texdist.shutil, "which", lambda name: "/usr/bin/kpsewhich")
    monkeypatch.setattr(texdist.subprocess, "run", fake_run)
    doc = build_document(load_project(folder))
    assert calls == []  # nothing asked yet: the .bst is only wanted
    assert texdist.locate("ptmr7t.tfm") == "/tex/fonts/tfm/ptmr7t.tfm"
    assert calls == [["/usr/bin/kpsewhich", "--", "ptmr7t.tfm", "ourstyle.bst"]]
    assert bibstyle.detect_style(doc).source == ""  # not found in TeX's tree either
    assert fontmetrics._kpsewhich("ptmr7t.tfm") is not None
    assert len(calls) == 1


def _unreadable_paper(base: Path) -> Path:
    folder = base / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "\\input{secret}\n\\includegraphics{fig}\n\\end{document}\n"
    )
    for name in ("secret.tex", "private.txt", "notes.tex", "README.md", "Makefile", ".latexmkrc"):
        (folder / name).write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    (folder / ".vscode").mkdir()
    (folder / ".vscode" / "settings.json").write_text('{"latex-workshop.latex.rootFile": "x"}')
    (folder / "fig.pdf").write_bytes(b"%PDF")
    (folder / "hidden").mkdir()
    (folder / "hidden" / "old.tex").write_text("x")
    for p in [*folder.iterdir(), folder / ".vscode" / "settings.json"]:
        if p.name != "main.tex":
            p.chmod(0)
    return folder


def test_unreadable_files_anywhere_in_the_folder_as_a_normal_user():
    """chmod 000 only bites a normal user: as root the check runs as nobody (setpriv)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot bite")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import click, rich, pylatexenc"],
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(SRC)},
        )
        if probe.returncode != 0:
            pytest.skip("nobody cannot run this Python (it lives in a private folder)")
    base = Path(tempfile.mkdtemp(prefix="pt-perm-"))
    try:
        base.chmod(0o755)
        folder = _unreadable_paper(base)
        cache = base / "cache"
        cache.mkdir()
        cache.chmod(0o777)
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "PAPERTRACK_CACHE_DIR": str(cache / "c"),
            "PAPERTRACK_DATA_DIR": str(cache / "d"),
            "HOME": str(cache),
        }
        r = subprocess.run(
            [*prefix, sys.executable, "-m", "papertrack", "check", "--no-compile", str(folder)],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        out = r.stdout + r.stderr
        assert "Traceback" not in out
        assert r.returncode == 1, out  # the unreadable include is an error finding
        assert "main file: main.tex" in " ".join(out.split())
        assert "secret.tex: permission denied" in out
    finally:
        for dirpath, dirnames, filenames in os.walk(base):
            for n in dirnames + filenames:
                os.chmod(os.path.join(dirpath, n), 0o700, follow_symlinks=False)
        os.chmod(base, 0o700)
        for dirpath, dirnames, _ in os.walk(base):
            for n in dirnames:
                os.chmod(os.path.join(dirpath, n), 0o700)
        shutil.rmtree(base, ignore_errors=True)


def test_unreadable_evidence_and_includes_with_permissions_simulated(tmp_path, monkeypatch):
    """As root chmod 000 does not stop reads: the same folder with the refusals simulated."""
    folder = _unreadable_paper(tmp_path)
    refused = {p for p in folder.rglob("*") if p.name != "main.tex"}
    real_bytes, real_text, real_iterdir = Path.read_bytes, Path.read_text, Path.iterdir

    def guard(p: Path) -> None:
        if p in refused or p.parent in refused:
            raise PermissionError(13, "Permission denied", str(p))

    def read_bytes(self):
        guard(self)
        return real_bytes(self)

    def read_text(self, *a, **kw):
        guard(self)
        return real_text(self, *a, **kw)

    def iterdir(self):
        guard(self)
        return real_iterdir(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    (folder / ".github" / "workflows").mkdir(parents=True)
    refused.add(folder / ".github" / "workflows")
    r = run_check(folder, cfg=Config(compile=False), use_cache=False)
    assert r.document.main == "main.tex"
    assert [f.message for f in r.findings if f.code == "PT004"] == ["secret.tex: permission denied"]


def test_absolute_and_climbing_names_leave_the_project_and_are_not_read(make_project):
    folder = make_project(
        "%! paper/main.tex\n\\documentclass{article}\n\\usepackage{import}\n\\begin{document}\n"
        "\\input{/etc/hostname}\n\\import{/etc/}{hostname}\n\\input{../outside}\n\\end{document}\n"
        "%! outside.tex\nNot part of the paper.\n"
    )
    p = load_project(folder / "paper")
    assert [d.rule for d in p.diagnostics] == ["include-outside-project"] * 3
    assert list(p.files) == ["main.tex"]
