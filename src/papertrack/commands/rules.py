"""`papertrack rules` and `papertrack rule CODE`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from papertrack.errors import PapertrackError
from papertrack.rules.registry import all_rules


def list_rules() -> None:
    t = Table(title="papertrack rules", show_lines=False)
    for col in ("code", "name", "severity", "family"):
        t.add_column(col, no_wrap=True)  # names are typed into --ignore: never cut them
    t.add_column("what it finds")
    for r in all_rules().values():
        t.add_row(r.code, r.name, str(r.severity), r.family, escape(r.summary))
    Console().print(t)


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
