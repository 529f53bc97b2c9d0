"""The prose and the formulas of a file's visible text, for typography checks.

The loader already blanked comments, verbatim, \\iffalse and dead branches. This pass blanks,
in place (offsets and line breaks kept), what is not running text: the preamble, macro names
and their optional arguments, keys and paths (\\label, \\cite, \\url, ...), definition bodies,
non-prose environments (tables, pictures, code), and math, whose formulas are kept aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.parse import knownmacros as mc
from papertrack.parse.vocabulary import (
    CODE_MACROS,
    DEFINITION_MACROS,
    DISPLAY_ENVS,
    NON_PROSE_ENVS,
    NOT_TEXT_MACROS,
)
from papertrack.project.braces import group_end

# Arguments that are keys, paths, colours or lengths, never prose.
_KEY_ARG_MACROS = (
    mc.REF_MACROS
    | mc.CITE_MACROS
    | mc.LABEL_MACROS
    | mc.GRAPHICS_MACROS
    | CODE_MACROS
    | NOT_TEXT_MACROS
    | frozenset(
        [
            "nolinkurl",
            "usepackage",
            "RequirePackage",
            "bibliography",
            "nocite",
            "hspace",
            "vspace",
            "textcolor",
            "color",
            "colorbox",
            "setlength",
            "addtolength",
            "pagestyle",
            "thispagestyle",
            "newcounter",
            "fontsize",
            "linespread",
            "newtheorem",
            "theoremstyle",
            "captionsetup",
            "renewcommand",
            "newcommand",
            "providecommand",
            "pgfplotsset",
            "tikzset",
            "usetikzlibrary",
            "definecolor",
            "bibitem",
            "glsadd",
            "gls",
            "Gls",
            "glspl",
            "Glspl",
            "acrshort",
            "acrlong",
            "acrfull",
            "ac",
            "acp",
            "Ac",
            "acs",
            "acl",
        ]
    )
)
_MATH_ENVS = frozenset(e for base in DISPLAY_ENVS for e in (base, base + "*"))
# code environments a paper or its own .sty defines (\lstnewenvironment{reactcode})
_CODE_ENV = re.compile(r"code|listing|verbatim|minted|lst|program|console|algorithm", re.I)
_SKIP_ENVS = (NON_PROSE_ENVS - _MATH_ENVS) | frozenset(
    [
        "thebibliography",
        "tikzcd",
        "forest",
        "dot2tex",
        "lstlisting",
        "minted",
        "verbatim",
        "filecontents",
        "algorithmic",
        "algorithm2e",
        "pseudocode",
        "tabbing",
    ]
)
_TOKEN = re.compile(
    r"\\begin\s*\{(?P<begin>[^{}\n]+)\}"
    r"|\\end\s*\{(?P<end>[^{}\n]+)\}"
    r"|(?P<dd>\$\$)|(?P<d>\$)|\\(?P<mo>[(\[])"
    r"|\\(?P<esc>[^a-zA-Z@])"
    r"|\\(?P<name>[a-zA-Z@]+)(?P<star>\*?)"
)
_NOT_NEWLINE = re.compile(r"[^\n]")
_OPEN_GROUP = re.compile(r"[ \t]*\n?[ \t]*([\[{])")


@dataclass
class Formula:
    """One formula: its text and where it starts in the file."""

    start: int
    text: str
    display: bool


@dataclass
class Prose:
    """A file's prose (same length as its text; non-prose blanked) and its formulas."""

    rel: str
    text: str
    formulas: list[Formula] = field(default_factory=list)


def _args_end(text: str, pos: int, braces: int, brackets: bool = True) -> int:
    """Skip up to `braces` {..} groups and any [..] groups right after pos."""
    while True:
        m = _OPEN_GROUP.match(text, pos)
        if not m:
            return pos
        kind = m.group(1)
        if kind == "[" and not brackets:
            return pos
        if kind == "{" and braces <= 0:
            return pos
        # `\twocolumn[` right after the name: a \long argument that spans paragraphs
        long = kind == "[" and m.start(1) == pos
        close = "}" if kind == "{" else "]"
        end = group_end(text, m.start(1), open_=kind, close=close, par_ends=not long)
        if end is None:
            return pos
        if kind == "{":
            braces -= 1
        pos = end


