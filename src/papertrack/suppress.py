"""Inline suppressions in LaTeX comments: `% papertrack: ignore PT201`, off/on blocks, file-wide."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.findings import Finding
from papertrack.project.source import SourceFile
from papertrack.rules.selection import matches

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
