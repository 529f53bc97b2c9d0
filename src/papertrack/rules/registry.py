"""The rule table: every rule module, imported here and nowhere else; rule modules never import it."""

from __future__ import annotations

from papertrack.rules import (  # noqa: F401  (each module registers its rules on import)
    anonymity,
    bibliography,
    citations,
    compile,
    figure_captions,
    figure_colours,
    figure_placement,
    figures,
    margins,
    meta,
    pages,
    progress,
    project,
    references,
    structure,
    typography,
)
from papertrack.rules.base import REGISTRY, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    return dict(sorted(REGISTRY.items()))
