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
        "felt": round(completion.felt, 4) if completion.felt is not None else None,
        "honest": round(completion.honest, 4),
        "drafting": round(completion.drafting, 4),
        "blocked": bool(completion.blockers),
        "rewritten": completion.rewritten,
        "revision": completion.revision,
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


@dataclasses.dataclass(frozen=True)
class Commit:
    """A commit of the paper: its hash, committer time, and where the paper folder and its main
    file were at that commit (both move when the folder or the main file is renamed)."""

    sha: str
    time: int
    rel: str
    main: str | None = None


def _log(repo: Path, tip: str, spec: str) -> list[tuple[str, int]]:
    out = _git(
        repo,
        "log",
        "--no-show-signature",
        "--topo-order",
        "--format=%H %ct",
        tip,
        "--",
        spec or ".",
    ).decode()
    return [(sha, int(t)) for sha, t in (ln.split() for ln in out.splitlines() if ln.strip())]


def _main_moves(repo: Path, tip: str, path: str) -> list[tuple[str, str]]:
    """(sha, path of the main file at that commit), newest first, following renames."""
    out = _git(
        repo,
        "log",
        "--no-show-signature",
        "--follow",
        "-M",
        "--topo-order",
        "--name-status",
        "--format=%x01%H",
        tip,
        "--",
        path,
    ).decode("utf-8", "surrogateescape")
    found: list[tuple[str, str]] = []
    for block in out.split("\x01")[1:]:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if len(lines) >= 2:
            found.append((lines[0].strip(), lines[-1].split("\t")[-1]))
    return found


def _parent_dir(path: str, depth: int) -> str:
    parts = PurePosixPath(path).parts[: -(depth + 1)]
    return "/".join(parts)


def commits(repo: Path, rel: str, main: str | None = None, tip: str = "HEAD") -> list[Commit]:
    """The commits that touched the paper folder up to `tip`, oldest first (topological order,
    so rebased or merged work with out-of-order dates stays in place).

    With the main file known, renames are followed: `git log --follow` on the main file tells
    where it lived at each commit, and each earlier folder contributes its own commits for the
    stretch of history the main file lived there."""
    current = _log(repo, tip, rel)
    if not main:
        return [Commit(sha, t, rel) for sha, t in reversed(current)]
    full = f"{rel}/{main}" if rel else main
    depth = len(PurePosixPath(main).parts) - 1
    moves = _main_moves(repo, tip, full)
    # eras: consecutive stretches (newest first) with the main file in one folder
    eras: list[tuple[str, set[str]]] = []
    main_at: dict[str, str] = {}
    for sha, path in moves:
        folder = _parent_dir(path, depth)
        main_at[sha] = path[len(folder) + 1 :] if folder else path
        if not eras or eras[-1][0] != folder:
            eras.append((folder, set()))
        eras[-1][1].add(sha)
    if len(eras) <= 1:
        return _carry_main([Commit(sha, t, rel) for sha, t in reversed(current)], main_at)
    order = {
        sha: i for i, sha in enumerate(_git(repo, "rev-list", "--topo-order", tip).decode().split())
    }
    found: dict[str, Commit] = {}
    # newest era first: an era runs back to its oldest main-file commit (the rename), the
    # oldest era to the beginning
    bound_new = -1
    for k, (folder, shas) in enumerate(eras):
        last = k == len(eras) - 1
        rename = 10**9 if last else max(order.get(s, -1) for s in shas)
        for sha, t in _log(repo, tip, folder):
            pos = order.get(sha)
            if pos is None or pos <= bound_new or pos > rename or sha in found:
                continue
            found[sha] = Commit(sha, t, folder, None)
        bound_new = rename
    return _carry_main(sorted(found.values(), key=lambda c: -order[c.sha]), main_at)


def _carry_main(ordered: list[Commit], main_at: dict[str, str]) -> list[Commit]:
    """Each commit with the main file's name as of that commit (the last one that touched it)."""
    last: str | None = None
    out = []
    for c in ordered:
        last = main_at.get(c.sha, last)
        out.append(dataclasses.replace(c, main=last))
    return out


def _sample(items: list, limit: int) -> list:
    """At most `limit` items on a grid that stays the same as the list grows (every 2**k-th
    from the first, and the newest), so a replay at an earlier commit reuses the cache."""
    if len(items) <= limit:
        return items
    stride = 1
    while (len(items) - 1) // stride + 1 > limit - 1:
        stride *= 2
    picked = items[::stride]
    if picked[-1] is not items[-1]:
        picked.append(items[-1])
    return picked


