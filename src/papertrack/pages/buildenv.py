"""The bounds a latexmk build runs under: papertrack's own rc, TeX's environment, time and size."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from papertrack.pages import sandbox

# Dependency rules papertrack writes itself when a paper's latexmkrc asks for them: the paper's
# own Perl is never run (it may shell-escape or run anything).
_CUS_DEP_RULES = {
    "nlo": (
        "add_cus_dep('nlo', 'nls', 0, 'papertrack_nlo2nls');\n"
        "sub papertrack_nlo2nls { return system('makeindex', '-s', 'nomencl.ist', '-o', "
        '"$_[0].nls", "$_[0].nlo"); }\n'
    ),
    "glo": (
        "add_cus_dep('glo', 'gls', 0, 'papertrack_glo2gls');\n"
        "sub papertrack_glo2gls { return system('makeindex', '-s', \"$_[0].ist\", '-t', "
        '"$_[0].glg", \'-o\', "$_[0].gls", "$_[0].glo"); }\n'
    ),
    "acn": (
        "add_cus_dep('acn', 'acr', 0, 'papertrack_acn2acr');\n"
        "sub papertrack_acn2acr { return system('makeindex', '-s', \"$_[0].ist\", '-t', "
        '"$_[0].alg", \'-o\', "$_[0].acr", "$_[0].acn"); }\n'
    ),
}


TEX_PROGRAMS = ("pdflatex", "xelatex", "lualatex", "latex", "pdftex", "xetex", "luatex", "luahbtex")
# Helpers that read files the paper names: xdvipdfmx's \special{pdf:fstream} embeds any file,
# BibTeX reads \bibliography{/abs/path}. Their styles and fonts come through kpathsea: "p" works.
PARANOID_HELPERS = ("xdvipdfmx", "dvipdfmx", "bibtex", "bibtex8", "bibtexu")


def latexmkrc_rules(project_dir: Path) -> tuple[str, list[str]]:
    """papertrack's versions of the custom dependency rules the paper's latexmkrc declares."""
    rules, names = [], []
    for rc_name in (".latexmkrc", "latexmkrc"):
        rc = project_dir / rc_name
        try:
            # only a regular file inside the folder, read with a bound (a link to /dev/zero)
            if rc.is_symlink() or not rc.is_file():
                continue
            with rc.open("rb") as fh:
                raw = fh.read(1 << 20)
        except OSError:
            continue  # unreadable: as if absent
        text = re.sub(r"#.*", "", raw.decode("utf-8", errors="replace"))
        for ext in re.findall(r"add_cus_dep\s*\(\s*['\"](\w+)['\"]", text):
            label = f"carried over the .{ext} dependency rule (papertrack's own version)"
            if ext not in _CUS_DEP_RULES:
                names.append(f"did not run its .{ext} rule (unknown Perl code is never run)")
            elif label not in names:
                names.append(label)
                rules.append(_CUS_DEP_RULES[ext])
        if re.search(r"shell.escape|\$(?:pdf|xe|lua)?latex\s*=", text):
            names.append("ignored its engine command lines and shell escape")
    return "".join(rules), names


# xdvipdfmx opens the files named in \\special{pdf:fstream (/any/path)} (and image specials)
# whatever kpathsea's openin_any says (measured, TeX Live 2022): without the sandbox, an .xdv
# naming a file by an absolute, home or parent path is not converted.
XDV_GUARD = r"""
$xdvipdfmx = 'internal papertrack_xdvipdfmx %O -o %D %S';
sub papertrack_xdvipdfmx {
  my $xdv = $_[-1];
  if (open(my $fh, '<:raw', $xdv)) {
    local $/; my $data = <$fh>; close $fh;
    while ($data =~ m{(?:stream|image|xobj|epsfile|PSfile)[^\x00-\x08]{0,300}?[(=]\s*"?([^)\s"\x00-\x1f]+)}g) {
      my $path = $1;
      next unless $path =~ m{(?:^~|\.\./|^\.\.$)} || ($path =~ m{^/} && $path !~ m{^(?:/usr/|/opt/|/var/lib/texmf|/etc/texmf|BUILD/)});
      print "papertrack: xdvipdfmx not run: a \\special names a file outside the paper\n";
      return 1;
    }
  }
  return system('xdvipdfmx', @_);
}
"""


def tree_bytes(folder: Path) -> int:
    """Bytes of every regular file under folder (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(root, name))
                total += st.st_size if not os.path.islink(os.path.join(root, name)) else 0
    return total


