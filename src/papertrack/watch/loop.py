"""The watch loop: file events and build results in, one snapshot shown per batch, until stopped."""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from papertrack.watch.session import Session, Snapshot


def _trim() -> None:
    """Hand freed heap pages back to the system (glibc keeps them otherwise: RSS creeps up)."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None


class _ToProblems(logging.Handler):
    """Library log records (pypdf, watchdog, ...) become problem lines, never terminal output."""

    def __init__(self, session: Session) -> None:
        super().__init__(logging.WARNING)
        self.session = session

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.session.note(f"{record.name}: {record.getMessage()}")


@contextlib.contextmanager
def _library_messages_to(session: Session) -> Iterator[None]:
    """While watching, Python warnings and library logging go to the dashboard's problem lines:
    a line written to the terminal under rich's Live display garbles it."""
    old_show = warnings.showwarning
    handler = _ToProblems(session)
    root = logging.getLogger()

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        session.note(f"{category.__name__}: {message} ({Path(filename).name}:{lineno})")

    warnings.showwarning = show
    root.addHandler(handler)
    try:
        yield
    finally:
        warnings.showwarning = old_show
        root.removeHandler(handler)


def watch(
    session: Session,
    show: Callable[[Snapshot], None],
    *,
    stop: threading.Event | None = None,
    quiet: float | None = None,
    tick: Callable[[], None] | None = None,
) -> None:
    """Watch the paper folder until `stop` is set or Ctrl-C: one update per batch of saves.

    Nothing raised by an update, a build or the watcher ends the loop: it is shown, and
    watching goes on. The build is cancelled (its processes killed) on the way out.
    """
    from papertrack.paths import cache_dir, data_dir
    from papertrack.watch.events import QUIET, Debounce, PathFilter, Watcher, git_busy

    folder = session.folder
    events = session.events

    def make_watcher() -> Watcher:
        debounce = Debounce(
            quiet=QUIET if quiet is None else quiet,
            expected=lambda p: p in session.expected,
            busy=git_busy(folder),
        )
        return Watcher(
            folder,
            on_batch=lambda batch: events.put(("batch", batch)),
            on_error=lambda exc: events.put(("problem", exc)),
            path_filter=PathFilter(folder, (cache_dir(), data_dir())),
            debounce=debounce,
        )

    watcher = make_watcher()
    watcher.start()
    gone = False
    quiet_libraries = _library_messages_to(session)
    quiet_libraries.__enter__()
    try:
        show(session.update())
        while stop is None or not stop.is_set():
            try:
                items = [events.get(timeout=0.2)]
            except queue.Empty:
                items = []
            while True:  # take everything queued: saves made during a slow update merge into one
                try:
                    items.append(events.get_nowait())
                except queue.Empty:
                    break
            if tick is not None:
                tick()
            if not items:
                if not folder.is_dir():
                    if not gone:
                        gone = True
                        show(
                            session._publish(
                                error=f"{folder} was removed; waiting for it", kind="error"
                            )
                        )
                    continue
                if gone or not watcher.alive():
                    # the folder came back (or the observer died): watch it afresh
                    gone = False
                    watcher.stop()
                    watcher = make_watcher()
                    watcher.start()
                    show(session.update())
                continue
            batch: set[str] = set()
            for item in items:
                try:
                    if item[0] == "batch":
                        batch |= item[1]
                    elif item[0] == "problem":
                        session.note_problem(item[1])
                        show(session._publish(kind="problem"))
                    else:
                        snap = session.on_compile(item)
                        if snap is not None:
                            show(snap)
                except Exception as exc:
                    session.note_problem(exc)
            if batch:
                try:
                    show(session.update(frozenset(batch)))
                except Exception as exc:  # a failing show() must not end the watch either
                    session.note_problem(exc)
                if events.empty():
                    # each update replaces a whole document model (with reference cycles): free
                    # the old one now, after the screen is updated, so memory stays flat (~5 ms)
                    gc.collect()
                    _trim()
    finally:
        watcher.stop()
        session.stop()
        quiet_libraries.__exit__(None, None, None)
