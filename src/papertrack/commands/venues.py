"""`papertrack venues [NAME]`: the venue profiles papertrack knows, or one with its source."""

from __future__ import annotations

from pathlib import Path

from rich.box import HEAVY_HEAD
from rich.console import Console
from rich.table import Table
from rich.text import Text

from papertrack.errors import PapertrackError
from papertrack.reporters.escape import visible


def _cell(text: str) -> Text:
    """A profile's text as a cell: a paper's own profile could carry markup or escape codes."""
    return Text(visible(text))


def show(name: str | None, paper: Path) -> int:
    from papertrack import venues

    profiles = venues.load_profiles(paper if paper.is_dir() else paper.parent)
    console = Console()
    if name is None:
        # at 80 columns the boxed six-column table cut mode names ('long-camera-…'), which are
        # typed into --venue: narrow consoles get no box and no origin column, and a mode a line
        wide = console.width >= 120
        t = Table(
            title="venue profiles (user profiles go in <paper>/.papertrack/venues/*.toml)",
            box=HEAVY_HEAD if wide else None,
        )
        shown = sorted(profiles.values(), key=lambda p: p.name.lower())
        modes = [[f"{m} {v:g}" for m, v in p.pages.items()] or ["none built in"] for p in shown]
        longest = max((len(x) for m in modes for x in m), default=10)
        for col in ("name", "aliases", "year"):
            t.add_column(col, overflow="fold")
        t.add_column("pages (mode: limit)", no_wrap=True, min_width=longest)
        t.add_column("double-blind")
        if wide:
            t.add_column("origin")
        for p, limits in zip(shown, modes, strict=True):
            blind = {True: "yes", False: "no", None: "?"}[p.double_blind]
            # one mode a line, each spelt out on its own (visible() would show a newline as \n)
            pages = Text("\n").join(_cell(x) for x in limits)
            row = [_cell(p.name), _cell(", ".join(p.aliases)), str(p.year), pages, blind]
            t.add_row(*row, *([_cell(p.origin)] if wide else []))
        console.print(t)
        console.print("Show one with its source: papertrack venues NAME")
        return 0
    profile = venues.find_profile(name, profiles)
    if profile is None:
        known = ", ".join(sorted(p.name for p in profiles.values()))
        raise PapertrackError(f"no venue profile '{name}'", hint=f"known: {known}")
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    for field, value in profile.describe():
        t.add_row(_cell(field), _cell(str(value)))
    console.print(t)
    return 0
