"""The papertrack command line: a thin dispatcher; the work happens in the pipeline modules."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from papertrack import __version__
from papertrack.errors import PapertrackError

FORMATS = ("text", "concise", "json", "github", "sarif")

# Each command's short_help fits the 80-column `papertrack --help` list, which click would
# otherwise cut mid-sentence with "...".

# Options the paper commands share, declared once; each command passes its options on by
# name to its commands/ module, which declares them.
PATH = click.argument("path", type=click.Path(path_type=Path), default=".")
MAIN = click.option("--main", "main_file", help="The root .tex file (default: detected).")
CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Settings file (default: papertrack.toml or pyproject.toml in the paper folder).",
)
VENUE = click.option("--venue", help="Venue profile and mode, e.g. neurips or acl:short-review.")
SELECT = click.option(
    "--select", multiple=True, help="Only these rules (code prefix, name or family); repeatable."
)
IGNORE = click.option(
    "--ignore", multiple=True, help="Skip these rules (code prefix, name or family); repeatable."
)


def _output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse an -o the report cannot be written to before the analysis, not after it: a
    missing folder or a folder given as the file ended a minute's compile in a traceback."""
    if value is None:
        return None
    if value.is_dir():
        raise click.BadParameter(f"{value} is a folder; name the file to write", ctx, param)
    parent = value.parent
    if not parent.is_dir():
        raise click.BadParameter(f"no folder {parent} to write {value.name} in", ctx, param)
    if not os.access(parent, os.W_OK) or (value.exists() and not os.access(value, os.W_OK)):
        raise click.BadParameter(f"{value} is not writable", ctx, param)
    return value


OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    callback=_output,
    help="Write the report to a file instead of stdout.",
)
PAGES_WITHOUT_TEX = "pages are the last build's count plus the edits since, or an estimate"
NO_COMPILE = click.option(
    "--no-compile",
    is_flag=True,
    # "pages are then an estimate" was wrong once an exact build exists (accounting.py)
    help=f"Do not run LaTeX; {PAGES_WITHOUT_TEX}.",
)
NO_GIT = click.option(
    "--no-git", is_flag=True, help="Do not rebuild the history from the paper's git commits."
)
AS_OF = click.option(
    "--as-of",
    "as_of",
    metavar="REV|DATE",
    help="Replay at a past point: a git revision, or the last commit on or before a date (YYYY-MM-DD).",
)


def _trust(ctx: click.Context, _param, value: bool) -> bool:
    if value:
        from papertrack.pages.sandbox import trust_paper

        trust_paper()
    return value


TRUST = click.option(
    "--trust-paper",
    is_flag=True,
    expose_value=False,
    callback=_trust,
    help="Without a sandbox (bubblewrap), still run LuaLaTeX and Biber: only for papers you trust.",
)


class _Group(click.Group):
    """Turns PapertrackError into a clear message and exit code 2, Ctrl-C into exit code 130,
    never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PapertrackError as exc:
            # messages quote file names and settings of the paper: shown, never interpreted
            from papertrack.reporters.escape import visible

            click.echo(f"papertrack: error: {visible(exc.message)}", err=True)
            if exc.hint:
                click.echo(f"  hint: {visible(exc.hint)}", err=True)
            ctx.exit(2)
        except RecursionError:
            click.echo("papertrack: error: input nested too deeply to analyse", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            # click's own "Aborted!" exits 1, which CI and scripts read as "findings"; 130 is
            # the shell's code for Ctrl-C (SIGTERM and SIGHUP end a build the same way)
            click.echo("papertrack: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="papertrack")
def main() -> None:
    """How done is your LaTeX paper, really? Pages, references, citations, placeholders."""
    _tolerant_streams()


def _tolerant_streams() -> None:
    """Escape what the terminal cannot show instead of crashing mid-report.

    A section title in Chinese on a cp1252 console, a file name that is not UTF-8 (a lone
    surrogate in Python) or LANG=C with PYTHONIOENCODING=ascii raised UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        # not every stream can be reconfigured (tests, pipes replaced by tools)
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