_VERBATIM_ARG = re.compile(r"[ \t]*(?:\{[a-zA-Z]*\}(?=\{))?\{([^}\n]*)\}")
# \\texttt{\\{x\\}} reads its argument as TeX does: an escaped brace does not end it
_TT_ARG = re.compile(r"[ \t]*(?:\{[a-zA-Z]*\}(?=\{))?\{((?:\\.|[^}\\\n])*)\}")
# the macros that read their argument verbatim, up to the first }
_VERBATIM_MACROS = frozenset(["lstinline", "mintinline", "verb", "path"])


def _verbatim_arg_end(text: str, pos: int, name: str = "") -> int:
    """After a verbatim macro's {argument}: up to the first } as \\mintinline reads it, or (for
    a key macro's) past escaped braces."""
    pattern = _VERBATIM_ARG if name in _VERBATIM_MACROS else _TT_ARG
    m = pattern.match(text, pos)
    return m.end() if m else _args_end(text, pos, 1)


def _math_end(text: str, pos: int, closer: str) -> int:
    """Index of the closing delimiter of math that opened before pos (or -1)."""
    i = pos
    n = len(text)
    while i < n:
        j = text.find(closer, i)
        if j < 0:
            return -1
        para = text.find("\n\n", i, j)
        if para >= 0 and closer in ("$", "$$", "\\)"):
            return -1
        if j > 0 and text[j - 1] == "\\" and closer[0] == "$":
            i = j + 1
            continue
        return j
    return -1


def extract(rel: str, text: str, is_root: bool, key_macros: frozenset[str] = frozenset()) -> Prose:
    """Blank everything that is not prose; keep formulas aside. `key_macros`: the paper's own
    macros whose next argument is code or a key (`\\newcommand{\\hs}{\\mintinline{haskell}}`)."""
    out = Prose(rel, "")
    spans: list[tuple[int, int]] = []  # blanked, in order and disjoint (pos only moves on)

    def blank(a: int, b: int) -> None:
        if b > a:
            spans.append((a, b))

    pos = 0
    if is_root:
        m = re.search(r"\\begin\s*\{document\}", text)
        if m is None:
            out.text = re.sub(r"[^\n]", " ", text)
            return out
        pos = m.end()
        blank(0, pos)
    n = len(text)
    while pos < n:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        start = m.start()
        if m.group("begin") is not None:
            env = m.group("begin").strip()
            if env in _MATH_ENVS or env in _SKIP_ENVS or _CODE_ENV.search(env):
                # verbatim ends at the first \end of its name; other environments nest
                verbatim = _CODE_ENV.search(env) or env.startswith("filecontents")
                c = _env_close(text, m.end(), env, nests=not verbatim)
                stop = c.end() if c else n
                if env in _MATH_ENVS:
                    body_end = c.start() if c else n
                    out.formulas.append(Formula(m.end(), text[m.end() : body_end], True))
                blank(start, stop)
                pos = stop
                continue
            end = _args_end(
                text,
                m.end(),
                2 if env in ("minipage", "subfigure", "subtable", "wrapfigure", "multicols") else 0,
            )
            blank(start, end)
            pos = end
        elif m.group("end") is not None:
            blank(start, m.end())
            pos = m.end()
        elif m.group("dd") or m.group("d") or m.group("mo"):
            opener = m.group()
            closer = {"$$": "$$", "$": "$", "\\(": "\\)", "\\[": "\\]"}[opener]
            j = _math_end(text, m.end(), closer)
            if j < 0:
                blank(start, m.end())  # PT404 reports unclosed math; read on as prose
                pos = m.end()
                continue
            out.formulas.append(Formula(m.end(), text[m.end() : j], opener in ("$$", "\\[")))
            blank(start, j + len(closer))
            pos = j + len(closer)
        elif m.group("esc") is not None:
            e = m.group("esc")
            stop = m.end()
            if e == "\\":  # a line break \\ and its [length]
                stop = _args_end(text, stop, 0)
            blank(start, stop)
            pos = stop
        else:
            name = m.group("name")
            if name in DEFINITION_MACROS or name in ("def", "gdef", "edef", "xdef", "let"):
                stop = _definition_end(text, m.end(), name)
            elif name in _VERBATIM_MACROS or name in key_macros:
                stop = _verbatim_arg_end(text, m.end(), name)
            elif name in CODE_MACROS:
                # \texttt{f($R_{min}$)}: braces nest, and an escaped \{ is no brace
                stop = _args_end(text, m.end(), 1)
            elif name in _KEY_ARG_MACROS:
                stop = _args_end(text, m.end(), 1)
                if name == "href":
                    stop = _address_text_end(text, m.end(), stop)
            else:
                stop = _args_end(text, m.end(), 0)
            blank(start, stop)
            pos = stop
    parts, last = [], 0
    for a, b in spans:
        a = max(a, last)
        if b <= a:
            continue
        parts.append(text[last:a])
        parts.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        last = b
    parts.append(text[last:])
    out.text = "".join(parts)
    return out


