"""Progress over time: a snapshot of the metrics per run, and per commit of the paper's git history.

Snapshots live in the user data folder (`data_dir()/history/<project key>.jsonl`), never in the
paper folder. Git history is read with `git ls-tree` and `git cat-file` into a temporary folder
outside the paper folder (the user's checkout, index and branches are never touched); metrics
per commit are cached in the cache folder, and the parse cache is content-addressed per file,
so a commit that changed one file parses one file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from papertrack.paths import cache_dir, data_dir, project_key

METRICS = ("words", "pages", "todos", "honest", "felt", "errors", "warnings", "infos", "hours_left")
MAX_COMMITS = 500  # more are sampled evenly (always keeping the newest)
# Files written with their content when rebuilding a commit; anything else (images, PDFs) is
# written empty: the check only asks whether it exists.
_TEXT_SUFFIXES = {
    ".tex",
    ".bib",
    ".sty",
    ".cls",
    ".bbl",
    ".toml",
    ".ltx",
    ".def",
    ".cfg",
    ".clo",
    ".bst",
    ".txt",
    ".latexmkrc",
    "",
}
_MAX_TEXT = 4 * 1024 * 1024
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def enabled() -> bool:
    """Recording is on unless PAPERTRACK_NO_HISTORY=1."""
    return os.environ.get("PAPERTRACK_NO_HISTORY", "").strip() not in ("1", "true", "yes")


def history_path(folder: Path) -> Path:
    return data_dir() / "history" / f"{project_key(folder)}.jsonl"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def snapshot(
    result,
    completion=None,
    *,
    when: str | None = None,
    source: str = "run",
    commit: str | None = None,
) -> dict[str, Any]:
    """The metrics of one checked state of the paper."""
    if completion is None:
        from papertrack.completion import assess

        completion = assess(result)
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        counts[str(f.severity)] += 1
    pages = result.document.pages
    main_pages = getattr(pages, "main_pages", None)
    return {
        "time": when or now_iso(),
        "source": source,
        "commit": commit,
        "words": completion.words,
        "pages": round(main_pages, 2) if main_pages is not None else None,
        "pages_method": getattr(pages, "method", None),
        "todos": completion.todos,
        "felt": round(completion.felt, 4),
        "honest": round(completion.honest, 4),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "hours_left": round(completion.hours_left, 2),
    }


def record(result, completion=None, folder: Path | None = None) -> Path | None:
    """Append a snapshot of this run to the project's history (unless disabled)."""
    if not enabled():
        return None
    folder = folder or result.document.folder
    snap = snapshot(result, completion)
    path = history_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    last = _last(path)
    if last is not None:
        age = _time(snap) - _time(last)
        if all(last.get(k) == snap.get(k) for k in METRICS) and age < dt.timedelta(hours=1):
            return path  # nothing changed since a moment ago: keep the file small
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(snap, sort_keys=True) + "\n")
    return path


def record_safely(result, completion=None, folder: Path | None = None) -> Path | None:
    """record(), but a failure to record never fails the command that ran."""
    try:
        return record(result, completion, folder)
    except Exception:
        return None


def _last(path: Path) -> dict[str, Any] | None:
    """The newest snapshot of a history file, read from its end (the file only grows)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            tail = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(tail):
        try:
            snap = json.loads(line)
            _time(snap)
            return snap
        except (ValueError, TypeError, KeyError):
            continue
    return None


def load(folder: Path) -> list[dict[str, Any]]:
    """The recorded run snapshots of a project, oldest first (unreadable lines skipped)."""
    path = history_path(folder)
    out: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            snap = json.loads(line)
            _time(snap)
        except (ValueError, TypeError, KeyError):
            continue
        if isinstance(snap, dict):
            out.append(snap)
    out.sort(key=_time)
    return out


def _time(snap: dict[str, Any]) -> dt.datetime:
    t = dt.datetime.fromisoformat(snap["time"])
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


# --- git history -------------------------------------------------------------------------


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    from papertrack import gitsafe  # the repository's config cannot make git run a program

    return gitsafe.run(repo, *args, input=input)


def git_root(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None (no git, not a repository)."""
    try:
        out = _git(folder, "rev-parse", "--show-toplevel").decode().strip()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return Path(out) if out else None


def commits(repo: Path, rel: str) -> list[tuple[str, int]]:
    """(sha, author time) of the commits that touched `rel`, oldest first."""
    out = _git(repo, "log", "--no-show-signature", "--format=%H %at", "--", rel or ".").decode()
    found = [
        (sha, int(t)) for sha, t in (line.split() for line in out.splitlines() if line.strip())
    ]
    found.sort(key=lambda c: c[1])
    return found


