"""The honest completion model: section statuses, the work left as tasks, felt vs honest figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from papertrack.completion import tasks as work
from papertrack.completion.floats import FloatRow, floats
from papertrack.completion.locate import Locator
from papertrack.completion.sections import SectionRow, budget, build_rows
from papertrack.completion.tasks import PARTS, Task
from papertrack.completion.weights import resolve
from papertrack.findings import Finding, Location
from papertrack.model.document import Document


@dataclass
class Completion:
    """Felt and honest completion, the section table, the floats and the work left."""

    felt: float | None  # None when no target length is known (it would be true by construction)
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
    drafting: float = 0.0  # the drafting part: writing done against writing and work left
    rewritten: float | None = None  # share of the full-length text rewritten since (from git)
    revision: float | None = None  # revision progress (history.Revision.progress), None without git
    revision_days: tuple[float, float] | None = None  # (days revising, days drafting took)
    revision_basis: str = ""
    revision_allowed: float | None = None  # days revision may take (Revision.allowed)
    revision_files: list[dict] = field(default_factory=list)  # Revision.by_file, per file
    blockers: list[str] = field(default_factory=list)  # why it cannot read done yet
    target_known: bool = True
    hours_range: tuple[float, float] | None = None
    hours_basis: str = ""

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


def combine(drafting: float, revision: float | None, blocked: bool, w: dict[str, float]) -> float:
    """Is done: drafting and revision together. Writing takes about twice as long as it feels:
    the drafting part is `drafting-part` of the work, revision (history.Revision.progress) the
    rest. Without git there is no revision measure: the figure is the drafting part alone, and
    reports say so. A paper with open notes, missing sections or unresolved references never
    reads done."""
    if revision is None:
        value = drafting
    else:
        part = w["drafting-part"]
        # revision only counts once there is a draft to revise
        value = part * drafting + (1 - part) * revision * min(1.0, drafting / w["written-at"])
    return min(value, BLOCKED_CAP) if blocked else min(1.0, value)


# Parts of the work left that do not weigh on the drafting figure (see assess).
POLISH = ("other", "bibliography", "references")

# The highest figure a paper with open notes, missing sections or unresolved references reads.
BLOCKED_CAP = 0.9


def assess(result, revision=None, revision_basis: str = "") -> Completion:
    """The completion of a checked paper (a papertrack.check.CheckResult); `revision` is the
    revision measure from git (a history.Revision), None without git."""
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
    covered = work.related(doc, rows, loc, tasks, w)
    if covered:
        # the literature is reviewed elsewhere (the introduction): no related work to write
        rows = [r for r in rows if r not in covered]
        total = sum(r.target for r in rows)
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
    known = not basis.startswith("no page limit known")
    if known:
        credit = sum(r.credit(w["written-at"]) for r in rows)
    else:
        # no target length: the typical paper's budget cannot say how long this one should be,
        # so a section past the stub stage counts as drafted (structure, not length)
        credit = sum(
            float(r.target) if r.present and r.status not in ("missing", "stub") else r.credit(1.0)
            for r in rows
        )
    total_h = total / wph
    done_h = credit / wph
    # polish (warnings, bibliography fields, labels) is in the hours left but not in how far
    # the writing is: finished papers are submitted with some of it (every final measured in
    # bench/history_calibration.py carries 0.3-3 h); what of it blocks done (unresolved
    # references or citations) is a blocker instead
    other_h = sum(t.hours for t in tasks if t.part not in ("writing", "sections", *POLISH))
    felt = (min(1.0, doc.words / (w["written-at"] * total)) if total else 1.0) if known else None
    # the tasks weigh on drafting up to `task-share` of the writing effort: a long list of
    # small fixes is not a paper unwritten
    other_h = min(other_h, w["task-share"] * total_h)
    if total_h + other_h > 0:
        drafting = done_h / (total_h + other_h)
    else:
        # no section expected or present (an empty document, a skeleton, a text without
        # headings): nothing to weigh, so the words against a typical paper's, never "done"
        # by default (an empty document read 100%)
        typical, _ = budget(doc, cfg)
        drafting = min(1.0, doc.words / (w["written-at"] * typical)) if typical else 0.0
        if drafting < 1.0:
            tasks.insert(
                0,
                Task(
                    "writing",
                    f"Write the paper: no section yet ({doc.words} words; a typical paper of "
                    f"this layout has about {typical})",
                    (w["written-at"] * typical - doc.words) / wph,
                ),
            )
    blockers = _blockers(rows, tasks, by_code, doc)
    progress = revision.progress(w, cfg.deadline) if revision is not None else None
    honest = combine(drafting, progress, bool(blockers), w)
    hours_left = sum(t.hours for t in tasks)
    rng, hours_basis = _hours_range(tasks, known, w)
    return Completion(
        felt=felt,
        honest=honest,
        words=doc.words,
        target_words=total,
        budget_basis=basis,
        sections=rows,
        floats=float_rows,
        tasks=tasks,
        hours_done=done_h,
        hours_left=hours_left,
        todos=todos,
        weights=w,
        pages=doc.pages,
        drafting=drafting,
        rewritten=revision.rewritten if revision is not None else None,
        revision=progress,
        revision_days=(round(revision.days, 2), round(revision.drafting_days, 2))
        if revision is not None
        else None,
        revision_allowed=(
            round(a, 2)
            if revision is not None and (a := revision.allowed(w, cfg.deadline))
            else None
        ),
        revision_files=revision.by_file(w, cfg.deadline) if revision is not None else [],
        revision_basis=revision_basis
        or ("not measured: no git history" if revision is None else ""),
        blockers=blockers,
        target_known=known,
        hours_range=rng,
        hours_basis=hours_basis,
    )


def _blockers(rows: list[SectionRow], tasks: list[Task], by_code, doc) -> list[str]:
    """What keeps the paper from reading done, whatever its length and revision."""
    out = []
    todos = sum(1 for t in tasks if t.part == "todos")
    if todos:
        out.append(f"{todos} open note{'s' if todos != 1 else ''} (TODO, ??, filler)")
    # a section the venue requires (or the config expects) and the paper lacks; the default
    # expectations (related work, a conclusion) are a guess that theses and tutorials break
    missing = [r.title for r in rows if not r.present and (r.required or r.configured)]
    if missing:
        out.append("missing section" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    refs = len(by_code.get("PT101", [])) + len(by_code.get("PT201", []))
    if refs:
        out.append(
            f"{refs} unresolved reference{'s' if refs != 1 else ''} or citation{'s' if refs != 1 else ''}"
        )
    figs = sum(1 for t in tasks if t.part == "figures" and t.hours >= 1)
    if figs:
        out.append(f"{figs} figure{'s' if figs != 1 else ''} to make or add")
    pages = doc.pages
    if getattr(pages, "method", None) in ("exact", "pdf") and (getattr(pages, "over", 0) or 0) > 0:
        out.append(f"{pages.over:.1f} page{'s' if pages.over > 1 else ''} over the limit")
    return out


def _hours_range(tasks: list[Task], known: bool, w) -> tuple[tuple[float, float] | None, str]:
    """Hours left as a range with its basis; writing hours only against a known target."""
    counted = [t for t in tasks if known or t.part not in ("writing", "sections")]
    if not counted:
        return None, "no task with a known effort left"
    hours = sum(t.hours for t in counted)
    basis = (
        f"{len(counted)} task{'s' if len(counted) != 1 else ''} at the model's weights, from half "
        "to twice their sum (writing at 125 to 500 words an hour)"
    )
    if not known:
        basis += "; writing not included: no target length known"
    basis += "; revision is not in hours (see the revision measure)"
    return (round(hours * 0.5, 1), round(hours * 2.0, 1)), basis


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
