"""A value each heading sets, read back at any file:line:col by following includes in reading order."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, TypeVar

from papertrack.model.document import Document

T = TypeVar("T")

_MAX_DEPTH = 64


class FlowMarks(Generic[T]):
    """Replays the document flow (headings and includes in source order) once; `at(file, line,
    col)` is then the value in force there: `values[i]` from doc.sections[i]'s heading on, `start`
    before the first heading. Which section holds a TODO, whether a figure is in the appendix."""

    def __init__(self, doc: Document, values: Sequence[T], start: T) -> None:
        events: dict[str, list[tuple[int, int, str, object]]] = {}
        for sec, value in zip(doc.sections, values, strict=True):
            h = sec.heading
            events.setdefault(h.file, []).append((h.line, h.col, "h", value))
        for rel, incs in doc.project.includes.items():
            src = doc.project.files.get(rel)
            if src is None:
                continue
            for inc in incs:
                if inc.target and inc.target in doc.project.files and inc.kind != "bib":
                    line, col = src.line_col(inc.pos)
                    events.setdefault(rel, []).append((line, col, "i", inc.target))
        for evs in events.values():
            evs.sort(key=lambda e: (e[0], e[1]))
        self._events = events
        # marks[file] = sorted [(line, col, value)]: the value in force from there on
        self._marks: dict[str, list[tuple[int, int, T]]] = {}
        self._replay(doc.main, start, [doc.main])
        # positions apart: values need not be comparable (None beside an int) for bisect
        self._pos = {rel: [(m[0], m[1]) for m in marks] for rel, marks in self._marks.items()}

    def _replay(self, rel: str, current: T, stack: list[str]) -> T:
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

    def at(self, file: str, line: int, col: int = 1) -> T | None:
        """The value in force at this position; None for a file that is not part of the flow."""
        marks = self._marks.get(file)
        if not marks:
            return None
        i = bisect.bisect_right(self._pos[file], (line, col)) - 1
        return marks[i][2] if i >= 0 else None