def run_bounded(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    build: Path,
    output: Path,
    max_bytes: int,
    cancel: threading.Event | None = None,
) -> tuple[int | None, bool, str | None]:
    """Run latexmk bounded in time and in what it writes: (returncode, timed_out, kill reason).

    The bound counts every file of the build folder (subfolders too) beyond what it held
    before. Leaving early in any way (Ctrl-C, SIGTERM, an exception) kills the whole group.
    """
    base = tree_bytes(build)
    checked = [time.monotonic()]

    def over_limit() -> str | None:
        now = time.monotonic()
        if now - checked[0] < 1.0:  # a walk of a large tree is not free: once a second
            return None
        checked[0] = now
        if tree_bytes(build) - base > max_bytes:
            return f"output grew past {max_bytes // 2**20} MB"
        return None

    with (
        output.open("wb") as sink,
        sandbox.process_group(cmd, cwd=cwd, env=env, stdout=sink) as proc,
    ):
        returncode, why = sandbox.wait(
            proc,
            time.monotonic() + timeout,
            over_limit=over_limit,
            cancelled=lambda: cancel is not None and cancel.is_set(),
        )
    if why == "timeout":
        return None, True, f"timed out after {timeout:g} s"
    return returncode, False, why


def build_env(home: Path | None) -> dict[str, str]:
    """The environment of the build: only what TeX needs, with kpathsea's paranoid settings."""
    settings = dict(
        max_print_line="10000",
        error_line="254",
        half_error_line="238",
        openout_any="p",
        # paranoid reading for the TeX engines (VAR_progname is kpathsea's per-program
        # setting): \input{/etc/passwd} or ../../secret cannot copy a file into the PDF.
        # makeindex would then refuse its own styles from the TeX tree, so it gets "r".
        openin_any="r",
        **{f"openin_any_{prog}": "p" for prog in (*TEX_PROGRAMS, *PARANOID_HELPERS)},
        shell_escape="f",
    )
    if home is None:  # no sandbox: the user's own HOME (their ~/texmf, font caches) and TMPDIR
        env = sandbox.clean_env(settings, Path(os.environ.get("HOME", "/")))
        env.pop("TMPDIR")
        if "TMPDIR" in os.environ:
            env["TMPDIR"] = os.environ["TMPDIR"]
        return env
    # In the sandbox the user's files are not there to be read, so TeX reads as a normal TeX Live
    # does: `..` and absolute paths inside the visible tree (a paper in paper/ with ../figs/),
    # dot files still refused; and the restricted shell escape TeX Live allows by default, so EPS
    # figures are converted (repstopdf). Without the sandbox both stay paranoid.
    settings.update({f"openin_any_{prog}": "r" for prog in (*TEX_PROGRAMS, *PARANOID_HELPERS)})
    settings["shell_escape"] = "p"
    tree = texmfhome()
    if tree is not None:
        settings["TEXMFHOME"] = str(tree)
    return sandbox.clean_env(settings, home)


_TEXMFHOME: list[Path | None] = []


def texmfhome() -> Path | None:
    """The user's personal TeX tree (~/texmf) if it exists: the sandbox shows it read-only."""
    if not _TEXMFHOME:
        found = None
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                ["kpsewhich", "-var-value=TEXMFHOME"],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=10,
                check=False,
            ).stdout.decode("utf-8", "replace")
            first = out.strip().split(":")[0].strip("{}!")
            if first and Path(first).is_dir():
                found = Path(first)
        _TEXMFHOME.append(found)
    return _TEXMFHOME[0]


@contextlib.contextmanager
def build_lock(build: Path) -> Iterator[None]:
    """One build at a time per build folder (two at once would corrupt latexmk's state)."""
    with (build / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