def history_limit() -> int:
    """Commits to read at most (PAPERTRACK_HISTORY_LIMIT, for benches that replay many points)."""
    try:
        return max(2, int(os.environ.get("PAPERTRACK_HISTORY_LIMIT", MAX_COMMITS)))
    except ValueError:
        return MAX_COMMITS


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

    def checkout(self, sha: str, rel: str | None = None) -> None:
        if rel is not None and rel != self.rel:
            self.rel = rel  # the paper folder was renamed: every path is new
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
    from papertrack.engine import analyse

    try:
        result = analyse(
            root, main=main if main and (root / main).is_file() else None, cfg=cfg, use_cache=True
        )
        stamp = dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat()
        snap = snapshot(result, when=stamp, source="git", commit=sha)
        snap["tex"] = sorted(_tex_names(root))
        return snap
    except Exception:
        return None  # no paper yet at this commit, or a state papertrack cannot read


def _tex_names(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*.tex") if p.is_file()]


def locate(folder: Path) -> tuple[Path, str] | None:
    """The git work tree holding `folder` and the folder's path in it ('' at the top)."""
    repo = git_root(folder)
    if repo is None:
        return None
    try:
        rel = folder.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    return repo, ("" if rel == "." else rel)


def git_history(
    folder: Path,
    cfg,
    main: str | None = None,
    *,
    limit: int | None = None,
    on_rebuild=None,
    until: str = "HEAD",
) -> list[dict[str, Any]]:
    """One snapshot per commit that touched the paper folder up to `until`, oldest first
    ([] without git). Renames of the folder and of the main file are followed.

    Metrics are computed without compiling (pages are estimates) and cached per commit; each
    snapshot also carries the revision measure at that commit (see `revision`)."""
    where = locate(folder)
    if where is None:
        return []
    repo, rel = where
    try:
        found = _sample(commits(repo, rel, main, until), limit or history_limit())
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
    missing = [c for c in found if c.sha not in cached]
    if missing and on_rebuild is not None:
        on_rebuild(len(missing), len(found))  # the caller may tell the user why this takes a while
    if missing:
        with tempfile.TemporaryDirectory(
            prefix="papertrack-history-", dir=_scratch_parent(folder)
        ) as tmp:
            tree = _Tree(repo, found[0].rel, Path(tmp) / (folder.resolve().name or "paper"))
            tree.root.mkdir(parents=True)
            try:
                for c in missing:
                    tree.checkout(c.sha, c.rel)
                    cached[c.sha] = _metrics_at(tree.root, cfg, c.main or main, c.time, c.sha)
                    if cached[c.sha] is not None:
                        cached[c.sha]["rel"] = c.rel
            except (OSError, subprocess.SubprocessError, ValueError):
                pass  # keep what was computed; the rest is tried again next time
            finally:
                tree.close()
    snaps = [dict(cached[c.sha]) for c in found if cached.get(c.sha)]
    texts = _TextCache(repo, cached.setdefault("_revision", {}))
    for i, snap in enumerate(snaps):
        rev = revision_between(snaps[: i + 1], texts)
        _apply_revision(snap, rev, cfg)
    if missing or texts.dirty:
        _save(store, cached)
    return snaps


# --- revision: how much of the full-length text has been rewritten since ---------------------

_WORD_RE = None


def shingles(text: str, k: int = 4) -> set[int]:
    """Hashes of the word k-grams of a LaTeX text, comments dropped (moved text still matches)."""
    import re

    global _WORD_RE
    if _WORD_RE is None:
        _WORD_RE = re.compile(r"[^\W\d_]+")
    body = re.sub(r"(?<!\\)%[^\n]*", "", text)
    w = [x.lower() for x in _WORD_RE.findall(body)]
    return {hash(tuple(w[i : i + k])) for i in range(max(0, len(w) - k + 1))}


class _TextCache:
    """Shingles of a commit's .tex files (through the one git helper), and rewritten shares
    between two commits, remembered in the history cache."""

    def __init__(self, repo: Path, store: dict[str, Any]) -> None:
        self.repo, self.store, self.dirty = repo, store, False
        self._sh: dict[tuple[str, str], set[int]] = {}

    def text(self, sha: str, rel: str) -> str:
        raw = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", sha, "--", rel or ".")
        blobs = []
        for entry in raw.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob" and name.lower().endswith(b".tex"):
                blobs.append(parts[2].decode())
        if not blobs:
            return ""
        out = _git(self.repo, "cat-file", "--batch", input=("\n".join(blobs) + "\n").encode())
        texts, i = [], 0
        while i < len(out):
            nl = out.index(b"\n", i)
            head = out[i:nl].split()
            if len(head) != 3:  # "<sha> missing": a blob the clone does not have
                i = nl + 1
                continue
            size = int(head[2])
            texts.append(out[nl + 1 : nl + 1 + size].decode("utf-8", "replace"))
            i = nl + 1 + size + 1
        return "\n".join(texts)

    def shingles(self, sha: str, rel: str) -> set[int]:
        if (sha, rel) not in self._sh:
            self._sh[(sha, rel)] = shingles(self.text(sha, rel))
        return self._sh[(sha, rel)]

    def rewritten(self, base: tuple[str, str], now: tuple[str, str]) -> float:
        key = f"{base[0]}:{now[0]}"
        if key not in self.store:
            old = self.shingles(*base)
            self.store[key] = (
                round(1 - len(old & self.shingles(*now)) / len(old), 4) if old else 0.0
            )
            self.dirty = True
        return float(self.store[key])


@dataclasses.dataclass
class Revision:
    """How far revision has gone, from git: the share of the text present when the paper first
    reached (nearly) its current length that has been rewritten since, and the time spent since
    then against the time drafting took."""

    base_commit: str
    base_time: str
    base_words: int
    words: int
    rewritten: float
    days: float  # since the paper reached its length
    drafting_days: float  # from the start of the writing to reaching its length

    def progress(self, w: dict[str, float]) -> float:
        """Revision progress: either signal reaching its mark counts (papers revised in place
        rewrite much; long-drafted papers mature without rewriting much)."""
        by_text = self.rewritten / w["revision-share"]
        # a paper that arrived at full length (imported, a template) has no drafting time
        # to measure revision time against
        by_time = (
            self.days / (w["revision-time"] * self.drafting_days)
            if self.drafting_days >= 1
            else 0.0
        )
        return min(1.0, max(by_text, by_time))


# the paper "reached its length" at the first point with this share of the words it has now,
# after the last time it had under DIP of them (a folder reused for a new paper starts over)
REACHED, DIP, START = 0.9, 0.5, 0.1
MIN_WORDS = 300


def revision_between(snaps: list[dict[str, Any]], texts: _TextCache, now_shingles=None):
    """The revision measure at the last of `snaps` (git points, oldest first), or None when
    there is no earlier point or no git text."""
    if not snaps:
        return None
    last = snaps[-1]
    words = last.get("words") or 0
    if not words:
        return None
    if words < MIN_WORDS:
        return None  # a skeleton: nothing to revise yet
    # points the reader could not read (0 words) are no dip in the paper's length
    snaps = [s for s in snaps[:-1] if s.get("words")] + [last]
    counts = [s.get("words") or 0 for s in snaps]
    dip = max((i for i, n in enumerate(counts) if n < DIP * words), default=-1)
    start_i = max((i for i, n in enumerate(counts[: dip + 1]) if n < START * words), default=0)
    base_i = next((i for i in range(dip + 1, len(snaps)) if counts[i] >= REACHED * words), None)
    if base_i is None:
        return None
    base = snaps[base_i]
    drafting_days = (_time(base) - _time(snaps[start_i])).total_seconds() / 86400
    days = (_time(last) - _time(base)).total_seconds() / 86400
    if base is last:
        return Revision(
            last.get("commit") or "", last["time"], words, words, 0.0, 0.0, drafting_days
        )
    if not base.get("commit"):
        return None
    try:
        if now_shingles is not None:
            old = texts.shingles(base["commit"], base.get("rel", ""))
            share = 1 - len(old & now_shingles) / len(old) if old else 0.0
        else:
            share = texts.rewritten(
                (base["commit"], base.get("rel", "")), (last["commit"], last.get("rel", ""))
            )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return Revision(base["commit"], base["time"], counts[base_i], words, share, days, drafting_days)


def _apply_revision(snap: dict[str, Any], rev: Revision | None, cfg) -> None:
    """Fold the revision measure into a snapshot's honest figure, as `assess` does today."""
    from papertrack.completion.model import combine
    from papertrack.completion.weights import resolve

    w = resolve(cfg.completion)
    drafting = snap.get("drafting", snap.get("honest"))
    if drafting is None:
        return
    snap["drafting"] = drafting
    snap["rewritten"] = round(rev.rewritten, 4) if rev else None
    snap["revision"] = round(rev.progress(w), 4) if rev else None
    snap["honest"] = round(
        combine(float(drafting), rev.progress(w) if rev else None, bool(snap.get("blocked")), w), 4
    )


def revision_now(
    folder: Path,
    snaps: list[dict[str, Any]],
    now_words: int,
    root: Path | None = None,
    when: str | None = None,
):
    """The revision measure of the paper as it is now (the folder on disk, or `root` for a
    replayed state), against the git points in `snaps`."""
    where = locate(folder)
    git_snaps = [s for s in snaps if s.get("source") == "git" and s.get("commit")]
    if where is None or not git_snaps or not now_words:
        return None
    repo, _rel = where
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((root or folder).rglob("*.tex"))
        if p.is_file()
    )
    now = {"time": when or now_iso(), "words": now_words, "commit": None}
    return revision_between([*git_snaps, now], _TextCache(repo, {}), shingles(text))


