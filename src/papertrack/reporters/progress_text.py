"""`papertrack progress` in the terminal: a sparkline per metric over dates, velocity, projection."""

from __future__ import annotations

import datetime as dt
import textwrap

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from papertrack import history
from papertrack.reporters.report_md import felt_text, hours_text, model_lines, spark

# metric key, label, how to show a value
ROWS = (
    ("words", "words", lambda v: f"{v:,.0f}"),
    ("pages", "pages", lambda v: f"{v:.1f}"),
    ("todos", "open TODOs", lambda v: f"{v:.0f}"),
    ("honest", "is done (honest)", lambda v: f"{v:.0%}"),
    ("felt", "feels done", lambda v: f"{v:.0%}"),
    ("errors", "errors", lambda v: f"{v:.0f}"),
)


def _points(per_day: float) -> str:
    """Completion points per day, precise enough to tell a slow pace from none."""
    return f"{per_day * 100:+.1f}" if abs(per_day) >= 0.001 else f"{per_day * 100:+.2f}"


def _indented(console: Console, line: str, style: str = "") -> None:
    """A line under a heading line, wrapped with a hanging indent: wrapped by the console, its
    rest started at column 0 and read as a new item."""
    wrapped = textwrap.fill(
        line, width=max(40, console.width), initial_indent="  ", subsequent_indent="  "
    )
    console.print(Text(wrapped, style=style), soft_wrap=True)


def _n(count: int, noun: str) -> str:
    """'1 snapshot', '8 snapshots': the header read '1 snapshots ... (0 commits, 1 runs)'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _signed(v: float, fmt) -> str:
    return ("+" if v > 0 else "") + fmt(v) if v else "±0"


def render(
    folder: str,
    snaps: list[dict],
    deadline: str | None,
    console: Console,
    width: int | None = None,
    *,
    today: dt.date | None = None,
    comp=None,
    as_of=None,
) -> None:
    width = width or max(10, min(40, console.width - 55))
    if not snaps:
        console.print("No history yet: run `papertrack check` or commit the paper to git.")
        return
    if as_of is not None:
        console.print(
            f"[bold]as of commit {as_of.commit.sha[:10]}[/] ({history._time(snaps[-1]):%Y-%m-%d %H:%M} UTC)"
        )
    n_git = sum(1 for s in snaps if s.get("source") == "git")
    first_day = history._time(snaps[0]).date()
    last_day = history._time(snaps[-1]).date()
    n_runs = len(snaps) - n_git
    console.print(
        f"[bold]{escape(folder)}[/]: {_n(len(snaps), 'snapshot')} from {first_day} to {last_day} "
        f"({_n(n_git, 'commit')}, {_n(n_runs, 'run')})"
    )
    t = Table(box=None, padding=(0, 2), show_edge=False)
    t.add_column("metric", style="bold", no_wrap=True)
    # the dates are in the line above: in the header they pushed 'change' to 'chan…' at 80 columns
    t.add_column("trend", no_wrap=True)
    t.add_column("first", justify="right")
    t.add_column("now", justify="right")
    t.add_column("change", justify="right")
    for key, label, fmt in ROWS:
        series = history.daily(snaps, key, width)
        if not series:
            continue
        values = [v for _d, v in series]
        style = "green" if key in ("words", "honest", "felt") else "yellow"
        t.add_row(
            label,
            f"[{style}]{spark(values)}[/]",
            fmt(values[0]),
            fmt(values[-1]),
            _signed(values[-1] - values[0], fmt),
        )
    console.print(t)
    if len(snaps) == 1:
        console.print(
            "[dim]One snapshot so far: the trend appears as you work (each check records one).[/]"
        )
    console.print()
    for days in (7, 30):
        v = history.velocity(snaps, days, "words")
        if v is None:
            console.print(f"velocity, last {days} days: not enough history yet")
        else:
            span = f" (history covers {v.days:.0f} days)" if v.days < days else ""
            console.print(f"velocity, last {days} days: [bold]{v.per_day:+,.0f} words/day[/]{span}")
    p = history.project(snaps, deadline, today)
    if comp is not None:
        console.print(
            f"is done: [bold]{comp.honest:.0%}[/] · feels done: {escape(felt_text(comp))} · "
            f"{escape(hours_text(comp))}"
        )
        for line in model_lines(comp):
            _indented(console, line)
    if p is None:
        return
    if p.per_day is not None:
        console.print(f"pace: {_points(p.per_day)} points/day of is done over the history")
    if p.status == "done":
        console.print("projected finish: [bold]it reads done now[/]")
    elif p.finish is None:
        console.print(f"projected finish: not enough signal ({escape(p.basis)})")
    elif p.from_deadline:  # no interval: the pace gave no date, the deadline is the finish
        console.print(f"projected finish: [bold]{p.finish}[/], the deadline")
        _indented(console, p.basis, "dim")
    else:
        high = str(p.finish_high) if p.finish_high else "open-ended"
        console.print(
            f"projected finish: [bold]{p.finish}[/] (interval {p.finish_low} to {high}; "
            f"in {(p.finish - p.today).days} days)"
        )
        _indented(console, p.basis, "dim")
    if p.deadline is not None:
        left = (p.deadline - p.today).days
        colour = {"on track": "green", "stalled": "red", "misses": "red"}.get(p.status, "yellow")
        need = f"; needs {_points(p.needed_per_day)} points/day" if p.needed_per_day else ""
        word = (
            p.status
            if p.status in ("on track", "at risk", "misses", "stalled", "done")
            else "no projection"
        )
        console.print(f"deadline {p.deadline} ({left} days): [{colour}]{word}[/]{need}")
