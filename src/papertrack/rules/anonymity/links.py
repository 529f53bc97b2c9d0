"""PT604: links to the authors' own repository or page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.project.braces import group_end
from papertrack.rules.anonymity.review import in_review, loc, scan
from papertrack.rules.anonymity.text import sentence, sentence_start, short
from papertrack.rules.base import Hit, rule

_URL_CMD = re.compile(r"\\(url|href)\s*\{")
_BARE_URL = re.compile(
    r"(?:https?://|www\.)[^\s{}\\]+|(?<![\w./-])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|"
    r"codeberg\.org|sites\.google\.com)/[^\s{}\\]+"
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
_NOT_A_USER = frozenset(
    ["orgs", "topics", "features", "marketplace", "about", "site", "datasets", "spaces"]
)
_EXEMPT_URL = re.compile(
    r"anonymous|4open\.science|openreview\.net|doi\.org|arxiv\.org|aclanthology\.org|"
    r"(?:^|//|\.)(?:neurips|nips|icml|iclr)\.cc|aclweb\.org|thecvf\.com|aaai\.org",
    re.I,
)
_OWN_NOUN = re.compile(
    r"\bour\s+(?:(?:full|source|complete|open[- ]source|anonymi[sz]ed|accompanying|project|public|"
    r"trained|pre-?trained|new|own|experimental|evaluation|benchmark)\s+)?"
    r"(?:code|source|implementation|codebase|repositor(?:y|ies)|project|page|website|homepage|data|"
    r"datasets?|models?|benchmark|tool|toolkit|library|framework|demo|weights|checkpoints|artifacts?|"
    r"package|software|videos?|supplement\w*|appendix)\b",
    re.I,
)
_THIS_PAPER = re.compile(
    r"\b(?:for|of|accompanying|behind)\s+this\s+(?:paper|work|article|submission)\b", re.I
)
_OWN_VERB = re.compile(
    r"\bwe\s+(?:will\s+|have\s+|also\s+)?"
    r"(?:release|released|open[- ]source[d]?|publish(?:ed)?|host|share)\b",
    re.I,
)
# "Code: <link>" or "The code is available at <link>" opening a sentence or footnote
_LABEL_START = re.compile(
    r"(?:^|[:;(]\s*|\\footnote\s*\{\s*)(?:the\s+)?(?:(?:source|full|complete|accompanying|prototype|poc|"
    r"proof[- ]of[- ]concept)\s+)?(?:code|implementation|codebase|"
    r"project\s+page|project\s+website|repository|demo)(?:\s+and\s+(?:the\s+)?\w+)?\s*"
    r"(?::|(?:is|are|will\s+be|can\s+be|has\s+been|have\s+been)\s+(?:publicly\s+|freely\s+|openly\s+|made\s+)*"
    r"(?:available|released|found|accessible|online|hosted))(?:\s+(?:at|from|on|via|under|here|in))?\s*:?\s*$",
    re.I,
)


def link_kind(url: str) -> str | None:
    """What makes a link personal: a user's code repository or a personal page; None if neither."""
    u = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().rstrip(".,;)"), flags=re.I)
    if _EXEMPT_URL.search(url):
        return None
    host, _, path = u.partition("/")
    host = host.lower()
    segs = [s for s in path.split("/") if s]
    if (
        host == "huggingface.co"
        and len(segs) > 1
        and segs[0].lower() in ("datasets", "spaces", "models")
    ):
        segs = segs[1:]  # huggingface.co/datasets/<user>/<name>
    if host in _CODE_HOSTS and segs and segs[0].lower() not in _NOT_A_USER:
        return f"{host} repository of '{segs[0]}'"
    if host.endswith(".github.io") or host.endswith(".gitlab.io"):
        return f"personal page {host}"
    if any(s.startswith("~") for s in segs):
        return "personal page " + next(s for s in segs if s.startswith("~"))
    if host == "sites.google.com":
        return "personal page on sites.google.com"
    return "project or lab page"


def _urls(text: str, original: str) -> Iterator[tuple[int, str]]:
    seen: list[tuple[int, int]] = []
    for m in _URL_CMD.finditer(text):
        end = group_end(original, m.end() - 1)
        if end is None:
            continue
        url = original[m.end() : end - 1].strip()
        if m.group(1) == "href":
            # \href{url}{text}: the text is what prints (often the url again), one link
            text_at = len(original) - len(original[end:].lstrip())
            text_end = (
                group_end(original, text_at) if original[text_at : text_at + 1] == "{" else None
            )
            end = text_end or end
        seen.append((m.start(), end))
        yield m.start(), url
    for m in _BARE_URL.finditer(text):
        if not any(a <= m.start() < b for a, b in seen):
            yield m.start(), m.group()


@rule("PT604", "self-identifying-link", "error", "A link to the authors' own repository or page")
def self_identifying_link(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports links (\\url, \\href or
    plain URLs in the body) to a user's code repository (github.com/<user>, gitlab,
    bitbucket, Hugging Face), a personal page (`~user` paths, `*.github.io`, Google Sites) or a
    project page, when the sentence says it is the authors' own: "our code", "we release",
    "Code: \\url{...}", "The code is available at ...". Links to other people's work ("we use
    the implementation at github.com/huggingface/transformers") are not reported, nor are
    anonymized links (anonymous.4open.science, links with "anonymous" in them), OpenReview,
    DOIs and arXiv.

    Why it matters: the user or lab name in the link, or the page behind it, names the authors.

    Example: `Our code is at \\url{https://github.com/jdoe/fastsort}.`

    Fix: link an anonymized copy (for example anonymous.4open.science) or the supplementary
    material, and put the real link back in the camera-ready version.
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    for rel, text in sc.body.items():
        original = doc.project.files[rel].text
        for pos, url in _urls(text, original):
            kind = link_kind(url)
            if kind is None:
                continue
            sent = sentence(text, pos, pos + len(url))
            before = text[sentence_start(text, pos) : pos]
            own = (
                _OWN_NOUN.search(sent)
                or _OWN_VERB.search(sent)
                or _THIS_PAPER.search(sent)
                or _LABEL_START.search(before)
            )
            if own:
                yield Hit(
                    f"link to {short(url, 70)} ({kind}) next to "
                    f"'{short(own.group().strip(' .:;({'), 30)}' identifies the authors",
                    loc(doc, rel, pos),
                    "link an anonymized copy (e.g. anonymous.4open.science) for the review version",
                )
