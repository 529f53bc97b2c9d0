"""Static findings against the build's record: when the paper compiled, TeX's answer wins.

The static reading gives every finding its file:line:col and answers before a build ends; the
record of a finished, converged build (pages/record.py) says what is true. A static finding
the record contradicts is dropped; what the record knows and the reading missed is added at
the best source location; every disagreement is listed so the reader can be fixed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from papertrack.facts import Cite
from papertrack.findings import Finding, Location
from papertrack.model import graphics as gr
from papertrack.model.document import Document
from papertrack.model.pythontex import made_by_code, python_code

if TYPE_CHECKING:
    # imported where a build record exists: a check without a build (--no-compile) reconciles
    # nothing and must not import the log reader
    from papertrack.pages.record import BuildRecord, Where

# The rules whose question the build answers exactly.
DECIDED = ("PT101", "PT102", "PT106", "PT201", "PT202")


@dataclass
class Merge:
    """What reconciling did: findings dropped or added, and the disagreements behind them."""

    record: BuildRecord | None
    authoritative: bool = False
    why_not: str = ""
    dropped: list[Finding] = field(default_factory=list)  # overruled by the build
    replaced: list[Finding] = field(default_factory=list)  # recomputed from the build (PT202)
    disagreements: list[dict] = field(default_factory=list)


def authority(doc: Document) -> tuple[BuildRecord | None, str]:
    """The build record when it may decide (finished and converged), else (record, why not)."""
    res = doc.compile
    rec = load_record(doc)
    if res is None or rec is None:
        return None, "no build record"
    if getattr(res, "killed", None):
        return rec, "the build was stopped"
    if not rec.finished:
        return rec, "TeX stopped before the end of the document"
    if rec.other_errors:
        # after a real error (not a missing figure) what LaTeX leaves undefined is mostly a
        # consequence of it (a broken .bbl loses every citation after it): fix PT701 first
        return rec, f"the build had errors ({rec.other_errors[0][:80]})"
    conv = getattr(res, "convergence", None)
    if conv is not None and not conv.converged:
        return rec, f"the build did not converge ({conv.reason})"
    return rec, ""


def load_record(doc: Document) -> BuildRecord | None:
    """The record of doc.compile's build, read once (None without a build or a log)."""
    res = doc.compile
    out_dir = getattr(res, "out_dir", None)
    if res is None or out_dir is None:
        return None
    if doc.__dict__.get("_record_of") is res:
        return doc.record  # read already (None when the build left no record)
    from papertrack.pages.record import read_record

    main = PurePosixPath(doc.main)
    log = getattr(res, "log", None)
    job = PurePosixPath(str(log)).stem if log else main.stem  # the build may rename the job
    rec = read_record(out_dir, job, str(main.parent), getattr(res, "bib_tool", "bibtex"))
    doc.record = rec
    doc.__dict__["_record_of"] = res
    return rec


def _index(items, key: Callable) -> dict[tuple[str, int, int], list[str]]:
    out: dict[tuple[str, int, int], list[str]] = {}
    for it in items:
        out.setdefault((it.file, it.line, getattr(it, "col", 1)), []).append(key(it))
    return out


def _at(f: Finding) -> tuple[str, int, int] | None:
    return (f.location.file, f.location.line, f.location.col) if f.location else None


def _where(doc: Document, places: list[Where]) -> Location:
    for w in places:
        # the log names files from TeX's working folder, the root file's folder
        rel = doc.project.from_workdir(w.file) if w.file else None
        if rel and (rel in doc.project.files or (doc.folder / rel).is_file()):
            return Location(rel, w.line or 1, 1)
    return Location(doc.main, 1, 1)


def _disagree(kind: str, key: str, static: str, build: str, where: Location | None) -> dict:
    return {
        "kind": kind,
        "key": key,
        "static": static,
        "build": build,
        "where": str(where) if where else None,
    }


