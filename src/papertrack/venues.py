"""Venue profiles: page limits and counting rules per venue, year and mode, read from TOML files."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from papertrack.config import MAX_PAGES
from papertrack.errors import PapertrackError
from papertrack.paths import templates_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

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

_TOP_KEYS = frozenset(
    [
        "name",
        "aliases",
        "year",
        "years",
        "source",
        "notes",
        "unconfirmed",
        "double_blind",
        "abstract_words",
        "variants",
        "stages",
        "pages",
        "counting",
        "required",
        "forbidden",
        "detect",
        "anonymity",
        "extends",
    ]
)
_COUNTING_KEYS = frozenset(
    ["references", "appendix", "exempt_headings", "counted_headings", "exempt_after_macros"]
)
_REQUIRED_KEYS = frozenset({"headings"})
_FORBIDDEN_KEYS = frozenset({"headings", "macros"})
_DETECT_KEYS = frozenset(
    ["packages", "classes", "class_options", "default_stage", "options", "macros"]
)
_ANONYMITY_KEYS = frozenset(
    [
        "packages",
        "classes",
        "default",
        "anonymous_options",
        "named_options",
        "named_macros",
        "legacy_macro",
        "hidden_environments",
        "title_macros",
    ]
)
_IDENT = re.compile(r"^[a-z][a-z0-9]*$")
_MACRO = re.compile(r"^[A-Za-z@]+$")


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
        return _slug(self.name)

    @property
    def modes(self) -> tuple[str, ...]:
        """Every mode this venue knows: stages, or `variant-stage` when it has variants."""
        if not self.variants:
            return self.stages
        return tuple(f"{v}-{s}" for v in self.variants for s in self.stages)

    @property
    def default_mode(self) -> str:
        """The mode used when neither --venue nor the source tells one."""
        return resolve_mode(self)

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


# --- loading -------------------------------------------------------------------------------


def shipped_venues_dir() -> Path:
    """The folder of profiles shipped with papertrack."""
    return templates_dir() / "venues"


def user_venues_dir(paper_dir: Path) -> Path:
    """The folder of a paper's own profiles: `<paper_dir>/.papertrack/venues/`."""
    return paper_dir / USER_VENUES_DIR


def load_profiles(paper_dir: Path | None = None) -> dict[str, VenueProfile]:
    """Shipped profiles, then the paper's own, which replace shipped ones of the same name."""
    profiles: dict[str, VenueProfile] = {}
    raws: dict[str, dict[str, Any]] = {}
    for path in sorted(shipped_venues_dir().glob("*.toml")):
        raw = _read_toml(path)
        if "extends" in raw:
            raise VenueError(f"{path}: 'extends' is only for profiles in {USER_VENUES_DIR}/")
        _add(profiles, raws, _build(raw, path, "shipped"), raw, replace=False)
    if paper_dir is None:
        return profiles
    user_keys: set[str] = set()
    for path in sorted(user_venues_dir(paper_dir).glob("*.toml")):
        raw = _read_toml(path)
        merged = _extend(raw, path, profiles, raws)
        profile = _build(merged, path, "user")
        if profile.key in user_keys:
            raise VenueError(f"{path}: a second user profile named {profile.name!r}")
        user_keys.add(profile.key)
        _add(profiles, raws, profile, merged, replace=True)
    return profiles


def find_profile(name: str, profiles: Mapping[str, VenueProfile]) -> VenueProfile | None:
    """The profile whose name, key or alias equals `name`, ignoring case and punctuation."""
    wanted = _compact(name)
    if not wanted:
        return None
    for profile in profiles.values():
        if wanted in (_compact(profile.name), _compact(profile.key)):
            return profile
    # Later profiles (the paper's own) win an alias shared with a shipped one.
    for profile in reversed(list(profiles.values())):
        if any(_compact(alias) == wanted for alias in profile.aliases):
            return profile
    return None


