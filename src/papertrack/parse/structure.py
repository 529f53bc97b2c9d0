"""Brace, environment and math balance: what pylatexenc's tolerant mode silently hides."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from papertrack.facts import Diagnostic

_TOKEN = re.compile(
    r"\\(?P<be>begin|end)\s*\{(?P<env>[^{}\n]*)\}"
    r"|\\(?P<def>(?:new|renew|provide)command|DeclareRobustCommand|(?:g|e|x)?def|(?:new|renew)environment"
    r"|(?:New|Renew|Provide|Declare)Document(?:Command|Environment)|newtheorem|let"
    r"|defbibheading|defbibenvironment|(?:re)?newbibmacro|DeclareFieldFormat|(?:re)?newrobustcmd)(?![a-zA-Z@])"
    r"|\\[a-zA-Z@]+|\\[^a-zA-Z@]|(?P<brace>[{}])|(?P<dollar>\$\$?)|(?P<par>\n[ \t]*(?=\n))"
)
MAX_DEPTH = 200  # deeper than this, pylatexenc's recursive parser would overflow
MAX_PER_KIND = 10  # problems of one kind listed per file; the rest are counted in one finding

LineCol = Callable[[int], tuple[int, int]]


# what precedes a `{` that opens a macro's argument: the macro's name, or its previous argument
_ARGUMENT_BEFORE = re.compile(r"(?:\\[A-Za-z@]+\*?|[\]}])[ \t]*\n?[ \t]*\Z")


def check_structure(
    rel: str, text: str, line_col: LineCol, *, is_root: bool
) -> tuple[list[Diagnostic], int]:
    """Diagnostics for unbalanced braces/environments/math in one file, and the deepest nesting.

    `text` is the masked text: a line that held only a comment or a skipped branch keeps a `%`
    there (source.keep_comment_lines), so only a line empty in the source reads as a \\par."""
    diags: list[Diagnostic] = []
    braces: list[int] = []
    envs: list[tuple[str, int]] = []
    math: dict[int, tuple[str, int]] = {}  # brace depth -> (delimiter, pos)
    suspend_at: int | None = None  # brace depth of a definition whose body we are in
    max_depth = 0

    def report(kind: str, pos: int, msg: str, extra: str | None = None) -> None:
        line, col = line_col(pos)
        diags.append(Diagnostic(kind, rel, line, col, msg, extra))

    def next_char(pos: int) -> str:
        m = re.compile(r"[ \t]*(\S?)").match(text, pos)
        return m.group(1) if m else ""

    for m in _TOKEN.finditer(text):
        if m.group("brace"):
            if m.group() == "{":
                braces.append(m.start())
                max_depth = max(max_depth, len(braces))
            else:
                depth = len(braces)
                if not braces:
                    report("unbalanced-brace", m.start(), "'}' closes no open brace")
                    continue
                if (
                    depth in math
                    and math[depth][0] == "$$"
                    and not text[math[depth][1] + 2 : m.start()].strip(" \t\n%")
                ):
                    math.pop(depth)  # \mbox{$$}: an empty formula in a box, no display
                if depth in math and suspend_at is None:
                    delim, mpos = math.pop(depth)
                    line, _ = line_col(mpos)
                    report(
                        "unclosed-math",
                        mpos,
                        f"math opened with {delim} is still open when its group ends",
                    )
                math.pop(depth, None)
                braces.pop()
                if (
                    suspend_at is not None
                    and len(braces) == suspend_at
                    and next_char(m.end()) not in ("{", "[")
                ):
                    suspend_at = None
            continue
        if m.group("def"):
            if suspend_at is None:
                suspend_at = len(braces)
            continue
        if suspend_at is not None:
            continue
        if m.group("be"):
            env = m.group("env").strip()
            if m.group("be") == "begin":
                envs.append((env, m.start()))
            elif envs and envs[-1][0] == env:
                envs.pop()
            elif any(e == env for e, _ in envs):
                # the environments opened inside it were never closed
                while envs and envs[-1][0] != env:
                    name, pos = envs.pop()
                    report(
                        "unclosed-environment",
                        pos,
                        f"\\begin{{{name}}} is never closed (\\end{{{env}}} comes first)",
                    )
                envs.pop()
            elif envs:
                name, pos = (
                    envs.pop()
                )  # most likely a typo in one of the two names, as LaTeX assumes
                line, _ = line_col(pos)
                report(
                    "mismatched-end",
                    m.start(),
                    f"\\end{{{env}}} closes \\begin{{{name}}} from line {line}",
                )
            elif env != "document" or is_root:
                # a footer file \input at the end (\bibliography ... \end{document}) closes
                # the document a header file opened: TeX reads them as one text
                report(
                    "mismatched-end",
                    m.start(),
                    f"\\end{{{env}}} without a matching \\begin{{{env}}}",
                )
            continue
        if m.group("dollar"):
            depth = len(braces)
            if m.group() == "$$" and math.get(depth, ("",))[0] == "$":
                # `$\approx$$10^4$`: in inline math TeX reads `$` alone (it ends the math),
                # so the second `$` opens the next formula, not a display
                math[depth] = ("$", m.start() + 1)
            elif depth in math and math[depth][0] == "$$" and m.group() == "$":
                # a display never ends with one `$`: the `$$` was an empty formula (a TikZ
                # label list `6.5/$$/c, 8/$c$/d` typesets each in a box) and this `$` opens
                # the next one
                math[depth] = ("$", m.start())
            elif depth in math:
                del math[depth]
            else:
                math[depth] = (m.group(), m.start())
            continue
        if m.group("par") and math:
            for _depth, (delim, pos) in sorted(math.items()):
                report(
                    "unclosed-math",
                    pos,
                    f"math opened with {delim} is not closed before the paragraph ends",
                )
            math.clear()
            continue
        tok = m.group()
        if tok in ("\\(", "\\["):
            math[len(braces)] = (tok, m.start())
        elif tok in ("\\)", "\\]"):
            math.pop(len(braces), None)
    for pos in braces[:1]:
        # a bare group left open only makes TeX note "\end occurred inside a group"; a macro's
        # argument left open is an error ("File ended while scanning use of \textbf")
        argument = _ARGUMENT_BEFORE.search(text, max(0, pos - 80), pos) is not None
        report(
            "unbalanced-brace",
            pos,
            f"'{{' is never closed ({len(braces)} open at end of file)",
            None if argument else "open-at-end",
        )
    for delim, pos in math.values():
        report("unclosed-math", pos, f"math opened with {delim} is never closed")
    for env, pos in envs:
        # a file included into the body may legitimately close what its parent opened; only
        # report unclosed environments in files that close nothing foreign (precision first)
        if env == "document" and not is_root:
            continue
        report("unclosed-environment", pos, f"\\begin{{{env}}} is never closed in this file")
    return _capped(diags), max_depth


def _capped(diags: list[Diagnostic]) -> list[Diagnostic]:
    """The first MAX_PER_KIND problems of each kind, then one finding that counts the rest.

    10,000 unclosed \\begin{itemize} in a generated file are one problem, not 10,000 findings.
    """
    total = Counter(d.rule for d in diags)
    seen: Counter[str] = Counter()
    out: list[Diagnostic] = []
    for d in diags:
        seen[d.rule] += 1
        if seen[d.rule] <= MAX_PER_KIND:
            out.append(d)
        elif seen[d.rule] == MAX_PER_KIND + 1:
            n = total[d.rule] - MAX_PER_KIND
            what = d.rule.replace("-", " ")
            msg = f"{n} more {what} problem{'s' if n != 1 else ''} in this file, not listed one by one"
            out.append(Diagnostic(d.rule, d.file, d.line, d.col, msg))
    return out
