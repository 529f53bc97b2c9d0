"""Build a paper with latexmk in papertrack's cache folder, never inside the paper folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from papertrack.pages.engine import bib_tool as detect_bib_tool
from papertrack.pages.engine import choose_engine
from papertrack.pages.logparse import OUT_DIR_NAME, CompileProblem, collect_problems
from papertrack.pages.metrics import PageMetrics, ProbeData, compute_metrics, parse_probe
from papertrack.pages.mirror import sync_mirror
from papertrack.paths import cache_dir, project_key

ENGINE_FLAGS = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}
PROBE_NAME = "papertrack-probe"
MAX_OUTPUT_BYTES = 200 * 2**20
# Dependency rules papertrack writes itself when a paper's latexmkrc asks for them: the paper's
# own Perl is never run (it may shell-escape or run anything).
_CUS_DEP_RULES = {
    "nlo": (
        "add_cus_dep('nlo', 'nls', 0, 'papertrack_nlo2nls');\n"
        "sub papertrack_nlo2nls { return system('makeindex', '-s', 'nomencl.ist', '-o', "
        '"$_[0].nls", "$_[0].nlo"); }\n'
    ),
    "glo": (
        "add_cus_dep('glo', 'gls', 0, 'papertrack_glo2gls');\n"
        "sub papertrack_glo2gls { return system('makeindex', '-s', \"$_[0].ist\", '-t', "
        '"$_[0].glg", \'-o\', "$_[0].gls", "$_[0].glo"); }\n'
    ),
    "acn": (
        "add_cus_dep('acn', 'acr', 0, 'papertrack_acn2acr');\n"
        "sub papertrack_acn2acr { return system('makeindex', '-s', \"$_[0].ist\", '-t', "
        '"$_[0].alg", \'-o\', "$_[0].acr", "$_[0].acn"); }\n'
    ),
}


TEX_PROGRAMS = ("pdflatex", "xelatex", "lualatex", "latex", "pdftex", "xetex", "luatex", "luahbtex")


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

    @property
    def first_error(self) -> CompileProblem | None:
        """The first TeX error (the one to fix first), if any."""
        return next((p for p in self.problems if p.kind == "tex-error"), None)


def probe_source() -> str:
    """The injected TeX code shipped with papertrack."""
    return resources.files("papertrack.pages").joinpath("probe.tex").read_text(encoding="utf-8")


def default_build_dir(project_dir: Path) -> Path:
    """cache_dir()/builds/<project_key>: one reusable build folder per paper folder."""
    return cache_dir() / "builds" / project_key(project_dir)


def _latexmkrc_rules(project_dir: Path) -> tuple[str, list[str]]:
    """papertrack's versions of the custom dependency rules the paper's latexmkrc declares."""
    rules, names = [], []
    for rc_name in (".latexmkrc", "latexmkrc"):
        rc = project_dir / rc_name
        if not rc.is_file():
            continue
        text = re.sub(r"#.*", "", rc.read_text(encoding="utf-8", errors="replace"))
        for ext in re.findall(r"add_cus_dep\s*\(\s*['\"](\w+)['\"]", text):
            label = f"carried over the .{ext} dependency rule (papertrack's own version)"
            if ext not in _CUS_DEP_RULES:
                names.append(f"did not run its .{ext} rule (unknown Perl code is never run)")
            elif label not in names:
                names.append(label)
                rules.append(_CUS_DEP_RULES[ext])
        if re.search(r"shell.escape|\$(?:pdf|xe|lua)?latex\s*=", text):
            names.append("ignored its engine command lines and shell escape")
    return "".join(rules), names


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop latexmk and every TeX/BibTeX child it started (they share its process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue


def _largest_output(out_dir: Path, extra: Path) -> int:
    sizes = [extra.stat().st_size if extra.exists() else 0]
    with contextlib.suppress(OSError):
        sizes.extend(e.stat().st_size for e in os.scandir(out_dir) if e.is_file())
    return max(sizes)


def _run(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    out_dir: Path,
    output: Path,
    max_bytes: int,
    cancel: threading.Event | None = None,
) -> tuple[int | None, bool, str | None]:
    """Run latexmk bounded in time and output size: (returncode, timed_out, kill reason)."""
    with output.open("wb") as sink:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                _kill_group(proc)
                return None, False, "cancelled"
            try:
                return proc.wait(timeout=0.2), False, None
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                _kill_group(proc)
                return None, True, f"timed out after {timeout:g} s"
            if _largest_output(out_dir, output) > max_bytes:
                _kill_group(proc)
                return None, False, f"output grew past {max_bytes // 2**20} MB"


@contextlib.contextmanager
def _build_lock(build: Path) -> Iterator[None]:
    """One build at a time per build folder (two at once would corrupt latexmk's state)."""
    with (build / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def compile_paper(
    project_dir: Path,
    main: Path,
    *,
    engine: str | None = None,
    timeout: float = 300,
    exempt_headings: Sequence[str] = (),
    exempt_macros: Sequence[str] = (),
    probe: bool = True,
    force: bool = True,
    pretex: str = "",
    keep_committed_bbl: bool = False,
    build_dir: Path | None = None,
    max_output_bytes: int = MAX_OUTPUT_BYTES,
    use_pdftotext: bool = True,
    cancel: threading.Event | None = None,
) -> CompileResult:
    """Compile main (a path in project_dir) with latexmk in the cache and measure its pages.

    The paper folder is only read: sources are mirrored into the build folder (build outputs
    left out), latexmk runs there with -norc and papertrack's own rc, no shell escape, paranoid
    file writing, nonstop mode, a timeout and an output-size bound. A re-run reuses the folder,
    so an unchanged paper costs latexmk's "nothing to do". exempt_headings / exempt_macros end
    main content (besides the bibliography and appendix). force (latexmk -f) keeps going past
    errors so a PDF results when TeX can make one; pretex is extra TeX code run before the
    document (e.g. '\\PassOptionsToPackage{draft}{graphicx}'); keep_committed_bbl uses the paper's
    own <main>.bbl instead of running BibTeX/Biber (it is always used when no .bib exists).
    Setting `cancel` stops the build within 0.2 s (its whole process group is killed).
    """
    project_dir = project_dir.resolve()
    main_rel = main.resolve().relative_to(project_dir) if main.is_absolute() else main
    main_text = (project_dir / main_rel).read_text(encoding="utf-8", errors="replace")
    texdir = project_dir / main_rel.parent  # TeX and latexmk run here: its latexmkrc, its inputs
    if engine is None:
        engine, engine_reason = choose_engine(main_text, texdir)
    else:
        engine_reason = "requested"
    if engine not in ENGINE_FLAGS:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINE_FLAGS)}")
    tool = detect_bib_tool(main_text, texdir)
    jobname = main_rel.stem
    build = build_dir or (
        default_build_dir(project_dir)
        if probe
        else default_build_dir(project_dir).with_name(project_key(project_dir) + "-plain")
    )
    tree = build / "tree"
    cwd = tree / main_rel.parent
    out_dir = cwd / OUT_DIR_NAME
    output_file = build / "latexmk-output.txt"
    state_file = build / "state.json"
    if shutil.which("latexmk") is None:
        return CompileResult(
            False,
            None,
            None,
            build,
            out_dir,
            engine,
            engine_reason,
            tool,
            None,
            0.0,
            ["latexmk"],
            problems=[
                CompileProblem("no-tex", "error", "latexmk is not installed (install TeX Live)")
            ],
        )
    build.mkdir(parents=True, exist_ok=True)

    with _build_lock(build):
        state = _state(state_file)
        manifest, changed, notes = sync_mirror(
            project_dir, tree, state.get("manifest", {}), keep_committed_bbl
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        for d in [p for p in cwd.rglob("*") if p.is_dir() and OUT_DIR_NAME not in p.parts]:
            (out_dir / d.relative_to(cwd)).mkdir(parents=True, exist_ok=True)  # for \include{dir/x}

        rules, rule_notes = _latexmkrc_rules(texdir)
        notes.extend(f"paper's latexmkrc: {n}" for n in rule_notes)
        rc_text = (
            "# Written by papertrack: no shell escape, no command lines from the paper.\n"
            "$max_repeat = 6;\n" + rules
        )
        committed_bbl = cwd / f"{jobname}.bbl"
        if keep_committed_bbl and committed_bbl.is_file():
            # Use the shipped .bbl as is: no BibTeX/Biber run, and a copy in the output folder,
            # which TeX searches first (a .bbl from an earlier build there would win).
            rc_text += "$bibtex_use = 0;\n"
            shutil.copyfile(committed_bbl, out_dir / committed_bbl.name)
            with contextlib.suppress(FileNotFoundError):
                (out_dir / f"{jobname}.blg").unlink()  # an earlier build's BibTeX complaints
        rc_file = build / "papertrack.latexmkrc"
        rc_file.write_text(rc_text, encoding="utf-8")

        code = pretex
        if probe:
            (out_dir / f"{PROBE_NAME}.tex").write_text(probe_source(), encoding="utf-8")
            if exempt_macros:
                code += "\\def\\papertrackmacros{" + ",".join(exempt_macros) + "}"
            code += "\\input{" + PROBE_NAME + "}"

        cmd = [
            "latexmk",
            ENGINE_FLAGS[engine],
            "-norc",
            "-r",
            str(rc_file),
            "-interaction=nonstopmode",
            "-file-line-error",
            "-no-shell-escape",
            f"-outdir={OUT_DIR_NAME}",
            f"-jobname={jobname}",
        ]
        if force:
            cmd.append("-f")
        if code:
            cmd.append(f"-usepretex={code}")
        options = hashlib.sha256(json.dumps([cmd, rc_text]).encode()).hexdigest()
        # latexmk remembers a failed run and repeats "nothing to do" until forced: force a full
        # run whenever the sources or options changed since a failure (or since an unknown state).
        if state.get("options") != options or (state.get("returncode") != 0 and changed):
            cmd.append("-g")
        cmd.append(main_rel.name)

        env = dict(os.environ)
        env.update(
            max_print_line="10000",
            error_line="254",
            half_error_line="238",
            openout_any="p",
            # paranoid reading for the TeX engines (VAR_progname is kpathsea's per-program
            # setting): \input{/etc/passwd} or ../../secret cannot copy a file into the PDF.
            # makeindex would then refuse its own styles from the TeX tree, so helpers get "r".
            openin_any="r",
            **{f"openin_any_{prog}": "p" for prog in TEX_PROGRAMS},
            shell_escape="f",
        )
        started = time.time()
        t0 = time.monotonic()
        returncode, timed_out, killed = _run(
            cmd, cwd, env, timeout, out_dir, output_file, max_output_bytes, cancel
        )
        seconds = time.monotonic() - t0
        latexmk_output = output_file.read_text(encoding="utf-8", errors="replace")
        pdf = out_dir / f"{jobname}.pdf"
        log = out_dir / f"{jobname}.log"
        # "All targets ... up-to-date" also ends a run that did work: no rule applied = no work.
        up_to_date = returncode is not None and "applying rule" not in latexmk_output
        # A PDF older than this run is an earlier build's (TeX stopped before writing one).
        if up_to_date:
            fresh = bool(state.get("pdf_fresh", True))
        else:
            fresh = pdf.is_file() and not killed and pdf.stat().st_mtime >= started
        state_file.write_text(
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
        problems = collect_problems(out_dir, jobname, latexmk_output, tool)
        if killed:
            # a run killed mid-write can leave a truncated .aux that breaks the next build
            # ("File ended while scanning use of \@writefile"): the next run starts clean
            for leftover in out_dir.rglob("*"):
                if leftover.is_file() and leftover.suffix in (
                    ".aux",
                    ".fdb_latexmk",
                    ".fls",
                    ".toc",
                    ".out",
                    ".bbl",
                ):
                    leftover.unlink(missing_ok=True)
            state_file.write_text(
                json.dumps({"manifest": manifest, "options": None}), encoding="utf-8"
            )
        if killed == "cancelled":
            problems.insert(0, CompileProblem("cancelled", "info", "build cancelled"))
        elif killed:
            kind = "timeout" if timed_out else "output-limit"
            problems.insert(0, CompileProblem(kind, "error", f"build stopped: {killed}"))
        has_pdf = pdf.is_file() and not killed and fresh
        if not has_pdf and not killed:
            stale = (
                " (the one in the build folder is from an earlier build)" if pdf.is_file() else ""
            )
            problems.append(CompileProblem("no-pdf", "error", "no PDF was produced" + stale))
        result = CompileResult(
            ok=returncode == 0 and has_pdf,
            pdf=pdf if has_pdf else None,
            log=log if log.is_file() else None,
            build_dir=build,
            out_dir=out_dir,
            engine=engine,
            engine_reason=engine_reason,
            bib_tool=tool,
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
