"""Heading titles as the probe wrote them: TeX markup dropped, then compared whole."""

from __future__ import annotations

import re
from collections.abc import Iterable

from papertrack.parse.knownmacros import NAME_MACROS

_NAMED = NAME_MACROS


# Commands in heading arguments that print nothing in the heading itself (marks, labels, notes).
_DROPPED = {
    "label": 1,
    "footnote": 1,
    "thanks": 1,
    "index": 1,
    "footnotemark": 0,
    "@mkboth": 2,
    "markboth": 2,
    "markright": 1,
    "addcontentsline": 3,
    "phantomsection": 0,
}


def _drop_command(text: str, name: str, args: int = 1) -> str:
    """Remove \\name{...}... with its (balanced) arguments."""
    out, i = [], 0
    pattern = re.compile(r"\\" + re.escape(name) + r"\*?\s*(?:\[[^\]]*\])?\s*(?=\{)")
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i : m.start()])
        j = m.end()
        for _ in range(args):
            while j < len(text) and text[j].isspace():
                j += 1
            if j >= len(text) or text[j] != "{":
                break
            depth, j = 1, j + 1
            while j < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
        i = j


def clean_title(raw: str) -> str:
    """A heading's source text as plain words: 'Acknowledgments\\label{x}' -> 'Acknowledgments'."""
    t = raw
    t = t.replace("\\protect", "")
    for name, args in _DROPPED.items():
        t = _drop_command(t, name, args)
    t = re.sub(
        r"\\texorpdfstring\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}", r"\2", t
    )
    t = re.sub(r"\\([A-Za-z@]+)\s*", lambda m: _NAMED.get(m.group(1), " "), t)
    t = re.sub(r"\\(.)", r"\1", t)
    t = t.replace("~", " ").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", t).strip()


def normalize_heading(title: str) -> str:
    """Case- and spelling-insensitive form for whole-title comparison."""
    from papertrack.venues.modes import same_spelling

    return same_spelling(re.sub(r"\s+", " ", title).strip().lower().rstrip(".:"))


def matches_heading(title: str, wanted: Iterable[str]) -> str | None:
    """The wanted heading this whole title equals (case-insensitively), if any."""
    norm = normalize_heading(title)
    return next((w for w in wanted if normalize_heading(w) == norm), None)
