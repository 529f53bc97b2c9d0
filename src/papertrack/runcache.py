"""Replaying `papertrack check` when nothing it reads has changed since the same command last ran.

A warm check is mostly fixed cost: the interpreter, importing ~60 modules (rich, click,
pylatexenc...), reading and masking every source file, rules, rendering. When the invocation
and every input are the same as last time, the output is the same, so it is replayed.

The key covers everything a --no-compile check reads: the command's options and working folder,
the environment and terminal, the date, papertrack's own code and templates, the installed
packages (sys.path folder times), a --config file given on the command line, and every file
in the paper folder (path, size, modification time, mode; for .git only HEAD and index).
A result is stored only when it depends on nothing else: no --pdf, a LaTeX run (compile
mode) that ended normally (no timeout, cancel or output limit; the key covers the TeX
installation: its programs and ls-R file databases), stdout output in text/concise/json,
exit 0 or 1, the project folder is the folder walked, and the project reaches nothing
outside it (no include leaving the folder, no
missing include or bibliography, which TeX's own tree could supply, no graphics path leaving
the folder, no symlinked folders). Files changed less than two seconds before the run make
it unstorable (an edit in the same clock tick would not change the key).

History: a real run appends a snapshot of the paper's metrics unless the newest snapshot has
the same metrics and is under an hour old (history.record). A replay happens only in that
case, when the real run would have written nothing either; otherwise the check runs.

A feature that makes `check` read anything else, or act (write files, call a service), must
add that input to the key (`_make_key`) or a condition to `finish`, which sees the run's result.
PAPERTRACK_NO_RUN_CACHE=1 or --no-cache turn replay off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

VERSION = "run-1"
MAX_FILES = 5000  # bigger trees are walked by the real run anyway; not worth keying
RACY_SECONDS = 2.0
REPLAY_FORMATS = ("text", "concise", "json")
_VOLATILE_ENV = frozenset({"_", "OLDPWD", "SHLVL", "PWD"})
HISTORY_WINDOW_S = 55 * 60  # history.record skips a same-metrics snapshot for an hour


class Run:
    """One `check` invocation: its key, the stored result (if any) and the capture of a new one."""

    def __init__(
        self, path: Path, params: dict, *, fmt: str, output, no_cache: bool, config_file, pdf
    ) -> None:
        self.key: str | None = None
        self.slot: Path | None = None
        self.folder: Path | None = None
        self.started = time.time()
        self.racy = False
        self._tees: list[_Tee] = []
        if (
            no_cache
            or output
            or fmt not in REPLAY_FORMATS
            or os.environ.get("PAPERTRACK_NO_RUN_CACHE")
        ):
            return
        try:
            self._make_key(Path(path), repr(sorted(params.items())), config_file, pdf)
        except (OSError, ValueError):
            self.key = None

    # -- key ---------------------------------------------------------------------------------
    def _make_key(self, path: Path, params: str, config_file, pdf) -> None:
        if not path.exists():
            return
        folder = (path if path.is_dir() else path.parent).resolve()
        h = hashlib.sha256()

        def add(*parts: object) -> None:
            h.update(repr(parts).encode("utf-8", "surrogatepass"))
            h.update(b"\n")

        from papertrack import __version__

        cwd = os.getcwd()
        add(
            VERSION,
            __version__,
            sys.version,
            sys.executable,
            sys.argv[1:],
            cwd,
            time.strftime("%Y-%m-%d"),
        )
        add(sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV))
        term = []
        for fd in (0, 1, 2):
            try:
                term.append((os.isatty(fd), tuple(os.get_terminal_size(fd))))
            except OSError:
                term.append((False, None))
        add(
            term,
            sys.stdout.isatty() if sys.stdout else None,
            sys.stderr.isatty() if sys.stderr else None,
        )
        for p in sys.path:  # installing or removing a package touches its site-packages folder
            try:
                add(p, os.stat(p or ".").st_mtime_ns)
            except OSError:
                add(p, None)
        here = Path(__file__).resolve().parent
        from papertrack.paths import templates_dir

        for root in dict.fromkeys((here, templates_dir().resolve())):
            if not self._walk(root, add, code=True):
                return
        add("tex", tex_fingerprint())  # a compile-mode result depends on the TeX installation
        for extra in (config_file, pdf):
            if extra:
                st = os.stat(extra)
                add("extra", str(Path(extra).resolve()), st.st_size, st.st_mtime_ns, st.st_mode)
        if not self._walk(folder, add, code=False):
            return
        self.folder = folder
        self.key = h.hexdigest()
        from papertrack.paths import cache_dir

        # one slot per invocation and folder: a changed paper replaces its old entry
        slot = hashlib.sha256(repr((str(folder), cwd, params)).encode()).hexdigest()[:32]
        self.slot = cache_dir() / "runs" / f"{slot}.json"

    def _walk(self, root: Path, add, *, code: bool) -> bool:
        """Add every file under root (path, size, mtime, mode); False when the tree is unsuitable."""
        n = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, root)
            if code:
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            elif ".git" in dirnames:
                dirnames.remove(".git")
                for name in ("HEAD", "index"):
                    try:
                        st = os.stat(os.path.join(dirpath, ".git", name))
                        add(rel_dir, ".git", name, st.st_size, st.st_mtime_ns)
                    except OSError:
                        pass
            for d in dirnames:
                if os.path.islink(os.path.join(dirpath, d)):
                    return False  # the loader may follow it out of the folder
            for name in sorted(filenames):
                st = os.stat(os.path.join(dirpath, name))
                add(rel_dir, name, st.st_size, st.st_mtime_ns, st.st_mode)
                if not code and st.st_mtime > self.started - RACY_SECONDS:
                    self.racy = True
                n += 1
                if n > MAX_FILES:
                    return False
        return True

    # -- replay and store --------------------------------------------------------------------
    def replay(self) -> int | None:
        """Write the stored output and return its exit code, or None when there is none."""
        if self.key is None or self.slot is None:
            return None
        try:
            data = json.loads(self.slot.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("key") != self.key:
            return None
        if data.get("history") and not _history_unchanged(data["history"]):
            return None  # the real run would record a snapshot: let it
        sys.stdout.write(data["stdout"])
        sys.stdout.flush()
        if data["stderr"]:
            sys.stderr.write(data["stderr"])
            sys.stderr.flush()
        return int(data["code"])

    def capture(self) -> None:
        """Tee stdout and stderr from now on (the real run)."""
        if self.key is None:
            return
        sys.stdout = _Tee(sys.stdout)
        sys.stderr = _Tee(sys.stderr)
        self._tees = [sys.stdout, sys.stderr]

    def restore(self) -> None:
        """Stop capturing (idempotent)."""
        if self._tees:
            out, err = self._tees
            sys.stdout, sys.stderr = out.stream, err.stream
            self._tees = []

    def finish(self, code: int | None, result=None, cfg=None, pdf=None) -> None:
        """Stop capturing; store the output if this run may be replayed."""
        if not self._tees:
            return
        out, err = self._tees
        self.restore()
        if code not in (0, 1) or out.tainted or err.tainted or self.racy:
            return
        if result is None or cfg is None or pdf is not None:
            return
        if cfg.compile and not _build_replayable(result):
            return
        if not _self_contained(result, self.folder):
            return
        hist = False
        if "papertrack.history" in sys.modules:  # the run recorded (or tried to) a snapshot
            hist = _history_state(result, self.folder)
            if hist is None:
                return
        payload = {
            "key": self.key,
            "code": code,
            "stdout": "".join(out.parts),
            "stderr": "".join(err.parts),
            "history": hist,
        }
        try:
            self.slot.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.slot.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
            os.replace(tmp, self.slot)
        except OSError:
            pass


_TEX_PROGRAMS = ("latexmk", "pdflatex", "xelatex", "lualatex", "bibtex", "biber", "kpsewhich")
_TEX_FILES = (
    "/usr/share/texlive/texmf-dist/ls-R",
    "/usr/share/texmf/ls-R",
    "/var/lib/texmf/ls-R",
    "/usr/local/share/texmf/ls-R",
    "/etc/texmf/web2c/texmf.cnf",
    "/etc/LatexMk",
)


def tex_fingerprint() -> list:
    """What identifies the TeX installation a build used: its programs and its file databases
    (mktexlsr rewrites ls-R whenever a TeX package is installed or removed)."""
    import shutil

    found: list = []
    files = list(_TEX_FILES)
    for prog in _TEX_PROGRAMS:
        path = shutil.which(prog)
        found.append((prog, path))
        if path:
            real = Path(os.path.realpath(path))
            files.append(str(real))
            if len(real.parents) > 2:  # a TeX Live install: bin/<arch>/prog
                files.append(str(real.parents[2] / "texmf-dist" / "ls-R"))
    files.append(os.path.expanduser("~/texmf"))
    for f in dict.fromkeys(files):
        try:
            st = os.stat(f)
            found.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            found.append((f, None))
    return found


def _build_replayable(result) -> bool:
    """A compile-mode run is replayed only when its build ran to its normal end: a timeout,
    a cancel or an output limit depend on more than the inputs."""
    res = getattr(result.document, "compile", None)
    if res is None:
        return False
    return not (getattr(res, "killed", None) or getattr(res, "timed_out", False))


def _history_state(result, folder: Path) -> dict | bool | None:
    """After a real run: what its history file must still show for a replay to be exact.

    False when history is off (nothing to check); None when the newest snapshot is not this
    run's (recording failed): then the run is not stored."""
    from papertrack import history

    if not history.enabled():
        return False
    snap = history.snapshot(result)
    path = history.history_path(folder)
    last = _last_snapshot(path)
    metrics = {k: snap.get(k) for k in history.METRICS}
    if last is None or any(last.get(k) != v for k, v in metrics.items()):
        return None
    return {"path": str(path), "metrics": metrics}


