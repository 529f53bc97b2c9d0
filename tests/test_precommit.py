"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself in a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

BROKEN = r"""\documentclass{article}
\begin{document}
\section{Introduction}
See Figure~\ref{fig:missing}.
\end{document}
"""
FIXED = BROKEN.replace(r"See Figure~\ref{fig:missing}.", "No figures yet.")

yaml = pytest.importorskip("yaml")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _have_pre_commit() -> bool:
    probe = [sys.executable, "-m", "pre_commit", "--version"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


needs_pre_commit = pytest.mark.skipif(not _have_pre_commit(), reason="pre-commit is not installed")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PAPERTRACK_CACHE_DIR=str(tmp_path / "papertrack-cache"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    return env


def _git(repo: Path, *args: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def _paper_repo(tmp_path: Path, env: dict[str, str], config: dict, paper_dir: str = ".") -> Path:
    repo = tmp_path / "paper-repo"
    (repo / paper_dir).mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "-q", env=env)
    (repo / paper_dir / "main.tex").write_text(BROKEN, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(repo, "add", "-A", env=env)
    return repo


def _run(
    repo: Path, env: dict[str, str], *hook: str, timeout: float = 120
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pre_commit", "run", *hook, "--all-files", "--color", "never"]
    return subprocess.run(
        cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_manifest_declares_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text())}
    assert set(hooks) == {"papertrack", "papertrack-no-compile"}
    for h in hooks.values():
        assert h["language"] == "python" and h["pass_filenames"] is False
        assert h["files"] == r"\.(tex|bib)$"
    assert hooks["papertrack"]["entry"] == "papertrack check"
    assert hooks["papertrack-no-compile"]["entry"] == "papertrack check --no-compile"


@needs_pre_commit
def test_manifest_is_valid_for_pre_commit():
    cmd = [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


@needs_pre_commit
def test_hook_definitions_run_as_local_hooks(tmp_path):
    """The manifest's hooks, run from PATH (language: system): fails, passes, skips."""
    env = _env(tmp_path)
    hooks = [
        {**h, "language": "system", "args": ["paper"]} for h in yaml.safe_load(MANIFEST.read_text())
    ]
    repo = _paper_repo(tmp_path, env, {"repos": [{"repo": "local", "hooks": hooks}]}, "paper")
    res = _run(repo, env, "papertrack-no-compile")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "PT101" in res.stdout and "fig:missing" in res.stdout
    (repo / "paper" / "main.tex").write_text(FIXED, encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    res = _run(repo, env, "papertrack-no-compile")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Passed" in res.stdout
    _git(repo, "commit", "-q", "-m", "paper", env=env)
    (repo / "notes.txt").write_text("not LaTeX\n")
    _git(repo, "add", "notes.txt", env=env)
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            "papertrack-no-compile",
            "--files",
            "notes.txt",
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0 and "Skipped" in res.stdout, res.stdout + res.stderr


@pytest.mark.slow
@needs_pre_commit
def test_hooks_install_from_a_clone_of_this_repository(tmp_path):
    """pre-commit installs papertrack from a clone at HEAD into its own environment and runs it."""
    env = _env(tmp_path)
    try:
        sha = _git(ROOT, "rev-parse", "HEAD", env=env)
        tracked = _git(ROOT, "ls-files", ".pre-commit-hooks.yaml", env=env)
    except subprocess.CalledProcessError:
        pytest.skip("not a git checkout")
    if not tracked:
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    clone = tmp_path / "papertrack-src"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], env=env, check=True)
    config = {
        "repos": [
            {
                "repo": str(clone),
                "rev": sha,
                "hooks": [{"id": "papertrack-no-compile"}, {"id": "papertrack"}],
            }
        ]
    }
    repo = _paper_repo(tmp_path, env, config)
    # the compiling hook reads the paper's settings: keep this test independent of TeX
    (repo / "papertrack.toml").write_text("compile = false\n")
    _git(repo, "add", "-A", env=env)
    res = _run(repo, env, timeout=600)
    out = res.stdout + res.stderr
    if res.returncode == 3 or "An unexpected error has occurred" in out:
        offline = (
            "NewConnectionError",
            "Temporary failure in name resolution",
            "No matching distribution",
        )
        if any(s in out for s in offline):
            pytest.skip("pip cannot reach a package index to install the hook's dependencies")
        pytest.fail(f"pre-commit could not install the hook environment:\n{out[-3000:]}")
    assert res.returncode == 1, out
    assert out.count("PT101") == 2, out  # both hooks ran papertrack and found the reference
    (repo / "main.tex").write_text(FIXED, encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    res = _run(repo, env, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
