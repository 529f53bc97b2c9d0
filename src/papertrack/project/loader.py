"""Loading a LaTeX project: choose the root file and follow its includes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from papertrack.errors import PapertrackError
from papertrack.model.diagnostics import Diagnostic
from papertrack.project import includes as inc
from papertrack.project.source import SourceFile, UnreadableFile, mask_source, read_source

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", "_minted"}
MAX_WALK_FILES = 20000
_MAGIC_ROOT = re.compile(r"^\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE)
_LATEXMKRC_DEFAULT = re.compile(r"@default_files\s*=\s*\(([^)]*)\)")
# Names that mark a copy, a template or a side document rather than the paper itself.
_DECOY_NAME = re.compile(
    r"(diff|latexdiff|template|example|sample|skeleton|scaffold|old|backup|bak|copy|"
    r"rebuttal|response|reply|cover[-_]?letter|supp|appendix|poster|slides|test)",
    re.IGNORECASE,
)
_HAS_BIB = re.compile(
    r"\\(bibliography|addbibresource|printbibliography)\b|\\begin\{thebibliography\}"
)
_PREFERRED_NAME = re.compile(r"^(main|paper|thesis|ms|manuscript|article|report|root)$", re.I)
GRAPHICS_EXTS = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".eps",
    ".ps",
    ".svg",
    ".tikz",
    ".pgf",
    ".jbig2",
    ".mps",
)


@dataclass
class Include:
    """An include edge: where it is written and the file it resolved to (None when missing)."""

    parent: str
    pos: int
    end: int
    kind: str
    written: str
    target: str | None


@dataclass
class Project:
    """A loaded LaTeX project: the root, the reachable files, the include graph, bibliographies."""

    folder: Path
    main: str
    main_reason: str
    alternatives: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, SourceFile] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    includes: dict[str, list[Include]] = field(default_factory=dict)
    bib_files: list[str] = field(default_factory=list)
    graphics_paths: list[str] = field(default_factory=list)
    all_files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    subfile_bodies: set[str] = field(default_factory=set)
    cycle_edges: set[tuple[str, int]] = field(default_factory=set)
    excluded_files: dict[str, SourceFile] = field(default_factory=dict)  # left out by \includeonly


def _rel(folder: Path, path: Path) -> str:
    return PurePosixPath(os.path.relpath(path, folder)).as_posix()


def walk_files(folder: Path) -> list[str]:
    """All files in the project folder (relative POSIX paths), without VCS and tool folders."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            out.append(_rel(folder, Path(dirpath) / name))
            if len(out) >= MAX_WALK_FILES:
                return out
    return out


class _Reader:
    """Reads each file once, remembering failures as diagnostics."""

    def __init__(self, folder: Path, read=read_source) -> None:
        self.folder = folder
        self.read = read  # watch passes a reader that reuses unchanged files
        self.cache: dict[str, SourceFile | None] = {}
        self.errors: dict[str, str] = {}

    def get(self, rel: str) -> SourceFile | None:
        if rel not in self.cache:
            if not _inside(self.folder, self.folder / rel):
                self.cache[rel] = None
                self.errors[rel] = "a link to a file outside the project folder; not read"
                return None
            try:
                self.cache[rel] = self.read(self.folder / rel, rel)
            except UnreadableFile as exc:
                self.cache[rel] = None
                self.errors[rel] = str(exc)
        return self.cache[rel]


def _inside(folder: Path, path: Path) -> bool:
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        # a dangling link or a link loop: judge by where the link itself lives; reading it then
        # fails with its own message ("symbolic link loop") instead of "outside the project"
        real = Path(os.path.realpath(path.parent)) / path.name
    return real.is_relative_to(folder.resolve())


def resolve(
    folder: Path, parent: str, d: inc.Directive, exts: tuple[str, ...]
) -> tuple[Path | None, list[Path]]:
    """The file a directive names (None if missing) and the paths that were tried."""
    target = d.prefix + d.target
    tried: list[Path] = []
    parent_dir = (folder / parent).parent
    if d.anchor == "file":
        bases = [parent_dir, folder]
    elif d.anchor == "root":
        bases = [folder]
    else:
        bases = [folder, parent_dir]
    if d.prefix and d.anchor == "file":
        bases = [parent_dir]
    names = [target + e for e in exts] + [target]
    if PurePosixPath(d.target).suffix in exts:
        names = [target]
    for base in dict.fromkeys(bases):
        for name in names:
            p = Path(name) if os.path.isabs(name) else base / name
            tried.append(p)
            if p.is_file() or (p.is_symlink() and not p.exists()):
                return p, tried
    return None, tried


