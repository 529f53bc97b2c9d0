"""biblatex's refsections: which of them each citation is in (each prints its own references)."""

from __future__ import annotations

import re

from papertrack.model.document import Document

_MARK = re.compile(r"\\(?:(begin|end)\s*\{refsection\}|newrefsection(?![a-zA-Z@]))")


def cite_refsections(doc: Document) -> dict[str, set[object]] | None:
    """For each cited key, the refsections its citations are in (None stands for the document
    outside any); None when the paper has no refsection, or lets biblatex make them per
    chapter or section (refsection=chapter), which the source does not mark."""
    if any(n == "biblatex" and any("refsection=" in o for o in opts) for n, opts in doc.packages):
        return None
    spans: dict[str, list[tuple[int, int]]] = {}
    for rel in doc.project.order:
        src = doc.project.files[rel]
        found = _spans(src.masked)
        if found:
            spans[rel] = found
    if not spans:
        return None
    out: dict[str, set[object]] = {}
    for c in doc.cites:
        src = doc.project.files.get(c.file)
        pos = _offset(src.masked, c.line, c.col) if src is not None else 0
        out.setdefault(doc.key(c.key), set()).add(_section_at(doc, spans, c.file, pos, 0))
    return out


def _offset(text: str, line: int, col: int) -> int:
    """The character offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start + col - 1


def _spans(masked: str) -> list[tuple[int, int]]:
    """The offsets each refsection of one file covers (\\newrefsection: up to the next one)."""
    out, open_at = [], []
    for m in _MARK.finditer(masked):
        if m.group(1) == "begin":
            open_at.append(m.start())
        elif m.group(1) == "end":
            if open_at:
                out.append((open_at.pop(), m.end()))
        else:
            if out and out[-1][1] == -1:
                out[-1] = (out[-1][0], m.start())
            out.append((m.start(), -1))
    return [(a, len(masked) if b == -1 else b) for a, b in out]


def _section_at(doc: Document, spans: dict, rel: str, pos: int, depth: int) -> object:
    """The innermost refsection around offset `pos` of file `rel`, through the files that
    include it; None outside all of them."""
    inner = [s for s in spans.get(rel, []) if s[0] <= pos < s[1]]
    if inner:
        return (rel, max(inner)[0])
    if depth > 16:
        return None
    for parent, incs in doc.project.includes.items():
        for inc in incs:
            if inc.target == rel and parent != rel:
                return _section_at(doc, spans, parent, inc.pos, depth + 1)
    return None
