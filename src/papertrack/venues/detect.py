"""Which venue a preamble points to (its style package or class), in which mode, and why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from papertrack.venues.load import load_profiles
from papertrack.venues.modes import resolve_mode
from papertrack.venues.profile import Detection, VenueProfile


def detect_venue(
    documentclass: str | None,
    class_options: list[str],
    packages: list[tuple[str, list[str]]],
    source_text: str,
    profiles: Mapping[str, VenueProfile] | None = None,
    style_years: Mapping[str, int] | None = None,
) -> Detection | None:
    """The venue whose style package or class the preamble loads, with its mode and evidence.
    `style_years`: the year a style file without one in its name says it is for (acl.sty:
    "Conference Style for ACL 2020")."""
    years = style_years or {}
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
                rank = (
                    0,
                    _year_distance(name, profile, years.get(name)),
                    profile.origin != "user",
                    -profile.year,
                )
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
    year = _year_in(name) or years.get(name)
    return _detection(profile, name, options, verb, _strip_comments(source_text), year)


def _detection(
    profile: VenueProfile, name: str, options: list[str], verb: str, text: str, year: int | None
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
    if year is not None and year not in profile.years:
        notes.append(f"no profile for {year}: using the rules of {profile.name}")
        if year < min(profile.years or (profile.year,)) and any(
            r.headings for r in profile.requirements.values()
        ):
            # a rule that started later (ACL's Limitations from 2023) is not asked of it
            notes.append(f"the sections {profile.name} requires are not asked of a {year} paper")
    mode = resolve_mode(profile, stage)
    if profile.variants:
        others = ", ".join(f"{profile.key}:{v}-{stage}" for v in profile.variants[1:])
        notes.append(f"a {profile.variants[0]} paper is assumed (--venue {others} otherwise)")
    return Detection(profile, mode, evidence, tuple(notes), year)


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


def _year_distance(name: str, profile: VenueProfile, declared: int | None = None) -> int:
    year = _year_in(name) or declared
    if year is None:
        return 0
    return min(abs(year - y) for y in profile.years)
