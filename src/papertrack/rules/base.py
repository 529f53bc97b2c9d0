"""What a rule is: a small function with a stable code, a name and its docs, registered by @rule."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papertrack.findings import Location, Severity

if TYPE_CHECKING:
    from papertrack.config import Config
    from papertrack.model.document import Document


@dataclass
class Hit:
    """What a rule yields; the engine adds code, name and severity."""

    message: str
    location: Location | None = None
    fix: str | None = None
    severity: Severity | None = None  # overrides the rule's default for this one hit
    related: tuple[Location, ...] = ()


CheckFn = Callable[["Document", "Config"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: CheckFn

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[:4]) or FAMILIES.get(self.code[:3], "other")


FAMILIES = {
    "PT0": "project",
    "PT1": "references",
    "PT2": "citations",
    "PT3": "progress",
    # a family inside PT3xx: text as it will look in print. Not in PT4xx, which holds only
    # what TeX itself would reject (false by definition on a paper that compiles)
    "PT35": "typography",
    "PT4": "structure",
    "PT5": "pages",
    "PT6": "anonymity",
    "PT7": "compile",
    "PT8": "figures",
    "PT9": "papertrack",
}

REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, summary: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function; its docstring is the rule's documentation."""

    def deco(fn: CheckFn) -> CheckFn:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        REGISTRY[code] = Rule(
            code, name, Severity.parse(severity), summary, inspect.cleandoc(fn.__doc__ or ""), fn
        )
        return fn

    return deco


def diagnostic_rule(code: str, name: str, severity: str, summary: str, doc: str) -> None:
    """A rule that reports what the loader or parser recorded under the same name."""

    def check(document: Document, _config: Config) -> Iterator[Hit]:
        for d in document.diagnostics_for(name):
            yield Hit(d.message, Location(d.file, d.line, d.col))

    check.__doc__ = doc
    rule(code, name, severity, summary)(check)


def loc(obj) -> Location:
    """Location of any model item with file/line/col attributes."""
    return Location(obj.file, obj.line, getattr(obj, "col", 1))
