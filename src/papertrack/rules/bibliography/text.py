"""PT211-PT213: how the style prints an entry's text: special characters, title case, arXiv."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.model.queries import title_key as _norm_title
from papertrack.parse.bibsyntax import RawField
from papertrack.rules.base import Hit, rule
from papertrack.rules.bibliography.context import context, plain_value

_TITLE_LOWERED_TYPES = frozenset(
    [
        "article",
        "booklet",
        "incollection",
        "inproceedings",
        "conference",
        "mastersthesis",
        "misc",
        "techreport",
        "unpublished",
    ]
)
# Fields every standard style prints as LaTeX text, per type (plain.bst's functions; url,
# doi and file names are read verbatim or not printed; an @article's publisher never prints).
_COMMON = ("author", "title", "note", "year", "month")
_PRINTED = {
    "article": ("journal", "journaltitle", "volume", "number", "pages"),
    "book": ("editor", "volume", "series", "publisher", "address", "edition"),
    "inbook": ("editor", "volume", "series", "chapter", "pages", "publisher", "address", "type"),
    "booklet": ("howpublished", "address"),
    "incollection": (
        "booktitle",
        "editor",
        "volume",
        "series",
        "chapter",
        "pages",
        "publisher",
        "address",
    ),
    "inproceedings": (
        "booktitle",
        "editor",
        "volume",
        "series",
        "pages",
        "address",
        "organization",
        "publisher",
    ),
    "manual": ("organization", "address", "edition"),
    "mastersthesis": ("school", "type", "address"),
    "phdthesis": ("school", "type", "address"),
    "proceedings": ("editor", "volume", "series", "address", "organization", "publisher"),
    "techreport": ("type", "number", "institution", "address"),
    "unpublished": (),
    "misc": ("howpublished",),
}
_PRINTED["conference"] = _PRINTED["inproceedings"]
_URL_ARG = re.compile(r"\\(?:url|path|nolinkurl)\s*\{[^{}]*\}|\\href\s*\{[^{}]*\}")
_MATH = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")
_ARXIV = re.compile(r"arxiv|\bcorr\b", re.IGNORECASE)


_SPECIAL = re.compile(r"(?<!\\)([&#%_])")


# commands that typeset their argument as a formula or a chemical formula (mhchem, chemformula):
# `\ce{LiFePO_4}` prints a subscript, as `$x_1$` does
_MATH_ARG = re.compile(r"\\(?:ce|pu|ch|ensuremath|chemfig)\s*\{")
_INLINE_MATH = re.compile(r"\\\(.*?\\\)", re.DOTALL)


def _without_math_args(text: str) -> str:
    """The text with the arguments of formula commands blanked (nested braces counted)."""
    out, pos = [], 0
    for m in _MATH_ARG.finditer(text):
        if m.start() < pos:
            continue  # inside an argument already blanked
        depth, i = 1, m.end()
        while i < len(text) and depth:
            if text[i] == "\\":
                i += 1  # an escaped brace does not count
            elif text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        out.append(text[pos : m.start()])
        pos = i
    out.append(text[pos:])
    return _INLINE_MATH.sub(" ", " ".join(out))


def _special_chars(raw: str) -> list[str]:
    text = _without_math_args(_URL_ARG.sub(" ", raw))
    out = []
    if len(re.findall(r"(?<!\\)\$", text)) % 2:
        out.append("$")
    text = _MATH.sub(" ", text)
    for m in _SPECIAL.finditer(text):
        if m.group(1) not in out:
            out.append(m.group(1))
    return out


@rule(
    "PT211", "bib-special-character", "error", "A cited entry has a character that breaks the .bbl"
)
def special_character(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports unescaped `&`, `#`, `_`, `%` and unbalanced `$` in the printed fields
    of cited entries (URLs and DOIs are left alone: they are read verbatim).

    Why it matters: the field is copied into the .bbl as LaTeX: `&` gives "Misplaced alignment
    tab character", `#` "Illegal parameter number", `_` and a lone `$` "Missing $ inserted"
    (the rest of the references in math), and `%` silently drops the rest of the line.

    Example: `title = {Ads cost $450 a day}` or `publisher = {Taylor & Francis}`.

    Fix: escape it: `\\$450`, `Taylor \\& Francis`, `100\\%`, `\\_`.
    """
    ctx = context(doc)
    for c in ctx.cited:
        for name in _COMMON + _PRINTED.get(c.block.type, _PRINTED["misc"]):
            f = c.own.get(name)
            if f is None:
                continue
            bad = list(
                dict.fromkeys(
                    b
                    for kind, t, _p in f.pieces
                    if kind in ("brace", "quote")
                    for b in _special_chars(t)
                )
            )
            if bad:
                sev = None if set(bad) - {"%"} else Severity.WARNING
                shown = " ".join(f"'{b}'" for b in bad)
                yield Hit(
                    f"{name} of '{c.entry.key}' has an unescaped {shown}: it breaks the .bbl",
                    ctx.line(c, f),
                    "escape it with a backslash (\\& \\# \\% \\_ \\$)",
                    severity=sev,
                )


