"""The honest completion model: section statuses, the work left as tasks, felt vs honest figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.completion.locate import Locator
from papertrack.completion.sections import SectionRow, Todo, build_rows
from papertrack.completion.weights import resolve
from papertrack.findings import Finding, Location, Severity
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
    "revision": "revision",
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


@dataclass
class FloatRow:
    """A figure or table and how finished it is."""

    kind: str
    label: str | None
    caption: str
    state: str  # done | placeholder | missing file | no caption | empty caption | unreferenced | no label
    problems: list[str]
    location: Location
    section: str | None
    in_appendix: bool


@dataclass
class Completion:
    """Felt and honest completion, the section table, the floats and the work left."""

    felt: float
    honest: float
    words: int
    target_words: int
    budget_basis: str
    sections: list[SectionRow]
    floats: list[FloatRow]
    tasks: list[Task]
    hours_done: float
    hours_left: float
    todos: int
    weights: dict[str, float]
    pages: object | None = None

    def parts(self) -> dict[str, float]:
        """Hours left by part of the work, largest first."""
        out: dict[str, float] = {}
        for t in self.tasks:
            out[t.part] = out.get(t.part, 0.0) + t.hours
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def reasons(self) -> list[str]:
        """Why the honest figure is below the felt one, one line per part of the work left."""
        out = []
        for part, hours in self.parts().items():
            ts = [t for t in self.tasks if t.part == part]
            n = (
                sum(max(1, len(t.locations)) for t in ts)
                if part not in ("writing", "sections")
                else len(ts)
            )
            out.append(f"{PARTS[part]}: about {hours:.1f} h ({n} item{'s' if n != 1 else ''})")
        return out


def assess(result) -> Completion:
    """The completion of a checked paper (a papertrack.check.CheckResult)."""
    doc: Document = result.document
    cfg = result.config
    w = resolve(cfg.completion)
    loc = Locator(doc)
    rows, total, basis = build_rows(doc, cfg, loc.tops, w)
    by_index = {r.index: r for r in rows if r.index is not None}
    tasks: list[Task] = []
    by_code: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_code.setdefault(f.code, []).append(f)

    def row_at(location: Location | None) -> SectionRow | None:
        if location is None:
            return None
        return by_index.get(loc.section_of(location.file, location.line, location.col))

    todos = _todos(doc, by_code, row_at, tasks, w)
    floats = _floats(doc, by_code, row_at, tasks, w)
    _related(doc, rows, loc, tasks, w)
    _bibliography(doc, by_code, tasks, w)
    _venue(doc, by_code, tasks, w)
    _other(by_code, row_at, tasks, w)
    _statuses(rows, cfg, w)
    _writing(rows, tasks, w)
    _intro_rewrite(rows, tasks, w)
    for t in tasks:
        t.owner = (
            t.owner
            or (t.section and next((r.owner for r in rows if r.title == t.section), None))
            or None
        )
    tasks.sort(key=lambda t: (-t.hours, t.locations[0] if t.locations else Location("")))

    wph = w["words-per-hour"]
    credit = sum(r.credit(w["written-at"]) for r in rows)
    total_h = total / wph
    done_h = credit / wph
    other_h = sum(t.hours for t in tasks if t.part not in ("writing", "sections"))
    felt = min(1.0, doc.words / (w["written-at"] * total)) if total else 1.0
    honest = done_h / (total_h + other_h) if total_h + other_h > 0 else 1.0
    return Completion(
        felt=felt,
        honest=min(honest, felt),
        words=doc.words,
        target_words=total,
        budget_basis=basis,
        sections=rows,
        floats=floats,
        tasks=tasks,
        hours_done=done_h,
        hours_left=sum(t.hours for t in tasks),
        todos=todos,
        weights=w,
        pages=doc.pages,
    )


def todo_owner(doc: Document, file: str, line: int, col: int) -> str | None:
    """The NAME of `\\todo[author=NAME]{...}` written at this position, if any."""
    src = doc.project.files.get(file)
    if src is None or line < 1 or line > len(src._line_starts):
        return None
    pos = src._line_starts[line - 1] + col - 1
    m = _AUTHOR.match(src.text, pos)
    if not m:
        return None
    kv = _AUTHOR_KV.search(m.group(1))
    return kv.group(1).strip() if kv else None


def _todos(doc, by_code, row_at, tasks: list[Task], w) -> int:
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


def _float_label(fl) -> str | None:
    return (fl.labels or fl.sub_labels or [None])[0]


def _floats(doc, by_code, row_at, tasks: list[Task], w) -> list[FloatRow]:
    at = {
        code: {f.location: f for f in by_code.get(code, [])} for code in ("PT103", "PT104", "PT105")
    }
    empty = {f.location for f in by_code.get("PT302", [])}
    missing_graphics = {f.location for f in by_code.get("PT106", [])}
    # a missing graphics file belongs to the last float opened before it in its file
    missing_by_float: dict[int, list[Location]] = {}
    for g in doc.graphics:
        gl = Location(g.file, g.line, g.col)
        if gl not in missing_graphics:
            continue
        owner = max(
            (
                i
                for i, fl in enumerate(doc.floats)
                if fl.file == g.file
                and (fl.line, fl.col) <= (g.line, g.col)
                and g.path in fl.graphics
            ),
            default=None,
            key=lambda i: (doc.floats[i].line, doc.floats[i].col),
        )
        if owner is not None:
            missing_by_float.setdefault(owner, []).append(gl)
        else:
            tasks.append(
                Task("figures", f"Add the missing image {g.path}", w["graphics-file"], [gl])
            )
    out: list[FloatRow] = []
    empty_by_file_line = {(e.file, e.line) for e in empty}
    for i, fl in enumerate(doc.floats):
        if fl.kind not in ("figure", "table") or (fl.after_bibliography and not fl.in_appendix):
            continue
        where = Location(fl.file, fl.line, fl.col)
        label = _float_label(fl)
        name = f"{fl.kind} '{label}'" if label else f"the {fl.kind} at {where.file}:{where.line}"
        row = row_at(where)
        section = row.title if row else fl.section
        problems: list[str] = []
        if fl.placeholder:
            problems.append("placeholder")
            tasks.append(
                Task("figures", f"Make {name} (a placeholder now)", w["figure"], [where], section)
            )
        for gl in missing_by_float.get(i, []):
            problems.append("missing file")
            path = next(
                (g.path for g in doc.graphics if Location(g.file, g.line, g.col) == gl), "?"
            )
            tasks.append(
                Task(
                    "figures",
                    f"Add the missing image {path} of {name}",
                    w["graphics-file"],
                    [gl],
                    section,
                )
            )
        if where in at["PT105"]:
            problems.append("no caption")
            tasks.append(
                Task("figures", f"Write a caption for {name}", w["caption"], [where], section)
            )
        elif fl.empty_caption and any(
            e[0] == fl.file and e[1] >= fl.line for e in empty_by_file_line
        ):
            problems.append("empty caption")
            cap = min(
                (e for e in empty if e.file == fl.file and e.line >= fl.line), key=lambda e: e.line
            )
            tasks.append(
                Task("figures", f"Write the empty caption of {name}", w["caption"], [cap], section)
            )
        if where in at["PT103"]:
            problems.append("unreferenced")
            tasks.append(
                Task(
                    "figures",
                    f"Discuss {name} in the text (never referenced)",
                    w["float-ref"],
                    [where],
                    section,
                )
            )
        if where in at["PT104"]:
            problems.append("no label")
            tasks.append(
                Task(
                    "references",
                    f"Label {name} so the text can refer to it",
                    w["reference"],
                    [where],
                    section,
                )
            )
        if row is not None:
            for prob in problems:
                kind = "block" if prob in ("placeholder", "missing file") else "issue"
                row.reasons.append(f"{kind}: {name}: {prob}")
        out.append(
            FloatRow(
                fl.kind,
                label,
                (fl.captions[0] if fl.captions else ""),
                problems[0] if problems else "done",
                problems,
                where,
                section,
                fl.in_appendix,
            )
        )
    for f in by_code.get("PT302", []):
        if not any(t.locations and t.locations[0] == f.location for t in tasks):
            tasks.append(Task("figures", "Write the empty caption", w["caption"], [f.location]))
    return out


def _related(doc, rows: list[SectionRow], loc: Locator, tasks: list[Task], w) -> None:
    keys: dict[int, set[str]] = {}
    for c in doc.cites:
        i = loc.section_of(c.file, c.line, c.col)
        if i is not None and c.key != "*":
            keys.setdefault(i, set()).add(c.key.lower())
    for r in rows:
        if r.index is not None:
            r.cites = len(keys.get(r.index, ()))
    related = [r for r in rows if r.role == "related"]
    where_literature = "related work"
    if not related:
        # no related-work section: the literature is reviewed in the introduction or background
        related = [r for r in rows if r.present and r.role in ("introduction", "background")]
        where_literature = "where the paper reviews the literature"
    if not related:
        return
    have = len(set().union(*(keys.get(r.index, set()) for r in related if r.index is not None)))
    want = round(w["related-cites"])
    if have >= want:
        return
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


def _bibliography(doc, by_code, tasks: list[Task], w) -> None:
    undefined = by_code.get("PT201", [])
    if undefined:
        keys = sorted({m.group(1) for f in undefined for m in [_KEY.search(f.message)] if m})
        tasks.append(
            Task(
                "bibliography",
                f"Add bibliography entries for {len(keys)} undefined citation key{'s' if len(keys) != 1 else ''}",
                len(keys) * w["bib-entry"],
                [f.location for f in undefined if f.location],
                detail=_sample(keys),
            )
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
        tasks.append(
            Task(
                "bibliography",
                f"Complete {len(incomplete)} cited bibliography entr{'ies' if len(incomplete) != 1 else 'y'} with missing fields",
                len(incomplete) * w["bib-hygiene"],
                [Location(e.file, e.line, 1) for e, _ in incomplete],
                detail=_sample([_entry_text(e, m) for e, m in incomplete]),
            )
        )
    dups = [f for code in ("PT203", "PT205", "PT206") for f in by_code.get(code, [])]
    if dups:
        tasks.append(
            Task(
                "bibliography",
                f"Merge or fix {len(dups)} duplicate bibliography entr{'ies' if len(dups) != 1 else 'y'} or fields",
                len(dups) * w["bib-hygiene"],
                [f.location for f in dups if f.location],
            )
        )
    uncited = by_code.get("PT202", [])
    if uncited:
        n = sum(
            int(m.group(1)) if (m := re.match(r"(\d+) of \d+ entries", f.message)) else 1
            for f in uncited
        )
        summarised = any(re.match(r"\d+ of \d+ entries", f.message) for f in uncited)
        hours = (len(uncited) if summarised else n) * w[
            "uncited"
        ]  # a shared bibliography is not pruned
        tasks.append(
            Task(
                "bibliography",
                f"Cite or drop {n} uncited bibliography entr{'ies' if n != 1 else 'y'}",
                hours,
                [f.location for f in uncited if f.location],
            )
        )


def _venue(doc, by_code, tasks: list[Task], w) -> None:
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
    from papertrack.rules.progress import has_section

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


def _other(by_code, row_at, tasks: list[Task], w) -> None:
    refs = [f for code in ("PT101", "PT102") for f in by_code.get(code, [])]
    for f in refs:
        row = row_at(f.location)
        if row is not None:
            row.reasons.append(f"issue: {f.message}")
        tasks.append(
            Task(
                "references",
                f"Fix the {f.message}",
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


def _statuses(rows: list[SectionRow], cfg, w) -> None:
    written_at = w["written-at"]
    for r in rows:
        if not r.present:
            r.status = "missing"
            r.reasons = ["no such section yet", *(x.split(": ", 1)[1] for x in r.reasons)]
            continue
        ratio = r.words / r.target if r.target else 1.0
        short = r.role in ("short", "abstract")
        if ratio < 0.25 or (not short and r.words < cfg.stub_words):
            r.status = "stub"
        elif not r.is_written(written_at):
            r.status = "drafting"
        else:
            r.status = "drafted"
        if r.status in ("stub", "drafting"):
            r.reasons.insert(0, f"{r.words} of about {r.target} words")
        blockers = [x for x in r.reasons if x.startswith("block: ")]
        if r.todos:
            blockers.append(f"{len(r.todos)} open TODO{'s' if len(r.todos) > 1 else ''}")
            r.reasons.append(blockers[-1])
        issues = [x for x in r.reasons if x.startswith("issue: ")]
        if r.status == "drafted":
            if blockers:
                r.status = "drafting"
            elif not issues:
                r.status = "polished"
        r.reasons = [x.removeprefix("issue: ").removeprefix("block: ") for x in r.reasons]


def _writing(rows: list[SectionRow], tasks: list[Task], w) -> None:
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


def _intro_rewrite(rows: list[SectionRow], tasks: list[Task], w) -> None:
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
