"""Build a paper with latexmk in papertrack's cache folder, never inside the paper folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from papertrack.pages import sandbox
from papertrack.pages.converge import Convergence, settle
from papertrack.pages.engine import bib_tool as detect_bib_tool
from papertrack.pages.engine import choose_engine
from papertrack.pages.logparse import OUT_DIR_NAME, CompileProblem, collect_problems
from papertrack.pages.metrics import PageMetrics, ProbeData, compute_metrics, parse_probe
from papertrack.pages.mirror import sync_mirror
from papertrack.paths import cache_dir, data_dir, project_key

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
# Helpers that read files the paper names: xdvipdfmx's \special{pdf:fstream} embeds any file,
# BibTeX reads \bibliography{/abs/path}. Their styles and fonts come through kpathsea: "p" works.
PARANOID_HELPERS = ("xdvipdfmx", "dvipdfmx", "bibtex", "bibtex8", "bibtexu")
# latexmk runs the engine through `sh -c "... \input{<root>}"`: a root name with a backtick or
# quote would run a command. Other names are built from a copy under a fixed name.
SAFE_ROOT_NAME = re.compile(r"^[\w][\w .,+@=-]*\.tex$")
SAFE_JOBNAME = "papertrack-main"


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
        try:
            # only a regular file inside the folder, read with a bound (a link to /dev/zero)
            if rc.is_symlink() or not rc.is_file():
                continue
            with rc.open("rb") as fh:
                raw = fh.read(1 << 20)
        except OSError:
            continue  # unreadable: as if absent
        text = re.sub(r"#.*", "", raw.decode("utf-8", errors="replace"))
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


# xdvipdfmx opens the files named in \\special{pdf:fstream (/any/path)} (and image specials)
# whatever kpathsea's openin_any says (measured, TeX Live 2022): without the sandbox, an .xdv
# naming a file by an absolute, home or parent path is not converted.
_XDV_GUARD = r"""
$xdvipdfmx = 'internal papertrack_xdvipdfmx %O -o %D %S';
sub papertrack_xdvipdfmx {
  my $xdv = $_[-1];
  if (open(my $fh, '<:raw', $xdv)) {
    local $/; my $data = <$fh>; close $fh;
    while ($data =~ m{(?:stream|image|xobj|epsfile|PSfile)[^\x00-\x08]{0,300}?[(=]\s*"?([^)\s"\x00-\x1f]+)}g) {
      my $path = $1;
      next unless $path =~ m{(?:^~|\.\./|^\.\.$)} || ($path =~ m{^/} && $path !~ m{^(?:/usr/|/opt/|/var/lib/texmf|/etc/texmf|BUILD/)});
      print "papertrack: xdvipdfmx not run: a \\special names a file outside the paper\n";
      return 1;
    }
  }
  return system('xdvipdfmx', @_);
}
"""


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop latexmk and every TeX/BibTeX child it started (they share its process group)."""
    sandbox.kill_group(proc)


