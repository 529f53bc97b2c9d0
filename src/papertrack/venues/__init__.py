"""Venue profiles: page limits and counting rules per venue, year and mode, read from TOML files.

The package's public names, gathered here for the many callers of `papertrack.venues`.
"""

from __future__ import annotations

from papertrack.venues.detect import detect_venue
from papertrack.venues.load import find_profile, load_profiles, shipped_venues_dir, user_venues_dir
from papertrack.venues.modes import (
    counting,
    exempt_headings,
    is_exempt_heading,
    normalize_heading,
    page_limit,
    parse_venue_arg,
    requirements,
    resolve_mode,
)
from papertrack.venues.profile import (
    DEFAULT_STAGES,
    STAGE_WORDS,
    STAGES,
    USER_VENUES_DIR,
    AnonymitySwitch,
    Counting,
    Detection,
    DetectRules,
    Requirements,
    VenueArg,
    VenueError,
    VenueProfile,
)

__all__ = [
    "DEFAULT_STAGES",
    "STAGES",
    "STAGE_WORDS",
    "USER_VENUES_DIR",
    "AnonymitySwitch",
    "Counting",
    "DetectRules",
    "Detection",
    "Requirements",
    "VenueArg",
    "VenueError",
    "VenueProfile",
    "counting",
    "detect_venue",
    "exempt_headings",
    "find_profile",
    "is_exempt_heading",
    "load_profiles",
    "normalize_heading",
    "page_limit",
    "parse_venue_arg",
    "requirements",
    "resolve_mode",
    "shipped_venues_dir",
    "user_venues_dir",
]
