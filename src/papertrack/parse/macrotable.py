"""A project's user macros: each one's arguments and roles, and the questions the walker asks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from papertrack.parse.knownmacros import BUILTIN_ROLES, KEEP_BUILTIN

# formatting wrappers and spacing commands that leave the printed text as it is
_TEXT_BODY = re.compile(
    r"\\(?:textsc|textbf|textit|textsf|texttt|emph|mbox|text|xspace|ensuremath|sc|bf|it)\b\s*"
)


@dataclass(frozen=True)
class Role:
    """What a user macro does with one of its arguments: `kind` is ref, cite, label, graphics, todo,
    caption, caption-short (a caption's form for the list of figures), heading (`prefix` the
    heading command, `suffix` its star) or appendix."""

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
    spec: str = ""  # an xparse command's arguments as pylatexenc reads them (`*`, `[`, `{`)

    @property
    def argspec(self) -> str:
        if self.spec:
            return self.spec
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
    # argument-less macros defined once as plain text (\\figdir -> figures/deep), for keys and paths
    path_texts: dict[str, str] = field(default_factory=dict)

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
