"""Evaluating conditionals as TeX does (\\newif switches, \\if, \\ifdefined, \\ifx, toggles,
\\ifthenelse booleans, excluded comment environments) so that dead branches are not read."""

from __future__ import annotations

import re

from papertrack.project.braces import group_end

_TOK = re.compile(
    r"\\newif\s*\\if(?P<decl>[a-zA-Z@]+)"
    r"|\\if(?P<test>[a-zA-Z@]*)(?![a-zA-Z@])"
    r"|\\(?P<set>[a-zA-Z@]+?)(?P<val>true|false)(?![a-zA-Z@])"
    r"|\\(?P<kw>else|fi)(?![a-zA-Z@])"
)
_BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")
# TeX primitives that open a conditional (each closed by \fi)
PRIMITIVES = frozenset(
    [
        "",
        "cat",
        "num",
        "dim",
        "odd",
        "vmode",
        "hmode",
        "mmode",
        "inner",
        "void",
        "hbox",
        "vbox",
        "x",
        "eof",
        "true",
        "false",
        "case",
        "defined",
        "csname",
        "fontchar",
        "incsname",
        "pdfprimitive",
        "pdf",
        "xetex",
        "luatex",
        "PDFTeX",
        "XeTeX",
        "LuaTeX",
        "pdfoutput",
    ]
)
# \newif switches defined by classes and packages that papers test in their own files
_CLASS_SWITCH = re.compile(r"^(?:CLASSOPTION|CLASSINFO|[a-zA-Z]*@)")


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


class Env:
    """What the conditionals of a project can be evaluated against."""

    def __init__(
        self,
        switches: dict[str, bool] | None = None,
        newifs: set[str] | None = None,
        defined: set[str] | None = None,
        bodies: dict[str, str] | None = None,
        toggles: dict[str, bool] | None = None,
        excluded: set[str] | None = None,
    ) -> None:
        self.switches = switches or {}
        self.newifs = newifs or set()
        self.defined = defined or set()  # control sequences the project itself defines
        self.bodies = bodies or {}  # argument-less macros with one fixed body (\def\x{1})
        self.toggles = toggles or {}  # etoolbox toggles and ifthen booleans, as set in the preamble
        self.excluded = excluded or set()  # comment-package environments that are skipped
        self.verbatim: set[str] = set()  # code environments the project defines

    def opens(self, name: str) -> bool:
        """Whether \\if<name> is a conditional that a \\fi closes."""
        return (
            name in PRIMITIVES
            or name in self.switches
            or name in self.newifs
            or bool(_CLASS_SWITCH.match(name))
        )


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
                rest = rest.lstrip(" \t")  # blanks after a control word are never tokens
            text, i, skipping = body + rest, 0, False
            continue
        if c in "{}%$&#^_~":
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


def _blank(chars: list[str], a: int, b: int) -> None:
    for i in range(a, b):
        if chars[i] != "\n":
            chars[i] = " "


_BRACED = re.compile(
    r"\\(?P<cmd>iftoggle|nottoggle|ifbool|notbool)\s*\{\s*(?P<name>[^{}\s]+)\s*\}"
    r"|\\ifthenelse\s*\{\s*(?P<not>\\not\s*)?\\boolean\s*\{\s*(?P<bname>[^{}\s]+)\s*\}\s*\}"
)


def _mask_braced(text: str, chars: list[str], env: Env) -> None:
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
        _blank(chars, m.start(), m.end())  # the test itself prints nothing
        if val:
            _blank(chars, a_end, b_end)
        else:
            _blank(chars, m.end(), a_end)


def _mask_excluded(text: str, chars: list[str], env: Env) -> None:
    for name in env.excluded:
        pat = re.compile(r"\\begin\s*\{" + re.escape(name) + r"\}")
        for m in pat.finditer(text):
            close = re.compile(r"\\end\s*\{" + re.escape(name) + r"\}").search(text, m.end())
            end = close.end() if close else len(text)
            _blank(chars, m.start(), end)


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
            _blank(chars, m.end(), stop)
            for a, b in keep:
                chars[a:b] = text[a:b]


def mask_conditionals(masked: str, env: Env) -> str:
    """Blank the branches TeX skips; text keeps its length and line breaks."""
    if "\\if" not in masked and "toggle" not in masked and not env.excluded and not env.verbatim:
        return masked
    chars = list(masked)
    stack: list[tuple[bool | None, int]] = []
    blank: list[tuple[int, int]] = []
    for m in _TOK.finditer(masked):
        if m.group("test") is not None:
            name = m.group("test")
            if not env.opens(name):
                continue  # \iff, \ifthenelse, \iftoggle: not closed by \fi
            val: bool | None = None
            if name in env.switches:
                val = env.switches[name]
            elif name == "true":
                val = True
            elif name == "false":
                val = False
            elif name == "":
                val = _if_tokens(masked, m.end(), env)
            elif name in ("defined", "x"):
                val = _defined_test(masked, m.end(), name, env)
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
    for a, b in blank:
        _blank(chars, a, b)
    _mask_braced(masked, chars, env)
    _mask_excluded(masked, chars, env)
    if env.verbatim:
        _mask_verbatim(masked, chars, env)
    return "".join(chars)


