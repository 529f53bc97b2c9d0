"""The check pipeline: config -> project -> document -> rules -> filtered findings."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.config import Config, load_config
from papertrack.errors import PapertrackError
from papertrack.findings import Finding, Location, Severity
from papertrack.model.build import build_document
from papertrack.model.document import Document
from papertrack.parse.cache import Cache
from papertrack.project.loader import load_project
from papertrack.rules import selection
from papertrack.rules.base import Rule, all_rules
from papertrack.suppress import collect

UNUSED_SUPPRESSION = "PT901"  # applied by the engine after suppressions: see rules/meta.py


@dataclass
class CheckResult:
    """What one check produced; reporters render it."""

    document: Document
    config: Config
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    extras: dict = field(default_factory=dict)  # page accounting and venue, when available

    @property
    def project(self):
        return self.document.project

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in Severity}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def exit_code(self, fail_on: Severity) -> int:
        return 1 if any(f.severity >= fail_on for f in self.findings) else 0


def active_rules(cfg: Config) -> list[Rule]:
    rules = all_rules()
    selection.validate_config(cfg, rules)
    out = []
    for r in rules.values():
        if cfg.select and not any(selection.matches(s, r.code, r.name) for s in cfg.select):
            continue
        if any(selection.matches(s, r.code, r.name) for s in cfg.ignore):
            continue
        if _override(cfg, r) == "off":
            continue
        out.append(r)
    return out


def _override(cfg: Config, r: Rule) -> str | None:
    # the most specific selector wins: a code beats a prefix, a prefix beats a family
    best: tuple[int, str] | None = None
    for sel, level in cfg.severity.items():
        if selection.matches(sel, r.code, r.name):
            spec = selection.specificity(sel, r.code, r.name)
            if best is None or spec > best[0]:
                best = (spec, level)
    return best[1] if best else None


def run_rules(doc: Document, cfg: Config) -> tuple[list[Finding], int]:
    """Run the selected rules and apply suppressions and per-file ignores."""
    active = active_rules(cfg)
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
                _finding(cfg, r, hit.message, hit.location, hit.fix, hit.severity, hit.related)
            )
    merge = _reconcile(doc, cfg, active, findings)
    findings = merge[0]
    sup = collect(doc.project.files)
    for f in [*merge[1].dropped, *merge[1].replaced]:
        sup.suppressed(f)  # a suppression of a finding the build overruled still did its job
    kept: list[Finding] = []
    n_suppressed = 0
    for f in findings:
        if sup.suppressed(f) or _file_ignored(cfg, f):
            n_suppressed += 1
        else:
            kept.append(f)
    meta = next((r for r in active if r.code == UNUSED_SUPPRESSION), None)
    if meta is not None:
        # only now is it known which suppressions were used
        rules = all_rules().values()
        for s in sup.items:
            where = Location(s.file, s.line, s.col)
            unknown = [c for c in s.codes if not selection.known(c, rules)]
            if unknown:  # a typo suppresses nothing, whether or not its neighbours do
                names = ", ".join(f"'{c}'" for c in unknown)
                msg = f"'papertrack: {s.kind}' names no rule: {names}"
                fix = "use a code, name or family from `papertrack rules`"
                kept.append(_finding(cfg, meta, msg, where, fix))
            known = [c for c in s.codes if c not in unknown]
            if s.used or (s.codes and not any(s.names(r) for r in active)):
                continue  # a suppression for rules that did not run this time cannot be judged
            if s.codes and not known:
                continue  # said above
            what = " ".join(known) or "all rules"
            msg = f"'papertrack: {s.kind}' for {what} suppresses nothing"
            kept.append(_finding(cfg, meta, msg, where, "remove the comment"))
    kept.sort(key=Finding.sort_key)
    return kept, n_suppressed


def _reconcile(doc: Document, cfg: Config, active: list[Rule], findings: list[Finding]):
    """Apply the build record's verdicts (compile mode): see merge.py."""
    from papertrack.merge import reconcile

    by_code = {r.code: r for r in active}

    def make(code, message, location, fix=None):
        r = by_code.get(code)
        return None if r is None else _finding(cfg, r, message, location, fix)

    found, merge = reconcile(doc, findings, make, cfg)
    doc.__dict__["_merge"] = merge
    return found, merge


def _finding(cfg: Config, r: Rule, message, location, fix, severity=None, related=()) -> Finding:
    """A Finding with the configured severity (which beats a rule's per-hit severity)."""
    level = _override(cfg, r)
    sev = Severity.parse(level) if level and level != "off" else (severity or r.severity)
    return Finding(r.code, r.name, sev, message, location, fix, list(related))


def _file_ignored(cfg: Config, f: Finding) -> bool:
    if not f.location or not cfg.per_file_ignores:
        return False
    return any(
        fnmatch.fnmatch(f.location.file, pattern)
        and any(selection.matches(c, f.code, f.name) for c in codes)
        for pattern, codes in cfg.per_file_ignores.items()
    )


def resolve_venue(doc: Document, cfg: Config, profiles: dict | None = None) -> None:
    """Attach the venue (from --venue/config, else detected from the preamble) to the document.

    `profiles` (from venues.load_profiles) saves reading them again (watch keeps them).
    """
    from papertrack import venues
    from papertrack.model.document import VenueInfo

    if profiles is None:
        profiles = venues.load_profiles(doc.folder)
    cls, opts = doc.document_class or (None, [])
    root_text = doc.project.files[doc.main].masked
    detected = venues.detect_venue(cls, opts, doc.packages, root_text, profiles)
    if cfg.venue:
        arg = venues.parse_venue_arg(cfg.venue)
        profile = venues.find_profile(arg.name, profiles)
        if profile is None:
            names = ", ".join(sorted(p.name for p in profiles.values()))
            raise PapertrackError(f"unknown venue '{arg.name}'", hint=f"known venues: {names}")
        seen = detected.mode if detected and detected.profile is profile else None
        mode = venues.resolve_mode(profile, arg, seen)
        info = VenueInfo(profile, mode, "given with --venue or in the config")
    elif detected:
        info = VenueInfo(detected.profile, detected.mode, detected.evidence, notes=detected.notes)
    else:
        return
    info.page_limit = cfg.page_limit or venues.page_limit(info.profile, info.mode)
    info.limit_from_config = cfg.page_limit is not None
    doc.venue = info
    doc.required_sections = list(venues.requirements(info.profile, info.mode).headings)


def run_check(
    path: Path,
    *,
    main: str | None = None,
    config_file: Path | None = None,
    cfg: Config | None = None,
    use_cache: bool = True,
    pdf: Path | None = None,
) -> CheckResult:
    """Load, model and check the paper at `path`."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if cfg is None:
        cfg = load_config(folder, config_file)
    project = load_project(path, main or cfg.main)
    if main:
        project.main_reason = "given with --main"
    elif cfg.main:
        project.main_reason = (
            f"named by 'main' in {cfg.source.name if cfg.source else 'the config'}"
        )
    doc = build_document(project, Cache(enabled=use_cache))
    resolve_venue(doc, cfg)
    from papertrack.accounting import account_pages

    doc.pages = account_pages(doc, cfg, pdf=pdf)
    doc.pdf = Path(pdf) if pdf else getattr(doc.compile, "pdf", None)
    findings, n_sup = run_rules(doc, cfg)
    result = CheckResult(doc, cfg, findings, n_sup)
    merge = doc.__dict__.get("_merge")
    if doc.compile is not None and merge is not None:
        from papertrack.merge import record_dict

        result.extras["build_record"] = record_dict(merge, doc)
    return result
