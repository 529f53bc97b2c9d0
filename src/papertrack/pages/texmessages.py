"""TeX's messages that name a file this TeX installation lacks, rather than a fault of the paper."""

from __future__ import annotations

import re

_NOT_FOUND = re.compile(r"File [`'](?P<f>[^`']+)' not found|I can't find file [`'](?P<g>[^`']+)'")
_BABEL_UNKNOWN = re.compile(r"Package babel Error: Unknown option [`'](?P<lang>[^`']+)'")


def missing_file(msg: str) -> str | None:
    """'missing file x.sty' for LaTeX's "File `x.sty' not found" (and TeX's own wording)."""
    m = _NOT_FOUND.search(msg)
    return f"missing file {m.group('f') or m.group('g')}" if m else None


def missing_language(msg: str, after: list[str]) -> str | None:
    """babel's "Unknown option 'french'" when french.ldf is not installed: what is missing.
    TeX carries on with the languages it has, so this is not an error of the paper."""
    m = _BABEL_UNKNOWN.search(msg)
    if m is None or not any(".ldf was not found" in a for a in after):
        return None
    lang = m.group("lang")
    return (
        f"missing file {lang}.ldf: this TeX has no babel language '{lang}' (its package is not "
        "installed, or the name is misspelled)"
    )
