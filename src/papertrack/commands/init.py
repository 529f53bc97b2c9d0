"""`papertrack init`: write papertrack.toml and a CI workflow; the only writer in a paper folder."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rich.console import Console
from rich.text import Text

from papertrack import __version__
from papertrack.config import CONFIG_FILE, Config, find_config
from papertrack.errors import PapertrackError
from papertrack.paths import templates_dir
from papertrack.reporters.escape import visible

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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
    from papertrack.engine import analyse

    # the defaults, not a papertrack.toml already there: init says what it finds on its own
    doc = analyse(path, Config(), text_only=True).document
    project = doc.project
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
    """A TOML basic string for any text: quotes, backslashes and control characters escaped."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _storable(text: str) -> bool:
    """Whether TOML can hold `text` (a file name that is not UTF-8 cannot be written there)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _comment(text: str) -> str:
    return " ".join(visible(text).split())


def _main_lines(d: Detected) -> list[str]:
    if _storable(d.main):
        # 'why', not 'detected:': init PATH/main.tex wrote '# detected: given on the command line'
        return [f"# main file: {_comment(d.main_reason)}", f"main = {_toml_str(d.main)}"]
    return [f"# the main file's name ({_comment(d.main)}) is not UTF-8: rename it to set `main`"]


def config_text(d: Detected) -> str:
    """The settings file: what was detected, an empty deadline, a few defaults to uncomment."""
    lines = [
        "# papertrack settings for this paper, written by `papertrack init`.",
        "# Command-line flags win over this file. `papertrack rules` lists the rule codes.",
        "",
        *_main_lines(d),
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


# a folder name goes into the workflow's YAML and into a shell command line there: only names
# that need no quoting in either (letters of any script, digits, and . _ - + @ / space)
_SAFE_DIR = re.compile(r"[\w.+@/ -]+")


class _Plan:
    """What init will write, keep or add; printed afterwards, so the user knows every change."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)


def _check_path(base: Path, target: Path, *, folder: bool = False) -> None:
    """Refuse a symbolic link anywhere from `base` down to `target`, and anything not a file.

    `base` is the resolved paper folder (or repository). A dangling `papertrack.toml` link, or
    a `.github` link to elsewhere, would otherwise make init write outside it (security review
    F7: a paper shipped `papertrack.toml -> ~/.bash_profile`).
    """
    rel = target.relative_to(base)
    p = base
    for i, part in enumerate(rel.parts):
        p = p / part
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            return  # nothing there yet: it is created below, as a real folder or file
        except OSError as exc:
            raise PapertrackError(f"{p}: cannot be used: {exc.strerror}") from None
        last = i == len(rel.parts) - 1 and not folder
        if stat.S_ISLNK(st.st_mode):
            raise PapertrackError(
                f"{p} is a symbolic link; papertrack init never writes through links",
                hint="remove the link (or replace it with a real file), then run init again",
            )
        if last and not stat.S_ISREG(st.st_mode):
            raise PapertrackError(f"{p} exists and is not a regular file; nothing was written")
        if not last and not stat.S_ISDIR(st.st_mode):
            raise PapertrackError(f"{p} exists and is not a folder; nothing was written")