def _magic_roots(folder: Path, reader: _Reader, tex_files: list[str]) -> dict[str, str]:
    """`%!TEX root = x` comments: {root file: file that names it}."""
    found: dict[str, str] = {}
    for rel in tex_files:
        src = reader.get(rel)
        if not src:
            continue
        for c in src.comments[:20]:
            m = _MAGIC_ROOT.match(c.text)
            if m:
                target = (folder / rel).parent / m.group(1).strip()
                if target.is_file() and _inside(folder, target):
                    found.setdefault(_rel(folder, target), rel)
    return found


def _latexmkrc_default(folder: Path) -> str | None:
    for name in (".latexmkrc", "latexmkrc"):
        p = folder / name
        if p.is_file():
            try:
                text = p.read_text(errors="replace")
            except OSError:
                continue
            m = _LATEXMKRC_DEFAULT.search(text)
            if m:
                for item in re.findall(r"['\"]([^'\"]+)['\"]", m.group(1)):
                    cand = item if item.endswith(".tex") else item + ".tex"
                    if (folder / cand).is_file() and _inside(folder, folder / cand):
                        return cand
    return None


def _closure(folder: Path, reader: _Reader, root: str) -> tuple[set[str], int]:
    """Files reachable from root by includes (regex only) and their total size in bytes."""
    seen: set[str] = set()
    stack = [root]
    size = 0
    while stack:
        rel = stack.pop()
        if rel in seen:
            continue
        seen.add(rel)
        src = reader.get(rel)
        if not src:
            continue
        size += len(src.text)
        for d in inc.find_includes(src.masked):
            if d.kind == "bib":
                continue
            p, _ = resolve(folder, rel, d, (".tex",))
            if p and p.suffix == ".tex" and _inside(folder, p):
                stack.append(_rel(folder, p))
    return seen, size


def _root_view(src: SourceFile) -> str:
    """The masked text root detection reads; of a file too large to analyse, its first 64 kB."""
    if not src.problem:
        return src.masked
    head = SourceFile(path=src.path, rel=src.rel, text=src.text[:65536])
    mask_source(head)
    return head.masked


def _subfile_parent(path: Path, masked: str) -> Path | None:
    """The main file a subfiles child names in `\\documentclass[../main.tex]{subfiles}`."""
    dc = inc.document_class(masked)
    if not dc or dc[0] != "subfiles" or not dc[1]:
        return None
    name = dc[1][0]
    for cand in (name, name + ".tex"):
        p = path.parent / cand
        if p.is_file():  # first: resolve() raises on a symbolic link loop
            target = p.resolve()
            if target.suffix == ".tex":
                return target
    return None


