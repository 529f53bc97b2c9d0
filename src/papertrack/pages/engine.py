"""Choose the TeX engine and bibliography tool a paper needs, from its own sources."""

from __future__ import annotations

import re
from pathlib import Path

_MAGIC = re.compile(r"^\s*%\s*!\s*TEX\s+(?:TS-)?program\s*=\s*([A-Za-z-]+)", re.I | re.M)
_PROGRAM_NAMES = {
    "pdflatex": "pdflatex",
    "pdftex": "pdflatex",
    "latex": "pdflatex",
    "xelatex": "xelatex",
    "xetex": "xelatex",
    "lualatex": "lualatex",
    "luatex": "lualatex",
    "lualatex-dev": "lualatex",
    "pdflatex-dev": "pdflatex",
    "xelatex-dev": "xelatex",
}
# latexmk's $pdf_mode: 1 pdflatex, 4 lualatex, 5 xelatex (2/3 go through dvips/dvipdf: pdflatex's
# input language, so pdflatex measures the same pages).
_PDF_MODE = {"1": "pdflatex", "2": "pdflatex", "3": "pdflatex", "4": "lualatex", "5": "xelatex"}
_XE_PACKAGES = (
    "fontspec",
    "xeCJK",
    "ctex",
    "unicode-math",
    "polyglossia",
    "mathspec",
    "xltxtra",
    "xunicode",
)
_XE_CLASSES = ("ctexart", "ctexrep", "ctexbook", "ctexbeamer")
_LUA_PACKAGES = (
    "luacode",
    "luatexja",
    "luatexja-fontspec",
    "lualatex-math",
    "luaotfload",
    "luatexbase",
    "lua-visual-debug",
)
# Engine tests that make a fontspec line conditional (templates that run under every engine).
_ENGINE_CONDITIONAL = re.compile(
    r"\\if(?:xetex|luatex|pdftex|PDFTeX|XeTeX|LuaTeX|tutex|TUTeX)\b|\\ifengine|\\sys_if_engine"
)
_INPUT = re.compile(
    r"\\(input|include|subfile|usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*"
    r"\{([^}]+)\}"
)


def strip_comments(text: str) -> str:
    """Drop TeX comments (an unescaped % to the end of the line)."""
    return re.sub(r"(?<!\\)%.*", "", text)


def preamble_text(
    main_text: str, project_dir: Path | None = None, *, depth: int = 3, packages: bool = True
) -> str:
    """The main file's preamble plus the local files and packages it reads there, uncommented."""
    text = strip_comments(main_text)
    head = text.split("\\begin{document}", 1)[0]
    if project_dir is None or depth <= 0:
        return head
    parts = [head]
    for match in _INPUT.finditer(head):
        package = match.group(1) in ("usepackage", "RequirePackage")
        if package and not packages:
            continue
        for name in match.group(2).split(","):
            name = name.strip()
            if not name or ".." in Path(name).parts:
                continue
            # \usepackage{thesis} reads thesis.sty, never thesis.tex (often the main file)
            for candidate in (name + ".sty",) if package else (name, name + ".tex"):
                path = project_dir / candidate
                if path.is_file() and path.stat().st_size < 2_000_000:
                    try:
                        sub = path.read_text(encoding="utf-8", errors="replace")
                    except OSError:
                        continue  # unreadable (a root-owned leftover): the loader reports it
                    parts.append(
                        preamble_text(sub, project_dir, depth=depth - 1, packages=packages)
                    )
                    break
    return "\n".join(parts)


def _packages(preamble: str) -> list[tuple[int, str]]:
    """(offset, name) of every package a preamble loads."""
    found: list[tuple[int, str]] = []
    for m in re.finditer(
        r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}", preamble
    ):
        found.extend((m.start(), name.strip()) for name in m.group(1).split(","))
    return found


_RC_MODE_VAR = {"1": "pdflatex", "2": "pdflatex", "3": "pdflatex", "4": "lualatex", "5": "xelatex"}
_RC_ASSIGN = re.compile(r"\$(pdf_mode|pdflatex|xelatex|lualatex)\s*=\s*(?:(\d)|(['\"])(.*?)\3)\s*;")


