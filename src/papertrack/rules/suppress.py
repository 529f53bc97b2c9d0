"""The suppression phase: `% papertrack: ignore PT201` comments and per-file-ignores, then PT901."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.config import Config
from papertrack.findings import Finding, Location
from papertrack.project.source import SourceFile
from papertrack.rules.base import Rule
from papertrack.rules.registry import all_rules
from papertrack.rules.selection import file_ignored, finding, known, matches

UNUSED_SUPPRESSION = "PT901"  # reported here, once it is known which suppressions were used

_DIRECTIVE = re.compile(r"^\s*papertrack:\s*(ignore-file|ignore|off|on)\b\s*(.*)$", re.IGNORECASE)


@dataclass
class Suppression:
    file: str
    line: int
    col: int
    kind: str  # ignore | ignore-file | off
    codes: tuple[str, ...]  # empty = every rule
    lines: range
    used: bool = False

    def matches(self, f: Finding) -> bool:
        if not self.codes:
            return True
        return any(matches(c, f.code, f.name) for c in self.codes)

    def names(self, rule) -> bool:
        """Whether this suppression is meant for `rule` (by code prefix, name or family)."""
        return any(matches(c, rule.code, rule.name) for c in self.codes)


@dataclass
class Suppressions:
    items: list[Suppression] = field(default_factory=list)

    def suppressed(self, f: Finding) -> bool:
        if f.location is None:
            return False
        hit = False
        for s in self.items:
            if s.file == f.location.file and f.location.line in s.lines and s.matches(f):
                s.used = True
                hit = True
        return hit


def _codes(text: str) -> tuple[str, ...]:
    """The selectors of a directive; a reason may follow after `--`."""
    text = re.split(r"\s--|\s—", " " + text, maxsplit=1)[0]
    return tuple(x for x in re.split(r"[\s,]+", text.strip()) if x)


def _alone(src: SourceFile, line: int, col: int, starts: list[int]) -> bool:
    """Whether the comment at line:col is the only thing on its line (only blanks before it)."""
    if not starts:  # built once per file, and only for files that have a directive
        starts.append(0)
        starts.extend(m.end() for m in re.finditer("\n", src.text))
    if line > len(starts):
        return False
    start = starts[line - 1]
    return not src.text[start : start + col - 1].strip()


def collect(files: dict[str, SourceFile]) -> Suppressions:
    """Read the directives of every reachable file."""
    out = Suppressions()
    for rel, src in files.items():
        n_lines = src.text.count("\n") + 2
        open_block: tuple[int, int, tuple[str, ...]] | None = None
        starts: list[int] = []
        for c in src.comments:
            m = _DIRECTIVE.match(c.text)
            if not m:
                continue
            kind = m.group(1).lower()
            codes = _codes(m.group(2))
            if kind == "ignore":
                # a comment alone on its line covers the next line; a trailing one its own line
                # (README: `\ref{x}  % papertrack: ignore PT101` is "this line")
                first = c.line + 1 if _alone(src, c.line, c.col, starts) else c.line
                out.items.append(
                    Suppression(rel, c.line, c.col, kind, codes, range(first, first + 1))
                )
            elif kind == "ignore-file":
                out.items.append(Suppression(rel, c.line, c.col, kind, codes, range(1, n_lines)))
            elif kind == "off":
                open_block = (c.line, c.col, codes)
            elif kind == "on" and open_block:
                line, col, cs = open_block
                out.items.append(Suppression(rel, line, col, "off", cs, range(line, c.line + 1)))
                open_block = None
        if open_block:
            line, col, cs = open_block
            out.items.append(Suppression(rel, line, col, "off", cs, range(line, n_lines)))
    return out


def apply(
    files: dict[str, SourceFile],
    findings: list[Finding],
    cfg: Config,
    active: list[Rule],
    overruled: list[Finding] = (),
) -> tuple[list[Finding], int]:
    """Drop suppressed and per-file-ignored findings; add PT901 for suppressions that did nothing.

    `overruled` are findings the build record replaced: a suppression of one still did its job.
    Returns the kept findings (sorted) and how many were suppressed.
    """
    sup = collect(files)
    for f in overruled:
        sup.suppressed(f)
    kept: list[Finding] = []
    n_suppressed = 0
    for f in findings:
        if sup.suppressed(f) or file_ignored(cfg, f):
            n_suppressed += 1
        else:
            kept.append(f)
    meta = next((r for r in active if r.code == UNUSED_SUPPRESSION), None)
    if meta is not None:
        kept.extend(_unused(sup, cfg, meta, active))
    kept.sort(key=Finding.sort_key)
    return kept, n_suppressed


def _unused(sup: Suppressions, cfg: Config, meta: Rule, active: list[Rule]) -> list[Finding]:
    """PT901: selectors that name no rule, and suppressions that suppressed nothing."""
    out: list[Finding] = []
    rules = all_rules().values()
    for s in sup.items:
        where = Location(s.file, s.line, s.col)
        unknown = [c for c in s.codes if not known(c, rules)]
        if unknown:  # a typo suppresses nothing, whether or not its neighbours do
            names = ", ".join(f"'{c}'" for c in unknown)
            msg = f"'papertrack: {s.kind}' names no rule: {names}"
            fix = "use a code, name or family from `papertrack rules`"
            out.append(finding(cfg, meta, msg, where, fix))
        known_codes = [c for c in s.codes if c not in unknown]
        if s.used or (s.codes and not any(s.names(r) for r in active)):
            continue  # a suppression for rules that did not run this time cannot be judged
        if s.codes and not known_codes:
            continue  # said above
        what = " ".join(known_codes) or "all rules"
        msg = f"'papertrack: {s.kind}' for {what} suppresses nothing"
        out.append(finding(cfg, meta, msg, where, "remove the comment"))
    return out
