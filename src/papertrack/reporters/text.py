"""Human output with rich: findings grouped by file, then a one-screen summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from papertrack.engine import Analysis
from papertrack.findings import Severity
from papertrack.reporters.escape import visible
from papertrack.reporters.paths import shown

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


INFO_PER_RULE = 5


def render(r: Analysis, console: Console, *, show_fix: bool = True, verbose: bool = False) -> None:
    # paper-derived text goes in as Text, never as markup: "[bold]" or ":smile:" in a title
    # stays literal, and `visible` spells out control characters (see reporters/escape.py)
    doc = r.document
    proj = doc.project
    console.print(
        Text.assemble(
            (visible(str(doc.folder)), "bold"),
            "  main file: ",
            (visible(doc.main), "bold"),
            f" ({visible(proj.main_reason)})",
        ),
        soft_wrap=True,  # one line in a pipe, as the findings: rich broke it mid-reason at 80
    )
    for f, why in proj.alternatives[:5]:
        alt = visible(f)
        line = f"  also a possible root: {alt} ({visible(why)}); choose it with --main {alt}"
        console.print(Text(line, style="dim"), soft_wrap=True)
    current = None
    last_fix: str | None = None  # the same advice under consecutive findings is said once
    shown_info: dict[tuple[str, str], int] = {}
    hidden_info: dict[str, int] = {}
    for f in r.findings:
        if f.severity == Severity.INFO and not verbose:
            # info findings (uncited entries, unused images) can run to hundreds: show a few
            # per rule and file, so a bib file's one-line summary is never the hidden one
            key = (f.code, f.location.file if f.location else "")
            shown_info[key] = shown_info.get(key, 0) + 1
            if shown_info[key] > INFO_PER_RULE:
                hidden_info[f.code] = hidden_info.get(f.code, 0) + 1
                continue
        file = visible(shown(doc.folder, f.location.file if f.location else doc.main))
        if file != current:
            console.print()
            console.print(Text(file, style="bold underline"))
            current = file
            last_fix = None  # a file's first finding shows its fix, even if the last file's did
        where = f"{file}:{f.location.line}:{f.location.col}" if f.location else file
        line = Text.assemble(
            f"{where}: ",
            (str(f.severity), STYLE[f.severity]),
            " ",
            (f.code, "bold"),
            f" {visible(f.message)} ",
            (f"({f.name})", "dim"),
        )
        console.print(line, soft_wrap=True)
        if show_fix and f.fix and f.fix != last_fix:
            console.print(Text(f"    fix: {visible(f.fix)}", style="dim"), soft_wrap=True)
        last_fix = f.fix
    console.print()
    for code, n in sorted(hidden_info.items()):
        finding = "finding" if n == 1 else "findings"
        them = "it" if n == 1 else "them all"
        console.print(
            f"[dim]... and {n} more {code} info {finding} (--verbose or --format concise lists {them})[/]",
            soft_wrap=True,  # one line in a pipe or a log, as the findings above are
        )
    if hidden_info:
        console.print()
    _summary(r, console)


def _build_line(r: Analysis) -> str | None:
    """The engine the build used and why, and how far its record decided the findings."""
    res = r.document.compile
    engine = getattr(res, "engine", None)
    if not isinstance(engine, str):
        return None
    line = f"{engine} ({getattr(res, 'engine_reason', '')})"
    conv = getattr(res, "convergence", None)
    if conv is not None and conv.extra_passes:
        line += f"; {conv.reason}"
    rec = r.build_record or {}
    if rec.get("authoritative") and rec.get("dropped_static_findings"):
        n = rec["dropped_static_findings"]
        line += f"; {_n(n, 'source finding')} overruled by the build"
    elif rec.get("available") and not rec.get("authoritative"):
        line += f"; source findings stand: {rec.get('why_not')}"
    return line


def _short(title: str, width: int = 32) -> str:
    return title if len(title) <= width else title[: width - 1].rsplit(" ", 1)[0] + "…"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _summary(r: Analysis, console: Console) -> None:
    doc = r.document
    counts = r.counts()
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    t.add_row(
        "findings",
        f"[bold red]{_n(counts[Severity.ERROR], 'error')}[/], "
        f"[yellow]{_n(counts[Severity.WARNING], 'warning')}[/], "
        f"[cyan]{counts[Severity.INFO]} info[/]"
        + (f", {r.suppressed} suppressed" if r.suppressed else ""),
    )
    if doc.pages is not None:
        t.add_row("pages", Text(visible(doc.pages.summary)))
    if doc.venue:
        t.add_row("venue", Text(visible(doc.venue.summary)))
    elif doc.pages is not None and doc.pages.limit is None:
        # without a venue or page-limit the pages were never held against a limit, silently
        t.add_row(
            "venue",
            "none detected: no page limit to check (set `venue` or `page-limit` in "
            "papertrack.toml; `papertrack venues` lists the venues)",
        )
    build = _build_line(r)
    if build:
        t.add_row("build", Text(visible(build)))
    top = [s for s in doc.sections if not s.in_appendix and not s.after_bibliography]
    level = min((s.level for s in top if s.level >= 1), default=2)
    secs = [s for s in top if s.level == level]
    t.add_row(
        "words",
        f"{doc.words:,} in the main text ({doc.abstract_words or 0} abstract), {doc.caption_words:,} in captions",
    )
    t.add_row(
        "sections",
        Text(", ".join(f"{visible(_short(s.title))} {s.total_words}" for s in secs[:12]) or "none"),
    )
    floats = {
        k: sum(1 for f in doc.floats if f.kind == k) for k in ("figure", "table", "algorithm")
    }
    t.add_row("floats", ", ".join(_n(v, k) for k, v in floats.items() if v) or "none")
    cited = {c.key.lower() for c in doc.cites}
    line = f"{_n(len(cited), 'key')} cited {_n(len(doc.cites), 'time')}; "
    if doc.bib_entries or doc.project.bib_files or not doc.bibitems:
        line += (
            f"{_n(len(doc.bib_entries), 'bib entry')} in {_n(len(doc.project.bib_files), 'file')}"
        )
    else:  # a thebibliography written in the source: '0 bib entries in 0 files' read as none
        line += f"{_n(len(doc.bibitems), 'bibitem')} in the source (thebibliography)"
    t.add_row("citations", line.replace("entrys", "entries"))
    todo = sum(1 for p in doc.placeholders if p.kind != "empty-caption")
    t.add_row("open TODOs", str(todo))
    console.print(t)
