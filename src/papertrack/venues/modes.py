"""Modes (`variant-stage`), the --venue argument, and what a profile says in one mode."""

from __future__ import annotations

import re
import unicodedata

from papertrack.venues.profile import (
    IDENT,
    STAGE_WORDS,
    Counting,
    Requirements,
    VenueArg,
    VenueError,
    VenueProfile,
)


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
        if text.endswith("-" + word) and IDENT.match(text[: -len(word) - 1]):
            return text[: -len(word) - 1], STAGE_WORDS[word]
        if text.startswith(word + "-") and IDENT.match(text[len(word) + 1 :]):
            return text[len(word) + 1 :], STAGE_WORDS[word]
    if IDENT.match(text):
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
# "Ethic Statement", "Ethical Statement", "Ethics Statements": the section ICLR and IJCAI call
# "Ethics Statement", spelt as authors spell it
_ETHICS = re.compile(r"\bethic(?:s|al)?\s+statements?\b")


def same_spelling(text: str) -> str:
    """Lower-case heading words with the spellings of one section's name made one."""
    return _ETHICS.sub("ethics statement", _ACK.sub("acknowledgments", text))


def normalize_heading(title: str) -> str:
    """Heading text for comparison: no LaTeX, numbering, case or punctuation."""
    text = _COMMAND.sub(" ", _LABEL.sub(" ", title))
    text = _NUMBERING.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    # Both spellings and numbers are in use and mean the same section.
    return " ".join(same_spelling(text).split())
