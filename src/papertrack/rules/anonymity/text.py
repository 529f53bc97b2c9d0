"""Rough plain text out of LaTeX for the PT6 rules: placeholders, e-mails, sentences."""

from __future__ import annotations

import re

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:\s*\\?\})?@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_BENIGN_EMAIL = re.compile(
    r"anonym|example\.(com|org|net)|@(?:domain|email|mail|institution|university|company)\.|"
    r"^git@|noreply|"
    r"@(?:[\w-]+\.)*(aaai\.org|neurips\.cc|nips\.cc|icml\.cc|iclr\.cc|aclweb\.org|aclrollingreview\.org|"
    r"thecvf\.com|openreview\.net|acm\.org|ieee\.org|springer\.com|arxiv\.org)$",
    re.I,
)
_PLACEHOLDER_WORDS = frozenset(
    """
    author authors name names firstname lastname first second third fourth last middle
    affiliation affiliations address addresses email emails mail institution institutions
    institute department university company organization organisation city country street
    postcode zip state paper id submission number under review double blind blinded withheld
    for and of the a an et al tba tbd your here line place
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def plain_text(tex: str) -> str:
    """LaTeX to rough plain text: commands, math, braces and line breaks removed."""
    t = re.sub(r"\$[^$]*\$", " ", tex)
    t = re.sub(r"\\orcid(?:ID|link)?\s*\{[^{}]*\}", " ", t)
    t = re.sub(
        r"\\(?:textsuperscript|IEEEauthorrefmark|footnotemark|thanks|inst|and|And|AND)\b", " ", t
    )
    t = re.sub(r"\\[A-Za-z@]+\*?|\\.", " ", t)
    t = re.sub(r"[{}\[\]~&^_$%]", " ", t)  # (a % is masking's mark of a comment line)
    t = re.sub(r"(?<![\w.])[\d-]+(?![\w.])", " ", t)
    return " ".join(t.replace(",", ", ").split()).replace(" ,", ",").strip(" ,;")


def is_placeholder(plain: str) -> bool:
    """'Anonymous Author(s)', 'Author Name / Affiliation / email' and empty blocks name nobody."""
    words = re.findall(r"[^\W\d_]+", plain.lower())
    if not words or any("anonym" in w for w in words):
        return True
    return all(w in _PLACEHOLDER_WORDS for w in words)


def emails(text: str) -> list[re.Match[str]]:
    return [m for m in _EMAIL.finditer(text) if not _BENIGN_EMAIL.search(m.group())]


def short(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding text[pos]: after a paragraph break or a sentence end."""
    lo = max(0, pos - 400)
    par = text.rfind("\n\n", lo, pos)
    if par >= 0:
        lo = par + 2
    ends = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z\\])", text[lo:pos])]
    return lo + ends[-1] if ends else lo


def sentence(text: str, a: int, b: int) -> str:
    """The sentence around text[a:b], stopping at paragraph breaks and sentence ends."""
    hi = len(text)
    par = text.find("\n\n", b)
    if par >= 0:
        hi = par
    m = re.search(r"[.!?](?=\s|$)", text[b:hi])
    if m:
        hi = b + m.end()
    return text[sentence_start(text, a) : hi]
