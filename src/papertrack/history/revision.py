"""Revision from git: how much of the text present at full length has been rewritten since."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from papertrack.history.gitlog import _git, locate
from papertrack.history.snapshots import _time, now_iso

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
        """The share of the text at `base` (a commit and a folder or file) not found at `now`."""
        key = f"{base[0]}:{now[0]}" if base[1] == now[1] else f"{base[0]}:{now[0]}:{base[1]}"
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
    then against the time drafting took. With `parts`, the same measured per file."""

    base_commit: str
    base_time: str
    base_words: int
    words: int
    rewritten: float
    days: float  # since the paper reached its length
    drafting_days: float  # from the start of the writing to reaching its length
    # the same measure per file the paper reads (a thesis is written a chapter at a time: its
    # first chapters have been revised for months when the last one reaches its length)
    parts: list[Revision] = dataclasses.field(default_factory=list)
    name: str = ""  # a part's file

    def by_file(self, w: dict[str, float], deadline: str | None = None) -> list[dict[str, Any]]:
        """Each file's measure and progress (for reports), least revised first."""
        rows = [
            {
                "file": p.name,
                "words": p.words,
                "rewritten": round(p.rewritten, 4),
                "days": round(p.days, 2),
                "drafting_days": round(p.drafting_days, 2),
                "allowed_days": None
                if (a := p._allowed(w, deadline, self.drafting_days)) is None
                else round(a, 2),
                "progress": round(p._own(w, deadline, self.drafting_days), 4),
            }
            for p in self.parts
        ]
        return sorted(rows, key=lambda r: (r["progress"], -r["words"]))

    def allowed(self, w: dict[str, float], deadline: str | None = None) -> float | None:
        """The days revision may take: `revision-time` times the drafting time, and with a
        deadline at most the time from reaching the length to the deadline (papers with a
        deadline are submitted on it). None when there is nothing to measure it against."""
        return self._allowed(w, deadline, self.drafting_days)

    def _allowed(self, w: dict[str, float], deadline: str | None, drafting: float) -> float | None:
        # a paper that arrived at full length (imported, a template) has no drafting time
        allowed = w["revision-time"] * drafting if drafting >= 1 else None
        left = _days_to(self.base_time, deadline)
        if left is not None and left > 0:
            allowed = min(allowed, left) if allowed is not None else left
        return allowed

    def progress(self, w: dict[str, float], deadline: str | None = None) -> float:
        """Revision progress: either signal reaching its mark counts (papers revised in place
        rewrite much; long-drafted papers mature without rewriting much). So does either way
        of measuring it: the paper as a whole, or its files weighted by their words (a paper
        restructured across files is revised as a whole; a thesis chapter by chapter)."""
        whole = self._own(w, deadline, self.drafting_days)
        if not self.parts:
            return whole
        total = sum(p.words for p in self.parts) or 1
        by_file = sum(p.words * p._own(w, deadline, self.drafting_days) for p in self.parts)
        return max(whole, by_file / total)

    def _own(self, w: dict[str, float], deadline: str | None, drafting: float) -> float:
        # a file is revised at the paper's pace (`drafting` is the paper's drafting time): a
        # chapter pasted in from a published paper took no time to draft here, and a section
        # drafted in a day is not revised the day after (measured: 0.177 -> 0.175 MAE)
        by_text = self.rewritten / w["revision-share"]
        allowed = self._allowed(w, deadline, drafting)
        by_time = self.days / allowed if allowed else 0.0
        return min(1.0, max(by_text, by_time))


# A deadline day ends "anywhere on Earth" (UTC-12), as calls for papers mean it: a paper
# submitted at noon UTC the next day is still on time (ICML 2024's Feb 1 deadline).
_AOE = 12


def deadline_day(when: dt.datetime) -> dt.date:
    """The date `when` falls on anywhere on Earth (UTC-12): the day a deadline is counted in.

    Projections count the days left from it, so a paper committed at 10:00 UTC the day after a
    deadline date still has that day, as revision's `_days_to` gives it."""
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return (when.astimezone(dt.timezone.utc) - dt.timedelta(hours=_AOE)).date()


def _days_to(since: str, deadline: str | None) -> float | None:
    """Days from an ISO time to the end of a deadline day (YYYY-MM-DD, anywhere on Earth),
    None without one."""
    if not deadline:
        return None
    try:
        due = dt.datetime.fromisoformat(deadline[:10]).replace(tzinfo=dt.timezone.utc)
        start = dt.datetime.fromisoformat(since)
    except ValueError:
        return None
    start = start if start.tzinfo else start.replace(tzinfo=dt.timezone.utc)
    return (due + dt.timedelta(days=1, hours=_AOE) - start).total_seconds() / 86400


