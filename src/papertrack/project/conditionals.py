"""Evaluating conditionals as TeX does (\\newif switches, \\if, \\ifdefined, \\ifx, toggles,
\\ifthenelse booleans, excluded comment environments) so that dead branches are not read."""

from __future__ import annotations

import re

from papertrack.project.braces import group_end
from papertrack.project.source import keep_comment_lines, verbatim_close
from papertrack.project.texenv import PRIMITIVES, TOKEN, Env, project_env

_CS = re.compile(r"\s*\\([a-zA-Z@]+|.)")


def _if_tokens(text: str, pos: int, env: Env) -> bool | None:
    """Value of a plain \\if whose tokens start at pos: it compares two character codes.

    `\\if 0 ... \\fi` compares `0` with the space after it (false), `\\def\\x{1}\\if\\x1` compares
    `1` with `1` (true). None when a token is a macro papertrack cannot expand.
    """
    text = text[pos : pos + 400]  # two tokens are never far away
    toks: list[str] = []
    i = 0
    skipping = True  # after a control word TeX's reader skips blanks and one line end
    expansions = 0
    while len(toks) < 2:
        if i >= len(text):
            return None
        c = text[i]
        if c in " \t":
            if not skipping:
                toks.append(" ")
                skipping = True
            i += 1
            continue
        if c == "\n":
            j = i + 1
            while j < len(text) and text[j] in " \t":
                j += 1
            if j < len(text) and text[j] == "\n":
                return None  # an empty line: \\par, a control sequence
            if not skipping:
                toks.append(" ")
            skipping = True
            i = j
            continue
        if c == "\\":
            m = _CS.match(text, i)
            body = env.bodies.get(m.group(1)) if m else None
            if body is None or expansions > 8:
                return None  # a macro papertrack cannot expand
            expansions += 1
            rest = text[m.end() :]
            if m.group(1)[-1:].isalpha() or m.group(1)[-1:] == "@":
                # blanks after a control word are never tokens, nor is the end of its line
                # (TeX read them before expanding it); an empty line after it is a \par
                rest = rest.lstrip(" \t")
                if rest.startswith("\n"):
                    rest = rest[1:].lstrip(" \t")
                    if rest.startswith("\n"):
                        return None
            text, i, skipping = body + rest, 0, False
            continue
        if c == "%":  # a comment: TeX reads on at the next line, without an end-of-line space
            j = text.find("\n", i)
            if j < 0:
                return None
            i, skipping = j + 1, True
            continue
        if c in "{}$&#^_~":
            return None
        toks.append(c)
        skipping = False
        i += 1
    return toks[0] == toks[1]


def _defined_test(text: str, pos: int, kind: str, env: Env) -> bool | None:
    """\\ifdefined\\x, \\ifx\\x\\undefined, \\ifx\\undefined\\x: True/False when known."""
    m = _CS.match(text, pos)
    if m is None:
        return None
    first = m.group(1)
    if kind == "defined":
        return True if first in env.defined else None
    m2 = _CS.match(text, m.end())
    if m2 is None:
        return None
    second = m2.group(1)
    if "undefined" in (first, second) and first != second:
        other = second if first == "undefined" else first
        return False if other in env.defined else None
    return None


def _group_end(text: str, pos: int) -> int | None:
    """Index after the balanced {...} starting at pos (after spaces), or None."""
    return group_end(text, pos, skip_space=True)


def _blank(chars: list[str], a: int, b: int, silent: list[tuple[int, int]]) -> None:
    for i in range(a, b):
        if chars[i] != "\n":
            chars[i] = " "
    silent.append((a, b))


_BRACED = re.compile(
    r"\\(?P<cmd>iftoggle|nottoggle|ifbool|notbool)\s*\{\s*(?P<name>[^{}\s]+)\s*\}"
    r"|\\ifthenelse\s*\{\s*(?P<not>\\not\s*)?\\boolean\s*\{\s*(?P<bname>[^{}\s]+)\s*\}\s*\}"
)


def _mask_braced(text: str, chars: list[str], env: Env, silent: list[tuple[int, int]]) -> None:
    """Blank `\\iftoggle{x}{A}{B}` and `\\ifthenelse{\\boolean{x}}{A}{B}` down to the branch taken."""
    for m in _BRACED.finditer(text):
        name = m.group("name") or m.group("bname")
        if name not in env.toggles:
            continue
        val = env.toggles[name]
        if m.group("cmd") in ("nottoggle", "notbool") or m.group("not"):
            val = not val
        a_end = _group_end(text, m.end())
        if a_end is None:
            continue
        b_end = _group_end(text, a_end)
        if b_end is None:
            continue
        _blank(chars, m.start(), m.end(), silent)  # the test itself prints nothing
        if val:
            _blank(chars, a_end, b_end, silent)
        else:
            _blank(chars, m.end(), a_end, silent)


def _mask_excluded(text: str, chars: list[str], env: Env, silent: list[tuple[int, int]]) -> None:
    for name in env.excluded:
        pat = re.compile(r"\\begin\s*\{" + re.escape(name) + r"\}")
        for m in pat.finditer(text):
            close = re.compile(r"\\end\s*\{" + re.escape(name) + r"\}").search(text, m.end())
            end = close.end() if close else len(text)
            _blank(chars, m.start(), end, silent)


def _mask_gobbled(text: str, chars: list[str], env: Env, silent: list[tuple[int, int]]) -> None:
    """Blank `\\cut{...}` where `\\newcommand{\\cut}[1]{}`: TeX reads the argument and drops
    it, so an \\input or a figure inside is never read."""
    if not env.gobblers:
        return
    pat = re.compile(r"\\(" + "|".join(map(re.escape, env.gobblers)) + r")(?![a-zA-Z@])")
    for m in pat.finditer(text):
        end: int | None = m.end()
        for _ in range(env.gobblers[m.group(1)]):
            end = _group_end(text, end) if end is not None else None
        if end is not None and chars[m.start()] != " ":  # not in a span already blanked
            _blank(chars, m.start(), end, silent)


