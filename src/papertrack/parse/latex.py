"""Parsing one LaTeX file with pylatexenc into the facts the model needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc import latexwalker as lw
from pylatexenc.macrospec import EnvironmentSpec, MacroSpec

from papertrack.model.items import Cite, Event, Float, Graphic, Heading, Label, Placeholder, Ref
from papertrack.parse import macros as mc
from papertrack.parse.fastwalk import FastLatexWalker

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
SUBFLOAT_ENVS = frozenset({"subfigure", "subtable", "minipage-sub"})
# Environments whose contents are not running prose (labels and refs inside still count).
NON_PROSE_ENVS = frozenset(
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
        "tabular",
        "tabular*",
        "tabularx",
        "tabulary",
        "longtable",
        "tblr",
        "longtblr",
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
_LAYOUT_MACROS = frozenset(
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
_LABEL_OPTION = re.compile(r"(?<![a-zA-Z])label\s*=\s*(\{[^{}\n]*\}|[^,\]%\n]*[^,\]%\s])")
# pgfplots' `legend to name=x`: \ref{x} prints the legend elsewhere
_LEGEND_NAME = re.compile(r"legend\s+to\s+name\s*=\s*(\{[^{}\n]*\}|[^,\]\s%]+)")
_CODE_ENVS = frozenset({"lstlisting", "minted"})
# biblatex options that print a part of the references (\printbibliography[keyword=own])
_BIB_FILTER = re.compile(
    r"\b(?:not)?(?:keyword|category|type|subtype)\s*=|\b(?:filter|check|segment)\s*="
)
# commands that typeset a file where they stand: inside a float, that file is its content
_INPUTS_CONTENT = frozenset(
    {"input", "include", "subfile", "import", "subimport", "lstinputlisting", "inputminted"}
)
# enumitem and friends: label= sets how items are numbered
_LIST_ENVS = frozenset(
    ["enumerate", "itemize", "description", "enumerate*", "itemize*", "description*", "tasks"]
)
_ENV_OPTIONS = re.compile(r"\\begin\s*\{[^{}]*\}\s*\[((?:[^\[\]{}]|\{[^{}]*\})*)\]")
_CITE_OPTIONS = re.compile(r"\s*(?:(?:\[[^\]]*\]|\([^)]*\))\s*)*")
_DEF_PRIMITIVES = frozenset({"def", "gdef", "edef", "xdef"})
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
# Chinese and Japanese are written without spaces: as texcount does, each Han character and
# each kana counts as a word (Korean separates words with spaces and counts as words)
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


_BARE_URL = re.compile(r"(?:https?://|www\.)\S+")


def count_words(s: str) -> int:
    """Words of a run of text, counted as texcount counts them (a bare URL is one word)."""
    if "://" in s or "www." in s:
        s = _BARE_URL.sub("url", s)
    if s.isascii():
        return len(_WORD.findall(s))
    cjk = len(_CJK_CHAR.findall(s))
    if cjk:
        s = _CJK_CHAR.sub(" ", s)
    return cjk + len(_WORD.findall(s))


# '??' stands alone ("Table ??"); "really??" and "a??b" are punctuation and code
_PLACEHOLDER_TEXT = re.compile(
    r"(?<![A-Za-z])(TODO|FIXME|XXX|TBD|NEEDS)(?![A-Za-z])|(?<![\w?])(\?\?)(?![\w?])|(lorem ipsum)"
    r"|(\[\s*(?:insert|add)\b[^\]\n]{0,40}\]|\[\s*(?:citation|reference|source|ref|refs|cite)s?"
    r"(?:\s+needed)?\s*\??\s*\])",
    re.IGNORECASE,
)
# Environments whose text is data or quotation: a TODO there is what the paper studies
DATA_ENVS = frozenset(
    [
        "tabular",
        "tabular*",
        "tabularx",
        "tabulary",
        "longtable",
        "tblr",
        "longtblr",
        "displayquote",
        "quote",
        "quotation",
        "verse",
    ]
)
_OPEN_QUOTES = ("``", "`", '"', "‘", "“", "«", "„")
# Arguments that are code or file names: a TODO there names a file or a keyword
CODE_MACROS = frozenset(
    ["texttt", "code", "path", "file", "filename", "lstinline", "mintinline", "cmd", "verb"]
)
_UPPER_ONLY = {"TODO", "FIXME", "XXX", "TBD", "NEEDS"}
_DATA_WORDS = {"TODO", "FIXME", "XXX"}  # words a study of code comments quotes


@dataclass
class FileFacts:
    """Everything one file contributes to the model, positions as offsets and line:col."""

    labels: list[Label] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    graphics: list[Graphic] = field(default_factory=list)
    floats: list[Float] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    bibitems: list[Label] = field(default_factory=list)
    caption_words: int = 0
    packages: list[tuple[str, list[str]]] = field(default_factory=list)
    toc_titles: list[str] = field(default_factory=list)  # \addcontentsline entries
    code_inputs: list[Graphic] = field(default_factory=list)  # \lstinputlisting{file}
    parse_error: str | None = None


def _spec_macros() -> list[MacroSpec]:
    specs = [MacroSpec(n, "*{") for n in mc.REF_MACROS]
    specs += [
        MacroSpec(n, "*{{")
        for n in ("crefrange", "Crefrange", "cpagerefrange", "Cpagerefrange", "vrefrange")
    ]
    specs += [MacroSpec("vpageref", "*[[{"), MacroSpec("hyperref", "[{")]
    # nomencl: the sort key and the entry print in the list of symbols, not where written
    specs += [MacroSpec("nomenclature", "[{{")]
    specs += [MacroSpec(n, "*[[{") for n in mc.CITE_MACROS]
    specs += [MacroSpec("nocite", "{")]
    specs += [MacroSpec(n, "*[[{") for n in ("includegraphics", "includesvg")]
    specs += [MacroSpec("includepdf", "[{")]
    specs += [MacroSpec(n, "*[{") for n in HEADING_LEVELS]
    specs += [
        MacroSpec("caption", "*[{"),
        MacroSpec("captionof", "*{[{"),
        MacroSpec("subcaption", "*[{"),
        MacroSpec("subfloat", "[[{"),
        MacroSpec("subcaptionbox", "*{[[[{"),
        MacroSpec("todo", "[{"),
        MacroSpec("missingfigure", "[{"),
        MacroSpec("addbibresource", "[{"),
        MacroSpec("printbibliography", "["),
        MacroSpec("subfile", "{"),
        MacroSpec("import", "*{{"),
        MacroSpec("subimport", "*{{"),
        MacroSpec("href", "{{"),
        MacroSpec("textcolor", "[{{"),
        MacroSpec("colorbox", "[{{"),
        MacroSpec("graphicspath", "{"),
        MacroSpec("abstract", "{"),
        MacroSpec("addcontentsline", "{{{"),
        MacroSpec("zlabel", "{"),
        MacroSpec("nllabel", "{"),
        MacroSpec("defbibheading", "{[{"),
        MacroSpec("defbibenvironment", "{{{{"),
        MacroSpec("newbibmacro", "*{[[{"),
        MacroSpec("renewbibmacro", "*{[[{"),
        MacroSpec("DeclareFieldFormat", "[{{"),
        MacroSpec("newrobustcmd", "*{[[{"),
        MacroSpec("renewrobustcmd", "*{[[{"),
        MacroSpec("bibitem", "[{"),
        MacroSpec("lipsum", "[["),
        MacroSpec("usepackage", "[{["),
        MacroSpec("RequirePackage", "[{["),
        MacroSpec("title", "[{"),
        MacroSpec("author", "[{"),
        MacroSpec("lstinputlisting", "[{"),
        MacroSpec("inputminted", "[{{"),
        MacroSpec("DeclareMathOperator", "*{{"),
        MacroSpec("newtheorem", "*{[{["),
        MacroSpec("crefname", "{{{"),
        MacroSpec("Crefname", "{{{"),
        MacroSpec("setcounter", "{{"),
        MacroSpec("addtocounter", "{{"),
        MacroSpec("hypersetup", "{"),
        MacroSpec("bibliographystyle", "{"),
    ]
    return specs


_BASE_DB = None


def context_db(table: mc.MacroTable):
    """pylatexenc's default context plus common packages and the project's own wrappers."""
    db = lw.get_default_latex_context_db()
    envs = [
        EnvironmentSpec("subfigure", "[[[{"),
        EnvironmentSpec("subtable", "[[[{"),
        EnvironmentSpec("wrapfigure", "[{{"),
        EnvironmentSpec("wraptable", "[{{"),
        EnvironmentSpec("minipage", "[[[{"),
        EnvironmentSpec("tabularx", "{{"),
        EnvironmentSpec("tblr", "[{"),
        EnvironmentSpec("lstlisting", "["),
        EnvironmentSpec("minted", "[{"),
    ]
    db.add_context_category(
        "papertrack-packages", prepend=True, macros=_spec_macros(), environments=envs
    )
    # every macro the paper defines with arguments takes them, as in TeX (a wrapper's or a
    # gobbler's argument is then one node, not loose text after an argument-less macro)
    user = [MacroSpec(m.name, m.argspec) for m in table.macros.values() if m.nargs]
    for alias, target in table.aliases.items():
        spec = db.get_macro_spec(target)
        argspec = getattr(getattr(spec, "args_parser", None), "argspec", None)
        if argspec:
            user.append(MacroSpec(alias, argspec))
    if user:
        db.add_context_category("papertrack-user", prepend=True, macros=user)
    return db


def _excerpt(text: str, width: int = 70) -> str:
    """The placeholder and the words after it, across line breaks, cut at a word or a paragraph."""
    text = " ".join(text.split("\n\n", 1)[0].split())
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + "…"


class _Ctx:
    __slots__ = ("code", "data", "float", "math", "owner", "prose", "sub")

    def __init__(self) -> None:
        self.prose = True
        self.math = False
        self.float: Float | None = None
        self.sub = False
        self.owner: str | None = None
        self.code = False
        self.data: str | bool = False  # "table" or "quote": TODO there may be quoted data

    def but(self, **kw) -> _Ctx:
        c = _Ctx()
        c.prose, c.math, c.float, c.sub, c.owner, c.code, c.data = (
            self.prose,
            self.math,
            self.float,
            self.sub,
            self.owner,
            self.code,
            self.data,
        )
        for k, v in kw.items():
            setattr(c, k, v)
        return c


class _MacroEnv:
    """An environment opened and closed by the paper's own macros (\\be ... \\ee)."""

    __slots__ = ("environmentname", "len", "nodeargd", "nodelist", "pos")

    def __init__(self, name: str, nodelist: list, pos: int, length: int) -> None:
        self.environmentname = name
        self.nodelist = nodelist
        self.pos = pos
        self.len = length
        self.nodeargd = None


