"""`papertrack progress` in the terminal: a sparkline per metric over dates, velocity, projection."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from papertrack import history

BARS = "▁▂▃▄▅▆▇█"
# metric key, label, how to show a value
ROWS = (
    ("words", "words", lambda v: f"{v:,.0f}"),
    ("pages", "pages", lambda v: f"{v:.1f}"),
    ("todos", "open TODOs", lambda v: f"{v:.0f}"),
    ("honest", "is done (honest)", lambda v: f"{v:.0%}"),
    ("felt", "feels done", lambda v: f"{v:.0%}"),
    ("errors", "errors", lambda v: f"{v:.0f}"),
)


def spark(values: list[float]) -> str:
    """A text sparkline, one bar per value, scaled between the smallest and largest value."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, int((v - lo) / (hi - lo) * len(BARS)))] for v in values)


def _points(per_day: float) -> str:
    """Completion points per day, precise enough to tell a slow pace from none."""
    return f"{per_day * 100:+.1f}" if abs(per_day) >= 0.001 else f"{per_day * 100:+.2f}"


def _signed(v: float, fmt) -> str:
    return ("+" if v > 0 else "") + fmt(v) if v else "±0"


def render(
    folder: str, snaps: list[dict], deadline: str | None, console: Console, width: int | None = None
) -> None:
    width = width or max(10, min(40, console.width - 55))
    if not snaps:
        console.print("No history yet: run `papertrack check` or commit the paper to git.")
        return
    n_git = sum(1 for s in snaps if s.get("source") == "git")
    first_day = history._time(snaps[0]).date()
    last_day = history._time(snaps[-1]).date()
    console.print(
        f"[bold]{escape(folder)}[/]: {len(snaps)} snapshots from {first_day} to {last_day} "
        f"({n_git} commits, {len(snaps) - n_git} runs)"
    )
    t = Table(box=None, padding=(0, 2), show_edge=False)
    t.add_column("metric", style="bold", no_wrap=True)
    t.add_column(f"trend {first_day} … {last_day}", no_wrap=True)
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
    p = history.project(snaps, deadline)
    if p is None:
        return
    if p.per_day is not None:
        console.print(
            f"honest completion: {p.honest:.0%}, {_points(p.per_day)} points/day over the last 30 days"
        )
    if p.finish is not None:
        days = (p.finish - dt.datetime.now(dt.timezone.utc).date()).days
        when = "done" if p.honest >= 1 else f"{p.finish} (in {days} days)"
        console.print(f"projected finish: [bold]{when}[/]")
    else:
        console.print(
            "projected finish: no progress on the honest figure lately, so no date to project"
        )
    if p.deadline is not None:
        if p.beats:
            console.print(
                f"deadline {p.deadline}: [green]on track[/] ({(p.deadline - p.finish).days} days to spare)"
            )
        elif p.finish is not None:
            need = f"; needs {_points(p.needed_per_day)} points/day" if p.needed_per_day else ""
            console.print(
                f"deadline {p.deadline}: [red]misses it by {(p.finish - p.deadline).days} days[/]{need}"
            )
        else:
            need = (
                f": needs {_points(p.needed_per_day)} points/day"
                if p.needed_per_day
                else ": it has passed"
            )
            console.print(f"deadline {p.deadline}[red]{need}[/]")
