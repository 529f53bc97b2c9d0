"""Balanced {...} groups in raw TeX text: the one scanner the loader and readers share."""

from __future__ import annotations


def skip_blanks(text: str, pos: int) -> int:
    """Index of the first character at or after pos that is not a space, a line end or a
    comment (masking leaves a `%` on a line that held only a comment): TeX reads past them all
    between a macro and its argument."""
    n = len(text)
    while pos < n and text[pos] in " \t\n%":
        if text[pos] == "%":
            eol = text.find("\n", pos)
            pos = n if eol < 0 else eol
        pos += 1
    return min(pos, n)


def group_end(
    text: str,
    pos: int,
    *,
    skip_space: bool = False,
    open_: str = "{",
    close: str = "}",
    par_ends: bool = False,
) -> int | None:
    """Index after the group whose `{` is at pos (escaped braces skipped), or None when the
    text ends first or no group starts there; `skip_space` allows spaces before the `{`.
    `open_` and `close` read an option group (`[`, `]`) the same way. With `par_ends`, a
    paragraph break ends the search too (None), as it ends every argument that is not \\long."""
    n = len(text)
    if skip_space:
        pos = skip_blanks(text, pos)
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
        elif c == "\n" and par_ends and text.startswith("\n", i + 1):
            return None
        i += 1
    return None


def group_text(text: str, pos: int) -> tuple[str, int] | None:
    """The `{...}` group at pos (spaces before it skipped): (inner text, index after it)."""
    pos = skip_blanks(text, pos)
    end = group_end(text, pos)
    return None if end is None else (text[pos + 1 : end - 1], end)


def bracket_end(text: str, pos: int) -> int | None:
    """Index after the `[...]` option at pos (spaces before it skipped), or None."""
    return group_end(text, pos, skip_space=True, open_="[", close="]")
