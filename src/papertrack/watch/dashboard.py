"""What watch shows: a rich Live dashboard on a terminal, one plain line per update elsewhere."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from papertrack.findings import Finding, Severity
from papertrack.reporters.escape import VisibleRenderable, visible
from papertrack.watch.session import Snapshot

MAX_FINDINGS = 8
MAX_SECTIONS = 12
ICON = {
    Severity.ERROR: ("✗", "bold red"),
    Severity.WARNING: ("!", "yellow"),
    Severity.INFO: ("i", "cyan"),
}


@dataclass
class SectionLine:
    """One row of the section table: words against a target when one is known."""

    title: str
    words: int
    target: int | None = None
    status: str | None = None


def section_lines(snap: Snapshot) -> list[SectionLine]:
    """Top-level main-matter sections: from the completion model when there is one, else words."""
    comp = snap.completion
    if comp is not None and getattr(comp, "sections", None):
        return [
            SectionLine(r.title, r.words, r.target or None, r.status)
            for r in comp.sections
            if getattr(r, "role", "") != "abstract" or r.present
        ]
    if snap.result is None:
        return []
    doc = snap.result.document
    main = [s for s in doc.sections if not s.in_appendix and not s.after_bibliography]
    if not main:
        return []
    level = min(s.level for s in main)
    targets = {k.lower(): v for k, v in snap.result.config.targets.items()}
    return [
        SectionLine(s.title, s.total_words, targets.get(s.title.lower()))
        for s in main
        if s.level == level
    ]


URGENT = ("missing", "stub")


def _sections_shown(secs: list[SectionLine], n: int) -> list[SectionLine]:
    """At most n sections in document order; missing and stub sections are never the ones cut."""
    if len(secs) <= n:
        return list(secs)
    keep = {i for i, s in enumerate(secs) if s.status in URGENT}
    for i in range(len(secs)):
        if len(keep) >= n:
            break
        keep.add(i)
    return [s for i, s in enumerate(secs) if i in keep]


def top_findings(snap: Snapshot, limit: int = MAX_FINDINGS) -> list[Finding]:
    """The findings that matter now: errors first, then warnings, then info; capped."""
    if snap.result is None:
        return []
    ranked = sorted(snap.result.findings, key=lambda f: (-int(f.severity), f.sort_key()))
    return ranked[:limit]


def where(f: Finding) -> str:
    return f"{f.location.file}:{f.location.line}" if f.location else ""


def counts_text(snap: Snapshot) -> str:
    if snap.result is None:
        return "no result yet"
    c = snap.result.counts()
    errors, warnings = c[Severity.ERROR], c[Severity.WARNING]
    return (
        f"{errors} error{'' if errors == 1 else 's'}, "
        f"{warnings} warning{'' if warnings == 1 else 's'}, {c[Severity.INFO]} info"
    )


def pages_text(snap: Snapshot) -> str:
    """The page figure in words: exact when compiled, an estimate with its error otherwise."""
    if snap.result is None or snap.result.document.pages is None:
        return "pages unknown"
    p = snap.result.document.pages
    if p.main_pages is None:
        return "pages unknown"
    limit = f"/{p.limit:g}" if p.limit is not None else ""
    since = getattr(p, "since", None)
    if p.method == "exact" and since is not None:
        # the last build's exact count plus the edits since: one kind of figure throughout
        n = round(since.lines)
        word = "line" if abs(n) == 1 else "lines"  # '+1 lines since' read as a slip
        change = f"{'+' if n >= 0 else '-'}{abs(n)} {word}" if n else "no change"
        return (
            f"{p.main_pages:.2f}{limit} pages (last build {since.build_pages:.2f}, {change} since)"
        )
    if p.method == "exact":
        return f"{p.main_pages:.2f}{limit} pages (exact)"
    if p.method == "pdf":
        return f"{p.main_pages:g}{limit} pages (from the PDF)"
    return f"~{p.main_pages:.1f}±{p.error or 0:.1f}{limit} pages (estimate)"


def compile_text(snap: Snapshot, now: float | None = None) -> str:
    st = snap.compile
    if not st.enabled:
        return "off"
    if not st.available:
        return "TeX not installed"
    if st.running:
        secs = (now or time.monotonic()) - (st.started or 0)
        return f"running {secs:.0f} s" if st.started else "running"
    if st.waiting:
        return "waiting"
    if st.crashed:
        return f"crashed ({st.crashed})"
    if st.last_ok is None:
        return "not yet"
    stale = "" if st.last_current else " (older text)"
    if st.error:
        at = f"{st.error_at}: " if st.error_at else ""
        return f"failed{stale}: {at}{st.error}"
    return f"ok in {st.last_seconds:.1f} s{stale}" if st.last_seconds is not None else f"ok{stale}"


def plain_line(snap: Snapshot) -> str | None:
    """One line per update for logs and pipes (no colour, no cursor codes); None for status-only."""
    if snap.kind == "status":
        return None
    clock = time.strftime("%H:%M:%S", time.localtime(snap.when))
    if snap.kind == "problem":
        now = time.strftime("%H:%M:%S")
        problem = snap.problems[-1] if snap.problems else "?"
        return visible(f"{now} problem: {problem} (still watching)")
    if snap.kind == "error":
        changed = f" {', '.join(snap.changed[:3])}:" if snap.changed else ""
        return visible(f"{clock} #{snap.seq}{changed} error: {snap.error} (still watching)")
    head = f"{clock} #{snap.seq}" if snap.kind == "text" else f"{clock} build"
    if snap.kind == "text" and snap.changed:
        more = f" +{len(snap.changed) - 3}" if len(snap.changed) > 3 else ""
        head += f" {', '.join(snap.changed[:3])}{more}:"
    parts = [pages_text(snap)]
    if snap.result is not None:
        parts.append(f"{snap.result.document.words} words")
    comp = snap.completion
    if comp is not None:
        if comp.felt is None:  # 'done no target length felt / 90% honest' read as nonsense
            parts.append(f"done {comp.honest:.0%} honest (felt: no target length)")
        else:
            parts.append(f"done {comp.felt:.0%} felt / {comp.honest:.0%} honest")
    parts.append(counts_text(snap))
    parts.append(f"compile: {compile_text(snap)}")
    if snap.kind == "text" and snap.took is not None:
        parts.append(f"{snap.took * 1000:.0f} ms")
    line = f"{head} " + " | ".join(parts)
    if snap.problems:
        line += f" | problem: {snap.problems[-1]}"
    return visible(line)  # file names and TeX messages are the paper's: no escape sequences


# --- the rich dashboard ------------------------------------------------------------------------


def _bar(done: float, total: float, width: int, style: str = "green") -> ProgressBar:
    return ProgressBar(
        total=max(total, 1e-9),
        completed=max(min(done, total), 0),
        width=width,
        complete_style=style,
        finished_style=style,
    )


def _pages_row(snap: Snapshot) -> tuple[RenderableType, RenderableType]:
    doc = snap.result.document if snap.result else None
    p = doc.pages if doc is not None else None
    if p is None or p.main_pages is None:
        return Text("unknown", style="dim"), Text("")
    st = snap.compile
    if p.limit:
        over = p.main_pages - p.limit
        if p.method == "exact":
            style = "red" if over > 0 else ("yellow" if over > -0.25 else "green")
        else:
            style = (
                "red"
                if over > (p.error or 0)
                else ("yellow" if over > -(p.error or 0) else "green")
            )
        bar: RenderableType = _bar(p.main_pages, p.limit, 30, style)
    else:
        bar = Text("no page limit known", style="dim")
    label = Text(pages_text(snap), no_wrap=True, overflow="ellipsis")
    if p.method == "exact":
        label.stylize("bold")
    elif st.exact is not None and not st.exact_current:
        label.append(f"  last build: {st.exact.main_pages:.2f} (older text)", style="dim")
    if p.limit is not None:
        over = p.main_pages - p.limit
        if p.method == "exact":
            label.append(f"  {over:+.2f}", style="red" if over > 0 else "green")
    return bar, label


def _compile_row(snap: Snapshot) -> RenderableType:
    st = snap.compile
    text = compile_text(snap)
    if st.running:
        return Spinner("dots", Text(f"compiling… {text.removeprefix('running ')}", style="cyan"))
    if st.enabled and st.available and (st.error or st.crashed):
        return Text("✗ " + text, style="red", overflow="ellipsis", no_wrap=True)
    if st.last_ok and st.last_current:
        return Text("✓ " + text, style="green")
    return Text(text, style="dim" if not st.waiting else "cyan")


def render(snap: Snapshot, height: int | None = None) -> RenderableType:
    """The dashboard for one snapshot; it fits `height` rows by capping sections and findings."""
    rows: list[RenderableType] = []
    res = snap.result
    head = Text("papertrack watch", style="bold")
    if res is not None:
        doc = res.document
        head.append(f"  {doc.folder.name}/{doc.main}")
        if doc.venue is not None:
            head.append(f"  ·  {doc.venue.name} ({doc.venue.mode})", style="dim")
    rows.append(head)
    status = Text(
        f"update #{snap.seq} at {time.strftime('%H:%M:%S', time.localtime(snap.when))}", style="dim"
    )
    if snap.took is not None:
        status.append(f" in {snap.took * 1000:.0f} ms", style="dim")
    if snap.changed:
        status.append(f"  ·  saved {', '.join(snap.changed[:3])}", style="dim")
    rows.append(status)
    if snap.error:
        rows.append(Text(f"✗ {snap.error}", style="bold red"))
        rows.append(Text("  the last good result stays below; still watching", style="dim"))

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()  # shrinks first (its texts are cut with an ellipsis)
    bar, label = _pages_row(snap)
    grid.add_row("pages", bar, label)
    comp = snap.completion
    if comp is not None:
        if comp.felt is None:  # no target length: a percentage would be true by construction
            grid.add_row("felt", Text("-"), Text("not measured: set page-limit or --venue"))
        else:
            grid.add_row(
                "felt",
                _bar(comp.felt, 1, 30, "blue"),
                Text(f"{comp.felt:.0%} of the words written"),
            )
        grid.add_row(
            "honest",
            _bar(comp.honest, 1, 30, "magenta"),
            # watch does not replay git on every save: its figure is the drafting part, which
            # read 90% here where `report` said 80% with the revision measured
            Text(
                f"{comp.honest:.0%} with the work writers forget"
                + ("" if comp.revision is not None else " (report adds revision from git)")
            ),
        )
    else:
        grid.add_row(
            "done", Text("—", style="dim"), Text("completion figures not available", style="dim")
        )
    grid.add_row("compile", Text(""), _compile_row(snap))
    rows.append(grid)

    # rows left for sections and findings: 24 rows hold both, with their "more" lines
    fixed = len(rows) + 4 + min(2, len(snap.problems)) + 1  # grid rows below + footer
    budget = max(8, (height or 40) - fixed)
    secs = section_lines(snap)
    total_findings = len(snap.result.findings) if snap.result is not None else 0
    n_sec = min(len(secs), max(3, min(MAX_SECTIONS, (budget - 2) // 2)))
    if secs:
        shown = _sections_shown(secs, n_sec)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=34, min_width=12)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True, style="dim")
        biggest = max((s.words for s in secs), default=1) or 1
        for s in shown:
            if s.target:
                bar = _bar(s.words, s.target, 20, "green" if s.words >= s.target else "blue")
                nums = f"{s.words}/{s.target} words"
            else:
                bar = _bar(s.words, biggest, 20, "dim blue")
                nums = f"{s.words} words"
            table.add_row(Text(s.title), bar, nums, s.status or "")
        if len(secs) > len(shown):
            table.add_row(Text(f"… {len(secs) - len(shown)} more", style="dim"), "", "", "")
        rows.append(Text("sections", style="bold"))
        rows.append(table)
    used = (len(_sections_shown(secs, n_sec)) + (len(secs) > n_sec) + 1) if secs else 0
    n_find = max(3, min(MAX_FINDINGS, budget - used - 2))
    top = top_findings(snap, n_find)
    rows.append(Text.assemble(("findings ", "bold"), (counts_text(snap), "")))
    if top:
        ft = Table.grid(padding=(0, 1))
        ft.add_column(no_wrap=True)
        ft.add_column(no_wrap=True, style="bold")
        ft.add_column(no_wrap=True, style="dim", max_width=32, overflow="ellipsis")
        # the only column rich may shrink: long messages are cut, never the code or location
        ft.add_column()
        for f in top:
            icon, style = ICON[f.severity]
            msg = Text(f.message, no_wrap=True, overflow="ellipsis")
            ft.add_row(Text(icon, style=style), f.code, Text(where(f)), msg)
        rows.append(ft)
        if total_findings > len(top):
            more = total_findings - len(top)
            them = (
                "finding (papertrack check lists it)"
                if more == 1
                else "findings (papertrack check lists them all)"
            )
            rows.append(
                Text(
                    f"  … {more} more {them}",
                    style="dim",
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
    for p in snap.problems[-2:]:
        rows.append(
            Text(f"! {p} (watching goes on)", style="yellow", overflow="ellipsis", no_wrap=True)
        )
    rows.append(Text("watching for saves · Ctrl-C to stop", style="dim"))
    return Group(*rows)


class Dashboard:
    """A rich renderable that always shows the newest snapshot (for rich.live.Live)."""

    def __init__(self, snap: Snapshot, console: Console | None = None) -> None:
        self.snap = snap
        self.console = console

    def __rich__(self) -> RenderableType:
        height = self.console.size.height if self.console is not None else None
        # paper text (titles, messages, file names) is shown, never interpreted by the terminal
        return VisibleRenderable(render(self.snap, height))
