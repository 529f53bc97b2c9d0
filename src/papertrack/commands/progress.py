"""`papertrack progress`: the paper's trend over time, its velocity and the projected finish."""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from papertrack.config import Config, apply_flags, load_config
from papertrack.errors import PapertrackError


@dataclasses.dataclass
class State:
    """Everything `progress` and `report` show: the paper now (or as of a past commit)."""

    folder: Path
    cfg: Config
    result: Any
    comp: Any
    snaps: list[dict]
    today: Any  # the date projections count from
    as_of: Any = None  # history.AsOf when replaying a past point


def _main_of(path: Path, folder: Path, main_file, cfg: Config) -> str | None:
    """The main file relative to the folder, to follow its renames through git."""
    if main_file:
        return str(main_file)
    if path.is_file():
        return path.name
    if cfg.main:
        return cfg.main
    try:
        from papertrack.project.loader import load_project

        return load_project(folder).main
    except Exception:
        return None  # the paper is not there now (deleted at HEAD): no rename following


@contextlib.contextmanager
def prepare(
    path: Path,
    *,
    main_file,
    config_file,
    venue,
    compile_: bool,
    git: bool = True,
    as_of: str | None = None,
    on_rebuild=None,
):
    """The paper's state (now, or replayed at `as_of`), its history and its completion."""
    import datetime as dt

    from papertrack import history
    from papertrack.completion import assess
    from papertrack.engine import analyse

    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    cfg: Config = apply_flags(load_config(folder, config_file), venue=venue, compile_=compile_)
    if as_of is None:
        result = analyse(path, cfg, main=main_file)
        main = result.document.main
        snaps = history.timeline(folder, cfg, main, git=git, on_rebuild=on_rebuild)
        doc = result.document
        rev = history.revision_now(folder, snaps, doc.words, files=doc.file_words) if git else None
        comp = assess(result, rev, _basis(rev, git, folder))
        history.record_safely(result, comp, folder)
        snaps = [*snaps, history.snapshot(result, comp)]
        yield State(folder, cfg, result, comp, snaps, _today(cfg, dt.datetime.now(dt.timezone.utc)))
        return
    main = _main_of(path, folder, main_file, cfg)
    if history.locate(folder) is None:
        # history's own message named the folder as given: 'and . is not'
        raise PapertrackError(
            f"--as-of needs the paper in a git repository, and {folder.resolve()} is not in one",
            hint="commit the paper to git to replay past points, or leave out --as-of",
        )
    try:
        point = history.resolve_as_of(folder, as_of, main)
    except (ValueError, OSError) as e:
        raise PapertrackError(str(e)) from None
    with tempfile.TemporaryDirectory(
        prefix="papertrack-as-of-", dir=history._scratch_parent(folder)
    ) as tmp:
        root = history.materialize(folder, point, Path(tmp) / (folder.resolve().name or "paper"))
        at_main = point.commit.main or main
        # without a build, the pages are counted as the rebuilt points count them: from the
        # paper's own last exact build of the same layout
        result = analyse(
            root,
            cfg,
            main=at_main if at_main and (root / at_main).is_file() else None,
            paper_folder=None if cfg.compile else folder,
        )
        when = dt.datetime.fromtimestamp(point.commit.time, dt.timezone.utc)
        snaps = []
        if git:
            snaps = history.git_history(
                folder, cfg, main, on_rebuild=on_rebuild, until=point.commit.sha
            )
        snaps = [
            s for s in snaps if history._time(s) <= when and s.get("commit") != point.commit.sha
        ]
        snaps += [s for s in history.load(folder) if history._time(s) <= when]
        snaps.sort(key=history._time)
        rev = (
            history.revision_now(
                folder,
                snaps,
                result.document.words,
                root,
                when.isoformat(),
                files=result.document.file_words,
            )
            if git
            else None
        )
        comp = assess(result, rev, _basis(rev, git, folder))
        now = history.snapshot(
            result, comp, when=when.isoformat(), source="git", commit=point.commit.sha
        )
        yield State(folder, cfg, result, comp, [*snaps, now], _today(cfg, when), point)


def _today(cfg: Config, when):
    """The date projections count from: with a deadline, the day anywhere on Earth (the
    deadline's own clock, which revision uses too); otherwise the UTC date."""
    from papertrack import history

    return history.deadline_day(when) if cfg.deadline else when.date()


def _basis(rev, git: bool, folder: Path) -> str:
    from papertrack import history
    from papertrack.history.revision import MIN_WORDS

    if not git:
        return "not measured: --no-git"
    if rev is None and history.locate(folder) is None:
        return "not measured: no git history of the paper"
    if rev is None:
        # in git, but a skeleton: 'no git history' was wrong at a repository's early commits
        return f"not measured: under {MIN_WORDS} words, nothing to revise yet"
    if rev.rewritten == 0 and rev.days == 0 and not any(p.days for p in rev.parts):
        return "the paper is still growing: nothing to revise yet"
    basis = (
        f"{rev.rewritten:.0%} of the text present when the paper first reached {history_reached()} of "
        f"its length ({rev.base_time[:10]}, commit {rev.base_commit[:7]}) has been rewritten since; "
        f"{rev.days:.0f} days of revision after {rev.drafting_days:.0f} days of drafting"
    )
    if rev.parts:
        basis += (
            f"; measured per file ({len(rev.parts)} files, weighted by their words), each from "
            "when it reached its own length"
        )
    return basis


def history_reached() -> str:
    from papertrack.history import REACHED

    return f"{REACHED:.0%}"


def tell_rebuild(todo: int, total: int) -> None:
    """A first rebuild of a long history takes a while: say so on stderr."""
    if todo >= 20:
        import click

        click.echo(
            f"papertrack: reading {todo} of {total} commits of the paper's history (cached for next time)",
            err=True,
        )


@contextlib.contextmanager
def command_state(path: Path, **options: Any) -> Iterator[State]:
    """prepare() as `progress` and `report` run it: SIGTERM/SIGHUP must not leave TeX or git
    running, and a long first rebuild of the history is announced."""
    from papertrack.pages.sandbox import signals_end_builds

    with signals_end_builds(), prepare(path, on_rebuild=tell_rebuild, **options) as st:
        yield st


def run(path: Path, **options: Any) -> int:
    """`options` are prepare()'s: main_file, config_file, venue, compile_, git, as_of."""
    from rich.console import Console

    from papertrack.reporters import progress_text

    # today's point is the same figure `check` and `report` show (an unchanged paper costs
    # latexmk's "nothing to do"); points rebuilt from git commits are estimates
    with command_state(path, **options) as st:
        progress_text.render(
            # `papertrack progress` in the paper folder headed its table '.': name the folder
            st.folder.resolve().name or str(st.folder.resolve()),
            st.snaps,
            st.cfg.deadline,
            Console(highlight=False),
            today=st.today,
            comp=st.comp,
            as_of=st.as_of,
        )
    return 0