def _program(command: str) -> str | None:
    """The engine a latexmk command line runs ('xelatex -synctex=1 %O %S' -> xelatex)."""
    words = command.split()
    if not words:
        return None
    return _PROGRAM_NAMES.get(Path(words[0]).name.lower())


def _latexmkrc_engine(project_dir: Path, main_dir: Path | None = None) -> tuple[str, str] | None:
    """The engine a latexmkrc selects, read as text (never run): $pdf_mode and the command
    variables; the last assignment wins, as in Perl. The main file's folder first: latexmk
    reads the rc of the folder it runs in."""
    folders = [d for d in dict.fromkeys([main_dir, project_dir]) if d is not None]
    for folder in folders:
        for name in (".latexmkrc", "latexmkrc"):
            rc = folder / name
            if not rc.is_file():
                continue
            try:
                raw = rc.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue  # unreadable: latexmk could not read it either (security review F14)
            text = re.sub(r"#.*", "", raw)
            mode = None
            commands: dict[str, str] = {}
            for m in _RC_ASSIGN.finditer(text):
                if m.group(1) == "pdf_mode":
                    mode = m.group(2)
                elif m.group(4) is not None:
                    commands[m.group(1)] = m.group(4)
            if mode is not None and mode not in _PDF_MODE:
                mode = None
            var = _RC_MODE_VAR[mode] if mode else "pdflatex"
            runs = _program(commands.get(var, ""))
            if mode:
                engine = runs or _PDF_MODE[mode]
                why = f"{name}: $pdf_mode = {mode}"
                if runs and runs != var:
                    why += f", ${var} runs {runs}"
                return engine, why
            if runs and runs != "pdflatex":
                return runs, f"{name}: $pdflatex runs {runs}"
            m = re.search(r"-(xelatex|lualatex|pdfxe|pdflua)\b", text)
            if m:
                engine = {"pdfxe": "xelatex", "pdflua": "lualatex"}.get(m.group(1), m.group(1))
                return engine, f"{name}: -{m.group(1)}"
    return None


def choose_engine(
    main_text: str, project_dir: Path, main_dir: Path | None = None
) -> tuple[str, str]:
    """(engine, reason): a magic comment, then the paper's latexmkrc, then the packages it loads."""
    m = _MAGIC.search("\n".join(main_text.splitlines()[:30]))
    if m:
        name = m.group(1).lower()
        if name in _PROGRAM_NAMES:
            return _PROGRAM_NAMES[name], f"magic comment '% !TEX program = {m.group(1)}'"
    from_rc = _latexmkrc_engine(project_dir, main_dir)
    if from_rc:
        return from_rc
    preamble = preamble_text(main_text, project_dir)
    cls = re.search(r"\\documentclass\s*(?:\[[^\]]*\])?\s*\{([^}]+)\}", preamble)
    if cls and cls.group(1).strip() in _XE_CLASSES:
        return "xelatex", f"class {cls.group(1).strip()} needs XeLaTeX"
    for offset, name in _packages(preamble):
        conditional = _ENGINE_CONDITIONAL.search(preamble, 0, offset) is not None
        if name in _LUA_PACKAGES and not conditional:
            return "lualatex", f"package {name} needs LuaLaTeX"
        if name in _XE_PACKAGES and not conditional:
            return "xelatex", f"package {name} needs XeLaTeX or LuaLaTeX"
    # the paper's own \directlua, not a local copy of a package (mathtools.sty, microtype.sty
    # call it behind their own engine tests)
    own = preamble_text(main_text, project_dir, packages=False)
    if re.search(r"\\directlua\b", own) and not _ENGINE_CONDITIONAL.search(own):
        return "lualatex", "\\directlua needs LuaLaTeX"
    return "pdflatex", "the default: no magic comment, latexmkrc engine or Unicode-font package"


def bib_tool(main_text: str, project_dir: Path | None = None) -> str:
    """'biber' when biblatex is loaded without backend=bibtex(8|u), else 'bibtex'."""
    preamble = preamble_text(main_text, project_dir)
    if not any(name == "biblatex" for _, name in _packages(preamble)):
        return "bibtex"
    if re.search(r"backend\s*=\s*bibtex", preamble):
        return "bibtex"
    return "biber"
