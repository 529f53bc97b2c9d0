"""PT2xx: citations and bibliography entries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.model.queries import title_key
from papertrack.rules.base import Hit, diagnostic_rule, loc, rule
from papertrack.rules.bibbuild import REPEATED


@rule("PT201", "undefined-citation", "error", "A citation key matches no bibliography entry")
def undefined_citation(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports \\cite, \\citep, \\citet, \\parencite, \\textcite, \\autocite (and your
    wrappers) whose key is in none of the document's .bib files or \\bibitem lists. Keys are
    compared as the bibliography tool compares them: case-insensitively for BibTeX, exactly for
    biber (biblatex's default backend). Silent when a .bib file is missing or unreadable
    (PT007, PT004 report it once).

    Why it matters: the PDF shows [?] and the reference is missing from the bibliography.

    Example: `\\cite{vaswani2017attention}` when the entry is `@inproceedings{Vaswani2017, ...}`.

    Fix: add the entry to your .bib file or correct the key.
    """
    if doc.diagnostics_for("missing-bibliography"):
        return  # PT007 already says the entries are unreachable; one finding, not hundreds
    unread = {d.file for d in doc.diagnostics_for("unreadable-file")}
    if unread.intersection(doc.project.bib_files):
        return  # PT004 says so of a .bib that cannot be read (a link to another machine's file)
    if not doc.project.bib_files and not doc.bibitems:
        return  # no bibliography in the source at all (perhaps a committed .bbl): nothing to check against
    index = doc.bib_index()
    for c in doc.cites:
        if c.key == "*" or doc.key(c.key) in index:
            continue
        if re.search(r"\s", c.key):
            # BibTeX stops at the space ("White space in argument"), and no .bib key has one
            yield Hit(
                f"citation key '{c.key}' holds a space, which no .bib key can",
                loc(c),
                "correct the key (several keys are separated by commas: \\cite{a,b})",
            )
            continue
        yield Hit(
            f"citation '{c.key}' is not in the bibliography",
            loc(c),
            "add the entry to your .bib file or correct the key",
        )


def _used_keys(doc: Document) -> set[str]:
    """Cited keys plus the entries they pull in through crossref."""
    cited = doc.cited_keys()
    by_key = {}  # the last entry of each cited key, without a dict over every entry
    for e in doc.bib_entries:
        k = doc.key(e.key)
        if k in cited:
            by_key[k] = e
    for k in list(cited):
        e = by_key.get(k)
        if e and e.fields.get("crossref"):
            cited.add(doc.key(e.fields["crossref"]))
    return cited


