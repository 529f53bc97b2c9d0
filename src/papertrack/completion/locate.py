"""Which top-level section a file:line:col of the project falls in, following the include graph."""

from __future__ import annotations

import bisect

from papertrack.model.document import Document, Section
from papertrack.model.queries import top_sections

_MAX_DEPTH = 64


class Locator:
    """Replays the document flow (headings and includes in source order) once, then answers
    `section_of(file, line, col)` with the index of the top-level section in `tops`."""

    def __init__(self, doc: Document) -> None:
        self.tops: list[Section] = top_sections(doc)
        top_ids = {id(s): i for i, s in enumerate(self.tops)}
        top_level = min((s.level for s in self.tops), default=2)
        # the top section each heading belongs to; None for headings above the top level,
        # in the appendix or after the bibliography
        owner: dict[tuple[str, int, int], int | None] = {}
        current: int | None = None
        for s in doc.sections:
            h = s.heading
            if id(s) in top_ids:
                current = top_ids[id(s)]
            elif s.level < top_level or s.in_appendix or s.after_bibliography:
                current = None
            owner[(h.file, h.line, h.col)] = current
        self._events: dict[str, list[tuple[int, int, str, object]]] = {}
        for s in doc.sections:
            h = s.heading
            self._events.setdefault(h.file, []).append(
                (h.line, h.col, "h", owner[(h.file, h.line, h.col)])
            )
        for rel, incs in doc.project.includes.items():
            src = doc.project.files.get(rel)
            if src is None:
                continue
            for inc in incs:
                if inc.target and inc.target in doc.project.files and inc.kind != "bib":
                    line, col = src.line_col(inc.pos)
                    self._events.setdefault(rel, []).append((line, col, "i", inc.target))
        for evs in self._events.values():
            evs.sort(key=lambda e: (e[0], e[1]))
        # marks[file] = sorted [(line, col, section index or None)]: the section in force from there
        self._marks: dict[str, list[tuple[int, int, int | None]]] = {}
        self._replay(doc.main, None, [doc.main])
        self._pos = {rel: [(m[0], m[1]) for m in marks] for rel, marks in self._marks.items()}

    def _replay(self, rel: str, current: int | None, stack: list[str]) -> int | None:
        marks = self._marks.setdefault(rel, [])
        if marks:
            return current  # a file included twice keeps its first placement
        marks.append((0, 0, current))
        for line, col, kind, value in self._events.get(rel, []):
            if kind == "h":
                current = value  # type: ignore[assignment]
                marks.append((line, col, current))
            elif value not in stack and len(stack) < _MAX_DEPTH:
                current = self._replay(str(value), current, [*stack, str(value)])
                marks.append((line, col + 1, current))
        return current

    def section_of(self, file: str, line: int, col: int = 1) -> int | None:
        """Index into `tops` of the section holding this position, or None (front matter,
        appendix, after the bibliography, a file that is not part of the flow)."""
        marks = self._marks.get(file)
        if not marks:
            return None
        i = bisect.bisect_right(self._pos[file], (line, col)) - 1
        return marks[i][2] if i >= 0 else None
