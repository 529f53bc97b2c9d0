"""Page settings a preamble or a shipped style makes: geometry, lengths, fonts, spacing, columns."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from papertrack.model.classlayouts import FONT_PACKAGES, PAPERS, SPACING, dimension
from papertrack.project.includes import comma_list

if TYPE_CHECKING:
    from papertrack.model.layout import PageLayout

# Settings found in a preamble or a style file the paper ships.
_SETLENGTH = re.compile(
    r"\\(?:setlength|addtolength)\s*\{?\s*\\(textwidth|textheight|columnsep|parskip)\s*\}?\s*"
    r"\{([^{}]*)\}|(?<![\w@\\])\\(textwidth|textheight|columnsep)\s*=?\s*([\d.]+\s*(?:true\s*)?(?:pt|in|cm|mm|bp|pc))"
)
_GEOMETRY = re.compile(
    r"\\(?:usepackage|RequirePackage|PassOptionsToPackage|geometry|newgeometry)\s*"
    r"(?:\[([^\]]*)\])?\s*\{([^{}]*)\}(?:\s*\{geometry\})?"
)
_PACKAGE = re.compile(r"\\(?:usepackage|RequirePackage)\s*(?:\[([^\]]*)\])?\s*\{([^{}]*)\}")
_LINESPREAD = re.compile(r"\\linespread\s*\{\s*([\d.]+)\s*\}")
_STRETCH = re.compile(r"\\(?:setstretch\s*\{\s*([\d.]+)\s*\}|(doublespacing|onehalfspacing)\b)")
_BASELINESTRETCH = re.compile(r"\\renewcommand\s*\{?\\baselinestretch\}?\s*\{\s*([\d.]+)\s*\}")
_TWOCOLUMN = re.compile(r"\\twocolumn(?![a-zA-Z@])")
_NORMALSIZE = re.compile(
    r"\\@setfontsize\s*\\normalsize\s*\\@(x|ix|xi|xii|viii)pt\s*\{?\s*(?:([\d.]+)|\\@(x|ix|xi|xii|viii)pt)"
)
_SIZES = {"viii": 8.0, "ix": 9.0, "x": 10.0, "xi": 10.95, "xii": 12.0}


def _geometry_keys(text: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    restore = text.rfind("\\restoregeometry")
    for m in _GEOMETRY.finditer(text):
        opts, name = m.group(1), m.group(2)
        cmd = m.group(0)
        if cmd.startswith("\\newgeometry") and m.start() < restore:
            continue  # a title page's own margins, restored afterwards
        if cmd.startswith(("\\geometry", "\\newgeometry")):
            body = name
        elif "geometry" in name.split(",") and opts:
            body = opts
        elif cmd.startswith("\\PassOptionsToPackage") and m.group(0).rstrip().endswith(
            "{geometry}"
        ):
            body = name
        else:
            continue
        for part in _split_keys(body):
            k, _, v = part.partition("=")
            keys[k.strip()] = v.strip()
    return keys


def _split_keys(body: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        cur += ch
    out.append(cur)
    return [p.strip() for p in out if p.strip()]


def _apply_geometry(lay: PageLayout, keys: dict[str, str], paper: tuple[float, float]) -> None:
    """geometry's rules for the common keys: explicit sizes, margins, else 70% of the paper."""
    size = lay.size
    pw, ph = paper
    for k in keys:
        if k in PAPERS:
            pw, ph = PAPERS[k]
    if "paper" in keys and keys["paper"] + "paper" in PAPERS:
        pw, ph = PAPERS[keys["paper"] + "paper"]

    def dim(*names: str) -> float | None:
        for n in names:
            if n in keys:
                v = dimension(keys[n].strip("{}"), size)
                if v is not None:
                    return v
        return None

    total = keys.get("total") or keys.get("body")
    width = dim("textwidth", "width")
    height = dim("textheight", "height")
    if total:
        parts = [dimension(p, size) for p in total.strip("{}").split(",")]
        width = parts[0] if parts and parts[0] else width
        height = parts[1] if len(parts) > 1 and parts[1] else height
    margin = dim("margin")
    hmargin = dim("hmargin") or margin
    vmargin = dim("vmargin") or margin
    left = dim("left", "lmargin", "inner") or hmargin
    right = dim("right", "rmargin", "outer") or hmargin
    top = dim("top", "tmargin") or vmargin
    bottom = dim("bottom", "bmargin") or vmargin
    if width is None and (left is not None or right is not None):
        width = pw - (left if left is not None else right) - (right if right is not None else left)
    if height is None and (top is not None or bottom is not None):
        height = ph - (top if top is not None else bottom) - (bottom if bottom is not None else top)
        if "includehead" in keys or "includeheadfoot" in keys:
            height -= 25.0
        if "includefoot" in keys or "includeheadfoot" in keys:
            height -= 30.0
    if width is None and (keys.keys() - {"verbose", "showframe", "pass"} or not keys):
        scale = keys.get("hscale") or keys.get("scale")
        width = pw * float(scale) if scale and _is_number(scale) else pw * 0.7
        if "pass" in keys:
            width = None
    if height is None and (keys.keys() - {"verbose", "showframe", "pass"} or not keys):
        scale = keys.get("vscale") or keys.get("scale")
        height = ph * float(scale) if scale and _is_number(scale) else ph * 0.7
        if "pass" in keys:
            height = None
    if width:
        lay.text_width = width
    if height:
        lay.text_height = height
    sep = dim("columnsep")
    if sep is not None:
        lay.column_sep = sep
    if "twocolumn" in keys:
        lay.columns = 2


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def apply_settings(
    lay: PageLayout, text: str, where: str, paper: tuple[float, float], preamble: bool = False
) -> None:
    """setlength, geometry, fonts, spacing and \\twocolumn found in one preamble or style file.

    In a style file, line spacing and column switches usually sit in option branches (review,
    referee): only the preamble's count, plus an unconditional \\twocolumn.
    """
    keys = _geometry_keys(text)
    if not preamble:
        keys.pop("twocolumn", None)
    if keys or re.search(r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{geometry\}", text):
        _apply_geometry(lay, keys, paper)
        lay.evidence.append(f"geometry in {where}")
    for m in _SETLENGTH.finditer(text):
        name = m.group(1) or m.group(3)
        value = dimension((m.group(2) or m.group(4) or "").replace("true", ""), lay.size)
        if value is None:
            continue
        add = m.group(0).startswith("\\addtolength")
        if name == "textwidth":
            lay.text_width = lay.text_width + value if add else value
        elif name == "textheight":
            lay.text_height = lay.text_height + value if add else value
        elif name == "columnsep":
            lay.column_sep = value
        elif name == "parskip":
            lay.parskip = value
        lay.evidence.append(f"\\{name} in {where}")
    m = _NORMALSIZE.search(text)
    if m and not preamble:
        lay.size = _SIZES[m.group(1)]
        lay.baselineskip = float(m.group(2)) if m.group(2) else _SIZES[m.group(3)]
    for m in _PACKAGE.finditer(text):
        for name in comma_list(m.group(2)):
            font = FONT_PACKAGES.get(name.lower())
            if font:
                lay.font = font
                lay.evidence.append(f"{name.strip()} in {where}")
            if name.strip() in ("fullpage",):
                lay.text_width, lay.text_height = 469.8, 620.4
            if name.strip() == "a4wide":
                lay.text_width, lay.text_height = 424.6, 646.0
    for m in _TWOCOLUMN.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        if text.startswith("[", m.end()) or "\\if" in line[-60:] or "\\def" in line:
            continue  # \twocolumn[\@maketitle] of the option's branch, a saved column state
        lay.columns = 2
    if not preamble:
        return
    stretch = 1.0
    for m in _LINESPREAD.finditer(text):
        stretch = float(m.group(1))
    for m in _BASELINESTRETCH.finditer(text):
        stretch = float(m.group(1))
    for m in _STRETCH.finditer(text):
        if m.group(1):
            stretch = float(m.group(1))
        else:
            stretch = SPACING[m.group(2)].get(
                int(lay.size), 1.6 if "double" in m.group(2) else 1.25
            )
    if stretch != 1.0:
        lay.baselineskip *= stretch
        lay.evidence.append(f"line spacing x{stretch:g} in {where}")
