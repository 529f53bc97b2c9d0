"""Definitions the paper reads from files the source does not reach: its own .sty packages,
and the folder's definition files when a generated preamble is missing."""

from __future__ import annotations

import re
from pathlib import Path

from papertrack.parse import macros
from papertrack.project import includes as inc
from papertrack.project import texdist
from papertrack.project.loader import Project
from papertrack.project.tree import preamble_missing


def _definitions(project: Project, rel: str) -> tuple[str | None, list[macros.UserMacro]]:
    """A file's text with its comments blanked, and the definitions in it (None, [] when it
    cannot be read or is too large to be a definitions file)."""
    return _definitions_at(project.folder / rel, rel)


def package_wrappers(project: Project) -> list[macros.UserMacro]:
    """Label, reference, citation, heading and appendix wrappers the paper's own .sty files
    define (\\examplelabel in pervasives.sty), and its own class's appendix starters, before the
    paper's own definitions (which win). Only those: anything else a local package defines
    (text, gobblers) stays unread, as before."""
    defs: list[macros.UserMacro] = []
    for rel in project.package_files:
        if rel.endswith(".sty"):
            defs.extend(_definitions(project, rel)[1])
        elif rel.endswith(".cls"):
            defs.extend(_appendix_starters(project.folder / rel, rel))
            defs.extend(_secdef_headings(project.folder / rel, rel))
    return _wrappers(defs, _PACKAGE_ROLES)


# What a local package's commands may do in the paper: label, refer, cite, start a section or
# the appendices (a thesis class's \startappendices: \appendix\appendixpage)
_PACKAGE_ROLES = frozenset(("label", "ref", "cite", "heading", "appendix"))
# A definition whose body (no nested group) calls \appendix: a class file is read for these
# alone (IEEEtran.cls's 949 definitions take ~0.15 s to read in full)
_STARTER = re.compile(
    r"\\(?:(?:re|provide)?newcommand\*?|def)\s*\{?\s*\\[A-Za-z@]+\s*\}?\s*"
    r"\{[^{}]*\\appendix(?![A-Za-z@])[^{}]*\}"
)


def _appendix_starters(path: Path, rel: str) -> list[macros.UserMacro]:
    """The commands a local class defines to start the appendices."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    text = re.sub(r"(?<!\\)%[^\n]*", "", text)
    found = "\n".join(m.group(0) for m in _STARTER.finditer(text))
    return macros.find_definitions(found, rel, lambda pos: (1, 1)) if found else []


def class_wrappers(project: Project) -> list[macros.UserMacro]:
    """Label, reference and citation wrappers of a document class from TeX's own tree, read
    from the class file and the packages of its own bundle (its folder) that it loads: jmlr's
    \\floatconts{label}{caption}{contents} labels its float, \\figureref{key} refers (jmlrutils.sty).
    Before the paper's own definitions (which win); only those roles, as for local packages."""
    main = project.files.get(project.main)
    found = inc.document_class(main.masked) if main is not None else None
    if found is None or not _PLAIN_NAME.fullmatch(found[0]):
        return []
    name = found[0]
    if name in _KERNEL_CLASSES:
        return []  # LaTeX's own classes wrap no labels: no kpsewhich run for them (issue 12)
    if (project.folder / f"{name}.cls").is_file():
        return []  # the paper's own copy: the build reads that one
    located = texdist.locate(f"{name}.cls")
    if located is None:
        return []
    return _bundle_wrappers(located)


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_bundle_memo: dict[str, list[macros.UserMacro]] = {}
_KERNEL_CLASSES = frozenset(("article", "report", "book", "letter", "proc", "slides", "minimal"))
_LOOPED_REFS = frozenset(
    [
        "figureref",
        "tableref",
        "sectionref",
        "equationref",
        "algorithmref",
        "theoremref",
        "lemmaref",
        "remarkref",
        "corollaryref",
        "definitionref",
        "conjectureref",
        "axiomref",
        "exampleref",
        "appendixref",
        "partref",
        "subfigref",
        "subtabref",
    ]
)


