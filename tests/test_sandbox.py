"""The bubblewrap sandbox itself: detection, what a sandboxed program sees, the fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from papertrack import gitsafe
from papertrack.cli import main
from papertrack.pages import compile_paper, sandbox

needs_bwrap = pytest.mark.skipif(
    not sandbox.availability().ok, reason=f"no sandbox here: {sandbox.availability().reason}"
)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv(sandbox.MODE_ENV, raising=False)
    sandbox._cache.clear()
    yield
    sandbox._cache.clear()


def test_the_probe_runs_once_per_process(monkeypatch):
    first = sandbox.availability()

    def boom(*a, **k):
        raise AssertionError("probed twice")

    monkeypatch.setattr(sandbox.subprocess, "run", boom)
    assert sandbox.availability() == first


def test_switched_off_missing_or_broken_bwrap_means_the_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv(sandbox.MODE_ENV, "off")
    off = sandbox.availability()
    assert not off.ok and "PAPERTRACK_SANDBOX=off" in off.reason
    monkeypatch.delenv(sandbox.MODE_ENV)
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    missing = sandbox.availability()
    assert not missing.ok and "not installed" in missing.reason
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: str(fake))
    broken = sandbox.availability()
    assert not broken.ok and "uid map: Permission denied" in broken.reason


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("latexmk") is None, reason="no TeX")
def test_without_bwrap_a_lualatex_paper_is_refused_and_a_pdflatex_paper_builds(
    monkeypatch, tmp_path
):
    """The fallback is what a machine without bwrap gets, not only PAPERTRACK_SANDBOX=off."""
    real_which = shutil.which
    monkeypatch.setattr(sandbox.shutil, "which", lambda n: None if n == "bwrap" else real_which(n))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "% !TEX program = lualatex\n\\documentclass{article}\\begin{document}x\\end{document}\n"
    )
    lua = compile_paper(paper, Path("main.tex"), timeout=120)
    assert lua.pdf is None
    assert [p.kind for p in lua.problems] == ["refused"]
    assert "bubblewrap (bwrap) is not installed" in lua.problems[0].message
    (paper / "main.tex").write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    assert compile_paper(paper, Path("main.tex"), timeout=120).pdf is not None


def test_sandbox_required_refuses_to_build_without_it(monkeypatch, tmp_path):
    if shutil.which("latexmk") is None:
        pytest.skip("no TeX")
    monkeypatch.setattr(sandbox, "availability", lambda: sandbox.Availability(False, None, "x"))
    monkeypatch.setenv(sandbox.MODE_ENV, "on")
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    result = compile_paper(paper, Path("main.tex"), timeout=60)
    assert result.pdf is None and "asks for the sandbox" in result.problems[0].message


def _inside(tmp_path: Path, script: str) -> tuple[subprocess.CompletedProcess, Path]:
    build = tmp_path / "cache" / "build"
    build.mkdir(parents=True)
    home = Path.home()
    env = sandbox.clean_env({}, build)
    cmd = sandbox.wrap(
        ["sh", "-c", script], writable=build, cwd=build, hide=[tmp_path / "cache"], env=env
    )
    return subprocess.run(
        cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, check=False
    ), home


@needs_bwrap
def test_a_sandboxed_program_sees_only_the_system_and_the_build_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "FAKE-ENV-SECRET")
    (tmp_path / "secret.txt").write_text("x")
    home = Path.home()
    proc, _home = _inside(
        tmp_path,
        f"""
        ls -A {home} | wc -l; ls -A {tmp_path} | grep -vc cache
        test -e {tmp_path}/secret.txt && echo SEEN-SECRET
        touch /usr/pt-x 2>/dev/null && echo WROTE-USR
        touch /tmp/pt-x 2>/dev/null && echo WROTE-TMP
        touch {home}/pt-x 2>/dev/null && echo WROTE-HOME
        touch ./ok && echo WROTE-BUILD
        env | grep -c AWS_SECRET
        ls /proc | grep -c '^[0-9]'
        grep -c : /proc/net/dev
        """,
    )
    lines = proc.stdout.split()
    # home is empty; of tmp_path (under /tmp) only the path to the build folder exists
    assert lines[:2] == ["0", "0"], proc.stdout + proc.stderr
    assert "SEEN-SECRET" not in proc.stdout
    assert "WROTE-USR" not in proc.stdout and "WROTE-TMP" not in proc.stdout
    assert "WROTE-HOME" not in proc.stdout
    assert "WROTE-BUILD" in proc.stdout
    after = lines[lines.index("WROTE-BUILD") + 1 :]
    assert after[0] == "0"  # no secret in the environment
    assert int(after[1]) <= 4  # a fresh PID namespace: only the sandbox's own processes
    assert after[2] == "1"  # a fresh network namespace: the loopback interface only
    assert not (Path("/tmp") / "pt-x").exists() and not (Path("/usr") / "pt-x").exists()


@needs_bwrap
def test_system_secrets_are_blank_inside_the_sandbox(tmp_path):
    # TeX reads `..` and absolute paths in the sandbox; what root (CI) could read must be blank
    present = [p for p in sandbox.SYSTEM_SECRETS if os.path.isfile(p) and not os.path.islink(p)]
    assert present, "this system has none of the listed secret files"
    proc, _home = _inside(tmp_path, " ".join(f"wc -c < {p};" for p in present))
    assert proc.stdout.split() == ["0"] * len(present), proc.stdout + proc.stderr


@needs_bwrap
@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to become nobody"
)
def test_the_sandbox_also_works_for_an_unprivileged_user(tmp_path):
    """This machine and CI run as root; users do not: probe as nobody (user namespaces)."""
    src = Path(__file__).resolve().parents[1] / "src"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from papertrack.pages import sandbox; a = sandbox.availability();"
        "print(a.ok, a.reason)"
    )
    proc = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-c",
            code,
            str(src),
        ],
        capture_output=True,
        text=True,
        cwd="/",
        env={"PATH": os.environ["PATH"], "HOME": "/nonexistent"},
        timeout=60,
        check=False,
    )
    if "Permission denied" in proc.stderr and "src" in proc.stderr:
        pytest.skip("the source tree is not readable by nobody")
    assert proc.stdout.startswith("True"), proc.stdout + proc.stderr


def test_doctor_reports_the_sandbox(monkeypatch):
    res = CliRunner().invoke(main, ["doctor"])
    assert "Sandbox" in res.output
    monkeypatch.setenv(sandbox.MODE_ENV, "off")
    sandbox._cache.clear()
    res = CliRunner().invoke(main, ["doctor"])
    assert "unavailable" in res.output and "--trust-paper" in res.output


def test_git_runs_with_the_repository_unable_to_start_programs(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    env = gitsafe.env()
    assert "GIT_DIR" not in env and env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    cmd, _env = gitsafe.command(tmp_path, "log")
    joined = " ".join(cmd)
    for setting in ("gpg.program=", "core.fsmonitor=", "log.showSignature=false"):
        assert setting in joined
    assert "core.hooksPath=/dev/null" in joined and "--no-pager" in cmd