_LABELS = re.compile(
    r"\\label\s*\{[^{}\n]*\}|(?<![a-zA-Z])label\s*=\s*(?:\{[^{}\n]*\}|[^,\]%\n]*[^,\]%\s])"
)


def _mask_verbatim(text: str, chars: list[str], env: Env) -> None:
    """Code environments the paper defines (\\lstnewenvironment, \\newminted, ...): their
    body is code, not LaTeX; only the labels it sets stay visible."""
    for name in env.verbatim:
        begin = re.compile(r"\\begin\s*\{" + re.escape(name) + r"\}")
        end = re.compile(r"\\end\s*\{" + re.escape(name) + r"\}")
        for m in begin.finditer(text):
            close = end.search(text, m.end())
            stop = close.start() if close else len(text)
            keep = [(x.start(), x.end()) for x in _LABELS.finditer(text, m.end(), stop)]
            _blank(chars, m.end(), stop, [])  # code is typeset: its empty lines stay empty
            for a, b in keep:
                chars[a:b] = text[a:b]


def _value(name: str, text: str, end: int, env: Env) -> bool | None:
    """The value of the test \\if<name> whose tokens start at `end`; None when undecided."""
    if name in env.switches:
        return env.switches[name]
    if name in ("true", "false"):
        return name == "true"
    if name == "":
        return _if_tokens(text, end, env)
    if name in ("defined", "x"):
        return _defined_test(text, end, name, env)
    return None


_ARGUMENT_NEXT = re.compile(r"\s*[{\[]")


def undecided_spans(text: str, env: Env) -> list[tuple[int, int]]:
    """The \\if...\\fi blocks whose test papertrack cannot decide, from \\if to \\fi: TeX
    reads one branch, papertrack cannot say which. A switch the project never declares (a
    class's own, set by a class option) counts too; an \\if<name> that takes braced arguments
    (\\ifdef{..}{..}{..}), \\iff, and one no \\fi closes are not conditionals of this kind."""
    if "\\if" not in text:
        return []
    stack: list[tuple[bool | None, int]] = []
    out: list[tuple[int, int]] = []
    for m in TOKEN.finditer(text):
        if m.group("test") is not None:
            name = m.group("test")
            if env.opens(name):
                stack.append((_value(name, text, m.end(), env), m.start()))
            elif name != "f" and not _ARGUMENT_NEXT.match(text, m.end()):
                stack.append((None, m.start()))
        elif m.group("kw") == "fi" and stack:
            val, start = stack.pop()
            if val is None:
                out.append((start, m.end()))
    return out


def mask_conditionals(masked: str, env: Env) -> str:
    """Blank the branches TeX skips; text keeps its length and line breaks."""
    if (
        "\\if" not in masked
        and "toggle" not in masked
        and not env.excluded
        and not env.verbatim
        and not env.gobblers
        and not env.pythontex
    ):
        return masked
    chars = list(masked)
    stack: list[tuple[bool | None, int]] = []
    blank: list[tuple[int, int]] = []
    for m in TOKEN.finditer(masked):
        if m.group("test") is not None:
            name = m.group("test")
            if not env.opens(name):
                continue  # \iff, \ifthenelse, \iftoggle: not closed by \fi
            val = _value(name, masked, m.end(), env)
            if stack and stack[-1][0] is False:
                val = None  # inside a skipped branch only the nesting counts
                stack.append((None, m.end()))
                continue
            stack.append((val, m.end()))
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
    silent: list[tuple[int, int]] = []
    for a, b in blank:
        _blank(chars, a, b, silent)
    _mask_braced(masked, chars, env, silent)
    _mask_excluded(masked, chars, env, silent)
    _mask_gobbled(masked, chars, env, silent)
    keep_comment_lines(masked, chars, sorted(silent))
    if env.verbatim:
        _mask_verbatim(masked, chars, env)
    if env.pythontex:
        _mask_pythontex(masked, chars)
    return "".join(chars)


# pythontex's inline commands (\py, \pyc, \pyb, \pyv, and the sympy and pylab families),
# with an optional [session]: their braced argument is Python, not LaTeX (\pys is LaTeX)
_PYTHONTEX_INLINE = re.compile(
    r"\\(?:py|sympy|pylab)[cbv]?(?![a-zA-Z@])\s*(?:\[[^\]\n]*\]\s*)?(?=\{)"
)


def _mask_pythontex(text: str, chars: list[str]) -> None:
    """Blank the code of pythontex's inline commands, braces kept: its quotes, parentheses and
    dollars are Python's (what it prints is only known once PythonTeX runs)."""
    for m in _PYTHONTEX_INLINE.finditer(text):
        end = verbatim_close(text, m.end())
        if end > 0:
            _blank(chars, m.end() + 1, end, [])


def mask_false_branches(masked: str, values: dict[str, bool], conditionals: set[str]) -> str:
    """Blank the branches of known switches that LaTeX skips; other text keeps its offsets."""
    names = {c[2:] if c.startswith("if") and c[2:] in PRIMITIVES else c for c in conditionals}
    return mask_conditionals(masked, Env(switches=values, newifs=names))


def mask_texts(texts: list[str]) -> list[str]:
    """Each text with the branches TeX skips blanked (texts in document order)."""
    env = project_env(texts)
    return [mask_conditionals(t, env) for t in texts]