def choose_root(
    folder: Path, reader: _Reader, tex_files: list[str]
) -> tuple[str, str, list[tuple[str, str]]]:
    """Pick the most plausible root file: (main, why, [(other candidate, why not)])."""
    magic = _magic_roots(folder, reader, tex_files)
    if len(magic) == 1:
        root, by = next(iter(magic.items()))
        return root, f"named by the '%!TEX root' comment in {by}", []
    rc = _latexmkrc_default(folder)
    if rc:
        return rc, "named by @default_files in .latexmkrc", []
    candidates = []
    for rel in tex_files:
        src = reader.get(rel)
        if src and inc.is_root_candidate(_root_view(src)):
            candidates.append(rel)
    if not candidates:
        # say why files that might have been the root were passed over (binary, unreadable, empty)
        skipped = [f"{r} ({reader.errors[r]})" for r in tex_files if r in reader.errors]
        skipped += [
            f"{r} (empty)" for r in tex_files if (s := reader.cache.get(r)) and not s.text.strip()
        ]
        why = (
            f"; skipped: {', '.join(skipped[:5])}" + (" ..." if len(skipped) > 5 else "")
            if skipped
            else ""
        )
        hint = "pass the main file: papertrack check path/to/main.tex, or --main FILE"
        for rel in tex_files:
            src = reader.cache.get(rel)
            parent = _subfile_parent(folder / rel, src.masked) if src else None
            if parent is not None:
                why += f"; {rel} is a subfile of {os.path.relpath(parent, folder)}"
                hint = f"run papertrack on the main document: papertrack check {os.path.relpath(parent)}"
                break
        raise PapertrackError(
            f"no root file in {folder}: no .tex file has both \\documentclass and \\begin{{document}}{why}",
            hint=hint,
        )
    closures = {c: _closure(folder, reader, c) for c in candidates}
    included = {c for c in candidates for o in candidates if o != c and c in closures[o][0]}
    scored = []
    for c in candidates:
        stem = PurePosixPath(c).stem
        src = reader.get(c)
        own = len(src.text) if src else 0
        # the paper's own root is usually the larger file and has the bibliography; a scaffold
        # that \\includes the same sections does not
        score = float(closures[c][1]) + 3.0 * own
        notes = []
        if src and not _HAS_BIB.search(src.masked):
            score *= 0.6
            notes.append("no bibliography")
        if c in included:
            score *= 0.01
            notes.append("included by another candidate")
        if src and "\\DIFadd" in src.masked:
            score *= 0.05
            notes.append("a latexdiff output")
        if _DECOY_NAME.search(stem):
            score *= 0.3
            notes.append("its name suggests a copy, template or side document")
        if _PREFERRED_NAME.match(stem):
            score *= 1.2
        if "/" in c:
            score *= 0.8
        scored.append((score, c, notes))
    scored.sort(key=lambda t: (-t[0], t[1]))
    best = scored[0][1]
    n = len(closures[best][0])
    why = f"the largest document ({n} file{'s' if n != 1 else ''} reachable)"
    if len(scored) == 1:
        why = "the only file with \\documentclass and \\begin{document}"
    others = []
    for _score, c, notes in scored[1:]:
        k = len(closures[c][0])
        reason = "; ".join(notes) or f"smaller ({k} file{'s' if k != 1 else ''} reachable)"
        others.append((c, reason))
    return best, why, others


def load_project(path: Path, main: str | None = None, *, read=read_source) -> Project:
    """Load the project at `path` (a folder or a .tex file); `main` overrides root detection.

    `read(path, rel) -> SourceFile` reads one file (raising UnreadableFile); each call must
    return a new object, as \\newif switches re-mask the files of one load in place.
    """
    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    if not path.is_file() and not path.is_dir():
        raise PapertrackError(f"{path}: not a regular file or folder (a named pipe or a device)")
    why_main: str | None = None
    if path.is_file():
        folder = path.parent.resolve()
        if main is None:
            main = path.name
            try:
                src = read_source(path, path.name) if path.suffix == ".tex" else None
            except UnreadableFile as exc:
                raise PapertrackError(f"cannot read the root file {path}: {exc}") from None
            for c in src.comments[:20] if src else []:
                m = _MAGIC_ROOT.match(c.text)
                # only a .tex root: `%!TEX root = /etc/passwd` must not make papertrack read it
                if (
                    m
                    and m.group(1).strip().endswith(".tex")
                    and (path.parent / m.group(1).strip()).is_file()
                ):
                    target = (path.parent / m.group(1).strip()).resolve()
                    folder = target.parent
                    main = target.name
                    why_main = f"named by the '%!TEX root' comment in {path.name}"
            parent = _subfile_parent(path, src.masked) if src else None
            if parent is not None and main == path.name:
                # \documentclass[../main.tex]{subfiles}: the document is the main file
                folder, main = parent.parent, parent.name
                why_main = f"the main document of the subfile {path.name}"
    else:
        folder = path.resolve()
    reader = _Reader(folder, read)
    all_files = walk_files(folder)
    tex_files = [f for f in all_files if f.endswith(".tex")]
    alternatives: list[tuple[str, str]] = []
    if main is not None:
        main_path = Path(main) if os.path.isabs(main) else folder / main
        if not main_path.is_file() and (folder / (main + ".tex")).is_file():
            main_path = folder / (main + ".tex")
        if not main_path.is_file():
            raise PapertrackError(f"main file {main} not found in {folder}")
        if not _inside(folder, main_path):
            # `main = "/etc/passwd"` in a branch's papertrack.toml must not make CI read it
            raise PapertrackError(
                f"main file {main} is outside the project folder {folder}",
                hint="run papertrack on the folder that holds the main file",
            )
        main = _rel(folder, main_path)
        reason = why_main or "given on the command line"
    else:
        if not tex_files:
            raise PapertrackError(
                f"{folder}: no .tex files here",
                hint="run papertrack in your paper's folder or pass the main .tex file",
            )
        main, reason, alternatives = choose_root(folder, reader, tex_files)
    project = Project(
        folder=folder, main=main, main_reason=reason, alternatives=alternatives, all_files=all_files
    )
    _follow(project, reader)
    if _apply_switches(project, reader):
        # false branches may hide includes: follow the graph again on the corrected text
        project = Project(
            folder=folder,
            main=main,
            main_reason=reason,
            alternatives=alternatives,
            all_files=all_files,
        )
        _follow(project, reader)
    return project


