"""Run programs on the paper's behalf in a bubblewrap sandbox: system read-only, build folder writable."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# what runs programs and who is trusted: re-exported, as every caller reaches them as sandbox.X
from papertrack.pages.procgroup import (  # noqa: F401
    kill_all,
    kill_group,
    process_group,
    signals_end_builds,
    wait,
)
from papertrack.pages.trust import trust_paper, trusted, user_config_file  # noqa: F401

# PAPERTRACK_SANDBOX=off forces the fallback (tests run both paths); =on makes a missing
# sandbox an error instead of a fallback.
MODE_ENV = "PAPERTRACK_SANDBOX"
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf "
    "install bubblewrap) and allow unprivileged user namespaces"
)
# Top-level folders that hold the system (programs, TeX, fonts, configuration): visible
# read-only. Every other top-level folder (/home, /root, /tmp, /run, /mnt, /srv, /work, ...)
# is hidden behind an empty tmpfs.
SYSTEM_TOP = frozenset(
    {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt", "var", "nix", "gnu"}
)
# Readable by root (CI runs as root) and sometimes by a user's group: never shown to TeX.
SYSTEM_SECRETS = (
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssh",
    "/etc/ssl/private",
    "/etc/machine-id",
)
# Inside /var only the packaged data (TeX formats, font caches) stays visible.
HIDDEN_VAR = ("tmp", "mail", "spool", "log", "backups", "www", "lib/docker", "run", "lock")
# The environment a sandboxed program sees: nothing else of papertrack's (tokens, keys).
KEPT_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "SOURCE_DATE_EPOCH", "OSFONTDIR")
KEPT_ENV_PREFIXES = ("LC_", "TEX", "BIB", "BST", "KPATHSEA")


@dataclass(frozen=True)
class Availability:
    """Whether the sandbox can be used, and if not, why (for messages and `doctor`)."""

    ok: bool
    bwrap: str | None
    reason: str = ""

    @property
    def forced(self) -> bool:
        return os.environ.get(MODE_ENV, "").strip().lower() == "off"


_cache: dict[tuple[str, str | None], Availability] = {}


def _probe_args(bwrap: str) -> list[str]:
    """The cheapest command that uses every feature a real build needs."""
    return [
        bwrap,
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "true",
    ]


def availability() -> Availability:
    """Is bubblewrap installed and working here? Probed once per process (about 10 ms)."""
    mode = os.environ.get(MODE_ENV, "").strip().lower()
    bwrap = shutil.which("bwrap")
    key = (mode, bwrap)
    if key in _cache:
        return _cache[key]
    if mode in ("off", "0", "no", "false"):
        found = Availability(False, bwrap, f"switched off ({MODE_ENV}={mode})")
    elif bwrap is None:
        found = Availability(False, None, "bubblewrap (bwrap) is not installed")
    else:
        try:
            proc = subprocess.run(
                _probe_args(bwrap),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=15,
                check=False,
            )
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            if proc.returncode == 0:
                found = Availability(True, bwrap)
            else:
                why = err[-1] if err else f"exit code {proc.returncode}"
                found = Availability(
                    False, bwrap, f"bwrap is installed but cannot create a sandbox here ({why})"
                )
        except (OSError, subprocess.SubprocessError) as exc:
            found = Availability(False, bwrap, f"bwrap did not run ({exc})")
    _cache[key] = found
    return found


def required() -> bool:
    """PAPERTRACK_SANDBOX=on: never fall back (a CI machine that must have the sandbox)."""
    return os.environ.get(MODE_ENV, "").strip().lower() in ("on", "1", "yes", "true", "require")


def clean_env(extra: dict[str, str], home: Path) -> dict[str, str]:
    """papertrack's environment reduced to what TeX needs; HOME and TMPDIR inside the build."""
    env = {k: v for k, v in os.environ.items() if k in KEPT_ENV or k.startswith(KEPT_ENV_PREFIXES)}
    env.setdefault("PATH", os.defpath)
    env.update({"HOME": str(home), "TMPDIR": str(home)})
    env.update(extra)
    return env


def _tool_roots() -> list[Path]:
    """Installations of TeX and Perl outside the system folders (e.g. ~/texlive/2024)."""
    roots: list[Path] = []
    for tool in ("latexmk", "pdflatex", "kpsewhich", "perl", "biber", "git"):
        found = shutil.which(tool)
        if not found:
            continue
        real = Path(os.path.realpath(found))
        if len(real.parts) > 1 and real.parts[1] in SYSTEM_TOP:
            continue
        # .../texlive/2024/bin/x86_64-linux/pdflatex: the installation is above bin/
        root = real.parent
        for parent in real.parents:
            if parent.name == "bin":
                root = parent.parent
                break
        roots.append(root)
    return roots


def _hidden_paths(extra: Sequence[Path]) -> list[Path]:
    hidden = [
        Path("/") / e.name
        for e in _scandir("/")
        if e.name not in SYSTEM_TOP and e.name not in ("proc", "dev", "sys") and _is_dir(e)
    ]
    hidden += [
        Path("/var", v)
        for v in HIDDEN_VAR
        if Path("/var", v).is_dir() and not Path("/var", v).is_symlink()
    ]
    for path in (Path.home(), *extra):
        with contextlib.suppress(OSError, RuntimeError):
            real = path.resolve()
            if real.is_dir() and real != Path("/"):
                hidden.append(real)
    return hidden


def _scandir(path: str) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(path))
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def wrap(
    cmd: Sequence[str],
    *,
    writable: Path | None,
    cwd: Path,
    readable: Sequence[Path] = (),
    hide: Sequence[Path] = (),
    env: dict[str, str],
) -> list[str]:
    """The bwrap command line that runs cmd with only `writable` (if any) writable.

    The system is read-only; user folders (every top-level folder that is not the system's,
    the home folder, papertrack's own cache and data folders given in `hide`) are empty;
    no network, no other processes, a fresh session, no capabilities, and the sandbox dies
    with papertrack. The environment is exactly `env`.
    """
    avail = availability()
    assert avail.ok and avail.bwrap
    args = [avail.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    hidden = sorted(set(_hidden_paths(hide)), key=lambda p: len(p.parts))
    for path in hidden:
        args += ["--tmpfs", str(path)]
    # TeX may read any path inside the sandbox (../figs from a paper in a subfolder is common),
    # so the system's few secrets that the user may be able to read are blanked too
    blank = _blank_file()
    for secret in SYSTEM_SECRETS:
        if os.path.isdir(secret) and not os.path.islink(secret):
            args += ["--tmpfs", secret]
        elif blank is not None and os.path.isfile(secret) and not os.path.islink(secret):
            args += ["--ro-bind", str(blank), secret]
    for path in [*_tool_roots(), *readable]:
        with contextlib.suppress(OSError, RuntimeError):
            real = path.resolve()
            if real.exists():
                args += ["--ro-bind", str(real), str(real)]
    if writable is not None:
        args += ["--bind", str(writable), str(writable)]
    # the empty folders and /dev read-only too: a write there would fill memory, unbounded
    for path in ["/dev", *map(str, hidden)]:
        args += ["--remount-ro", path]
    args += ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    args += ["--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--chdir", str(cwd), "--", *cmd]
    return args


def _blank_file() -> Path | None:
    """An empty regular file to mount over secret files (/dev/null cannot: binds are nodev)."""
    from papertrack.paths import cache_dir

    path = cache_dir() / "sandbox-blank"
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() and not path.is_symlink():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o444)
            os.close(fd)
        st = path.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_size == 0:
            return path
    return None
