"""The bibliography tool's complaints from the build record, at their .bib entries (PT708-PT710)."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.rules.base import Hit

# a complaint the tool makes about this many entries or more is the style's demand, one
# finding with the entries related: ACM-Reference-Format wants a publisher and an address
# for every @inproceedings (84 warnings on one paper)
REPEATED = 5


def bib_complaints(doc: Document, kind: str) -> tuple[str, list[tuple[Location, str, str | None]]]:
    """The tool's name and its complaints of one kind: (place, message, entry key), each once."""
    from papertrack.merge import load_record

    rec = load_record(doc)
    if rec is None:
        return "", []
    # imported past the return: a check without a build never loads the build record reader
    from papertrack.pages.bibverdict import bib_place

    out: list[tuple[Location, str, str | None]] = []
    seen: set[tuple[Location, str]] = set()
    for w in rec.bib_warnings:
        if w.kind != kind:
            continue
        where = bib_place(doc, w)
        if where is not None and (where, w.message) not in seen:
            seen.add((where, w.message))
            out.append((where, w.message, w.key))
    return ("Biber" if rec.case_sensitive else "BibTeX"), out


def _what(message: str, key: str | None) -> str | None:
    """'empty publisher' from BibTeX's 'empty publisher in smith2020' (None otherwise)."""
    tail = f" in {key}"
    if key and message.startswith("empty ") and message.endswith(tail):
        return message[: -len(tail)]
    return None


def bib_hits(doc: Document, kind: str, fix: str, group: bool = False) -> Iterator[Hit]:
    """One finding per .bib place (several complaints about one entry become one); with group,
    a complaint about REPEATED entries or more is one finding, the entries related."""
    tool, found = bib_complaints(doc, kind)
    entries: dict[str, list[tuple[Location, str | None]]] = {}
    if group:
        for where, message, key in found:
            what = _what(message, key)
            if what is not None:
                entries.setdefault(what, []).append((where, key))
    repeated = {what: e for what, e in entries.items() if len(e) >= REPEATED}
    per_place: dict[Location, list[str]] = {}
    for where, message, key in found:
        if _what(message, key) not in repeated:
            per_place.setdefault(where, []).append(message)
        else:
            per_place.setdefault(where, [])
    for where, messages in per_place.items():
        if messages:
            yield Hit(f"{tool}: {'; '.join(messages)}", where, fix)
    for what, places in repeated.items():
        places.sort(key=lambda p: (p[0].file, p[0].line))
        keys = [k for _w, k in places if k]
        shown = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
        yield Hit(
            f"{tool}: {what} in {len(places)} entries ({shown}): the style prints this field",
            places[0][0],
            fix,
            related=tuple(w for w, _k in places[1:]),
        )
