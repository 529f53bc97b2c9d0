"""User macros learned from definitions: reading them, blanking them, and resolving the table."""

from __future__ import annotations

import re

from papertrack.parse.knownmacros import BUILTIN_ROLES, TODO_MACROS
from papertrack.parse.macroroles import discarded_args, roles_in
from papertrack.parse.macrotable import MacroTable, Role, UserMacro
from papertrack.project.braces import bracket_end, group_text, skip_blanks
from papertrack.project.source import keep_comment_lines, verbatim_close

_DEF = re.compile(
    r"""\\(?P<cmd>newcommandx|renewcommandx|providecommandx|
                 newcommand|renewcommand|providecommand|DeclareRobustCommand|newrobustcmd|renewrobustcmd|
                 NewDocumentCommand|RenewDocumentCommand|ProvideDocumentCommand|DeclareDocumentCommand)\*?
        (?:\s|%[^\n]*\n)*  # blanks and the bare % of comment lines (masking keeps it)
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

LET = re.compile(r"(?:\\global\s*)?\\let\s*\\(?P<name>[a-zA-Z@]+)\s*=?\s*\\(?P<target>[a-zA-Z@]+)")
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


def _skip_space(text: str, pos: int) -> int:
    return skip_blanks(text, pos)  # comment lines too: TeX reads past them to the argument


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
            end = bracket_end(masked, pos)  # \newtcbtheorem[init options]{name}...
            pos = end if end is not None else pos
            pos = _skip_space(masked, pos)
            # the name: {\x}, \x or {envname}
            if masked.startswith("{", pos):
                g = group_text(masked, pos)
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
                g = group_text(masked, _skip_space(masked, pos))
                if g is None:
                    continue
                pos = g[1]  # the xparse argument spec
            # [n] arguments, [default] values (newcommandx: [1=a]), tcolorbox [init options]
            while True:
                end = bracket_end(masked, pos)
                if end is None:
                    break
                pos = end
        end = pos
        ok = True
        for _ in range(bodies):
            g = group_text(masked, _skip_space(masked, end))
            if g is None:
                ok = False
                break
            end = g[1]
        if ok:
            spans.append((m.start(), end))
    # \let\x\y: the \y is not a command being used (a \caption there would take an argument)
    lets = [(m.start(), m.end()) for m in LET.finditer(masked)]
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


def balanced_verbatim_macros(table: MacroTable, names: set[str]) -> set[str]:
    """Those of `names` that stand for \\mintinline or \\Verb: fvextra reads their {code}
    with balanced braces (\\lstinline stops at the first })."""
    return {n for n in names if re.match(r"\s*\\(?:mintinline|Verb)", table.macros[n].body)}


def blank_verbatim_args(text: str, names: set[str], balanced: set[str] = frozenset()) -> str:
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
        if close == "}" and m.group(0)[1:] in balanced:
            end = verbatim_close(text, i)
        else:
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
            g = group_text(masked, pos)
            if g is None:
                break
            groups.append(g[0])
            pos = g[1]
        if len(groups) == 3 and groups[2].strip():
            out[m.group(1)] = groups[2].strip()
    return out


def blank_definitions(masked: str) -> str:
    """The text with definitions blanked (length and line breaks kept).

    A line that held only a definition keeps a `%`: TeX reads `\\def\\x{1}` on a line of its own
    as no paragraph break, so the blanked line must not read as an empty line (a \\par)."""
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
    keep_comment_lines(masked, chars, spans)
    return "".join(chars)


_XPARSE_ARG = {"m": "{", "o": "[", "O": "[", "s": "*"}


def xparse_argspec(letters: list[str]) -> str:
    """pylatexenc's reading of an xparse signature: `som` is `*[{`, an optional star and an
    optional argument before the one mandatory one. Empty (read by count, mandatory after a
    leading optional one) when it holds a kind pylatexenc has no reader for."""
    if not letters or not all(c in _XPARSE_ARG for c in letters):
        return ""
    return "".join(_XPARSE_ARG[c] for c in letters)


def find_definitions(masked: str, file: str, line_of) -> list[UserMacro]:
    """Macro definitions in a file's visible text."""
    out: list[UserMacro] = []
    for m in _DEF.finditer(masked):
        name = m.group("n1") or m.group("n2") or m.group("n3")
        pos = m.end()
        optional = False
        argspec = ""
        if m.group("n3") is not None:
            nargs = len(m.group("params") or "") // 2
        elif m.group("cmd").endswith("DocumentCommand"):
            spec = _XPARSE_SPEC.match(masked, pos)
            if not spec:
                continue
            letters = re.findall(r"[mMoOdDsrRvbeEtg]", spec.group(1))
            nargs = len(letters)
            optional = bool(letters) and letters[0] in "oO"
            argspec = xparse_argspec(letters)
            pos = spec.end()
        else:
            nargs = 0
            am = _ARGCOUNT.match(masked, pos)
            if am:
                nargs = int(am.group(1))
                pos = am.end()
                end = bracket_end(masked, pos)
                if end is not None:
                    optional = True
                    pos = end
        grp = group_text(masked, pos)
        if grp is None:
            continue
        body = grp[0]
        line, _col = line_of(m.start())
        provide = (m.group("cmd") or "").startswith("provide")
        out.append(
            UserMacro(
                name, nargs, optional, body, file, line, provide=provide, at=m.start(), spec=argspec
            )
        )
    for m in LET.finditer(masked):
        line, _col = line_of(m.start())
        name, target = m.group("name"), m.group("target")
        out.append(UserMacro(name, 0, False, "", file, line, let=target, at=m.start()))
    out.sort(key=lambda u: u.at)
    return out


