"""File events to update batches: editor temp files filtered out, bursts merged by a trailing debounce."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.pages.mirror import BUILD_OUTPUTS
from papertrack.pages.record import GRAPHIC_EXT
from papertrack.project.loader import SKIP_DIRS

# How long the folder must be quiet before a batch fires. Every editor save pattern (vim's
# rename dance, emacs backups, JetBrains' temp+rename, write-to-temp-then-rename) finishes well
# inside it; a save that is still being written (no close yet) or a project file that is
# briefly missing extends the wait up to GRACE.
QUIET = 0.05
GRACE = 1.0
MAX_WAIT = 5.0  # a never-ending stream of writes still gets an update this often
# A batch of only files that are not paper sources by their name (an editor's temp file with an
# unknown name, about to be renamed onto the real one) waits for this much quiet.
UNSURE_QUIET = 0.3
SOURCE_SUFFIXES = frozenset(
    [
        ".tex",
        ".ltx",
        ".bib",
        ".bbl",
        ".sty",
        ".cls",
        ".bst",
        ".bbx",
        ".cbx",
        ".lbx",
        ".dbx",
        ".def",
        ".cfg",
        ".clo",
        ".fd",
        ".ldf",
        ".toml",
        ".tikz",
        ".pgf",
        *GRAPHIC_EXT,  # figures, as the build record knows them
        ".csv",
        ".dat",
        ".tsv",
        ".txt",
        ".json",
        ".yaml",
        ".yml",
        ".lua",
        ".py",
    ]
)
SOURCE_NAMES = frozenset({".latexmkrc", "latexmkrc", "Makefile", "pyproject.toml"})

# Folders that never hold paper sources (besides VCS and tool folders the loader skips).
IGNORED_DIRS = frozenset(
    {*SKIP_DIRS, ".idea", ".vscode", ".mypy_cache", ".pytest_cache", "_papertrack_out"}
)
# Hidden files and folders never trigger, except these (they change the check or the build).
HIDDEN_KEPT = frozenset({".latexmkrc", ".papertrack"})
_TEMP_NAME = re.compile(
    r"""^(?:
        .*\.sw[a-px]$             # vim swap files (.main.tex.swp, .swo, .swx, ...)
      | \d+$                      # vim's write test file (4913, 5036, ...)
      | .*~$                      # vim / emacs / gedit backups
      | \.\#.*                    # emacs lock files
      | \#.*\#$                   # emacs autosaves
      | .*___jb_(?:tmp|old|bak)___$   # JetBrains safe write
      | \.goutputstream-.*        # GTK (gedit) safe write
      | sed[A-Za-z0-9]{6}         # sed -i
      | .*\.(?:tmp|temp|bak|orig|rej|crdownload|part)$
      | \.?sb-[0-9a-f]+-.*        # macOS safe-save (TextEdit, ...)
      | \.DS_Store|Thumbs\.db|desktop\.ini
      | .*\.(?:pyc|pyo)$
    )$""",
    re.VERBOSE,
)
# Build outputs of the writer's own LaTeX runs; a committed .bbl can feed the build, so it counts.
_OUTPUTS = tuple(e for e in BUILD_OUTPUTS if e != ".bbl")


def looks_like_source(path: str) -> bool:
    """A path whose name says it can be part of a paper (or a folder): worth a quick update."""
    name = os.path.basename(path)
    return (
        os.path.splitext(name)[1].lower() in SOURCE_SUFFIXES
        or name in SOURCE_NAMES
        or os.path.isdir(path)
    )


def git_busy(root: Path) -> Callable[[], bool]:
    """True while git rewrites the work tree (a checkout, merge or rebase holds index.lock)."""
    lock = os.path.join(os.fspath(root), ".git", "index.lock")
    return lambda: os.path.exists(lock)


def is_temp_name(name: str) -> bool:
    """True for editor swap, lock, backup and safe-write temp files."""
    return bool(_TEMP_NAME.match(name))


@dataclass
class PathFilter:
    """Which paths under the paper folder can change what papertrack shows."""

    root: Path
    ignored: tuple[Path, ...] = ()  # papertrack's own cache and data folders, if inside root

    def __post_init__(self) -> None:
        self.root = Path(os.path.realpath(self.root))
        self._root_s = str(self.root)
        self._ignored_s = tuple(os.path.realpath(p) for p in self.ignored)

    def relative(self, path: str) -> str | None:
        """The path relative to the root (POSIX), or None when outside."""
        if not os.path.isabs(path):
            return path.replace(os.sep, "/")
        if path == self._root_s:
            return ""
        if not path.startswith(self._root_s + os.sep):
            real = os.path.realpath(path)
            if not real.startswith(self._root_s + os.sep):
                return None
            path = real
        return path[len(self._root_s) + 1 :].replace(os.sep, "/")

    def relevant(self, path: str) -> bool:
        if any(path == p or path.startswith(p + os.sep) for p in self._ignored_s):
            return False
        rel = self.relative(path)
        if not rel:
            return False
        parts = rel.split("/")
        for d in parts[:-1]:
            if d in IGNORED_DIRS or (d.startswith(".") and d not in HIDDEN_KEPT):
                return False
        name = parts[-1]
        if name in IGNORED_DIRS:
            return False
        if name.startswith(".") and name not in HIDDEN_KEPT:
            return False
        if is_temp_name(name) or name.endswith(_OUTPUTS):
            return False
        if name.endswith(".pdf") and not name.endswith("-eps-converted-to.pdf"):
            # a PDF named after a .tex file beside it is the writer's own build output
            return not os.path.exists(os.path.join(os.path.dirname(path), name[:-4] + ".tex"))
        return not name.endswith("-eps-converted-to.pdf")


@dataclass(frozen=True)
class Change:
    """One file-system change that matters: a path and how it changed."""

    path: str
    kind: str  # created | modified | closed | deleted | moved-away | moved-here
    is_dir: bool = False


def changes_of(event, keep: Callable[[str], bool]) -> list[Change]:
    """The relevant changes of one watchdog event (reads, opens and folder mtimes are not)."""
    kind = event.event_type
    is_dir = bool(event.is_directory)
    src = os.fsdecode(event.src_path)
    if kind == "moved":
        dest = os.fsdecode(event.dest_path)
        out = []
        if keep(src):
            out.append(Change(src, "moved-away", is_dir))
        if keep(dest):
            out.append(Change(dest, "moved-here", is_dir))
        return out
    if kind not in ("created", "modified", "closed", "deleted"):
        return []  # opened, closed_no_write: papertrack's own reads must never trigger it
    if kind == "modified" and is_dir:
        return []  # a folder's mtime: the file events themselves say what changed
    return [Change(src, kind, is_dir)] if keep(src) else []


@dataclass
class Debounce:
    """A trailing debounce over changed paths; pure (time is passed in) so it is easy to test.

    A batch is due when nothing happened for `quiet` seconds and the folder looks settled (no
    file written but not closed yet, no expected file missing, git not in the middle of a
    checkout); when not settled it waits up to `grace` seconds of quiet. A batch of only
    unknown names (a temp file before its rename) waits for `unsure_quiet`. A stream of changes
    that never pauses still fires every `max_wait`.
    """

    quiet: float = QUIET
    grace: float = GRACE
    max_wait: float = MAX_WAIT
    unsure_quiet: float = UNSURE_QUIET
    expected: Callable[[str], bool] = lambda path: False  # project files that must exist
    exists: Callable[[str], bool] = os.path.exists
    certain: Callable[[str], bool] = looks_like_source
    busy: Callable[[], bool] = lambda: False
    paths: set[str] = field(default_factory=set)
    writing: set[str] = field(default_factory=set)
    first: float | None = None
    last: float | None = None

    def add(self, changes: Iterable[Change], now: float) -> None:
        for c in changes:
            self.paths.add(c.path)
            if self.first is None:
                self.first = now
            self.last = now
            if c.is_dir:
                continue
            if c.kind in ("created", "modified"):
                self.writing.add(c.path)
            else:
                self.writing.discard(c.path)  # closed, deleted, moved: no longer being written

    def pending(self) -> bool:
        return bool(self.paths)

    def settled(self, quiet_for: float = 0.0) -> bool:
        if self.writing & self.paths or self.busy():
            return False
        if quiet_for < self.unsure_quiet and not any(self.certain(p) for p in self.paths):
            return False
        return not any(self.expected(p) and not self.exists(p) for p in self.paths)

    def next_check(self) -> float | None:
        """When to look again (monotonic time), or None when nothing is pending."""
        if not self.paths or self.last is None or self.first is None:
            return None
        return min(self.last + self.quiet, self.first + self.max_wait)

    def take(self, now: float) -> frozenset[str] | None:
        """The batch when it is due, else None."""
        if not self.paths or self.last is None or self.first is None:
            return None
        quiet_for = now - self.last
        due = now - self.first >= self.max_wait
        if not due and quiet_for >= self.quiet:
            due = quiet_for >= self.grace or self.settled(quiet_for)
        if not due:
            return None
        batch = frozenset(self.paths)
        self.paths = set()
        self.writing = set()
        self.first = self.last = None
        return batch

    def wait_time(self, now: float) -> float | None:
        """Seconds until the batch could be due (a short poll while it is unsettled)."""
        nxt = self.next_check()
        if nxt is None:
            return None
        return max(nxt - now, 0.0) if nxt > now else min(self.quiet, 0.02)


class Watcher:
    """A watchdog observer on the paper folder that calls `on_batch(paths)` once per debounced batch.

    Watchdog stops its observer thread for good when a handler raises, so the handler catches
    everything and reports it through `on_error`; so does the batching thread.
    """

    def __init__(
        self,
        root: Path,
        on_batch: Callable[[frozenset[str]], None],
        on_error: Callable[[BaseException], None],
        *,
        path_filter: PathFilter | None = None,
        debounce: Debounce | None = None,
        observer_factory: Callable[[], object] | None = None,
    ) -> None:
        self.root = Path(root)
        self.on_batch = on_batch
        self.on_error = on_error
        self.filter = path_filter or PathFilter(self.root)
        self.debounce = debounce or Debounce()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._observer_factory = observer_factory
        self._observer = None
        self._thread: threading.Thread | None = None

    # --- watchdog side -------------------------------------------------------------------

    def dispatch(self, event) -> None:
        """The watchdog handler: never raises (an exception would kill the observer thread)."""
        try:
            changes = changes_of(event, self.filter.relevant)
            if changes:
                with self._cond:
                    self.debounce.add(changes, time.monotonic())
                    self._cond.notify()
        except Exception as exc:
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        with contextlib.suppress(Exception):
            self.on_error(exc)

    # --- batching thread ---------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            batch = None
            with self._cond:
                wait = self.debounce.wait_time(time.monotonic())
                self._cond.wait(timeout=0.5 if wait is None else max(wait, 0.001))
                if self._stop.is_set():
                    return
                try:
                    batch = self.debounce.take(time.monotonic())
                except Exception as exc:  # a broken expected() callback: drop the batch, go on
                    self.debounce.paths.clear()
                    self._report(exc)
            if batch:
                try:
                    self.on_batch(batch)
                except Exception as exc:
                    self._report(exc)

    def start(self) -> None:
        from watchdog.events import FileSystemEventHandler

        watcher = self

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                watcher.dispatch(event)

        if self._observer_factory is not None:
            observer = self._observer_factory()
        else:
            from watchdog.observers import Observer

            observer = Observer()
        observer.schedule(_Handler(), str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._thread = threading.Thread(
            target=self._loop, name="papertrack-watch-batches", daemon=True
        )
        self._thread.start()

    def alive(self) -> bool:
        """False when the observer died (e.g. the folder was removed and its watch lost)."""
        return self._observer is not None and self._observer.is_alive()

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._observer is not None:
            try:
                self._observer.stop()
                self._observer.join(timeout=1.0)
            except Exception:
                pass
        if self._thread is not None:
            self._thread.join(timeout=1.0)
