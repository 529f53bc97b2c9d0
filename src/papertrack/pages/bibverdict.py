"""Where BibTeX ran, its log decides the static .bib checks: one finding per complaint."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import PurePosixPath

from papertrack.findings import Finding, Location
from papertrack.model.document import Document
from papertrack.pages.record import BuildRecord

# The static .bib checks and the BibTeX warnings that answer each: BibTeX's log lists every
# complaint the style makes, so where it ran the log decides (Biber does not warn of missing
# fields unless asked to validate, so its log is not complete for PT208/PT209).
BIB_TWINS = {"PT207": "PT709", "PT208": "PT708", "PT209": "PT708", "PT210": "PT710"}


def _static_twins(w) -> tuple[str, ...]:
    """The static checks that say what this BibTeX warning says."""
    if w.kind == "undefined-string":
        return ("PT207",)
    if w.kind == "unknown-type":
        return ("PT210",)
    if w.kind == "missing-field" and w.message.startswith("to sort"):
        return ("PT209",)
    if w.kind == "missing-field":
        # "empty journal" also follows from an undefined @string in it, which PT207 says
        return ("PT208", "PT207")
    return ()


def bib_place(doc: Document, w) -> Location | None:
    """The .bib place a BibTeX/Biber warning is about: its entry, else the line it names."""
    if w.key:
        rec = doc.record
        same = (
            (lambda a, b: a == b)
            if getattr(rec, "case_sensitive", False)
            else (lambda a, b: a.lower() == b.lower())
        )
        for e in doc.bib_entries:
            if same(e.key, w.key):
                return Location(e.file, e.line, 1)
    if w.file and w.line:
        name = PurePosixPath(w.file.replace("\\", "/"))
        for rel in doc.project.bib_files:
            if PurePosixPath(rel).name == name.name:
                return Location(rel, w.line, 1)
    return None


def bib_verdicts(
    doc: Document, rec: BuildRecord, found: list[Finding], confirm: bool = True
) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """One finding per BibTeX complaint: the static one (its message says what prints) where
    it covers what the log says at that entry, else the log's; with confirm, a static one the
    log does not confirm is dropped (only a build that decides may: after a TeX error BibTeX
    saw part of the citations). Returns (kept, [(dropped, its entry's key)])."""
    if rec.bib_log != "bibtex":
        return found, []
    starts: dict[str, list[tuple[int, str]]] = {}
    for e in doc.bib_entries:
        starts.setdefault(e.file, []).append((e.line, e.key))
    for v in starts.values():
        v.sort()

    def entry(loc: Location | None) -> tuple[str, str] | None:
        # a finding may point at the field's line: the entry is the last one starting above it
        if loc is None:
            return None
        i = bisect_right(starts.get(loc.file, []), (loc.line, "\uffff"))
        return (loc.file, starts[loc.file][i - 1][1]) if i else None

    told: dict[tuple, list[tuple[str, ...]]] = {}  # per entry: each complaint's static twins
    for w in rec.bib_warnings:
        e, twins = entry(bib_place(doc, w)), _static_twins(w)
        if e is not None and twins:
            told.setdefault(e, []).append(twins)
    # a static finding about many entries (related) says it for each of them
    said = {
        (entry(at), f.code) for f in found if f.code in BIB_TWINS for at in (f.location, *f.related)
    }
    out: list[Finding] = []
    dropped: list[tuple[Finding, str]] = []
    for f in found:
        e = entry(f.location)
        if e is None:
            out.append(f)
        elif f.code in BIB_TWINS:
            if not confirm or any(f.code in twins for twins in told.get(e, ())):
                out.append(f)
                continue
            dropped.append((f, e[1]))
        elif f.code in BIB_TWINS.values():
            mine = [t for t in told.get(e, ()) if BIB_TWINS[t[0]] == f.code]
            if not mine or not all(any((e, c) in said for c in t) for t in mine):
                out.append(f)  # the log says something no static finding says
        else:
            out.append(f)
    return out, dropped