_PATH_TEXT = re.compile(r"[\w./:+-]+")


def path_texts(table: MacroTable, defs: list[UserMacro]) -> dict[str, str]:
    """Argument-less macros defined once, whose body is plain text a key or path can hold:
    {name: text} (one redefined per chapter has no single value to fill in)."""
    times: dict[str, int] = {}
    for d in defs:
        times[d.name] = times.get(d.name, 0) + 1
    candidates = {
        n: m.body.strip()
        for n, m in table.macros.items()
        if times.get(n) == 1 and not m.nargs and not m.optional
    }
    out: dict[str, str] = {}
    for _ in range(4):  # \newcommand{\rundir}{\figdir/run-3}: one such macro inside another
        for n, body in candidates.items():
            if n in out:
                continue
            text = re.sub(
                r"\\([a-zA-Z@]+)(?:\s*\{\})?\s*", lambda c: out.get(c.group(1), c.group(0)), body
            )
            if _PATH_TEXT.fullmatch(text):
                out[n] = text
    return out


def build_table(defs: list[UserMacro], keep: frozenset[str] = frozenset()) -> MacroTable:
    """Resolve roles of all definitions (a wrapper of a wrapper works too); `keep`: helpers an
    input wrapper sets per file, left in the keys (parse/bindings.py fills them in)."""
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
                d = UserMacro(
                    d.name, o.nargs, o.optional, o.body, d.file, d.line, at=d.at, spec=o.spec
                )
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
                name, other.nargs, other.optional, other.body, m.file, m.line, spec=other.spec
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
            d = discarded_args(m, table.macros)
            if d != m.discards:
                m.discards = d
                changed = True
        if not changed:
            break
    # \\newcommand{\\figdir}{figures/deep} in \\includegraphics{\\figdir/#1}: kept in the key,
    # filled in with its text (parse/bindings.py)
    texts = table.path_texts = path_texts(table, defs)
    # a command the paper defines does what its definition says, even a built-in's name
    known: dict[str, list[Role]] = {name: [] for name in table.macros}
    for _ in range(4):
        changed = False
        for name, m in table.macros.items():
            roles = roles_in(m.body, known, table.aliases, keep | set(texts))
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