def _sample(items: list, limit: int) -> list:
    if len(items) <= limit:
        return items
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


class _Tree:
    """A folder outside the paper that mirrors the paper folder as of a commit, updated by
    writing only the files whose blob changed."""

    def __init__(self, repo: Path, rel: str, root: Path) -> None:
        self.repo, self.rel, self.root = repo, rel, root
        self.blobs: dict[str, str] = {}
        self._cat: subprocess.Popen | None = None

    def _read_blob(self, sha: str) -> bytes:
        if self._cat is None:
            from papertrack import gitsafe

            self._cat = gitsafe.popen(self.repo, "cat-file", "--batch")
        assert self._cat.stdin and self._cat.stdout
        self._cat.stdin.write(sha.encode() + b"\n")
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().split()
        if len(header) < 3:
            return b""
        data = self._cat.stdout.read(int(header[2]) + 1)
        return data[:-1]

    def checkout(self, sha: str) -> None:
        raw = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", sha, "--", self.rel or ".")
        want: dict[str, tuple[str, int]] = {}
        prefix = self.rel + "/" if self.rel else ""
        for entry in raw.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, blob = meta.decode().split()
            path = name.decode("utf-8", "surrogateescape")
            if kind != "blob" or mode == "120000" or not path.startswith(prefix):
                continue  # submodules and symlinks are not followed
            rel = path[len(prefix) :]
            if ".." in PurePosixPath(rel).parts:
                continue
            want[rel] = (blob, int(mode, 8))
        for rel in set(self.blobs) - set(want):
            (self.root / rel).unlink(missing_ok=True)
            del self.blobs[rel]
        for rel, (blob, _mode) in want.items():
            if self.blobs.get(rel) == blob:
                continue
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            suffix = PurePosixPath(rel).suffix.lower()
            data = self._read_blob(blob) if suffix in _TEXT_SUFFIXES else b""
            target.write_bytes(data if len(data) <= _MAX_TEXT else b"")
            self.blobs[rel] = blob

    def close(self) -> None:
        if self._cat is not None:
            if self._cat.stdin:
                self._cat.stdin.close()
            self._cat.wait(timeout=10)
            self._cat = None


