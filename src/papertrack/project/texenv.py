"""What a project's own text defines and sets that its conditionals test: switches, toggles, macros."""

from __future__ import annotations

import re

TOKEN = re.compile(
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
        for m in TOKEN.finditer(text, 0, end.start() if end else len(text)):
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
        self.gobblers: dict[str, int] = {}  # \newcommand{\cut}[1]{}: arguments TeX drops
        self.pythontex = False  # \usepackage{pythontex}: \py{...} arguments are Python

    def opens(self, name: str) -> bool:
        """Whether \\if<name> is a conditional that a \\fi closes."""
        return (
            name in PRIMITIVES
            or name in self.switches
            or name in self.newifs
            or bool(_CLASS_SWITCH.match(name))
        )


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
# a command whose every argument is dropped: \newcommand{\cut}[1]{}, \long\def\cut#1{}
_GOBBLER = re.compile(
    r"\\(?:re)?newcommand\*?\s*(?:\{\s*\\(?P<n1>[a-zA-Z@]+)\s*\}|\\(?P<n2>[a-zA-Z@]+))"
    r"\s*\[\s*(?P<count>[1-9])\s*\]\s*\{\s*\}"
    r"|\\(?:(?:long|global|protected)\s*\\)*(?:g|e|x)?def\s*\\(?P<n3>[a-zA-Z@]+)(?P<params>(?:#[1-9])+)\s*\{\s*\}"
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
_PYTHONTEX = re.compile(r"\\usepackage\s*(?:\[[^\]]*\])?\s*\{[^{}]*\bpythontex\b")
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
    # a command defined only inside \if...\fi may be defined in a branch TeX skips (the
    # \ifx\x\undefined guard of a file that can also compile alone): not known to be defined
    probe = Env(switches=switches, newifs=newifs)
    unconditional: set[str] = set()
    for text in texts:
        spans = _conditional_spans(text, probe)
        for m in _DEFINED.finditer(text):
            if not any(a <= m.start() < b for a, b in spans):
                unconditional.add(next(g for g in m.groups() if g))
    defined = {n for n in defined if n in unconditional or n[2:] in newifs}
    gobblers = _gobblers(texts, unconditional)
    out = Env(
        switches=switches,
        newifs=newifs,
        defined=defined,
        bodies={k: v for k, v in bodies.items() if v is not None},
        toggles={k: v for k, v in toggles.items() if v is not None},
        excluded=excluded,
    )
    out.verbatim = verbatim
    out.pythontex = any(_PYTHONTEX.search(t) for t in texts)
    out.gobblers = gobblers
    return out


def _gobblers(texts: list[str], unconditional: set[str]) -> dict[str, int]:
    """Commands that drop all their arguments, {name: count}: only when every definition of
    the name in the project drops them, none is inside a conditional (a draft switch may
    define it to print), and none is a \\providecommand (a package may define it first)."""
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    for text in texts:
        for m in _GOBBLER.finditer(text):
            name = m.group("n1") or m.group("n2") or m.group("n3")
            n = int(m.group("count")) if m.group("count") else len(m.group("params")) // 2
            found[name] = n if found.get(name, n) == n else 0
        for m in _DEFINED.finditer(text):
            name = next(g for g in m.groups() if g)
            counts[name] = counts.get(name, 0) + 1
    per_name: dict[str, int] = {}
    for text in texts:
        for m in _GOBBLER.finditer(text):
            name = m.group("n1") or m.group("n2") or m.group("n3")
            per_name[name] = per_name.get(name, 0) + 1
    return {
        name: n
        for name, n in found.items()
        if n and name in unconditional and counts.get(name) == per_name.get(name)
    }


def _conditional_spans(text: str, env: Env) -> list[tuple[int, int]]:
    """The outermost \\if...\\fi blocks of a text (those a \\fi closes)."""
    if "\\if" not in text:
        return []
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for m in TOKEN.finditer(text):
        if m.group("test") is not None and env.opens(m.group("test")):
            if depth == 0:
                start = m.start()
            depth += 1
        elif m.group("kw") == "fi" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.end()))
    if depth:
        spans.append((start, len(text)))
    return spans
