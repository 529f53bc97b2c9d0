"""What a venue profile holds (limits, counting, requirements, detection, anonymity), and how it reads."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from papertrack.errors import PapertrackError

STAGES = ("review", "camera-ready", "rebuttal")
DEFAULT_STAGES = ("review", "camera-ready")
USER_VENUES_DIR = Path(".papertrack") / "venues"

# Spellings accepted after `--venue NAME:`; each maps to one stage of STAGES.
STAGE_WORDS = {
    "review": "review",
    "submission": "review",
    "submit": "review",
    "anonymous": "review",
    "camera-ready": "camera-ready",
    "cameraready": "camera-ready",
    "camera": "camera-ready",
    "final": "camera-ready",
    "accepted": "camera-ready",
    "rebuttal": "rebuttal",
}
IDENT = re.compile(r"^[a-z][a-z0-9]*$")
MACRO = re.compile(r"^[A-Za-z@]+$")


class VenueError(PapertrackError):
    """A venue profile or a --venue argument that papertrack cannot use (exit code 2)."""


@dataclass(frozen=True)
class Counting:
    """What counts towards the page limit in one mode."""

    references: bool = False
    appendix: bool = False
    exempt_headings: tuple[str, ...] = ()
    counted_headings: tuple[str, ...] = ()
    exempt_after_macros: tuple[str, ...] = ()


@dataclass(frozen=True)
class Requirements:
    """Headings a paper must have, and headings or macros it must not have, in one mode."""

    headings: tuple[str, ...] = ()
    forbidden_headings: tuple[str, ...] = ()
    forbidden_macros: tuple[str, ...] = ()


@dataclass(frozen=True)
class DetectRules:
    """How to recognise a venue's template and tell its mode from options and macros."""

    packages: tuple[re.Pattern[str], ...] = ()
    classes: tuple[re.Pattern[str], ...] = ()
    class_options: tuple[str, ...] = ()
    default_stage: str = "review"
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    macros: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class AnonymitySwitch:
    """How a venue template decides whether its build prints the author block."""

    packages: tuple[re.Pattern[str], ...] = ()
    classes: tuple[re.Pattern[str], ...] = ()
    default_anonymous: bool = False  # what the template prints when no option or macro says
    anonymous_options: tuple[str, ...] = ()  # lower case
    named_options: tuple[str, ...] = ()  # lower case; win over anonymous options
    named_macros: tuple[str, ...] = ()
    # older kits: when the paper's copy of the style (or the source) mentions this macro, the
    # build is anonymous without it; "{package}" stands for the package name (\cvprfinalcopy)
    legacy_macro: str = ""
    hidden_environments: tuple[str, ...] = ()  # environments the anonymous build drops
    title_macros: tuple[str, ...] = ("maketitle",)