def _fingerprint(cfg, main: str | None) -> str:
    """What the per-commit metrics depend on besides the commit: settings and papertrack's code."""
    h = hashlib.sha256()
    settings = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "source"}
    h.update(json.dumps([settings, main], sort_keys=True, default=str).encode())
    pkg = Path(__file__).resolve().parent
    from papertrack.paths import templates_dir

    for base in (pkg, templates_dir() / "venues"):
        for p in sorted(base.rglob("*")):
            if p.suffix in (".py", ".toml", ".tex") and p.is_file():
                st = p.stat()
                h.update(f"{p.relative_to(base)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _scratch_parent(folder: Path) -> Path | None:
    """A temporary folder that is not inside the paper folder."""
    tmp = Path(tempfile.gettempdir()).resolve()
    paper = folder.resolve()
    if tmp == paper or paper in tmp.parents:
        alt = cache_dir() / "tmp"
        alt.mkdir(parents=True, exist_ok=True)
        return alt
    return None


def _metrics_at(root: Path, cfg, main: str | None, when: int, sha: str) -> dict[str, Any] | None:
    from papertrack.check import run_check

    try:
        result = run_check(
            root, main=main if main and (root / main).is_file() else None, cfg=cfg, use_cache=True
        )
        stamp = dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat()
        return snapshot(result, when=stamp, source="git", commit=sha)
    except Exception:
        return None  # no paper yet at this commit, or a state papertrack cannot read


def git_history(
    folder: Path, cfg, main: str | None = None, *, limit: int = MAX_COMMITS, on_rebuild=None
) -> list[dict[str, Any]]:
    """One snapshot per commit that touched the paper folder, oldest first; [] without git.

    Metrics are computed without compiling (pages are estimates) and cached per commit."""
    repo = git_root(folder)
    if repo is None:
        return []
    try:
        rel = folder.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return []
    rel = "" if rel == "." else rel
    try:
        found = _sample(commits(repo, rel), limit)
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    if not found:
        return []
    cfg = dataclasses.replace(cfg, compile=False, main=None)
    key = hashlib.sha256(
        f"{repo.resolve()}\0{rel}\0{_fingerprint(cfg, main)}".encode()
    ).hexdigest()[:32]
    store = cache_dir() / "history" / f"{key}.json"
    try:
        cached: dict[str, Any] = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = {}
    missing = [(sha, t) for sha, t in found if sha not in cached]
    if missing and on_rebuild is not None:
        on_rebuild(len(missing), len(found))  # the caller may tell the user why this takes a while
    if missing:
        with tempfile.TemporaryDirectory(
            prefix="papertrack-history-", dir=_scratch_parent(folder)
        ) as tmp:
            tree = _Tree(repo, rel, Path(tmp) / (folder.resolve().name or "paper"))
            tree.root.mkdir(parents=True)
            try:
                for sha, t in missing:
                    tree.checkout(sha)
                    cached[sha] = _metrics_at(tree.root, cfg, main, t, sha)
            except (OSError, subprocess.SubprocessError, ValueError):
                pass  # keep what was computed; the rest is tried again next time
            finally:
                tree.close()
        _save(store, cached)
    return [cached[sha] for sha, _t in found if cached.get(sha)]


def _save(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        pass


# --- the timeline and what it says --------------------------------------------------------


def timeline(
    folder: Path, cfg=None, main: str | None = None, *, git: bool = True, on_rebuild=None
) -> list[dict[str, Any]]:
    """Git snapshots and recorded runs together, oldest first."""
    snaps = load(folder)
    if git and cfg is not None:
        snaps = git_history(folder, cfg, main, on_rebuild=on_rebuild) + snaps
    snaps.sort(key=_time)
    return snaps


def daily(snaps: list[dict[str, Any]], metric: str, width: int = 30) -> list[tuple[dt.date, float]]:
    """The last value of `metric` per day from the first to the last day, at most `width`
    points (evenly spaced days; a day without a snapshot carries the previous value)."""
    points = [(_time(s).date(), s.get(metric)) for s in snaps if s.get(metric) is not None]
    if not points:
        return []
    by_day: dict[dt.date, float] = {}
    for day, value in points:
        by_day[day] = float(value)
    first, last = min(by_day), max(by_day)
    span = (last - first).days
    days = (
        [first + dt.timedelta(days=round(i * span / (width - 1))) for i in range(width)]
        if span + 1 > width
        else [first + dt.timedelta(days=i) for i in range(span + 1)]
    )
    out: list[tuple[dt.date, float]] = []
    known = sorted(by_day)
    j, current = 0, by_day[first]
    for day in days:
        while j < len(known) and known[j] <= day:
            current = by_day[known[j]]
            j += 1
        if not out or out[-1][0] != day:
            out.append((day, current))
    return out


@dataclasses.dataclass
class Velocity:
    per_day: float
    days: float  # the window actually measured (shorter when the history is)


def velocity(snaps: list[dict[str, Any]], days: int, metric: str = "words") -> Velocity | None:
    """Change of `metric` per day over the last `days` days (None with under a day of history)."""
    snaps = [s for s in snaps if s.get(metric) is not None]
    if len(snaps) < 2:
        return None
    last = snaps[-1]
    cutoff = _time(last) - dt.timedelta(days=days)
    before = [s for s in snaps if _time(s) <= cutoff]
    base = before[-1] if before else snaps[0]
    span = days if before else (_time(last) - _time(base)).total_seconds() / 86400
    if span < 1:
        return None
    return Velocity((float(last[metric]) - float(base[metric])) / span, span)


@dataclasses.dataclass
class Projection:
    honest: float
    per_day: float | None  # honest completion gained per day, last 30 days
    finish: dt.date | None
    deadline: dt.date | None
    beats: bool | None
    needed_per_day: float | None  # to finish by the deadline


def project(
    snaps: list[dict[str, Any]], deadline: str | None, today: dt.date | None = None
) -> Projection | None:
    """When the honest figure reaches 100% at the pace of the last 30 days, against the deadline."""
    if not snaps:
        return None
    today = today or dt.datetime.now(dt.timezone.utc).date()
    honest = float(snaps[-1]["honest"])
    v = velocity(snaps, 30, "honest")
    rate = v.per_day if v else None
    finish = None
    if honest >= 1.0:
        finish = today
    elif rate and rate > 0:
        finish = today + dt.timedelta(days=int((1.0 - honest) / rate + 0.999))
    due = dt.date.fromisoformat(deadline) if deadline else None
    needed = None
    beats = None
    if due is not None:
        left = (due - today).days
        needed = (1.0 - honest) / left if left > 0 else None
        beats = finish is not None and finish <= due
    return Projection(honest, rate, finish, due, beats, needed)
