"""Evaluating \\newif switches (\\ifCameraReady, \\ifdraft) so false branches are skipped like LaTeX does."""

from __future__ import annotations

import re

_TOK = re.compile(
    r"\\newif\s*\\if(?P<decl>[a-zA-Z@]+)"
    r"|\\if(?P<test>[a-zA-Z@]*)(?![a-zA-Z@])"
    r"|\\(?P<set>[a-zA-Z@]+?)(?P<val>true|false)(?![a-zA-Z@])"
    r"|\\(?P<kw>else|fi)(?![a-zA-Z@])"
)
_BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")


def evaluate(texts: list[str]) -> dict[str, bool]:
    """Final values of \\newif switches set in the preamble (texts in document order).

    A switch whose value depends on something papertrack cannot evaluate is left out, so its
    branches are all read (the safe choice for precision).
    """
    values: dict[str, bool | None] = {}
    for text in texts:
        end = _BEGIN_DOC.search(text)
        stack: list[bool | None] = []
        for m in _TOK.finditer(text, 0, end.start() if end else len(text)):
            if m.group("decl"):
                values[m.group("decl")] = False
            elif m.group("test") is not None:
                name = m.group("test")
                stack.append(values.get(name) if name in values else None)
            elif m.group("set"):
                name = m.group("set")
                if name not in values:
                    continue
                if all(s is True for s in stack):
                    values[name] = m.group("val") == "true"
                elif None in stack:
                    values[name] = None
            elif m.group("kw") == "else":
                if stack and stack[-1] is not None:
                    stack[-1] = not stack[-1]
            elif m.group("kw") == "fi" and stack:
                stack.pop()
        if end:
            break  # assignments in the body are not followed: keep what the preamble says
    return {k: v for k, v in values.items() if v is not None}


def body_reassigned(texts: list[str], names: set[str]) -> set[str]:
    """Switches that the body sets again: their branches must all be read."""
    out = set()
    pat = re.compile(r"\\([a-zA-Z@]+?)(?:true|false)(?![a-zA-Z@])")
    for i, text in enumerate(texts):
        end = _BEGIN_DOC.search(text) if i == 0 else None
        for m in pat.finditer(text, end.end() if end else 0):
            if m.group(1) in names:
                out.add(m.group(1))
    return out


def mask_false_branches(masked: str, values: dict[str, bool], conditionals: set[str]) -> str:
    """Blank the branches of known switches that LaTeX skips; other text keeps its offsets."""
    if not values or "\\if" not in masked:
        return masked
    # stack entries: (value of the switch, or None when unknown; start of the current branch)
    stack: list[tuple[bool | None, int]] = []
    blank: list[tuple[int, int]] = []
    for m in _TOK.finditer(masked):
        if m.group("test") is not None:
            name = m.group("test")
            if name in values:
                stack.append((values[name], m.end()))
            elif name in conditionals:
                stack.append((None, m.end()))
            # \\iff, \\ifthenelse and other macros that merely start with "if" open nothing
        elif m.group("kw") == "else" and stack:
            val, start = stack[-1]
            if val is True:
                stack[-1] = (False, m.start())
            elif val is False:
                blank.append((start, m.start()))
                stack[-1] = (True, m.end())
        elif m.group("kw") == "fi" and stack:
            val, start = stack.pop()
            if val is False:
                blank.append((start, m.start()))
    if not blank:
        return masked
    chars = list(masked)
    for a, b in blank:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