def _history_unchanged(state: dict) -> bool:
    """The newest snapshot still has these metrics and is recent: a run would add none."""
    import datetime as dt

    last = _last_snapshot(Path(state["path"]))
    if last is None or any(last.get(k) != v for k, v in state["metrics"].items()):
        return False
    try:
        t = dt.datetime.fromisoformat(last["time"])
    except (KeyError, TypeError, ValueError):
        return False
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    age = (dt.datetime.now(dt.timezone.utc) - t).total_seconds()
    return 0 <= age < HISTORY_WINDOW_S


def _last_snapshot(path: Path) -> dict | None:
    """The last snapshot of a history file (it only grows), read from its end."""
    from papertrack.jsonl import last_record

    return last_record(path, lambda snap: isinstance(snap, dict) and "time" in snap)


def _self_contained(result, folder: Path | None) -> bool:
    """True when the project read nothing outside `folder` (so the folder listing keys it)."""
    doc = result.document
    project = doc.project
    if folder is None or Path(project.folder).resolve() != folder:
        return False
    from papertrack.project.loader import KNOWN_DIST_FILES

    for edges in project.includes.values():
        for inc in edges:
            name = inc.written
            if inc.target is None and not (
                name in KNOWN_DIST_FILES or name.removesuffix(".tex") in KNOWN_DIST_FILES
            ):
                # missing, so kpsewhich asked TeX's own tree, or outside the folder; a file
                # every distribution has (IEEEabrv.bib) is dropped whatever TeX says
                return False
    if any(
        d.rule in ("include-outside-project", "missing-include", "missing-bibliography")
        for d in doc.diagnostics
    ):
        return False
    for p in [*(g.path for g in doc.graphics), *project.graphics_paths]:
        parts = Path(p).parts
        if Path(p).is_absolute() or ".." in parts or p.startswith("~"):
            return False
    return True


class _Tee:
    """A text stream that also records what is written; anything writing bytes taints it."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.parts: list[str] = []
        self.tainted = False

    def write(self, s: str) -> int:
        self.parts.append(s)
        return self.stream.write(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self):
        self.tainted = True  # bytes would bypass the record
        return self.stream.buffer

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
