"""Brackets of prose as a reader pairs them: ( [ never closed and ) ] that close nothing."""

from __future__ import annotations

import re

_PAIRS = {")": "(", "]": "["}
# "1)", "(ii)", "a)" as list labels: a closing parenthesis with no opening one
# a half-open interval written in the text: "probabilities in [0, 1)", "(0, 1]", "[a, b)"
_BOUND = r"[-+]?(?:\d+(?:[.,]\d+)?|[A-Za-z]{1,2}|\\infty|∞)"
_HALF_OPEN = re.compile(
    rf"\[[ \t]*{_BOUND}[ \t]*[,;][ \t]*{_BOUND}[ \t]*\)|\([ \t]*{_BOUND}[ \t]*[,;][ \t]*{_BOUND}[ \t]*\]"
)
_ENUM_LABEL = re.compile(r"(?:^|[\s(,;:{])(?:[0-9]{1,2}|[ivxIVX]{1,4}|[a-zA-Z])\)$")


# A word that is code, a file name or an address in the source: an underscore in it
# (`train\_model\_(v2)`) or a scheme (`https://...(public).ipynb`)
# (words first, then the test: `\S*_\S*` backtracks quadratically over a long word without one)
_WORD = re.compile(r"\S+")


def _code_brackets(source: str) -> set[int]:
    r"""Offsets of the brackets that belong to names in the source: next to an underscore in a
    word that is code, a file name or an address (`eval\_set\_(v2)`, `Foo_(bar)`). A name
    cut short in the text (`\_(left\_in\_np.ipynb`) leaves one of them alone: that is not an
    aside left open. A word's other brackets are the prose's (`(see \ref{sec_a}).`)."""
    out: set[int] = set()
    for m in _WORD.finditer(source):
        w = m.group()
        if "_" not in w and "://" not in w:
            continue
        for i, c in enumerate(w):
            if c in "()[]" and "_" in (w[i - 1 : i], w[i + 1 : i + 2], w[i + 2 : i + 3]):
                out.add(m.start() + i)
    return out


def unbalanced(
    text: str, base: int, enum_ok: bool, source: str | None = None
) -> list[tuple[int, str]]:
    """Offsets of ( [ never closed and ) ] never opened in text (`source`: the same span of
    the file, where the names the prose blanks are still written)."""
    stack: list[tuple[str, int]] = []
    bad: list[tuple[int, str]] = []
    text = _HALF_OPEN.sub(lambda m: " " * len(m.group()), text)  # [0, 1) pairs its own ends
    for m in re.finditer(r"[()\[\]]", text):
        ch = m.group()
        if ch in "([":
            stack.append((ch, m.start()))
            continue
        want = _PAIRS[ch]
        if stack and stack[-1][0] == want:
            stack.pop()
        elif any(o == want for o, _ in stack):
            while stack[-1][0] != want:
                o, at = stack.pop()
                bad.append((base + at, f"'{o}' is never closed"))
            stack.pop()
        elif enum_ok and ch == ")" and _ENUM_LABEL.search(text[max(0, m.start() - 6) : m.end()]):
            continue
        elif ch == ")" and text[max(0, m.start() - 1) : m.start()] in (":", ";", "-"):
            continue  # a smiley :) ;) -)
        else:
            bad.append((base + m.start(), f"'{ch}' closes nothing"))
    bad += [(base + at, f"'{o}' is never closed") for o, at in stack]
    if bad and source is not None and len(source) == len(text):
        names = _code_brackets(source)  # a bracket of a file's name is not an aside
        bad = [(at, what) for at, what in bad if at - base not in names]
    return sorted(bad)
