"""`papertrack doctor`: which TeX tools are installed, and how to install what is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape


@dataclass(frozen=True)
class Tool:
    name: str
    role: str
    needed: bool  # needed for exact page counts of most papers
    version_flag: str = "--version"


TOOLS = (
    Tool("pdflatex", "TeX engine for most papers", True),
    Tool("xelatex", "TeX engine for papers that load fontspec", False),
    Tool("lualatex", "TeX engine for LuaLaTeX papers", False),
    Tool("latexmk", "runs LaTeX and BibTeX/Biber as often as needed", True),
    Tool("bibtex", "bibliographies with BibTeX/natbib", True),
    Tool("biber", "bibliographies with biblatex", False),
    Tool("kpsewhich", "finds installed classes and packages", True),
    Tool("pdftotext", "finds where main content ends on its page", True, "-v"),
    Tool("pdfinfo", "reads PDF page counts", False, "-v"),
    Tool("chktex", "LaTeX lint (optional)", False),
    Tool("texcount", "word counts as TeXcount sees them (optional)", False),
    Tool("bwrap", "the sandbox every build runs in (bubblewrap)", False),
)

# package per tool and platform; None: comes with another package listed
APT = {
    # venue styles need the extra fonts (ACL: inconsolata, acmart: libertine) or pages come out wrong
    "pdflatex": "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended "
    "texlive-fonts-extra texlive-science texlive-publishers cm-super",
    "xelatex": "texlive-xetex",
    "lualatex": "texlive-luatex",
    "latexmk": "latexmk",
    "bibtex": "texlive-binaries",
    "biber": "biber",
    "kpsewhich": "texlive-binaries",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "chktex": "chktex",
    "texcount": "texlive-extra-utils",
    "bwrap": "bubblewrap",
}
DNF = {
    "pdflatex": "texlive-scheme-medium",
    "xelatex": "texlive-xetex",
    "lualatex": "texlive-luatex",
    "latexmk": "latexmk",
    "bibtex": "texlive-bibtex",
    "biber": "biber",
    "kpsewhich": "texlive-kpathsea",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "chktex": "texlive-chktex",
    "texcount": "texlive-texcount",
    "bwrap": "bubblewrap",
}
TLMGR = {"latexmk": "latexmk", "biber": "biber", "chktex": "chktex", "texcount": "texcount"}
_TEX = {
    "pdflatex",
    "xelatex",
    "lualatex",
    "bibtex",
    "kpsewhich",
    "latexmk",
    "biber",
    "chktex",
    "texcount",
}


@dataclass
class Status:
    tool: Tool
    path: str | None
    version: str = ""


def version_line(path: str, flag: str) -> str:
    """The line of `tool --version` that names the version ('' when the tool does not answer)."""
    try:
        out = subprocess.run(
            [path, flag],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = [x.strip() for x in (out.stdout + "\n" + out.stderr).splitlines() if x.strip()]
    for line in lines:
        if re.search(r"version|\d+\.\d+", line, re.I) and not line.startswith("!!!"):
            return line[:100]
    return lines[0][:100] if lines else ""


def collect(which=None, version=None) -> list[Status]:
    """Each tool's path and version line (`which` and `version` are replaceable for tests)."""
    which = which or shutil.which
    version = version or version_line
    out = []
    for t in TOOLS:
        path = which(t.name)
        out.append(Status(t, path, version(path, t.version_flag) if path else ""))
    return out


def install_hints(missing: list[str]) -> list[tuple[str, str]]:
    """(platform, command) lines that install the missing tools."""
    if not missing:
        return []
    hints = []
    apt = " ".join(dict.fromkeys(p for m in missing for p in APT[m].split()))
    dnf = " ".join(dict.fromkeys(DNF[m] for m in missing))
    hints.append(("Debian/Ubuntu", f"sudo apt-get install {apt}"))
    hints.append(("Fedora", f"sudo dnf install {dnf}"))
    tex = [m for m in missing if m in _TEX]
    if tex:
        hints.append(("macOS", "brew install --cask mactex-no-gui   # everything, about 5 GB"))
        extra = " ".join(dict.fromkeys(["latexmk", *(TLMGR[m] for m in tex if m in TLMGR)]))
        hints.append(
            (
                "macOS",
                "brew install --cask basictex && sudo tlmgr update --self && "
                f"sudo tlmgr install {extra}",
            )
        )
    if any(m in ("pdftotext", "pdfinfo") for m in missing):
        hints.append(("macOS", "brew install poppler"))
    return hints