def _apply_switches(project: Project, reader: _Reader) -> bool:
    """Blank the false branches of \\newif switches set in the preamble; True if anything changed."""
    from papertrack.project import conditionals as cond
    from papertrack.project.source import _IF_PRIMITIVES

    texts = [project.files[r].masked for r in project.order]
    values = cond.evaluate(texts)
    if not values:
        return False
    for name in cond.body_reassigned(texts, set(values)):
        values.pop(name, None)
    names = set(_IF_PRIMITIVES) | {
        n for t in texts for n in re.findall(r"\\newif\s*\\if([a-zA-Z@]+)", t)
    }
    changed = False
    for rel in project.order:
        src = project.files[rel]
        new = cond.mask_false_branches(src.masked, values, names)
        if new != src.masked:
            src.masked = new
            changed = True
    return changed


def _follow(project: Project, reader: _Reader) -> None:
    """Depth-first walk of the include graph from the root, recording problems."""
    folder = project.folder
    root_src = reader.get(project.main)
    if root_src is None:
        raise PapertrackError(
            f"cannot read the root file {project.main}: {reader.errors.get(project.main, 'cannot be read')}"
        )
    only = inc.includeonly(root_src.masked)
    project.graphics_paths = inc.graphics_paths(root_src.masked)
    diags = project.diagnostics
    stack: list[str] = []
    bib_seen: set[str] = set()

    def visit(rel: str) -> None:
        src = reader.get(rel)
        if src is None:
            return
        project.files[rel] = src
        project.order.append(rel)
        stack.append(rel)
        if src.encoding != "utf-8":
            diags.append(
                Diagnostic("not-utf8", rel, 1, 1, f"{rel} is not valid UTF-8; read as Latin-1")
            )
        if src.problem:
            diags.append(Diagnostic("file-too-large", rel, 1, 1, f"{rel}: {src.problem}"))
        edges: list[Include] = []
        for d in inc.find_includes(_visible(project, rel, src)):
            line, col = src.line_col(d.pos)
            if d.target.startswith("|"):
                diags.append(
                    Diagnostic(
                        "shell-escape-input",
                        rel,
                        line,
                        col,
                        f"\\{d.kind}{{{d.target}}} runs a shell command; not followed",
                    )
                )
                continue
            exts = (".bib",) if d.kind == "bib" else (".tex",)
            if d.kind == "bib":
                p, _tried = resolve(folder, rel, d, ())
            else:
                p, _tried = resolve(folder, rel, d, exts)
            if p is not None and not _inside(folder, p):
                diags.append(
                    Diagnostic(
                        "include-outside-project",
                        rel,
                        line,
                        col,
                        f"\\{d.kind}{{{d.target}}} leaves the project folder; not followed",
                    )
                )
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, None))
                continue
            if p is None:
                if d.kind != "optional":
                    kind = "missing-bibliography" if d.kind == "bib" else "missing-include"
                    what = "bibliography" if d.kind == "bib" else "file"
                    diags.append(
                        Diagnostic(
                            kind,
                            rel,
                            line,
                            col,
                            f"\\{_cmd(d)}{{{d.target}}}: {what} not found",
                            extra=d.prefix + d.target,
                        )
                    )
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, None))
                continue
            target = _rel(folder, p)
            if d.kind == "bib":
                if target not in bib_seen:
                    bib_seen.add(target)
                    project.bib_files.append(target)
                continue
            if (
                d.kind == "include"
                and only is not None
                and PurePosixPath(d.prefix + d.target).with_suffix("").as_posix() not in only
                and d.target.removesuffix(".tex") not in only
            ):
                # \includeonly leaves it out, as LaTeX does; but LaTeX keeps its old .aux,
                # so references to its labels still resolve
                excluded = reader.get(target)
                if excluded is not None:
                    project.excluded_files[target] = excluded
                continue
            if p.suffix != ".tex":
                edges.append(Include(rel, d.pos, d.end, d.kind, d.target, target))
                continue  # .tikz, .pgf, .txt: a dependency, not prose
            if target in stack:
                cycle = " -> ".join([*stack[stack.index(target) :], target])
                diags.append(Diagnostic("include-cycle", rel, line, col, f"include cycle: {cycle}"))
                project.cycle_edges.add((rel, d.pos))
                continue
            if target in reader.errors or reader.get(target) is None:
                diags.append(
                    Diagnostic(
                        "unreadable-file",
                        rel,
                        line,
                        col,
                        f"{target}: {reader.errors.get(target, 'cannot be read')}",
                    )
                )
                continue
            if d.kind == "subfile":
                project.subfile_bodies.add(target)
            edges.append(Include(rel, d.pos, d.end, d.kind, d.target, target))
            if target not in project.files:
                visit(target)
        project.includes[rel] = edges
        stack.pop()

    visit(project.main)
    _drop_distribution_files(project)