def _add(
    profiles: dict[str, VenueProfile],
    raws: dict[str, dict[str, Any]],
    profile: VenueProfile,
    raw: dict[str, Any],
    *,
    replace: bool,
) -> None:
    for key, old in list(profiles.items()):
        if _compact(old.name) == _compact(profile.name):
            if not replace:
                raise VenueError(f"{profile.path}: profile {profile.name!r} is also in {old.path}")
            del profiles[key], raws[key]
    profiles[profile.key] = profile
    raws[profile.key] = raw


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():  # a named pipe would block the open forever
        raise VenueError(f"{path}: not a regular file")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise VenueError(f"{path}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise VenueError(f"{path}: cannot be read: {error}") from None


def _extend(
    raw: dict[str, Any],
    path: Path,
    profiles: Mapping[str, VenueProfile],
    raws: Mapping[str, dict[str, Any]],
) -> dict[str, Any]:
    if "extends" not in raw:
        return raw
    base_name = raw["extends"]
    if not isinstance(base_name, str):
        raise VenueError(f"{path}: extends: expected a profile name, got {base_name!r}")
    base = find_profile(base_name, profiles)
    if base is None:
        raise VenueError(f"{path}: extends: no profile named {base_name!r}")
    own = {k: v for k, v in raw.items() if k != "extends"}
    inherited = dict(raws[base.key])
    if "name" in own and _compact(str(own["name"])) != _compact(base.name):
        # A new venue must not steal the base's aliases (e.g. "NeurIPS").
        inherited.pop("aliases", None)
    if isinstance(inherited.get("unconfirmed"), list) and "unconfirmed" not in own:
        # What the user sets is what the user confirms.
        mine = set(_paths(own))
        inherited["unconfirmed"] = [u for u in inherited["unconfirmed"] if u not in mine]
    return _deep_merge(inherited, own)


def _paths(data: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in data.items():
        yield prefix + key
        if isinstance(value, dict):
            yield from _paths(value, f"{prefix}{key}.")


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --- validation ----------------------------------------------------------------------------


class _Reader:
    """Typed access to one profile's raw TOML data; every problem names the file and field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, problem: str) -> VenueError:
        return VenueError(f"{self.path}: {field}: {problem}")

    def table(self, data: Mapping[str, Any], field: str) -> dict[str, Any]:
        value = data.get(field.rsplit(".", 1)[-1], {})
        if not isinstance(value, dict):
            raise self.fail(field, f"expected a table, got {value!r}")
        return value

    def string(self, data: Mapping[str, Any], key: str, field: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "missing" if value is None else f"expected text, got {value!r}")
        return value.strip()

    def strings(self, data: Mapping[str, Any], key: str, field: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, f"expected a list of non-empty strings, got {value!r}")
        return tuple(v.strip() for v in value)

    def flag(self, data: Mapping[str, Any], key: str, field: str) -> bool | None:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, got {value!r}")
        return value

    def integer(self, data: Mapping[str, Any], key: str, field: str, low: int, high: int) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(field, f"expected a whole number from {low} to {high}, got {value!r}")
        return value

    def keys(self, data: Mapping[str, Any], allowed: Iterable[str], field: str) -> None:
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            where = field or "top level"
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}")

    def patterns(
        self, data: Mapping[str, Any], key: str, field: str
    ) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for text in self.strings(data, key, field):
            try:
                compiled.append(re.compile(text, re.IGNORECASE))
            except re.error as error:
                raise self.fail(field, f"bad regular expression {text!r}: {error}") from None
        return tuple(compiled)

    def macros(self, data: Mapping[str, Any], key: str, field: str) -> tuple[str, ...]:
        names = tuple(name.lstrip("\\") for name in self.strings(data, key, field))
        for name in names:
            if not _MACRO.match(name):
                raise self.fail(field, f"{name!r} is not a macro name")
        return names


def _build(raw: dict[str, Any], path: Path, origin: str) -> VenueProfile:
    r = _Reader(path)
    r.keys(raw, _TOP_KEYS - {"extends"}, "")
    name = r.string(raw, "name", "name", required=True)
    year = r.integer(raw, "year", "year", 1900, 2100)
    listed = raw.get("years", [])
    if not isinstance(listed, list):
        raise r.fail("years", f"expected a list of years, got {listed!r}")
    years = tuple(r.integer({"y": y}, "y", "years", 1900, 2100) for y in listed)
    stages = r.strings(raw, "stages", "stages") or DEFAULT_STAGES
    for stage in stages:
        if stage not in STAGES:
            raise r.fail("stages", f"{stage!r} is not one of {', '.join(STAGES)}")
    variants = r.strings(raw, "variants", "variants")
    for variant in variants:
        if not _IDENT.match(variant) or variant in STAGE_WORDS:
            raise r.fail("variants", f"{variant!r} must be a lower-case word, not a stage")
    modes = [f"{v}-{s}" for v in variants for s in stages] if variants else list(stages)
    words = raw.get("abstract_words")
    if words is not None:
        words = r.integer(raw, "abstract_words", "abstract_words", 1, 10_000)
    unconfirmed = r.strings(raw, "unconfirmed", "unconfirmed")
    for entry in unconfirmed:
        if entry.split(".", 1)[0] not in _TOP_KEYS:
            raise r.fail("unconfirmed", f"{entry!r} does not name a profile field")
    counting_tables = _per_mode(r, raw, "counting", _COUNTING_KEYS, modes, stages)
    required = _per_mode(r, raw, "required", _REQUIRED_KEYS, modes, stages)
    forbidden = _per_mode(r, raw, "forbidden", _FORBIDDEN_KEYS, modes, stages)
    detect = _detect(r, r.table(raw, "detect"), stages)
    return VenueProfile(
        name=name,
        year=year,
        source=r.string(raw, "source", "source", required=True),
        aliases=r.strings(raw, "aliases", "aliases"),
        years=tuple(sorted({year, *years})),
        notes=r.string(raw, "notes", "notes"),
        unconfirmed=unconfirmed,
        double_blind=r.flag(raw, "double_blind", "double_blind"),
        abstract_words=words,
        variants=variants,
        stages=stages,
        pages=MappingProxyType(_pages(r, raw, modes)),
        counting=MappingProxyType(
            {m: _counting(r, f"counting.{m}", t) for m, t in counting_tables.items()}
        ),
        requirements=MappingProxyType(
            {m: _requirements(r, m, required[m], forbidden[m]) for m in modes}
        ),
        detect=detect,
        anonymity=_anonymity(r, raw, detect),
        path=path,
        origin=origin,
    )


def _pages(r: _Reader, raw: dict[str, Any], modes: list[str]) -> dict[str, float]:
    pages: dict[str, float] = {}
    for mode, value in r.table(raw, "pages").items():
        if mode not in modes:
            raise r.fail(f"pages.{mode}", f"unknown mode; this profile's modes: {', '.join(modes)}")
        # a profile in the paper's own .papertrack/venues/ is the paper's input: finite, capped
        # like `page-limit` in papertrack.toml (nan crashed check, report and progress)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not 0 < value <= MAX_PAGES
        ):
            raise r.fail(
                f"pages.{mode}",
                f"expected a positive number of pages (at most {MAX_PAGES}), got {value!r}",
            )
        pages[mode] = float(value)
    return pages


def _per_mode(
    r: _Reader,
    raw: dict[str, Any],
    table: str,
    own_keys: frozenset[str],
    modes: list[str],
    stages: tuple[str, ...],
) -> dict[str, dict[str, Any]]:
    """One merged table per mode: the table's own keys, then its stage subtable, then its mode's."""
    data = r.table(raw, table)
    overrides = {k: v for k, v in data.items() if k not in own_keys}
    for key, value in overrides.items():
        if key not in modes and key not in stages:
            known = ", ".join(sorted(own_keys | set(modes) | set(stages)))
            raise r.fail(f"{table}.{key}", f"unknown key or mode; expected one of {known}")
        if not isinstance(value, dict):
            raise r.fail(f"{table}.{key}", f"expected a table, got {value!r}")
    result = {}
    for mode in modes:
        merged = {k: v for k, v in data.items() if k in own_keys}
        for key in dict.fromkeys([_stage_of(mode, stages), mode]):
            merged.update(overrides.get(key, {}))
        r.keys(merged, own_keys, f"{table}.{mode}")
        result[mode] = merged
    return result


def _stage_of(mode: str, stages: Iterable[str]) -> str:
    return next(s for s in stages if mode == s or mode.endswith("-" + s))


def _counting(r: _Reader, field: str, data: dict[str, Any]) -> Counting:
    return Counting(
        references=bool(r.flag(data, "references", f"{field}.references")),
        appendix=bool(r.flag(data, "appendix", f"{field}.appendix")),
        exempt_headings=r.strings(data, "exempt_headings", f"{field}.exempt_headings"),
        counted_headings=r.strings(data, "counted_headings", f"{field}.counted_headings"),
        exempt_after_macros=r.macros(data, "exempt_after_macros", f"{field}.exempt_after_macros"),
    )


def _requirements(
    r: _Reader, mode: str, required: dict[str, Any], forbidden: dict[str, Any]
) -> Requirements:
    return Requirements(
        headings=r.strings(required, "headings", f"required.{mode}.headings"),
        forbidden_headings=r.strings(forbidden, "headings", f"forbidden.{mode}.headings"),
        forbidden_macros=r.macros(forbidden, "macros", f"forbidden.{mode}.macros"),
    )


def _detect(r: _Reader, data: dict[str, Any], stages: tuple[str, ...]) -> DetectRules:
    r.keys(data, _DETECT_KEYS, "detect")
    default = data.get("default_stage", "review" if "review" in stages else stages[0])
    if default not in stages:
        raise r.fail("detect.default_stage", f"{default!r} is not one of {', '.join(stages)}")
    maps: list[dict[str, str]] = []
    for key in ("options", "macros"):
        table = r.table(data, f"detect.{key}")
        for word, stage in table.items():
            if stage not in stages:
                raise r.fail(f"detect.{key}.{word}", f"{stage!r} is not one of {', '.join(stages)}")
        # Options are matched without case; macro names are case-sensitive in TeX.
        fold = str.lower if key == "options" else str
        maps.append({fold(word.lstrip("\\")): stage for word, stage in table.items()})
    return DetectRules(
        packages=r.patterns(data, "packages", "detect.packages"),
        classes=r.patterns(data, "classes", "detect.classes"),
        class_options=tuple(
            o.lower() for o in r.strings(data, "class_options", "detect.class_options")
        ),
        default_stage=default,
        options=MappingProxyType(maps[0]),
        macros=MappingProxyType(maps[1]),
    )


def _anonymity(r: _Reader, raw: dict[str, Any], detect: DetectRules) -> AnonymitySwitch | None:
    if "anonymity" not in raw:
        return None
    data = r.table(raw, "anonymity")
    r.keys(data, _ANONYMITY_KEYS, "anonymity")
    default = data.get("default", "named")
    if default not in ("anonymous", "named"):
        raise r.fail("anonymity.default", f"expected 'anonymous' or 'named', got {default!r}")
    legacy = r.string(data, "legacy_macro", "anonymity.legacy_macro").lstrip("\\")
    if legacy and not _MACRO.match(legacy.replace("{package}", "x")):
        raise r.fail("anonymity.legacy_macro", f"{legacy!r} is not a macro name")
    options = {
        key: tuple(o.lower() for o in r.strings(data, key, f"anonymity.{key}"))
        for key in ("anonymous_options", "named_options")
    }
    packages = r.patterns(data, "packages", "anonymity.packages")
    classes = r.patterns(data, "classes", "anonymity.classes")
    return AnonymitySwitch(
        packages=packages or (detect.packages if not classes else ()),
        classes=classes or (detect.classes if not packages else ()),
        default_anonymous=default == "anonymous",
        anonymous_options=options["anonymous_options"],
        named_options=options["named_options"],
        named_macros=r.macros(data, "named_macros", "anonymity.named_macros"),
        legacy_macro=legacy,
        hidden_environments=r.strings(data, "hidden_environments", "anonymity.hidden_environments"),
        title_macros=r.macros(data, "title_macros", "anonymity.title_macros") or ("maketitle",),
    )


# --- modes -----------------------------------------------------------------------------------


def parse_venue_arg(text: str) -> VenueArg:
    """Parse `NAME[:MODE]`, MODE being a stage, a variant, or `variant-stage` (`short-review`)."""
    name, _, mode = text.partition(":")
    if not name.strip():
        raise VenueError(f"--venue {text!r}: no venue name (expected NAME or NAME:MODE)")
    variant, stage = _split_mode(mode, f"--venue {text!r}")
    return VenueArg(name.strip(), variant, stage)


def resolve_mode(
    profile: VenueProfile, requested: VenueArg | str | None = None, detected: str | None = None
) -> str:
    """The full mode: what was asked for, else what was detected, else the profile default."""
    if isinstance(requested, VenueArg):
        want_variant, want_stage = requested.variant, requested.stage
    else:
        want_variant, want_stage = _split_mode(requested or "", f"mode {requested!r}")
    seen_variant, seen_stage = _split_mode(detected or "", f"mode {detected!r}")
    modes = ", ".join(profile.modes)
    if want_variant and want_variant not in profile.variants:
        raise VenueError(f"{profile.name} has no mode {want_variant!r}; its modes: {modes}")
    stage = want_stage or seen_stage or profile.detect.default_stage
    if stage not in profile.stages:
        raise VenueError(f"{profile.name} has no {stage} mode; its modes: {modes}")
    if not profile.variants:
        return stage
    variant = want_variant or (seen_variant if seen_variant in profile.variants else None)
    return f"{variant or profile.variants[0]}-{stage}"


def _split_mode(mode: str, what: str) -> tuple[str | None, str | None]:
    text = re.sub(r"[\s_]+", "-", mode.strip().lower())
    if not text:
        return None, None
    if text in STAGE_WORDS:
        return None, STAGE_WORDS[text]
    for word in sorted(STAGE_WORDS, key=len, reverse=True):
        if text.endswith("-" + word) and _IDENT.match(text[: -len(word) - 1]):
            return text[: -len(word) - 1], STAGE_WORDS[word]
        if text.startswith(word + "-") and _IDENT.match(text[len(word) + 1 :]):
            return text[len(word) + 1 :], STAGE_WORDS[word]
    if _IDENT.match(text):
        return text, None
    stages = ", ".join(sorted(set(STAGE_WORDS.values())))
    raise VenueError(f"{what}: unknown mode (stages: {stages}; e.g. short-review)")


def page_limit(profile: VenueProfile, mode: str | None = None) -> float | None:
    """The main-content page limit in `mode`, or None when the profile does not know it."""
    return profile.pages.get(resolve_mode(profile, mode))


def counting(profile: VenueProfile, mode: str | None = None) -> Counting:
    """What counts towards the page limit in `mode`."""
    return profile.counting[resolve_mode(profile, mode)]


def requirements(profile: VenueProfile, mode: str | None = None) -> Requirements:
    """Required and forbidden headings and macros in `mode`."""
    return profile.requirements[resolve_mode(profile, mode)]


def exempt_headings(profile: VenueProfile, mode: str | None = None) -> list[str]:
    """Headings whose sections do not count towards the page limit in `mode`."""
    return list(counting(profile, mode).exempt_headings)


def is_exempt_heading(title: str, profile: VenueProfile, mode: str | None = None) -> bool:
    """Whether the whole heading `title` names an exempt section (not just starts like one)."""
    wanted = normalize_heading(title)
    return any(normalize_heading(h) == wanted for h in exempt_headings(profile, mode))


_LABEL = re.compile(r"\\label\s*\{[^{}]*\}")
_COMMAND = re.compile(r"\\[A-Za-z@]+\*?|\\.")
_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[A-Z])(?:\.\d+)*\.?|[IVXLC]+\.)\s+")
_ACK = re.compile(r"\backnowledge?ments?\b")


def normalize_heading(title: str) -> str:
    """Heading text for comparison: no LaTeX, numbering, case or punctuation."""
    text = _COMMAND.sub(" ", _LABEL.sub(" ", title))
    text = _NUMBERING.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    # Both spellings and numbers are in use and mean the same section.
    return " ".join(_ACK.sub("acknowledgments", text).split())


# --- detection -------------------------------------------------------------------------------


def detect_venue(
    documentclass: str | None,
    class_options: list[str],
    packages: list[tuple[str, list[str]]],
    source_text: str,
    profiles: Mapping[str, VenueProfile] | None = None,
) -> Detection | None:
    """The venue whose style package or class the preamble loads, with its mode and evidence."""
    if profiles is None:
        profiles = load_profiles()
    # Callers may pass `\usepackage{a,b}` names or `[x, y]` options unsplit.
    loaded = [
        (name, _split_list(options)) for names, options in packages for name in _split_list([names])
    ]
    class_opts = _split_list(class_options)
    candidates: list[tuple[tuple[int, int, int, int], VenueProfile, str, list[str], str]] = []
    for profile in profiles.values():
        rules = profile.detect
        for name, options in loaded:
            if any(p.search(name) for p in rules.packages):
                rank = (0, _year_distance(name, profile), profile.origin != "user", -profile.year)
                candidates.append((rank, profile, name, options, "loads"))
                break
        if documentclass and any(p.search(documentclass.strip()) for p in rules.classes):
            lowered = {o.lower() for o in class_opts}
            if all(o in lowered for o in rules.class_options):
                rank = (1, 0, profile.origin != "user", -profile.year)
                candidates.append((rank, profile, documentclass.strip(), class_opts, "uses class"))
    if not candidates:
        return None
    _, profile, name, options, verb = min(candidates, key=lambda c: c[0])
    return _detection(profile, name, options, verb, _strip_comments(source_text))


def _detection(
    profile: VenueProfile, name: str, options: list[str], verb: str, text: str
) -> Detection:
    rules = profile.detect
    evidence = f"{verb} {name}" + (f" with [{','.join(options)}]" if options else "")
    notes: list[str] = []
    stage, chosen_by = rules.default_stage, ""
    for option in options:
        if option.lower() in rules.options:
            stage, chosen_by = rules.options[option.lower()], f"[{option}]"
    for macro, macro_stage in rules.macros.items():
        if re.search(rf"\\{re.escape(macro)}(?![A-Za-z@])", text):
            stage, chosen_by = macro_stage, f"\\{macro}"
            evidence += f"; \\{macro} is set"
    if not chosen_by:
        notes.append(f"no option or macro selects the mode: {profile.name} defaults to {stage}")
    year = _year_in(name)
    if year is not None and year not in profile.years:
        notes.append(f"no profile for {year}: using the rules of {profile.name}")
    mode = resolve_mode(profile, stage)
    if profile.variants:
        others = ", ".join(f"{profile.key}:{v}-{stage}" for v in profile.variants[1:])
        notes.append(f"a {profile.variants[0]} paper is assumed (--venue {others} otherwise)")
    return Detection(profile, mode, evidence, tuple(notes))


def _split_list(items: Iterable[str]) -> list[str]:
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _strip_comments(text: str) -> str:
    return re.sub(r"(?<!\\)%.*", "", text)


def _year_in(name: str) -> int | None:
    match = re.search(r"(?:19|20)\d{2}", name)
    if match:
        return int(match.group())
    match = re.search(r"(?<!\d)(\d{2})$", name)
    return 2000 + int(match.group(1)) if match else None


def _year_distance(name: str, profile: VenueProfile) -> int:
    year = _year_in(name)
    if year is None:
        return 0
    return min(abs(year - y) for y in profile.years)


# --- small helpers ---------------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _slug(text: str) -> str:
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