def _write(base: Path, target: Path, text: str, *, replace: bool = False) -> None:
    """Write `text` to `target` inside `base`, never following a link, never outside `base`."""
    _check_path(base, target)
    p = base
    for part in target.relative_to(base).parts[:-1]:
        p = p / part
        if not os.path.lexists(p):
            os.mkdir(p)
        _check_path(base, p, folder=True)  # created by us, or there before: a real folder
    data = text.encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    if not replace:
        fd = os.open(target, flags, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return
    # a new file beside it, then a rename: the rename replaces the entry, never a link's target
    tmp = target.with_name(f".{target.name}.papertrack-init-{os.getpid()}")
    fd = os.open(tmp, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _added_settings(path: Path, text: str, d: Detected) -> tuple[str, list[str]]:
    """The user's papertrack.toml with the detected settings it lacks; never a line changed."""
    try:
        table = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise PapertrackError(
            f"{path}: invalid TOML ({exc}); nothing was written",
            hint="fix the file, then run init again to add what it lacks",
        ) from None
    add: list[str] = []
    names: list[str] = []
    if "main" not in table and _storable(d.main):
        add += _main_lines(d)
        names.append(f"main = {d.main}")
    if "venue" not in table and d.venue:
        add += [f"# detected: {_comment(d.venue_evidence)}", f"venue = {_toml_str(d.venue)}"]
        names.append(f"venue = {d.venue}")
    if not add:
        return text, []
    block = "# added by `papertrack init`:\n" + "\n".join(add) + "\n"
    # top-level keys go before the first [table], or they would land inside it
    lines = text.splitlines(keepends=True)
    at = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")), len(lines))
    head = "".join(lines[:at])
    if head and not head.endswith("\n"):
        head += "\n"
    merged = head + block + ("\n" if at < len(lines) else "") + "".join(lines[at:])
    try:
        after = tomllib.loads(merged)
    except tomllib.TOMLDecodeError:
        after = None
    # everything the user had is still there, unchanged, and the new keys are top-level
    if after is None or any(after.get(k) != v for k, v in table.items()):
        raise PapertrackError(
            f"{path}: could not add {', '.join(names)} without changing the file; "
            "nothing was written",
            hint="add the lines yourself: " + "; ".join(x for x in add if not x.startswith("#")),
        )
    return merged, names


def run(
    path: Path, *, ci: str | None = None, force: bool = False, console: Console | None = None
) -> int:
    console = console or Console(highlight=False, soft_wrap=True)
    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    if ci is not None and ci not in CI_CHOICES:
        raise PapertrackError(f"unknown CI '{ci}'", hint=f"choose one of: {', '.join(CI_CHOICES)}")
    d = detect(path)
    folder = Path(d.folder).resolve()
    plan = _Plan()
    # every check first, then the writes: a refusal leaves everything as it was
    writes: list[tuple[Path, Path, str, bool]] = []  # (base, target, text, replace)
    config = folder / CONFIG_FILE
    _check_path(folder, config)
    other = find_config(folder) if not os.path.lexists(config) else None
    if os.path.lexists(config):
        try:
            old = config.read_text(encoding="utf-8", errors="strict")
        except (OSError, UnicodeDecodeError) as exc:
            raise PapertrackError(
                f"{config}: cannot be read ({exc}); nothing was written"
            ) from None
        merged, added = _added_settings(config, old, d)
        if added:
            writes.append((folder, config, merged, True))
            plan.say(f"added to {config}: {'; '.join(added)} (your settings are unchanged)")
        else:
            plan.say(f"kept {config}: nothing to add (your settings are unchanged)")
    elif other is not None:
        plan.say(
            f"kept the settings in {other[0]} [tool.papertrack]; no {CONFIG_FILE} written "
            "(it would take their place)"
        )
    else:
        writes.append((folder, config, config_text(d), False))
        plan.say(f"wrote {config}")
        plan.say(f"  main = {d.main}  ({d.main_reason})")
        if d.venue:
            plan.say(f"  venue = {d.venue}  ({d.venue_evidence})")
        else:
            plan.say("  venue: none detected (set `venue` in the file to check a page limit)")
        plan.say("  deadline: not set (`deadline = YYYY-MM-DD`)")
    in_git = _git_root(folder)
    if ci == "github":
        root = (in_git or folder).resolve()
        rel = PurePosixPath(Path(os.path.relpath(folder, root))).as_posix()
        if not _SAFE_DIR.fullmatch(rel) or rel.startswith("-"):
            raise PapertrackError(
                f"the paper folder's name {visible(rel)!r} cannot go into a workflow safely "
                "(it would need quoting in YAML and in the shell); nothing was written",
                hint="rename the folder to letters, digits, '.', '_', '-', '+', '@' and '/'",
            )
        wf = root / WORKFLOW
        _check_path(root, wf)
        if os.path.lexists(wf) and not force:
            plan.say(f"kept {wf}: it exists (--force rewrites it)")
        else:
            writes.append((root, wf, workflow_text(rel), True))
            plan.say(f"wrote {wf}")
            plan.say(
                f"  GitHub Actions: installs TeX (apt) and papertrack (pip), runs "
                f'`papertrack check "{rel}" --format github` on every push and pull request'
            )
            if in_git is None:
                plan.say(
                    "  note: not inside a git repository; move .github/ to the repository root"
                )
            if install_spec() is None:
                plan.say(
                    "  edit the 'Install papertrack' step: put the URL of the papertrack "
                    "repository where it says REPLACE-WITH-THE-PAPERTRACK-REPOSITORY-URL"
                )
    for base, target, text, replace in writes:
        try:
            _write(base, target, text, replace=replace)
        except FileExistsError:
            raise PapertrackError(f"{target} appeared while init ran; it was left alone") from None
        except OSError as exc:
            raise PapertrackError(f"{target}: cannot be written: {exc.strerror}") from None
    # say exactly what was written, kept or added (names are the paper's: shown, not interpreted)
    for line in plan.said:
        console.print(Text(visible(line)))
    return 0
