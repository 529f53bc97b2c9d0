"""PT805-PT806: where figures are printed against where the text refers to them."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.rules.base import Hit, loc, rule
from papertrack.rules.references import _main_label


class _BackMatter:
    """Replays headings and includes in document order once, then tells whether a file:line:col
    lies in the appendix or after the bibliography."""

    def __init__(self, doc: Document) -> None:
        events: dict[str, list[tuple[int, int, str, object]]] = {}
        for sec in doc.sections:
            h = sec.heading
            back = sec.in_appendix or sec.after_bibliography
            events.setdefault(h.file, []).append((h.line, h.col, "h", back))
        for rel, incs in doc.project.includes.items():
            src = doc.project.files.get(rel)
            for inc in incs if src is not None else ():
                if inc.target in doc.project.files and inc.kind != "bib":
                    line, col = src.line_col(inc.pos)
                    events.setdefault(rel, []).append((line, col, "i", inc.target))
        for evs in events.values():
            evs.sort(key=lambda e: (e[0], e[1]))
        self._events = events
        self._marks: dict[str, list[tuple[int, int, bool]]] = {}
        self._replay(doc.main, False, [doc.main])

    def _replay(self, rel: str, back: bool, stack: list[str]) -> bool:
        marks = self._marks.setdefault(rel, [])
        if marks:
            return back  # a file included twice keeps its first placement
        marks.append((0, 0, back))
        for line, col, kind, value in self._events.get(rel, []):
            if kind == "h":
                back = bool(value)
            elif value not in stack and len(stack) < 64:
                back = self._replay(str(value), back, [*stack, str(value)])
            marks.append((line, col + (kind == "i"), back))
        return back

    def at(self, file: str, line: int, col: int) -> bool | None:
        """True in the appendix or back matter, False in the main text, None if not in the flow."""
        marks = self._marks.get(file)
        if not marks:
            return None
        i = bisect.bisect_right(marks, (line, col, True)) - 1
        return marks[i][2] if i >= 0 else None


@rule(
    "PT805",
    "figure-cited-only-in-appendix",
    "info",
    "A main-text figure is referenced only from the appendix",
)
def figure_cited_only_in_appendix(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a figure placed in the main text (before the appendix and the
    bibliography) whose every reference, including references to its sub-figures, comes from
    the appendix or after the bibliography. A figure that is never referenced is PT103's.

    Why it matters: the main text never tells the reader why the figure is there; it takes
    space within the page limit for material only the appendix discusses.

    Example: `\\begin{figure}...\\label{fig:ablation}` in Section 4, and
    `\\cref{fig:ablation}` only in Appendix B.

    Fix: discuss the figure in the main text, or move it to the appendix.
    """
    figures = [
        fl
        for fl in doc.floats
        if fl.kind == "figure" and not fl.in_appendix and not fl.after_bibliography
    ]
    if not figures:
        return
    where = _BackMatter(doc)
    refs: dict[str, list] = {}
    for r in doc.refs:
        refs.setdefault(r.name, []).append(r)
    for fl in figures:
        if where.at(fl.file, fl.line, fl.col) is not False:
            continue  # the float's own place in the flow is unknown
        found = [r for lb in fl.all_labels for r in refs.get(lb, [])]
        if not found:
            continue
        places = [where.at(r.file, r.line, r.col) for r in found]
        if all(p is True for p in places):
            first = found[0]
            yield Hit(
                f"figure '{_main_label(fl)}' is in the main text but referenced only from the "
                f"appendix ({first.file}:{first.line}"
                + (f" and {len(found) - 1} more" if len(found) > 1 else "")
                + ")",
                loc(fl),
                "refer to it in the main text, or move it to the appendix",
            )
