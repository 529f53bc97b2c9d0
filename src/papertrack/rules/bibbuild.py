"""The bibliography tool's complaints from the build record, at their .bib entries (PT708-PT710)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.rules.base import Hit

# a complaint the tool makes about this many entries or more is the style's demand, one
# finding with the entries related: ACM-Reference-Format wants a publisher and an address
# for every @inproceedings (84 warnings on one paper)
REPEATED = 5
# the month abbreviations the standard styles define as MACROs; a style that does not (or has
# them commented out) leaves every `month = apr` of the .bib undefined
_MONTH_NAMES = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
MONTHS = "months"
_UNDEFINED_STRING = re.compile(
    r'string name "(?P<bt>[^"]+)" is undefined|undefined macro "(?P<bb>[^"]+)"'
)
_MONTH_FIX = "write the month in braces (month = {apr}) or define each with @string{apr = {...}}"


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
    """What a complaint is about, the same for every entry it concerns: 'empty publisher' from
    BibTeX's 'empty publisher in smith2020', MONTHS for an undefined jan ... dec, the
    undefined name otherwise (None for other complaints)."""
    tail = f" in {key}"
    if key and message.startswith("empty ") and message.endswith(tail):
        return message[: -len(tail)]
    m = _UNDEFINED_STRING.search(message)
    if m:
        name = m.group("bt") or m.group("bb") or ""
        return MONTHS if name.lower() in _MONTH_NAMES else f'string name "{name}" is undefined'
    return None


def _entry_at(doc: Document, where: Location) -> str | None:
    """The key of the .bib entry that holds this line (BibTeX names a line, not an entry, for
    an undefined @string)."""
    best = None
    for e in doc.bib_entries:
        if e.file == where.file and e.line <= where.line and (best is None or e.line > best.line):
            best = e
    return best.key if best else None


def _group_message(tool: str, what: str, count: int, shown: str) -> str:
    """One finding's message for a complaint about `count` entries."""
    if what == MONTHS:
        return (
            f"{tool}: {count} entries{shown} give the month as an abbreviation (month = apr)"
            " the style does not define: their month prints empty"
        )
    if what.startswith("string name"):
        return f"{tool}: {what} in {count} entries{shown}: the field prints empty"
    return f"{tool}: {what} in {count} entries{shown}: the style prints this field"


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
        keys = [k or _entry_at(doc, w) for w, k in places]
        keys = [k for k in keys if k]
        shown = f" ({', '.join(keys[:3])}{', ...' if len(keys) > 3 else ''})" if keys else ""
        yield Hit(
            _group_message(tool, what, len(places), shown),
            places[0][0],
            _MONTH_FIX if what == MONTHS else fix,
            related=tuple(w for w, _k in places[1:]),
        )
