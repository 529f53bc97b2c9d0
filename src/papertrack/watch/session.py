"""The watch session: incremental text checks on every batch, the compile in the background."""

from __future__ import annotations

import dataclasses
import os
import queue
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.config import Config
from papertrack.engine import Analysis, Root
from papertrack.errors import PapertrackError
from papertrack.watch.builds import CompileRunner, CompileState, fingerprint
from papertrack.watch.caches import Profiles, SourceStore


@dataclass
class Snapshot:
    """Everything the dashboard shows after one update; replaced, never changed, once published."""

    seq: int
    when: float  # wall-clock time of the update
    result: Analysis | None
    took: float | None = None  # seconds of the text update
    changed: tuple[str, ...] = ()
    error: str | None = None  # why the last update failed (result is then the last good one)
    problems: tuple[str, ...] = ()  # watcher and handler exceptions, newest last
    compile: CompileState = field(default_factory=CompileState)
    completion: object | None = None  # papertrack.completion.Completion, when available
    kind: str = "text"  # text | error | compile | status | problem


def _at(file: str | None, line: int | None) -> str | None:
    """file:line of a build error; the file alone when TeX or BibTeX named no line (a missing
    .bst), never 'file:None'."""
    if not file:
        return None
    return f"{file}:{line}" if line else file


def completion_of(result: Analysis, on_error: Callable[[BaseException], None] | None = None):
    """Felt and honest completion of the result; a failure of the model is reported through
    `on_error` and costs only the completion figures (None)."""
    from papertrack.completion import assess

    try:
        return assess(result)
    except Exception as exc:
        if on_error is not None:
            on_error(exc)
        return None