# --- a past point: --as-of REV|DATE ---------------------------------------------------------


@dataclasses.dataclass
class AsOf:
    """A past state of the paper: its commit, committer time, folder and main file then."""

    commit: Commit
    label: str  # what the user asked for


def resolve_as_of(folder: Path, text: str, main: str | None = None) -> AsOf:
    """The commit a `--as-of REV|DATE` names: a revision, or the last commit of the paper made
    at or before a date (YYYY-MM-DD, or an ISO time). Raises ValueError with what went wrong."""
    where = locate(folder)
    if where is None:
        raise ValueError(f"--as-of needs the paper in a git repository, and {folder} is not")
    repo, rel = where
    sha = None
    if not text.startswith("-"):
        try:
            sha = (
                _git(repo, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}")
                .decode()
                .strip()
            )
        except (OSError, subprocess.SubprocessError):
            sha = None
    if sha:
        # the paper's own history up to that revision; the revision itself may be any commit
        found = commits(repo, rel, main, sha)
        t = int(_git(repo, "show", "-s", "--format=%ct", sha).decode().strip())
        hit = next((c for c in reversed(found) if c.sha == sha), None)
        if hit is None:
            last = found[-1] if found else None
            hit = Commit(sha, t, last.rel if last else rel, last.main if last else main)
        return AsOf(hit, text)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--as-of {text!r} is neither a revision of the repository nor a date (YYYY-MM-DD)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
        if len(text) <= 10:
            when += dt.timedelta(days=1) - dt.timedelta(seconds=1)  # the end of that day
    found = [c for c in commits(repo, rel, main) if c.time <= when.timestamp()]
    if not found:
        raise ValueError(f"--as-of {text}: the paper has no commit at or before that date")
    return AsOf(found[-1], text)


