"""What the bibliography rules share: the style, the cited entries as written, the @strings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.parse.bibstyle import (
    MONTHS,
    PLAIN_MACROS,
    RawEntries,
    Style,
    detect_style,
)
from papertrack.parse.bibsyntax import RawBlock, RawField


@dataclass
class Cited:
    """A cited entry with its fields as written (crossref'd fields merged in)."""

    entry: object
    block: RawBlock
    fields: dict[str, RawField]
    own: dict[str, RawField]


class BibContext:
    """What the bibliography rules share for one document: style, cited entries, @strings."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.style: Style = detect_style(doc)
        self.raw = RawEntries(doc.folder, biber=doc.biber)
        self._strings: set[str] | None = None
        self.cited: list[Cited] = []
        index = doc.bib_index()
        if any(c.key == "*" for c in doc.cites):
            entries = [e for e in doc.bib_entries if e.type != "bibitem"]
        else:
            entries = [
                index[k][0]
                for k in sorted(printed_keys(doc))
                if k in index and index[k][0].type != "bibitem"
            ]
        blocks = {}
        for e in entries:
            blk = self.raw.block(e)
            if blk is not None:
                blocks[doc.key(e.key)] = (e, blk)
        for e, blk in blocks.values():
            own = blk.field_dict()
            merged = dict(own)
            parent_key = own.get("crossref")
            if parent_key is not None:
                pk = doc.key(plain_value(parent_key.raw))
                parent = blocks.get(pk)
                if parent is None and pk in index and index[pk][0].type != "bibitem":
                    pb = self.raw.block(index[pk][0])
                    parent = (index[pk][0], pb) if pb is not None else None
                if parent is not None:
                    for k, f in parent[1].field_dict().items():
                        merged.setdefault(k, f)
            self.cited.append(Cited(e, blk, merged, own))

    def strings(self) -> set[str]:
        """@string names defined in any of the document's .bib files (lower case)."""
        if self._strings is None:
            names: set[str] = set()
            for rel in self.doc.project.bib_files:
                text = self.raw.text(rel) or ""
                names.update(
                    m.lower()
                    for m in re.findall(r"@\s*string\s*[{(]\s*([^\s=#{}(),\"]+)\s*=", text, re.I)
                )
            self._strings = names
        return self._strings

    def line(self, c: Cited, f: RawField | None = None) -> Location:
        if f is None or f.name.lower() not in c.own:
            return Location(c.entry.file, c.entry.line, 1)
        return Location(c.entry.file, self.raw.line_of(c.entry.file, f.pos), 1)

    def undefined_macros(self, f: RawField) -> list[str]:
        known = self.style.macros if self.style.types is not None else PLAIN_MACROS
        if self.style.backend == "biblatex":
            known = MONTHS
        return [
            t
            for kind, t, _p in f.pieces
            if kind == "macro" and t.lower() not in known and t.lower() not in self.strings()
        ]


def printed_keys(doc: Document) -> set[str]:
    """Cited keys, and the crossref'd entries that print: BibTeX (and biber) add a parent to
    the references when two cited entries refer to it (min-crossrefs = 2)."""
    cited = doc.cited_keys()
    refs: dict[str, int] = {}
    for e in doc.bib_entries:
        if doc.key(e.key) in cited and e.fields.get("crossref"):
            k = doc.key(e.fields["crossref"])
            refs[k] = refs.get(k, 0) + 1
    return cited | {k for k, n in refs.items() if n >= 2}


def context(doc: Document) -> BibContext:
    stamp = (id(doc.bib_entries), len(doc.bib_entries), len(doc.cites))
    cached = doc.__dict__.get("_bib_context")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    ctx = BibContext(doc)
    doc.__dict__["_bib_context"] = (stamp, ctx)
    return ctx


def plain_value(raw: str) -> str:
    s = raw.strip()
    if len(s) >= 2 and s[0] + s[-1] in ("{}", '""'):
        s = s[1:-1]
    return s.strip()


def is_empty(f: RawField | None, ctx: BibContext) -> bool:
    if f is None:
        return True
    if f.pieces and all(k == "macro" for k, _t, _p in f.pieces) and ctx.undefined_macros(f):
        return False  # PT207 says it: one finding, not two
    return not re.sub(r"[{}\s\"]", "", f.raw)