@main.command()
@PATH
@MAIN
@CONFIG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; concise for editors (path:line:col); json, github, sarif for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Exit 1 when a finding is at least this severe (default: error).",
)
@SELECT
@IGNORE
@VENUE
@TRUST
@NO_COMPILE
@click.option(
    "--pdf",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Count pages from this PDF instead of compiling.",
)
@click.option("--no-cache", is_flag=True, help="Parse everything again.")
@OUTPUT
@click.option("-v", "--verbose", is_flag=True, help="List every info finding in text output.")
def check(path: Path, no_compile: bool, no_cache: bool, **options: Any) -> None:
    """Check the paper in PATH (a folder or its main .tex file)."""
    from papertrack.runcache import Run

    # same command, same inputs as last time: replay that output (see runcache.py)
    replay = Run(
        path,
        click.get_current_context().params,
        fmt=options["fmt"],
        output=options["output"],
        no_cache=no_cache,
        config_file=options["config_file"],
        pdf=options["pdf"],
    )
    code = replay.replay()
    if code is not None:
        sys.exit(code)
    from papertrack.commands.check import run

    replay.capture()
    try:
        code = run(path, compile_=not no_compile, use_cache=not no_cache, replay=replay, **options)
    finally:
        replay.restore()
    sys.exit(code)


@main.command("watch", short_help="A live dashboard of the paper, updated on every save.")
@PATH
@MAIN
@CONFIG
@SELECT
@IGNORE
@VENUE
@TRUST
@click.option(
    "--no-compile",
    is_flag=True,
    help=f"Do not run LaTeX in the background; {PAGES_WITHOUT_TEX}.",
)
@click.option("--no-cache", is_flag=True, help="Parse everything again at start.")
@click.option("--plain", is_flag=True, help="One summary line per update, even on a terminal.")
@click.option(
    "--debounce",
    "debounce_ms",
    type=click.FloatRange(1, 5000),
    help="Quiet time after a save before updating, in ms (default 50).",
)
def watch_cmd(path: Path, no_compile: bool, no_cache: bool, **options: Any) -> None:
    """Watch the paper in PATH and show a live dashboard, updated on every save."""
    from papertrack.commands.watch import run

    sys.exit(run(path, compile_=not no_compile, use_cache=not no_cache, **options))


@main.command("report", short_help="How done the paper is, for coauthors (md, html, json).")
@PATH
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="md for a pull request or e-mail; html, one self-contained page; json for tools.",
)
@OUTPUT
@MAIN
@CONFIG
@VENUE
@TRUST
@NO_COMPILE
@NO_GIT
@AS_OF
def report_cmd(path: Path, no_compile: bool, no_git: bool, **options: Any) -> None:
    """How done the paper really is, for coauthors: sections, figures, work left, progress."""
    from papertrack.commands.report import run

    sys.exit(run(path, compile_=not no_compile, git=not no_git, **options))


@main.command("progress", short_help="Progress over time: trend, pace, projected finish.")
@PATH
@MAIN
@CONFIG
@VENUE
@TRUST
@NO_GIT
@click.option(
    "--no-compile",
    is_flag=True,
    help=f"Do not run LaTeX for today's point; {PAGES_WITHOUT_TEX}.",
)
@AS_OF
def progress_cmd(path: Path, no_git: bool, no_compile: bool, **options: Any) -> None:
    """The paper's progress over time: trend, velocity, projected finish against the deadline."""
    from papertrack.commands.progress import run

    sys.exit(run(path, compile_=not no_compile, git=not no_git, **options))


@main.command("rules")
def rules_cmd() -> None:
    """List every rule with its code, name and default severity."""
    from papertrack.commands.rules import list_rules

    list_rules()


@main.command("venues", short_help="List the venue profiles, or show one.")
@click.argument("name", required=False)
@click.option(
    "--paper",
    # a mistyped folder listed the shipped profiles alone, as if the paper had none
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=".",
    help="Paper folder whose own profiles to include.",
)
def venues_cmd(name: str | None, paper: Path) -> None:
    """List the venue profiles, or show one (NAME) with its rules and source."""
    from papertrack.commands.venues import show

    sys.exit(show(name, paper))


@main.command("rule")
@click.argument("code")
def rule_cmd(code: str) -> None:
    """Show one rule's documentation (by code or name)."""
    from papertrack.commands.rules import show_rule

    sys.exit(show_rule(code))


@main.command("init", short_help="Write papertrack.toml (detected main file and venue).")
@PATH
@click.option(
    "--ci", type=click.Choice(["github"]), help="Also write a CI workflow that runs the check."
)
@click.option(
    "--force",
    is_flag=True,
    help="Rewrite an existing CI workflow. papertrack.toml is never overwritten: "
    "init adds only the settings it lacks.",
)
def init_cmd(path: Path, ci: str | None, force: bool) -> None:
    """Write papertrack.toml for the paper in PATH (detected main file and venue)."""
    from papertrack.commands.init import run

    sys.exit(run(path, ci=ci, force=force))


@main.command("doctor", short_help="Which TeX tools are installed; how to get the rest.")
def doctor_cmd() -> None:
    """Show which TeX tools are installed and how to install what is missing."""
    from papertrack.commands.doctor import run

    sys.exit(run())
