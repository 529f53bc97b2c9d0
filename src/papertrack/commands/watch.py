"""`papertrack watch`: keep the picture of the paper up to date while the writer saves."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

from papertrack.config import apply_flags, load_config
from papertrack.errors import PapertrackError


def _plain_wanted(force_plain: bool) -> bool:
    """Plain lines unless stdout is a real terminal; FORCE_COLOR must not make a pipe 'interactive'."""
    if force_plain:
        return True
    try:
        tty = os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        tty = False
    return not tty or os.environ.get("TERM") == "dumb"


def run(
    path: Path,
    *,
    main_file: str | None = None,
    config_file: Path | None = None,
    select=(),
    ignore=(),
    venue: str | None = None,
    compile_: bool = True,
    use_cache: bool = True,
    plain: bool = False,
    debounce_ms: float | None = None,
) -> int:
    from papertrack.watch.loop import watch
    from papertrack.watch.session import Session

    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent

    def make_config():
        cfg = load_config(folder, config_file)
        return apply_flags(cfg, select=select, ignore=ignore, venue=venue, compile_=compile_)

    from papertrack.rules.registry import all_rules
    from papertrack.rules.selection import validate, validate_config

    # a broken config, or a selector naming no rule, is a usage error before watching starts
    validate([*select, *ignore], all_rules(), "--select/--ignore")
    validate_config(make_config(), all_rules())
    session = Session(path, make_config, main=main_file, compile_=compile_, use_cache=use_cache)
    quiet = debounce_ms / 1000 if debounce_ms is not None else None

    def on_term(signum, frame):
        from papertrack.pages.sandbox import kill_all

        kill_all()  # the running build's group, at once
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, on_term)
    try:
        if _plain_wanted(plain):
            _run_plain(session, watch, quiet)
        else:
            _run_live(session, watch, quiet)
    except KeyboardInterrupt:
        pass
    return 0


def _run_plain(session, watch, quiet) -> None:
    from papertrack.watch.dashboard import plain_line

    def show(snap) -> None:
        line = plain_line(snap)
        if line is not None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    try:
        watch(session, show, quiet=quiet)
    finally:
        sys.stdout.write("papertrack watch: stopped\n")
        sys.stdout.flush()


def _run_live(session, watch, quiet) -> None:
    from rich.console import Console
    from rich.live import Live

    from papertrack.watch.dashboard import Dashboard

    console = Console(highlight=False)
    board = Dashboard(session.snapshot, console)

    def show(snap) -> None:
        board.snap = snap
        live.refresh()

    try:
        with Live(
            board,
            console=console,
            auto_refresh=True,
            refresh_per_second=8,
            screen=False,
            redirect_stdout=False,
            redirect_stderr=False,
            transient=False,
        ) as live:
            try:
                watch(session, show, quiet=quiet)
            finally:
                board.snap = session.snapshot
    finally:
        console.print("[dim]papertrack watch: stopped[/]")
