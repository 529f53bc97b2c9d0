"""The coauthor report as one self-contained HTML page (inline CSS and SVG, no network).

Every piece of text that comes from the paper goes through `h()` (control characters spelt
out, then html.escape); the page's Content-Security-Policy allows no scripts at all, as a
second line of defence.
"""

from __future__ import annotations

import datetime as dt
from string import Template

from papertrack import __version__, history
from papertrack.completion import PARTS, Completion
from papertrack.paths import templates_dir
from papertrack.reporters.escape import html_text
from papertrack.reporters.report_md import (
    MAX_TASKS,
    MAX_TODOS,
    OWN_HINTS,
    clip,
    facts,
    felt_text,
    hours,
    hours_text,
    model_lines,
    outlook,
    pct,
    task_line,
)


def h(text: object) -> str:
    return html_text(text)


def h_line(line: str) -> str:
    """A line of the report: papertrack's own hints show their `code` spans as <code>, as the
    Markdown report does; any other line (it may quote the paper) is escaped whole."""
    parts = line.split("`")
    if line not in OWN_HINTS or len(parts) % 2 == 0:
        return h(line)
    return "".join(f"<code>{h(x)}</code>" if i % 2 else h(x) for i, x in enumerate(parts))


def render(result, comp: Completion, snaps: list[dict], proj=None, as_of=None) -> str:
    name = result.document.folder.name or str(result.document.folder)
    if as_of is not None:
        stamp = dt.datetime.fromtimestamp(as_of.commit.time, dt.timezone.utc)
        name += f" (as of commit {as_of.commit.sha[:10]}, {stamp:%Y-%m-%d %H:%M} UTC)"
    n = len(comp.tasks)
    values = {
        "name": h(name),
        "honest": pct(comp.honest),
        "felt": h(felt_text(comp)),
        "honest_width": f"{comp.honest * 100:.0f}",
        "felt_width": f"{(comp.felt or 0) * 100:.0f}",
        "hours_left": h(hours_text(comp)),
        "tasks_count": f"{n} task{'s' if n != 1 else ''}",
        "outlook": '<ul class="facts">'
        + "".join(f"<li>{h_line(f)}</li>" for f in outlook(proj))
        + "</ul>",
        "model": "<ul>" + "".join(f"<li>{h_line(f)}</li>" for f in model_lines(comp)) + "</ul>",
        "facts": '<ul class="facts">'
        + "".join(f"<li>{h(f)}</li>" for f in facts(result, comp))
        + "</ul>",
        "reasons": _reasons(comp),
        "sections": _sections(comp),
        "floats": _floats(comp),
        "figures": _figures(result),
        "tasks": _tasks(comp),
        "chart": chart(snaps),
        "version": h(__version__),
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    template = Template((templates_dir() / "report" / "report.html").read_text(encoding="utf-8"))
    return template.substitute(values)


def _figures(result) -> str:
    from papertrack.reporters.report_figures import html_section

    return html_section(result)


def _reasons(comp: Completion) -> str:
    items = comp.reasons()
    if not items:
        return "<p>Nothing: no forgotten work found.</p>"
    return "<ul>" + "".join(f"<li>{h(r)}</li>" for r in items) + "</ul>"


def _status(s: str) -> str:
    return f'<span class="status s-{h(s)}">{h(s)}</span>'


def _sections(comp: Completion) -> str:
    if not comp.sections:
        return "<p>No sections yet.</p>"
    rows = []
    for r in comp.sections:
        todos = [
            f"<li><code>{h(t.location.file)}:{t.location.line}</code> {h(clip(t.text, 80))}"
            + (f" <em>({h(t.owner)})</em>" if t.owner else "")
            + "</li>"
            for t in r.todos[:MAX_TODOS]
        ]
        if len(r.todos) > MAX_TODOS:
            todos.append(f"<li>and {len(r.todos) - MAX_TODOS} more</li>")
        owners = sorted({t.owner for t in r.todos if t.owner} | ({r.owner} if r.owner else set()))
        why = (
            f'<div class="muted">{h("; ".join(r.reasons[:3]))}</div>'
            if r.reasons and r.status != "polished"
            else ""
        )
        where = (
            f'<div class="muted"><code>{h(r.location.file)}:{r.location.line}</code></div>'
            if r.location and r.present
            else ""
        )
        rows.append(
            [
                ("Section", f"<strong>{h(r.title)}</strong>{where}"),
                ("Status", f"{_status(r.status)}{why}"),
                ("Words", f"{r.words:,} / {r.target:,}"),
                ("Open TODOs", "<ul class=todos>" + "".join(todos) + "</ul>" if todos else "—"),
                ("Owner", h(", ".join(owners)) or "—"),
            ]
        )
    head = ("Section", "Status", "Words / target", "Open TODOs", "Owner")
    return _table(head, rows, numeric=("Words",))


def _floats(comp: Completion) -> str:
    if not comp.floats:
        return "<p>No figures or tables.</p>"
    rows = []
    for f in comp.floats:
        what = f"{h(f.kind)} <code>{h(f.label)}</code>" if f.label else h(f.kind)
        if f.in_appendix:
            what += ' <span class="muted">(appendix)</span>'
        caption = f'<div class="muted">{h(f.caption[:100])}</div>' if f.caption else ""
        state = " ".join(
            f'<span class="status s-problem">{h(p)}</span>' for p in f.problems
        ) or _status("done")
        rows.append(
            [
                ("Float", f"{what}{caption}"),
                ("State", state),
                ("Where", f"<code>{h(f.location.file)}:{f.location.line}</code>"),
                ("Section", h(f.section or "—")),
            ]
        )
    return _table(("Float", "State", "Where", "Section"), rows)


def _table(
    head: tuple[str, ...], rows: list[list[tuple[str, str]]], numeric: tuple[str, ...] = ()
) -> str:
    """A table that stacks on narrow screens: each (label, html) cell carries its column name."""

    def cell(label: str, html: str) -> str:
        align = ' class="num"' if label in numeric else ""
        return f'<td data-label="{label}"{align}>{html}</td>'

    cells = ("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in rows)
    thead = "<tr>" + "".join(f"<th>{name}</th>" for name in head) + "</tr>"
    return f'<div class="scroll"><table class="stack"><thead>{thead}</thead><tbody>{"".join(cells)}</tbody></table></div>'


def _tasks(comp: Completion) -> str:
    if not comp.tasks:
        return "<p>Nothing found. Read it once more, out loud.</p>"
    items = []
    for t in comp.tasks[:MAX_TASKS]:
        text, place = task_line(t)
        at = f" <code>{h(place)}</code>" if place else ""
        owner = f" — {h(t.owner)}" if t.owner else ""
        items.append(
            f'<li><span class="hours">{hours(t.hours)} h</span> {h(text)}{at} <span class="muted">{h(PARTS[t.part])}{owner}</span></li>'
        )
    rest = comp.tasks[MAX_TASKS:]
    more = (
        f"<p class=muted>…and {len(rest)} smaller tasks, about {hours(sum(t.hours for t in rest))} h together.</p>"
        if rest
        else ""
    )
    return f'<ol class="tasks">{"".join(items)}</ol>{more}'


def chart(snaps: list[dict], width: int = 480, height: int = 200) -> str:
    """An inline SVG line chart of honest and felt completion (and words) over time."""
    points = [(history._time(s), s) for s in snaps if s.get("honest") is not None]
    if not points:
        return "<p>No history yet.</p>"
    left, right, top, bottom = 46, 12, 12, 30
    t0, t1 = points[0][0], points[-1][0]
    span = max((t1 - t0).total_seconds(), 1.0)
    plot_w, plot_h = width - left - right, height - top - bottom
    max_words = max(float(s.get("words") or 0) for _t, s in points) or 1.0

    def xy(t: dt.datetime, frac: float) -> str:
        x = left + (t - t0).total_seconds() / span * plot_w if len(points) > 1 else left + plot_w
        return f"{x:.1f},{top + (1 - max(0.0, min(1.0, frac))) * plot_h:.1f}"

    def line(key: str, scale: float = 1.0) -> str:
        return " ".join(xy(t, float(s.get(key) or 0) / scale) for t, s in points)

    grid = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{top + (1 - f) * plot_h:.1f}" y2="{top + (1 - f) * plot_h:.1f}" stroke="#d1d9e0" stroke-width="1"/>'
        f'<text x="{left - 6}" y="{top + (1 - f) * plot_h + 4:.1f}" text-anchor="end" font-size="13" fill="#59636e">{f:.0%}</text>'
        for f in (0, 0.5, 1)
    )
    dates = (
        f'<text x="{left}" y="{height - 8}" font-size="13" fill="#59636e">{t0.date()}</text>'
        f'<text x="{width - right}" y="{height - 8}" font-size="13" fill="#59636e" text-anchor="end">{t1.date()}</text>'
    )
    series = [
        ("words", max_words, "#bf8700", "3 3"),
        ("felt", 1.0, "#8c959f", ""),
        ("honest", 1.0, "#1a7f37", ""),
    ]
    lines = "".join(
        f'<polyline fill="none" stroke="{color}" stroke-width="{2.5 if key == "honest" else 1.8}" stroke-dasharray="{dash}" points="{line(key, scale)}"/>'
        for key, scale, color, dash in series
    )
    last = points[-1][1]
    dots = "".join(
        f'<circle cx="{xy(points[-1][0], float(last.get(k) or 0) / sc).split(",")[0]}" cy="{xy(points[-1][0], float(last.get(k) or 0) / sc).split(",")[1]}" r="3.5" fill="{c}"/>'
        for k, sc, c, _d in series
    )
    title = f"Completion over time: is done {float(last['honest']):.0%}, feels done {float(last.get('felt') or 0):.0%}, {int(last.get('words') or 0):,} words"
    svg = (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{h(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{h(title)}</title>{grid}{dates}{lines}{dots}</svg>"
    )
    legend = (
        '<div class="legend"><span style="background:#1a7f37"></span>is done'
        '<span style="background:#8c959f"></span>feels done'
        f'<span style="background:#bf8700"></span>words (top: {int(max_words):,})</div>'
    )
    note = (
        '<p class="muted">One snapshot so far: each run adds one, and a paper in git shows its whole history.</p>'
        if len(points) < 2
        else ""
    )
    return svg + legend + note