def _tree_bytes(folder: Path) -> int:
    """Bytes of every regular file under folder (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(root, name))
                total += st.st_size if not os.path.islink(os.path.join(root, name)) else 0
    return total


def _run(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    build: Path,
    output: Path,
    max_bytes: int,
    cancel: threading.Event | None = None,
) -> tuple[int | None, bool, str | None]:
    """Run latexmk bounded in time and in what it writes: (returncode, timed_out, kill reason).

    The bound counts every file of the build folder (subfolders too) beyond what it held
    before. Leaving early in any way (Ctrl-C, SIGTERM, an exception) kills the whole group.
    """
    base = _tree_bytes(build)
    checked = [time.monotonic()]

    def over_limit() -> str | None:
        now = time.monotonic()
        if now - checked[0] < 1.0:  # a walk of a large tree is not free: once a second
            return None
        checked[0] = now
        if _tree_bytes(build) - base > max_bytes:
            return f"output grew past {max_bytes // 2**20} MB"
        return None

    with (
        output.open("wb") as sink,
        sandbox.process_group(cmd, cwd=cwd, env=env, stdout=sink) as proc,
    ):
        returncode, why = sandbox.wait(
            proc,
            time.monotonic() + timeout,
            over_limit=over_limit,
            cancelled=lambda: cancel is not None and cancel.is_set(),
        )
    if why == "timeout":
        return None, True, f"timed out after {timeout:g} s"
    return returncode, False, why


def _refused(
    build: Path,
    out_dir: Path,
    engine: str,
    reason: str,
    tool: str,
    message: str,
    kind: str = "refused",
) -> CompileResult:
    """A build papertrack declined to run (no sandbox for untrusted code, or no sandbox at all)."""
    return CompileResult(
        False,
        None,
        None,
        build,
        out_dir,
        engine,
        reason,
        tool,
        None,
        0.0,
        [],
        problems=[CompileProblem(kind, "warning" if kind == "refused" else "error", message)],
    )


def _env(home: Path | None) -> dict[str, str]:
    """The environment of the build: only what TeX needs, with kpathsea's paranoid settings."""
    settings = dict(
        max_print_line="10000",
        error_line="254",
        half_error_line="238",
        openout_any="p",
        # paranoid reading for the TeX engines (VAR_progname is kpathsea's per-program
        # setting): \input{/etc/passwd} or ../../secret cannot copy a file into the PDF.
        # makeindex would then refuse its own styles from the TeX tree, so it gets "r".
        openin_any="r",
        **{f"openin_any_{prog}": "p" for prog in (*TEX_PROGRAMS, *PARANOID_HELPERS)},
        shell_escape="f",
    )
    if home is None:  # no sandbox: the user's own HOME (their ~/texmf, font caches) and TMPDIR
        env = sandbox.clean_env(settings, Path(os.environ.get("HOME", "/")))
        env.pop("TMPDIR")
        if "TMPDIR" in os.environ:
            env["TMPDIR"] = os.environ["TMPDIR"]
        return env
    # In the sandbox the user's files are not there to be read, so TeX reads as a normal TeX Live
    # does: `..` and absolute paths inside the visible tree (a paper in paper/ with ../figs/),
    # dot files still refused; and the restricted shell escape TeX Live allows by default, so EPS
    # figures are converted (repstopdf). Without the sandbox both stay paranoid.
    settings.update({f"openin_any_{prog}": "r" for prog in (*TEX_PROGRAMS, *PARANOID_HELPERS)})
    settings["shell_escape"] = "p"
    texmfhome = _texmfhome()
    if texmfhome is not None:
        settings["TEXMFHOME"] = str(texmfhome)
    return sandbox.clean_env(settings, home)


_TEXMFHOME: list[Path | None] = []


