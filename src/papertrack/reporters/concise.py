"""One line per finding: `path:line:col: PT201 message`, for editors and grep."""

from __future__ import annotations

from papertrack.check import CheckResult


def render(r: CheckResult) -> str:
    lines = []
    for f in r.findings:
        where = str(f.location) if f.location else r.document.main
        lines.append(f"{where}: {f.code} [{f.severity}] {f.message}")
    return "\n".join(lines)
