"""`papertrack init`: write papertrack.toml and a CI workflow; the only writer in a paper folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rich.console import Console
from rich.markup import escape

from papertrack import __version__
from papertrack.config import CONFIG_FILE, Config, find_config
from papertrack.errors import PapertrackError
from papertrack.paths import templates_dir

WORKFLOW = Path(".github") / "workflows" / "papertrack.yml"
CI_CHOICES = ("github",)


@dataclass
class Detected:
    """What init found out about the paper."""

    folder: Path
    main: str
    main_reason: str
    alternatives: list[tuple[str, str]]
    venue: str | None  # "NAME:mode", as --venue takes it
    venue_evidence: str = ""
    venue_modes: tuple[str, ...] = ()


def detect(path: Path) -> Detected:
    """The main file and the venue (with its mode), as `papertrack check` would find them."""
    from papertrack.check import resolve_venue
    from papertrack.model.build import build_document
    from papertrack.parse.cache import Cache
    from papertrack.project.loader import load_project

    project = load_project(path)
    doc = build_document(project, Cache())
    resolve_venue(doc, Config())
    found = Detected(
        project.folder, project.main, project.main_reason, list(project.alternatives), None
    )
    if doc.venue is not None:
        profile = doc.venue.profile
        found.venue = f"{profile.key}:{doc.venue.mode}"
        found.venue_evidence = doc.venue.evidence
        found.venue_modes = tuple(profile.modes)
    return found


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: str) -> str:
    return " ".join(text.split())


def config_text(d: Detected) -> str:
    """The settings file: what was detected, an empty deadline, a few defaults to uncomment."""
    lines = [
        "# papertrack settings for this paper, written by `papertrack init`.",
        "# Command-line flags win over this file. `papertrack rules` lists the rule codes.",
        "",
        f"# detected: {_comment(d.main_reason)}",
        f"main = {_toml_str(d.main)}",
    ]
    for alt, why in d.alternatives[:3]:
        lines.append(f"# also a possible root: {_comment(alt)} ({_comment(why)})")
    lines.append("")
    if d.venue:
        lines += [
            f"# detected: {_comment(d.venue_evidence)}; modes: {', '.join(d.venue_modes)}",
            f"venue = {_toml_str(d.venue)}",
        ]
    else:
        lines += [
            "# no venue style detected; name one to check its page limit and rules, e.g.",
            '# venue = "neurips:review"',
        ]
    lines += [
        "",
        "# submission deadline (YYYY-MM-DD)",
        "# deadline = 2026-01-31",
        "",
        "# defaults, shown for reference:",
        '# fail-on = "error"        # exit 1 when a finding is at least this severe',
        "# ignore = []              # rule codes, names or families to skip",
        "# compile = true           # run LaTeX for exact page counts",
        "# page-limit = 8           # instead of the venue's limit",
        "# stub-words = 40          # sections with fewer words count as stubs",
        "",
        "# [severity]",
        '# PT202 = "warning"',
        "",
    ]
    return "\n".join(lines)


def _git_root(folder: Path) -> Path | None:
    from papertrack.reporters.github import git_toplevel

    return git_toplevel(str(folder.resolve()))


def workflow_text(paper_dir: str) -> str:
    template = templates_dir() / "ci" / "github-workflow.yml"
    try:
        text = template.read_text(encoding="utf-8")
    except OSError as exc:
        raise PapertrackError(f"the workflow template {template} cannot be read: {exc}") from None
    text = text.replace("@PAPER_DIR@", paper_dir).replace("@PAPERTRACK_VERSION@", __version__)
    return text.replace("@PAPERTRACK_SPEC@", install_spec() or PLACEHOLDER_SPEC)


PLACEHOLDER_SPEC = "git+https://REPLACE-WITH-THE-PAPERTRACK-REPOSITORY-URL"


def install_spec() -> str | None:
    """A pip requirement for this very papertrack, when it was installed from a VCS URL.

    A PyPI name would be wrong: "papertrack" on PyPI is an unrelated project.
    """
    import json
    from importlib import metadata

    try:
        raw = metadata.distribution("papertrack").read_text("direct_url.json")
        info = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = info.get("vcs_info")
    url = info.get("url", "")
    if vcs and url.startswith(("https://", "http://", "ssh://", "git@")):
        return f"git+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    return None


def run(
    path: Path, *, ci: str | None = None, force: bool = False, console: Console | None = None
) -> int:
    console = console or Console(highlight=False, soft_wrap=True)
    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    d = detect(path)
    folder = d.folder
    writes: list[tuple[Path, str]] = [(folder / CONFIG_FILE, config_text(d))]
    root = None
    if ci == "github":
        root = _git_root(folder) or folder
        rel = PurePosixPath(Path(os.path.relpath(folder, root))).as_posix()
        writes.append((root / WORKFLOW, workflow_text(rel)))
    elif ci is not None:
        raise PapertrackError(f"unknown CI '{ci}'", hint=f"choose one of: {', '.join(CI_CHOICES)}")
    existing = [p for p, _ in writes if p.exists()]
    other = find_config(folder)
    if not force and other and other[0].name != CONFIG_FILE:
        raise PapertrackError(
            f"{other[0]} already has [tool.papertrack] settings; "
            f"{CONFIG_FILE} would take their place",
            hint="use --force to write papertrack.toml anyway",
        )
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise PapertrackError(
            f"{names} already exists; nothing was written", hint="use --force to overwrite"
        )
    for p, text in writes:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    # say exactly what was written, and what it contains
    console.print(f"wrote {escape(str(writes[0][0]))}")
    console.print(f"  main = {escape(d.main)}  ({escape(d.main_reason)})")
    if d.venue:
        console.print(f"  venue = {escape(d.venue)}  ({escape(d.venue_evidence)})")
    else:
        console.print("  venue: none detected (set `venue` in the file to check a page limit)")
    console.print("  deadline: not set (`deadline = YYYY-MM-DD`)")
    if len(writes) > 1:
        wf, _ = writes[1]
        where = PurePosixPath(Path(os.path.relpath(folder, root))).as_posix() if root else "."
        console.print(f"wrote {escape(str(wf))}")
        console.print(
            f"  GitHub Actions: installs TeX (apt) and papertrack (pip), runs "
            f"`papertrack check {escape(where)} --format github` on every push and pull request"
        )
        if _git_root(folder) is None:
            console.print(
                "  note: not inside a git repository; move .github/ to the repository root"
            )
        if install_spec() is None:
            console.print(
                "  edit the 'Install papertrack' step: put the URL of the papertrack repository "
                "where it says REPLACE-WITH-THE-PAPERTRACK-REPOSITORY-URL"
            )
    return 0
