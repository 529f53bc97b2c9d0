"""Checking a profile's raw TOML and building the VenueProfile; every problem names file and field."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from papertrack.config import MAX_PAGES
from papertrack.venues.profile import (
    DEFAULT_STAGES,
    IDENT,
    MACRO,
    STAGE_WORDS,
    STAGES,
    AnonymitySwitch,
    Counting,
    DetectRules,
    Requirements,
    VenueError,
    VenueProfile,
)

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

# --- validation ----------------------------------------------------------------------------


class ProfileReader:
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
            if not MACRO.match(name):
                raise self.fail(field, f"{name!r} is not a macro name")
        return names


def build_profile(raw: dict[str, Any], path: Path, origin: str) -> VenueProfile:
    r = ProfileReader(path)
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
        if not IDENT.match(variant) or variant in STAGE_WORDS:
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


def _pages(r: ProfileReader, raw: dict[str, Any], modes: list[str]) -> dict[str, float]:
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
    r: ProfileReader,
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


def _counting(r: ProfileReader, field: str, data: dict[str, Any]) -> Counting:
    return Counting(
        references=bool(r.flag(data, "references", f"{field}.references")),
        appendix=bool(r.flag(data, "appendix", f"{field}.appendix")),
        exempt_headings=r.strings(data, "exempt_headings", f"{field}.exempt_headings"),
        counted_headings=r.strings(data, "counted_headings", f"{field}.counted_headings"),
        exempt_after_macros=r.macros(data, "exempt_after_macros", f"{field}.exempt_after_macros"),
    )


def _requirements(
    r: ProfileReader, mode: str, required: dict[str, Any], forbidden: dict[str, Any]
) -> Requirements:
    return Requirements(
        headings=r.strings(required, "headings", f"required.{mode}.headings"),
        forbidden_headings=r.strings(forbidden, "headings", f"forbidden.{mode}.headings"),
        forbidden_macros=r.macros(forbidden, "macros", f"forbidden.{mode}.macros"),
    )


def _detect(r: ProfileReader, data: dict[str, Any], stages: tuple[str, ...]) -> DetectRules:
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


def _anonymity(
    r: ProfileReader, raw: dict[str, Any], detect: DetectRules
) -> AnonymitySwitch | None:
    if "anonymity" not in raw:
        return None
    data = r.table(raw, "anonymity")
    r.keys(data, _ANONYMITY_KEYS, "anonymity")
    default = data.get("default", "named")
    if default not in ("anonymous", "named"):
        raise r.fail("anonymity.default", f"expected 'anonymous' or 'named', got {default!r}")
    legacy = r.string(data, "legacy_macro", "anonymity.legacy_macro").lstrip("\\")
    if legacy and not MACRO.match(legacy.replace("{package}", "x")):
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
