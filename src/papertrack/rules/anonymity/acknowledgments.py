"""PT603: acknowledgments left in the review version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.rules.anonymity.review import in_review, loc, scan
from papertrack.rules.anonymity.text import plain_text
from papertrack.rules.base import Hit, rule

_ACK_ENVS = (
    "ack",
    "acks",
    "acknowledgments",
    "acknowledgements",
    "acknowledgment",
    "acknowledgement",
)


@rule(
    "PT603",
    "acknowledgments-in-review",
    "error",
    "An acknowledgments section in the review version",
)
def acknowledgments_in_review(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports an Acknowledgments
    section (any heading that reads "Acknowledgments ...", and headings the venue forbids in
    review, such as ACL's) and acknowledgment environments (`ack`, `acks`,
    `acknowledgments`). NeurIPS's `ack` environment and acmart's `acks` are left alone when
    the template hides them in its anonymous build. An empty acknowledgments heading is only
    reported when the venue forbids it.

    Why it matters: thanks to colleagues, advisors and grant numbers identify the authors;
    ACL, ICML and others require the review version to have none.

    Example: `\\section*{Acknowledgments} We thank our lab at ...` with `\\usepackage[review]{acl}`.

    Fix: remove the section (or comment it out) until the camera-ready version; with NeurIPS,
    put it in `\\begin{ack}...\\end{ack}`, which the submission build hides.
    """
    if not in_review(doc):
        return
    from papertrack import venues

    sc = scan(doc)
    forbidden = {
        venues.normalize_heading(h)
        for h in venues.requirements(doc.venue.profile, doc.venue.mode).forbidden_headings
    }
    venue = doc.venue.profile.name
    fix = "remove it until the camera-ready version"
    if sc.template and sc.template.hidden_envs and sc.template.anonymous:
        env, name = sc.template.hidden_envs[0], sc.template.name
        fix = f"put it in \\begin{{{env}}}, which {name}'s review build hides"
    for s in doc.sections:
        name = venues.normalize_heading(s.title)
        if not (name in forbidden or name.startswith("acknowledgments")):
            continue
        h = s.heading
        text = sc.body.get(h.file, "")
        pos = h.pos if 0 <= h.pos < len(text) else 0
        if not text or not text[pos : pos + 1].strip():
            continue  # hidden by the template, or not in the body
        if name in forbidden:
            yield Hit(
                f"'{s.title}' section in the review version ({venue} forbids it there)",
                Location(h.file, h.line, h.col),
                fix,
            )
        elif s.total_words > 0:
            yield Hit(
                f"'{s.title}' section in the review version: acknowledgments identify the authors",
                Location(h.file, h.line, h.col),
                fix,
            )
    for rel, text in sc.body.items():
        for m in re.finditer(r"\\begin\s*\{(" + "|".join(_ACK_ENVS) + r")\}", text):
            e = re.compile(rf"\\end\s*\{{{m.group(1)}\}}").search(text, m.end())
            if plain_text(text[m.end() : e.start() if e else len(text)]):
                yield Hit(
                    f"acknowledgments ({m.group(1)} environment) in the review version",
                    loc(doc, rel, m.start()),
                    fix,
                )
