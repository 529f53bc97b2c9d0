"""Watch's background build: one at a time, cancelled when the text it builds is stale."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from papertrack.config import Config
from papertrack.engine import Analysis

COMPILE_DELAY = 0.4  # seconds without a newer save before a build starts


def fingerprint(result: Analysis, others: int = 0) -> str:
    """What a build depends on: the text of the project files, and `others`, a count of saves
    to any other file (figures, styles, data) so that those rebuild too without a stat of
    every file on each save."""
    project = result.document.project
    h = hashlib.sha1(str(others).encode())
    for rel in project.order:
        h.update(rel.encode("utf-8", "surrogatepass") + b"\0")
        h.update(project.files[rel].text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


@dataclass
class CompileState:
    """Where the background build stands, and what the last finished builds said."""

    enabled: bool = True
    running: bool = False
    waiting: bool = False  # a build is due once the saves stop
    started: float | None = None  # monotonic time the running build started
    available: bool = True  # TeX installed
    last_seconds: float | None = None
    last_ok: bool | None = None
    last_current: bool = False  # the last finished build is of the current text
    error: str | None = None  # the last build's first error, with its location
    error_at: str | None = None
    exact: object | None = None  # the last exact PageAccount (may be of an older text)
    exact_current: bool = False
    crashed: str | None = None


class CompileRunner:
    """One background build at a time; a newer request cancels the running one if it is stale."""

    def __init__(
        self, post: Callable[[tuple], None], delay: float = COMPILE_DELAY, compile_fn=None
    ) -> None:
        self._post = post
        self._delay = delay
        self._compile_fn = compile_fn
        self._cond = threading.Condition()
        self._want: tuple | None = None  # (fingerprint, doc, cfg, requested at)
        self._running_fp: str | None = None
        self._cancel: threading.Event | None = None
        self._stop = False
        self._thread = threading.Thread(
            target=self._loop, name="papertrack-watch-compile", daemon=True
        )
        self._thread.start()

    def request(self, fp: str, doc, cfg: Config) -> None:
        with self._cond:
            if self._running_fp == fp and self._cancel is not None and not self._cancel.is_set():
                self._want = None  # the running build is already of this text
            else:
                self._want = (fp, doc, cfg, time.monotonic())
                if self._running_fp is not None and self._cancel is not None:
                    self._cancel.set()  # stale: a newer save replaces it
            self._cond.notify_all()

    def busy(self) -> bool:
        with self._cond:
            return self._running_fp is not None or self._want is not None

    def _compile(self, doc, cfg, cancel):
        if self._compile_fn is not None:
            return self._compile_fn(doc, cfg, cancel)
        from papertrack.accounting import compile_for

        return compile_for(doc, cfg, cancel)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stop:
                    if self._want is not None:
                        left = self._want[3] + self._delay - time.monotonic()
                        if left <= 0:
                            break
                        self._cond.wait(left)
                    else:
                        self._cond.wait(0.5)
                if self._stop:
                    return
                fp, doc, cfg, _ = self._want
                self._want = None
                cancel = threading.Event()
                self._cancel = cancel
                self._running_fp = fp
            self._post(("compile-started", fp))
            try:
                res = self._compile(doc, cfg, cancel)
            except Exception as exc:
                self._post(("compile-crashed", fp, f"{type(exc).__name__}: {exc}"))
            else:
                self._post(("compiled" if not cancel.is_set() else "compile-cancelled", fp, res))
            finally:
                with self._cond:
                    self._running_fp = None
                    self._cancel = None
                    self._cond.notify_all()

    def stop(self, timeout: float = 0.9) -> bool:
        """Cancel the build (its processes are killed) and wait for it; False if still running."""
        with self._cond:
            self._stop = True
            self._want = None
            if self._cancel is not None:
                self._cancel.set()
            self._cond.notify_all()
        self._thread.join(timeout)
        return not self._thread.is_alive()
