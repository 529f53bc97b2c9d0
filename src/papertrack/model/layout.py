"""The page a paper asks for: text block, columns, font and line height from its class and packages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.model import fontmetrics
from papertrack.model.classlayouts import (
    BASELINE,
    CLASSES,
    COMMON_PACKAGES,
    FONT_PACKAGES,
    LETTER,
    PAPERS,
    class_layout,
)
from papertrack.model.layoutsettings import apply_settings
from papertrack.project.includes import comma_list


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
    return comma_list(text)


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
    base = class_layout(base_cls, base_opts)
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
        apply_settings(lay, _read(path), path.name, paper)
    packages = [name for name, _ in doc.packages]
    own = [p for p in packages if p not in FONT_PACKAGES and p not in COMMON_PACKAGES]
    for path in _local_styles(doc, own, "sty"):
        apply_settings(lay, _read(path), path.name, paper)
    apply_settings(lay, preamble, "the preamble", paper, preamble=True)
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
    from papertrack.model.flatten import flattened

    text = flattened(doc.project)
    i = text.find("\\begin{document}")
    return text if i < 0 else text[:i]
