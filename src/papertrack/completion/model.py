"""The honest completion model: section statuses, the work left as tasks, felt vs honest figures."""

from __future__ import annotations

from dataclasses import dataclass

from papertrack.completion import tasks as work
from papertrack.completion.floats import FloatRow, floats
from papertrack.completion.locate import Locator
from papertrack.completion.sections import SectionRow, build_rows
from papertrack.completion.tasks import PARTS, Task
from papertrack.completion.weights import resolve
from papertrack.findings import Finding, Location
from papertrack.model.document import Document


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

    todos = work.todos(doc, by_code, row_at, tasks, w)
    float_rows = floats(doc, by_code, row_at, tasks, w)
    work.related(doc, rows, loc, tasks, w)
    work.bibliography(doc, by_code, tasks, w)
    work.venue(doc, by_code, tasks, w)
    work.other(by_code, row_at, tasks, w)
    _statuses(rows, cfg, w)
    work.writing(rows, tasks, w)
    work.intro_rewrite(rows, tasks, w)
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
        floats=float_rows,
        tasks=tasks,
        hours_done=done_h,
        hours_left=sum(t.hours for t in tasks),
        todos=todos,
        weights=w,
        pages=doc.pages,
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
