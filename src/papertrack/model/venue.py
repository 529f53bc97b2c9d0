"""The venue stage: which venue and mode the paper targets, and its one page limit."""

from __future__ import annotations

import re
from pathlib import Path

from papertrack import venues
from papertrack.config import Config
from papertrack.errors import PapertrackError
from papertrack.model.document import Document, VenueInfo


def resolve_venue(doc: Document, cfg: Config, profiles: dict | None = None) -> VenueInfo | None:
    """The venue from --venue/config, else detected from the preamble; None when unknown.

    `profiles` (from venues.load_profiles) saves reading them again (watch keeps them).
    """
    if profiles is None:
        profiles = venues.load_profiles(doc.folder)
    cls, opts = doc.document_class or (None, [])
    root_text = doc.project.files[doc.main].masked
    detected = venues.detect_venue(cls, opts, doc.packages, root_text, profiles, style_years(doc))
    if cfg.venue:
        arg = venues.parse_venue_arg(cfg.venue)
        profile = venues.find_profile(arg.name, profiles)
        if profile is None:
            names = ", ".join(sorted(p.name for p in profiles.values()))
            raise PapertrackError(
                f"{cfg.venue_origin}: unknown venue '{arg.name}'", hint=f"known venues: {names}"
            )
        seen = detected.mode if detected and detected.profile is profile else None
        mode = venues.resolve_mode(profile, arg, seen)
        given = (
            "given with --venue"
            if cfg.venue_origin == "--venue"
            else f"set in {Path(cfg.venue_origin).name}"  # the config's path:line
        )
        info = VenueInfo(profile, mode, given)
    elif detected and _degree_statement(doc) is None:
        info = VenueInfo(detected.profile, detected.mode, detected.evidence, notes=detected.notes)
        info.before_profile = detected.before_profile
    else:
        return None
    info.page_limit = page_limit(cfg, info)
    info.limit_from_config = cfg.page_limit is not None
    return info


# what a thesis says of itself on its title page; a paper never does
_DEGREE = re.compile(
    r"(?:partial\s+fulfil+ment\s+of\s+the\s+requirements"
    r"|\b(?:thesis|dissertation)\s+submitted\s+(?:to|in|for)\b)",
    re.I,
)
_FIRST_SECTION = re.compile(r"\\(?:part|chapter|section)\*?\s*[\[{]")


def _degree_statement(doc: Document) -> str | None:
    """A thesis written on a conference template (a bachelor's research project on ijcai.sty)
    says so on its title page, before the first section: the venue's page limit, anonymity
    and sections are not its rules (--venue still applies them). A paper that mentions the
    thesis it grew from does so later, in its acknowledgements."""
    from papertrack.model.flatten import flattened

    text = flattened(doc.project)
    first = _FIRST_SECTION.search(text)
    m = _DEGREE.search(text, 0, first.start() if first else len(text))
    return m.group() if m else None


def page_limit(cfg: Config, venue: VenueInfo | None) -> float | None:
    """The one precedence: `page-limit` (config or flag) first, else the venue's limit in its mode."""
    if cfg.page_limit is not None:
        return cfg.page_limit
    if venue is None:
        return None
    return venues.page_limit(venue.profile, venue.mode)


def required_sections(venue: VenueInfo | None) -> list[str]:
    """Headings the venue requires in its mode (a checklist, limitations)."""
    if venue is None or venue.before_profile:
        return []  # a section a venue asks from some year on is not asked of an older paper
    return list(venues.requirements(venue.profile, venue.mode).headings)


# acl.sty: \typeout{Conference Style for ACL 2020}; the style files of later years say no year
_STYLE_YEAR = re.compile(r"\\typeout\s*\{[^{}\n]*?\bStyle\b[^{}\n]*?\b((?:19|20)\d\d)\b")


def style_years(doc: Document) -> dict[str, int]:
    """The year each of the paper's own style files without a year in its name says it is for."""
    out: dict[str, int] = {}
    for rel in doc.project.package_files:
        name = Path(rel).stem
        if not rel.endswith(".sty") or any(c.isdigit() for c in name):
            continue
        try:
            head = (doc.folder / rel).read_text(encoding="utf-8", errors="replace")[:20000]
        except OSError:
            continue
        m = _STYLE_YEAR.search(head)
        if m:
            out[name] = int(m.group(1))
    return out
