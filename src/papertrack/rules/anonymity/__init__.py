"""PT6xx: what gives the authors away in a double-blind submission (review mode only)."""

# importing the rule modules registers their rules
from papertrack.rules.anonymity import (  # noqa: F401
    acknowledgments,
    author_block,
    links,
    metadata,
    mode,
    self_citation,
)
