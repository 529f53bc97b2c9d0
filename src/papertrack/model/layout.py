"""The page a paper asks for: text block, columns, font and line height from its class and packages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from papertrack.model import fontmetrics

PT_PER = {"pt": 1.0, "in": 72.27, "cm": 28.4528, "mm": 2.84528, "bp": 1.00375, "pc": 12.0}
PT_PER.update({"dd": 1.07, "cc": 12.84, "sp": 1 / 65536})
LETTER = (614.295, 794.97)
A4 = (597.508, 845.047)
PAPERS = {
    "letterpaper": LETTER,
    "a4paper": A4,
    "a5paper": (421.1, 597.5),
    "b5paper": (499.0, 708.3),
    "legalpaper": (614.3, 1011.8),
    "executivepaper": (523.9, 759.0),
}
# Baselineskip of the standard size options (size10.clo, size11.clo, size12.clo).
BASELINE = {8: 9.5, 9: 11.0, 10: 12.0, 11: 13.6, 12: 14.5}
_SPACING = {"doublespacing": {10: 1.667, 11: 1.618, 12: 1.655}}
_SPACING["onehalfspacing"] = {10: 1.25, 11: 1.213, 12: 1.241}


@dataclass(frozen=True)
class ClassLayout:
    """A class's text block per size and paper, measured with TeX Live 2022 (\\the\\textwidth ...)."""

    text_width: float
    text_height: float
    columns: int = 1
    column_sep: float = 10.0
    size: float = 10.0
    baselineskip: float | None = None
    font: str = "cm"
    paper: tuple[float, float] = LETTER
    title_lines: float = 12.0  # lines of one column the title block takes (title, authors)


def _std(size: int, paper: str, two: bool) -> ClassLayout:
    width = {10: 345.0, 11: 360.0, 12: 390.0}[size]
    height = {"a4paper": {10: 598.0, 11: 595.8, 12: 592.0}}.get(
        paper, {10: 550, 11: 541.4, 12: 548.5}
    )
    if two:
        width = 452.0 if paper == "a4paper" else 469.0
    return ClassLayout(width, float(height[size]), 2 if two else 1, 10.0, size, BASELINE[size])


