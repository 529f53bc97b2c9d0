"""The one analysis pipeline: load -> parse/build -> venue -> pages -> rules -> suppressions."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papertrack import merge as merging
from papertrack.accounting import account_pages, pages_from_compile
from papertrack.config import Config, load_config
from papertrack.findings import Finding, Severity
from papertrack.model.build import build_document
from papertrack.model.document import Document
from papertrack.model.fontmetrics import tfm_files
from papertrack.model.venue import page_limit, required_sections, resolve_venue
from papertrack.parse.cache import Cache
from papertrack.project.loader import Project, is_document, load_project
from papertrack.project.source import SourceFile
from papertrack.project.texdist import want
from papertrack.rules import suppress
from papertrack.rules.base import Rule
from papertrack.rules.selection import active_rules, finding

Reader = Callable[[Path, str], SourceFile]


@dataclass(frozen=True)
class Root:
    """A root file chosen earlier (watch keeps it while only the project's files change)."""

    main: str
    reason: str
    alternatives: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Analysis:
    """What one analysis produced, read-only; reporters, completion, history and watch read it."""

    document: Document
    config: Config
    findings: tuple[Finding, ...] = ()
    suppressed: int = 0
    build_record: dict | None = None  # how the build's record decided findings (compile mode)

    @property
    def project(self) -> Project:
        return self.document.project

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def exit_code(self, fail_on: Severity) -> int:
        return 1 if any(f.severity >= fail_on for f in self.findings) else 0


def analyse(
    path: Path,
    cfg: Config | None = None,
    *,
    main: str | None = None,
    config_file: Path | None = None,
    use_cache: bool = True,
    pdf: Path | None = None,
    text_only: bool = False,
    read: Reader | None = None,
    cache: Cache | None = None,
    profiles: Callable[[Path], dict] | None = None,
    root: Root | None = None,
    paper_folder: Path | None = None,
) -> Analysis:
    """Analyse the paper at `path` (a folder or its root .tex file), every stage once.

    `cfg` defaults to the paper's papertrack.toml (or `config_file`). `pdf` counts pages from
    that PDF; `text_only` never compiles (watch builds in the background, see `with_build`).
    The incremental hooks, for watch: `read` reads a source file (a store of unchanged files),
    `cache` keeps parsed files, `profiles(folder)` gives the venue profiles, `root` keeps a
    root file chosen before. `paper_folder`: the paper's own folder when `path` is a copy of
    it (the git-history replay), whose last exact build the page estimate starts from.
    """
    path = Path(path)
    if cfg is None:
        cfg = load_config(path if path.is_dir() else path.parent, config_file)
    # the font metrics the page estimate reads are asked in the first kpsewhich run, whichever
    # stage makes it (root choice, includes): one process (~60 ms CPU) instead of two
    want(tfm_files())
    project = _load(path, cfg, main, read, root)
    doc = build_document(project, cache if cache is not None else Cache(enabled=use_cache))
    stage_cfg = dataclasses.replace(cfg, compile=False) if text_only else cfg
    venue = resolve_venue(doc, stage_cfg, profiles(doc.folder) if profiles else None)
    doc.venue = venue
    doc.page_limit = page_limit(stage_cfg, venue)
    doc.required_sections = required_sections(venue)
    doc.pages, doc.compile = account_pages(doc, stage_cfg, pdf=pdf, paper_folder=paper_folder)
    doc.pdf = Path(pdf) if pdf else getattr(doc.compile, "pdf", None)
    return _checked(doc, cfg, stage_cfg)


def with_build(analysis: Analysis, build) -> Analysis:
    """The analysis again with a finished build (a CompileResult): exact pages, build findings.

    Parsing is not repeated: the new Document shares the facts of the old one, which stays as
    it was (a snapshot that still shows it is not changed under its reader).
    """
    old = analysis.document
    doc = old.variant(compile=build, record=None)
    doc.pages = pages_from_compile(doc, analysis.config, build)
    doc.pdf = getattr(build, "pdf", None)
    return _checked(doc, analysis.config, analysis.config)


def run_rules(doc: Document, cfg: Config) -> tuple[list[Finding], int]:
    """The rules phase on a Document: run the active rules, apply the build record's verdicts
    and the suppressions. Returns the kept findings and the number suppressed."""
    findings, n_sup, _record = _findings(doc, cfg)
    return findings, n_sup


def _load(path: Path, cfg: Config, main: str | None, read: Reader | None, root: Root | None):
    """The load stage: the project's files from the root (given, pinned, named or detected)."""
    extra = {"read": read} if read is not None else {}
    if root is not None and not (main or cfg.main):
        folder = path if path.is_dir() else path.parent
        project = load_project(folder, root.main, **extra)
        project.main_reason, project.alternatives = root.reason, list(root.alternatives)
        return project
    named = main or cfg.main
    if not main and cfg.main and is_document(path) and not _same(path, cfg):
        # `check b.tex` beside a config naming a.tex: the document given on the command line
        # is the one to check (a chapter given there still checks the config's paper)
        named = None
    project = load_project(path, named, **extra)
    if main:
        project.main_reason = "given with --main"
    elif named is None and cfg.main:
        project.main_reason = (
            f"given on the command line ('main' in "
            f"{cfg.source.name if cfg.source else 'the config'} names {cfg.main})"
        )
    elif cfg.main:
        project.main_reason = (
            f"named by 'main' in {cfg.source.name if cfg.source else 'the config'}"
        )
    return project


def _same(path: Path, cfg: Config) -> bool:
    """Whether the file `path` is the config's `main` (relative to the config's folder)."""
    base = cfg.source.parent if cfg.source else path.parent
    named = Path(cfg.main) if os.path.isabs(cfg.main) else base / cfg.main
    try:
        here = path.resolve()
        return here in (named.resolve(), named.with_suffix(".tex").resolve())
    except (OSError, ValueError):
        return False


def _checked(doc: Document, cfg: Config, rules_cfg: Config) -> Analysis:
    """Seal the complete document, then the rules and suppression phases."""
    if doc.compile is not None:
        merging.load_record(doc)  # the build's record, read once, before the rules ask for it
    doc.seal()
    findings, n_sup, record = _findings(doc, rules_cfg)
    return Analysis(doc, cfg, tuple(findings), n_sup, record)


def _findings(doc: Document, cfg: Config) -> tuple[list[Finding], int, dict | None]:
    active = active_rules(cfg)
    found = _run(doc, cfg, active)
    kept, merge = _reconcile(doc, cfg, active, found)
    kept = merging.one_per_entry(kept)
    overruled = [*merge.dropped, *merge.replaced]
    findings, n_sup = suppress.apply(doc.project.files, kept, cfg, active, overruled)
    record = merging.record_dict(merge, doc) if doc.compile is not None else None
    return findings, n_sup, record


def _run(doc: Document, cfg: Config, active: list[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for r in active:
        for hit in r.check(doc, cfg):
            # a file TeX reads twice yields its floats twice: one finding per place is enough
            key = (r.code, hit.message, hit.location)
            if key in seen:
                continue
            seen.add(key)
            findings.append(
                finding(cfg, r, hit.message, hit.location, hit.fix, hit.severity, hit.related)
            )
    return findings


def _reconcile(doc: Document, cfg: Config, active: list[Rule], findings: list[Finding]):
    """Apply the build record's verdicts (compile mode): see merge.py."""
    by_code = {r.code: r for r in active}

    def make(code, message, location, fix=None):
        r = by_code.get(code)
        return None if r is None else finding(cfg, r, message, location, fix)

    def recheck(code: str, view: Document):
        r = by_code.get(code)
        return () if r is None else r.check(view, cfg)

    return merging.reconcile(doc, findings, make, recheck)
