"""What the timeline says: daily values, velocity, and the projected finish with its interval."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from papertrack.history.revision import START
from papertrack.history.snapshots import _time


def daily(snaps: list[dict[str, Any]], metric: str, width: int = 30) -> list[tuple[dt.date, float]]:
    """The last value of `metric` per day from the first to the last day, at most `width`
    points (evenly spaced days; a day without a snapshot carries the previous value)."""
    points = [(_time(s).date(), s.get(metric)) for s in snaps if s.get(metric) is not None]
    if not points:
        return []
    by_day: dict[dt.date, float] = {}
    for day, value in points:
        by_day[day] = float(value)
    first, last = min(by_day), max(by_day)
    span = (last - first).days
    days = (
        [first + dt.timedelta(days=round(i * span / (width - 1))) for i in range(width)]
        if span + 1 > width
        else [first + dt.timedelta(days=i) for i in range(span + 1)]
    )
    out: list[tuple[dt.date, float]] = []
    known = sorted(by_day)
    j, current = 0, by_day[first]
    for day in days:
        while j < len(known) and known[j] <= day:
            current = by_day[known[j]]
            j += 1
        if not out or out[-1][0] != day:
            out.append((day, current))
    return out


@dataclasses.dataclass
class Velocity:
    per_day: float
    days: float  # the window actually measured (shorter when the history is)


def velocity(snaps: list[dict[str, Any]], days: int, metric: str = "words") -> Velocity | None:
    """Change of `metric` per day over the last `days` days (None with under a day of history)."""
    snaps = [s for s in snaps if s.get(metric) is not None]
    if len(snaps) < 2:
        return None
    last = snaps[-1]
    cutoff = _time(last) - dt.timedelta(days=days)
    before = [s for s in snaps if _time(s) <= cutoff]
    base = before[-1] if before else snaps[0]
    span = days if before else (_time(last) - _time(base)).total_seconds() / 86400
    if span < 1:
        return None
    return Velocity((float(last[metric]) - float(base[metric])) / span, span)


@dataclasses.dataclass
class Projection:
    """When the honest figure reaches done, with an interval, against the deadline."""

    honest: float
    per_day: float | None  # honest completion gained per day over the whole history
    finish: dt.date | None
    deadline: dt.date | None
    beats: bool | None  # finishes by the deadline, the whole interval included
    needed_per_day: float | None  # to finish by the deadline
    finish_low: dt.date | None = None
    finish_high: dt.date | None = None  # None with a finish: open-ended (a pace near zero lately)
    status: str = "not enough signal"  # done | on track | at risk | misses | stalled | projected | not enough signal
    basis: str = ""
    today: dt.date | None = None
    from_deadline: bool = False  # no date from the pace: the finish is the deadline itself


# the figure counts as done from here (a finished paper reads at least this)
DONE_AT = 0.95


# a recent pace below this (points per day) is flat
FLAT = 0.002


# no date further than this many times the history's span, or than this many days
MAX_SPAN_FACTOR, MAX_DAYS = 3.0, 730


def _pace(points: list[tuple[float, float]], days: float) -> float | None:
    """Change per day over the last `days` days of (day, value) points, None if too short."""
    t_end, v_end = points[-1]
    before = [p for p in points if p[0] <= t_end - days]
    if not before:
        return None
    t0, v0 = before[-1]
    return (v_end - v0) / (t_end - t0) if t_end > t0 else None


def project(
    snaps: list[dict[str, Any]], deadline: str | None, today: dt.date | None = None
) -> Projection | None:
    """When the honest figure reaches done (see `_project`); with a deadline still ahead and no
    date from the pace, the deadline is when the paper will be submitted."""
    p = _project(snaps, deadline, today)
    if p is not None and p.deadline and p.today and p.deadline >= p.today and p.finish is None:
        p.finish = p.finish_low = p.deadline
        p.from_deadline = True
        p.basis += f"; with the deadline on {p.deadline}, expect to submit then"
    return p


def _project(
    snaps: list[dict[str, Any]], deadline: str | None, today: dt.date | None = None
) -> Projection | None:
    """When the honest figure reaches done. The point is the pace over the whole writing so far
    (the figure is calibrated against calendar time); the interval comes from the paces of the
    last 14 and 30 days. With a deadline, writers use the time they have: a pace that finishes
    earlier projects the deadline. Absurd dates and too short histories say so instead."""
    if not snaps:
        return None
    today = today or dt.datetime.now(dt.timezone.utc).date()
    honest = float(snaps[-1]["honest"])
    due = dt.date.fromisoformat(deadline) if deadline else None
    left_days = (due - today).days if due else None
    needed = (1.0 - honest) / left_days if left_days and left_days > 0 else None
    base = Projection(honest, None, None, due, None, needed, today=today)
    if honest >= DONE_AT:
        base.finish = base.finish_low = base.finish_high = today
        base.status, base.beats = "done", (today <= due if due else None)
        base.basis = f"is done reads {honest:.0%} (done from {DONE_AT:.0%})"
        return base
    snaps = _writing_run(snaps)
    start = _time(snaps[0])
    points = [
        ((_time(s) - start).total_seconds() / 86400, float(s["honest"]))
        for s in snaps
        if s.get("honest") is not None
    ]
    span = points[-1][0] - points[0][0]
    if len(points) < 3 or span < 3:
        n = len(points)
        base.basis = (
            f"{n} point{'' if n == 1 else 's'} over {span:.0f} days: too short a history to project"
        )
        return base
    whole = (points[-1][1] - points[0][1]) / span
    recent = {d: _pace(points, d) for d in (14, 30)}
    base.per_day = whole
    flat = recent[14] is not None and recent[14] < FLAT
    if whole <= 0:
        base.basis = "is done has not grown over the history: no pace to project"
        base.status = "stalled" if flat else base.status
        return base
    paces = [whole] + [p for p in recent.values() if p is not None and p > 0]
    days = [(1.0 - honest) / p for p in paces]
    point = days[0]
    limit = min(MAX_DAYS, MAX_SPAN_FACTOR * span)
    if point > limit:
        base.basis = (
            f"at {whole * 100:.2f} points a day the finish would be {point:.0f} days away: "
            "not enough signal for a date"
        )
        base.status = "stalled" if flat else base.status
        if due is not None and due >= today:
            base.status, base.beats = ("stalled" if flat else "misses"), False
            base.basis += f"; the deadline on {due} comes first"
        return base
    lo, hi = min(days), max(days)
    open_ended = any(p is not None and p <= 0 for p in recent.values())
    base.finish = today + dt.timedelta(days=round(point))
    base.finish_low = today + dt.timedelta(days=round(lo))
    base.finish_high = None if open_ended or hi > limit else today + dt.timedelta(days=round(hi))
    base.basis = (
        f"pace over {span:.0f} days of history {whole * 100:+.1f} points a day; interval from the "
        "paces of the last 14 and 30 days"
        + ("; open-ended: no progress lately" if base.finish_high is None else "")
    )
    base.status = "projected"
    if flat:
        base.status = "stalled"
        base.basis += f"; flat over the last 14 days at {honest:.0%}"
    if due is not None:
        return _toward(base, due, honest, whole, flat)
    return base


def _toward(base: Projection, due: dt.date, honest: float, pace: float, flat: bool) -> Projection:
    """Projection toward a deadline: papers with a deadline are submitted on it (every deadline
    history measured was), so the deadline is the finish; the pace says how done the paper will
    read then, and whether the whole interval is before it."""
    pace_finish = base.finish
    sure = base.finish_high is not None and base.finish_high <= due and not flat
    base.beats = sure
    if base.status != "stalled":
        if sure:
            base.status = "on track"
        elif base.finish_low is not None and base.finish_low > due:
            base.status = "misses"
        else:
            base.status = "at risk"
    days = (due - (base.today or due)).days
    then = min(1.0, honest + max(0.0, pace) * max(0, days))
    base.basis += (
        f"; this pace alone says {pace_finish}; with the deadline on {due}, expect to submit "
        f"then, reading about {then:.0%}"
    )
    low = min(d for d in (base.finish_low, due) if d is not None)
    base.finish, base.finish_low = due, low
    base.finish_high = max(base.finish_high, due) if base.finish_high else None
    return base


def _writing_run(snaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The snapshots since the writing of this paper started: after the last time the paper
    had under a tenth of its words now (a folder that held older notes, a template month)."""
    words = snaps[-1].get("words") or 0
    if not words:
        return snaps
    low = [i for i, s in enumerate(snaps) if s.get("words") and s["words"] < START * words]
    return snaps[low[-1] :] if low else snaps