# Class name -> (option that selects it or "", layout). The first matching option wins.
CLASSES: dict[str, list[tuple[str, ClassLayout]]] = {
    "IEEEtran": [
        ("onecolumn", ClassLayout(469.8, 660.0, 1, 12, 10, 12, "times", title_lines=8)),
        ("compsoc", ClassLayout(517.9, 706.6, 2, 12, 9.5, 11.6, "palatino", title_lines=16)),
        ("journal", ClassLayout(516.0, 696.0, 2, 12, 10, 12, "times", title_lines=16)),
        ("", ClassLayout(516.0, 672.0, 2, 12, 10, 12, "times", title_lines=16)),
    ],
    "acmart": [
        ("acmsmall", ClassLayout(395.8, 574.0, 1, 10, 10, 12, "libertine", (487.8, 722.7), 14)),
        ("acmlarge", ClassLayout(452.3, 550.0, 1, 10, 10, 12, "libertine", title_lines=14)),
        ("manuscript", ClassLayout(430.0, 560.0, 1, 10, 9, 13.75, "libertine", title_lines=14)),
        ("acmtog", ClassLayout(510.3, 615.0, 2, 24, 9, 11, "libertine", title_lines=30)),
        ("sigplan", ClassLayout(505.9, 646.0, 2, 24, 10, 12, "libertine", title_lines=26)),
        ("", ClassLayout(506.3, 626.0, 2, 24, 9, 11, "libertine", title_lines=30)),  # sigconf
    ],
    "acm_proc_article-sp": [("", ClassLayout(504.0, 666.0, 2, 24, 9, 10.5, "times", (0, 0), 24))],
    "sig-alternate": [("", ClassLayout(504.0, 666.0, 2, 24, 9, 10.5, "times", (0, 0), 24))],
    "llncs": [("", ClassLayout(347.1, 549.1, 1, 10, 10, 12, "cm", title_lines=14))],
    "elsarticle": [
        ("5p", ClassLayout(522.0, 682.0, 2, 18, 10, 12, "cm", A4, 30)),
        ("3p", ClassLayout(468.0, 622.0, 1, 24, 10, 12, "cm", A4, 16)),
        ("1p", ClassLayout(384.0, 562.0, 1, 10, 10, 12, "cm", A4, 16)),
        ("", ClassLayout(345.0, 550.0, 1, 10, 10, 12.0, "cm", title_lines=16)),  # preprint
    ],
    "scrartcl": [("", ClassLayout(418.3, 595.8, 1, 10, 11, 13.6, "cm", A4))],
    "scrreprt": [("", ClassLayout(418.3, 595.8, 1, 10, 11, 13.6, "cm", A4))],
    "scrbook": [("", ClassLayout(418.3, 595.8, 1, 10, 11, 13.6, "cm", A4))],
    "memoir": [("", ClassLayout(341.0, 550.0, 1, 10, 10, 12, "cm"))],
    "amsart": [("", ClassLayout(360.0, 584.0, 1, 10, 10, 12, "cm"))],
    "amsbook": [("", ClassLayout(360.0, 584.0, 1, 10, 10, 12, "cm"))],
    "revtex4-2": [
        ("preprint", ClassLayout(468.0, 665.5, 1, 10, 12, 21, "cm")),
        ("", ClassLayout(510.0, 672.0, 2, 18, 10, 12, "cm", title_lines=24)),
    ],
    "lipics-v2021": [("", ClassLayout(398.3, 631.7, 1, 10, 10, 13, "lmodern", A4, 18))],
    "jmlr": [("", ClassLayout(433.6, 614.3, 1, 10, 11, 13.6, "cm"))],
}
CLASSES["revtex4-1"] = CLASSES["revtex4-2"]
KOMA = {10: (373.4, 538.0, 12.0), 11: (418.3, 595.8, 13.6), 12: (448.1, 635.5, 14.5)}
# Font packages -> the font they make the text font.
FONT_PACKAGES = {
    "times": "times",
    "mathptmx": "times",
    "newtxtext": "times",
    "txfonts": "times",
    "tgtermes": "times",
    "ptm": "times",
    "stix": "times",
    "palatino": "palatino",
    "mathpazo": "palatino",
    "newpxtext": "palatino",
    "pxfonts": "palatino",
    "tgpagella": "palatino",
    "mathpple": "palatino",
    "libertine": "libertine",
    "libertinus": "libertine",
    "libertinust1math": "libertine",
    "lmodern": "lmodern",
    "charter": "charter",
    "xcharter": "charter",
    "bookman": "bookman",
    "tgbonum": "bookman",
    "utopia": "utopia",
    "fourier": "fourier",
    "helvet": "helvet",
    "kpfonts": "cm",
    "ebgaramond": "garamond",
    "garamondx": "garamond",
    "crimson": "crimson",
    "cochineal": "cochineal",
    "newcent": "newcent",
    "stix2": "stix2",
    "noto": "noto",
    "sourceserifpro": "cm",
    "baskervillef": "baskerville",
    "erewhon": "erewhon",
}


@dataclass
class PageLayout:
    """The body text's page: text block and column in pt, font and size, line height."""

    text_width: float
    text_height: float
    columns: int
    column_sep: float
    size: float
    baselineskip: float
    font: str
    title_lines: float = 12.0
    parskip: float = 0.0
    evidence: list[str] = field(default_factory=list)

    @property
    def column_width(self) -> float:
        return (self.text_width - (self.columns - 1) * self.column_sep) / self.columns

    @property
    def lines_per_column(self) -> float:
        return max(10.0, self.text_height / self.baselineskip)

    @property
    def lines_per_page(self) -> float:
        """Body lines of one page over all its columns."""
        return self.columns * self.lines_per_column

    @property
    def words_per_line(self) -> float:
        """Body words in one full line: column width over the average word's width (with space)."""
        return self.column_width / (fontmetrics.word_width_em(self.font) * self.size)

    def describe(self) -> str:
        cols = "two-column" if self.columns == 2 else f"{self.columns}-column"
        return (
            f"{cols}, {self.column_width:.0f}pt column, {self.size:g}pt {self.font}, "
            f"{self.lines_per_column:.0f} lines of {self.words_per_line:.1f} words"
        )


