"""The completion model's weights: hours per task, shares of the page budget, thresholds."""

from __future__ import annotations

from typing import Any

# Efforts are in hours of focused work. They are rough on purpose: what matters is their
# ratio to the writing effort (words / words-per-hour), which sets how much the forgotten
# work pulls the honest figure below the felt one. Users change them in [completion].
WEIGHTS: dict[str, float] = {
    # writing
    "words-per-hour": 250,  # drafting speed: the writing effort of a section is its target / this
    "written-at": 0.7,  # a section counts as written at this share of its target words
    "abstract-words": 200,  # the abstract's target when the venue sets no limit
    "short-words": 50,  # Limitations, Impact Statement, Ethics: short by nature (2/3 for thanks)
    # usual shares of the page budget by the role a section's title suggests (several sections
    # of one role split it); a section's target is its part of the budget in proportion to its
    # words, but at least half its usual share (a missing section: all of it)
    "share-introduction": 12,
    "share-related": 10,
    "share-background": 8,
    "share-discussion": 8,
    "share-conclusion": 5,
    "share-body": 60,  # method, experiments and any other section, together
    # the work writers forget, in hours per item
    "todo": 0.5,  # an open \todo, TODO, FIXME
    "question-marks": 0.1,  # a literal ?? (a reference or number to fill in)
    "filler": 1.0,  # lorem ipsum / \lipsum standing in for text
    "figure": 3.0,  # a placeholder figure to make
    "graphics-file": 1.0,  # an \includegraphics file that does not exist
    "caption": 0.25,  # an empty or missing caption
    "float-ref": 0.25,  # a figure or table the text never discusses
    "reference": 0.1,  # an undefined or duplicate label, a float without label
    "related-cites": 12,  # works a related-work section cites when it is covered
    "citation": 0.3,  # each related work still to find, read and cite
    "bib-entry": 0.15,  # a citation with no bibliography entry
    "bib-hygiene": 0.05,  # a cited entry with missing fields, a duplicate entry or field
    "uncited": 0.02,  # an entry nobody cites (decide: cite or drop)
    "trim-page": 3.0,  # each page over the limit
    "anonymity": 0.25,  # each anonymization problem in a review version
    "checklist": 2.0,  # the venue's checklist, when it is missing altogether
    "checklist-item": 0.1,  # each unanswered checklist item
    "intro-rewrite": 2.0,  # per 1000 words of introduction, while the results are unfinished
    "other": 0.1,  # any other error or warning of the check
}

# drafting and revision (calibrated on real writing histories: bench/history_calibration.py)
WEIGHTS["drafting-part"] = 0.6  # share of the work that drafting is; revision is the rest
# the share of the full-length text rewritten by which most finished papers were submitted: on
# the tuned histories 7 of 9 finals had rewritten at least a tenth (median 0.16; 0.02-0.91)
WEIGHTS["revision-share"] = 0.1
WEIGHTS["revision-time"] = 1.0  # revision time finished papers took, against drafting time
WEIGHTS["task-share"] = 0.1  # the most the tasks left weigh on drafting, against writing

# Thresholds that are shares, not hours.
_FRACTIONS = ("written-at", "drafting-part", "revision-share")
_POSITIVE = ("words-per-hour", "written-at", "revision-share", "revision-time")


def validate(table: Any) -> dict[str, float]:
    """Check a [completion] table from the config; raises TypeError with what was expected."""
    if not isinstance(table, dict):
        raise TypeError('a table such as { todo = 0.5, "words-per-hour" = 250 }')
    out: dict[str, float] = {}
    for k, v in table.items():
        if k not in WEIGHTS:
            import difflib

            close = difflib.get_close_matches(k, list(WEIGHTS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise TypeError(
                f"a table of the model's weights, and '{k}' is none of them{hint}", k, v
            )
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise TypeError(f"a table of numbers, and {k} must be 0 or more", k, v)
        if k in _POSITIVE and v <= 0:
            raise TypeError(f"a table of numbers, and {k} must be more than 0", k, v)
        if k in _FRACTIONS and v > 1:
            raise TypeError(f"a table of numbers, and {k} must be a share between 0 and 1", k, v)
        out[k] = float(v)
    return out


def resolve(overrides: dict[str, float] | None) -> dict[str, float]:
    """The defaults with the config's overrides applied."""
    return {**WEIGHTS, **(overrides or {})}
