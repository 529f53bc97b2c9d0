"""Figures and tables: the state of each, and the tasks that finish them."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from papertrack.completion.tasks import Task
from papertrack.findings import Location


@dataclass
class FloatRow:
    """A figure or table and how finished it is."""

    kind: str
    label: str | None
    caption: str
    state: str  # done | placeholder | missing file | no caption | empty caption | unreferenced | no label
    problems: list[str]
    location: Location
    section: str | None
    in_appendix: bool


# Files whose text may name a figure the build makes (a Makefile rule, a plotting script).
_BUILD_FILES = ("Makefile", "makefile", "GNUmakefile", ".latexmkrc", "latexmkrc")
_BUILD_SUFFIXES = {".mk", ".py", ".sh", ".r", ".jl", ".m", ".gp", ".plt", ".gnuplot"}
# Sources a figure of the same name is made from.
_SOURCE_SUFFIXES = _BUILD_SUFFIXES | {
    ".svg",
    ".dot",
    ".tikz",
    ".asy",
    ".mp",
    ".ipynb",
    ".eps",
    ".ps",
}
_MAX_BUILD_TEXT = 256 * 1024


def build_index(folder: Path) -> tuple[list[str], list[str], set[str]]:
    """What the build may make: texts of Makefiles and scripts, .gitignore patterns, and the
    names of figure sources (plot scripts, SVG, dot) in the paper folder."""
    texts: list[str] = []
    ignores: list[str] = []
    stems: set[str] = set()
    for dirpath, dirnames, files in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in files:
            p = Path(dirpath) / f
            suffix = p.suffix.lower()
            if suffix in _SOURCE_SUFFIXES:
                stems.add(p.stem)
            try:
                if f in _BUILD_FILES or suffix in _BUILD_SUFFIXES:
                    if p.stat().st_size <= _MAX_BUILD_TEXT:
                        texts.append(p.read_text(encoding="utf-8", errors="replace"))
                elif f == ".gitignore":
                    ignores += [
                        ln.strip().lstrip("/")
                        for ln in p.read_text(encoding="utf-8", errors="replace").splitlines()
                        if ln.strip() and not ln.startswith(("#", "!"))
                    ]
            except OSError:
                continue
    return texts, ignores, stems


def built_by_the_build(index: tuple[list[str], list[str], set[str]], path: str) -> bool:
    """Whether a missing image is produced by the build rather than still to make: a source of
    the same name sits in the folder, a Makefile or script names it, or .gitignore lists it."""
    texts, ignores, stems = index
    rel = PurePosixPath(path.strip().strip('"'))
    stem = rel.stem if rel.suffix else rel.name
    if not stem:
        return False
    if stem in stems or any(stem in t for t in texts):
        return True
    return any(fnmatch.fnmatch(str(rel), pat) or fnmatch.fnmatch(rel.name, pat) for pat in ignores)


def _float_label(fl) -> str | None:
    return (fl.labels or fl.sub_labels or [None])[0]


def floats(doc, by_code, row_at, tasks: list[Task], w) -> list[FloatRow]:
    at = {
        code: {f.location: f for f in by_code.get(code, [])} for code in ("PT103", "PT104", "PT105")
    }
    empty = {f.location for f in by_code.get("PT302", [])}
    missing_graphics = {f.location for f in by_code.get("PT106", [])}
    if missing_graphics:
        index = build_index(doc.folder)
        missing_graphics -= {
            Location(g.file, g.line, g.col)
            for g in doc.graphics
            if built_by_the_build(index, g.path)
        }
    # a missing graphics file belongs to the last float opened before it in its file
    missing_by_float: dict[int, list[Location]] = {}
    for g in doc.graphics:
        gl = Location(g.file, g.line, g.col)
        if gl not in missing_graphics:
            continue
        owner = max(
            (
                i
                for i, fl in enumerate(doc.floats)
                if fl.file == g.file
                and (fl.line, fl.col) <= (g.line, g.col)
                and g.path in fl.graphics
            ),
            default=None,
            key=lambda i: (doc.floats[i].line, doc.floats[i].col),
        )
        if owner is not None:
            missing_by_float.setdefault(owner, []).append(gl)
        else:
            tasks.append(
                Task("figures", f"Add the missing image {g.path}", w["graphics-file"], [gl])
            )
    out: list[FloatRow] = []
    empty_by_file_line = {(e.file, e.line) for e in empty}
    for i, fl in enumerate(doc.floats):
        if fl.kind not in ("figure", "table") or (fl.after_bibliography and not fl.in_appendix):
            continue
        where = Location(fl.file, fl.line, fl.col)
        label = _float_label(fl)
        name = f"{fl.kind} '{label}'" if label else f"the {fl.kind} at {where.file}:{where.line}"
        row = row_at(where)
        section = row.title if row else fl.section
        problems: list[str] = []
        if fl.placeholder:
            problems.append("placeholder")
            tasks.append(
                Task("figures", f"Make {name} (a placeholder now)", w["figure"], [where], section)
            )
        for gl in missing_by_float.get(i, []):
            problems.append("missing file")
            path = next(
                (g.path for g in doc.graphics if Location(g.file, g.line, g.col) == gl), "?"
            )
            tasks.append(
                Task(
                    "figures",
                    f"Add the missing image {path} of {name}",
                    w["graphics-file"],
                    [gl],
                    section,
                )
            )
        if where in at["PT105"]:
            problems.append("no caption")
            tasks.append(
                Task("figures", f"Write a caption for {name}", w["caption"], [where], section)
            )
        elif fl.empty_caption and any(
            e[0] == fl.file and e[1] >= fl.line for e in empty_by_file_line
        ):
            problems.append("empty caption")
            cap = min(
                (e for e in empty if e.file == fl.file and e.line >= fl.line), key=lambda e: e.line
            )
            tasks.append(
                Task("figures", f"Write the empty caption of {name}", w["caption"], [cap], section)
            )
        if where in at["PT103"]:
            problems.append("unreferenced")
            tasks.append(
                Task(
                    "figures",
                    f"Discuss {name} in the text (never referenced)",
                    w["float-ref"],
                    [where],
                    section,
                )
            )
        if where in at["PT104"]:
            problems.append("no label")
            tasks.append(
                Task(
                    "references",
                    f"Label {name} so the text can refer to it",
                    w["reference"],
                    [where],
                    section,
                )
            )
        if row is not None:
            for prob in problems:
                kind = "block" if prob in ("placeholder", "missing file") else "issue"
                row.reasons.append(f"{kind}: {name}: {prob}")
        out.append(
            FloatRow(
                fl.kind,
                label,
                (fl.captions[0] if fl.captions else ""),
                problems[0] if problems else "done",
                problems,
                where,
                section,
                fl.in_appendix,
            )
        )
    for f in by_code.get("PT302", []):
        if not any(t.locations and t.locations[0] == f.location for t in tasks):
            tasks.append(Task("figures", "Write the empty caption", w["caption"], [f.location]))
    return out
