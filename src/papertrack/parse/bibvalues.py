"""bibtexparser's value semantics, ported: a raw .bib field value to the text rules read."""

from __future__ import annotations

import re


def clean_value(v: object) -> str:
    # str.split() and re's \s agree on what whitespace is (both use Py_UNICODE_ISSPACE)
    return " ".join(str(v).split()) if v is not None else ""


# -- bibtexparser's value semantics (middlewares/enclosing.py and interpolate.py), ported ---------
_BRACES = re.compile(r"(?<!\\)[{}]")
_BRACES_AND_QUOTE = re.compile(r"(?<!\\)[{}\"]")


def _enclosed_in_braces(value: str) -> bool:
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner:
        return not inner.endswith("\\")
    depth = 0
    last = len(value) - 1
    for m in _BRACES.finditer(value):
        if m.group() == "{":
            depth += 1
            continue
        depth -= 1
        if depth < 0 or (depth == 0 and m.start() != last):
            return False
    return depth == 0


def _enclosed_in_quotes(value: str) -> bool:
    last = len(value) - 1
    if value.find('"', 1, last) < 0:
        return True
    depth = 0
    for m in _BRACES_AND_QUOTE.finditer(value):
        i = m.start()
        if i == 0 or i == last:
            continue
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return False
    return True


def final_value(raw: str, strings: dict[str, str]) -> str:
    """The value bibtexparser's default stack gives: resolve a bare @string name, then unwrap."""
    if strings and raw and not (raw[0] == raw[-1] == '"' or (raw[0] == "{" and raw[-1] == "}")):
        raw = strings.get(raw.lower(), raw)
    value = raw.strip()
    if len(value) >= 2:
        a, b = value[0], value[-1]
        if a == "{" and b == "}" and _enclosed_in_braces(value):
            return value[1:-1]
        if a == '"' and b == '"' and _enclosed_in_quotes(value):
            return value[1:-1]
    return value
