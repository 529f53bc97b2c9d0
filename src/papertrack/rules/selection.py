"""Rule selectors: the one matcher behind select, ignore, [severity], per-file-ignores and `% papertrack:`.

A selector is `ALL`, a code prefix (`PT1`, `PT10`, `PT101`), a rule name
(`undefined-reference`) or a family (`references`), case-insensitive. Every place that accepts
selectors uses these functions, so a selector means the same thing everywhere.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import TYPE_CHECKING

from papertrack.config import where_in
from papertrack.errors import PapertrackError
from papertrack.findings import Finding, Location, Severity
from papertrack.rules.base import FAMILIES, Rule
from papertrack.rules.registry import all_rules

if TYPE_CHECKING:
    from papertrack.config import Config


def matches(selector: str, code: str, name: str) -> bool:
    """Whether `selector` names the rule (or a finding of the rule) `code`/`name`."""
    s = selector.strip()
    if not s:
        return False
    upper = s.upper()
    if upper == "ALL":
        return True
    if upper.startswith("PT"):
        return code.startswith(upper)
    low = s.lower()
    return low == name or low == FAMILIES.get(code[:4], FAMILIES.get(code[:3]))


def specificity(selector: str, code: str, name: str) -> int:
    """How exactly `selector` names the rule, for "the most specific selector wins".

    A full code beats a shorter prefix, a name beats a prefix, any prefix beats a family, and a
    family beats ALL.
    """
    s = selector.strip()
    if s.upper() == "ALL":
        return 0
    if s.upper().startswith("PT"):
        return 2 + len(s)  # PT1 -> 5, PT101 -> 7
    return 10 if s.lower() == name else 1


def known(selector: str, rules: Iterable[Rule]) -> bool:
    """Whether `selector` names at least one rule (ALL always does)."""
    return selector.strip().upper() == "ALL" or any(
        matches(selector, r.code, r.name) for r in rules
    )


def validate(selectors: Iterable[str], rules: dict[str, Rule], where: str) -> None:
    """Unknown codes, names or families are a usage error (exit 2) naming where they came from."""
    for s in selectors:
        if not known(s, rules.values()):
            raise PapertrackError(
                f"{where}: '{s}' matches no rule", hint="`papertrack rules` lists codes and names"
            )


def validate_config(cfg: Config, rules: dict[str, Rule]) -> None:
    """Every selector of the settings (select, ignore, [severity], [per-file-ignores]) is known."""
    src = cfg.source

    def where(key: str, entry: str | None = None) -> str:  # the config's path:line, or the flags
        return where_in(src, key, entry) if src else "command line"

    validate(cfg.select, rules, where("select"))
    validate(cfg.ignore, rules, where("ignore"))
    for code in cfg.severity:
        validate([code], rules, where("severity", code))
    for pattern, codes in cfg.per_file_ignores.items():
        validate(
            codes, rules, f'{where("per-file-ignores", pattern)}: [per-file-ignores] "{pattern}"'
        )


def active_rules(cfg: Config) -> list[Rule]:
    """The rules this run uses: selected, not ignored, not set to "off" (selectors validated)."""
    rules = all_rules()
    validate_config(cfg, rules)
    out = []
    for r in rules.values():
        if cfg.select and not any(matches(s, r.code, r.name) for s in cfg.select):
            continue
        if any(matches(s, r.code, r.name) for s in cfg.ignore):
            continue
        if override(cfg, r) == "off":
            continue
        out.append(r)
    return out


def override(cfg: Config, r: Rule) -> str | None:
    """The [severity] level set for `r`; the most specific selector wins (code > prefix > family)."""
    best: tuple[int, str] | None = None
    for sel, level in cfg.severity.items():
        if matches(sel, r.code, r.name):
            spec = specificity(sel, r.code, r.name)
            if best is None or spec > best[0]:
                best = (spec, level)
    return best[1] if best else None


def finding(
    cfg: Config,
    r: Rule,
    message: str,
    location: Location | None,
    fix: str | None = None,
    severity: Severity | None = None,
    related: Iterable[Location] = (),
) -> Finding:
    """A Finding of rule `r` with the configured severity (which beats a rule's per-hit one)."""
    level = override(cfg, r)
    sev = Severity.parse(level) if level and level != "off" else (severity or r.severity)
    return Finding(r.code, r.name, sev, message, location, fix, list(related))


def file_ignored(cfg: Config, f: Finding) -> bool:
    """Whether [per-file-ignores] drops `f` (its file matches a pattern naming its rule)."""
    if not f.location or not cfg.per_file_ignores:
        return False
    return any(
        fnmatch.fnmatch(f.location.file, pattern) and any(matches(c, f.code, f.name) for c in codes)
        for pattern, codes in cfg.per_file_ignores.items()
    )
