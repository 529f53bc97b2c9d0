"""PT9xx: papertrack's own housekeeping."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.base import Hit, rule


@rule(
    "PT901", "unused-suppression", "warning", "A `% papertrack: ignore` comment suppresses nothing"
)
def unused_suppression(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports `% papertrack: ignore ...`, `ignore-file` and `off` comments that
    suppressed no finding in this run, and codes or names in them that match no rule (a typo
    such as `PT10l`). A trailing comment covers its own line, a comment alone on its line the
    next line; codes, prefixes, names and families (`references`) work as in `select`, and a
    reason may follow after ` -- `. (The check engine applies suppressions after all other
    rules have run, so it reports these itself; this entry documents the rule.)

    Why it matters: a stale suppression hides the next real problem on that line, and a
    misspelt one never worked.

    Example: `% papertrack: ignore PT101` above a reference that has since been fixed.

    Fix: delete the comment.
    """
    return iter(())
