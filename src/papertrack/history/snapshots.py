"""Snapshots of the metrics per run, kept in the user data folder (never in the paper folder)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from papertrack.jsonl import last_record
from papertrack.paths import data_dir, project_key

METRICS = ("words", "pages", "todos", "honest", "felt", "errors", "warnings", "infos", "hours_left")


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
        # the words by file: revision is measured per file (history.revision)
        "files": dict(result.document.file_words),
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
    return last_record(path, _has_time)


def _has_time(snap: Any) -> bool:
    try:
        _time(snap)
    except (ValueError, TypeError, KeyError):
        return False
    return True


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


def _save(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except OSError:
        pass
