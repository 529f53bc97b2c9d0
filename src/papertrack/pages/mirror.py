"""Mirror a paper folder into the build folder: sources only, never a write to the paper."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from papertrack.pages.logparse import OUT_DIR_NAME
from papertrack.paths import cache_dir

# Never mirrored: version control, editor and tool folders, and our own output folder.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".idea",
        ".vscode",
        ".mypy_cache",
        ".pytest_cache",
        OUT_DIR_NAME,
    }
)
# Build outputs a paper folder may contain (committed or left by an editor). Mirrored, a stale
# .aux/.bbl would take over the build (latexmk once re-ran BibTeX on a committed .aux).
BUILD_OUTPUTS = (
    ".aux",
    ".bbl",
    ".blg",
    ".log",
    ".out",
    ".fls",
    ".fdb_latexmk",
    ".synctex.gz",
    ".synctex",
    ".synctex(busy)",
    ".toc",
    ".lof",
    ".lot",
    ".lol",
    ".loa",
    ".nav",
    ".snm",
    ".vrb",
    ".bcf",
    ".run.xml",
    ".xdv",
    ".dvi",
    ".nlo",
    ".nls",
    ".ilg",
    ".ind",
    ".idx",
    ".glo",
    ".gls",
    ".glg",
    ".acn",
    ".acr",
    ".alg",
    ".brf",
    ".thm",
    ".auxlock",
    ".ptc",
    ".maf",
    ".xref",
    ".tdo",
    ".upa",
    ".upb",
    "-blx.bib",
    ".bbl-SAVE-ERROR",
    ".pytxcode",
    ".figlist",
    ".makefile",
)
# Big files (data, videos, huge figures) are linked, not copied: TeX only ever reads them.
LINK_ABOVE_BYTES = 32 * 2**20


def _is_build_output(name: str) -> bool:
    return name.endswith(BUILD_OUTPUTS)


def _source_files(project_dir: Path) -> dict[str, Path]:
    """Every file under the paper folder by relative path (symlinks followed, loops cut)."""
    files: dict[str, Path] = {}
    # A cache folder inside the paper folder must not mirror itself.
    seen: set[str] = {os.path.realpath(cache_dir())}
    for root, dirs, names in os.walk(project_dir, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS)
        rel_root = Path(root).relative_to(project_dir)
        for name in names:
            files[(rel_root / name).as_posix()] = Path(root) / name
    return files


def sync_mirror(
    project_dir: Path, tree: Path, manifest: dict[str, list[int]], keep_bbl: bool
) -> tuple[dict[str, list[int]], bool, list[str]]:
    """Make tree a copy of the paper's sources; returns (manifest, changed, notes).

    Build outputs are left out unless a .bbl is the only bibliography source (no .bib: arXiv
    style) or keep_bbl asks for committed .bbl files.
    """
    notes: list[str] = []
    sources = _source_files(project_dir)
    has_bib = any(rel.endswith(".bib") for rel in sources)
    bbl_wanted = keep_bbl or not has_bib
    skipped = [
        rel
        for rel in sources
        if _is_build_output(rel) and not (bbl_wanted and rel.endswith(".bbl"))
    ]
    if skipped:
        shown = ", ".join(sorted(skipped)[:5]) + (" ..." if len(skipped) > 5 else "")
        notes.append(f"build outputs in the paper folder ignored: {shown}")
    if bbl_wanted and any(rel.endswith(".bbl") for rel in sources):
        notes.append("using the committed .bbl" + ("" if keep_bbl else " (no .bib file exists)"))
    skip = set(skipped)
    new: dict[str, list[int]] = {}
    changed = False
    for rel, src in sources.items():
        if rel in skip:
            continue
        try:
            st = src.stat()
        except OSError:
            continue  # a dangling symlink
        key = [st.st_size, st.st_mtime_ns]
        dst = tree / rel
        new[rel] = key
        if manifest.get(rel) == key and (dst.exists() or dst.is_symlink()):
            continue
        changed = True
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_symlink() or dst.exists():
            dst.unlink()
        if st.st_size > LINK_ABOVE_BYTES:
            dst.symlink_to(src.resolve())
            continue
        tmp = dst.with_name(dst.name + ".papertrack-tmp")
        shutil.copyfile(src, tmp)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, dst)
    for rel in manifest.keys() - new.keys():
        changed = True
        with contextlib.suppress(FileNotFoundError):
            (tree / rel).unlink()
    return new, changed, notes