# Files every TeX distribution has; used when kpsewhich is not there to ask.
KNOWN_DIST_FILES = frozenset(
    ["glyphtounicode", "IEEEabrv.bib", "IEEEfull.bib", "IEEEexample.bib", "epsf", "mathcommands"]
)


def _drop_distribution_files(project: Project) -> None:
    """A 'missing' file that TeX finds in its own tree (\\input{glyphtounicode}) is not missing."""
    missing = [
        d for d in project.diagnostics if d.rule in ("missing-include", "missing-bibliography")
    ]
    if not missing:
        return
    found = set(kpsewhich([d.extra or "" for d in missing]))
    keep = []
    for d in project.diagnostics:
        name = d.extra or ""
        if d in missing and (
            name in found
            or name in KNOWN_DIST_FILES
            or name.removesuffix(".tex") in KNOWN_DIST_FILES
        ):
            continue
        keep.append(d)
    project.diagnostics[:] = keep


def kpsewhich(names: list[str]) -> list[str]:
    """The names TeX's own search finds (empty when TeX is not installed)."""
    import shutil
    import subprocess

    exe = shutil.which("kpsewhich")
    names = [
        n
        for n in names
        if n and "/" not in n.strip("./") and not n.startswith("|") and "\0" not in n
    ]
    if not exe or not names:
        return []
    found = []
    for n in names:
        for cand in (n, n + ".tex") if not n.endswith((".tex", ".bib")) else (n,):
            try:
                r = subprocess.run(
                    [exe, "--", cand],  # `\\input{-version}` is a file name, not an option
                    capture_output=True,
                    text=True,
                    timeout=10,
                    stdin=subprocess.DEVNULL,
                )
            except (OSError, subprocess.SubprocessError):
                return found
            if r.returncode == 0 and r.stdout.strip():
                found.append(n)
                break
    return found


def _cmd(d: inc.Directive) -> str:
    return {"bib": "bibliography", "optional": "InputIfFileExists"}.get(d.kind, d.kind)


def _visible(project: Project, rel: str, src: SourceFile) -> str:
    """The masked text LaTeX reads from this file (only the body of a \\subfile document)."""
    if rel in project.subfile_bodies:
        rng = inc.body_range(src.masked)
        if rng:
            a, b = rng
            return (
                "".join(c if c == "\n" else " " for c in src.masked[:a])
                + src.masked[a:b]
                + "".join(c if c == "\n" else " " for c in src.masked[b:])
            )
    return src.masked


def visible_text(project: Project, rel: str) -> str:
    """Public form of _visible for the parser."""
    return _visible(project, rel, project.files[rel])
