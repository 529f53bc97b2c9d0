"""The work left, as tasks with an effort in hours and the file:line where to do it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.completion.locate import Locator
from papertrack.completion.sections import SectionRow, Todo
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.model.pages import ESTIMATE_ERROR

# What each part of the remaining work is called in reports, in display order.
PARTS = {
    "writing": "writing",
    "sections": "missing sections",
    "related": "related work",
    "figures": "figures and tables",
    "bibliography": "bibliography",
    "references": "cross-references",
    "pages": "page limit",
    "anonymity": "anonymization",
    "checklist": "checklist",
    "todos": "open TODOs",
    "revision": "introduction rewrite",  # not the revision measure, which is not in hours
    "other": "other fixes",
}
# Findings the model reads through the document instead (sections, pages) or not at all.
_SKIP = {"PT107", "PT303", "PT304", "PT501", "PT502"}
_KEY = re.compile(r"'([^']+)'")
_AUTHOR = re.compile(r"\\[A-Za-z@]+\*?\s*\[([^\]]*)\]")
_AUTHOR_KV = re.compile(r"\bauthor\s*=\s*\{?([^,}\]]+)")
# Fields a cited entry of each type needs to print properly ('a|b': either).
REQUIRED_FIELDS = {
    "article": ("author", "title", "journal", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "conference": ("author", "title", "booktitle", "year|date"),
    "incollection": ("author", "title", "booktitle", "year|date"),
    "book": ("author|editor", "title", "publisher", "year|date"),
    "phdthesis": ("author", "title", "school|institution", "year|date"),
    "mastersthesis": ("author", "title", "school|institution", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
    "online": ("title", "url|doi"),
    "misc": ("title",),
}


@dataclass
class Task:
    """One piece of work left, with its expected effort and where to do it."""

    part: str  # a key of PARTS
    text: str
    hours: float
    locations: list[Location] = field(default_factory=list)
    section: str | None = None
    owner: str | None = None
    detail: str | None = None  # e.g. the keys of a group of missing entries


def todo_owner(doc: Document, file: str, line: int, col: int) -> str | None:
    """The NAME of `\\todo[author=NAME]{...}` written at this position, if any."""
    src = doc.project.files.get(file)
    if src is None or line < 1:
        return None
    lines = src.text.split("\n")  # line numbers count \n only, as SourceFile does
    if line > len(lines):
        return None
    m = _AUTHOR.match(lines[line - 1], col - 1)
    if not m:
        return None
    kv = _AUTHOR_KV.search(m.group(1))
    return kv.group(1).strip() if kv else None


def todos(doc, by_code, row_at, tasks: list[Task], w) -> int:
    open_at = {f.location for f in by_code.get("PT301", [])}
    n = 0
    checklist: list[Location] = []
    for p in doc.placeholders:
        where = Location(p.file, p.line, p.col)
        if where not in open_at:
            continue  # suppressed, ignored by the config, or an empty caption
        if p.kind == "checklist":
            checklist.append(where)
            continue
        if p.text.startswith("\\missingfigure"):
            continue  # counted as a placeholder figure
        owner = todo_owner(doc, p.file, p.line, p.col) or p.owner
        row = row_at(where)
        if row is not None:
            row.todos.append(Todo(where, p.text, p.kind, owner))
        n += 1
        kind = {"lorem": "filler", "question-marks": "question-marks"}.get(p.kind, "todo")
        what = {"filler": "Replace filler text", "question-marks": "Fill in '??'"}.get(
            kind, "Resolve"
        )
        text = p.text if kind == "todo" else ""
        tasks.append(
            Task(
                "todos",
                f"{what}{': ' + text if text else ''}",
                w[kind],
                [where],
                row.title if row else None,
                owner,
            )
        )
    if checklist:
        tasks.append(
            Task(
                "checklist",
                f"Answer {len(checklist)} checklist item{'s' if len(checklist) > 1 else ''} left as TODO",
                w["checklist-item"] * len(checklist),
                checklist,
            )
        )
    return n


def related(doc, rows: list[SectionRow], loc: Locator, tasks: list[Task], w) -> list[SectionRow]:
    """Cites per section, and a task when the literature is not covered yet. Returns the
    missing related-work rows to drop because the paper reviews the literature elsewhere."""
    keys: dict[int, set[str]] = {}
    for c in doc.cites:
        i = loc.section_of(c.file, c.line, c.col)
        if i is not None and c.key != "*":
            keys.setdefault(i, set()).add(doc.key(c.key))
    for r in rows:
        if r.index is not None:
            r.cites = len(keys.get(r.index, ()))
    want = round(w["related-cites"])
    related = [r for r in rows if r.role == "related" and r.present]
    missing = [r for r in rows if r.role == "related" and not r.present and not r.configured]
    where_literature = "related work"
    if not related:
        # no related-work section: the literature is reviewed in the introduction or background
        related = [r for r in rows if r.present and r.role in ("introduction", "background")]
        where_literature = "where the paper reviews the literature"
        elsewhere = set().union(
            *(keys.get(r.index, set()) for r in rows if r.present and r.index is not None)
        )
        if missing and len(elsewhere) >= want:
            return missing  # e.g. an introduction citing 30 works: nothing to write
    if not related:
        return []
    have = len(set().union(*(keys.get(r.index, set()) for r in related if r.index is not None)))
    if have >= want:
        return []
    first = related[0]
    for r in related:
        r.reasons.append(f"block: cites {have} works; related work is covered at about {want}")
    names = ", ".join(f"'{r.title}'" for r in related)
    tasks.append(
        Task(
            "related",
            f"Find, read and cite about {want - have} more related works in {names} ({where_literature}; {have} cited now)",
            (want - have) * w["citation"],
            [first.location] if first.location else [],
            first.title,
        )
    )
    return []


def _missing_fields(e) -> list[str]:
    need = REQUIRED_FIELDS.get(e.type.lower())
    if not need:
        return []
    names = {n.lower() for n in e.field_names}
    return [alt.split("|")[0] for alt in need if not any(a in names for a in alt.split("|"))]


def _entry_text(e, missing: list[str]) -> str:
    title = " ".join((e.fields.get("title") or "").split())
    title = f" '{title[:50]}{'…' if len(title) > 50 else ''}'" if title else ""
    return f"{e.key}{title} (no {', '.join(missing)})"


def _entries(n: int) -> str:
    return f"entr{'ies' if n != 1 else 'y'}"


def bibliography(doc, by_code, tasks: list[Task], w) -> None:
    def add(text: str, hours: float, where: list, detail: str | None = None) -> None:
        tasks.append(Task("bibliography", text, hours, where, detail=detail))

    def at(findings: list) -> list[Location]:
        return [f.location for f in findings if f.location]

    undefined = by_code.get("PT201", [])
    if undefined:
        keys = sorted({m.group(1) for f in undefined for m in [_KEY.search(f.message)] if m})
        add(
            f"Add bibliography entries for {len(keys)} undefined citation key{'s' if len(keys) != 1 else ''}",
            len(keys) * w["bib-entry"],
            at(undefined),
            detail=_sample(keys),
        )
    index = doc.bib_index()
    incomplete: list[tuple[object, list[str]]] = []
    for key in sorted(doc.cited_keys()):
        for e in index.get(key, [])[:1]:
            if e.type != "bibitem":
                miss = _missing_fields(e)
                if miss:
                    incomplete.append((e, miss))
    if incomplete:
        add(
            f"Complete {len(incomplete)} cited bibliography {_entries(len(incomplete))} with missing fields",
            len(incomplete) * w["bib-hygiene"],
            [Location(e.file, e.line, 1) for e, _ in incomplete],
            detail=_sample([_entry_text(e, m) for e, m in incomplete]),
        )
    dups = [f for code in ("PT203", "PT205", "PT206") for f in by_code.get(code, [])]
    if dups:
        # PT205 reports many duplicate keys of one .bib as one finding ("150 duplicate bib keys")
        n = sum(
            int(m.group(1)) if (m := re.match(r"(\d+) duplicate bib keys", f.message)) else 1
            for f in dups
        )
        add(
            f"Merge or fix {n} duplicate bibliography {_entries(n)} or fields",
            n * w["bib-hygiene"],
            at(dups),
        )
    uncited = by_code.get("PT202", [])
    if uncited:
        n = sum(
            int(m.group(1)) if (m := re.match(r"(\d+) of \d+ entries", f.message)) else 1
            for f in uncited
        )
        summarised = any(re.match(r"\d+ of \d+ entries", f.message) for f in uncited)
        # a shared bibliography is not pruned: a summary line is one task
        hours = (len(uncited) if summarised else n) * w["uncited"]
        add(f"Cite or drop {n} uncited bibliography {_entries(n)}", hours, at(uncited))


def venue(doc, by_code, tasks: list[Task], w) -> None:
    pages = doc.pages
    over = getattr(pages, "over", None)
    # an estimate is +/- `error` pages: claim an overrun only when it is clearly there
    margin = (
        (pages.error or ESTIMATE_ERROR) / 2
        if pages is not None and pages.method == "estimate"
        else 0.0
    )
    if over is not None and over > margin:
        est = (
            f" (estimated, +/- {pages.error or ESTIMATE_ERROR:.1f})"
            if pages.method == "estimate"
            else ""
        )
        tasks.append(
            Task(
                "pages",
                f"Cut about {over:.1f} page{'s' if over > 1 else ''} to fit the {pages.limit:g}-page limit{est}",
                over * w["trim-page"],
                [Location(doc.main, 1, 1)],
            )
        )
    from papertrack.model.queries import has_section

    for pattern in doc.required_sections:
        if "checklist" in pattern.lower() and not has_section(doc, pattern, anywhere=True):
            why = f" ({doc.venue.name} requires it)" if doc.venue else ""
            tasks.append(
                Task(
                    "checklist",
                    f"Add the {pattern.split('|')[0]}{why}",
                    w["checklist"],
                    [Location(doc.main, 1, 1)],
                )
            )
    for code, fs in sorted(by_code.items()):
        if code.startswith("PT6"):
            for f in fs:
                tasks.append(
                    Task(
                        "anonymity",
                        f"Anonymize: {f.message}",
                        w["anonymity"],
                        [f.location] if f.location else [],
                    )
                )


def other(by_code, row_at, tasks: list[Task], w) -> None:
    refs = [f for code in ("PT101", "PT102") for f in by_code.get(code, [])]
    for f in refs:
        row = row_at(f.location)
        if row is not None:
            row.reasons.append(f"issue: {f.message}")
        tasks.append(
            Task(
                "references",
                f"Fix: {f.message}",
                w["reference"],
                [f.location] if f.location else [],
                row.title if row else None,
            )
        )
    handled = {
        "PT101",
        "PT102",
        "PT103",
        "PT104",
        "PT105",
        "PT106",
        "PT201",
        "PT202",
        "PT203",
        "PT205",
        "PT206",
        "PT301",
        "PT302",
    }
    for code, fs in sorted(by_code.items()):
        if code in handled or code in _SKIP or code.startswith("PT6"):
            continue
        fs = [f for f in fs if f.severity >= Severity.WARNING]
        if not fs:
            continue
        what = fs[0].message if len(fs) == 1 else f"{len(fs)} × {fs[0].name} ({code})"
        tasks.append(
            Task(
                "other", f"Fix {what}", len(fs) * w["other"], [f.location for f in fs if f.location]
            )
        )


def writing(rows: list[SectionRow], tasks: list[Task], w) -> None:
    wph, written_at = w["words-per-hour"], w["written-at"]
    for r in rows:
        left = r.target - r.credit(written_at)
        if left <= 0.5:
            continue
        need = max(1, round(written_at * r.target - r.words))
        if r.present:
            text = f"Write about {need} more words in '{r.title}' ({r.words} of about {r.target})"
        else:
            text = f"Write the missing '{r.title}' section (about {r.target} words)"
        tasks.append(
            Task(
                "writing" if r.present else "sections",
                text,
                left / wph,
                [r.location] if r.location else [],
                r.title,
                r.owner,
            )
        )


def intro_rewrite(rows: list[SectionRow], tasks: list[Task], w) -> None:
    intro = next((r for r in rows if r.role == "introduction" and r.present and r.words), None)
    unfinished = [
        r for r in rows if r.role == "experiments" and r.status in ("missing", "stub", "drafting")
    ]
    if intro is None or not unfinished or not w["intro-rewrite"]:
        return
    names = ", ".join(f"'{r.title}'" for r in unfinished)
    tasks.append(
        Task(
            "revision",
            f"Revise '{intro.title}' once {names} {'is' if len(unfinished) == 1 else 'are'} final (its claims follow the results)",
            max(0.5, w["intro-rewrite"] * intro.words / 1000),
            [intro.location] if intro.location else [],
            intro.title,
            intro.owner,
        )
    )


def _sample(items: list[str], n: int = 8) -> str:
    head = ", ".join(items[:n])
    return head + (f" and {len(items) - n} more" if len(items) > n else "")
