"""Run a build that stopped early at a non-fatal error until its cross-references settle.

latexmk -f stops re-running LaTeX once a run reported an error (a missing figure, a BibTeX
failure), usually after two passes, when citations still print [?] and the page count is off
by up to a quarter page. Here each forced extra pass (`latexmk -f -g`) is compared with the
one before: when the auxiliary files a pass wrote equal the ones it read, the build has
converged. Passes are bounded; a build that does not settle is reported as unconverged.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_EXTRA_PASSES = 4
# What a LaTeX pass reads back on the next one: a change means another pass changes the output.
SETTLING_EXT = (".aux", ".toc", ".lof", ".lot", ".out", ".bbl", ".nav", ".snm", ".loa", ".lol")
STATE_NAME = "converge.json"

Runner = Callable[[float], tuple[int | None, bool, str | None]]


@dataclass
class Convergence:
    """How the build settled: converged, the extra passes it took, or why it is unknown."""

    converged: bool
    extra_passes: int = 0
    reason: str = ""

    def to_dict(self) -> dict:
        return {
            "converged": self.converged,
            "extra_passes": self.extra_passes,
            "reason": self.reason,
        }


def digest(out_dir: Path) -> str:
    """A hash of every file a pass reads back (.aux, .toc, .bbl, ...) in the output folder."""
    h = hashlib.sha256()
    for p in sorted(out_dir.rglob("*")):
        if p.suffix in SETTLING_EXT and p.is_file():
            h.update(str(p.relative_to(out_dir)).encode("utf-8", "surrogateescape"))
            try:
                h.update(p.read_bytes())
            except OSError:
                continue
    return h.hexdigest()


def _pdf_made(out_dir: Path, jobname: str, started: float) -> bool:
    pdf = out_dir / f"{jobname}.pdf"
    return pdf.is_file() and pdf.stat().st_mtime >= started


def settle(
    *,
    out_dir: Path,
    jobname: str,
    state_dir: Path,
    returncode: int | None,
    output_file: Path,
    rerun: Runner,
    timeout: float,
    started: float,
    max_passes: int = MAX_EXTRA_PASSES,
) -> tuple[int | None, bool, str | None, Convergence]:
    """Extra forced passes after a failed latexmk run that still made a PDF.

    Returns the last run's (returncode, timed_out, killed) and the Convergence. latexmk's
    output of every run is kept, in order, in output_file."""
    state_file = state_dir / STATE_NAME
    first_output = output_file.read_text(encoding="utf-8", errors="replace")
    worked = "applying rule" in first_output
    if returncode == 0:
        _save(state_file, None)
        return returncode, False, None, Convergence(True, 0, "latexmk finished without errors")
    if returncode is None:
        _save(state_file, None)
        return returncode, False, None, Convergence(False, 0, "the build was stopped")
    now = digest(out_dir)
    if not worked:
        # latexmk's "nothing to do" after a failure: the verdict of the build that did the work
        stored = _load(state_file)
        if stored and stored.get("digest") == now:
            return returncode, False, None, Convergence(**stored["convergence"])
    if not _pdf_made(out_dir, jobname, started) and worked:
        _save(state_file, None)
        return returncode, False, None, Convergence(False, 0, "TeX stopped before the end")
    outputs = [first_output]
    t0 = time.monotonic()
    rc, timed_out, killed = returncode, False, None
    result = Convergence(False, 0, f"still changing after {max_passes} extra passes")
    for n in range(1, max_passes + 1):
        left = timeout - (time.monotonic() - t0)
        if left <= 1:
            result = Convergence(False, n - 1, "no time left for another pass")
            break
        rc, timed_out, killed = rerun(left)
        outputs.append(output_file.read_text(encoding="utf-8", errors="replace"))
        if killed:
            result = Convergence(False, n, f"extra pass stopped: {killed}")
            break
        after = digest(out_dir)
        if after == now:
            result = Convergence(True, n, f"settled after {n} extra pass{'es' if n > 1 else ''}")
            break
        now = after
    output_file.write_text("\n".join(outputs), encoding="utf-8")
    _save(state_file, {"digest": digest(out_dir), "convergence": result.to_dict()})
    return rc, timed_out, killed, result


def _load(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _save(path: Path, data: dict | None) -> None:
    try:
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(json.dumps(data), encoding="utf-8")
    except OSError:
        pass