def dimension(text: str, size: float = 10.0) -> float | None:
    """A TeX dimension such as '5.5in', '-2cm', '0.5em' in pt (None for expressions)."""
    m = re.fullmatch(
        r"\s*([-+]?\s*(?:\d+\.?\d*|\.\d+))\s*(pt|in|cm|mm|bp|pc|dd|cc|sp|em|ex)\s*", text
    )
    if not m:
        return None
    value = float(m.group(1).replace(" ", ""))
    unit = m.group(2)
    if unit == "em":
        return value * size
    if unit == "ex":
        return value * size * 0.43
    return value * PT_PER[unit]


def _size_option(opts: list[str]) -> float | None:
    for o in opts:
        m = re.fullmatch(r"\s*(?:fontsize=)?(\d+(?:\.\d+)?)\s*pt\s*", o)
        if m:
            return float(m.group(1))
    return None


def _class_layout(cls: str, opts: list[str]) -> ClassLayout:
    options = {o.strip() for o in opts}
    size = _size_option(opts)
    paper = next((o for o in options if o in PAPERS), "letterpaper")
    if cls in CLASSES:
        for opt, lay in CLASSES[cls]:
            if not opt or opt in options:
                if size and size != lay.size and cls not in ("acmart", "acm_proc_article-sp"):
                    scale = size / lay.size
                    lay = replace(lay, size=size, baselineskip=(lay.baselineskip or 12) * scale)
                if cls == "IEEEtran" and "onecolumn" not in options and opt == "onecolumn":
                    continue
                return lay
    if cls in ("scrartcl", "scrreprt", "scrbook") or cls.startswith("scr"):
        w, h, b = KOMA.get(int(size or 11), KOMA[11])
        return ClassLayout(w, h, 1, 10, size or 11, b, "cm", A4)
    s = int(size or 10)
    s = s if s in (10, 11, 12) else 10
    return _std(s, paper, "twocolumn" in options)


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
# Packages TeX Live has: their own source says nothing about this paper's page.
COMMON_PACKAGES = frozenset(
    [
        "setspace",
        "geometry",
        "fullpage",
        "times",
        "natbib",
        "hyperref",
        "url",
        "graphicx",
        "xcolor",
        "color",
        "amsmath",
        "amssymb",
        "amsthm",
        "algorithm",
        "algorithmic",
        "algorithmicx",
        "algpseudocode",
        "booktabs",
        "caption",
        "subcaption",
        "subfig",
        "subfigure",
        "float",
        "fancyhdr",
        "microtype",
        "multirow",
        "multicol",
        "listings",
        "minted",
        "enumitem",
        "tikz",
        "pgf",
        "pgfplots",
        "cleveref",
        "xspace",
        "wrapfig",
        "balance",
        "titlesec",
        "tocloft",
        "appendix",
        "babel",
        "inputenc",
        "fontenc",
        "lineno",
        "eso-pic",
        "ifthen",
        "calc",
        "etoolbox",
        "xparse",
        "comment",
        "soul",
        "ulem",
        "hhline",
        "array",
        "tabularx",
        "longtable",
        "threeparttable",
        "textcomp",
        "mathtools",
        "bm",
        "siunitx",
        "import",
        "subfiles",
        "standalone",
        "footmisc",
        "everyshi",
        "atbegshi",
        "kvoptions",
        "pdfpages",
    ]
)


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


