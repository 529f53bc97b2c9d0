"""Paper text made inert in Markdown: escaped prose and code spans."""

from __future__ import annotations

import re

from papertrack.reporters.escape import visible

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """Paper text made inert in Markdown: one line, no markup, no HTML."""
    s = visible(" ".join(str(text).split()))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def code(text: object) -> str:
    """A file:line in a code span (backticks cannot be escaped inside one, so they go)."""
    return "`" + visible(str(text)).replace("`", "'").replace("\n", " ").replace("|", "\\|") + "`"
