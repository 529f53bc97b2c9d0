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


def md_own(text: str) -> str:
    """papertrack's own sentence (no paper text in it): its `code` spans stay code spans, the
    rest is escaped as md() does. A hint such as (add `deadline = YYYY-MM-DD` to papertrack.toml)
    printed as (add \\`deadline = YYYY-MM-DD\\` to papertrack.toml) in the Markdown source."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape it all
        return md(text)
    return "".join(code(x) if i % 2 else _spaced(x) for i, x in enumerate(parts))


def _spaced(x: str) -> str:
    """md() of a piece between code spans, keeping the spaces that separate it from them."""
    lead = " " if x[:1].isspace() else ""
    trail = " " if x[-1:].isspace() and x.strip() else ""
    return lead + md(x) + trail