class _Walker:
    """Walks the node tree once, filling FileFacts."""

    def __init__(
        self, rel: str, text: str, line_col, table: mc.MacroTable, split_points: list[int]
    ) -> None:
        self.rel = rel
        self.text = text
        self.line_col = line_col
        self.user = table.overriding()
        self.env_opens, self.env_closes = table.env_macros()
        self.tcb = table.tcb_theorems
        self.aliases = table.aliases
        self.names = table.text_macros()
        self.facts = FileFacts()
        self.pending = 0
        self.splits = sorted(split_points)
        self.split_i = 0
        self.in_abstract = False
        self.caption_depth = 0
        self.code_env = 0  # inside a code listing: a \label there escapes to LaTeX

    # -- helpers -------------------------------------------------------------------------------
    def loc(self, pos: int) -> tuple[int, int]:
        return self.line_col(pos)

    def flush(self, pos: int) -> None:
        if self.pending:
            self.facts.events.append(Event(pos, "words", words=self.pending, line=self.loc(pos)[0]))
            self.pending = 0

    def event(self, pos: int, kind: str, **kw) -> None:
        self.flush(pos)
        self.facts.events.append(Event(pos, kind, line=self.loc(pos)[0], **kw))

    def raw(self, node) -> str:
        if node is None:
            return ""
        s = self.text[node.pos : node.pos + node.len].strip()
        if len(s) >= 2 and s[0] in "{[" and s[-1] in "}]":
            s = s[1:-1]
        return s

    def plain(self, node) -> str:
        """Readable text of a title or caption argument."""
        if node is None:
            return ""
        out: list[str] = []
        self._plain(node, out)
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def _plain(self, node, out: list[str]) -> None:
        if isinstance(node, lw.LatexCharsNode):
            out.append(node.chars)
        elif isinstance(node, lw.LatexMathNode):
            out.append(self.text[node.pos : node.pos + node.len])
        elif isinstance(node, lw.LatexSpecialsNode):
            out.append(" " if node.specials_chars == "~" else node.specials_chars)
        elif isinstance(node, lw.LatexMacroNode):
            if node.macroname in ("label", "index", "footnote", "protect", "thanks"):
                return
            args = node.nodeargd.argnlist if node.nodeargd else []
            for a in args[-1:]:
                if a is not None:
                    self._plain(a, out)
            if not args and node.macroname in ("ldots", "dots"):
                out.append("...")
            elif not args and node.macroname in self.names:
                out.append(self.names[node.macroname])
        elif isinstance(node, (lw.LatexGroupNode, lw.LatexEnvironmentNode)):
            for n in node.nodelist or []:
                self._plain(n, out)

    # -- walking -------------------------------------------------------------------------------
    def _macro_envs(self, nodes: list) -> list:
        """Nodes with `\\be ... \\ee` (macros that open and close an environment) regrouped
        into the environment they stand for, as TeX expands them."""
        out: list = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            env = (
                self.env_opens.get(node.macroname) if isinstance(node, lw.LatexMacroNode) else None
            )
            if env is None:
                out.append(node)
                i += 1
                continue
            j = i + 1
            while j < len(nodes) and not (
                isinstance(nodes[j], lw.LatexMacroNode)
                and self.env_closes.get(nodes[j].macroname) == env
            ):
                j += 1
            inner = [n for n in nodes[i + 1 : j] if n is not None]
            last = nodes[j] if j < len(nodes) else (inner[-1] if inner else node)
            end = last.pos + last.len
            out.append(_MacroEnv(env, inner, node.pos, end - node.pos))
            i = j + 1
        return out

    def walk(self, nodes, ctx: _Ctx) -> None:
        if self.env_opens and nodes:
            nodes = self._macro_envs(list(nodes))
        skip_group = False
        multicite = None  # (macro, line, col) while reading \parencites{a}[p]{b} key groups
        for node in nodes or []:
            if node is None:
                continue
            while self.split_i < len(self.splits) and node.pos >= self.splits[self.split_i]:
                self.flush(self.splits[self.split_i])
                self.split_i += 1
            if skip_group:
                if isinstance(node, lw.LatexGroupNode):
                    skip_group = False
                continue
            if multicite is not None:
                if isinstance(node, lw.LatexGroupNode):
                    name, line, col = multicite
                    for key in self.keys(node):
                        if "#" not in key:
                            self.facts.cites.append(Cite(key, name, self.rel, line, col))
                    continue
                if isinstance(node, lw.LatexCharsNode) and _CITE_OPTIONS.fullmatch(node.chars):
                    continue  # the [pre][post] and (pre)(post) notes between the key groups
                multicite = None
            if isinstance(node, lw.LatexMacroNode) and node.macroname in _DEF_PRIMITIVES:
                skip_group = True  # \def\x#1{body}: the body is not document text
                continue
            if isinstance(node, lw.LatexMacroNode) and node.macroname in mc.MULTICITE_MACROS:
                # biblatex's multicite commands take any number of {key} groups, which a
                # fixed argument spec cannot say: read the groups that follow
                multicite = (node.macroname, *self.loc(node.pos))
                continue
            self.node(node, ctx)

    def node(self, node, ctx: _Ctx) -> None:
        if isinstance(node, lw.LatexCharsNode):
            self.chars(node.chars, node.pos, ctx)
        elif isinstance(node, lw.LatexGroupNode):
            self.walk(node.nodelist, ctx)
        elif isinstance(node, lw.LatexMathNode):
            if node.displaytype == "display" and not ctx.math and ctx.float is None:
                self.display(node)
            self.walk(node.nodelist, ctx.but(prose=False, math=True))
        elif isinstance(node, lw.LatexMacroNode):
            self.macro(node, ctx)
        elif isinstance(node, (lw.LatexEnvironmentNode, _MacroEnv)):
            self.environment(node, ctx)

    def chars(self, s: str, pos: int, ctx: _Ctx) -> None:
        if ctx.prose and not ctx.math:
            n = count_words(s)
            if self.caption_depth:
                self.facts.caption_words += n
            elif ctx.float is None:
                self.pending += n
        if ctx.math or ctx.code:
            return
        for m in _PLACEHOLDER_TEXT.finditer(s):
            word = m.group(1)
            if word and word not in _UPPER_ONLY:
                continue  # lowercase 'todo' or 'xxx' is prose, not a marker
            # a table cell that is a label ("TODO", "FIXME comments") is data; a sentence
            # in a cell with a TODO in it is a note
            tabulated = ctx.data == "table" and len(_WORD.findall(s)) <= 4
            if word in _DATA_WORDS and (
                tabulated
                or ctx.data == "quote"
                or self._quoted(self.text, pos + m.start(), pos + m.end())
            ):
                continue  # "TODO" quoted or tabulated: the paper talks about the word
            kind = "lorem" if m.group(3) else "question-marks" if m.group(2) else "todo-text"
            line, col = self.loc(pos + m.start())
            snippet = _excerpt(s[m.start() : m.start() + 120])
            self.facts.placeholders.append(Placeholder(kind, snippet, self.rel, line, col))

    @staticmethod
    def _quoted(s: str, a: int, b: int) -> bool:
        before = s[max(0, a - 2) : a]
        after = s[b : b + 2]
        return before.endswith(_OPEN_QUOTES) and after[:1] in ("'", '"', "’", "”", "»", "“")

    def display(self, node) -> None:
        """Record a displayed formula and its rows: page estimates need the space it takes."""
        body = self.text[node.pos : node.pos + node.len]
        rows = body.count("\\\\") + 1
        self.facts.events.append(Event(node.pos, "display", words=rows, line=self.loc(node.pos)[0]))

    def args(self, node) -> list:
        return list(node.nodeargd.argnlist) if node.nodeargd and node.nodeargd.argnlist else []

    def keys(self, node) -> list[str]:
        return [k for k in (mc.clean_key(x) for x in self.raw(node).split(",")) if k]

    def macro(self, node, ctx: _Ctx) -> None:
        name = node.macroname
        args = self.args(node)
        line, col = self.loc(node.pos)
        f = self.facts
        if name in DEFINITION_MACROS:
            return
        user = self.user.get(name)
        if user is not None:
            self.user_macro(node, args, ctx, user)
            return
        name = self.aliases.get(name, name)
        if name in mc.REF_MACROS or name == "hyperref":
            targets = [a for a in args if a is not None]
            if name == "hyperref":
                targets = [args[0]] if args and args[0] is not None else []
            elif "range" not in name:
                targets = targets[-1:]
            for a in targets:
                for key in self.keys(a):
                    if "#" not in key:
                        f.refs.append(Ref(key, node.macroname, self.rel, line, col))
            if ctx.prose and not ctx.float:
                self.pending += 1  # "Figure 3" reads as a word
            return
        elif name in mc.CITE_MACROS:
            if args and args[-1] is not None:
                for key in self.keys(args[-1]):
                    if "#" not in key:
                        f.cites.append(Cite(key, node.macroname, self.rel, line, col))
            if ctx.prose and not ctx.float:
                # `\cite[p.~3]{k}`, `\citep[see][ch. 2]{k}`: the notes print, as texcount counts
                for opt in args[:-1]:
                    if opt is not None and isinstance(opt, lw.LatexGroupNode):
                        self.pending += count_words(self.plain(opt))
            return
        elif name in mc.LABEL_MACROS:
            if args and args[-1] is not None:
                key = self.raw(args[-1]).strip()
                if key and "#" not in key:
                    context = (
                        "listing-escape"
                        if self.code_env
                        else "subfloat"
                        if ctx.sub
                        else "float"
                        if ctx.float
                        else "equation"
                        if ctx.math
                        else "text"
                    )
                    f.labels.append(Label(key, self.rel, line, col, context))
                    if ctx.float is not None:
                        (ctx.float.sub_labels if ctx.sub else ctx.float.labels).append(key)
            return
        elif name in mc.GRAPHICS_MACROS:
            if args and args[-1] is not None:
                path = self.raw(args[-1]).strip()
                if path and "#" not in path:
                    f.graphics.append(Graphic(path, self.rel, line, col))
                    if ctx.float is not None:
                        ctx.float.graphics.append(path)
            return
        elif name in HEADING_LEVELS:
            title_node = args[-1] if args else None
            starred = name == "prefacesection" or bool(
                args and args[0] is not None and self.raw(args[0]) == "*"
            )
            h = Heading(
                HEADING_LEVELS[name],
                name,
                self.plain(title_node),
                starred,
                self.rel,
                line,
                col,
                node.pos,
            )
            self.event(node.pos, "heading", heading=h)
            self.walk_args(args, ctx.but(prose=False))
            return
        elif name in ("caption", "captionof", "subcaption"):
            cap = args[-1] if args else None
            text = self.plain(cap)
            sub = ctx.sub or name == "subcaption"
            if ctx.float is not None and not sub:
                ctx.float.captions.append(text)
                if not text:
                    ctx.float.empty_caption = True
            if cap is not None and not text and not sub:
                # a sub-figure's \caption{} prints "(a)": a label, not an empty caption
                f.placeholders.append(
                    Placeholder("empty-caption", "\\caption{}", self.rel, line, col)
                )
            self.caption_depth += 1
            self.walk_args(args, ctx.but(sub=sub))
            self.caption_depth -= 1
            return
        elif name in ("subfloat", "subcaptionbox"):
            self.caption_depth += 1
            self.walk_args(args, ctx.but(sub=True))
            self.caption_depth -= 1
            return
        elif name in mc.TODO_MACROS:
            text = self.plain(args[-1]) if args else ""
            f.placeholders.append(
                Placeholder("todo-macro", f"\\{name}: {text}"[:80], self.rel, line, col)
            )
            if name == "missingfigure" and ctx.float is not None:
                ctx.float.placeholder = True
            return
        elif name in mc.PLACEHOLDER_MACROS:
            kind = (
                "checklist"
                if name.endswith("TODO") and name.startswith(("answer", "justification"))
                else "lorem"
            )
            f.placeholders.append(Placeholder(kind, f"\\{name}", self.rel, line, col))
            return
        elif name == "appendix":
            self.event(node.pos, "appendix")
            return
        elif name in ("bibliography", "printbibliography"):
            opts = self.raw(args[0]) if name == "printbibliography" and args and args[0] else ""
            if not _BIB_FILTER.search(opts):
                # a filtered list (keyword=own: the author's publications in the front matter)
                # is not the bibliography that ends the main text
                self.event(node.pos, "bibliography")
            return
        elif name == "abstract" and args and args[-1] is not None:
            self.event(node.pos, "abstract-begin")
            self.walk_args(args, ctx)
            self.event(node.pos + node.len, "abstract-end")
            return
        elif name == "addcontentsline" and len(args) == 3 and args[2] is not None:
            # \addcontentsline{toc}{chapter}{Abstract}: an unnumbered part that has no heading
            if self.raw(args[1]).strip() in ("part", "chapter", "section"):
                self.facts.toc_titles.append(self.plain(args[2]))
            return
        elif name == "bibitem":
            if args and args[-1] is not None:
                f.bibitems.append(Label(self.raw(args[-1]).strip(), self.rel, line, col, "bibitem"))
            return
        elif name in ("usepackage", "RequirePackage"):
            if len(args) >= 2 and args[1] is not None:
                opts = (
                    [o.strip() for o in self.raw(args[0]).split(",") if o.strip()]
                    if args[0] is not None
                    else []
                )
                for pkg in self.keys(args[1]):
                    f.packages.append((pkg, opts))
            return
        elif name in (
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
            "nomenclature",
        ):
            if ctx.float is not None and name in _INPUTS_CONTENT:
                ctx.float.has_content = True  # \input{plot.tikz}: the file is the figure
            if name == "href" and len(args) > 1:
                self.walk_args(args[1:], ctx)
            if name == "lstinputlisting" and args:
                if args[0] is not None:
                    self.option_labels(self.raw(args[0]), args[0].pos, _LABEL_OPTION, ctx)
                path = self.raw(args[-1]).strip() if args[-1] is not None else ""
                if path and "#" not in path:
                    f.code_inputs.append(Graphic(path, self.rel, line, col))
            if ctx.prose and name in ("url", "href") and not ctx.float:
                self.pending += 1
            return
        if ctx.float is not None and name not in _LAYOUT_MACROS:
            ctx.float.has_content = True
        text_ctx = ctx if name in TEXT_MACROS or ctx.prose else ctx.but(prose=False)
        if name in ("footnote", "footnotetext", "marginpar", "thanks") and ctx.data:
            text_ctx = text_ctx.but(data=False)  # the author's own words again
        if name in CODE_MACROS:
            text_ctx = text_ctx.but(code=True)
        self.walk_args(args, text_ctx)

    def walk_args(self, args, ctx: _Ctx) -> None:
        for a in args:
            if a is None:
                continue
            if isinstance(a, (lw.LatexGroupNode,)):
                self.walk(a.nodelist, ctx)
            elif isinstance(a, lw.LatexCharsNode):
                pass  # a single-token argument such as `*`
            else:
                self.node(a, ctx)

    def user_macro(self, node, args, ctx: _Ctx, macro: mc.UserMacro) -> None:
        """A command the paper defines: what its definition does, and its typeset arguments."""
        line, col = self.loc(node.pos)
        f = self.facts
        if ctx.float is not None:
            ctx.float.has_content = True
        for role in macro.roles:
            if role.arg == 0 and role.kind in ("ref", "cite"):
                item = (Ref if role.kind == "ref" else Cite)(
                    role.prefix, node.macroname, self.rel, line, col
                )
                (f.refs if role.kind == "ref" else f.cites).append(item)
                continue
            if role.kind == "todo":
                text = self.plain(args[-1]) if args else ""
                f.placeholders.append(
                    Placeholder(
                        "todo-macro", f"\\{node.macroname}: {text}"[:80], self.rel, line, col
                    )
                )
                continue
            if role.arg in macro.discards:
                continue
            if role.arg < 1 or role.arg > len(args) or args[role.arg - 1] is None:
                continue
            raw = self.raw(args[role.arg - 1])
            values = (
                [mc.clean_key(k) for k in raw.split(",")]
                if role.kind in ("ref", "cite")
                else [raw.strip()]
            )
            for v in values:
                if not v or "#" in v:
                    continue
                key = role.prefix + v + role.suffix
                if "#" in key:  # a key of several arguments (\label{#1:#2})
                    key = mc.fill_params(key, [self.raw(a) if a is not None else "" for a in args])
                    if "#" in key:
                        continue
                if role.kind == "ref":
                    f.refs.append(Ref(key, node.macroname, self.rel, line, col))
                elif role.kind == "cite":
                    f.cites.append(Cite(key, node.macroname, self.rel, line, col))
                elif role.kind == "label":
                    context = "subfloat" if ctx.sub else "float" if ctx.float else "text"
                    f.labels.append(Label(key, self.rel, line, col, context))
                    if ctx.float is not None:
                        (ctx.float.sub_labels if ctx.sub else ctx.float.labels).append(key)
                elif role.kind == "graphics":
                    f.graphics.append(Graphic(key, self.rel, line, col))
                    if ctx.float is not None:
                        ctx.float.graphics.append(key)
        # arguments the definition never typesets hold no text, label, citation or note
        live = [a for i, a in enumerate(args) if i + 1 not in macro.discards]
        text_ctx = ctx if ctx.prose else ctx.but(prose=False)
        self.walk_args(live, text_ctx)

    def option_labels(self, raw: str, pos: int, pattern: re.Pattern, ctx: _Ctx) -> None:
        """Labels given as a key=value option (listings' label=, pgfplots' legend to name=)."""
        for m in pattern.finditer(raw):
            key = m.group(1).strip("{} ")
            # enumitem's label=(\alph*) is a format, not a cross-reference label
            if key and "#" not in key and "\\" not in key:
                line, col = self.loc(pos + m.start())
                context = "float" if ctx.float is not None else "listing"
                self.facts.labels.append(Label(key, self.rel, line, col, context))
                if ctx.float is not None:
                    ctx.float.labels.append(key)

    def tcb_label(self, node, prefix: str, ctx: _Ctx) -> None:
        """\\begin{theo}{Title}{key}: tcolorbox labels the box prefix:key."""
        m = re.match(r"\\begin\s*\{[^{}]*\}\s*(?:\[[^\]]*\])?", self.text[node.pos :])
        if m is None:
            return
        title = mc._group(self.text, node.pos + m.end())
        key = mc._group(self.text, title[1]) if title else None
        if key and key[0].strip() and "#" not in key[0]:
            line, col = self.loc(node.pos)
            self.facts.labels.append(Label(f"{prefix}:{key[0].strip()}", self.rel, line, col))

    def environment(self, node, ctx: _Ctx) -> None:
        name = node.environmentname
        line, col = self.loc(node.pos)
        if name in _CODE_ENVS:
            if ctx.float is not None:
                ctx.float.has_content = True  # a figure that shows code is no placeholder
            if name == "lstlisting":
                # masking left only the label option and escaped \label{}s of the code visible
                raw = self.text[node.pos : node.pos + node.len]
                self.option_labels(raw, node.pos, _LABEL_OPTION, ctx)
            self.code_env += 1
            self.walk(node.nodelist, ctx.but(prose=False, code=True))
            self.code_env -= 1
            return
        if self.tcb and name.rstrip("*") in self.tcb:
            self.tcb_label(node, self.tcb[name.rstrip("*")], ctx)
        head = _ENV_OPTIONS.match(self.text, node.pos)
        if head and "label" in head.group(1) and name not in _CODE_ENVS | _LIST_ENVS:
            # thmtools and friends: \begin{theorem}[name=Main, label=thm:main]
            self.option_labels(head.group(1), head.start(1), _LABEL_OPTION, ctx)
        if name == "document":
            self.event(node.pos, "begin-document")
            self.walk(node.nodelist, ctx)
            self.event(node.pos + node.len, "end-document")
            return
        if name == "abstract":
            # a region, not a count: an \input inside the abstract adds its words here too
            self.event(node.pos, "abstract-begin")
            self.walk(node.nodelist, ctx)
            self.event(node.pos + node.len, "abstract-end")
            return
        if name == "appendices":
            self.event(node.pos, "appendix")
            self.walk(node.nodelist, ctx)
            return
        if name == "thebibliography":
            self.event(node.pos, "bibliography")
            self.walk(node.nodelist, ctx.but(prose=False))
            return
        m = FLOAT_KIND.match(name)
        if m and name not in SUBFLOAT_ENVS and ctx.float is None:
            kind = m.group(1) or "other"
            fl = Float(kind if kind != "listing" else "other", name, self.rel, line, col)
            self.facts.floats.append(fl)
            self.facts.events.append(
                Event(node.pos, "float", line=line, index=len(self.facts.floats) - 1)
            )
            self.walk(node.nodelist, ctx.but(float=fl))
            if fl.kind == "figure" and not fl.graphics and not fl.has_content:
                fl.placeholder = True
            return
        if ctx.float is not None:
            ctx.float.has_content = True
        if name in SUBFLOAT_ENVS:
            self.walk(node.nodelist, ctx.but(sub=True))
            return
        if name in DATA_ENVS:
            ctx = ctx.but(data="table" if "tab" in name or "tblr" in name else "quote")
        if name in NON_PROSE_ENVS or ctx.math:
            is_math = name.rstrip("*") in DISPLAY_ENVS
            if is_math and not ctx.math and ctx.float is None and name != "math":
                self.display(node)
            self.walk(node.nodelist, ctx.but(prose=False, math=is_math or ctx.math))
            return
        self.walk(node.nodelist, ctx)