class Session:
    """The model of the paper being watched, updated from file batches and finished builds."""

    def __init__(
        self,
        path: Path,
        make_config: Callable[[], Config],
        *,
        main: str | None = None,
        compile_: bool = True,
        use_cache: bool = True,
        with_completion: bool = True,
    ) -> None:
        from papertrack.parse.cache import Cache

        self.path = Path(path)
        self.folder = (self.path if self.path.is_dir() else self.path.parent).resolve()
        self.make_config = make_config
        self.main = main
        self.compile_enabled = compile_
        self.cache = Cache(enabled=use_cache)
        self.store = SourceStore()
        self.profiles = Profiles()
        self.with_completion = with_completion
        self.seq = 0
        self.result: Analysis | None = None
        self.fp: str | None = None
        self.snapshot = Snapshot(0, time.time(), None)
        self.compile = CompileState(enabled=compile_)
        self.problems: list[str] = []
        self.expected: frozenset[str] = frozenset()  # absolute paths of the project's files
        self.events: queue.Queue = queue.Queue()
        self._last_build: tuple[str, object] | None = None  # (fingerprint, CompileResult)
        self._exact_fp: str | None = None
        self._root: Root | None = None  # the root file once detected
        self._files: frozenset[str] = frozenset()
        self._others = 0  # saves of files that are not project texts (for the build fingerprint)
        self.runner: CompileRunner | None = None
        if compile_:
            from papertrack.accounting import tex_available

            self.compile.available = tex_available()
            if self.compile.available:
                self.runner = CompileRunner(self.events.put)

    # --- text side -----------------------------------------------------------------------

    def _root_for(self, cfg: Config, changed: frozenset[str]) -> Root | None:
        """The root file found at the start, kept while only its files change (None: choose).

        Choosing the root reads every .tex file of the folder; it is chosen again when a .tex
        file outside the project changes (a new root, a renamed one) or the root is gone.
        """
        pin = self._root
        if pin is None or self.main or cfg.main:
            return None
        if not os.path.isfile(os.path.join(str(self.folder), pin.main)):
            # deleted, or mid-save: wait for it rather than switch to another root (a
            # template or an old copy in the folder); a restart chooses afresh
            raise PapertrackError(
                f"{pin.main} is gone; waiting for it to come back",
                hint="restart papertrack watch to use another main file",
            )
        known = {os.path.join(str(self.folder), rel) for rel in self._files}
        if any(p.endswith(".tex") and p not in known for p in changed):
            return None  # a new or renamed .tex file may be a new root: choose again
        return pin

    def _check(self, changed: frozenset[str] = frozenset()) -> Analysis:
        from papertrack.engine import analyse

        cfg = self.make_config()
        root = self._root_for(cfg, changed)
        result = analyse(
            self.path,
            cfg,
            main=self.main,
            text_only=True,  # text checks never wait for TeX: the build runs in the background
            read=self.store.read,
            cache=self.cache,
            profiles=self.profiles.get,
            root=root,
        )
        self.store.prune()
        project = result.document.project
        if root is None and not (self.main or cfg.main) and self.path.is_dir():
            alternatives = tuple(tuple(a) for a in project.alternatives)
            self._root = Root(project.main, project.main_reason, alternatives)
        self._files = frozenset(project.order)
        return result

    def update(self, changed: frozenset[str] | None = None) -> Snapshot:
        """Check the text again (after a batch of changed paths) and publish a snapshot."""
        t0 = time.perf_counter()
        if changed:
            self.store.invalidate(changed)
        rels = tuple(sorted(_rel(self.folder, p) for p in changed or ()))
        self.seq += 1
        try:
            result = self._check(changed or frozenset())
        except PapertrackError as exc:
            msg = exc.message + (f" ({exc.hint})" if exc.hint else "")
            return self._publish(
                error=msg, changed=rels, took=time.perf_counter() - t0, kind="error"
            )
        except RecursionError:
            return self._publish(
                error="input nested too deeply to analyse", changed=rels, kind="error"
            )
        except Exception as exc:
            self.note_problem(exc)
            return self._publish(error=_describe(exc), changed=rels, kind="error")
        took = time.perf_counter() - t0
        self.result = result
        project = result.document.project
        texts = {os.path.join(str(project.folder), rel) for rel in project.order}
        if any(p not in texts for p in changed or ()):
            self._others += 1
        self.expected = frozenset(
            os.path.join(str(project.folder), rel) for rel in [*project.order, *project.bib_files]
        )
        self._after_text(result)
        completion = completion_of(result, self.note_problem) if self.with_completion else None
        return self._publish(changed=rels, took=took, completion=completion)

    def _after_text(self, result: Analysis) -> None:
        if not self.compile_enabled:
            return
        fp = fingerprint(result, self._others)
        self.fp = fp
        st = self.compile
        st.last_current = self._last_build is not None and self._last_build[0] == fp
        st.exact_current = st.exact is not None and self._exact_fp == fp
        if st.last_current:
            self._merge(result, self._last_build[1])  # e.g. an undo back to the built text
        elif self.runner is not None and result.config.compile:
            st.waiting = True
            self.runner.request(fp, result.document, result.config)

    # --- compile side --------------------------------------------------------------------

    def _merge(self, result: Analysis, build) -> None:
        """The current result again with the build: exact page count and the build's findings."""
        from papertrack.engine import with_build

        self.result = with_build(result, build)

    def on_compile(self, item: tuple) -> Snapshot | None:
        """A message from the build thread: started, finished, cancelled or crashed."""
        kind, fp = item[0], item[1]
        st = self.compile
        if kind == "compile-started":
            st.running, st.waiting, st.started = True, False, time.monotonic()
            return self._publish(kind="status")
        st.running = False
        st.waiting = self.runner is not None and self.runner.busy()
        if kind == "compile-cancelled":
            return self._publish(kind="status")
        if kind == "compile-crashed":
            st.crashed = item[2]
            self.note_problem(RuntimeError(f"the build crashed: {item[2]}"))
            return self._publish(kind="compile")
        build = item[2]
        st.crashed = None
        st.last_seconds = build.seconds
        st.last_ok = bool(build.ok)
        first = build.first_error
        if first is not None:
            st.error = first.message
            st.error_at = _at(first.file, first.line)
        else:
            other = next((p for p in build.problems if p.severity == "error"), None)
            st.error = other.message if other is not None else None
            st.error_at = _at(other.file, other.line) if other is not None else None
        self._last_build = (fp, build)
        st.last_current = fp == self.fp and self.result is not None
        if not st.last_current:
            return self._publish(kind="status")  # of an older text: shown only as the last build
        self._merge(self.result, build)
        pages = self.result.document.pages
        if getattr(pages, "method", None) == "exact":
            st.exact, st.exact_current, self._exact_fp = pages, True, fp
        else:
            st.exact_current = False
        return self._publish(kind="compile")

    # --- publishing ----------------------------------------------------------------------

    def note_problem(self, exc: BaseException) -> None:
        self.note(_describe(exc))

    def note(self, text: str) -> None:
        """A line for the problems list (the newest five are kept)."""
        self.problems.append(" ".join(text.split())[:300])
        del self.problems[:-5]

    def _publish(
        self, *, error=None, changed=(), took=None, completion=None, kind="text"
    ) -> Snapshot:
        """kind: text (an update), error (it failed), compile (a build changed the figures),
        status (only the compile state changed: redraw, but no line in plain output)."""
        prev = self.snapshot
        if kind in ("compile", "status", "problem"):
            changed, took, error = prev.changed, prev.took, prev.error
            completion = prev.completion
            if kind == "compile" and self.result is not None and self.with_completion:
                completion = completion_of(self.result, self.note_problem)
        elif kind == "error":
            completion = prev.completion
        snap = Snapshot(
            seq=self.seq,
            when=time.time() if kind not in ("status", "problem") else prev.when,
            result=self.result,
            took=took,
            changed=changed,
            error=error,
            problems=tuple(self.problems),
            compile=dataclasses.replace(self.compile),
            completion=completion,
            kind=kind,
        )
        self.snapshot = snap
        return snap

    def stop(self) -> bool:
        """Cancel the build; give a build that is slow to die a few more seconds (no TeX left behind)."""
        if self.runner is None:
            return True
        return self.runner.stop(0.9) or self.runner.stop(5.0)


def _rel(folder: Path, p: str) -> str:
    try:
        return Path(p).resolve().relative_to(folder).as_posix()
    except (ValueError, OSError):
        return str(p)


def _describe(exc: BaseException) -> str:
    """One line for the screen: the exception and where in papertrack it happened."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"