def _texmfhome() -> Path | None:
    """The user's personal TeX tree (~/texmf) if it exists: the sandbox shows it read-only."""
    if not _TEXMFHOME:
        found = None
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                ["kpsewhich", "-var-value=TEXMFHOME"],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=10,
                check=False,
            ).stdout.decode("utf-8", "replace")
            first = out.strip().split(":")[0].strip("{}!")
            if first and Path(first).is_dir():
                found = Path(first)
        _TEXMFHOME.append(found)
    return _TEXMFHOME[0]


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
        return _refused(
            build,
            out_dir,
            engine,
            engine_reason,
            tool,
            "latexmk is not installed (install TeX Live)",
            kind="no-tex",
        )
    # The sandbox, or else refuse what kpathsea's settings cannot restrict: Lua's io/os
    # (LuaLaTeX) and Biber (Perl, reads any .bib, its config can redirect its output).
    avail = sandbox.availability()
    refuse_bib, how = False, ""
    if not avail.ok:
        if sandbox.required():
            return _refused(
                build,
                out_dir,
                engine,
                engine_reason,
                tool,
                f"not compiled: {sandbox.MODE_ENV}=on asks for the sandbox and there is none "
                f"({avail.reason}); {sandbox.INSTALL_HINT}",
            )
        if sandbox.trusted(project_dir) is None:
            how = (
                f"no sandbox is available ({avail.reason}); {sandbox.INSTALL_HINT}, or pass "
                f"--trust-paper (or `trust = true` in {sandbox.user_config_file()}) for a paper "
                "you trust"
            )
            if engine == "lualatex":
                return _refused(
                    build,
                    out_dir,
                    engine,
                    engine_reason,
                    tool,
                    f"not compiled: this paper needs LuaLaTeX ({engine_reason}), whose Lua code "
                    f"can read, change and delete any of your files; {how}. Pages are estimated.",
                )
            refuse_bib = tool == "biber"
    build.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        build.chmod(0o700)  # the mirror holds the paper's private files

    with _build_lock(build):
        state = _state(state_file)
        old_manifest = state.get("manifest", {})
        try:
            manifest, changed, notes, left_out = sync_mirror(
                project_dir, tree, old_manifest, keep_committed_bbl
            )
            out_dir.mkdir(parents=True, exist_ok=True)
            for d in [p for p in cwd.rglob("*") if p.is_dir() and OUT_DIR_NAME not in p.parts]:
                (out_dir / d.relative_to(cwd)).mkdir(parents=True, exist_ok=True)  # \include{dir/x}
        except OSError as exc:
            return _refused(
                build,
                out_dir,
                engine,
                engine_reason,
                tool,
                f"not compiled: the build folder {build} cannot be written ({exc.strerror or exc})",
                kind="no-pdf",
            )
        early: list[CompileProblem] = [
            CompileProblem("left-out", "warning", f"{rel} {why}; not copied into the build", rel)
            for rel, why in left_out
        ]
        # TeX searches the output folder first: a file written there by an earlier build
        # (filecontents, \openout) would shadow the source that has changed since (F17)
        prefix = main_rel.parent.as_posix()
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
                stale = out_dir / sub
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink()
        source_name = main_rel.name
        if not SAFE_ROOT_NAME.match(source_name):
            # never let the paper's file name reach latexmk's shell command lines
            source_name, jobname = f"{SAFE_JOBNAME}.tex", SAFE_JOBNAME
            with contextlib.suppress(OSError):  # not mirrored: the build says it is missing
                shutil.copyfile(cwd / main_rel.name, cwd / source_name)
            notes.append(f"built from a copy named {source_name} (the root's name is unsafe)")

        rules, rule_notes = _latexmkrc_rules(texdir)
        notes.extend(f"paper's latexmkrc: {n}" for n in rule_notes)
        rc_text = (
            "# Written by papertrack: no shell escape, no command lines from the paper.\n"
            "$max_repeat = 6;\n"
            # biber's own config file could send its output anywhere: never read one
            "$biber = 'biber --noconf %O %S';\n" + rules
        )
        committed_bbl = cwd / f"{main_rel.stem}.bbl"
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
        if not avail.ok and engine == "xelatex":
            rc_text += _XDV_GUARD.replace("BUILD", re.escape(str(build)))
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
            # the sandbox allows TeX Live's restricted shell escape (repstopdf for EPS figures);
            # without it, none at all
            *([] if avail.ok else ["-no-shell-escape"]),
            f"-outdir={OUT_DIR_NAME}",
            f"-jobname={jobname}",
        ]
        if force:
            cmd.append("-f")
        if code:
            cmd.append(f"-usepretex={code}")
        options = hashlib.sha256(json.dumps([cmd, rc_text, avail.ok]).encode()).hexdigest()
        # latexmk remembers a failed run and repeats "nothing to do" until forced: force a full
        # run whenever the sources or options changed since a failure (or since an unknown state).
        if state.get("options") != options or (state.get("returncode") != 0 and changed):
            cmd.append("-g")
        cmd.append(source_name)

        if avail.ok:
            # only the build folder is writable; the paper folder is visible read-only (the
            # mirror links big files to it); HOME (font caches) lives in the build folder
            home = build / "home"
            home.mkdir(exist_ok=True)
            env = _env(home)
            texmfhome = _texmfhome()
            run_cmd = sandbox.wrap(
                cmd,
                writable=build,
                cwd=cwd,
                readable=[project_dir, *([texmfhome] if texmfhome else [])],
                hide=[cache_dir(), data_dir()],
                env=env,
            )
        else:
            env, run_cmd = _env(None), cmd
        started = time.time()
        t0 = time.monotonic()
        returncode, timed_out, killed = _run(
            run_cmd, cwd, env, timeout, build, output_file, max_output_bytes, cancel
        )
        # --- record engineer (pages/converge.py): passes past a non-fatal error until the
        # .aux settles; latexmk -f alone stops after two, with citations still [?]
        convergence = None
        if force and not killed:
            again = [*cmd[:-1], *([] if "-g" in cmd else ["-g"]), cmd[-1]]
            if avail.ok:  # the extra passes run in the same sandbox as the first
                again = sandbox.wrap(
                    again,
                    writable=build,
                    cwd=cwd,
                    readable=[project_dir, *([texmfhome] if texmfhome else [])],
                    hide=[cache_dir(), data_dir()],
                    env=env,
                )
            returncode, timed_out, killed, convergence = settle(
                out_dir=out_dir,
                jobname=jobname,
                state_dir=build,
                returncode=returncode,
                output_file=output_file,
                rerun=lambda left: _run(
                    again, cwd, env, left, build, output_file, max_output_bytes, cancel
                ),
                timeout=timeout - (time.monotonic() - t0),
                started=started,
            )
        # --- end of the record engineer's part
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
        if source_name != main_rel.name:  # findings point at the paper's file, not the copy
            problems = [
                replace(p, file=main_rel.name) if p.file and Path(p.file).name == source_name else p
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