def reconcile(
    doc: Document,
    findings: list[Finding],
    make: Callable[..., Finding | None],
    recheck: Callable[[str, Document], Iterable],
) -> tuple[list[Finding], Merge]:
    """Findings with the record's verdicts applied. make(code, message, location, fix) builds
    a finding of an active rule (None when that rule is not selected); recheck(code, view)
    runs an active rule on a view of the document (no hits when it is not selected)."""
    rec, why = authority(doc)
    merge = Merge(rec, authoritative=rec is not None and not why, why_not=why)
    if not merge.authoritative:
        if rec is not None:  # BibTeX ran: its complaint and the static twin are one finding
            from papertrack.pages.bibverdict import bib_verdicts

            findings = bib_verdicts(doc, rec, findings, confirm=False)[0]
        return findings, merge
    assert rec is not None
    from papertrack.pages.record import graphic_key

    refs = _index(doc.refs, lambda r: r.name)
    cites = _index(doc.cites, lambda c: c.key)
    labels = _index(doc.labels, lambda lb: lb.name)
    graphics = _index(doc.graphics, lambda g: g.path)
    missing = {graphic_key(n) for n in rec.missing_graphics}
    multi = set(rec.multiply_defined)
    tests = {
        "PT101": (refs, lambda k: k in rec.undefined_refs, "undefined-reference"),
        "PT201": (cites, lambda k: k in rec.undefined_cites, "undefined-citation"),
        "PT102": (labels, lambda k: k in multi, "duplicate-label"),
        "PT106": (graphics, lambda k: graphic_key(k) in missing, "missing-graphic"),
    }
    covered: dict[str, set[str]] = {code: set() for code in tests}
    kept: list[Finding] = []
    for f in findings:
        if f.code == "PT202":
            merge.replaced.append(f)  # recomputed below from what the build cited
            continue
        test = tests.get(f.code)
        at = _at(f)
        if test is None or at is None or at not in test[0]:
            kept.append(f)
            continue
        keys = test[0][at]
        hit = [k for k in keys if test[1](k)]
        if hit:
            covered[f.code].update(hit)
            kept.append(f)
        else:
            merge.dropped.append(f)
            merge.disagreements.append(
                _disagree(test[2], keys[0], "reported", "fine in the build", f.location)
            )
    kept += _added(doc, rec, covered, make, merge)
    uncited = _uncited(doc, rec, make, recheck, merge)
    again = {(f.location, f.message) for f in uncited}
    merge.dropped += [f for f in merge.replaced if (f.location, f.message) not in again]
    kept += uncited
    kept += _unread(doc, rec, kept, merge)
    from papertrack.pages.bibverdict import bib_verdicts

    kept, dropped = bib_verdicts(doc, rec, kept)
    for f, key in dropped:
        merge.dropped.append(f)
        merge.disagreements.append(_disagree(f.code, key, "reported", "not by BibTeX", f.location))
    return kept, merge


def one_per_entry(findings: list[Finding]) -> list[Finding]:
    """Without the BibTeX complaints (PT708) that PT208/PT209 already make at the same entry:
    one finding per cause, the one with the fix."""
    said = _said_by_source_rules(findings)
    return [f for f in findings if not (f.code == "PT708" and _repeats(f, said))]


def _said_by_source_rules(findings: list[Finding]) -> set[tuple[Location | None, str, str]]:
    """(place, entry, field) that PT208 ('has no institution') and PT209 ('no author, editor
    or key': field 'sort') report, confirmed by the build."""
    out = set()
    for f in findings:
        m = re.search(r"'([^']+)' has no (.+?)(?::| \(|$)", f.message)
        if f.code == "PT208" and m:
            out.update((f.location, m.group(1), x) for x in m.group(2).split(", "))
        elif f.code == "PT209" and m:
            out.add((f.location, m.group(1), "sort"))
    return out