def materialize(folder: Path, point: AsOf, dest: Path) -> Path:
    """Write the paper folder as of the commit into `dest` (outside the paper), return it."""
    where = locate(folder)
    assert where is not None
    repo, _rel = where
    tree = _Tree(repo, point.commit.rel, dest)
    dest.mkdir(parents=True, exist_ok=True)
    try:
        tree.checkout(point.commit.sha, point.commit.rel)
    finally:
        tree.close()
    return dest


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
    """When the honest figure reaches done, with an interval, against the deadline."""

    honest: float
    per_day: float | None  # honest completion gained per day over the whole history
    finish: dt.date | None
    deadline: dt.date | None
    beats: bool | None  # finishes by the deadline, the whole interval included
    needed_per_day: float | None  # to finish by the deadline
    finish_low: dt.date | None = None
    finish_high: dt.date | None = None  # None with a finish: open-ended (a pace near zero lately)
    status: str = "not enough signal"  # done | on track | at risk | misses | stalled | projected | not enough signal
    basis: str = ""
    today: dt.date | None = None


# the figure counts as done from here (a finished paper reads at least this)
DONE_AT = 0.95
# a recent pace below this (points per day) is flat
FLAT = 0.002
# no date further than this many times the history's span, or than this many days
MAX_SPAN_FACTOR, MAX_DAYS = 3.0, 730


def _pace(points: list[tuple[float, float]], days: float) -> float | None:
    """Change per day over the last `days` days of (day, value) points, None if too short."""
    t_end, v_end = points[-1]
    before = [p for p in points if p[0] <= t_end - days]
    if not before:
        return None
    t0, v0 = before[-1]
    return (v_end - v0) / (t_end - t0) if t_end > t0 else None


def project(
    snaps: list[dict[str, Any]], deadline: str | None, today: dt.date | None = None
) -> Projection | None:
    """When the honest figure reaches done (see `_project`); with a deadline still ahead and no
    date from the pace, the deadline is when the paper will be submitted."""
    p = _project(snaps, deadline, today)
    if p is not None and p.deadline and p.today and p.deadline >= p.today and p.finish is None:
        p.finish = p.finish_low = p.deadline
        p.basis += f"; with the deadline on {p.deadline}, expect to submit then"
    return p


