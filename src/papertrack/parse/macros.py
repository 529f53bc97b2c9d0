"""User macros that wrap \\ref, \\cite, \\label, \\includegraphics or a todo, learned from definitions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

REF_MACROS = frozenset(
    [
        "ref",
        "pageref",
        "eqref",
        "autoref",
        "autopageref",
        "cref",
        "Cref",
        "cpageref",
        "Cpageref",
        "crefrange",
        "Crefrange",
        "cpagerefrange",
        "Cpagerefrange",
        "nameref",
        "Nameref",
        "vref",
        "Vref",
        "vpageref",
        "vrefrange",
        "vpagerefrange",
        "subref",
        "labelcref",
        "namecref",
        "nameCref",
        "lcnamecref",
        "fref",
        "Fref",
        "tref",
        "zcref",
        "zref",
        "zcpageref",
    ]
)
CITE_MACROS = frozenset(
    [
        "cite",
        "cite*",
        "citep",
        "citet",
        "citealp",
        "citealt",
        "citeauthor",
        "citeyear",
        "citeyearpar",
        "citenum",
        "Citep",
        "Citet",
        "Citealp",
        "Citealt",
        "Citeauthor",
        "citefullauthor",
        "parencite",
        "Parencite",
        "textcite",
        "Textcite",
        "autocite",
        "Autocite",
        "footcite",
        "footcitetext",
        "smartcite",
        "Smartcite",
        "supercite",
        "fullcite",
        "footfullcite",
        "citetitle",
        "Citetitle",
        "citeurl",
        "citedate",
        "nocite",
        "citeA",
        "citeNP",
        "shortcite",
        "shortciteNP",
        "citeasnoun",
        "possessivecite",
        "citeonline",
        "citen",
    ]
)
# biblatex's multicite forms: \parencites(pre)(post)[pre][post]{a}[pre][post]{b}...
MULTICITE_MACROS = frozenset(
    [
        "cites",
        "Cites",
        "parencites",
        "Parencites",
        "footcites",
        "footcitetexts",
        "smartcites",
        "Smartcites",
        "textcites",
        "Textcites",
        "supercites",
        "autocites",
        "Autocites",
    ]
)
LABEL_MACROS = frozenset({"label", "zlabel"})
GRAPHICS_MACROS = frozenset({"includegraphics", "includesvg", "includepdf"})
TODO_MACROS = frozenset(
    {"todo", "missingfigure", "unsure", "change", "info", "improvement", "thiswillnotshow"}
)
PLACEHOLDER_MACROS = frozenset(
    {"lipsum", "blindtext", "Blindtext", "answerTODO", "justificationTODO"}
)

_DEF = re.compile(
    r"""\\(?P<cmd>newcommand|renewcommand|providecommand|DeclareRobustCommand|newrobustcmd|renewrobustcmd|
                 NewDocumentCommand|RenewDocumentCommand|ProvideDocumentCommand|DeclareDocumentCommand)\*?\s*
        (?:\{\s*\\(?P<n1>[a-zA-Z@]+)\s*\}|\\(?P<n2>[a-zA-Z@]+))
      | \\(?:g|e|x)?def\s*\\(?P<n3>[a-zA-Z@]+)(?P<params>(?:\#\d)*)\s*(?=\{)
    """,
    re.VERBOSE,
)
_ARGCOUNT = re.compile(r"\s*\[\s*(\d)\s*\]")
_OPTDEFAULT = re.compile(r"\s*\[")
_XPARSE_SPEC = re.compile(r"\s*\{([^{}]*)\}")
_USE = re.compile(r"\\([a-zA-Z@]+)\*?\s*((?:\[[^\[\]]*\]\s*)*)((?:\{[^{}]*\}\s*)+)")
_PARAM = re.compile(r"#(\d)")
# formatting wrappers and spacing commands that leave the printed text as it is
_TEXT_BODY = re.compile(
    r"\\(?:textsc|textbf|textit|textsf|texttt|emph|mbox|text|xspace|ensuremath|sc|bf|it)\b\s*"
)


@dataclass(frozen=True)
class Role:
    """What a user macro does with one of its arguments: `kind` is ref, cite, label, graphics or todo."""

    kind: str
    arg: int  # 1-based argument number; 0 for the whole macro (a todo marker or a fixed key)
    prefix: str = ""  # for arg 0 and kind ref/cite: the fixed key the body always uses
    suffix: str = ""


@dataclass
class UserMacro:
    """A user-defined macro, its argument count and the roles it plays."""

    name: str
    nargs: int
    optional: bool
    body: str
    file: str
    line: int
    roles: list[Role] = field(default_factory=list)

    @property
    def argspec(self) -> str:
        if self.optional:
            return "[" + "{" * max(self.nargs - 1, 0)
        return "{" * self.nargs


@dataclass
class MacroTable:
    """All user macros of a project, with their roles resolved transitively."""

    macros: dict[str, UserMacro] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Changes when any macro's argument shape, role or printed name changes (parse cache key)."""
        h = hashlib.sha256()
        names = self.text_macros()
        for name in sorted(self.macros):
            m = self.macros[name]
            h.update(f"{name}|{m.argspec}|{m.roles}|{names.get(name, '')}\n".encode())
        return h.hexdigest()[:16]

    def text_macros(self) -> dict[str, str]:
        """Argument-less macros that print a short text, e.g. `\\sys` -> 'Tidal' (for titles).

        Computed once per table (every parsed chunk asks; ICLR's 430 macros x 89 chunks was
        ~100 ms); callers must not modify the result."""
        stamp = (id(self.macros), len(self.macros))
        cached = self.__dict__.get("_text_macros")
        if cached is not None and cached[0] == stamp:
            return cached[1]
        out = {}
        for name, m in self.macros.items():
            if m.nargs or "#" in m.body or len(m.body) > 80:
                continue
            text = _TEXT_BODY.sub("", m.body).replace("{", "").replace("}", "").strip()
            if text and re.fullmatch(r"[\w .,:;'’+-]+", text):
                out[name] = text
        self.__dict__["_text_macros"] = (stamp, out)
        return out

    def role_macros(self) -> dict[str, UserMacro]:
        return {n: m for n, m in self.macros.items() if m.roles}


def _group(text: str, pos: int) -> tuple[str, int] | None:
    """The balanced group starting at text[pos] == '{': (inner text, index after it)."""
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        return None
    depth = 0
    i = pos
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[pos + 1 : i], i + 1
        i += 1
    return None


def _bracket(text: str, pos: int) -> int | None:
    """Index after a [..] at pos (skipping spaces), or None."""
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    if pos >= len(text) or text[pos] != "[":
        return None
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def find_definitions(masked: str, file: str, line_of) -> list[UserMacro]:
    """Macro definitions in a file's visible text."""
    out: list[UserMacro] = []
    for m in _DEF.finditer(masked):
        name = m.group("n1") or m.group("n2") or m.group("n3")
        pos = m.end()
        optional = False
        if m.group("n3") is not None:
            nargs = len(m.group("params") or "") // 2
        elif m.group("cmd").endswith("DocumentCommand"):
            spec = _XPARSE_SPEC.match(masked, pos)
            if not spec:
                continue
            letters = re.findall(r"[mMoOdDsrRvbeEtg]", spec.group(1))
            nargs = len(letters)
            optional = bool(letters) and letters[0] in "oO"
            pos = spec.end()
        else:
            nargs = 0
            am = _ARGCOUNT.match(masked, pos)
            if am:
                nargs = int(am.group(1))
                pos = am.end()
                end = _bracket(masked, pos)
                if end is not None:
                    optional = True
                    pos = end
        grp = _group(masked, pos)
        if grp is None:
            continue
        body = grp[0]
        line, _col = line_of(m.start())
        out.append(UserMacro(name, nargs, optional, body, file, line))
    return out


def _roles_in(body: str, known: dict[str, list[Role]]) -> list[Role]:
    """Roles a macro body plays, given the roles of the macros it calls."""
    roles: list[Role] = []
    for use in _USE.finditer(body):
        callee = use.group(1)
        groups = re.findall(r"\{([^{}]*)\}", use.group(3))
        opts = re.findall(r"\[([^\[\]]*)\]", use.group(2))
        if (
            callee in REF_MACROS
            or callee in CITE_MACROS
            or callee in LABEL_MACROS
            or callee in GRAPHICS_MACROS
        ):
            kind = (
                "ref"
                if callee in REF_MACROS
                else "cite"
                if callee in CITE_MACROS
                else "label"
                if callee in LABEL_MACROS
                else "graphics"
            )
            # keys/paths are the last mandatory group; \crefrange has two
            key_groups = groups[-2:] if callee.endswith("range") else groups[-1:]
            for g in key_groups:
                items = g.split(",") if kind in ("ref", "cite") else [g]
                for item in items:
                    item = clean_key(item)
                    pm = _PARAM.search(item)
                    if pm:
                        roles.append(
                            Role(kind, int(pm.group(1)), item[: pm.start()], item[pm.end() :])
                        )
                    elif item and kind in ("ref", "cite"):
                        roles.append(Role(kind, 0, item))  # a key the macro always cites
        elif callee in TODO_MACROS:
            roles.append(Role("todo", 0))
        elif callee in known:
            all_args = opts + groups
            for r in known[callee]:
                if r.arg == 0:
                    roles.append(r)
                    continue
                # map the callee's argument r.arg onto the caller's parameters
                if r.arg - 1 < len(all_args):
                    g = all_args[r.arg - 1]
                    for pm in _PARAM.finditer(g):
                        roles.append(
                            Role(
                                r.kind,
                                int(pm.group(1)),
                                g[: pm.start()] + r.prefix,
                                r.suffix + g[pm.end() :],
                            )
                        )
    if re.search(r"(?<![A-Za-z])(TODO|FIXME|TBD)(?![A-Za-z])", body) and not any(
        r.kind == "todo" for r in roles
    ):
        roles.append(Role("todo", 0))
    return roles


_CONTROL = re.compile(r"\\[a-zA-Z@]+\s*")


def clean_key(text: str) -> str:
    """A key as written, without conditionals such as `\\ifFull ... \\fi` around it."""
    return _CONTROL.sub("", text).strip()


def build_table(defs: list[UserMacro]) -> MacroTable:
    """Resolve roles of all definitions (a wrapper of a wrapper works too)."""
    table = MacroTable()
    for d in defs:
        table.macros[d.name] = d  # a later definition wins, as \renewcommand does
    builtin = REF_MACROS | CITE_MACROS | LABEL_MACROS | GRAPHICS_MACROS | TODO_MACROS
    known: dict[str, list[Role]] = {}
    for _ in range(4):
        changed = False
        for name, m in table.macros.items():
            if name in builtin:
                continue
            roles = _roles_in(m.body, known)
            if roles != known.get(name, []):
                known[name] = roles
                changed = True
        if not changed:
            break
    for name, roles in known.items():
        table.macros[name].roles = roles
    return table