@dataclass(frozen=True)
class VenueProfile:
    """One venue's rules for one year (or a few years), as read from its TOML file."""

    name: str
    year: int
    source: str
    aliases: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    notes: str = ""
    unconfirmed: tuple[str, ...] = ()
    double_blind: bool | None = None
    abstract_words: int | None = None
    variants: tuple[str, ...] = ()
    stages: tuple[str, ...] = DEFAULT_STAGES
    pages: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    counting: Mapping[str, Counting] = field(default_factory=lambda: MappingProxyType({}))
    requirements: Mapping[str, Requirements] = field(default_factory=lambda: MappingProxyType({}))
    detect: DetectRules = field(default_factory=DetectRules)
    anonymity: AnonymitySwitch | None = None
    path: Path | None = None
    origin: str = "shipped"

    @property
    def key(self) -> str:
        """A stable id for the profile, e.g. `neurips-2024`."""
        return slug(self.name)

    @property
    def modes(self) -> tuple[str, ...]:
        """Every mode this venue knows: stages, or `variant-stage` when it has variants."""
        if not self.variants:
            return self.stages
        return tuple(f"{v}-{s}" for v in self.variants for s in self.stages)

    @property
    def default_mode(self) -> str:
        """The mode used when neither --venue nor the source tells one (modes.resolve_mode with
        nothing asked for or detected; the schema checks that the default stage exists)."""
        stage = self.detect.default_stage
        return f"{self.variants[0]}-{stage}" if self.variants else stage

    def is_unconfirmed(self, field: str) -> bool:
        """Whether `field` (e.g. `pages.review`) or a table holding it is listed as unconfirmed."""
        return any(field == u or field.startswith(u + ".") for u in self.unconfirmed)

    def describe(self) -> list[tuple[str, str]]:
        """(field, value) rows for display; unconfirmed values are marked."""
        rows: list[tuple[str, str]] = [("name", self.name)]
        if self.aliases:
            rows.append(("aliases", ", ".join(self.aliases)))
        rows.append(("years", ", ".join(str(y) for y in self.years)))
        rows.append(("source", self.source))
        rows.append(("double-blind", self._mark("double_blind", _yes_no(self.double_blind))))
        words = "not known" if self.abstract_words is None else str(self.abstract_words)
        rows.append(("abstract words", self._mark("abstract_words", words)))
        rows.append(("modes", ", ".join(self.modes) + f" (default {self.default_mode})"))
        for mode in self.modes:
            limit = self.pages.get(mode)
            shown = "not known" if limit is None else _number(limit)
            rows.append((f"pages {mode}", self._mark(f"pages.{mode}", shown)))
        not_counted = {m: _describe_counting(self.counting[m]) for m in self.modes}
        rows += _mode_rows("not counted", not_counted)
        counted = sorted({h for c in self.counting.values() for h in c.counted_headings})
        if counted:
            rows.append(("counted", ", ".join(counted)))
        required = {m: ", ".join(self.requirements[m].headings) for m in self.modes}
        rows += _mode_rows("required headings", required)
        forbidden = {m: _describe_forbidden(self.requirements[m]) for m in self.modes}
        rows += _mode_rows("forbidden", forbidden)
        rows.append(("detect", _describe_detect(self.detect)))
        rows.append(("unconfirmed", ", ".join(self.unconfirmed) or "-"))
        if self.notes:
            rows.append(("notes", self.notes))
        if self.path is not None:
            rows.append(("file", f"{self.path} ({self.origin})"))
        return rows

    def _mark(self, field: str, value: str) -> str:
        return f"{value} (unconfirmed)" if self.is_unconfirmed(field) else value


@dataclass(frozen=True)
class VenueArg:
    """A parsed `--venue NAME[:MODE]`; missing parts are filled in by `resolve_mode`."""

    name: str
    variant: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class Detection:
    """The venue a paper's preamble points to, the mode, and why."""

    profile: VenueProfile
    mode: str
    evidence: str
    notes: tuple[str, ...] = ()
    year: int | None = None  # the year the style names, when it names one

    @property
    def before_profile(self) -> bool:
        """The style is older than every year the profile's rules are known for."""
        return self.year is not None and self.year < min(self.profile.years or (self.profile.year,))


def compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", text).casefold()).strip("-")


def _yes_no(value: bool | None) -> str:
    return "not known" if value is None else ("yes" if value else "no")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _describe_counting(rules: Counting) -> str:
    parts = [
        name
        for name, counted in (("references", rules.references), ("appendix", rules.appendix))
        if not counted
    ]
    parts += rules.exempt_headings
    parts += [f"after \\{m}" for m in rules.exempt_after_macros]
    return ", ".join(parts) or "-"


def _describe_forbidden(req: Requirements) -> str:
    return ", ".join([*req.forbidden_headings, *(f"\\{m}" for m in req.forbidden_macros)])


def _mode_rows(label: str, by_mode: dict[str, str]) -> list[tuple[str, str]]:
    """One row when every mode agrees, else one row per mode; empty values are left out."""
    if len(set(by_mode.values())) == 1:
        value = next(iter(by_mode.values()))
        return [(label, value)] if value else []
    return [(f"{label} ({mode})", value) for mode, value in by_mode.items() if value]


def _describe_detect(rules: DetectRules) -> str:
    parts = [f"package {p.pattern}" for p in rules.packages]
    for pattern in rules.classes:
        opts = f" with [{','.join(rules.class_options)}]" if rules.class_options else ""
        parts.append(f"class {pattern.pattern}{opts}")
    maps = [f"[{o}] {s}" for o, s in rules.options.items()]
    maps += [f"\\{m} {s}" for m, s in rules.macros.items()]
    maps.append(f"otherwise {rules.default_stage}")
    return "; ".join(parts or ["never (name it with --venue)"]) + "; " + ", ".join(maps)
