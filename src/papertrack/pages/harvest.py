"""What a finished latexmk run left: its problems, a fresh PDF or not, the saved state, page metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from papertrack.pages import sandbox
from papertrack.pages.buildresult import BuildPlan, CompileResult
from papertrack.pages.converge import Convergence
from papertrack.pages.logparse import CompileProblem, collect_problems
from papertrack.pages.metrics import compute_metrics, parse_probe

# what a killed run may have left half-written: the next run starts without them
_FRAGILE = (".aux", ".fdb_latexmk", ".fls", ".toc", ".out", ".bbl")

# latexmk rules that write the PDF (or the DVI/XDV it is made from)
_MAKES_PDF = re.compile(r"applying rule '(?:(?:pdf|xe|lua)?latex|xdvipdfmx|dvipdf|ps2pdf|dvips)'")


def harvest(
    plan: BuildPlan,
    *,
    cmd: list[str],
    source_name: str,
    options: str,
    manifest: dict,
    state: dict,
    run: tuple[int | None, bool, str | None],
    started: float,
    seconds: float,
    early: list[CompileProblem],
    notes: list[str],
    convergence: Convergence | None,
    probe: bool,
    exempt_headings: Sequence[str],
    exempt_macros: Sequence[str],
    use_pdftotext: bool,
) -> CompileResult:
    """The CompileResult of a run (returncode, timed out, kill reason in `run`), with the
    build folder's state saved for the next run."""
    returncode, timed_out, killed = run
    out_dir, jobname = plan.out_dir, plan.jobname
    latexmk_output = plan.output_file.read_text(encoding="utf-8", errors="replace")
    pdf = out_dir / f"{jobname}.pdf"
    log = out_dir / f"{jobname}.log"
    # "All targets ... up-to-date" also ends a run that did work: no TeX rule applied = no new
    # PDF. A bibliography rule latexmk tried and gave up ("I WON'T RUN 'bibtex' because I don't
    # find ... .bib") leaves the PDF of the last run, made from these same sources.
    up_to_date = returncode is not None and not _MAKES_PDF.search(latexmk_output)
    # A PDF older than this run is an earlier build's (TeX stopped before writing one).
    if up_to_date:
        fresh = bool(state.get("pdf_fresh", True)) or _log_wrote(log, pdf)
    else:
        fresh = pdf.is_file() and not killed and pdf.stat().st_mtime >= started
    plan.state_file.write_text(
        json.dumps(
            {
                "manifest": manifest,
                "options": options,
                "returncode": returncode,
                "pdf_fresh": fresh,
            }
        ),
        encoding="utf-8",
    )
    problems = _problems(plan, source_name, latexmk_output, early)
    if killed:
        # a run killed mid-write can leave a truncated .aux that breaks the next build
        # ("File ended while scanning use of \@writefile"): the next run starts clean
        for leftover in out_dir.rglob("*"):
            if leftover.is_file() and leftover.suffix in _FRAGILE:
                leftover.unlink(missing_ok=True)
        plan.state_file.write_text(
            json.dumps({"manifest": manifest, "options": None}), encoding="utf-8"
        )
    if killed == "cancelled":
        problems.insert(0, CompileProblem("cancelled", "info", "build cancelled"))
    elif killed:
        kind = "timeout" if timed_out else "output-limit"
        problems.insert(0, CompileProblem(kind, "error", f"build stopped: {killed}"))
    has_pdf = pdf.is_file() and not killed and fresh
    if not has_pdf and not killed:
        stale = " (the one in the build folder is from an earlier build)" if pdf.is_file() else ""
        problems.append(CompileProblem("no-pdf", "error", "no PDF was produced" + stale))
    result = CompileResult(
        ok=returncode == 0 and has_pdf,
        pdf=pdf if has_pdf else None,
        log=log if log.is_file() else None,
        build_dir=plan.build,
        out_dir=out_dir,
        engine=plan.engine,
        engine_reason=plan.engine_reason,
        bib_tool=plan.bib_tool,
        returncode=returncode,
        seconds=seconds,
        command=cmd,
        timed_out=timed_out,
        killed=killed,
        up_to_date=up_to_date,
        pdf_fresh=fresh,
        problems=problems,
        latexmk_output=latexmk_output,
        notes=notes,
        convergence=convergence,
    )
    if probe and has_pdf and log.is_file():
        data = parse_probe(log.read_text(encoding="utf-8", errors="replace"))
        result.probe = data
        if data.hooks_missing:
            notes.append("LaTeX older than 2021-06: no probe hooks, page metrics unavailable")
        elif data.total_pages:
            result.pages = compute_metrics(
                data,
                exempt_headings=exempt_headings,
                exempt_macros=exempt_macros,
                pdf=pdf,
                use_pdftotext=use_pdftotext,
            )
    return result


def _problems(
    plan: BuildPlan, source_name: str, latexmk_output: str, early: list[CompileProblem]
) -> list[CompileProblem]:
    """The log's and latexmk's problems, after those found before the run."""
    problems = collect_problems(plan.out_dir, plan.jobname, latexmk_output, plan.bib_tool)
    name = plan.main_rel.name
    if source_name != name:  # findings point at the paper's file, not the copy
        problems = [
            replace(p, file=name) if p.file and Path(p.file).name == source_name else p
            for p in problems
        ]
    if "papertrack: xdvipdfmx not run" in latexmk_output:
        early.append(
            CompileProblem(
                "refused",
                "warning",
                "no PDF: a \\special asks xdvipdfmx to embed a file outside the paper "
                "(xdvipdfmx does not honour TeX's file restrictions); with the sandbox "
                f"({sandbox.INSTALL_HINT}) it only sees the build folder",
            )
        )
    problems[:0] = early
    return problems


def _log_wrote(log: Path, pdf: Path) -> bool:
    """Whether the last TeX run's log says it wrote its output and the PDF is not older than
    that log: a PDF made from the sources latexmk now finds unchanged (a state saved by an
    older papertrack may say otherwise)."""
    try:
        if not pdf.is_file() or pdf.stat().st_mtime < log.stat().st_mtime - 2:
            return False
        with log.open("rb") as f:
            f.seek(max(0, log.stat().st_size - 4096))
            return b"Output written on" in f.read()
    except OSError:
        return False
