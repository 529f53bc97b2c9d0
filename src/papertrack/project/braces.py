"""Balanced {...} groups in raw TeX text: the one scanner the loader and readers share."""

from __future__ import annotations


def group_end(
    text: str, pos: int, *, skip_space: bool = False, open_: str = "{", close: str = "}"
) -> int | None:
    """Index after the group whose `{` is at pos (escaped braces skipped), or None when the
    text ends first or no group starts there; `skip_space` allows spaces before the `{`.
    `open_` and `close` read an option group (`[`, `]`) the same way."""
    n = len(text)
    if skip_space:
        while pos < n and text[pos] in " \t\n":
            pos += 1
    if pos >= n or text[pos] != open_:
        return None
    depth = 0
    i = pos
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None
