"""Build a paper with latexmk in papertrack's cache folder, never inside the paper folder."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from papertrack.pages import sandbox
from papertrack.pages.buildenv import (
    XDV_GUARD,
    build_env,
    build_lock,
    latexmkrc_rules,
    read_state,
    run_bounded,
    texmfhome,
)
from papertrack.pages.buildresult import BuildPlan, CompileResult, refused
from papertrack.pages.converge import settle
from papertrack.pages.engine import bib_tool as detect_bib_tool
from papertrack.pages.engine import choose_engine
from papertrack.pages.harvest import harvest
from papertrack.pages.logparse import OUT_DIR_NAME, CompileProblem
from papertrack.pages.mirror import sync_mirror
from papertrack.paths import cache_dir, data_dir, project_key

__all__ = ["CompileResult", "compile_paper", "default_build_dir", "probe_source"]

ENGINE_FLAGS = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}
PROBE_NAME = "papertrack-probe"
MAX_OUTPUT_BYTES = 200 * 2**20
# TikZ's externalization runs pdflatex through shell escape, which this build never allows:
# each picture would fail ("Sorry, the system call ... did NOT result in a usable output file",
# or TeX stops when the prefix folder the author's Makefile creates is absent). Typeset in
# place, a picture takes the same room, so the pages are the author's.
NO_EXTERNALIZE = (
    "\\ifdefined\\AddToHook\\AddToHook{begindocument/end}"
    "{\\ifdefined\\tikzexternaldisable\\tikzexternaldisable\\fi}\\fi"
)
# latexmk runs the engine through `sh -c "... \input{<root>}"`: a root name with a backtick or
# quote would run a command. Other names are built from a copy under a fixed name.
SAFE_ROOT_NAME = re.compile(r"^[\w][\w .,+@=-]*\.tex$")
SAFE_JOBNAME = "papertrack-main"


def probe_source() -> str:
    """The injected TeX code shipped with papertrack."""
    return resources.files("papertrack.pages").joinpath("probe.tex").read_text(encoding="utf-8")


def default_build_dir(project_dir: Path) -> Path:
    """cache_dir()/builds/<project_key>: one reusable build folder per paper folder."""
    return cache_dir() / "builds" / project_key(project_dir)


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
    plan = _plan(project_dir, main, engine, build_dir, probe)
    if shutil.which("latexmk") is None:
        return refused(plan, "latexmk is not installed (install TeX Live)", kind="no-tex")
    # The sandbox, or else refuse what kpathsea's settings cannot restrict: Lua's io/os
    # (LuaLaTeX) and Biber (Perl, reads any .bib, its config can redirect its output).
    avail = sandbox.availability()
    refuse_bib, how = False, ""
    if not avail.ok:
        if sandbox.required():
            return refused(
                plan,
                f"not compiled: {sandbox.MODE_ENV}=on asks for the sandbox and there is none "
                f"({avail.reason}); {sandbox.INSTALL_HINT}",
            )
        if sandbox.trusted(plan.project_dir) is None:
            how = (
                f"no sandbox is available ({avail.reason}); {sandbox.INSTALL_HINT}, or pass "
                f"--trust-paper (or `trust = true` in {sandbox.user_config_file()}) for a paper "
                "you trust"
            )
            if plan.engine == "lualatex":
                return refused(
                    plan,
                    f"not compiled: this paper needs LuaLaTeX ({plan.engine_reason}), whose Lua "
                    f"code can read, change and delete any of your files; {how}. Pages are "
                    "estimated.",
                )
            refuse_bib = plan.bib_tool == "biber"
    build, cwd, out_dir = plan.build, plan.cwd, plan.out_dir
    build.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        build.chmod(0o700)  # the mirror holds the paper's private files

    with build_lock(build):
        state = read_state(plan.state_file)
        old_manifest = state.get("manifest", {})
        try:
            manifest, changed, notes, left_out = sync_mirror(
                plan.project_dir, build / "tree", old_manifest, keep_committed_bbl
            )
            out_dir.mkdir(parents=True, exist_ok=True)
            for d in [p for p in cwd.rglob("*") if p.is_dir() and OUT_DIR_NAME not in p.parts]:
                (out_dir / d.relative_to(cwd)).mkdir(parents=True, exist_ok=True)  # \include{dir/x}
        except OSError as exc:
            return refused(
                plan,
                f"not compiled: the build folder {build} cannot be written ({exc.strerror or exc})",
                kind="no-pdf",
            )
        early: list[CompileProblem] = [
            CompileProblem("left-out", "warning", f"{rel} {why}; not copied into the build", rel)
            for rel, why in left_out
        ]
        _remove_shadowing_outputs(plan, manifest, old_manifest)
        source_name, jobname = plan.main_rel.name, plan.jobname
        if not SAFE_ROOT_NAME.match(source_name):
            # never let the paper's file name reach latexmk's shell command lines
            source_name, jobname = f"{SAFE_JOBNAME}.tex", SAFE_JOBNAME
            with contextlib.suppress(OSError):  # not mirrored: the build says it is missing
                shutil.copyfile(cwd / plan.main_rel.name, cwd / source_name)
            notes.append(f"built from a copy named {source_name} (the root's name is unsafe)")
            plan = replace(plan, jobname=jobname)

        rules, rule_notes = latexmkrc_rules(plan.project_dir / plan.main_rel.parent)
        notes.extend(f"paper's latexmkrc: {n}" for n in rule_notes)
        rc_text = (
            "# Written by papertrack: no shell escape, no command lines from the paper.\n"
            "$max_repeat = 6;\n"
            # biber's own config file could send its output anywhere: never read one
            "$biber = 'biber --noconf %O %S';\n"
            # BibTeX runs where the author runs it, beside the root: latexmk's default moves it
            # into the output folder, where \bibliography{../refs} and {./refs} (names kpathsea
            # does not search for) point elsewhere ("I couldn't open database file")
            "$bibtex_fudge = 0;\n" + rules
        )
        committed_bbl = cwd / f"{plan.main_rel.stem}.bbl"
        if keep_committed_bbl and committed_bbl.is_file():
            # Use the shipped .bbl as is: no BibTeX/Biber run, and a copy in the output folder,
            # which TeX searches first (a .bbl from an earlier build there would win).
            rc_text += "$bibtex_use = 0;\n"
            shutil.copyfile(committed_bbl, out_dir / f"{jobname}.bbl")
            with contextlib.suppress(FileNotFoundError):
                (out_dir / f"{jobname}.blg").unlink()  # an earlier build's BibTeX complaints
        elif refuse_bib:
            rc_text += "$bibtex_use = 0;\n"
            early.append(
                CompileProblem(
                    "refused",
                    "warning",
                    "Biber was not run, so the build has no bibliography and its pages are "
                    "short: Biber is not bound by TeX's file restrictions and can read any "
                    f".bib file of yours; {how}",
                )
            )
        if not avail.ok and plan.engine == "xelatex":
            rc_text += XDV_GUARD.replace("BUILD", re.escape(str(build)))
        rc_file = build / "papertrack.latexmkrc"
        rc_file.write_text(rc_text, encoding="utf-8")

        code = NO_EXTERNALIZE + pretex
        if probe:
            (out_dir / f"{PROBE_NAME}.tex").write_text(probe_source(), encoding="utf-8")
            if exempt_macros:
                code += "\\def\\papertrackmacros{" + ",".join(exempt_macros) + "}"
            code += "\\input{" + PROBE_NAME + "}"

        cmd = [
            "latexmk",
            ENGINE_FLAGS[plan.engine],
            "-norc",
            "-r",
            str(rc_file),
            "-interaction=nonstopmode",
            "-file-line-error",
            # the sandbox allows TeX Live's restricted shell escape (repstopdf for EPS figures);
            # without it, none at all
            *([] if avail.ok else ["-no-shell-escape"]),
            f"-outdir={OUT_DIR_NAME}",
            f"-jobname={jobname}",
        ]
        if force:
            cmd.append("-f")
        cmd.append(f"-usepretex={code}")
        options = hashlib.sha256(json.dumps([cmd, rc_text, avail.ok]).encode()).hexdigest()
        # latexmk remembers a failed run and repeats "nothing to do" until forced: force a full
        # run whenever the sources or options changed since a failure (or since an unknown state).
        if state.get("options") != options or (state.get("returncode") != 0 and changed):
            cmd.append("-g")
        cmd.append(source_name)

        env, sandboxed = _environment(plan, avail.ok)
        started = time.time()
        t0 = time.monotonic()

        # a PDF holds the paper's images: the bound on what the build writes grows with the
        # paper (a runaway loop is still stopped; 300 MB of photographs are not a runaway)
        bound = max_output_bytes + 2 * sum(size for size, _mtime in manifest.values())

        def run(command: list[str], seconds: float) -> tuple[int | None, bool, str | None]:
            return run_bounded(
                sandboxed(command), cwd, env, seconds, build, plan.output_file, bound, cancel
            )

        returncode, timed_out, killed = run(cmd, timeout)
        # --- record engineer (pages/converge.py): passes past a non-fatal error until the
        # .aux settles; latexmk -f alone stops after two, with citations still [?]
        convergence = None
        if force and not killed:
            again = [*cmd[:-1], *([] if "-g" in cmd else ["-g"]), cmd[-1]]
            # the extra passes run in the same sandbox as the first
            returncode, timed_out, killed, convergence = settle(
                out_dir=out_dir,
                jobname=jobname,
                state_dir=build,
                returncode=returncode,
                output_file=plan.output_file,
                rerun=lambda left: run(again, left),
                timeout=timeout - (time.monotonic() - t0),
                started=started,
            )
        # --- end of the record engineer's part
        return harvest(
            plan,
            cmd=cmd,
            source_name=source_name,
            options=options,
            manifest=manifest,
            state=state,
            run=(returncode, timed_out, killed),
            started=started,
            seconds=time.monotonic() - t0,
            early=early,
            notes=notes,
            convergence=convergence,
            probe=probe,
            exempt_headings=exempt_headings,
            exempt_macros=exempt_macros,
            use_pdftotext=use_pdftotext,
        )


def _plan(
    project_dir: Path, main: Path, engine: str | None, build_dir: Path | None, probe: bool
) -> BuildPlan:
    """The engine, the bibliography tool and the folders of this build."""
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
    build = build_dir or (
        default_build_dir(project_dir)
        if probe
        else default_build_dir(project_dir).with_name(project_key(project_dir) + "-plain")
    )
    cwd = build / "tree" / main_rel.parent
    return BuildPlan(
        project_dir=project_dir,
        main_rel=main_rel,
        build=build,
        cwd=cwd,
        out_dir=cwd / OUT_DIR_NAME,
        engine=engine,
        engine_reason=engine_reason,
        bib_tool=detect_bib_tool(main_text, texdir),
        jobname=main_rel.stem,
    )


def _remove_shadowing_outputs(plan: BuildPlan, manifest: dict, old_manifest: dict) -> None:
    """TeX searches the output folder first: a file written there by an earlier build
    (filecontents, \\openout) would shadow the source that has changed since (F17)."""
    prefix = plan.main_rel.parent.as_posix()
    for rel, key in manifest.items():
        if old_manifest.get(rel) == key:
            continue
        sub = (
            rel
            if prefix == "."
            else rel[len(prefix) + 1 :]
            if rel.startswith(prefix + "/")
            else None
        )
        if sub:
            stale = plan.out_dir / sub
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()


def _environment(
    plan: BuildPlan, sandboxed: bool
) -> tuple[dict[str, str], Callable[[list[str]], list[str]]]:
    """The build's environment, and how a latexmk command line is run (in the sandbox or not)."""
    if not sandboxed:
        return build_env(None), lambda cmd: cmd
    # only the build folder is writable; the paper folder is visible read-only (the mirror
    # links big files to it); HOME (font caches) lives in the build folder
    home = plan.build / "home"
    home.mkdir(exist_ok=True)
    env = build_env(home)
    tree = texmfhome()

    def wrap(cmd: list[str]) -> list[str]:
        return sandbox.wrap(
            cmd,
            writable=plan.build,
            cwd=plan.cwd,
            readable=[plan.project_dir, *([tree] if tree else [])],
            hide=[cache_dir(), data_dir()],
            env=env,
        )

    return env, wrap