def _project(
    snaps: list[dict[str, Any]], deadline: str | None, today: dt.date | None = None
) -> Projection | None:
    """When the honest figure reaches done. The point is the pace over the whole writing so far
    (the figure is calibrated against calendar time); the interval comes from the paces of the
    last 14 and 30 days. With a deadline, writers use the time they have: a pace that finishes
    earlier projects the deadline. Absurd dates and too short histories say so instead."""
    if not snaps:
        return None
    today = today or dt.datetime.now(dt.timezone.utc).date()
    honest = float(snaps[-1]["honest"])
    due = dt.date.fromisoformat(deadline) if deadline else None
    left_days = (due - today).days if due else None
    needed = (1.0 - honest) / left_days if left_days and left_days > 0 else None
    base = Projection(honest, None, None, due, None, needed, today=today)
    if honest >= DONE_AT:
        base.finish = base.finish_low = base.finish_high = today
        base.status, base.beats = "done", (today <= due if due else None)
        base.basis = f"is done reads {honest:.0%} (done from {DONE_AT:.0%})"
        return base
    snaps = _writing_run(snaps)
    start = _time(snaps[0])
    points = [
        ((_time(s) - start).total_seconds() / 86400, float(s["honest"]))
        for s in snaps
        if s.get("honest") is not None
    ]
    span = points[-1][0] - points[0][0]
    if len(points) < 3 or span < 3:
        base.basis = f"{len(points)} points over {span:.0f} days: too short a history to project"
        return base
    whole = (points[-1][1] - points[0][1]) / span
    recent = {d: _pace(points, d) for d in (14, 30)}
    base.per_day = whole
    flat = recent[14] is not None and recent[14] < FLAT
    if whole <= 0:
        base.basis = "is done has not grown over the history: no pace to project"
        base.status = "stalled" if flat else base.status
        return base
    paces = [whole] + [p for p in recent.values() if p is not None and p > 0]
    days = [(1.0 - honest) / p for p in paces]
    point = days[0]
    limit = min(MAX_DAYS, MAX_SPAN_FACTOR * span)
    if point > limit:
        base.basis = (
            f"at {whole * 100:.2f} points a day the finish would be {point:.0f} days away: "
            "not enough signal for a date"
        )
        base.status = "stalled" if flat else base.status
        if due is not None and due >= today:
            base.status, base.beats = ("stalled" if flat else "misses"), False
            base.basis += f"; the deadline on {due} comes first"
        return base
    lo, hi = min(days), max(days)
    open_ended = any(p is not None and p <= 0 for p in recent.values())
    base.finish = today + dt.timedelta(days=round(point))
    base.finish_low = today + dt.timedelta(days=round(lo))
    base.finish_high = None if open_ended or hi > limit else today + dt.timedelta(days=round(hi))
    base.basis = (
        f"pace over {span:.0f} days of history {whole * 100:+.1f} points a day; interval from the "
        "paces of the last 14 and 30 days"
        + ("; open-ended: no progress lately" if base.finish_high is None else "")
    )
    base.status = "projected"
    if flat:
        base.status = "stalled"
        base.basis += f"; flat over the last 14 days at {honest:.0%}"
    if due is not None:
        return _toward(base, due, honest, whole, flat)
    return base


def _toward(base: Projection, due: dt.date, honest: float, pace: float, flat: bool) -> Projection:
    """Projection toward a deadline: papers with a deadline are submitted on it (every deadline
    history measured was), so the deadline is the finish; the pace says how done the paper will
    read then, and whether the whole interval is before it."""
    pace_finish = base.finish
    sure = base.finish_high is not None and base.finish_high <= due and not flat
    base.beats = sure
    if base.status != "stalled":
        if sure:
            base.status = "on track"
        elif base.finish_low is not None and base.finish_low > due:
            base.status = "misses"
        else:
            base.status = "at risk"
    days = (due - (base.today or due)).days
    then = min(1.0, honest + max(0.0, pace) * max(0, days))
    base.basis += (
        f"; this pace alone says {pace_finish}; with the deadline on {due}, expect to submit "
        f"then, reading about {then:.0%}"
    )
    low = min(d for d in (base.finish_low, due) if d is not None)
    base.finish, base.finish_low = due, low
    base.finish_high = max(base.finish_high, due) if base.finish_high else None
    return base


def _writing_run(snaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The snapshots since the writing of this paper started: after the last time the paper
    had under a tenth of its words now (a folder that held older notes, a template month)."""
    words = snaps[-1].get("words") or 0
    if not words:
        return snaps
    low = [i for i, s in enumerate(snaps) if s.get("words") and s["words"] < START * words]
    return snaps[low[-1] :] if low else snaps
