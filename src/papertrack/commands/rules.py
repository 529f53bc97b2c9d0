"""`papertrack rules` and `papertrack rule CODE`."""

from __future__ import annotations

from rich.box import HEAVY_HEAD
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from papertrack.errors import PapertrackError
from papertrack.rules.registry import all_rules


def list_rules() -> None:
    console = Console()
    # at 80 columns the boxed table left 12 characters for what a rule finds (326 lines, a
    # word a line): narrow consoles get no box and no family column (`rule CODE` names it)
    wide = console.width >= 120
    t = Table(title="papertrack rules", show_lines=False, box=None if not wide else HEAVY_HEAD)
    cols = ("code", "name", "severity", "family") if wide else ("code", "name", "severity")
    for col in cols:
        t.add_column(col, no_wrap=True)  # names are typed into --ignore: never cut them
    t.add_column("what it finds")
    for r in all_rules().values():
        family = (r.family,) if wide else ()
        t.add_row(r.code, r.name, str(r.severity), *family, escape(r.summary))
    console.print(t)


def show_rule(key: str) -> int:
    rules = all_rules()
    r = rules.get(key.upper()) or next((x for x in rules.values() if x.name == key.lower()), None)
    if r is None:
        raise PapertrackError(f"no rule '{key}'", hint="`papertrack rules` lists them")
    c = Console()
    c.print(f"[bold]{r.code} {r.name}[/] ({r.severity}, {r.family})")
    c.print(escape(r.summary))
    c.print()
    c.print(escape(r.doc), soft_wrap=True)
    return 0
