"""Run git on a paper's repository so that nothing in the repository can make git run a program.

A repository received as an archive or a synced folder brings its own `.git/config`: with
`log.showSignature` and `gpg.program` a plain `git log` ran the paper's script. Every git call
of papertrack goes through here: the settings that start programs are overridden on the
command line (which wins over every config file), the system and user config files are not
read, no pager, no prompt, no network, stdin closed unless papertrack feeds it, a timeout, and
(where bubblewrap works) the sandbox, with the repository read-only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from papertrack.pages import sandbox

# Each one a setting through which repository config can start a program (or the network).
HARDENING = (
    "-c",
    "core.fsmonitor=",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "gpg.program=",
    "-c",
    "gpg.ssh.program=",
    "-c",
    "gpg.x509.program=",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.pager=cat",
    "-c",
    "core.sshCommand=false",
    "-c",
    "core.askPass=",
    "-c",
    "credential.helper=",
    "-c",
    "diff.external=",
    "-c",
    "core.alternateRefsCommand=",
    "-c",
    "protocol.allow=never",  # a partial clone would fetch missing objects through a remote
)
TIMEOUT = 120.0


def env() -> dict[str, str]:
    """papertrack's environment without GIT_* (GIT_DIR from a hook would redirect git), with
    the system and user config files off, no prompt, no lazy fetch, no pager."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    base.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
    )
    return base


def command(repo: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command line (in the sandbox when there is one) and environment for `git args`."""
    cmd = [
        "git",
        "--no-pager",
        "--no-optional-locks",
        "--literal-pathspecs",
        *HARDENING,
        "-C",
        str(repo),
        *args,
    ]
    environment = env()
    if sandbox.availability().ok and args[:1] != ("rev-parse",):
        from papertrack.paths import cache_dir, data_dir

        environment = sandbox.clean_env(
            {k: v for k, v in environment.items() if k.startswith(("GIT_", "PAGER", "LC_"))},
            Path("/nonexistent"),
        )
        cmd = sandbox.wrap(
            cmd,
            writable=None,
            cwd=Path("/"),
            readable=[repo, *_git_dirs(repo)],
            hide=[cache_dir(), data_dir()],
            env=environment,
        )
    return cmd, environment


_GIT_DIRS: dict[Path, list[Path]] = {}


def _git_dirs(repo: Path) -> list[Path]:
    """The repository's git folders (a worktree's .git file points elsewhere), asked once."""
    if repo not in _GIT_DIRS:
        try:
            out = run(repo, "rev-parse", "--absolute-git-dir", "--git-common-dir")
            names = out.decode("utf-8", "surrogateescape").splitlines()
            _GIT_DIRS[repo] = [(repo / n).resolve() for n in names if n.strip()]
        except (OSError, subprocess.SubprocessError):
            _GIT_DIRS[repo] = []
    return _GIT_DIRS[repo]


def run(repo: Path, *args: str, input: bytes | None = None, timeout: float = TIMEOUT) -> bytes:
    """stdout of a hardened `git args` in repo; raises CalledProcessError / TimeoutExpired."""
    cmd, environment = command(repo, *args)
    return subprocess.run(
        cmd,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        check=True,
        env=environment,
        timeout=timeout,
    ).stdout


def popen(repo: Path, *args: str) -> subprocess.Popen[bytes]:
    """A long-running hardened git (e.g. `cat-file --batch`) fed through its stdin."""
    cmd, environment = command(repo, *args)
    return subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,
    )
