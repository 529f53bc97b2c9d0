"""The fast .bib scanner's expressions: where blocks start, and what a plain entry looks like."""

from __future__ import annotations

import re


# -- the fast scanner ------------------------------------------------------------------------------
def _value_pattern(escapes: bool, strict_quotes: bool = False) -> str:
    """A field value: braced, quoted or bare pieces joined by `#`.

    With `escapes`, a delimiter after a backslash is text, as in bibtexparser's splitter (it
    checks the one character before); without, the value must hold no backslash at all (the
    caller checks), and the plainer expression is faster. Inside quotes bibtexparser tracks no
    braces: the first unescaped `"` ends the value (`{"}` is left to bibtexparser: the caller
    checks). `strict_quotes` (for @string) forbids braces inside quotes: there the block end is
    found by brace counting alone.
    """
    if escapes:
        o, c = r"\{(?<!\\\{)", r"\}(?<!\\\})"
        q = r'"[^"\\]*(?:\\+(?:"|[^"\\])[^"\\]*)*"'
    else:
        o, c = r"\{", r"\}"
        q = r'"[^"]*"'
    if strict_quotes:
        q = r'"[^"{}\\]*"'
    br = o + r"[^{}]*" + c
    for _ in range(4):  # nesting depth 5; deeper values go to bibtexparser
        br = o + r"[^{}]*(?:" + br + r"[^{}]*)*" + c
    piece = rf"(?:{br}|{q}|[\w\-.:+/']+)"
    return rf"{piece}(?:\s*\#\s*{piece})*"


_NAME = r"[A-Za-z_][\w\-:.+]*"
_KEY = r"""[^\s,{}()"=#%@\\]+"""
# Where bibtexparser starts a block: an `@name{` or `@name(` anywhere outside a block; and at the
# start of a line (after any whitespace) it ends whatever block is open. Each such line is a
# candidate; `type`/`key` are set when it opens a plain `{`-entry.
_HEAD = (
    rf"(?:[ \t]*@(?P<type>[A-Za-z]\w*)[ \t]*\{{[ \t\r\n]*(?P<key>{_KEY})[ \t\r\n]*(?=[,}}])"
    r"|[^\S\n]*@\w*[ \t]*[{(])"
)


class Patterns:
    """The scanner's expressions, compiled on first use: compiling them costs ~15 ms, and a
    warm check (bibliographies from the cache) never needs them."""

    def __init__(self) -> None:
        # One field with the comma before it. Splitting a body on it leaves [gap, name, value,
        # gap, ...]: the body is well formed when every gap is empty.
        self.fields_plain = re.compile(rf",\s*({_NAME})\s*=\s*({_value_pattern(False)})\s*")
        self.fields_esc = re.compile(rf",\s*({_NAME})\s*=\s*({_value_pattern(True)})\s*")
        # the lookahead lets the search skip the ~10 lines of each entry that start no block
        self.candidate = re.compile(r"\n(?=[^\S\n]*@)" + _HEAD)
        self.first = re.compile(_HEAD)
        self.string = re.compile(
            r"[ \t]*@[Ss][Tt][Rr][Ii][Nn][Gg][ \t]*\{\s*"
            rf"({_NAME})\s*=\s*({_value_pattern(True, True)})\s*\}}"
        )


_PATTERNS: Patterns | None = None


def patterns() -> Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = Patterns()
    return _PATTERNS


BLOCK_START = re.compile(r"@\w*[ \t]*[{(]")
SPECIAL_TYPES = ("comment", "preamble", "string")  # bibtexparser matches these as prefixes


def bib_lines(text: str, a: int, b: int) -> int:
    """Line breaks bibtexparser counts in text[a:b] (it ignores a newline after a backslash)."""
    n = text.count("\n", a, b)
    return n - text.count("\\\n", a, b) if n else 0


def scanner_accepts(raw: str) -> bool:
    """Whether the fast scanner reads this block itself (then it is well formed for BibTeX
    too, and neither reader checks it again: that keeps the two readers equal)."""
    pats = patterns()
    m = pats.first.match(raw)
    if not m or m.group("type") is None:
        return False
    head_end = m.end()
    if raw[head_end] == "}":
        return True
    close = raw.rfind("}", head_end)
    if close < head_end:
        return False
    body = raw[head_end:close].rstrip()
    if body == ",":
        return True
    if body[-1] == ",":
        body = body[:-1]
    if '{"}' in body:
        return False
    parts = (pats.fields_esc if "\\" in body else pats.fields_plain).split(body)
    return not any(parts[::3])
