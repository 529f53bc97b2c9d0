"""PT207-PT213: the bibliography as the style will print it (cited entries only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from papertrack.config import Config
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.model.queries import title_key as _norm_title
from papertrack.parse.bibstyle import MONTHS, PLAIN_MACROS, RawEntries, Style, detect_style
from papertrack.parse.bibsyntax import RawBlock, RawField
from papertrack.rules.base import Hit, rule

# Fields the standard BibTeX styles require per type ('a|b': either will do); BibTeX says
# "empty journal in key" and prints the reference without it.
BIBTEX_REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "booklet": ("title",),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "unpublished": ("author", "title", "note"),
}
# biblatex's data model for the types papers use most (biber maps journal, school, ... itself)
BIBLATEX_REQUIRED = {
    "article": ("author", "title", "journaltitle|journal", "year|date"),
    "book": ("author|editor", "title", "year|date"),
    "inbook": ("author", "title", "booktitle", "year|date"),
    "incollection": ("author", "title", "booktitle", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "conference": ("author", "title", "booktitle", "year|date"),
    "thesis": ("author", "title", "type", "institution|school", "year|date"),
    "phdthesis": ("author", "title", "institution|school", "year|date"),
    "mastersthesis": ("author", "title", "institution|school", "year|date"),
    "report": ("author", "title", "type", "institution", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
}
# Types whose title plain.bst and its descendants print through format.title (lower-cased).
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


@dataclass
class Cited:
    """A cited entry with its fields as written (crossref'd fields merged in)."""

    entry: object
    block: RawBlock
    fields: dict[str, RawField]
    own: dict[str, RawField]


class BibContext:
    """What the bibliography rules share for one document: style, cited entries, @strings."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.style: Style = detect_style(doc)
        self.raw = RawEntries(doc.folder)
        self._strings: set[str] | None = None
        self.cited: list[Cited] = []
        index = doc.bib_index()
        if any(c.key == "*" for c in doc.cites):
            entries = [e for e in doc.bib_entries if e.type != "bibitem"]
        else:
            entries = [
                index[k][0]
                for k in sorted(_printed_keys(doc))
                if k in index and index[k][0].type != "bibitem"
            ]
        blocks = {}
        for e in entries:
            blk = self.raw.block(e)
            if blk is not None:
                blocks[doc.key(e.key)] = (e, blk)
        for e, blk in blocks.values():
            own = blk.field_dict()
            merged = dict(own)
            parent_key = own.get("crossref")
            if parent_key is not None:
                pk = doc.key(_plain(parent_key.raw))
                parent = blocks.get(pk)
                if parent is None and pk in index and index[pk][0].type != "bibitem":
                    pb = self.raw.block(index[pk][0])
                    parent = (index[pk][0], pb) if pb is not None else None
                if parent is not None:
                    for k, f in parent[1].field_dict().items():
                        merged.setdefault(k, f)
            self.cited.append(Cited(e, blk, merged, own))

    def strings(self) -> set[str]:
        """@string names defined in any of the document's .bib files (lower case)."""
        if self._strings is None:
            names: set[str] = set()
            for rel in self.doc.project.bib_files:
                text = self.raw.text(rel) or ""
                names.update(
                    m.lower()
                    for m in re.findall(r"@\s*string\s*[{(]\s*([^\s=#{}(),\"]+)\s*=", text, re.I)
                )
            self._strings = names
        return self._strings

    def line(self, c: Cited, f: RawField | None = None) -> Location:
        if f is None or f.name.lower() not in c.own:
            return Location(c.entry.file, c.entry.line, 1)
        return Location(c.entry.file, self.raw.line_of(c.entry.file, f.pos), 1)

    def undefined_macros(self, f: RawField) -> list[str]:
        known = self.style.macros if self.style.types is not None else PLAIN_MACROS
        if self.style.backend == "biblatex":
            known = MONTHS
        return [
            t
            for kind, t, _p in f.pieces
            if kind == "macro" and t.lower() not in known and t.lower() not in self.strings()
        ]


def _printed_keys(doc: Document) -> set[str]:
    """Cited keys, and the crossref'd entries that print: BibTeX (and biber) add a parent to
    the references when two cited entries refer to it (min-crossrefs = 2)."""
    cited = doc.cited_keys()
    refs: dict[str, int] = {}
    for e in doc.bib_entries:
        if doc.key(e.key) in cited and e.fields.get("crossref"):
            k = doc.key(e.fields["crossref"])
            refs[k] = refs.get(k, 0) + 1
    return cited | {k for k, n in refs.items() if n >= 2}


def context(doc: Document) -> BibContext:
    stamp = (id(doc.bib_entries), len(doc.bib_entries), len(doc.cites))
    cached = doc.__dict__.get("_bib_context")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    ctx = BibContext(doc)
    doc.__dict__["_bib_context"] = (stamp, ctx)
    return ctx


def _plain(raw: str) -> str:
    s = raw.strip()
    if len(s) >= 2 and s[0] + s[-1] in ("{}", '""'):
        s = s[1:-1]
    return s.strip()


def _empty(f: RawField | None, ctx: BibContext) -> bool:
    if f is None:
        return True
    if f.pieces and all(k == "macro" for k, _t, _p in f.pieces) and ctx.undefined_macros(f):
        return False  # PT207 says it: one finding, not two
    return not re.sub(r"[{}\s\"]", "", f.raw)


@rule(
    "PT207",
    "undefined-bib-string",
    "warning",
    "A cited entry uses an @string that is never defined",
)
def undefined_string(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a field of a cited entry whose value is a bare @string name (such as
    `booktitle = icml`) that no .bib file defines and the style does not define either (months
    and the style's own MACROs are known).

    Why it matters: BibTeX warns "string name "icml" is undefined" and prints the field empty:
    the reference appears without its venue.

    Example: `booktitle = icml` with no `@string{icml = {International Conference on Machine
    Learning}}`.

    Fix: add the @string definition (before the entries that use it), or write the value in
    braces: `booktitle = {International Conference on Machine Learning}`.
    """
    ctx = context(doc)
    for c in ctx.cited:
        for name, f in c.own.items():
            for macro in ctx.undefined_macros(f):
                yield Hit(
                    f"'{c.entry.key}' uses @string '{macro}' in {name}, which is never defined: "
                    f"the {name} prints empty",
                    ctx.line(c, f),
                    f"define it with @string{{{macro} = {{...}}}} or write the {name} in braces",
                )


@rule("PT208", "missing-bib-field", "warning", "A cited entry lacks a field its type requires")
def missing_field(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports cited entries without a field their type requires: for BibTeX the
    standard styles' requirements (an @article needs author, title, journal and year; an
    @inproceedings a booktitle), for biblatex its data model. Fields inherited through
    `crossref` count.

    Why it matters: BibTeX warns "empty journal in key" and the reference prints without it;
    reviewers see an incomplete reference.

    Example: `@article{smith2020, title = {...}, author = {...}, year = 2020}` (no journal).

    Fix: add the field, or use the type that fits the work (@misc for a web page).
    """
    ctx = context(doc)
    table = BIBLATEX_REQUIRED if ctx.style.backend == "biblatex" else BIBTEX_REQUIRED
    for c in ctx.cited:
        need = table.get(c.block.type, ())
        if ctx.style.types is not None and c.block.type not in ctx.style.types:
            continue
        if ctx.style.year_always and "year" not in need:
            need = (*need, "year")
        if not need:
            continue
        # a style that never names a field does not print it (ACM's @article has no journal check)
        checked = ctx.style.fields
        missing = [
            alt.split("|")[0]
            for alt in need
            if all(_empty(c.fields.get(a), ctx) for a in alt.split("|"))
            and (checked is None or any(a in checked for a in alt.split("|")))
        ]
        if ctx.style.prints_eprint and not _empty(c.fields.get("eprint"), ctx):
            missing = [m for m in missing if m not in ("journal", "journaltitle")]
        if missing:
            yield Hit(
                f"@{c.block.type} '{c.entry.key}' has no {', '.join(missing)}: "
                "the reference prints without it",
                ctx.line(c),
                f"add {' and '.join(missing)} to the entry",
            )


@rule("PT209", "bib-entry-no-author", "warning", "A cited entry has no author, editor or key")
def no_author(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports cited entries with no author, no editor and no `key` field, when the
    BibTeX style sorts the references by author (plain, abbrv, alpha, the natbib styles, ...).

    Why it matters: BibTeX warns "to sort, need author or key"; the entry sorts arbitrarily
    and author-year styles print a label without a name.

    Example: `@misc{openai_policies, title = {Usage policies}, url = {...}}`.

    Fix: add an author (an organisation in double braces: `author = {{OpenAI}}`) or a
    `key = {OpenAI}` field that sets where it sorts.
    """
    ctx = context(doc)
    if ctx.style.backend != "bibtex" or not ctx.style.sorts_by_author:
        return
    for c in ctx.cited:
        names = ["author", "editor", "key"]
        if c.block.type in ("proceedings", "manual"):
            names.append("organization")
        if all(_empty(c.fields.get(n), ctx) for n in names):
            yield Hit(
                f"'{c.entry.key}' has no author, editor or key: {ctx.style.name} sorts it "
                "arbitrarily",
                ctx.line(c),
                "add `author = {{Organisation}}` or a `key = {...}` to sort by",
            )


@rule("PT210", "unknown-bib-type", "warning", "A cited entry's type is unknown to the style")
def unknown_type(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports cited entries whose type (@online, @software, ...) the bibliography
    style does not define. papertrack reads the style's .bst (beside the paper or in TeX's
    tree) or knows biblatex's types; with a style it cannot read it says nothing.

    Why it matters: BibTeX warns "entry type for key isn't style-file defined" and formats it as
    @misc; biber falls back to @misc too. URLs and dates the type would print may vanish.

    Example: `@online{docs, ...}` with `\\bibliographystyle{plain}`.

    Fix: use a type the style knows (@misc with `howpublished = {\\url{...}}` for plain).
    """
    ctx = context(doc)
    if ctx.style.types is None:
        return
    where = ctx.style.source or ctx.style.name
    for c in ctx.cited:
        if c.block.type not in ctx.style.types:
            yield Hit(
                f"@{c.block.type} '{c.entry.key}' is not a type {where} defines: it prints as @misc",
                ctx.line(c),
                "use a type the style defines (for example @misc)",
            )


_SPECIAL = re.compile(r"(?<!\\)([&#%_])")


def _special_chars(raw: str) -> list[str]:
    text = _URL_ARG.sub(" ", raw)
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
    s = _plain(raw)
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
