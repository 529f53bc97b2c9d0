"""PT207-PT210: entries the style prints with a field, author or type missing or undefined."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.base import Hit, rule
from papertrack.rules.bibbuild import REPEATED
from papertrack.rules.bibliography.context import Cited, context, is_empty

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
# biblatex's names for the fields a BibTeX style reads (a .bib exported for biblatex has these)
BIBLATEX_NAMES = {
    "journal": "journaltitle",
    "year": "date",
    "address": "location",
    "school": "institution",
}
# Types whose title plain.bst and its descendants print through format.title (lower-cased).
# How a .bst's type function may name a field it prints (format.btitle, format.date).
_SAID_AS = {"title": ("btitle",), "year": ("date",), "author": ("authors",)}


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
    `crossref` count. Under BibTeX, a field given under biblatex's name (date for year,
    journaltitle for journal) is named as the cause; five entries or more so are one finding.

    Why it matters: BibTeX warns "empty journal in key" and the reference prints without it;
    reviewers see an incomplete reference.

    Example: `@article{smith2020, title = {...}, author = {...}, year = 2020}` (no journal).

    Fix: add the field, or use the type that fits the work (@misc for a web page).
    """
    ctx = context(doc)
    table = BIBLATEX_REQUIRED if ctx.style.backend == "biblatex" else BIBTEX_REQUIRED
    under_biblatex_names: list[tuple[Cited, list[str]]] = []
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
            if all(is_empty(c.fields.get(a), ctx) for a in alt.split("|"))
            and (checked is None or any(a in checked for a in alt.split("|")))
        ]
        # a type whose function never mentions the field does not print it (mnras.bst's and
        # aasjournal.bst's @article has no title): nothing is lost without it
        said = ctx.style.type_fields.get(c.block.type)
        if said is not None:
            missing = [m for m in missing if {m, *_SAID_AS.get(m, ())} & said]
        if ctx.style.prints_eprint and not is_empty(c.fields.get("eprint"), ctx):
            missing = [m for m in missing if m not in ("journal", "journaltitle")]
        if not missing:
            continue
        # a .bib written for biblatex (Zotero, JabRef): the field is there under biblatex's name
        renamed = [m for m in missing if not is_empty(c.fields.get(BIBLATEX_NAMES.get(m, "")), ctx)]
        if ctx.style.backend == "bibtex" and renamed == missing:
            under_biblatex_names.append((c, missing))
            continue
        hint = (
            f" ({', '.join(BIBLATEX_NAMES[m] for m in renamed)} is biblatex's name, which BibTeX"
            " styles do not read)"
            if ctx.style.backend == "bibtex" and renamed
            else ""
        )
        yield Hit(
            f"@{c.block.type} '{c.entry.key}' has no {', '.join(missing)}: "
            f"the reference prints without it{hint}",
            ctx.line(c),
            f"add {' and '.join(missing)} to the entry",
        )
    yield from _biblatex_names(ctx, under_biblatex_names)


def _biblatex_names(ctx, found: list) -> Iterator[Hit]:
    """Entries that lack fields only because they have them under biblatex's names (date for
    year, journaltitle for journal): one cause, one finding for five entries or more."""
    fields = sorted({m for _c, missing in found for m in missing})
    rename = [f"{BIBLATEX_NAMES[m]} to {m}" for m in fields]
    fix = f"rename {' and '.join(rename)}, or use biblatex with biber"
    if len(found) < 5:
        for c, missing in found:
            yield Hit(
                f"@{c.block.type} '{c.entry.key}' has no {', '.join(missing)}: the reference"
                f" prints without it ({', '.join(BIBLATEX_NAMES[m] for m in missing)} is"
                " biblatex's name, which BibTeX styles do not read)",
                ctx.line(c),
                fix,
            )
        return
    pairs = " and ".join(f"{m} as {BIBLATEX_NAMES[m]}" for m in fields)
    keys = [c.entry.key for c, _m in found]
    yield Hit(
        f"{len(found)} cited entries ({', '.join(keys[:3])}, ...) give {pairs} (biblatex's"
        f" names), which the BibTeX style does not read: their {' and '.join(fields)} print"
        " empty",
        ctx.line(found[0][0]),
        fix,
        related=tuple(ctx.line(c) for c, _m in found[1:]),
    )


@rule("PT209", "bib-entry-no-author", "warning", "A cited entry has no author, editor or key")
def no_author(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports cited entries with no author, no editor and no `key` field, when the
    BibTeX style sorts the references by author (plain, abbrv, alpha, the natbib styles, ...).
    Five or more (web pages exported by a reference manager) are one finding, every entry
    related.

    Why it matters: BibTeX warns "to sort, need author or key"; the entry sorts arbitrarily
    and author-year styles print a label without a name.

    Example: `@misc{openai_policies, title = {Usage policies}, url = {...}}`.

    Fix: add an author (an organisation in double braces: `author = {{OpenAI}}`) or a
    `key = {OpenAI}` field that sets where it sorts.
    """
    ctx = context(doc)
    if ctx.style.backend != "bibtex" or not ctx.style.sorts_by_author:
        return
    fix = "add `author = {{Organisation}}` or a `key = {...}` to sort by"
    found = []
    for c in ctx.cited:
        names = ["author", "editor", "key"]
        if c.block.type in ("proceedings", "manual"):
            names.append("organization")
        if all(is_empty(c.fields.get(n), ctx) for n in names):
            found.append((c.entry.key, ctx.line(c)))
    if len(found) < REPEATED:
        for key, where in found:
            yield Hit(
                f"'{key}' has no author, editor or key: {ctx.style.name} sorts it arbitrarily",
                where,
                fix,
            )
        return
    # web pages exported by a reference manager, none with an author: one finding, each related
    found.sort(key=lambda kw: (kw[1].file, kw[1].line))
    shown = ", ".join(k for k, _w in found[:3]) + ", ..."
    yield Hit(
        f"{len(found)} cited entries have no author, editor or key ({shown}): "
        f"{ctx.style.name} sorts them arbitrarily",
        found[0][1],
        fix,
        related=tuple(w for _k, w in found[1:]),
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