def mask_false_branches(masked: str, values: dict[str, bool], conditionals: set[str]) -> str:
    """Blank the branches of known switches that LaTeX skips; other text keeps its offsets."""
    names = {c[2:] if c.startswith("if") and c[2:] in PRIMITIVES else c for c in conditionals}
    return mask_conditionals(masked, Env(switches=values, newifs=names))


_DEFINED = re.compile(
    r"\\(?:newcommand|renewcommand|providecommand|DeclareRobustCommand|NewDocumentCommand|"
    r"DeclareDocumentCommand|DeclareMathOperator|newrobustcmd|newlength|newsavebox)\*?\s*"
    r"\{?\s*\\([a-zA-Z@]+)"
    r"|\\(?:g|e|x)?def\s*\\([a-zA-Z@]+)"
    r"|\\let\s*\\([a-zA-Z@]+)"
    r"|\\newif\s*\\(if[a-zA-Z@]+)"
    r"|\\(?:newcounter)\s*\{([a-zA-Z@]+)\}"
    r"|\\newenvironment\*?\s*\{([a-zA-Z@]+)\}"
)
_SIMPLE_BODY = re.compile(
    r"\\(?:g|e|x)?def\s*\\([a-zA-Z@]+)\s*\{([^{}\\#%]*)\}"
    r"|\\(?:newcommand|renewcommand)\*?\s*\{?\s*\\([a-zA-Z@]+)\s*\}?\s*\{([^{}\\#%]*)\}"
)
_TOGGLE = re.compile(
    r"\\(?P<decl>newtoggle|newboolean|provideboolean|newbool|providebool)\s*\{\s*(?P<d>[^{}\s]+)\s*\}"
    r"|\\(?P<onoff>toggletrue|togglefalse|booltrue|boolfalse)\s*\{\s*(?P<o>[^{}\s]+)\s*\}"
    r"|\\(?P<setcmd>settoggle|setboolean|setbool)\s*\{\s*(?P<s>[^{}\s]+)\s*\}\s*\{\s*(?P<v>true|false)\s*\}"
)
_VERBATIM_DEF = re.compile(
    r"\\(?:lstnewenvironment|DefineVerbatimEnvironment|newtcblisting|NewTCBListing|"
    r"(?:re)?newenvironment\s*\{[^{}]*\}\s*\{\s*\\Verbatim)\s*(?:\[[^\]]*\])?\s*\{\s*([a-zA-Z@*]+)\s*\}"
    r"|\\newminted\s*(?:\[\s*([a-zA-Z@*]+)\s*\])?\s*\{\s*([a-zA-Z0-9+#-]+)\s*\}"
)
_COMMENT_ENV = re.compile(
    r"\\(?P<kind>excludecomment|includecomment)\s*\{\s*(?P<name>[^{}\s]+)\s*\}"
)


def project_env(texts: list[str]) -> Env:
    """What the project's own text defines and sets, read before any branch is masked."""
    switches = evaluate(texts)
    for name in body_reassigned(texts, set(switches)):
        switches.pop(name, None)
    newifs: set[str] = set()
    defined: set[str] = set()
    bodies: dict[str, str | None] = {}
    toggles: dict[str, bool | None] = {}
    excluded: set[str] = set()
    verbatim: set[str] = set()
    in_body = False
    for text in texts:
        end = _BEGIN_DOC.search(text)
        for m in _DEFINED.finditer(text):
            name = next(g for g in m.groups() if g)
            defined.add(name)
            if name.startswith("if") and m.group(4):
                newifs.add(name[2:])
                defined.update({name[2:] + "true", name[2:] + "false"})
        for m in _SIMPLE_BODY.finditer(text):
            name = m.group(1) or m.group(3)
            body = m.group(2) if m.group(1) else m.group(4)
            body = body.strip()
            bodies[name] = body if bodies.get(name, body) == body else None
        stop = end.start() if end and not in_body else (0 if in_body else len(text))
        for m in _TOGGLE.finditer(text):
            name = m.group("d") or m.group("o") or m.group("s")
            if m.start() >= stop:
                if name in toggles and not m.group("decl"):
                    toggles[name] = None  # set again in the body: read both branches
                continue
            if m.group("decl"):
                toggles.setdefault(name, False)
            elif m.group("onoff"):
                toggles[name] = m.group("onoff").endswith("true")
            else:
                toggles[name] = m.group("v") == "true"
        for m in _VERBATIM_DEF.finditer(text):
            verbatim.add(m.group(1) or m.group(2) or m.group(3) + "code")
        for m in _COMMENT_ENV.finditer(text):
            if m.group("kind") == "excludecomment":
                excluded.add(m.group("name"))
            else:
                excluded.discard(m.group("name"))
        if end:
            in_body = True
    out = Env(
        switches=switches,
        newifs=newifs,
        defined=defined,
        bodies={k: v for k, v in bodies.items() if v is not None},
        toggles={k: v for k, v in toggles.items() if v is not None},
        excluded=excluded,
    )
    out.verbatim = verbatim
    return out


def mask_texts(texts: list[str]) -> list[str]:
    """Each text with the branches TeX skips blanked (texts in document order)."""
    env = project_env(texts)
    return [mask_conditionals(t, env) for t in texts]
