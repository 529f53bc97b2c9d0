"""The coauthor report as Markdown: fits a pull-request comment or an e-mail."""

from __future__ import annotations

import datetime as dt
import re
from string import Template

from papertrack import __version__, history
from papertrack.completion import PARTS, Completion, Task
from papertrack.paths import templates_dir
from papertrack.reporters.progress_text import spark

MAX_TASKS = 25
MAX_TODOS = 3
# inline markup only: paper text never starts a line of the report
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """Paper text made inert in Markdown: one line, no markup, no HTML."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def code(text: object) -> str:
    """A file:line in a code span (backticks cannot be escaped inside one, so they go)."""
    return "`" + str(text).replace("`", "'").replace("\n", " ").replace("|", "\\|") + "`"


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


def facts(result, comp: Completion) -> list[str]:
    """One-line facts: pages against the limit, venue, words against the target."""
    doc = result.document
    out = []
    if doc.pages is not None:
        out.append(f"Pages: {doc.pages.summary}")
    if doc.venue:
        out.append(f"Venue: {doc.venue.summary}")
    out.append(f"Words: {comp.words:,} of about {comp.target_words:,} ({comp.budget_basis})")
    return out


def task_line(t: Task) -> tuple[str, str]:
    """(text, where) of a task, both plain (the caller escapes)."""
    text = t.text + (f": {t.detail}" if t.detail else "")
    return text, where(t.locations)


def render(result, comp: Completion, snaps: list[dict]) -> str:
    name = result.document.folder.name or str(result.document.folder)
    values = {
        "name": md(name),
        "honest": pct(comp.honest),
        "felt": pct(comp.felt),
        "hours_left": hours(comp.hours_left),
        "facts": "\n".join(f"- {md(f)}" for f in facts(result, comp)),
        "reasons": "\n".join(f"- {md(r)}" for r in comp.reasons())
        or "- nothing: no forgotten work found",
        "sections": _sections(comp),
        "floats": _floats(comp),
        "tasks": _tasks(comp),
        "progress": _progress(snaps),
        "version": __version__,
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    template = Template((templates_dir() / "report" / "report.md").read_text(encoding="utf-8"))
    return template.substitute(values).rstrip() + "\n"


def _sections(comp: Completion) -> str:
    if not comp.sections:
        return "No sections yet."
    lines = ["| Section | Status | Words / target | Open TODOs | Owner |", "|---|---|---|---|---|"]
    for r in comp.sections:
        todos = [
            f"{code(f'{t.location.file}:{t.location.line}')} {md(t.text[:60])}"
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
