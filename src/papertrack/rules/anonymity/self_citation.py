"""PT605: phrasing that claims cited work as the authors' own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.anonymity.review import in_review, loc, scan
from papertrack.rules.anonymity.text import sentence, sentence_start
from papertrack.rules.base import Hit, rule

_CITE = re.compile(
    r"\\(?:[A-Za-z]*cite[a-zA-Z]*|citep|citet|citealp|autocite|parencite|textcite)\*?(?:\s*\[[^\]]*\]){0,2}\s*\{[^}]*\}"
)
_PAST = (
    r"(?:showed|shown|proposed|introduced|presented|demonstrated|developed|studied|reported|"
    r"described|found|established|proved|proven|argued|analy[sz]ed)"
)
_ALWAYS = re.compile(
    r"\bour\s+(?:own\s+)?(?:previous|prior|earlier|past|former|preliminary)\s+"
    r"(?:work|works|paper|papers|publication|publications|study|studies|conference\s+paper|workshop\s+paper|version)\b"
    r"|\b(?:extended|extends|extend|extending)\s+(?:version\s+of\s+)?our\s+(?:\w+\s+){0,2}?(?:paper|work|publication|version)\b",
    re.I,
)
_WITH_CITE = re.compile(
    r"\bour\s+(?:previous|prior|earlier|past|former|preliminary)\s+(?:results?|approach|method|system|model|analysis|framework|algorithm)\b"
    rf"|\bwe\s+(?:have\s+)?(?:previously|earlier|recently|already|formerly)\s+{_PAST}\b"
    rf"|\bas\s+we\s+(?:have\s+)?{_PAST}\s+(?:previously\s+|before\s+|earlier\s+)?in\b",
    re.I,
)
_IN_CITE_WE = re.compile(
    rf"\bin\s+\[CITE\]\s*,?\s*we\s+(?:have\s+)?(?:previously\s+|first\s+)?{_PAST}\b", re.I
)


def _cite_marked(text: str) -> str:
    """Citations replaced by '[CITE]' padded to the same length (offsets stay), '~' by spaces."""
    out = _CITE.sub(lambda m: "[CITE]".ljust(len(m.group())), text)
    return out.replace("~", " ")


def _cites_only_anonymous(doc: Document, body: str, m: re.Match[str]) -> bool:
    """The sentence cites only entries whose author is 'Anonymous', as venues allow for own work."""
    a = sentence_start(body, m.start())
    around = body[a : a + len(sentence(body, m.start(), m.end()))]
    keys = [
        k.strip()
        for c in _CITE.finditer(around)
        for k in c.group().rsplit("{", 1)[1][:-1].split(",")
    ]
    keys = [k for k in keys if k]
    if not keys:
        return False
    bib = doc.bib_index()
    return all(
        any("anonym" in e.fields.get("author", "").lower() for e in bib.get(k.lower(), []))
        for k in keys
    )


@rule(
    "PT605",
    "self-citation-phrasing",
    "warning",
    "Phrasing such as 'our previous work [12]' reveals the authors",
)
def self_citation_phrasing(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports sentences that claim
    cited work as the authors' own: "our previous work", "in our earlier paper", "this paper
    extends our ICML paper", and, when the sentence cites something, "our prior method
    \\cite{x}", "we previously showed \\cite{x}", "in \\cite{x}, we proposed", "as we showed in
    \\cite{x}".

    Why it matters: the reviewer only has to look up the citation to know who wrote the paper.
    Double-blind venues ask authors to cite their own work in the third person.

    Example: `In our previous work \\cite{doe2023}, we proposed a faster sort.`

    Fix: write about your own work in the third person: "Doe et al. \\cite{doe2023} proposed a
    faster sort."
    """
    if not in_review(doc):
        return
    for rel, body in scan(doc).body.items():
        text = _cite_marked(body)
        hits: list[re.Match[str]] = list(_ALWAYS.finditer(text)) + list(_IN_CITE_WE.finditer(text))
        for m in _WITH_CITE.finditer(text):
            if "[CITE]" in sentence(text, m.start(), m.end()):
                hits.append(m)
        done: set[int] = set()
        for m in sorted(hits, key=lambda x: x.start()):
            if "\n\n" in m.group() or any(abs(m.start() - d) < 40 for d in done):
                continue
            if _cites_only_anonymous(doc, body, m):
                continue
            done.add(m.start())
            phrase = " ".join(m.group().split())
            yield Hit(
                f"'{phrase}' tells reviewers the cited work is the authors' own",
                loc(doc, rel, m.start()),
                "refer to your earlier work in the third person ('Doe et al. [12] showed ...')",
            )
