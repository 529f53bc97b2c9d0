"""What LaTeX names do to text: headings, floats, prose and non-prose, placeholders; word counts."""

from __future__ import annotations

import re

HEADING_LEVELS = {
    "part": 0,
    "addpart": 0,
    "chapter": 1,
    "addchap": 1,
    "section": 2,
    "addsec": 2,
    "subsection": 3,
    "subsubsection": 4,
    "paragraph": 5,
    "subparagraph": 6,
    "prefacesection": 1,  # thesis classes' unnumbered front-matter chapters (Abstract, Preface)
}
FLOAT_KIND = re.compile(
    r"^(?:wrap|sideways|SC)?(figure|table|algorithm|listing)\*?$|^(?P<other>\w+(?:figure|table))\*?$"
)
# The abstract's environment in the classes of theses and journals: abntex2's resumo, the
# Chinese thesis classes' cabstract/eabstract, \\begin{abstract*}, German and Italian theses'.
ABSTRACT_ENV = re.compile(
    r"^(?:abstract|[ce]abstract|abstract(?:en|zh|cn)|resumo|resumen|resume|zusammenfassung|"
    r"kurzfassung|sommario|riassunto|samenvatting|sammanfattning)\*?$"
)
SUBFLOAT_ENVS = frozenset({"subfigure", "subtable", "minipage-sub"})
# Table environments: their cells are not running prose, and a TODO there is data.
TABLE_ENVS = frozenset(
    [
        "tabular",
        "tabular*",
        "tabularx",
        "tabulary",
        "longtable",
        "tblr",
        "longtblr",
    ]
)
# Environments whose contents are not running prose (labels and refs inside still count).
NON_PROSE_ENVS = TABLE_ENVS | frozenset(
    [
        "equation",
        "equation*",
        "align",
        "align*",
        "alignat",
        "alignat*",
        "gather",
        "gather*",
        "multline",
        "multline*",
        "flalign",
        "flalign*",
        "eqnarray",
        "eqnarray*",
        "math",
        "displaymath",
        "tikzpicture",
        "pgfpicture",
        "axis",
        "picture",
        "algorithmic",
        "algorithmic*",
        "algorithm2e",
        "thebibliography",
        "lstlisting",
        "verbatim",
        "minted",
        "Verbatim",
    ]
)
TEXT_MACROS = frozenset(
    [
        "emph",
        "textbf",
        "textit",
        "textsc",
        "texttt",
        "textsf",
        "textrm",
        "textup",
        "textmd",
        "textsl",
        "underline",
        "mbox",
        "footnote",
        "footnotetext",
        "thanks",
        "textnormal",
        "uline",
        "hl",
    ]
)
DEFINITION_MACROS = frozenset(
    [
        "newcommand",
        "renewcommand",
        "providecommand",
        "DeclareRobustCommand",
        "newenvironment",
        "renewenvironment",
        "NewDocumentCommand",
        "RenewDocumentCommand",
        "ProvideDocumentCommand",
        "DeclareDocumentCommand",
        "NewDocumentEnvironment",
        "DeclareMathOperator",
        "newtheorem",
        "crefname",
        "Crefname",
        # biblatex and etoolbox definitions: their bodies are templates, not document text
        "defbibheading",
        "defbibenvironment",
        "newbibmacro",
        "renewbibmacro",
        "DeclareFieldFormat",
        "newrobustcmd",
        "renewrobustcmd",
    ]
)
# Macros that arrange a float without being its content (an empty figure is a placeholder).
LAYOUT_MACROS = frozenset(
    [
        "centering",
        "small",
        "footnotesize",
        "scriptsize",
        "label",
        "caption",
        "vspace",
        "hspace",
        "hfill",
        "par",
    ]
)
DISPLAY_ENVS = frozenset(
    [
        "equation",
        "align",
        "alignat",
        "gather",
        "multline",
        "flalign",
        "eqnarray",
        "displaymath",
        "math",
    ]
)
# listings' `label=` option (the listing's own label, like \label in a float)
LABEL_OPTION = re.compile(r"(?<![a-zA-Z])label\s*=\s*(\{[^{}\n]*\}|[^,\]%\n]*[^,\]%\s])")
# pgfplots' `legend to name=x`: \ref{x} prints the legend elsewhere
LEGEND_NAME = re.compile(r"legend\s+to\s+name\s*=\s*(\{[^{}\n]*\}|[^,\]\s%]+)")
CODE_ENVS = frozenset({"lstlisting", "minted"})
# enumitem and friends: label= sets how items are numbered
LIST_ENVS = frozenset(
    ["enumerate", "itemize", "description", "enumerate*", "itemize*", "description*", "tasks"]
)
ENV_OPTIONS = re.compile(r"\\begin\s*\{[^{}]*\}\s*\[((?:[^\[\]{}]|\{[^{}]*\})*)\]")
CITE_OPTIONS = re.compile(r"\s*(?:(?:\[[^\]]*\]|\([^)]*\))\s*)*")
DEF_PRIMITIVES = frozenset({"def", "gdef", "edef", "xdef"})
WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
# Chinese and Japanese are written without spaces: as texcount does, each Han character and
# each kana counts as a word (Korean separates words with spaces and counts as words)
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


BARE_URL = re.compile(r"(?:https?://|www\.)\S+")


def count_words(s: str) -> int:
    """Words of a run of text, counted as texcount counts them (a bare URL is one word)."""
    if "://" in s or "www." in s:
        s = BARE_URL.sub("url", s)
    if s.isascii():
        return len(WORD.findall(s))
    cjk = len(CJK_CHAR.findall(s))
    if cjk:
        s = CJK_CHAR.sub(" ", s)
    return cjk + len(WORD.findall(s))


# '??' stands alone ("Table ??"); "really??" and "a??b" are punctuation and code
PLACEHOLDER_TEXT = re.compile(
    r"(?<![A-Za-z])(TODO|FIXME|XXX|TBD|NEEDS)(?![A-Za-z])|(?<![\w?])(\?\?)(?![\w?])|(lorem ipsum)"
    r"|(\[\s*(?:insert|add)\b[^\]\n]{0,40}\]|\[\s*(?:citation|reference|source|ref|refs|cite)s?"
    r"(?:\s+needed)?\s*\??\s*\])",
    re.IGNORECASE,
)
# Environments whose text is data or quotation: a TODO there is what the paper studies
DATA_ENVS = TABLE_ENVS | frozenset(
    [
        "displayquote",
        "quote",
        "quotation",
        "verse",
    ]
)
OPEN_QUOTES = ("``", "`", '"', "‘", "“", "«", "„")
# Commands whose arguments are files, settings or links, never prose (a link's text is).
NOT_TEXT_MACROS = frozenset(
    [
        "url",
        "href",
        "input",
        "include",
        "subfile",
        "import",
        "subimport",
        "graphicspath",
        "addbibresource",
        "bibliographystyle",
        "setcounter",
        "addtocounter",
        "hypersetup",
        "lstinputlisting",
        "inputminted",
        "documentclass",
        "crefname",
        "Crefname",
    ]
)
# Arguments that are code or file names: a TODO there names a file or a keyword
CODE_MACROS = frozenset(
    ["texttt", "code", "path", "file", "filename", "lstinline", "mintinline", "cmd", "verb"]
)
UPPER_ONLY = {"TODO", "FIXME", "XXX", "TBD", "NEEDS"}
DATA_WORDS = {"TODO", "FIXME", "XXX"}  # words a study of code comments quotes
