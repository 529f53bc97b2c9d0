"""One line per finding: `path:line:col: PT201 message`, for editors and grep."""

from __future__ import annotations

from papertrack.check import CheckResult
from papertrack.reporters.paths import shown


def render(r: CheckResult) -> str:
    lines = []
    for f in r.findings:
        doc = r.document
        loc = f.location
        where = (
            f"{shown(doc.folder, loc.file)}:{loc.line}:{loc.col}"
            if loc
            else shown(doc.folder, doc.main)
        )
        lines.append(f"{where}: {f.code} [{f.severity}] {f.message}")
    return "\n".join(lines)
