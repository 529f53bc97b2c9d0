"""What the main content is made of, in body lines of the paper's own layout (no TeX run)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.model.classlayouts import dimension
from papertrack.model.flatten import flattened, goes_on, prose_words
from papertrack.model.imagesize import find_image, image_size
from papertrack.model.layout import PageLayout
from papertrack.project.braces import group_end

FLOAT_ENVS = ("figure", "table", "algorithm", "wrapfigure", "wraptable", "SCfigure", "listing")
MATH_ENVS = (
    "equation",
    "align",
    "gather",
    "multline",
    "eqnarray",
    "flalign",
    "alignat",
    "displaymath",
    "dmath",
    "IEEEeqnarray",
)
LIST_ENVS = ("itemize", "enumerate", "description", "compactitem", "inparaenum", "enumerate*")
VERBATIM = ("verbatim", "Verbatim", "lstlisting", "minted", "alltt", "BVerbatim", "LVerbatim")
# Heading space in body lines (above + below + the heading's own line), from the standard
# classes' \@startsection arguments at 10pt: 3.5ex+2.3ex around \Large, and so on.
HEADING_LINES = {0: 6.0, 1: 8.0, 2: 3.0, 3: 2.4, 4: 2.0, 5: 0.8, 6: 0.8}
HEADING = re.compile(
    r"\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\s*(?:\[[^\]]*\])?\s*\{"
)
LEVELS = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "subsubsection": 4,
    "paragraph": 5,
    "subparagraph": 6,
}
_END_MAIN = re.compile(
    r"\\(?:bibliography\s*\{|printbibliography|appendix(?![a-zA-Z@])|begin\s*\{(?:thebibliography|appendices|appendix)\})"
)
_CJK = re.compile(
    "[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
_DISPLAY_CLOSE = re.compile(r"(?<!\\)\\\]")
_BLOCK = re.compile(
    r"\\begin\s*\{(?P<env>[A-Za-z*]+)\}|(?<!\\)\\\[|(?<!\\)\$\$|\\(?P<cmd>maketitle|tableofcontents|listoffigures|listoftables|clearpage|cleardoublepage|newpage|pagebreak)(?![a-zA-Z@])"
)
_GRAPHIC = re.compile(r"\\includegraphics\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<file>[^}]*)\}")
_CAPTION = re.compile(r"\\caption\s*(?:\[[^\]]*\])?\s*\{")


@dataclass
class Measure:
    """Main-content parts in body lines of one column; floats spanning all columns apart."""

    words: int = 0
    paragraphs: int = 0
    text_lines: float = 0.0
    heading_lines: float = 0.0
    headings: int = 0
    math_lines: float = 0.0
    displays: int = 0
    list_lines: float = 0.0
    float_lines: float = 0.0  # floats one column wide
    wide_float_lines: float = 0.0  # figure*/table* across all columns (per column)
    floats: int = 0
    verbatim_lines: float = 0.0  # tabulars outside floats
    code_lines: float = 0.0  # lines of verbatim, lstlisting, minted blocks
    code_blocks: int = 0
    page_breaks: float = 0.0  # pages lost to \clearpage, chapter openings, title pages
    title_lines: float = 0.0
    footnote_lines: float = 0.0
    notes: list[str] = field(default_factory=list)

    def parts(self) -> dict[str, float]:
        """Body lines by kind (spanning floats already counted in every column)."""
        return {
            "text": self.text_lines + self.footnote_lines,
            "floats": self.float_lines + self.wide_float_lines,
            "math": self.math_lines,
            "structure": self.heading_lines
            + self.list_lines
            + self.verbatim_lines
            + self.title_lines,
            "code": self.code_lines + 0.8 * self.code_blocks,
        }


def _group_end(text: str, i: int) -> int:
    """Index after the brace group opening at text[i] == '{' (or len(text)); `\\{` and `\\}`
    are characters, not braces, as in TeX (a caption's `$\\{x\\}$`)."""
    end = group_end(text, i)
    return len(text) if end is None else end


def _env_end(text: str, env: str, start: int) -> int:
    """Index after the \\end{env} matching a \\begin{env} that ends at start."""
    pat = re.compile(r"\\(begin|end)\s*\{" + re.escape(env) + r"\}")
    depth = 1
    for m in pat.finditer(text, start):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return m.end()
    return len(text)


class _Scanner:
    def __init__(self, doc, lay: PageLayout) -> None:
        self.doc = doc
        self.lay = lay
        self.m = Measure()
        # relative image names resolve from the root file's folder, TeX's working directory
        self.folder = Path(doc.folder) / Path(doc.main).parent
        self.gpaths = list(getattr(doc.project, "graphics_paths", []) or [])
        self.bls = lay.baselineskip
        self.wpl = lay.words_per_line
        cls, opts = doc.document_class or ("article", [])
        options = {o.strip() for o in opts}
        self.book = cls in BOOKISH or cls.endswith("thesis")
        # book classes open chapters on a right-hand page: a blank left page half the time
        twoside = "twoside" in options or (
            cls in ("book", "scrbook", "memoir", "amsbook") and "oneside" not in options
        )
        self.chapter_break = 1.0 if twoside and "openany" not in options else 0.5

    # --- sizes ------------------------------------------------------------------------
    def width_of(self, expr: str, avail: float, boxed: bool = False) -> float | None:
        """A width such as 0.5\\linewidth or 3in, in pt, for a box `avail` wide (inside a
        minipage or subfigure, \\textwidth and \\columnwidth are that box's width too)."""
        e = expr.strip()
        m = re.fullmatch(r"([\d.]*)\s*\\(linewidth|columnwidth|textwidth|hsize|paperwidth)\s*", e)
        if m:
            f = float(m.group(1)) if m.group(1) not in ("", ".") else 1.0
            ref = {
                "linewidth": avail,
                "hsize": avail,
                "columnwidth": avail if boxed else self.lay.column_width,
                "textwidth": avail if boxed else self.lay.text_width,
                "paperwidth": self.lay.text_width * 1.3,
            }[m.group(2)]
            return f * ref
        m = re.fullmatch(r"([\d.]*)\s*\\(textheight|paperheight)\s*", e)
        if m:
            f = float(m.group(1)) if m.group(1) not in ("", ".") else 1.0
            return f * self.lay.text_height
        return dimension(e, self.lay.size)

    def graphic_height(
        self, opts: str, file: str, avail: float, boxed: bool = False, share: int = 1
    ) -> tuple[float, float]:
        """(width, height) in pt an \\includegraphics takes in a box `avail` wide; `share` is how
        many graphics the float holds (a size given by a macro: they share the width)."""
        keys = {}
        for part in (opts or "").split(","):
            k, _, v = part.partition("=")
            keys[k.strip()] = v.strip()
        path = find_image(self.folder, file, self.gpaths, "")
        nat = image_size(path) if path else None
        aspect = (nat[1] / nat[0]) if nat and nat[0] > 0 else 0.62
        width = self.width_of(keys["width"], avail, boxed) if "width" in keys else None
        height = self.width_of(keys["height"], avail, boxed) if "height" in keys else None
        if ("width" in keys and width is None) or ("height" in keys and height is None):
            width, height = avail / share, None
        if "scale" in keys and nat:
            try:
                s = float(keys["scale"])
                width, height = nat[0] * s, nat[1] * s
            except ValueError:
                pass
        if width is not None and height is not None and "keepaspectratio" in keys:
            if width * aspect > height:
                width = height / aspect
            else:
                height = width * aspect
        if width is None and height is None:
            width = min(nat[0], avail) if nat else avail
            if "scale" in keys or not nat:
                width = min(width, avail / share)
        if width is None:
            width = (height or 0) / aspect
        if height is None:
            height = width * aspect
        width = min(width, avail * 1.1)
        height = min(height, 0.9 * self.lay.text_height)
        return width, height

    # --- blocks -----------------------------------------------------------------------
    def float_block(self, env: str, body: str) -> None:
        wide = env.endswith("*") and self.lay.columns > 1
        avail = self.lay.text_width if wide or self.lay.columns == 1 else self.lay.column_width
        base = env.rstrip("*")
        cap_words = 0
        for m in _CAPTION.finditer(body):
            end = _group_end(body, m.end() - 1)
            cap_words += prose_words(body[m.end() : end - 1])
        wpl = self.wpl * avail / self.lay.column_width
        height = 0.0
        graphics = list(_GRAPHIC.finditer(body))
        if base in ("figure", "wrapfigure", "SCfigure") or graphics:
            row_w = row_h = 0.0
            for g in graphics:
                box = self._box(body, g.start(), avail)
                w, h = self.graphic_height(
                    g.group("opts") or "", g.group("file"), box, box < avail, len(graphics)
                )
                if row_w + w > avail * 1.05 and row_w > 0:
                    height += row_h
                    row_w = row_h = 0.0
                row_w += w
                row_h = max(row_h, h)
            height += row_h
            height = min(height, 0.95 * self.lay.text_height)
            if not graphics:
                height = 0.45 * avail  # tikz, pgfplots, a placeholder box
        if base in ("table", "wraptable") or (not graphics and "tabular" in body):
            rows = len(re.findall(r"\\\\", body)) + 1
            rules = len(re.findall(r"\\(?:hline|toprule|midrule|bottomrule|cline|cmidrule)", body))
            scale = 0.9 if re.search(r"\\(small|footnotesize|scriptsize)", body) else 1.0
            height += rows * self.bls * 1.05 * scale + rules * 2.5
        if base in ("algorithm", "listing"):
            lines = [ln for ln in body.splitlines() if ln.strip()]
            height += len(lines) * self.bls * 0.95
        cap_lines = (cap_words / max(1.0, wpl) + 0.6) if cap_words else 0.0
        total = height / self.bls + cap_lines + 2.0  # caption skip and float separation
        if wide:
            self.m.wide_float_lines += total * self.lay.columns
        else:
            self.m.float_lines += total
        self.m.floats += 1

    def _box(self, body: str, at: int, avail: float) -> float:
        """The width of the subfigure/minipage a graphic sits in."""
        best = None
        for m in re.finditer(
            r"\\begin\s*\{(minipage|subfigure|subtable)\}\s*(?:\[[^\]]*\]\s*)*\{([^{}]*)\}",
            body[:at],
        ):
            end = _env_end(body, m.group(1), m.end())
            if end > at:
                best = self.width_of(m.group(2), avail)
        return best or avail

    def math_block(self, body: str) -> None:
        rows = min(60, 1 + len(re.findall(r"\\\\(?!\s*\[?\s*-)", body)))
        self.m.math_lines += rows * 1.25 + 1.2
        self.m.displays += 1

    def text(self, chunk: str) -> None:
        for para in re.split(r"\n\s*\n|\\par(?![a-zA-Z@])", chunk):
            # Chinese, Japanese and Korean: no spaces between words, each character set one em
            # wide; a line holds column width / font size of them, not words_per_line
            cjk = len(_CJK.findall(para))
            words = prose_words(_CJK.sub(" ", para) if cjk else para)
            if words or cjk:
                self.m.words += words + cjk
                self.m.paragraphs += 1
                em = cjk * self.lay.size / self.lay.column_width
                self.m.text_lines += words / self.wpl + em + 0.5
        for m in re.finditer(r"\\footnote\s*(?:\[[^\]]*\])?\s*\{", chunk):
            end = _group_end(chunk, m.end() - 1)
            self.m.footnote_lines += 0.8 * prose_words(chunk[m.end() : end - 1]) / self.wpl + 0.6

    def scan(self, body: str) -> None:
        for h in HEADING.finditer(body):
            level = LEVELS[h.group(1)]
            self.m.headings += 1
            self.m.heading_lines += HEADING_LINES[level]
            if level <= 1 and self.book:
                self.m.page_breaks += self.chapter_break
        i = 0
        n = len(body)
        unclosed = unclosed_dollars = False
        unclosed_envs: set[str] = set()
        while i < n:
            m = _BLOCK.search(body, i)
            if m is None:
                self.text(body[i:])
                break
            self.text(body[i : m.start()])
            tok = m.group(0)
            if tok == "\\[":
                # once no \] follows, none follows any later \[ either: searching again for
                # each of 10,000 unclosed \[ would be quadratic
                close = None if unclosed else _DISPLAY_CLOSE.search(body, m.end())
                if close is None:  # not a display (a macro's argument): go on
                    unclosed = True
                    i = m.end()
                    continue
                self.math_block(body[m.end() : close.start()])
                i = close.end()
                continue
            if tok == "$$":
                end = -1 if unclosed_dollars else body.find("$$", m.end())
                if end < 0:
                    unclosed_dollars = True
                    i = m.end()
                    continue
                end += 2
                self.math_block(body[m.end() : end])
                i = end
                continue
            cmd = m.group("cmd")
            if cmd:
                if cmd == "maketitle":
                    self.m.title_lines += self.lay.title_lines * (
                        self.lay.columns if self.lay.columns > 1 else 1
                    )
                    if self.book:
                        self.m.page_breaks += 1
                elif cmd in ("tableofcontents", "listoffigures", "listoftables"):
                    self.m.page_breaks += 1.0
                else:
                    self.m.page_breaks += 0.5
                i = m.end()
                continue
            env = m.group("env")
            end = n if env in unclosed_envs else _env_end(body, env, m.end())
            if end >= n and (
                env in unclosed_envs
                or not re.compile(r"\\end\s*\{" + re.escape(env) + r"\}").search(body, m.end())
            ):
                unclosed_envs.add(env)  # and so is every later one of its kind
                i = m.end()  # never closed (a macro opens it): its content is text
                continue
            inner = body[m.end() : max(m.end(), end - len(env) - 6)]
            base = env.rstrip("*")
            if base in FLOAT_ENVS:
                self.float_block(env, inner)
            elif base in MATH_ENVS:
                self.math_block(inner)
            elif base in LIST_ENVS:
                items = len(re.findall(r"\\item(?![a-zA-Z@])", inner))
                self.m.list_lines += 1.0 + items * 0.3
                self.text(inner.replace("\\item", "\n\n\\item"))
                i = end
                continue
            elif base in VERBATIM:
                # the source lines between the \begin line and the \end line, each one printed
                # line, plus the list skips around the block
                self.m.code_lines += max(1, inner.rstrip(" ").count("\n") - 1)
                self.m.code_blocks += 1
            elif base in ("tabular", "tabularx", "longtable", "tabu"):
                rows = len(re.findall(r"\\\\", inner)) + 1
                self.m.verbatim_lines += rows * 1.05 + 1.0
            elif base in ("abstract",):
                self.m.heading_lines += 2.0
                self.text(inner)
            elif base in ("tikzpicture",):
                self.m.float_lines += 0.4 * self.lay.column_width / self.bls
            else:
                # theorem-like and other environments: their content is text
                self.m.heading_lines += 0.5 if base not in ("center", "small", "quote") else 0.0
                i = m.end()
                continue
            i = end
        self.m.paragraphs = max(self.m.paragraphs, 1)


BOOKISH = ("book", "report", "scrbook", "scrreprt", "memoir", "amsbook", "thesis", "classicthesis")


def main_body(doc, exempt_headings=()) -> str:
    """The flattened main content: from \\begin{document} to the references, appendix or an
    exempt heading."""
    text = flattened(doc.project)
    b = re.search(r"\\begin\s*\{document\}", text)
    body = text[b.end() :] if b else text
    e = re.search(r"\\end\s*\{document\}", body)
    body = body[: e.start()] if e else body
    cut = next((m.start() for m in _END_MAIN.finditer(body) if not goes_on(body, m)), len(body))
    if exempt_headings:
        from papertrack.venues import normalize_heading

        wanted = {normalize_heading(h) for h in exempt_headings}
        for h in HEADING.finditer(body, 0, cut):
            end = _group_end(body, h.end() - 1)
            title = re.sub(r"\\[A-Za-z@]+|[{}]", " ", body[h.end() : end - 1])
            if normalize_heading(title) in wanted:
                cut = min(cut, h.start())
                break
    return body[:cut]


def measure(doc, lay: PageLayout, exempt_headings=()) -> Measure:
    """The main content's parts in body lines of `lay`."""
    sc = _Scanner(doc, lay)
    sc.scan(main_body(doc, exempt_headings))
    return sc.m