def _repeats(f: Finding, said: set[tuple[Location | None, str, str]]) -> bool:
    """A BibTeX complaint about one entry that PT208/PT209 already make there, with a fix:
    'empty institution in openonload', 'to sort, need author or key in rpclib'."""
    for part in f.message.removeprefix("BibTeX: ").split("; "):
        m = re.fullmatch(r"(?:empty (\w+)|to sort, need .*) in (\S+)", part)
        if m is None or (f.location, m.group(2), m.group(1) or "sort") not in said:
            return False
    return True


def _first(items, pred) -> Location | None:
    for it in items:
        if pred(it):
            return Location(it.file, it.line, getattr(it, "col", 1))
    return None


def _running_head(doc: Document, key: str) -> tuple[Location, str] | None:
    """A reference LaTeX looked up upper-cased: the section title (running head) holding it."""
    if key != key.upper():
        return None
    for r in doc.refs:
        if r.name.upper() != key or r.name == key:
            continue
        for s in doc.sections:
            h = s.heading
            if h.file == r.file and h.line <= r.line <= h.line + 2:
                return Location(h.file, h.line, h.col), r.name
    return None


def bib_tool_failed(doc: Document) -> bool:
    """BibTeX or Biber did not run through (a style or database it could not open): every
    citation is undefined because of it, which PT701 reports once."""
    return any(
        p.kind in ("bibtex-error", "biber-error", "missing-bib") and not p.line
        for p in getattr(doc.compile, "problems", ())
    )


def _added(doc, rec: BuildRecord, covered, make, merge: Merge) -> list[Finding]:
    """What the build reports and no kept static finding covers, at the best source place."""
    from papertrack.pages.record import graphic_key

    out: list[Finding] = []

    def add(code, kind, key, message, where, fix=None):
        f = make(code, message, where, fix)
        if f is not None:
            out.append(f)
        merge.disagreements.append(_disagree(kind, key, "not reported", "reported", where))

    code = python_code(doc)
    for key, places in rec.undefined_refs.items():
        if key in covered["PT101"] or made_by_code(key, code):
            continue  # (PythonTeX, which papertrack does not run, prints that label)
        head = _running_head(doc, key)
        if head is not None:
            where, name = head
            add(
                "PT702",
                "undefined-reference",
                key,
                f"reference '{key}' undefined in the running head: the class upper-cases this "
                f"section title, so \\ref{{{name}}} is looked up as '{key}'",
                where,
                "wrap the reference in \\texorpdfstring or give the section a short title "
                "without it (\\section[short]{long})",
            )
            continue
        where = _first(doc.refs, lambda r, k=key: r.name == k) or _where(doc, places)
        add("PT702", "undefined-reference", key, f"reference '{key}' undefined in the build", where)
    # a .bib the source names is missing (PT007): every citation is undefined for that one cause
    bib_missing = bool(doc.diagnostics_for("missing-bibliography"))
    for key, places in () if bib_tool_failed(doc) else rec.undefined_cites.items():
        if key in covered["PT201"] or bib_missing:
            continue
        where = _first(doc.cites, lambda c, k=key: c.key == k) or _where(doc, places)
        add("PT702", "undefined-citation", key, f"citation '{key}' undefined in the build", where)
    for key in rec.multiply_defined:
        base = key.removesuffix("@cref").removeprefix("sub@")
        if key in covered["PT102"] or (base != key and base in rec.multiply_defined):
            continue  # cleveref's and subcaption's shadow labels go with their label
        where = _first(doc.labels, lambda lb, k=key: lb.name == k) or Location(doc.main, 1, 1)
        add(
            "PT102",
            "duplicate-label",
            key,
            f"label '{key}' is multiply defined (LaTeX)",
            where,
            "rename one of the labels",
        )
    outside = {graphic_key(g.path) for g in gr.graphics_outside(doc)}
    # absolute paths, names in other case, drawings not exported: PT106 reports each as one
    cased, made = [g for g, _t in gr.case_missing(doc)], [g for g, _s in gr.source_missing(doc)]
    for group in (gr.absolute_missing(doc), cased, made):
        if len(group) > 1 and covered["PT106"]:
            outside |= {graphic_key(g.path) for g in group}
    for name, places in rec.missing_graphics.items():
        gk = graphic_key(name)
        if any(graphic_key(k) == gk for k in covered["PT106"]) or gk in outside:
            continue  # outside the paper folder: PT706 says the build cannot see it
        where = _first(doc.graphics, lambda g, k=gk: graphic_key(g.path) == k) or _where(
            doc, places
        )
        add(
            "PT106",
            "missing-graphic",
            name,
            f"graphics file '{name}' not found by TeX",
            where,
            "add the file or correct the path",
        )
    return out