def parse_file(
    rel: str,
    text: str,
    line_col,
    table: mc.MacroTable,
    split_points: list[int],
    db=None,
    nodes_out: list | None = None,
) -> FileFacts:
    """Parse visible (masked) text of one file into FileFacts (`nodes_out` gets the top nodes)."""
    if db is None:
        db = context_db(table)
    walker = _Walker(rel, text, line_col, table, split_points)
    try:
        w = FastLatexWalker(text, latex_context=db, tolerant_parsing=True)
        nodes, _, _ = w.get_latex_nodes()
        if nodes_out is not None:
            nodes_out.extend(nodes)
        walker.walk(nodes, _Ctx())
    except RecursionError:
        walker.facts.parse_error = (
            "nesting too deep to analyse (over a few hundred levels of braces)"
        )
    except Exception as exc:  # pylatexenc raises a zoo of errors on hostile input
        walker.facts.parse_error = f"could not be parsed: {type(exc).__name__}"
    if "legend" in text:
        for m in _LEGEND_NAME.finditer(text):
            key = m.group(1).strip("{} ")
            if key and "#" not in key:
                line, col = line_col(m.start())
                walker.facts.labels.append(Label(key, rel, line, col, "legend"))
    walker.flush(len(text))
    walker.facts.events.sort(key=lambda e: e.pos)
    return walker.facts