def run(console: Console | None = None, which=None, version=None) -> int:
    """Print the report; 0 when everything exact page counts need is installed, else 1."""
    console = console or Console(highlight=False, soft_wrap=True)
    statuses = collect(which, version)
    width = max(len(t.name) for t in TOOLS)
    pwidth = max((len(s.path) for s in statuses if s.path), default=0)
    console.print("[bold]TeX and PDF tools[/]")
    for s in statuses:
        name = s.tool.name.ljust(width)
        if s.path:
            where = escape(s.path.ljust(pwidth))
            console.print(f"  [green]found  [/] {name}  {where}  [dim]{escape(s.version)}[/]")
        else:
            label = "[red]missing[/]" if s.tool.needed else "[yellow]absent [/]"
            console.print(f"  {label} {name}  [dim]{escape(s.tool.role)}[/]")
    missing = [s.tool.name for s in statuses if not s.path and s.tool.needed]
    optional = [s.tool.name for s in statuses if not s.path and not s.tool.needed]
    console.print()
    if missing:
        console.print(
            f"[bold red]Exact page counts need:[/] {', '.join(missing)}. Without them papertrack "
            "estimates pages from the source (`--no-compile`) or reads a PDF you give it (`--pdf`)."
        )
    else:
        console.print("[bold green]Everything needed for exact page counts is installed.[/]")
    if optional:
        console.print(f"Not installed (needed by some papers only): {', '.join(optional)}")
    _sandbox_report(console)
    hints = install_hints(missing + optional)
    if hints:
        console.print()
        console.print("[bold]To install[/]" + (" what is missing:" if missing else " the rest:"))
        for platform, cmd in hints:
            console.print(f"  {platform + ':':<15} {escape(cmd)}")
    return 1 if missing else 0


def sandbox_lines() -> tuple[bool, list[str]]:
    """Whether builds run in the sandbox, and what to say about it (plain text)."""
    from papertrack.pages import sandbox

    avail = sandbox.availability()
    if avail.ok:
        return True, [
            f"{avail.bwrap}: builds, Biber and git run with the system read-only, "
            "your home and other user folders hidden, only the build folder writable, "
            "no network."
        ]
    lines = [
        f"{avail.reason}.",
        "Without it papertrack keeps TeX's paranoid file settings (no shell escape, no "
        "reading or writing outside the paper), and does not run LuaLaTeX or Biber on a "
        "paper unless you trust it (--trust-paper, or `trust = true` in "
        f"{sandbox.user_config_file()}).",
    ]
    if avail.bwrap is None and not avail.forced:
        lines.append(
            "To install: sudo apt-get install bubblewrap (Debian/Ubuntu), "
            "sudo dnf install bubblewrap (Fedora)."
        )
    elif not avail.forced:
        lines.append(
            "bwrap needs unprivileged user namespaces: `sysctl kernel.unprivileged_userns_clone=1`"
            " (older Debian), `sysctl kernel.apparmor_restrict_unprivileged_userns=0` or an "
            "AppArmor profile for bwrap (Ubuntu 24.04+), `user.max_user_namespaces` > 0; in a "
            "container, run it with seccomp allowing unshare/clone (e.g. --security-opt "
            "seccomp=unconfined) or install papertrack outside it."
        )
    return False, lines


def _sandbox_report(console: Console) -> None:
    ok, lines = sandbox_lines()
    console.print()
    label = "[green]works[/]" if ok else "[yellow]unavailable[/]"
    console.print(f"[bold]Sandbox[/] {label}")
    for line in lines:
        console.print(f"  {escape(line)}")
