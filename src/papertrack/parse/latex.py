"""Parsing one LaTeX file with pylatexenc into the facts the model needs (the entry point)."""

from __future__ import annotations

from papertrack.facts import Label
from papertrack.parse.contextdb import context_db
from papertrack.parse.fastwalk import FastLatexWalker
from papertrack.parse.macrotable import MacroTable
from papertrack.parse.vocabulary import LEGEND_NAME
from papertrack.parse.walker import Walker
from papertrack.parse.walkstate import Ctx, FileFacts

__all__ = ["FileFacts", "context_db", "parse_file"]


def parse_file(
    rel: str,
    text: str,
    line_col,
    table: MacroTable,
    split_points: list[int],
    db=None,
    nodes_out: list | None = None,
) -> FileFacts:
    """Parse visible (masked) text of one file into FileFacts (`nodes_out` gets the top nodes)."""
    if db is None:
        db = context_db(table)
    walker = Walker(rel, text, line_col, table, split_points)
    try:
        w = FastLatexWalker(text, latex_context=db, tolerant_parsing=True)
        nodes, _, _ = w.get_latex_nodes()
        if nodes_out is not None:
            nodes_out.extend(nodes)
        walker.walk(nodes, Ctx())
    except RecursionError:
        walker.facts.parse_error = (
            "nesting too deep to analyse (over a few hundred levels of braces)"
        )
    except Exception as exc:  # pylatexenc raises a zoo of errors on hostile input
        walker.facts.parse_error = f"could not be parsed: {type(exc).__name__}"
    if "legend" in text:
        for m in LEGEND_NAME.finditer(text):
            key = m.group(1).strip("{} ")
            if key and "#" not in key:
                line, col = line_col(m.start())
                walker.facts.labels.append(Label(key, rel, line, col, "legend"))
    walker.flush(len(text))
    walker.facts.events.sort(key=lambda e: e.pos)
    return walker.facts
