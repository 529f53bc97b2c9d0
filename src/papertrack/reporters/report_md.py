"""The coauthor report as Markdown: fits a pull-request comment or an e-mail."""

from __future__ import annotations

import datetime as dt
from string import Template

from papertrack import __version__, history
from papertrack.completion import PARTS, Completion, Task
from papertrack.paths import templates_dir
from papertrack.reporters.mdtext import code, md, md_own

MAX_TASKS = 25
MAX_TODOS = 3
# inline markup only: paper text never starts a line of the report


BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[float]) -> str:
    """A text sparkline, one bar per value, scaled between the smallest and largest value."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, int((v - lo) / (hi - lo) * len(BARS)))] for v in values)


def pct(x: float) -> str:
    return f"{x:.0%}"


def where(locations: list, n: int = 1) -> str:
    """The first location(s) as file:line, and how many more places."""
    if not locations:
        return ""
    shown = ", ".join(f"{loc.file}:{loc.line}" for loc in locations[:n])
    more = len(locations) - n
    return shown + (f" and {more} more" if more > 0 else "")


def hours(h: float) -> str:
    return f"{h:.1f}" if h < 10 else f"{h:.0f}"


# a placeholder, not a date: with an example date a coauthor read the hint as the deadline
NO_DEADLINE = "Deadline: none set (add `deadline = YYYY-MM-DD` to papertrack.toml)"
NO_TARGET = (
    "not shown: no target length is known, so a percentage would be true by construction. "
    "Set one with `page-limit = 12` in papertrack.toml, or name the venue with `--venue` "
    "(`papertrack venues` lists them)"
)

# papertrack's own sentences whose `code` spans are code, in Markdown and in HTML alike
OWN_HINTS = (NO_DEADLINE, "Feels done: " + NO_TARGET)


def clip(text: str, n: int) -> str:
    """The first n characters, with an ellipsis when cut: a TODO cut bare ('Justify k=2 with
    the calibration experiment from the') read as the whole note."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def felt_text(comp: Completion) -> str:
    return pct(comp.felt) if comp.felt is not None else "not measured (no target length)"


def hours_text(comp: Completion) -> str:
    """Hours left as a range, or why there is none."""
    if comp.hours_range is None:
        return "no task with a known effort left"
    lo, hi = comp.hours_range
    return f"{hours(lo)}–{hours(hi)} h of known tasks left"


def date_text(d) -> str:
    return d.isoformat() if d else "?"


def outlook(proj) -> list[str]:
    """Deadline, projected finish with its interval, and what the pace says."""
    if proj is None:
        return []
    out = []
    if proj.deadline is not None:
        out.append(
            # with a deadline, today is the deadline's clock: UTC-12, often yesterday in UTC
            f"Deadline: {proj.deadline} ({(proj.deadline - proj.today).days} days from "
            f"{proj.today}, today anywhere on Earth)"
        )
    else:
        out.append(NO_DEADLINE)
    if proj.status == "done":
        out.append("Projected finish: it reads done now")
    elif proj.finish is None:
        out.append(f"Projected finish: not enough signal ({proj.basis})")
    elif proj.from_deadline:  # no interval: the pace gave no date, the deadline is the finish
        out.append(f"Projected finish: {proj.finish}, the deadline ({proj.basis})")
    else:
        high = date_text(proj.finish_high) if proj.finish_high else "open-ended"
        out.append(
            f"Projected finish: {proj.finish} (interval {date_text(proj.finish_low)} to {high}); "
            f"{proj.basis}"
        )
    if proj.deadline is not None and proj.status in ("on track", "at risk", "misses", "stalled"):
        out.append(f"Against the deadline: {proj.status}")
    return out


def model_lines(comp: Completion) -> list[str]:
    """How the is-done figure is made: drafting, revision, what blocks it, feels done's basis."""
    out = [f"Drafting: {pct(comp.drafting)} (writing done against writing and tasks left)"]
    if comp.revision is not None:
        out.append(f"Revision: {pct(comp.revision)}: {comp.revision_basis}")
    else:
        out.append(f"Revision: {comp.revision_basis}; is done is the drafting part alone")
    if comp.blockers:
        out.append("Cannot read done while: " + "; ".join(comp.blockers))
    if comp.felt is None:
        out.append("Feels done: " + NO_TARGET)
    out.append(f"Hours: {comp.hours_basis}")
    return out


def facts(result, comp: Completion) -> list[str]:
    """One-line facts: pages against the limit, venue, words against the target."""
    doc = result.document
    out = []
    if doc.pages is not None:
        out.append(f"Pages: {doc.pages.summary}")
    if doc.venue:
        out.append(f"Venue: {doc.venue.summary}")
    if comp.target_known:
        out.append(f"Words: {comp.words:,} of about {comp.target_words:,} ({comp.budget_basis})")
    else:
        out.append(f"Words: {comp.words:,} ({comp.budget_basis})")
    return out


def task_line(t: Task) -> tuple[str, str]:
    """(text, where) of a task, both plain (the caller escapes)."""
    text = t.text + (f": {t.detail}" if t.detail else "")
    return text, where(t.locations)


def render(result, comp: Completion, snaps: list[dict], proj=None, as_of=None) -> str:
    name = result.document.folder.name or str(result.document.folder)
    when = ""
    if as_of is not None:
        stamp = dt.datetime.fromtimestamp(as_of.commit.time, dt.timezone.utc)
        when = f" (as of commit {as_of.commit.sha[:10]}, {stamp:%Y-%m-%d %H:%M} UTC)"
    values = {
        "name": md(name) + when,
        "honest": pct(comp.honest),
        "felt": felt_text(comp),
        "hours_left": hours_text(comp),
        "outlook": "\n".join(f"- {_md(f)}" for f in outlook(proj))
        or "- no history to project from",
        "model": "\n".join(f"- {_md(f)}" for f in model_lines(comp)),
        "facts": "\n".join(f"- {md(f)}" for f in facts(result, comp)),
        "reasons": "\n".join(f"- {md(r)}" for r in comp.reasons())
        or "- nothing: no forgotten work found",
        "sections": _sections(comp),
        "floats": _floats(comp),
        "figures": _figures(result),
        "tasks": _tasks(comp),
        "progress": _progress(snaps),
        "version": __version__,
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    template = Template((templates_dir() / "report" / "report.md").read_text(encoding="utf-8"))
    return template.substitute(values).rstrip() + "\n"


def _md(line: str) -> str:
    """A line of the report: papertrack's own hints keep their code spans; the rest is inert."""
    return md_own(line) if line in OWN_HINTS else md(line)


def _sections(comp: Completion) -> str:
    if not comp.sections:
        return "No sections yet."
    lines = ["| Section | Status | Words / target | Open TODOs | Owner |", "|---|---|---|---|---|"]
    for r in comp.sections:
        todos = [
            f"{code(f'{t.location.file}:{t.location.line}')} {md(clip(t.text, 60))}"
            + (f" ({md(t.owner)})" if t.owner else "")
            for t in r.todos[:MAX_TODOS]
        ]
        if len(r.todos) > MAX_TODOS:
            todos.append(f"and {len(r.todos) - MAX_TODOS} more")
        owners = sorted({t.owner for t in r.todos if t.owner} | ({r.owner} if r.owner else set()))
        status = f"**{r.status}**" + (
            f" — {md('; '.join(r.reasons[:2]))}" if r.reasons and r.status != "polished" else ""
        )
        lines.append(
            f"| {md(r.title)} | {status} | {r.words:,} / {r.target:,} | {'<br>'.join(todos) or '—'} | {md(', '.join(owners)) or '—'} |"
        )
    return "\n".join(lines)


def _floats(comp: Completion) -> str:
    if not comp.floats:
        return "No figures or tables."
    lines = ["| Float | State | Where | Section |", "|---|---|---|---|"]
    for f in comp.floats:
        what = f"{f.kind} {md(f.label)}" if f.label else f.kind
        if f.in_appendix:
            what += " (appendix)"
        state = ", ".join(f.problems) if f.problems else "done"
        lines.append(
            f"| {what} | {state} | {code(f'{f.location.file}:{f.location.line}')} | {md(f.section or '—')} |"
        )
    return "\n".join(lines)


def _figures(result) -> str:
    from papertrack.reporters.report_figures import md_section

    return md_section(result)


def _tasks(comp: Completion) -> str:
    if not comp.tasks:
        return "Nothing found. Read it once more, out loud."
    lines = []
    for i, t in enumerate(comp.tasks[:MAX_TASKS], 1):
        text, place = task_line(t)
        owner = f" — {md(t.owner)}" if t.owner else ""
        at = f" {code(place)}" if place else ""
        lines.append(f"{i}. **{hours(t.hours)} h** {md(text)}{at} _{PARTS[t.part]}_{owner}")
    rest = comp.tasks[MAX_TASKS:]
    if rest:
        lines.append(
            f"\n…and {len(rest)} smaller tasks, about {hours(sum(t.hours for t in rest))} h together."
        )
    return "\n".join(lines)


def _progress(snaps: list[dict]) -> str:
    if len(snaps) < 2:
        return "One snapshot so far: each `papertrack check`, `report` or `progress` run adds one, and a paper in git shows its whole history."
    first = history._time(snaps[0]).date()
    last = history._time(snaps[-1]).date()
    rows = [
        f"From {first} to {last} ({len(snaps)} snapshots):",
        "",
        "| Metric | Trend | First | Now |",
        "|---|---|---|---|",
    ]
    for key, label, fmt in (
        ("honest", "is done", pct),
        ("felt", "feels done", pct),
        ("words", "words", lambda v: f"{v:,.0f}"),
        ("todos", "open TODOs", lambda v: f"{v:.0f}"),
    ):
        series = [v for _d, v in history.daily(snaps, key, 30)]
        if series:
            rows.append(f"| {label} | `{spark(series)}` | {fmt(series[0])} | {fmt(series[-1])} |")
    v = history.velocity(snaps, 7, "words")
    if v is not None:
        rows += [
            "",
            f"Velocity: {v.per_day:+,.0f} words/day over the last {min(7, round(v.days))} days.",
        ]
    return "\n".join(rows)
