"""Running a program in its own process group, killed on timeout, on cancel and on any signal."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

_live: set[int] = set()


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a program and every child it started (they share its process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue


def _prctl():
    """libc's prctl, looked up in papertrack (not in the forked child, where imports can lock)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when papertrack dies, even by kill -9 (Linux)."""
    if _PRCTL is not None:
        _PRCTL(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def process_group(
    cmd: Sequence[str], *, cwd: Path, env: dict[str, str], stdout
) -> Iterator[subprocess.Popen[bytes]]:
    """Start cmd in a new process group (stdin closed); the group is killed however we leave."""
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    _live.add(proc.pid)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            kill_group(proc)
        else:
            # latexmk ended, but a child it left behind may still run in the group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        _live.discard(proc.pid)


def kill_all() -> None:
    """Kill every group started by process_group that is still running (signal handlers)."""
    for pid in list(_live):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def signals_end_builds() -> Iterator[None]:
    """SIGTERM and SIGHUP end papertrack as Ctrl-C does, killing the running build's group.

    The handlers raise KeyboardInterrupt, so every `finally` (build lock, process group) runs;
    the previous handlers come back afterwards.
    """

    def on_signal(signum, frame):
        kill_all()
        raise KeyboardInterrupt

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not in the main thread
            previous[sig] = signal.signal(sig, on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, handler)


def wait(
    proc: subprocess.Popen[bytes],
    deadline: float,
    *,
    over_limit: Callable[[], str | None] = lambda: None,
    cancelled: Callable[[], bool] = lambda: False,
    poll: float = 0.2,
) -> tuple[int | None, str | None]:
    """Wait for proc: (returncode, None), or (None, why) after killing its group."""
    while True:
        if cancelled():
            kill_group(proc)
            return None, "cancelled"
        try:
            return proc.wait(timeout=poll), None
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() > deadline:
            kill_group(proc)
            return None, "timeout"
        why = over_limit()
        if why:
            kill_group(proc)
            return None, why
