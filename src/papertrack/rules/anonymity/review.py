"""When the PT6 rules apply, and the one reading of the author block they share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from papertrack.findings import Location
from papertrack.model import authorship
from papertrack.model.document import Document

if TYPE_CHECKING:
    from papertrack.venues import AnonymitySwitch


def in_review(doc: Document) -> bool:
    """A double-blind venue in a review mode: the only time authors must not show."""
    v = doc.venue
    return bool(v and getattr(v.profile, "double_blind", None) is True and "review" in v.mode)


def scan(doc: Document) -> authorship.Scan:
    """The author block and the body, read once per document with the venue profiles' switches."""
    from papertrack import venues

    def switches() -> list[AnonymitySwitch]:
        profiles = venues.load_profiles(doc.folder).values()
        return [p.anonymity for p in profiles if p.anonymity is not None]

    return authorship.scan(doc, switches)


def template_state(doc: Document) -> authorship.TemplateState | None:
    """The venue template the preamble loads and what it prints; None for plain classes."""
    return scan(doc).template


def loc(doc: Document, rel: str, pos: int) -> Location:
    line, col = doc.project.files[rel].line_col(pos)
    return Location(rel, line, col)
