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
        # the names a later locate() will ask for ride along: one run instead of two
        extra = [n for n in dict.fromkeys(_wanted) if n not in _located and n not in args]
        _wanted.clear()
        try:
            r = subprocess.run(
                [exe, "--", *args, *extra],  # `\\input{-version}` is a file name, not an option
                capture_output=True,
                text=True,
                timeout=30,
                stdin=subprocess.DEVNULL,
            )
            # lower-cased: kpathsea answers `ieeetran.cls` with the IEEEtran.cls it found by
            # its case-insensitive retry, which TeX opens too
            found = {line.strip().rsplit("/", 1)[-1].lower() for line in r.stdout.splitlines()}
        except (OSError, subprocess.SubprocessError):
            found = None
            _wanted.extend(extra)  # locate() asks again
        if found is not None:
            for n, fs in forms.items():
                _cache[n] = any(f.rsplit("/", 1)[-1].lower() in found for f in fs)
            _record_located(extra, r.stdout)
    return [n for n in names if _cache.get(n)]


def in_distribution(name: str, found: set[str]) -> bool:
    """Whether a missing name is TeX's own file, by kpsewhich's answer or the known list."""
    return (
        name in found or name in KNOWN_DIST_FILES or name.removesuffix(".tex") in KNOWN_DIST_FILES
    )


# One kpsewhich run costs ~60-80 ms CPU, nearly all of it reading TeX's ls-R databases, however
# many names it is asked: the files a check will look up (the text font's .tfm, the .bst) are
# asked together in whichever lookup comes first.
_located: dict[str, str | None] = {}
_wanted: list[str] = []


def want(names: list[str]) -> None:
    """Names a later locate() will ask for: the next kpsewhich run asks for them too."""
    _wanted.extend(n for n in names if _askable(n) and n not in _located and n not in _wanted)


def locate(name: str) -> str | None:
    """The path of a file in TeX's own tree, as `kpsewhich NAME` prints it (None if not found,
    TeX is not installed, or the name is not a plain file name)."""
    if name in _located:
        return _located[name]
    if not _askable(name):
        return None
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    ask = [name, *(n for n in _wanted if n != name and n not in _located)]
    _wanted.clear()
    try:
        r = subprocess.run(
            [exe, "--", *ask],
            capture_output=True,
            text=True,
            timeout=10,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    _record_located(ask, r.stdout)
    return _located[name]


def _record_located(asked: list[str], stdout: str) -> None:
    # one line per name found, in the order asked (kpsewhich exits 1 if any is missing)
    paths = {line.rsplit("/", 1)[-1]: line for line in stdout.splitlines() if line.strip()}
    for n in asked:
        _located[n] = paths.get(n)