# the paper "reached its length" at the first point with this share of the words it has now,
# after the last time it had under DIP of them (a folder reused for a new paper starts over)
REACHED, DIP, START = 0.9, 0.5, 0.1


MIN_WORDS = 300


def _reach(counts: list[int], words: int) -> tuple[int, int] | None:
    """(start, base): the point the writing started and the first point with REACHED of
    `words`, after the last dip under DIP of them; None when it never reached them."""
    dip = max((i for i, n in enumerate(counts) if n < DIP * words), default=-1)
    start_i = max((i for i, n in enumerate(counts[: dip + 1]) if n < START * words), default=0)
    base_i = next((i for i in range(dip + 1, len(counts)) if counts[i] >= REACHED * words), None)
    return None if base_i is None else (start_i, base_i)


def _days(a: dict[str, Any], b: dict[str, Any]) -> float:
    return (_time(b) - _time(a)).total_seconds() / 86400


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
    reach = _reach(counts, words)
    if reach is None:
        return None
    start_i, base_i = reach
    base = snaps[base_i]
    drafting_days = _days(snaps[start_i], base)
    days = _days(base, last)
    if base is not last and not base.get("commit"):
        return None
    try:
        parts = _parts(snaps, texts, now_shingles)
        if base is last:
            share = 0.0
        elif now_shingles is not None:
            old = texts.shingles(base["commit"], base.get("rel", ""))
            share = 1 - len(old & now_shingles) / len(old) if old else 0.0
        else:
            share = texts.rewritten(
                (base["commit"], base.get("rel", "")), (last["commit"], last.get("rel", ""))
            )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return Revision(
        base.get("commit") or "",
        base["time"],
        counts[base_i],
        words,
        share,
        days,
        drafting_days,
        parts,
    )


def _parts(snaps: list[dict[str, Any]], texts: _TextCache, now_shingles) -> list[Revision]:
    """The revision measure of each file the paper reads now ([] for a paper in one file, or
    without the words by file): from when that file reached its length, its text against the
    whole text now (text moved between files still matches)."""
    last = snaps[-1]
    files = {f: n for f, n in (last.get("files") or {}).items() if n > 0}
    if len(files) < 2:
        return []
    points = [s for s in snaps[:-1] if "files" in s and s.get("commit")] + [last]
    out = []
    for name, words in sorted(files.items()):
        counts = [s["files"].get(name, 0) for s in points]
        start_i, base_i = _reach(counts, words) or (len(points) - 1, len(points) - 1)
        base = points[base_i]
        share = 0.0
        if base is not last:
            rel = base.get("rel", "")
            path = (base["commit"], f"{rel}/{name}" if rel else name)
            if now_shingles is not None:
                old = texts.shingles(*path)
                share = 1 - len(old & now_shingles) / len(old) if old else 0.0
            else:
                share = texts.rewritten(path, (last["commit"], last.get("rel", "")))
        out.append(
            Revision(
                base.get("commit") or "",
                base["time"],
                counts[base_i],
                words,
                share,
                _days(base, last),
                _days(points[start_i], base),
                name=name,
            )
        )
    return out


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
    progress = rev.progress(w, cfg.deadline) if rev else None
    snap["revision"] = round(progress, 4) if progress is not None else None
    snap["honest"] = round(combine(float(drafting), progress, bool(snap.get("blocked")), w), 4)


def revision_now(
    folder: Path,
    snaps: list[dict[str, Any]],
    now_words: int,
    root: Path | None = None,
    when: str | None = None,
    files: dict[str, int] | None = None,
):
    """The revision measure of the paper as it is now (the folder on disk, or `root` for a
    replayed state), against the git points in `snaps`."""
    where = locate(folder)
    git_snaps = [s for s in snaps if s.get("source") == "git" and s.get("commit")]
    if where is None or not now_words:
        return None
    when = when or now_iso()
    if not git_snaps:
        # the paper's first commit (or none yet): nothing has been revised. Without this the
        # figure was the drafting part alone, and a paper imported whole (a conference paper
        # turned into a journal one, a template with chapters pasted in) read 60-93% on day one
        if now_words < MIN_WORDS:
            return None  # a skeleton: nothing to revise yet, as revision_between says
        return Revision("", when, now_words, now_words, 0.0, 0.0, 0.0)
    repo, _rel = where
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((root or folder).rglob("*.tex"))
        if p.is_file()
    )
    now = {"time": when, "words": now_words, "commit": None, "files": files or {}}
    return revision_between([*git_snaps, now], _TextCache(repo, {}), shingles(text))
