"""Asking TeX's own tree (kpsewhich) whether it has a file a paper names but does not ship."""

from __future__ import annotations

import shutil
import subprocess

# Files every TeX distribution has; used when kpsewhich is not there to ask.
KNOWN_DIST_FILES = frozenset(
    ["glyphtounicode", "IEEEabrv.bib", "IEEEfull.bib", "IEEEexample.bib", "epsf", "mathcommands"]
)
# one kpsewhich process answers at most this many names; a paper naming more missing files than
# this is broken anyway, and each name costs a tree lookup
MAX_NAMES = 2000
_cache: dict[str, bool] = {}


def _askable(n: str) -> bool:
    # a name with a folder in it is the paper's own file: TeX's tree has no `sections/intro`
    return bool(n) and "/" not in n.strip("./") and not n.startswith(("|", "-")) and "\0" not in n


def kpsewhich(names: list[str]) -> list[str]:
    """The names TeX's own search finds (empty when TeX is not installed), in one process."""
    names = [n for n in dict.fromkeys(names) if _askable(n)]
    if not names:
        return []
    ask = [n for n in names if n not in _cache][:MAX_NAMES]
    exe = shutil.which("kpsewhich")
    if ask and exe:
        # LaTeX's \input{x} opens x.tex first: ask for both forms in the same run
        forms = {n: [n] if n.endswith((".tex", ".bib")) else [n, n + ".tex"] for n in ask}
        args = [f for fs in forms.values() for f in fs]
        try:
            r = subprocess.run(
                [exe, "--", *args],  # `\\input{-version}` is a file name, not an option
                capture_output=True,
                text=True,
                timeout=30,
                stdin=subprocess.DEVNULL,
            )
            found = {line.strip().rsplit("/", 1)[-1] for line in r.stdout.splitlines()}
        except (OSError, subprocess.SubprocessError):
            found = None
        if found is not None:
            for n, fs in forms.items():
                _cache[n] = any(f.rsplit("/", 1)[-1] in found for f in fs)
    return [n for n in names if _cache.get(n)]


def in_distribution(name: str, found: set[str]) -> bool:
    """Whether a missing name is TeX's own file, by kpsewhich's answer or the known list."""
    return (
        name in found or name in KNOWN_DIST_FILES or name.removesuffix(".tex") in KNOWN_DIST_FILES
    )