@rule("PT202", "uncited-bib-entry", "info", "A bibliography entry is never cited")
def uncited_entry(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: lists .bib entries that no citation uses (case-insensitive, as BibTeX). A
    shared bibliography that is mostly uncited is reported once per file, with counts, instead
    of one line per entry (threshold: `uncited-summary-at`, default 50).

    Why it matters: an entry you added while reading is often a paper the related work still
    owes a sentence to ("did I write down all those papers I read?").

    Example: `@article{smith2021, ...}` with no `\\cite{smith2021}`.

    Fix: cite it where it belongs, or leave it: this is information, not an error.
    """
    if any(c.key == "*" for c in doc.cites):
        return
    used = _used_keys(doc)
    by_file: dict[str, list] = {}
    for e in doc.bib_entries:
        if doc.key(e.key) not in used:
            by_file.setdefault(e.file, []).append(e)
    totals: dict[str, int] = {}
    for e in doc.bib_entries:
        totals[e.file] = totals.get(e.file, 0) + 1
    for file, entries in by_file.items():
        n, total = len(entries), totals[file]
        if n >= cfg.uncited_summary_at and n * 2 >= total:
            sample = ", ".join(e.key for e in entries[:5])
            yield Hit(
                f"{n} of {total} entries in {file} are never cited (a shared bibliography?), e.g. {sample}",
                Location(file, 1, 1),
                "run `papertrack check --format json` for the full list",
            )
            continue
        for e in entries:
            yield Hit(f"bib entry '{e.key}' is never cited", Location(e.file, e.line, 1))


@rule("PT203", "duplicate-bib-entry", "warning", "The same work is cited under two keys")
def duplicate_entry(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports two cited entries with the same title under different keys (for
    example the arXiv preprint and the conference version). A conference paper and its journal
    version (or a thesis and its paper) from different years are two publications, and so are
    two works by different authors that share a generic title: neither is reported.

    Why it matters: the reference list shows the same paper twice, which reviewers notice.

    Example: `tanaka2021streaming` and `tanaka2021transducer`, both "Streaming Transducers ...".

    Fix: cite one key everywhere and delete the other entry.
    """
    from papertrack.model.refsections import cite_refsections

    used = _used_keys(doc)
    # each refsection prints its own references: two keys cited in different ones never
    # share a list (a thesis of papers, one refsection per part)
    sections = cite_refsections(doc)
    seen: dict[str, object] = {}
    for e in doc.bib_entries:
        if doc.key(e.key) not in used:
            continue
        t = title_key(e.fields.get("title", ""))
        if len(t) < 12:
            continue
        other = seen.get(t)
        if other is not None and (_versions(other, e) or _other_authors(other, e)):
            continue
        if other is not None and sections is not None and not _together(sections, other, e, doc):
            continue
        if other is not None and doc.key(other.key) != doc.key(e.key):
            yield Hit(
                f"'{e.key}' has the same title as '{other.key}' ({other.file}:{other.line}); both are cited",
                Location(e.file, e.line, 1),
                "cite one of the two keys everywhere and remove the other entry",
                related=(Location(other.file, other.line, 1),),
            )
        else:
            seen[t] = e


def _together(sections: dict[str, set[object]], a, b, doc: Document) -> bool:
    """Whether two entries are cited in one refsection (so one reference list shows both)."""
    return bool(sections.get(doc.key(a.key), set()) & sections.get(doc.key(b.key), set()))


# what a work is published as: a conference paper and its journal version (or the thesis it
# grew from) are two publications, cited together on purpose; a preprint is the same work
_KINDS = {
    "article": "journal",
    "inproceedings": "conference",
    "conference": "conference",
    "incollection": "conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}
_PREPRINT = re.compile(r"arxiv|corr\b|preprint|biorxiv|medrxiv|ssrn|openreview", re.I)


def _versions(a, b) -> bool:
    """Two publications of one title: different kinds of venue, in different years, and
    neither a preprint (the conference paper of 2011 and the journal paper of 2013)."""
    ka, kb = _KINDS.get(a.type.lower()), _KINDS.get(b.type.lower())
    ya, yb = a.fields.get("year", "").strip(), b.fields.get("year", "").strip()
    if ka is None or kb is None or ka == kb or not ya or not yb or ya == yb:
        return False
    venues = " ".join(e.fields.get(f, "") for e in (a, b) for f in ("journal", "booktitle"))
    return (
        not _PREPRINT.search(venues) and not a.fields.get("eprint") and not b.fields.get("eprint")
    )


def _name_keys(authors: str) -> set[str]:
    """Each author as surname and first initial ('kim b' for "Kim, B." and "Byung Kim")."""
    out = set()
    for name in re.split(r"\s+and\s+", re.sub(r"[{}\\]", "", authors)):
        name = name.strip()
        if not name or name.lower() == "others":
            continue
        if "," in name:
            last, first = name.split(",", 1)
        else:
            *given, last = name.split()
            first = given[0] if given else ""
        out.add(f"{last.strip().lower()} {first.strip()[:1].lower()}")
    return out


def _other_authors(a, b) -> bool:
    """Two works that share a generic title ("What is Lateral Movement", by two companies):
    no author in common, at different addresses. A preprint and its published version have
    the same authors."""
    if a.fields.get("url") and a.fields.get("url") == b.fields.get("url"):
        return False
    na, nb = _name_keys(a.fields.get("author", "")), _name_keys(b.fields.get("author", ""))
    return bool(na) and bool(nb) and not na & nb


diagnostic_rule(
    "PT204",
    "bib-parse-error",
    "error",
    "A .bib block cannot be parsed",
    """
    What it does: reports blocks of a .bib file that the parser had to skip (unbalanced braces,
    a missing comma, a stray character before an entry).

    Why it matters: BibTeX skips or mangles them too: the entries after the error may vanish from
    your references.

    Example: `@article{key, title={Broken}` without the closing brace.

    Fix: repair the entry at the line given.
    """,
)


@rule("PT205", "duplicate-bib-key", "warning", "Two .bib entries use the same key")
def duplicate_key(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a .bib entry whose key was already used by an earlier entry (info
    when the key is never cited: BibTeX only reads the entries it prints). Keys
    are compared as the bibliography tool compares them: BibTeX ignores case (`Smith2020` and
    `smith2020` are one key), biber does not. Five or more in one .bib (a file merged from
    several exports) are one finding, every duplicate a related location.

    Why it matters: BibTeX uses the first and warns "Repeated entry" (biber too: "Duplicate
    entry key ... skipping"); if the two differ, the reference list may show the wrong one.

    Example: two `@article{smith2020, ...}` in refs.bib.

    Fix: delete one, or give it its own key.
    """
    cited = doc.cited_keys()
    everything = any(c.key == "*" for c in doc.cites)
    tool = "biber" if doc.biber else "BibTeX"  # the tool that reads the .bib keeps the first
    groups: dict[tuple[str, bool], list] = {}
    for d in doc.diagnostics_for("duplicate-bib-key"):
        # BibTeX only reads (and complains about) the entries it prints
        quiet = not everything and d.extra is not None and doc.key(d.extra) not in cited
        groups.setdefault((d.file, quiet), []).append(d)
    for (file, quiet), found in groups.items():
        severity = Severity.INFO if quiet else None
        if len(found) < REPEATED:
            for d in found:
                yield Hit(
                    f"{d.message} ({tool} uses the first)",
                    Location(d.file, d.line, d.col),
                    severity=severity,
                )
            continue
        # a .bib merged from several exports: one finding, every place related
        keys = [d.extra or "?" for d in found]
        shown = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
        yield Hit(
            f"{len(found)} duplicate bib keys in {file} ({shown}): {tool} uses the first of each",
            Location(found[0].file, found[0].line, found[0].col),
            "delete the repeated entries (or merge the files they came from)",
            severity=severity,
            related=tuple(Location(d.file, d.line, d.col) for d in found[1:]),
        )
    if doc.bib_case_sensitive:
        return
    first: dict[str, object] = {}
    for e in doc.bib_entries:
        k = e.key.lower()
        other = first.setdefault(k, e)
        # keys that differ in case: reported when BibTeX reads them (cited), exact ones above
        if other is not e and other.key != e.key and (everything or k in cited):
            yield Hit(
                f"bib key '{e.key}' is '{other.key}' ({other.file}:{other.line}) for BibTeX, "
                "which ignores case (it uses the first)",
                Location(e.file, e.line, 1),
                "delete one entry, or give it its own key",
                related=(Location(other.file, other.line, 1),),
            )


@rule("PT206", "duplicate-bib-field", "warning", "A .bib entry sets the same field twice")
def duplicate_field(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports entries with a field given twice (for example two `title` fields);
    information only when the paper does not cite the entry (a shared .bib): BibTeX reads only
    the entries it prints and says nothing about the others.

    Why it matters: BibTeX keeps one of them and warns; the other is silently lost.

    Example: `@misc{x, title={A}, title={B}}`.

    Fix: keep the right value and delete the other.
    """
    cited = doc.cited_keys()
    everything = any(c.key == "*" for c in doc.cites)
    for d in doc.diagnostics_for("duplicate-bib-field"):
        quiet = not everything and d.extra is not None and doc.key(d.extra) not in cited
        yield Hit(
            d.message, Location(d.file, d.line, d.col), severity=Severity.INFO if quiet else None
        )
