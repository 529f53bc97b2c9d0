"""`papertrack venues [NAME]`: the venue profiles papertrack knows, or one with its source."""

from __future__ import annotations

from pathlib import Path

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
        t = Table(title="venue profiles (user profiles go in <paper>/.papertrack/venues/*.toml)")
        for col in ("name", "aliases", "year", "pages (mode: limit)", "double-blind", "origin"):
            t.add_column(col)
        for p in sorted(profiles.values(), key=lambda p: p.name.lower()):
            limits = ", ".join(f"{m} {v:g}" for m, v in p.pages.items()) or "none built in"
            blind = {True: "yes", False: "no", None: "?"}[p.double_blind]
            t.add_row(
                _cell(p.name),
                _cell(", ".join(p.aliases)),
                str(p.year),
                _cell(limits),
                blind,
                _cell(p.origin),
            )
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