def _bundle_wrappers(cls_path: str) -> list[macros.UserMacro]:
    if cls_path in _bundle_memo:
        return _bundle_memo[cls_path]
    cls = Path(cls_path)
    seen, defs = [cls], []
    for path in seen:  # grows while it is read: the bundle's packages, at most 8 files
        masked, found = _definitions_at(path)
        defs.extend(found)
        for _at, names, _opts in inc.package_loads(masked or ""):
            for n in names:
                sty = cls.parent / f"{n}.sty"  # the class's own bundle, nothing else
                fresh = sty not in seen and len(seen) < 8
                if fresh and _PLAIN_NAME.fullmatch(n) and sty.is_file():
                    seen.append(sty)
    # commands a class defines through a loop no definition reader follows (jmlrutils.sty's
    # \\figureref{a,b} refers to each key): read as \\ref when the bundle defines them. Not
    # built in: papers define \\figureref{x} as Figure~\\ref{fig:x} themselves
    looped = sorted({d.name for d in defs} & _LOOPED_REFS)
    synthetic = "".join(f"\\newcommand{{\\{n}}}[1]{{\\ref{{#1}}}}\n" for n in looped)
    defs += macros.find_definitions(synthetic, cls.name, lambda pos: (1, 1)) if looped else []
    out = _wrappers(defs)
    _bundle_memo[cls_path] = out
    return out


# a class's own sectioning command built as LaTeX builds \\chapter: \\def\\xchapter{...
# \\secdef\\@xchapter\\@schapter}, where \\@xchapter steps the chapter counter
_SECDEF = re.compile(
    r"\\(?:def|(?:re)?newcommand\*?)\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*"
    r"\{(?:[^{}]|\{[^{}]*\})*?\\secdef\s*\\([A-Za-z@]+)"
)
_LEVEL = re.compile(
    r"\\refstepcounter\s*\{(part|chapter|section|subsection|subsubsection)\}"
    r"|\\addcontentsline\s*\{toc\}\s*\{(part|chapter|section|subsection|subsubsection)\}"
)


def _secdef_headings(path: Path, rel: str) -> list[macros.UserMacro]:
    """A local class's sectioning commands of its own (ufbathesis's \\xchapter{Title}{...}),
    read as the heading they make: \\xchapter[short]{title} is a \\chapter."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if "\\secdef" not in text:
        return []
    text = re.sub(r"(?<!\\)%[^\n]*", "", text)
    found = []
    for m in _SECDEF.finditer(text):
        name, worker = m.groups()
        if name in ("part", "chapter", "section", "subsection", "subsubsection"):
            continue  # LaTeX's own, redefined: papertrack knows it already
        d = re.search(r"\\def\s*\\" + re.escape(worker) + r"(?![A-Za-z@])", text)
        level = _LEVEL.search(text, d.end(), d.end() + 800) if d else None
        if level is not None:
            found.append(
                f"\\newcommand{{\\{name}}}[2][]{{\\{level.group(1) or level.group(2)}[#1]{{#2}}}}"
            )
    synthetic = "\n".join(found)
    return macros.find_definitions(synthetic, rel, lambda pos: (1, 1)) if found else []


def _definitions_at(
    path: Path, name: str | None = None
) -> tuple[str | None, list[macros.UserMacro]]:
    """A file's definitions, located at `name` (a project file's path; a distribution file,
    which is no project file, at its own name)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, []
    if len(text) > 1_000_000:
        return None, []
    masked = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)

    def line_of(pos: int) -> tuple[int, int]:
        return masked.count("\n", 0, pos) + 1, pos - masked.rfind("\n", 0, pos)

    return masked, macros.find_definitions(masked, name or path.name, line_of)


def _wrappers(
    defs: list[macros.UserMacro], kinds: frozenset[str] = frozenset(("label", "ref", "cite"))
) -> list[macros.UserMacro]:
    """The definitions that only label, refer or cite, or play the other roles in `kinds` (and
    are not LaTeX's own commands)."""
    if not defs:
        return []
    table = macros.build_table(defs)
    keep = {
        n
        for n, m in table.macros.items()
        if n not in macros.BUILTIN_ROLES and m.roles and all(r.kind in kinds for r in m.roles)
    }
    return [d for d in defs if d.name in keep and d.let is None]


def unreached_wrappers(project: Project) -> list[macros.UserMacro]:
    """With the root's preamble missing, the commands that make the paper's figures, captions,
    labels and references are defined in files the build reads and the source does not reach
    (macros.tex, the preamble template): their definitions that play such a role, from the
    folder's unread .tex files that hold no document of their own. Only those, and only then:
    text and gobblers stay unread. Without them a figure macro's caption counted as prose (a
    paper grew by 13% on the commit that moved its preamble into a generated file)."""
    if not preamble_missing(project):
        return []
    defs: list[macros.UserMacro] = []
    for rel in project.all_files:
        if not rel.endswith(".tex") or rel in project.files:
            continue
        masked, found = _definitions(project, rel)
        if masked is not None and inc.body_range(masked) is None:
            defs.extend(found)  # (a file with a document of its own, a cover letter, is not)
    if not defs:
        return []
    table = macros.build_table(defs)
    keep = {n for n, m in table.macros.items() if n not in macros.BUILTIN_ROLES and m.roles}
    return [d for d in defs if d.name in keep and d.let is None]
