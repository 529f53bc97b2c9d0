"""The outcome of one latexmk build, and where a build lives (the plan fixed before it runs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.pages.converge import Convergence
from papertrack.pages.logparse import CompileProblem
from papertrack.pages.metrics import PageMetrics, ProbeData


@dataclass
class CompileResult:
    """One latexmk build: outcome, files, findings and (with the probe) page metrics."""

    ok: bool
    pdf: Path | None
    log: Path | None
    build_dir: Path
    out_dir: Path
    engine: str
    engine_reason: str
    bib_tool: str
    returncode: int | None
    seconds: float
    command: list[str]
    timed_out: bool = False
    killed: str | None = None
    up_to_date: bool = False
    pdf_fresh: bool = True
    problems: list[CompileProblem] = field(default_factory=list)
    pages: PageMetrics | None = None
    probe: ProbeData | None = None
    latexmk_output: str = ""
    notes: list[str] = field(default_factory=list)
    convergence: Convergence | None = None  # extra passes past a non-fatal error (converge.py)

    @property
    def first_error(self) -> CompileProblem | None:
        """The first TeX error (the one to fix first), if any."""
        return next((p for p in self.problems if p.kind == "tex-error"), None)

    @property
    def needs_shell_escape(self) -> bool:
        """The build stopped where a package asks for shell escape (minted, svg), which
        papertrack never grants: the paper's choice of package, not an error in it."""
        first = self.first_error
        return first is not None and bool(_SHELL_ESCAPE.search(first.message))


_SHELL_ESCAPE = re.compile(r"shell[- ]escape|write18", re.IGNORECASE)


@dataclass(frozen=True)
class BuildPlan:
    """Where one build runs and with what, decided before latexmk starts."""

    project_dir: Path
    main_rel: Path  # the root file, relative to project_dir
    build: Path  # the build folder in papertrack's cache
    cwd: Path  # where latexmk runs: the root's folder inside the mirror
    out_dir: Path
    engine: str
    engine_reason: str
    bib_tool: str
    jobname: str

    @property
    def output_file(self) -> Path:
        return self.build / "latexmk-output.txt"

    @property
    def state_file(self) -> Path:
        return self.build / "state.json"


def refused(plan: BuildPlan, message: str, kind: str = "refused") -> CompileResult:
    """A build papertrack declined to run (no sandbox for untrusted code, or no sandbox at all)."""
    return CompileResult(
        False,
        None,
        None,
        plan.build,
        plan.out_dir,
        plan.engine,
        plan.engine_reason,
        plan.bib_tool,
        None,
        0.0,
        [],
        problems=[CompileProblem(kind, "warning" if kind == "refused" else "error", message)],
    )