def _lowered_words(raw: str) -> list[str]:
    """Words at brace depth 0 with a capital after their first letter ("BERT", "ImageNet"),
    which a style that applies "t" change.case$ prints in lower case."""
    s = plain_value(raw)
    flat, depth = [], 0
    for ch in s:
        if ch == "{":
            depth += 1
            flat.append(" ")
        elif ch == "}":
            depth = max(depth - 1, 0)
            flat.append(" ")
        else:
            flat.append(ch if depth == 0 else " ")
    text = _MATH.sub(" ", "".join(flat))
    out = []
    for m in re.finditer(r"(?<![\\\w])[A-Za-z0-9][\w'-]*", text):
        w = m.group()
        # "Large-Scale" is title case (lowering it is the point); "GPT-3" and "BERT" are not
        if any(re.search(r"[A-Z]", part[1:]) for part in w.split("-")):
            out.append(w)
    return out


@rule("PT212", "bib-title-case", "info", "Capitals in a title that the style will lower-case")
def title_case(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: lists words such as `BERT`, `ImageNet` or `GPT-3` in the titles of cited
    entries, when the BibTeX style lower-cases titles (plain, unsrt, the natbib styles,
    IEEEtran, splncs04, ...) and the word is not protected by braces.

    Why it matters: the reference prints "bert: pre-training of deep bidirectional
    transformers"; reviewers notice.

    Example: `title = {BERT: Pre-training of Deep Bidirectional Transformers}`.

    Fix: brace the word: `title = {{BERT}: Pre-training of ...}`.
    """
    ctx = context(doc)
    if ctx.style.backend != "bibtex" or not ctx.style.lowercases_titles:
        return
    for c in ctx.cited:
        f = c.own.get("title")
        if f is None or c.block.type not in _TITLE_LOWERED_TYPES:
            continue
        said = ctx.style.type_fields.get(c.block.type)
        if said is not None and not {"title", "btitle"} & said:
            continue  # the style never prints this type's title (mnras.bst's @article)
        words = _lowered_words(f.raw)
        if words:
            shown = ", ".join(f"'{w}'" for w in dict.fromkeys(words))
            yield Hit(
                f"title of '{c.entry.key}': {ctx.style.name} prints {shown} in lower case",
                ctx.line(c, f),
                f"brace the word: {{{words[0]}}}",
            )


def _is_arxiv(fields: dict[str, RawField]) -> bool:
    for name in (
        "journal",
        "journaltitle",
        "archiveprefix",
        "eprinttype",
        "publisher",
        "howpublished",
    ):
        f = fields.get(name)
        if f is not None and _ARXIV.search(f.raw):
            return True
    return False


@rule(
    "PT213",
    "arxiv-version-cited",
    "info",
    "An arXiv entry is cited while its published version is in the .bib",
)
def arxiv_version(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a cited arXiv preprint whose title is also the title of an entry in
    the bibliography that was published (a journal or proceedings that is not arXiv/CoRR),
    when that published entry is not cited (both cited: PT203 reports them).

    Why it matters: reviewers expect the peer-reviewed version to be cited.

    Example: `\\cite{vaswani2017arxiv}` while `vaswani2017attention` (NeurIPS) is in refs.bib.

    Fix: cite the published entry instead.
    """
    ctx = context(doc)
    arxiv = {}
    for c in ctx.cited:
        if _is_arxiv(c.own):
            t = _norm_title(c.entry.fields.get("title", ""))
            if len(t) >= 12:
                arxiv[t] = c
    if not arxiv:
        return
    cited = {doc.key(c.entry.key) for c in ctx.cited}
    # a word of each title, without its first letter (title case or not), to skip the rest
    tails = [
        max(re.findall(r"[A-Za-z]{4,}", c.entry.fields.get("title", "")) or ["?"], key=len)[
            1:
        ].lower()
        for c in arxiv.values()
    ]
    for e in doc.bib_entries:
        raw = e.raw_text().lower()
        if not any(tail in raw for tail in tails):
            continue
        t = _norm_title(e.fields.get("title", ""))
        c = arxiv.get(t)
        if c is None or doc.key(e.key) in cited:
            continue
        venue = e.fields.get("journal") or e.fields.get("booktitle") or ""
        if not venue or _ARXIV.search(venue):
            continue
        arxiv.pop(t)
        yield Hit(
            f"'{c.entry.key}' is the arXiv version of '{e.key}' ({venue[:60]}), which is not cited",
            ctx.line(c),
            f"cite '{e.key}' instead",
            related=(Location(e.file, e.line, 1),),
        )
