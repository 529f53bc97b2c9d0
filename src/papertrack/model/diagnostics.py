"""Problems found while loading and parsing, before any rule runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Diagnostic:
    """A loader or parser problem; the rule whose name matches turns it into a finding."""

    rule: str
    file: str
    line: int
    col: int
    message: str
    extra: str | None = None
