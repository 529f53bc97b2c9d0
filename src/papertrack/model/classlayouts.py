"""What LaTeX's classes, KOMA and font packages give a page by default, per size and paper; units."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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
SPACING = {"doublespacing": {10: 1.667, 11: 1.618, 12: 1.655}}
SPACING["onehalfspacing"] = {10: 1.25, 11: 1.213, 12: 1.241}


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
    # AAS journals: a 7.1in block whatever the style; two columns from \maketitle on
    "aastex631": [
        ("modern", ClassLayout(433.6, 664.9, 1, 28.6, 12, 16, "times")),
        ("manuscript", ClassLayout(513.1, 657.3, 1, 28.6, 12, 24, "cm")),
        ("preprint2", ClassLayout(513.1, 657.3, 2, 28.6, 12, 15, "cm", title_lines=20)),
        ("preprint", ClassLayout(513.1, 657.3, 1, 28.6, 12, 15, "cm")),
        ("twocolumn", ClassLayout(513.1, 657.3, 2, 28.6, 10, 12.5, "cm", title_lines=24)),
        ("", ClassLayout(513.1, 657.3, 1, 28.6, 10, 12.5, "cm")),
    ],
    "mnras": [("", ClassLayout(508.0, 682.0, 2, 20, 9, 11, "cm", A4, title_lines=24))],
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


# ctex's zihao option: the Chinese size names, in big points (10.5bp for 5, 12bp for -4)
_ZIHAO = {"5": 10.5, "-5": 9.0, "-4": 12.0, "4": 14.0, "6": 7.5, "-3": 15.0, "3": 16.0}


def _ctex(opts: list[str], paper: str) -> ClassLayout:
    """ctexart/ctexrep/ctexbook: the standard class at the zihao size (五号 10.5bp unless
    set), with ctex's line spacing for Chinese (linestretch 1.3: a baselineskip of 1.56 times
    the size), which sets far fewer lines a page than the standard class."""
    zihao = next((o.split("=", 1)[1].strip() for o in opts if o.strip().startswith("zihao=")), "5")
    size = _ZIHAO.get(zihao, 10.5) * 72.27 / 72
    std = _std(min((10, 11, 12), key=lambda s: abs(s - size)), paper, "twocolumn" in opts)
    return replace(std, size=size, baselineskip=1.56 * size)


def class_layout(cls: str, opts: list[str]) -> ClassLayout:
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
    if cls in ("ctexart", "ctexrep", "ctexbook"):
        return _ctex(opts, paper)
    if cls in ("scrartcl", "scrreprt", "scrbook") or cls.startswith("scr"):
        w, h, b = KOMA.get(int(size or 11), KOMA[11])
        return ClassLayout(w, h, 1, 10, size or 11, b, "cm", A4)
    s = int(size or 10)
    s = s if s in (10, 11, 12) else 10
    return _std(s, paper, "twocolumn" in options)


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
