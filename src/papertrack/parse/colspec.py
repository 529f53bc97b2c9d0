"""Column specifications of the array package: `>{$}c<{$}` is no math that opens or closes."""

from __future__ import annotations

import re

from papertrack.project.braces import group_end

# `>{...}` and `<{...}`: tokens TeX inserts before and after each cell of a column
_CELL_TOKENS = re.compile(r"[<>][ \t]*(?=\{)")


def blank_column_math(text: str) -> str:
    """The text with the `$` of `>{...}` and `<{...}` column tokens blanked (length kept).

    In `\\begin{tabular}{>{$}c<{$}}` the `$` opens each cell's math and the `$` after it closes
    it; read as text, the first opens math that its group never closes, and a parser then reads
    the rest of the file as math. Escaped `\\$` is kept."""
    if "$" not in text or ("<" not in text and ">" not in text):
        return text
    chars: list[str] | None = None
    for m in _CELL_TOKENS.finditer(text):
        start = m.end()
        end = group_end(text, start, par_ends=True)
        if end is None:
            continue
        i = start
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "$":
                if chars is None:
                    chars = list(text)
                chars[i] = " "
            i += 1
    return text if chars is None else "".join(chars)
