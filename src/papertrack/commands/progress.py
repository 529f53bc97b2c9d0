"""`papertrack progress`: the paper's trend over time, its velocity and the projected finish."""

from __future__ import annotations

from pathlib import Path

from papertrack.config import Config, load_config
from papertrack.errors import PapertrackError


def prepare(path: Path, *, main_file, config_file, venue, compile_: bool):
    """Config, check result and completion of the paper at `path`, shared with `report`."""
    from papertrack.check import run_check
    from papertrack.completion import assess

    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    cfg: Config = load_config(folder, config_file)
    if venue:
        cfg.venue = venue
    if not compile_:
        cfg.compile = False
    result = run_check(path, main=main_file, cfg=cfg)
    return folder, cfg, result, assess(result)


def tell_rebuild(todo: int, total: int) -> None:
    """A first rebuild of a long history takes a while: say so on stderr."""
    if todo >= 20:
        import click

        click.echo(
            f"papertrack: reading {todo} of {total} commits of the paper's history (cached for next time)",
            err=True,
        )


def run(path: Path, *, main_file, config_file, venue, git: bool, compile_: bool = True) -> int:
    from papertrack.pages.sandbox import signals_end_builds

    with signals_end_builds():  # SIGTERM/SIGHUP must not leave TeX or git running
        return _run(path, main_file, config_file, venue, git, compile_)


def _run(path: Path, main_file, config_file, venue, git: bool, compile_: bool) -> int:
    from rich.console import Console

    from papertrack import history
    from papertrack.reporters import progress_text

    # today's point is the same figure `check` and `report` show (an unchanged paper costs
    # latexmk's "nothing to do"); points rebuilt from git commits are estimates
    folder, cfg, result, comp = prepare(
        path, main_file=main_file, config_file=config_file, venue=venue, compile_=compile_
    )
    history.record_safely(result, comp, folder)
    snaps = history.timeline(folder, cfg, result.document.main, git=git, on_rebuild=tell_rebuild)
    if not snaps:  # recording is off: still show where the paper stands now
        snaps = [history.snapshot(result, comp)]
    progress_text.render(str(folder), snaps, cfg.deadline, Console(highlight=False))
    return 0
