"""The paper's commits (following renames of its folder and main file) and its tree at a commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
from pathlib import Path, PurePosixPath

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
# files outside the paper folder written for a replayed point at most (a code repository around
# the paper: its figures and tables beside the paper are what matters)
_MAX_OUTSIDE = 20000


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
    writing only the files whose blob changed.

    A paper may name files beside its folder (`\\graphicspath{{../figures/}}`,
    `\\includegraphics{../plots/a.pdf}`, a link `figures -> ../figures`), which the live check
    finds in the checkout. So the repository's other files are written where they sit relative
    to the paper folder too, as far as the scratch folder holding `root` reaches (one level up:
    the paper folder's siblings), and a relative link that stays inside the scratch folder is
    made as a link. Without them every replayed point of such a paper lacked its figures."""

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

    def _place(self, path: str) -> str | None:
        """Where a repository file goes, relative to root: inside the paper folder as it is,
        outside it as the paper names it (../x), if that stays in the scratch folder."""
        prefix = self.rel + "/" if self.rel else ""
        if path.startswith(prefix):
            rel = path[len(prefix) :]
            return None if ".." in PurePosixPath(rel).parts else rel
        rel = os.path.relpath(path, self.rel or ".").replace(os.sep, "/")
        parts = PurePosixPath(rel).parts
        # one level up at most (root's parent is the scratch folder), and never into root
        if not parts or parts[0] != ".." or ".." in parts[1:] or len(parts) < 2:
            return None
        if parts[1] == self.root.name:
            return None
        return rel

    def _inside_scratch(self, rel: str, target: str) -> bool:
        """Whether a relative link at rel (relative to root) to target stays in the scratch."""
        if os.path.isabs(target) or "\0" in target:
            return False
        scratch = os.path.normpath(self.root.parent)
        where = os.path.normpath(os.path.join(self.root, os.path.dirname(rel), target))
        return where == scratch or where.startswith(scratch + os.sep)

    def checkout(self, sha: str, rel: str | None = None) -> None:
        if rel is not None and rel != self.rel:
            self.rel = rel  # the paper folder was renamed: every path is new
        raw = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", sha)
        want: dict[str, tuple[str, int]] = {}
        outside = 0
        for entry in raw.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, blob = meta.decode().split()
            if kind != "blob":
                continue  # submodules are not followed
            place = self._place(name.decode("utf-8", "surrogateescape"))
            if place is None:
                continue
            if place.startswith("../"):
                outside += 1
                if outside > _MAX_OUTSIDE:
                    continue  # a huge repository around a small paper: its own folder only
            want[place] = (blob, int(mode, 8))
        for rel in set(self.blobs) - set(want):
            (self.root / rel).unlink(missing_ok=True)
            del self.blobs[rel]
        for rel, (blob, mode) in want.items():
            if self.blobs.get(rel) == blob:
                continue
            target = self.root / rel
            if target.is_symlink():
                target.unlink()  # never write through a link the last commit had
            if mode == 0o120000:
                if target.exists():
                    continue  # a folder there (another file's parent): keep it
                link = self._read_blob(blob).decode("utf-8", "surrogateescape")
                if not self._inside_scratch(rel, link):
                    continue  # a link out of the repository copy is not followed
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    target.symlink_to(link)
                except OSError:
                    continue
                self.blobs[rel] = blob
                continue
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