def _uncited(doc: Document, rec: BuildRecord, make, recheck, merge: Merge) -> list[Finding]:
    """PT202 from what the build cited (BibTeX ignores case, biber does not)."""
    cites = [Cite(k, "build", doc.main, 1, 1) for k in [*rec.cited, *rec.bbl_keys]]
    if rec.nocite_all:
        cites.append(Cite("*", "nocite", doc.main, 1, 1))
    view = doc.variant(cites=cites)
    static_cited = doc.cited_keys()
    out: list[Finding] = []
    for hit in recheck("PT202", view):
        f = make("PT202", hit.message, hit.location, hit.fix)
        if f is not None:
            out.append(f)
    for e in doc.bib_entries:
        static = doc.key(e.key) in static_cited or any(c.key == "*" for c in doc.cites)
        build = rec.is_cited(e.key)
        if static != build:
            merge.disagreements.append(
                _disagree(
                    "cited-entry",
                    e.key,
                    "cited" if static else "uncited",
                    "cited" if build else "uncited",
                    Location(e.file, e.line, 1),
                )
            )
    return out


def _unread(doc: Document, rec: BuildRecord, kept: list[Finding], merge: Merge) -> list[Finding]:
    """Drop findings in .tex files TeX never read: they are not part of the paper."""
    if not rec.files_read:
        return []
    read = set(rec.files_read)
    unread = {
        f
        for f in doc.project.order
        if f != doc.main and PurePosixPath(f).suffix == ".tex" and f not in read
    }
    for f in sorted(unread):
        merge.disagreements.append(_disagree("file-read", f, "read", "not read by TeX", None))
    for f in rec.files_read:
        if PurePosixPath(f).suffix == ".tex" and f not in doc.project.files:
            merge.disagreements.append(_disagree("file-read", f, "not read", "read by TeX", None))
    if not unread:
        return []
    gone = [f for f in kept if f.location and f.location.file in unread]
    merge.dropped += gone
    for f in gone:
        kept.remove(f)
    return []


def record_dict(merge: Merge, doc: Document) -> dict:
    """The record and the disagreements, for the JSON report (`build_record`)."""
    rec = merge.record
    if rec is None:
        return {"available": False}
    uncited = sorted({e.key for e in doc.bib_entries if not rec.is_cited(e.key)}, key=str.lower)
    res = doc.compile
    conv = getattr(res, "convergence", None)
    return {
        "available": True,
        "engine": getattr(res, "engine", None),
        "engine_reason": getattr(res, "engine_reason", None),
        "convergence": conv.to_dict() if conv is not None else None,
        "authoritative": merge.authoritative,
        "why_not": merge.why_not or None,
        "finished": rec.finished,
        "labels": rec.labels,
        "cited_keys": rec.cited,
        "nocite_all": rec.nocite_all,
        "undefined_references": sorted(rec.undefined_refs),
        "undefined_citations": sorted(rec.undefined_cites),
        "multiply_defined_labels": rec.multiply_defined,
        "missing_graphics": sorted(rec.missing_graphics),
        "uncited_entries": uncited,
        "files_read": rec.files_read,
        "bib_warnings": len(rec.bib_warnings),
        "dropped_static_findings": len(merge.dropped),
        "disagreements": merge.disagreements,
    }