def _apply_settings(
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
        for name in m.group(2).split(","):
            font = FONT_PACKAGES.get(name.strip().lower())
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
            stretch = _SPACING[m.group(2)].get(
                int(lay.size), 1.6 if "double" in m.group(2) else 1.25
            )
    if stretch != 1.0:
        lay.baselineskip *= stretch
        lay.evidence.append(f"line spacing x{stretch:g} in {where}")


def _local_styles(doc, names: list[str], ext: str) -> list[Path]:
    """The paper's own copies of a style or class (venue styles are not in TeX Live)."""
    files = getattr(doc.project, "all_files", None) or []
    by_name: dict[str, str] = {}
    for rel in sorted(files, key=lambda r: (r.count("/"), r)):  # the shallowest copy wins
        if rel.endswith("." + ext):
            by_name.setdefault(rel.rsplit("/", 1)[-1][: -len(ext) - 1], rel)
    return [Path(doc.folder) / by_name[n] for n in names if n in by_name]


_LOADCLASS = re.compile(r"\\LoadClass\s*(?:\[([^\]]*)\])?\s*\{([^{}]*)\}")
_DOCCLASS = re.compile(r"\\documentclass\s*(?:\[([^\]]*)\])?\s*\{([^{}]*)\}")


def _options(text: str | None) -> list[str]:
    return [o.strip() for o in (text or "").split(",") if o.strip()]


def page_layout(doc) -> PageLayout:
    """The body text's page layout the paper asks for (class, options, venue style, preamble)."""
    preamble = _preamble(doc)
    if doc.document_class is not None:
        cls, opts = doc.document_class[0], list(doc.document_class[1])
    else:  # \documentclass in an \input file (header.tex)
        m = _DOCCLASS.search(preamble)
        cls, opts = (m.group(2).strip(), _options(m.group(1))) if m else ("article", [])
    local_cls = [] if cls in CLASSES else _local_styles(doc, [cls], "cls")
    base_cls, base_opts = cls, opts
    if local_cls:
        # a class the paper ships that builds on a standard one: start from that one's page
        m = _LOADCLASS.search(_read(local_cls[0]))
        if m:
            base_cls, base_opts = m.group(2).strip(), _options(m.group(1)) + opts
    base = _class_layout(base_cls, base_opts)
    size = base.size
    lay = PageLayout(
        base.text_width,
        base.text_height,
        base.columns,
        base.column_sep,
        size,
        base.baselineskip or BASELINE.get(int(size), 1.2 * size),
        base.font,
        base.title_lines,
        evidence=[f"class {cls}" + (f" [{','.join(opts)}]" if opts else "")],
    )
    if base_cls != cls:
        lay.evidence.append(f"based on {base_cls}")
    paper = base.paper if base.paper != (0, 0) else LETTER
    options = set(base_opts)
    for o in options:
        if o in PAPERS:
            paper = PAPERS[o]
        if o.startswith("paper=") and o[6:] + "paper" in PAPERS:
            paper = PAPERS[o[6:] + "paper"]
    if "twocolumn" in options:
        lay.columns = 2
    if "onecolumn" in options:
        lay.columns = 1
    for path in local_cls:
        _apply_settings(lay, _read(path), path.name, paper)
    packages = [name for name, _ in doc.packages]
    own = [p for p in packages if p not in FONT_PACKAGES and p not in COMMON_PACKAGES]
    for path in _local_styles(doc, own, "sty"):
        _apply_settings(lay, _read(path), path.name, paper)
    _apply_settings(lay, preamble, "the preamble", paper, preamble=True)
    if "twocolumn" in options:
        lay.columns = 2
    lay.text_width = min(max(lay.text_width, 150.0), 700.0)
    lay.text_height = min(max(lay.text_height, 200.0), 1000.0)
    return lay


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return re.sub(r"(?<!\\)%.*", "", text)


def _preamble(doc) -> str:
    """The masked text before \\begin{document} in the reachable files."""
    from papertrack.model.measure import flattened

    text = flattened(doc.project)
    i = text.find("\\begin{document}")
    return text if i < 0 else text[:i]
