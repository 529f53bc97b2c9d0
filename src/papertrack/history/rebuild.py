"""One snapshot per commit of the paper, computed without compiling and cached per commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from papertrack.history.gitlog import _sample, _Tree, commits, history_limit, locate
from papertrack.history.revision import _apply_revision, _TextCache, revision_between
from papertrack.history.snapshots import _save, _time, load, snapshot
from papertrack.paths import cache_dir


def _fingerprint(cfg, main: str | None) -> str:
    """What the per-commit metrics depend on besides the commit: settings and papertrack's code."""
    h = hashlib.sha256()
    settings = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "source"}
    h.update(json.dumps([settings, main], sort_keys=True, default=str).encode())
    pkg = Path(__file__).resolve().parents[1]  # papertrack/, not history/
    from papertrack.paths import templates_dir

    for base in (pkg, templates_dir() / "venues"):
        for p in sorted(base.rglob("*")):
            if p.suffix in (".py", ".toml", ".tex") and p.is_file():
                st = p.stat()
                h.update(f"{p.relative_to(base)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _build_stamp(folder: Path, main: str | None) -> str:
    """The paper's last exact build as the points count pages from it (analyse's paper_folder): a new
    build recounts them."""
    from papertrack.accounting import anchor_file

    try:
        return hashlib.sha256(anchor_file(folder, main or "").read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _scratch_parent(folder: Path) -> Path | None:
    """A temporary folder that is not inside the paper folder."""
    tmp = Path(tempfile.gettempdir()).resolve()
    paper = folder.resolve()
    if tmp == paper or paper in tmp.parents:
        alt = cache_dir() / "tmp"
        alt.mkdir(parents=True, exist_ok=True)
        return alt
    return None


def _metrics_at(
    root: Path, cfg, main: str | None, when: int, sha: str, folder: Path | None = None
) -> dict[str, Any] | None:
    from papertrack.engine import analyse

    try:
        result = analyse(
            root,
            main=main if main and (root / main).is_file() else None,
            cfg=cfg,
            use_cache=True,
            paper_folder=folder,
        )
        stamp = dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat()
        snap = snapshot(result, when=stamp, source="git", commit=sha)
        snap["tex"] = sorted(_tex_names(root))
        return snap
    except Exception:
        return None  # no paper yet at this commit, or a state papertrack cannot read


def _tex_names(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*.tex") if p.is_file()]


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
        f"{repo.resolve()}\0{rel}\0{_fingerprint(cfg, main)}\0{_build_stamp(folder, main)}".encode()
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
                    cached[c.sha] = _metrics_at(
                        tree.root, cfg, c.main or main, c.time, c.sha, folder
                    )
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


def timeline(
    folder: Path, cfg=None, main: str | None = None, *, git: bool = True, on_rebuild=None
) -> list[dict[str, Any]]:
    """Git snapshots and recorded runs together, oldest first."""
    snaps = load(folder)
    if git and cfg is not None:
        snaps = git_history(folder, cfg, main, on_rebuild=on_rebuild) + snaps
    snaps.sort(key=_time)
    return snaps
