"""PT607: the version the source builds against the one asked for."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.anonymity.review import loc, scan
from papertrack.rules.base import Hit, rule


@rule(
    "PT607",
    "mode-option-mismatch",
    "error",
    "The source builds another version than the one asked for",
)
def mode_option_mismatch(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: when you say which version you are preparing (`--venue acl:review`, or
    `venue = "neurips:camera-ready"` in papertrack.toml) for a double-blind venue, compares it
    with what the source builds. Review asked for, but the source builds a version with names
    (ACL without [review], NeurIPS with [final] or [preprint], ICLR with \\iclrfinalcopy, AAAI
    without [submission]): the review option is missing or a final option is present.
    Camera-ready asked for, but the source still builds the anonymous version: the final
    option is missing. When the venue is only detected from the source, the two cannot
    disagree and nothing is reported.

    Why it matters: the anonymous PDF uploaded as the camera-ready shows "Anonymous
    Author(s)" in the proceedings; a named PDF uploaded for review is desk-rejected.

    Example: `papertrack check --venue acl:review` on a paper with `\\usepackage{acl}`
    (ACL's final layout is the default).

    Fix: set the template's option as the message says, or correct the mode you asked for.
    """
    v = doc.venue
    if not cfg.venue or v is None or getattr(v.profile, "double_blind", None) is not True:
        return
    from papertrack import venues

    try:
        stage = venues.parse_venue_arg(cfg.venue).stage
    except venues.VenueError:
        return
    if stage not in ("review", "camera-ready"):
        return
    st = scan(doc).template
    where = (
        f"{cfg.source.name} says venue = '{cfg.venue}'" if cfg.source else f"--venue {cfg.venue}"
    )
    if st is None:
        return  # a plain class: PT601 checks the author block itself
    at = loc(doc, st.file, st.pos)
    if stage == "review" and not st.anonymous:
        yield Hit(
            f"{where}, but the source builds the version with author names "
            f"({st.name} with {st.why}); "
            f"the review version needs: {st.to_review or 'the review option'}",
            at,
            st.to_review or None,
        )
    elif stage == "camera-ready" and st.anonymous:
        yield Hit(
            f"{where}, but the source builds the anonymous review version "
            f"({st.name} with {st.why}); "
            f"the final option is missing: {st.to_final}",
            at,
            st.to_final or None,
        )
