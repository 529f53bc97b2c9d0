"""What a folder says about its root file: magic comments, latexmkrc, build scripts, READMEs."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path, PurePosixPath

from papertrack.project.files import Reader, inside, is_file, rel_path

_MAGIC_ROOT = re.compile(r"^\s*!\s*TeX\s+root\s*=\s*(.+?)\s*$", re.IGNORECASE)
_LATEXMKRC_DEFAULT = re.compile(r"@default_files\s*=\s*\(([^)]*)\)")
# \externaldocument[prefix]{name} (xr, xr-hyper) and \zexternaldocument*[prefix]{name} (zref-xr),
# also through a one-level wrapper whose last argument is the document's name.
_EXTERNAL_DOC = re.compile(r"\\\w*externaldocument\*?(?:\[[^\]]*\])?\{([^}#]+)\}")
# A command line that compiles a document: `latexmk -pdf paper`, `pdflatex thesis.tex`.
_BUILD_CMD = re.compile(
    r"\b(?:latexmk|pdflatex|xelatex|lualatex|latex|rubber|tectonic|texi2pdf|arara|"
    r"root_file|rootFile|TEX_ROOT|MAIN|DOC|PAPER|TARGET)\b\s*[:=]?\s*([^\n|&;#]*)"
)
_README_HINT = re.compile(
    r"compil|build|typeset|main|root|latexmk|pdflatex|xelatex|lualatex|make", re.I
)
_TEX_NAME = re.compile(r"[\w./${}-]*[\w}]\.tex\b")
BUILD_OUTPUTS = (".pdf", ".synctex.gz", ".fdb_latexmk", ".fls", ".aux", ".bbl", ".log")
_BUILD_FILES = ("Makefile", "makefile", "GNUmakefile", "build.sh", "compile.sh", "make.sh")
_DOT_BUILD_FILES = (
    ".latexmkrc",
    "latexmkrc",
    ".gitlab-ci.yml",
    ".travis.yml",
    ".vscode/settings.json",
    ".circleci/config.yml",
)
MAX_EVIDENCE_BYTES = 256 * 1024


def magic_roots(folder: Path, reader: Reader, tex_files: list[str]) -> dict[str, str]:
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
                if is_file(target) and inside(folder, target):
                    found.setdefault(rel_path(folder, target.resolve()), rel)
    return found


def _read_small(p: Path) -> str | None:
    try:
        if not p.is_file() or p.stat().st_size > MAX_EVIDENCE_BYTES:
            return None
        return p.read_text(errors="replace")
    except (OSError, ValueError):
        return None  # unreadable evidence is no evidence


def latexmkrc_default(folder: Path) -> str | None:
    """The root .latexmkrc's @default_files names, if it is a file in the folder."""
    for name in (".latexmkrc", "latexmkrc"):
        text = _read_small(folder / name)
        m = _LATEXMKRC_DEFAULT.search(text or "")
        if m:
            named = []
            for item in re.findall(r"['\"]([^'\"]+)['\"]", m.group(1)):
                cand = item if item.endswith(".tex") else item + ".tex"
                if is_file(folder / cand) and inside(folder, folder / cand):
                    named.append(cand)
            return _primary(folder, named) if named else None
    return None


def _primary(folder: Path, named: list[str]) -> str:
    """Of several files latexmk builds, the one that cross-references another (xr, zref-xr).

    A paper and its supplement are often both listed, the supplement first so that its .aux
    exists when the paper imports its labels: the importer is the paper, whatever the order.
    """
    stems = {PurePosixPath(n).with_suffix("").as_posix(): n for n in named}
    for cand in named:
        text = _read_small(folder / cand) or ""
        text = re.sub(r"(?<!\\)%.*", "", text)
        for target in _EXTERNAL_DOC.findall(text):
            target = target.strip().removesuffix(".tex")
            if target in stems and stems[target] != cand:
                return cand
    return named[0]


def build_files(folder: Path, all_files: list[str], dirs: set[str]) -> list[tuple[str, str]]:
    """(path, text) of READMEs, Makefiles, CI workflows, latexmkrc and editor settings."""
    out: list[tuple[str, str]] = []
    for f in all_files:
        name = PurePosixPath(f).name
        if f.count("/") > 3:
            continue
        if name in _BUILD_FILES or name.lower().startswith("readme") or name in _DOT_BUILD_FILES:
            text = _read_small(folder / f)
            if text is not None:
                out.append((f, text))
    for d in sorted(dirs):
        base = folder / d if d else folder
        extra = [n for n in _DOT_BUILD_FILES if n.startswith(".") and "/" in n]
        wf = base / ".github" / "workflows"
        with contextlib.suppress(OSError):
            extra += [f".github/workflows/{p.name}" for p in sorted(wf.iterdir())[:20]]
        for n in extra:
            text = _read_small(base / n)
            if text is not None:
                out.append(((f"{d}/" if d else "") + n, text))
    return out


def named_in(path: str, text: str, rels: list[str]) -> set[str]:
    """The candidates a build file or README names in a compile command or instruction."""
    here = PurePosixPath(path).parent
    if here.name in (".vscode", "workflows", ".circleci"):
        here = here.parent.parent if here.name == "workflows" else here.parent
    tokens: list[str] = []
    if path.endswith("settings.json"):
        try:
            data = json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))
            v = data.get("latex-workshop.latex.rootFile") if isinstance(data, dict) else None
            tokens += [v] if isinstance(v, str) else []
        except (ValueError, RecursionError):
            pass
    readme = PurePosixPath(path).name.lower().startswith("readme")
    for line in text.splitlines():
        if readme:
            if _README_HINT.search(line):
                tokens += _TEX_NAME.findall(line)
        else:
            for m in _BUILD_CMD.finditer(line):
                tokens += [
                    t.strip("'\"") for t in m.group(1).split() if not t.startswith(("-", "$("))
                ]
    found: set[str] = set()
    for t in tokens:
        t = re.sub(r"\$\{?workspace(Folder|Root)\}?/?", "", t).strip("'\",")
        if not t or "$" in t:
            continue
        t = t if t.endswith(".tex") else t + ".tex"
        joined = os.path.normpath(os.path.join(here.as_posix(), t)).lstrip("./")
        for r in rels:
            if r in (joined, t) or r.endswith("/" + t.lstrip("./")):
                found.add(r)
    return found