_ADDRESS_ESCAPES = re.compile(r"\\([_%#&~$])")


def _address_text_end(text: str, url_at: int, pos: int) -> int:
    """After \\href's link text when that text is the address itself or a piece of it, as
    authors print a URL for paper copies (split over lines, or over two links): its ( ) and
    quotes are the address's characters, not prose. Else pos, the link text's start."""
    m = _OPEN_GROUP.match(text, pos)
    if not m or m.group(1) != "{":
        return pos
    end = group_end(text, m.start(1))
    u = _OPEN_GROUP.match(text, url_at)
    if end is None or not u or u.group(1) != "{":
        return pos
    url = _ADDRESS_ESCAPES.sub(r"\1", text[u.end() : pos - 1])
    shown = text[m.end() : end - 1]
    if re.search(r"\S[^\S\n]+\S", shown):
        return pos  # words between spaces: a link's name, which is prose
    shown = _ADDRESS_ESCAPES.sub(r"\1", re.sub(r"\s+", "", shown))
    return end if len(shown) >= 4 and shown in url else pos


def _env_close(text: str, pos: int, env: str, nests: bool) -> re.Match[str] | None:
    """The \\end{env} that closes the one begun before pos: a tabular inside a tabular cell
    ends at its own \\end, not the outer one's."""
    tokens = re.compile(r"\\(begin|end)\s*\{" + re.escape(env) + r"\}")
    depth = 1
    for m in tokens.finditer(text, pos):
        if m.group(1) == "begin" and nests:
            depth += 1
        elif m.group(1) == "end":
            depth -= 1
        if depth == 0:
            return m
    return None


def _definition_end(text: str, pos: int, name: str) -> int:
    """Index after a definition: \\newcommand{\\x}[1]{body}, \\def\\x#1{body}, \\let\\a\\b."""
    m = re.compile(r"\s*(\{\\[a-zA-Z@]+\*?\}|\\[a-zA-Z@]+|\\.|\{[^{}]*\})").match(text, pos)
    if m:
        pos = m.end()
    if name == "let":
        m = re.compile(r"\s*=?\s*(\\[a-zA-Z@]+|\\.|.)").match(text, pos)
        return m.end() if m else pos
    if name in ("def", "gdef", "edef", "xdef"):
        m = re.compile(r"[^{]*").match(text, pos)  # the parameter text #1#2
        pos = m.end() if m else pos
        return _args_end(text, pos, 1, brackets=False)
    groups = 2 if "environment" in name.lower() or name in ("crefname", "Crefname") else 1
    if "Document" in name:  # \NewDocumentCommand{\x}{m}{body}: the argument spec too
        groups += 1
    return _args_end(text, pos, groups)
