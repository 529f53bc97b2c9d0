"""One line per finding: `path:line:col: PT201 message`, for editors and grep."""

from __future__ import annotations

from papertrack.engine import Analysis
from papertrack.reporters.escape import visible
from papertrack.reporters.paths import shown


def render(r: Analysis) -> str:
    lines = []
    doc = r.document
    for f in r.findings:
        loc = f.location
        where = (
            f"{shown(doc.folder, loc.file)}:{loc.line}:{loc.col}"
            if loc
            else shown(doc.folder, doc.main)
        )
        # one finding, one line: a newline or an escape sequence in a file name or in paper
        # text is spelt out, never passed to the terminal or to whatever reads the lines
        lines.append(f"{visible(where)}: {f.code} [{f.severity}] {visible(f.message)}")
    return "\n".join(lines)
