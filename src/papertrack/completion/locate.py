"""Which top-level section a file:line:col of the project falls in, following the include graph."""

from __future__ import annotations

from papertrack.model.document import Document, Section
from papertrack.model.flowmarks import FlowMarks
from papertrack.model.queries import top_sections


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
        self._flow = FlowMarks(
            doc,
            [owner[(s.heading.file, s.heading.line, s.heading.col)] for s in doc.sections],
            None,
        )

    def section_of(self, file: str, line: int, col: int = 1) -> int | None:
        """Index into `tops` of the section holding this position, or None (front matter,
        appendix, after the bibliography, a file that is not part of the flow)."""
        return self._flow.at(file, line, col)
