"""User macros that wrap \\ref, \\cite, \\label, \\includegraphics or a todo, learned from definitions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from papertrack.project.braces import group_end

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
        # ACL/NAACL/EMNLP styles (acl.sty, naaclhlt, emnlp): author-year forms
        "newcite",
        "citeposs",
        "citealias",
        "citetalias",
        "citepalias",
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
LABEL_MACROS = frozenset({"label", "zlabel", "nllabel"})  # nllabel: algorithm2e line labels
GRAPHICS_MACROS = frozenset({"includegraphics", "includesvg", "includepdf"})
TODO_MACROS = frozenset(
    {"todo", "missingfigure", "unsure", "change", "info", "improvement", "thiswillnotshow"}
)
PLACEHOLDER_MACROS = frozenset(
    {"lipsum", "blindtext", "Blindtext", "answerTODO", "justificationTODO"}
)

_DEF = re.compile(
    r"""\\(?P<cmd>newcommandx|renewcommandx|providecommandx|
                 newcommand|renewcommand|providecommand|DeclareRobustCommand|newrobustcmd|renewrobustcmd|
                 NewDocumentCommand|RenewDocumentCommand|ProvideDocumentCommand|DeclareDocumentCommand)\*?\s*
        (?:\{\s*\\(?P<n1>[a-zA-Z@]+)\s*\}|\\(?P<n2>[a-zA-Z@]+))
      | \\(?:g|e|x)?def\s*\\(?P<n3>[a-zA-Z@]+)(?P<params>(?:\#\d)*)\s*(?=\{)
    """,
    re.VERBOSE,
)
# Definitions whose bodies are templates, not document text: (command, body groups)
_DEFINITION_START = re.compile(
    r"\\(?P<cmd>(?:re)?newcommandx?|providecommandx?|DeclareRobustCommand|(?:re)?newrobustcmd|"
    r"(?:New|Renew|Provide|Declare)DocumentCommand|(?:New|Renew|Provide|Declare)DocumentEnvironment|"
    r"(?:re)?newenvironmentx?|NewEnviron|RenewEnviron|lstnewenvironment|"
    r"(?:re)?newtcolorbox|(?:re)?newtcbtheorem|newcolumntype|(?:g|e|x)?def)(?![a-zA-Z@])\*?"
)
_TWO_BODIES = re.compile(
    r"newenvironment|DocumentEnvironment|lstnewenvironment|NewEnviron|RenewEnviron"
)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def definition_spans(masked: str) -> list[tuple[int, int]]:
    """Where definitions (name, arguments and bodies) stand: TeX typesets none of it there."""
    spans: list[tuple[int, int]] = []
    for m in _DEFINITION_START.finditer(masked):
        if spans and m.start() < spans[-1][1]:
            continue  # a definition inside a definition's body
        cmd = m.group("cmd")
        pos = _skip_space(masked, m.end())
        if cmd.endswith("def"):
            name = re.match(r"\\([a-zA-Z@]+|.)", masked[pos:])
            if not name:
                continue
            brace = masked.find("{", pos + name.end())
            # the parameter text (#1#2 or delimiters) runs up to the body's brace, on one line
            if brace < 0 or "\n\n" in masked[pos:brace] or brace - pos > 200:
                continue
            pos = brace
            bodies = 1
        else:
            end = _bracket(masked, pos)  # \newtcbtheorem[init options]{name}...
            pos = end if end is not None else pos
            pos = _skip_space(masked, pos)
            # the name: {\x}, \x or {envname}
            if masked.startswith("{", pos):
                g = _group(masked, pos)
                if g is None:
                    continue
                pos = g[1]
            else:
                name = re.match(r"\\([a-zA-Z@]+|.)", masked[pos:])
                if not name:
                    continue
                pos += name.end()
            bodies = 2 if _TWO_BODIES.search(cmd) else 1
            if cmd.startswith("newtcbtheorem") or cmd.startswith("renewtcbtheorem"):
                bodies = 3  # {display name}{options}{label prefix}
            if "DocumentCommand" in cmd or "DocumentEnvironment" in cmd:
                g = _group(masked, _skip_space(masked, pos))
                if g is None:
                    continue
                pos = g[1]  # the xparse argument spec
            # [n] arguments, [default] values (newcommandx: [1=a]), tcolorbox [init options]
            while True:
                end = _bracket(masked, pos)
                if end is None:
                    break
                pos = end
        end = pos
        ok = True
        for _ in range(bodies):
            g = _group(masked, _skip_space(masked, end))
            if g is None:
                ok = False
                break
            end = g[1]
        if ok:
            spans.append((m.start(), end))
    # \let\x\y: the \y is not a command being used (a \caption there would take an argument)
    lets = [(m.start(), m.end()) for m in _LET.finditer(masked)]
    if lets:
        spans = sorted(spans + [x for x in lets if not any(a <= x[0] < b for a, b in spans)])
    return spans


_VERBATIM_BODY = re.compile(
    r"\s*\\(?:mintinline\s*\{[^{}]*\}|lstinline\s*(?:\[[^\]]*\])?|verb\*?|Verb|spverb)\s*"
)


def verbatim_macros(table: MacroTable) -> set[str]:
    """Argument-less macros that stand for an inline-verbatim command (\\newcommand{\\hs}
    {\\mintinline{haskell}}): their argument is code, read up to its closing delimiter."""
    return {n for n, m in table.macros.items() if not m.nargs and _VERBATIM_BODY.fullmatch(m.body)}


def blank_verbatim_args(text: str, names: set[str]) -> str:
    """The code arguments of those macros blanked, delimiters kept (as \\verb is masked)."""
    if not names or "\\" not in text:
        return text
    pat = re.compile(r"\\(?:" + "|".join(map(re.escape, sorted(names))) + r")(?![a-zA-Z@])")
    chars: list[str] | None = None
    for m in pat.finditer(text):
        i = m.end()
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text[i] in "\n\\" or text[i].isalpha():
            continue
        close = "}" if text[i] == "{" else text[i]
        end = text.find(close, i + 1)
        nl = text.find("\n", i + 1)
        if end < 0 or (0 <= nl < end):
            continue
        if chars is None:
            chars = list(text)
        for k in range(i + 1, end):
            chars[k] = " "
    return text if chars is None else "".join(chars)


_TCB_THEOREM = re.compile(r"\\(?:re)?newtcbtheorem\s*(?:\[[^\]]*\])?\s*\{\s*([a-zA-Z@*]+)\s*\}")


def find_tcb_theorems(masked: str) -> dict[str, str]:
    """tcolorbox theorems and the label prefix each gives: {environment: prefix}."""
    out = {}
    for m in _TCB_THEOREM.finditer(masked):
        pos = m.end()
        groups = []
        for _ in range(3):  # {display name}{options}{prefix}
            g = _group(masked, pos)
            if g is None:
                break
            groups.append(g[0])
            pos = g[1]
        if len(groups) == 3 and groups[2].strip():
            out[m.group(1)] = groups[2].strip()
    return out


def blank_definitions(masked: str) -> str:
    """The text with definitions blanked (length and line breaks kept)."""
    if "\\" not in masked:
        return masked
    spans = definition_spans(masked)
    if not spans:
        return masked
    chars = list(masked)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


_LET = re.compile(r"(?:\\global\s*)?\\let\s*\\(?P<name>[a-zA-Z@]+)\s*=?\s*\\(?P<target>[a-zA-Z@]+)")
# kernel macros that discard arguments: name -> (argument count, discarded arguments)
GOBBLERS = {
    "@gobble": (1, frozenset({1})),
    "@gobbletwo": (2, frozenset({1, 2})),
    "@gobblethree": (3, frozenset({1, 2, 3})),
    "@gobblefour": (4, frozenset({1, 2, 3, 4})),
    "@firstoftwo": (2, frozenset({2})),
    "@secondoftwo": (2, frozenset({1})),
    "use@none": (1, frozenset({1})),
}
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
    discards: frozenset[int] = frozenset()  # 1-based arguments that are never typeset
    provide: bool = False  # \providecommand: no effect on a command that already exists
    let: str | None = None  # \let\name\target: the target's meaning at that point
    at: int = 0  # offset of the definition in its file (document order)

    @property
    def argspec(self) -> str:
        if self.optional:
            return "[" + "{" * max(self.nargs - 1, 0)
        return "{" * self.nargs


@dataclass
class MacroTable:
    """All user macros of a project, with their roles resolved transitively."""

    macros: dict[str, UserMacro] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # \let\old\cite: old -> cite
    # \newtcbtheorem{theo}{Theorem}{...}{th}: \begin{theo}{Title}{x} defines the label th:x
    tcb_theorems: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Changes when any macro's argument shape, role or printed name changes (parse cache key)."""
        h = hashlib.sha256()
        names = self.text_macros()
        for name in sorted(self.macros):
            m = self.macros[name]
            h.update(
                f"{name}|{m.argspec}|{m.roles}|{sorted(m.discards)}|{names.get(name, '')}\n".encode()
            )
        for name in sorted(self.aliases):
            h.update(f"={name}|{self.aliases[name]}\n".encode())
        for name in sorted(self.tcb_theorems):
            h.update(f"tcb|{name}|{self.tcb_theorems[name]}\n".encode())
        return h.hexdigest()[:16]

    def text_macros(self) -> dict[str, str]:
        """Argument-less macros that print a short text, e.g. `\\sys` -> 'Tidal' (for titles).

        Computed once per table (every parsed chunk asks; ICLR's 430 macros x 89 chunks was
        ~100 ms); callers must not modify the result."""
        return self._once("_text_macros", self._text_macros)

    def _once(self, slot: str, compute):
        """compute() once per table and macro set: every parsed chunk asks (ICLR: 89 chunks)."""
        stamp = (id(self.macros), len(self.macros))
        cached = self.__dict__.get(slot)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        out = compute()
        self.__dict__[slot] = (stamp, out)
        return out

    def _text_macros(self) -> dict[str, str]:
        out = {}
        for name, m in self.macros.items():
            if m.nargs or "#" in m.body or len(m.body) > 80:
                continue
            text = _TEXT_BODY.sub("", m.body).replace("{", "").replace("}", "").strip()
            if text and re.fullmatch(r"[\w .,:;'’+-]+", text):
                out[name] = text
        return out

    def role_macros(self) -> dict[str, UserMacro]:
        return {n: m for n, m in self.macros.items() if m.roles}

    def env_macros(self) -> tuple[dict[str, str], dict[str, str]]:
        """Argument-less macros that open or close an environment: \\be -> equation.
        Computed once per table; callers must not modify the result."""
        return self._once("_env_macros", self._env_macros)

    def _env_macros(self) -> tuple[dict[str, str], dict[str, str]]:
        opens, closes = {}, {}
        for n, m in self.macros.items():
            if m.nargs:
                continue
            b = m.body.strip()
            o = re.match(r"\\begin\s*\{([^{}]+)\}", b)
            c = re.search(r"\\end\s*\{([^{}]+)\}$", b)
            if o and "\\end" not in b:
                opens[n] = o.group(1).strip()
            elif c and "\\begin" not in b:
                closes[n] = c.group(1).strip()
        return opens, closes

    def overriding(self) -> dict[str, UserMacro]:
        """Macros whose own definition decides what they do: wrappers, and built-in commands
        the paper redefined so that they cite, refer, label or note something else (or nothing).
        Computed once per table; callers must not modify the result.
        """
        return self._once("_overriding", self._overriding)

    def _overriding(self) -> dict[str, UserMacro]:
        out = {}
        for n, m in self.macros.items():
            if n in BUILTIN_ROLES or (n not in KEEP_BUILTIN and (m.roles or m.discards)):
                out[n] = m
            elif m.discards and len(m.discards) == m.nargs:
                out[n] = m  # \renewcommand{\caption}[1]{}: nothing of it is typeset
        return out


def _group(text: str, pos: int) -> tuple[str, int] | None:
    """The balanced group starting at text[pos] == '{': (inner text, index after it)."""
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    end = group_end(text, pos)
    return None if end is None else (text[pos + 1 : end - 1], end)


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
        provide = (m.group("cmd") or "").startswith("provide")
        out.append(
            UserMacro(name, nargs, optional, body, file, line, provide=provide, at=m.start())
        )
    for m in _LET.finditer(masked):
        line, _col = line_of(m.start())
        name, target = m.group("name"), m.group("target")
        out.append(UserMacro(name, 0, False, "", file, line, let=target, at=m.start()))
    out.sort(key=lambda u: u.at)
    return out


def _roles_in(
    body: str, known: dict[str, list[Role]], aliases: dict[str, str] | None = None
) -> list[Role]:
    """Roles a macro body plays, given the roles of the macros it calls."""
    roles: list[Role] = []
    aliases = aliases or {}
    for use in _USE.finditer(body):
        # an alias names a built-in as it was before the paper redefined it
        aliased = use.group(1) in aliases
        callee = aliases.get(use.group(1), use.group(1))
        groups = re.findall(r"\{([^{}]*)\}", use.group(3))
        opts = re.findall(r"\[([^\[\]]*)\]", use.group(2))
        if callee in known and not aliased:  # the paper's own definition, even of a built-in
            all_args = opts + groups
            for r in known[callee]:
                if r.arg == 0:
                    roles.append(r)
                    continue
                if _PARAM.search(r.prefix + r.suffix):
                    # a key made of several arguments (\label{#1:#2}): fill them all in
                    roles.extend(_mapped_key(r, all_args))
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
        elif (
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
    if re.search(r"(?<![A-Za-z])(TODO|FIXME|TBD)(?![A-Za-z])", body) and not any(
        r.kind == "todo" for r in roles
    ):
        roles.append(Role("todo", 0))
    return roles


def fill_params(text: str, args: list[str]) -> str:
    """#1..#9 in a key replaced by the use's arguments (those it has; others stay)."""
    return _PARAM.sub(
        lambda m: args[int(m.group(1)) - 1].strip() if int(m.group(1)) <= len(args) else m.group(0),
        text,
    )


def _mapped_key(r: Role, args: list[str]) -> list[Role]:
    r"""A callee's key of several arguments (\genericlabel: \label{#1:#2}) as the caller
    (\examplelabel{#1}: \genericlabel{exa}{#1}) makes it: Role(label, 1, 'exa:')."""
    template = f"{r.prefix}#{r.arg}{r.suffix}"
    if any(int(k) > len(args) for k in _PARAM.findall(template)):
        return []
    filled = _PARAM.sub(lambda m: args[int(m.group(1)) - 1], template)
    pm = _PARAM.search(filled)
    if pm is None:
        return [Role(r.kind, 0, filled)] if r.kind in ("ref", "cite") else []
    return [Role(r.kind, int(pm.group(1)), filled[: pm.start()], filled[pm.end() :])]


_CONTROL = re.compile(r"\\[a-zA-Z@]+\s*")


def clean_key(text: str) -> str:
    """A key as written, without conditionals such as `\\ifFull ... \\fi` around it."""
    return _CONTROL.sub("", text).strip()


BUILTIN_ROLES = REF_MACROS | CITE_MACROS | LABEL_MACROS | GRAPHICS_MACROS | TODO_MACROS
# built-in commands whose meaning papertrack keeps even when a paper redefines their look
# (\renewcommand{\section}{\@startsection...}): only a definition that drops the text wins
KEEP_BUILTIN = frozenset(
    [
        "part",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
        "caption",
        "footnote",
        "abstract",
        "appendix",
        "emph",
        "textbf",
        "textit",
        "title",
        "author",
        "thanks",
    ]
)
_CALL = re.compile(r"\\([a-zA-Z@]+)\*?")


def _arg_spans(body: str, pos: int, nargs: int, optional: bool) -> list[tuple[int, int] | None]:
    """Spans (inside the delimiters) of the arguments a macro called at body[pos] takes."""
    spans: list[tuple[int, int] | None] = []
    for i in range(nargs):
        if i == 0 and optional:
            end = _bracket(body, pos)
            if end is None:
                spans.append(None)
                continue
            start = body.index("[", pos)
            spans.append((start + 1, end - 1))
            pos = end
            continue
        q = pos
        while q < len(body) and body[q] in " \t\n":
            q += 1
        grp = _group(body, q)
        if grp is None:
            if q < len(body) and body[q] == "#" and q + 1 < len(body):
                spans.append((q, q + 2))  # \cut#1: an undelimited parameter as the argument
                pos = q + 2
                continue
            break
        spans.append((q + 1, grp[1] - 1))
        pos = grp[1]
    return spans


def _discarded(m: UserMacro, table: dict[str, UserMacro]) -> frozenset[int]:
    """Arguments of m that are never typeset: no #k, or #k only inside discarded arguments."""
    if not m.nargs:
        return frozenset()
    body = m.body
    dead: list[tuple[int, int]] = []
    for call in _CALL.finditer(body):
        callee = table.get(call.group(1))
        if callee is None or callee is m or not callee.discards:
            continue
        for i, span in enumerate(_arg_spans(body, call.end(), callee.nargs, callee.optional)):
            if span is not None and i + 1 in callee.discards:
                dead.append(span)
    if re.search(r"\\iffalse", body):
        for f in re.finditer(r"\\iffalse(.*?)\\fi(?![a-zA-Z@])", body, re.DOTALL):
            dead.append(f.span(1))
    out = set()
    for k in range(1, m.nargs + 1):
        uses = [u.start() for u in re.finditer(f"#{k}", body)]
        if all(any(a <= u < b for a, b in dead) for u in uses):
            out.add(k)
    return frozenset(out)


def build_table(defs: list[UserMacro]) -> MacroTable:
    """Resolve roles of all definitions (a wrapper of a wrapper works too)."""
    table = MacroTable()
    for d in defs:
        if d.provide and (d.name in BUILTIN_ROLES or d.name in table.macros):
            continue  # \providecommand does nothing to a command that exists
        if d.let is not None:
            # \let copies the target's meaning now; a later \renewcommand of it does not count
            t = table.aliases.get(d.let, d.let)
            table.aliases.pop(d.name, None)
            if t in GOBBLERS:
                n, _dead = GOBBLERS[t]
                d = UserMacro(d.name, n, False, "", d.file, d.line, at=d.at)
            elif t in table.macros:
                o = table.macros[t]
                d = UserMacro(d.name, o.nargs, o.optional, o.body, d.file, d.line, at=d.at)
            else:
                table.macros.pop(d.name, None)
                table.aliases[d.name] = t
                continue
        table.aliases.pop(d.name, None)
        table.macros[d.name] = d  # a later definition wins, as \renewcommand does
    # \let\oldcite\cite and \newcommand{\figref}{\cref}: another name for a command
    for name, m in list(table.macros.items()):
        target = re.fullmatch(r"\s*\\([a-zA-Z@]+)\s*", m.body) if not m.nargs else None
        if target is None or target.group(1) == name:
            continue
        t = target.group(1)
        seen = {name}
        while t in table.aliases and t not in seen:
            seen.add(t)
            t = table.aliases[t]
        if t in GOBBLERS:
            n, _dead = GOBBLERS[t]
            table.macros[name] = UserMacro(name, n, False, "", m.file, m.line)
        elif t in table.macros and t != name:
            other = table.macros[t]
            table.macros[name] = UserMacro(
                name, other.nargs, other.optional, other.body, m.file, m.line
            )
        else:
            table.aliases[name] = t
            del table.macros[name]
    for m in table.macros.values():
        if not m.body.strip() and m.nargs:
            m.discards = frozenset(range(1, m.nargs + 1))
    for _ in range(4):
        changed = False
        for m in table.macros.values():
            d = _discarded(m, table.macros)
            if d != m.discards:
                m.discards = d
                changed = True
        if not changed:
            break
    # a command the paper defines does what its definition says, even a built-in's name
    known: dict[str, list[Role]] = {name: [] for name in table.macros}
    for _ in range(4):
        changed = False
        for name, m in table.macros.items():
            roles = _roles_in(m.body, known, table.aliases)
            if name in TODO_MACROS and len(m.discards) < m.nargs and Role("todo", 0) not in roles:
                roles.append(Role("todo", 0))  # a redefined \todo that still prints its note
            if roles != known.get(name, []):
                known[name] = roles
                changed = True
        if not changed:
            break
    for name, roles in known.items():
        table.macros[name].roles = roles
    return table
