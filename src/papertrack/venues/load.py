"""Finding and loading profiles: the shipped ones, then the paper's own (with `extends`)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from papertrack.paths import templates_dir
from papertrack.venues.profile import USER_VENUES_DIR, VenueError, VenueProfile, compact
from papertrack.venues.schema import build_profile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


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
        _add(profiles, raws, build_profile(raw, path, "shipped"), raw, replace=False)
    if paper_dir is None:
        return profiles
    user_keys: set[str] = set()
    for path in sorted(user_venues_dir(paper_dir).glob("*.toml")):
        raw = _read_toml(path)
        merged = _extend(raw, path, profiles, raws)
        profile = build_profile(merged, path, "user")
        if profile.key in user_keys:
            raise VenueError(f"{path}: a second user profile named {profile.name!r}")
        user_keys.add(profile.key)
        _add(profiles, raws, profile, merged, replace=True)
    return profiles


def find_profile(name: str, profiles: Mapping[str, VenueProfile]) -> VenueProfile | None:
    """The profile whose name, key or alias equals `name`, ignoring case and punctuation."""
    wanted = compact(name)
    if not wanted:
        return None
    for profile in profiles.values():
        if wanted in (compact(profile.name), compact(profile.key)):
            return profile
    # Later profiles (the paper's own) win an alias shared with a shipped one.
    for profile in reversed(list(profiles.values())):
        if any(compact(alias) == wanted for alias in profile.aliases):
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
        if compact(old.name) == compact(profile.name):
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
    if "name" in own and compact(str(own["name"])) != compact(base.name):
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
