"""Progress over time: a snapshot of the metrics per run, and per commit of the paper's git history.

Snapshots live in the user data folder (`data_dir()/history/<project key>.jsonl`), never in the
paper folder. Git history is read with `git ls-tree` and `git cat-file` into a temporary folder
outside the paper folder (the user's checkout, index and branches are never touched); metrics
per commit are cached in the cache folder, and the parse cache is content-addressed per file,
so a commit that changed one file parses one file.

Modules: `snapshots` (recorded runs), `gitlog` (commits, renames, a tree at a commit, --as-of),
`rebuild` (a snapshot per commit), `revision` (rewritten share), `projection` (the finish).
"""

from __future__ import annotations

from papertrack.history.gitlog import (
    _TEXT_SUFFIXES,
    MAX_COMMITS,
    AsOf,
    Commit,
    _sample,
    commits,
    git_root,
    history_limit,
    locate,
    materialize,
    resolve_as_of,
)
from papertrack.history.projection import (
    DONE_AT,
    FLAT,
    Projection,
    Velocity,
    daily,
    project,
    velocity,
)
from papertrack.history.rebuild import _scratch_parent, git_history, timeline
from papertrack.history.revision import (
    REACHED,
    Revision,
    deadline_day,
    revision_between,
    revision_now,
    shingles,
)
from papertrack.history.snapshots import (
    METRICS,
    _time,
    enabled,
    history_path,
    load,
    now_iso,
    record,
    record_safely,
    snapshot,
)
from papertrack.paths import project_key

__all__ = [
    "DONE_AT",
    "FLAT",
    "MAX_COMMITS",
    "METRICS",
    "REACHED",
    "_TEXT_SUFFIXES",
    "AsOf",
    "Commit",
    "Projection",
    "Revision",
    "Velocity",
    "_sample",
    "_scratch_parent",
    "_time",
    "commits",
    "daily",
    "deadline_day",
    "enabled",
    "git_history",
    "git_root",
    "history_limit",
    "history_path",
    "load",
    "locate",
    "materialize",
    "now_iso",
    "project",
    "project_key",
    "record",
    "record_safely",
    "resolve_as_of",
    "revision_between",
    "revision_now",
    "shingles",
    "snapshot",
    "timeline",
    "velocity",
]
