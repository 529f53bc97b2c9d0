"""The coauthor report as JSON: a documented, versioned schema (docs/report-json.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from papertrack import __version__
from papertrack.completion import PARTS, Completion

# Bump on any change a consumer could notice; additions of keys bump the minor part.
# 1.1: is_done.revision_allowed_days; 1.2: is_done.revision_files
SCHEMA = "papertrack-report/1.2"


def _loc(loc) -> dict[str, Any] | None:
    return None if loc is None else {"file": loc.file, "line": loc.line, "col": loc.col}


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def data(result, comp: Completion, snaps: list[dict], proj=None, as_of=None) -> dict[str, Any]:
    """The report as plain data (what `render` writes)."""
    doc = result.document
    pages = doc.pages
    return {
        "schema": SCHEMA,
        "papertrack": __version__,
        "paper": {"folder": doc.folder.name, "main": doc.main},
        "as_of": None
        if as_of is None
        else {
            "commit": as_of.commit.sha,
            "time": dt.datetime.fromtimestamp(as_of.commit.time, dt.timezone.utc).isoformat(),
            "asked": as_of.label,
        },
        "is_done": {
            "value": round(comp.honest, 4),
            "drafting": round(comp.drafting, 4),
            "revision": None if comp.revision is None else round(comp.revision, 4),
            "rewritten": comp.rewritten,
            "revision_days": None if comp.revision_days is None else comp.revision_days[0],
            "drafting_days": None if comp.revision_days is None else comp.revision_days[1],
            "revision_allowed_days": comp.revision_allowed,
            "revision_files": comp.revision_files,
            "revision_basis": comp.revision_basis,
            "blockers": comp.blockers,
        },
        "feels_done": {
            "value": None if comp.felt is None else round(comp.felt, 4),
            "words": comp.words,
            "target_words": comp.target_words if comp.target_known else None,
            "basis": comp.budget_basis,
        },
        "hours_left": None if comp.hours_range is None else list(comp.hours_range),
        "hours_basis": comp.hours_basis,
        "pages": None
        if pages is None
        else {
            "main": getattr(pages, "main_pages", None),
            "limit": getattr(pages, "limit", None),
            "method": getattr(pages, "method", None),
        },
        "venue": None if not doc.venue else {"name": doc.venue.name, "mode": doc.venue.mode},
        "sections": [
            {
                "title": r.title,
                "role": r.role,
                "status": r.status,
                "words": r.words,
                "target": r.target,
                "owner": r.owner,
                "location": _loc(r.location),
                "todos": [
                    {"text": t.text, "kind": t.kind, "owner": t.owner, "location": _loc(t.location)}
                    for t in r.todos
                ],
                "reasons": r.reasons,
            }
            for r in comp.sections
        ],
        "floats": [
            {
                "kind": f.kind,
                "label": f.label,
                "state": f.state,
                "problems": f.problems,
                "section": f.section,
                "location": _loc(f.location),
            }
            for f in comp.floats
        ],
        "tasks": [
            {
                "part": t.part,
                "part_name": PARTS[t.part],
                "text": t.text,
                "detail": t.detail,
                "hours": round(t.hours, 2),
                "section": t.section,
                "owner": t.owner,
                "locations": [_loc(x) for x in t.locations],
            }
            for t in comp.tasks
        ],
        "projection": None
        if proj is None
        else {
            "status": proj.status,
            "finish": _date(proj.finish),
            "finish_low": _date(proj.finish_low),
            "finish_high": _date(proj.finish_high),
            "deadline": _date(proj.deadline),
            "per_day": None if proj.per_day is None else round(proj.per_day, 5),
            "needed_per_day": None
            if proj.needed_per_day is None
            else round(proj.needed_per_day, 5),
            "basis": proj.basis,
            "today": _date(proj.today),
        },
        "history": [
            {k: s.get(k) for k in ("time", "source", "commit", "words", "honest", "felt")}
            for s in snaps
        ],
    }


def render(result, comp: Completion, snaps: list[dict], proj=None, as_of=None) -> str:
    return json.dumps(data(result, comp, snaps, proj, as_of), indent=2, ensure_ascii=False) + "\n"
