"""JSON output: a documented, versioned schema (see docs/json-schema.md)."""

from __future__ import annotations

import json
from typing import Any

from papertrack import __version__
from papertrack.engine import Analysis
from papertrack.findings import Finding, Location, Severity
from papertrack.reporters.escape import json_text, unicode_tree

SCHEMA = "papertrack-check/1"


def _loc(loc: Location | None) -> dict[str, Any]:
    if loc is None:
        return {"file": None, "line": None, "col": None}
    return {"file": loc.file, "line": loc.line, "col": loc.col}


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        **_loc(f.location),
        "fix": f.fix,
        "related": [_loc(r) for r in f.related],
    }


def result_dict(r: Analysis) -> dict[str, Any]:
    doc = r.document
    counts = r.counts()
    return {
        "schema": SCHEMA,
        "papertrack": __version__,
        "project": {
            "folder": str(doc.folder),
            "main": doc.main,
            "main_reason": doc.project.main_reason,
            "alternatives": [{"file": f, "reason": why} for f, why in doc.project.alternatives],
            "files": list(doc.project.order),
            "bib_files": list(doc.project.bib_files),
        },
        "summary": {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
            "suppressed": r.suppressed,
            "words": doc.words,
            "abstract_words": doc.abstract_words,
            "caption_words": doc.caption_words,
            "floats": {
                k: sum(1 for fl in doc.floats if fl.kind == k)
                for k in ("figure", "table", "algorithm", "other")
            },
            "labels": len(doc.labels),
            "references": len(doc.refs),
            "citations": len(doc.cites),
            "cited_keys": len({c.key.lower() for c in doc.cites}),
            "bib_entries": len(doc.bib_entries),
            "placeholders": sum(1 for p in doc.placeholders if p.kind != "empty-caption"),
        },
        "sections": [
            {
                "title": s.title,
                "level": s.level,
                "file": s.heading.file,
                "line": s.heading.line,
                "words": s.words,
                "total_words": s.total_words,
                "in_appendix": s.in_appendix,
                "after_bibliography": s.after_bibliography,
                "owner": s.owner,
            }
            for s in doc.sections
        ],
        "venue": None
        if doc.venue is None
        else {
            "name": doc.venue.profile.name,
            "year": doc.venue.profile.year,
            "mode": doc.venue.mode,
            "page_limit": doc.venue.page_limit,
            "evidence": doc.venue.evidence,
        },
        "pages": _pages(doc.pages),
        "findings": [finding_dict(f) for f in r.findings],
        **({"build_record": r.build_record} if r.build_record is not None else {}),
    }


def _pages(p) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "method": p.method,
        "main_pages": p.main_pages,
        "limit": p.limit,
        "over": p.over,
        "error": p.error,
        "total_pages": p.total_pages,
        "ended_by": p.ended_by,
        "end": p.end,
        "bib_start_page": p.bib_start_page,
        "appendix_start_page": p.appendix_start_page,
        "caveat": p.caveat,
        "summary": p.summary,
    }


def render(r: Analysis) -> str:
    # a file name that is not UTF-8 would put a lone surrogate into the document, which no
    # strict JSON reader accepts: its bytes are written as `\xff` (docs/json-schema.md)
    return json_text(json.dumps(unicode_tree(result_dict(r)), indent=2, ensure_ascii=False))
