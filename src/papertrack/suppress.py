"""Inline suppressions in LaTeX comments: `% papertrack: ignore PT201`, off/on blocks, file-wide."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.findings import Finding
from papertrack.project.source import SourceFile

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
        return any(f.code.startswith(c.upper()) or f.name == c.lower() for c in self.codes)

    def names(self, rule) -> bool:
        """Whether this suppression is meant for `rule` (by code prefix or name)."""
        return any(rule.code.startswith(c.upper()) or rule.name == c.lower() for c in self.codes)


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


def collect(files: dict[str, SourceFile]) -> Suppressions:
    """Read the directives of every reachable file."""
    out = Suppressions()
    for rel, src in files.items():
        n_lines = src.text.count("\n") + 2
        open_block: tuple[int, int, tuple[str, ...]] | None = None
        for c in src.comments:
            m = _DIRECTIVE.match(c.text)
            if not m:
                continue
            kind = m.group(1).lower()
            codes = tuple(x for x in re.split(r"[\s,]+", m.group(2).strip()) if x)
            if kind == "ignore":
                # a comment alone on its line covers the next line; a trailing one its own line
                out.items.append(
                    Suppression(rel, c.line, c.col, kind, codes, range(c.line, c.line + 2))
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
