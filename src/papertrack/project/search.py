"""Where TeX looks for a file a paper names: the root's folder, \\import folders, TEXINPUTS."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papertrack.project.includes import Directive

# Files TeX reads as LaTeX source although they are not .tex: Inkscape, matplotlib, xfig and
# TikZ exports that a paper \input's.
LATEX_INPUT_EXTS = (".tex", ".pdf_tex", ".pgf", ".pspdftex", ".pstex_t", ".tikz", ".ltx")
# tikzscale declares these before pdfTeX's own: \includegraphics{plot} finds plot.tikz
TIKZSCALE_EXTS = (".tikz", ".TIKZ", ".TikZ", ".pgf", ".PGF")
# a name longer than this cannot be a file on any common file system (ENAMETOOLONG)
MAX_NAME = 255
_TEXINPUTS = re.compile(
    r"""TEXINPUTS['"]?\s*\}?\s*(?:[:?+]?=)\s*(?:(?P<q>['"])(?P<quoted>.*?)(?P=q)|(?P<bare>[^\s;'"]+))"""
)

_ENSURE_PATH = re.compile(r"ensure_path\s*\(\s*['\"]TEXINPUTS['\"]\s*,([^)]*)\)")


@dataclass
class SearchPath:
    """TeX's search for one project, as folders relative to the project folder ('' = top).

    `workdir` is the root file's folder, where TeX runs; `texinputs` are TEXINPUTS entries
    (recursive ones end with //), relative to workdir.
    """

    folder: Path
    workdir: str = ""
    texinputs: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file in the project, for // entries

    def join(self, base: str, name: str) -> str | None:
        """base/name normalised, relative to the project folder (may climb out with ../, or be
        absolute: the loader then reports it as outside the project)."""
        try:
            joined = os.path.normpath(os.path.join(base, name))
        except ValueError:
            return None
        if joined == ".":
            return ""
        return PurePosixPath(joined).as_posix()

    def find_at(self, base: str, name: str, exts: tuple[str, ...]) -> str | None:
        """The file base/name with one of exts (as \\import opens it: that folder only)."""
        if _bad_name(name):
            return None
        for n in _forms(name, exts):
            rel = n if os.path.isabs(n) else self.join(base, n)
            if rel is not None and _is_file(self.folder / rel):
                return rel
        return None

    def bases(self, import_dir: str | None, extra: list[str] | None = None) -> list[str]:
        """Folders to try in TeX's order: the working folder, the \\import folder, the rest."""
        out = [self.workdir]
        if import_dir is not None:
            out.append(import_dir)
        for d in extra or []:
            j = self.join(self.workdir, d)
            if j is not None:
                out.append(j)
        for d in self.texinputs:
            j = self.join(self.workdir, d.rstrip("/") or ".")
            if j is not None:
                out.append(j)
        return list(dict.fromkeys(out))

    def find(
        self,
        name: str,
        exts: tuple[str, ...],
        import_dir: str | None = None,
        extra: list[str] | None = None,
    ) -> str | None:
        """The project file (relative path) TeX opens for `name`, trying each extension."""
        name = name.strip()
        if _bad_name(name):
            return None
        names = _forms(name, exts)
        if os.path.isabs(name):
            return self._absolute(names)
        bases = self.bases(import_dir, extra)
        for base in bases:
            for n in names:
                rel = self.join(base, n)
                if rel is not None and _is_file(self.folder / rel):
                    return rel
        found = self._recursive(names)
        if found is None:
            # then kpathsea's retry of the file name (not its folders) in any letter case
            # (texmf_casefold_search, TeX Live 2018 on): \input{sections/Intro} opens intro.tex
            for base in bases:
                for n in names:
                    rel = self.join(base, n)
                    if rel is not None and (twin := self._casefold(rel)) is not None:
                        return twin
        return found

    def _casefold(self, rel: str) -> str | None:
        """The project file that is rel with its file name in other letter case."""
        index = self.__dict__.get("_by_case")
        if index is None:
            index = {}
            for f in self.files:
                p = PurePosixPath(f)
                index.setdefault((p.parent.as_posix(), p.name.lower()), f)
            self.__dict__["_by_case"] = index
        p = PurePosixPath(rel)
        twin = index.get((p.parent.as_posix(), p.name.lower()))
        return twin if twin is not None and _is_file(self.folder / twin) else None

    def _absolute(self, names: list[str]) -> str | None:
        for n in names:
            if _is_file(Path(n)):
                try:
                    return PurePosixPath(Path(n).relative_to(self.folder)).as_posix()
                except ValueError:
                    return n
        return None

    def _recursive(self, names: list[str]) -> str | None:
        """kpathsea's `dir//`: any subfolder of dir, first in the listing."""
        for d in self.texinputs:
            if not d.endswith("//"):
                continue
            base = self.join(self.workdir, d.rstrip("/") or ".")
            if base is None:
                continue
            prefix = base + "/" if base else ""
            for n in names:
                if "/" in n.strip("./"):
                    continue
                for f in self.files:
                    if f.startswith(prefix) and f.endswith("/" + n) and _is_file(self.folder / f):
                        return f
        return None


def _bad_name(name: str) -> bool:
    return not name or "\0" in name or any(len(p) > MAX_NAME for p in name.split("/"))


def _forms(name: str, exts: tuple[str, ...]) -> list[str]:
    """name with each extension TeX tries; a name that already has one of them, as written."""
    suffix = PurePosixPath(name).suffix
    if not exts or (suffix and suffix in exts):
        return [name]
    return [name + e for e in exts]


def _is_file(p: Path) -> bool:
    """is_file that treats names the OS refuses (too long, bad bytes) as absent."""
    try:
        return p.is_file() or (p.is_symlink() and not p.exists())
    except (OSError, ValueError):
        return False


def texinputs_from(text: str) -> list[str]:
    """TEXINPUTS entries set in a latexmkrc or Makefile (read, never run); system ones dropped."""
    out: list[str] = []
    values = [
        m.group("quoted") if m.group("q") else m.group("bare") for m in _TEXINPUTS.finditer(text)
    ]
    for m in _ENSURE_PATH.finditer(text):  # latexmk's ensure_path('TEXINPUTS', './tex//', ...)
        values += re.findall(r"['\"]([^'\"]*)['\"]", m.group(1))
    for value in values:
        for item in re.split(r"[:;]", value or ""):
            item = item.strip()
            if not item or "$" in item or item.startswith(("/", "~")):
                continue  # the inherited value or a system folder: TeX's own tree
            out.append(item if item.endswith("/") else item + "/")
    return list(dict.fromkeys(out))


def project_texinputs(folder: Path, workdir: str) -> list[str]:
    """TEXINPUTS that the paper's build sets in a latexmkrc or Makefile beside the root file."""
    out: list[str] = []
    for name in (".latexmkrc", "latexmkrc", "Makefile", "makefile", "GNUmakefile"):
        p = folder / workdir / name
        try:
            if not p.is_file() or p.stat().st_size > 1_000_000:
                continue
            text = p.read_text(errors="replace")
        except OSError:
            continue  # unreadable: as if absent
        out += texinputs_from(text)
    return list(dict.fromkeys(out))


def resolve_directive(
    search: SearchPath, d: Directive, import_dir: str | None, input_path: list[str]
) -> tuple[str | None, str | None]:
    """The file an include directive opens (None: not found) and the \\import folder inside it.

    \\input finds names in TeX's working folder, then the current \\import folder, \\input@path
    and TEXINPUTS; \\import{dir}{f} opens dir/f (dir from the working folder) and \\subimport and
    \\subfile open them from the current \\import folder; the folder they open becomes current.
    """
    if d.kind == "bib":
        return search.find(d.target, (), None, None), None
    exts = (".tex",) if d.kind == "include" else (".tex", "")
    if d.prefix or d.kind == "subfile":
        start = search.workdir if d.anchor == "root" else (import_dir or search.workdir)
        base = search.join(start, d.prefix) if d.prefix else start
        if base is None:
            return None, import_dir
        rel = search.find_at(base, d.target, exts)
        if rel is None:
            return None, import_dir
        if d.prefix:
            return rel, base
        return rel, PurePosixPath(rel).parent.as_posix() if "/" in rel else ""
    return search.find(d.target, exts, import_dir, input_path), import_dir
