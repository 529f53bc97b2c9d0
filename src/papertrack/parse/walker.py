"""The walk over pylatexenc's node tree that fills one file's FileFacts; macros dispatch by name."""

from __future__ import annotations

import re

from pylatexenc import latexwalker as lw

from papertrack.facts import Cite, Event, Float, Label, Placeholder
from papertrack.parse.knownmacros import MULTICITE_MACROS, NAME_MACROS, UNPRINTED_ARGS
from papertrack.parse.macro_handlers import MACRO_HANDLERS, user_macro
from papertrack.parse.macroroles import clean_key
from papertrack.parse.macrotable import MacroTable
from papertrack.parse.vocabulary import (
    ABSTRACT_ENV,
    CITE_OPTIONS,
    CODE_ENVS,
    CODE_MACROS,
    DATA_ENVS,
    DATA_WORDS,
    DEF_PRIMITIVES,
    DEFINITION_MACROS,
    DISPLAY_ENVS,
    ENV_OPTIONS,
    FLOAT_KIND,
    LABEL_OPTION,
    LAYOUT_MACROS,
    LIST_ENVS,
    NON_PROSE_ENVS,
    OPEN_QUOTES,
    PLACEHOLDER_TEXT,
    SUBFLOAT_ENVS,
    TEXT_MACROS,
    UPPER_ONLY,
    WORD,
    count_words,
)
from papertrack.parse.walkstate import Ctx, FileFacts, MacroEnv
from papertrack.project.braces import group_text
from papertrack.project.source import CAPTION_OPTION

_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")


def _excerpt(text: str, width: int = 70) -> str:
    """The placeholder and the words after it, across line breaks, cut at a word or a paragraph."""
    # a line of spaces ends a paragraph too (TeX, and the chunked parser's cuts, say so)
    text = " ".join(re.split(r"\n[ \t]*\n", text, maxsplit=1)[0].split())
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + "…"


class Walker:
    """Walks the node tree once, filling FileFacts."""

    def __init__(
        self, rel: str, text: str, line_col, table: MacroTable, split_points: list[int]
    ) -> None:
        self.rel = rel
        self.text = text
        self.line_col = line_col
        self.user = table.overriding()
        self.env_opens, self.env_closes = table.env_macros()
        self.tcb = table.tcb_theorems
        self.aliases = table.aliases
        # the paper's own text macros win over LaTeX's names (\\renewcommand{\\refname}{Literature})
        self.names = {**NAME_MACROS, **table.text_macros()}
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
        text = re.sub(r"\s+", " ", "".join(out)).strip()
        if not text and isinstance(node, lw.LatexGroupNode):
            # \chapter{\introductionname}: a name macro defined per language in a package
            # papertrack does not read; its name says more than an empty title
            named = [n for n in node.nodelist or [] if isinstance(n, lw.LatexMacroNode)]
            if len(named) == 1 and not (named[0].nodeargd and named[0].nodeargd.argnlist):
                return "\\" + named[0].macroname
        return text

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
            if node.macroname in UNPRINTED_ARGS:
                return  # \\vspace{4cm} in a title prints space, not "4cm"
            args = node.nodeargd.argnlist if node.nodeargd else []
            for a in args[-1:]:
                if a is not None:
                    self._plain(a, out)
            if not args and node.macroname in ("ldots", "dots"):
                out.append("...")
            elif not args and node.macroname in ("%", "&", "_", "#", "$", "{", "}"):
                out.append(node.macroname)  # `5\% of the time` prints its percent sign
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
            out.append(MacroEnv(env, inner, node.pos, end - node.pos))
            i = j + 1
        return out

    def walk(self, nodes, ctx: Ctx) -> None:
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
            if isinstance(node, lw.LatexCommentNode):
                continue  # a line masking left as a bare %: TeX reads on, as if it were not there
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
                if isinstance(node, lw.LatexCharsNode) and CITE_OPTIONS.fullmatch(node.chars):
                    continue  # the [pre][post] and (pre)(post) notes between the key groups
                multicite = None
            if isinstance(node, lw.LatexMacroNode) and node.macroname in DEF_PRIMITIVES:
                skip_group = True  # \def\x#1{body}: the body is not document text
                continue
            if isinstance(node, lw.LatexMacroNode) and node.macroname in MULTICITE_MACROS:
                # biblatex's multicite commands take any number of {key} groups, which a
                # fixed argument spec cannot say: read the groups that follow
                multicite = (node.macroname, *self.loc(node.pos))
                continue
            self.node(node, ctx)

    def node(self, node, ctx: Ctx) -> None:
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
        elif isinstance(node, (lw.LatexEnvironmentNode, MacroEnv)):
            self.environment(node, ctx)

    def chars(self, s: str, pos: int, ctx: Ctx) -> None:
        if ctx.prose and not ctx.math:
            n = count_words(s)
            if self.caption_depth:
                self.facts.caption_words += n
            elif ctx.float is None:
                self.pending += n
        if ctx.math or ctx.code:
            return
        for m in PLACEHOLDER_TEXT.finditer(s):
            word = m.group(1)
            if word and word not in UPPER_ONLY:
                continue  # lowercase 'todo' or 'xxx' is prose, not a marker
            # a table cell that is a label ("TODO", "FIXME comments") is data; a sentence
            # in a cell with a TODO in it is a note
            tabulated = ctx.data == "table" and len(WORD.findall(s)) <= 4
            if word in DATA_WORDS and (
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
        return before.endswith(OPEN_QUOTES) and after[:1] in ("'", '"', "’", "”", "»", "“")

    def display(self, node) -> None:
        """Record a displayed formula and its rows: page estimates need the space it takes."""
        body = self.text[node.pos : node.pos + node.len]
        rows = body.count("\\\\") + 1
        self.facts.events.append(Event(node.pos, "display", words=rows, line=self.loc(node.pos)[0]))

    def args(self, node) -> list:
        return list(node.nodeargd.argnlist) if node.nodeargd and node.nodeargd.argnlist else []

    def keys(self, node) -> list[str]:
        return [k for k in (clean_key(x) for x in self.raw(node).split(",")) if k]

    def macro(self, node, ctx: Ctx) -> None:
        name = node.macroname
        if name in DEFINITION_MACROS:
            return
        args = self.args(node)
        user = self.user.get(name)
        if user is not None:
            user_macro(self, node, args, ctx, user)
            return
        name = self.aliases.get(name, name)
        handler = MACRO_HANDLERS.get(name)
        if handler is not None:
            handler(self, node, name, args, ctx)
        else:
            self.other_macro(name, args, ctx)

    def other_macro(self, name: str, args: list, ctx: Ctx) -> None:
        """A macro without a role of its own: its arguments are walked as text or not."""
        if ctx.float is not None and name not in LAYOUT_MACROS:
            ctx.float.has_content = True
        text_ctx = ctx if name in TEXT_MACROS or ctx.prose else ctx.but(prose=False)
        if name in ("footnote", "footnotetext", "marginpar", "thanks") and ctx.data:
            text_ctx = text_ctx.but(data=False)  # the author's own words again
        if name in CODE_MACROS:
            text_ctx = text_ctx.but(code=True)
        self.walk_args(args, text_ctx)

    def walk_args(self, args, ctx: Ctx) -> None:
        for a in args:
            if a is None:
                continue
            if isinstance(a, (lw.LatexGroupNode,)):
                self.walk(a.nodelist, ctx)
            elif isinstance(a, lw.LatexCharsNode):
                pass  # a single-token argument such as `*`
            else:
                self.node(a, ctx)

    def option_labels(self, raw: str, pos: int, pattern: re.Pattern, ctx: Ctx) -> None:
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

    def tcb_label(self, node, prefix: str, ctx: Ctx) -> None:
        """\\begin{theo}{Title}{key}: tcolorbox labels the box prefix:key."""
        m = re.match(r"\\begin\s*\{[^{}]*\}\s*(?:\[[^\]]*\])?", self.text[node.pos :])
        if m is None:
            return
        title = group_text(self.text, node.pos + m.end())
        key = group_text(self.text, title[1]) if title else None
        if key and key[0].strip() and "#" not in key[0]:
            line, col = self.loc(node.pos)
            self.facts.labels.append(Label(f"{prefix}:{key[0].strip()}", self.rel, line, col))

    def environment(self, node, ctx: Ctx) -> None:
        name = node.environmentname
        line, col = self.loc(node.pos)
        if name in CODE_ENVS:
            if ctx.float is not None:
                ctx.float.has_content = True  # a figure that shows code is no placeholder
            if name == "lstlisting":
                # masking left only the label option and escaped \label{}s of the code visible
                raw = self.text[node.pos : node.pos + node.len]
                self.option_labels(raw, node.pos, LABEL_OPTION, ctx)
                if ctx.float is not None and CAPTION_OPTION.search(raw):
                    # "Listing 3: ..." is the float's caption: a figure around it is captioned
                    ctx.float.code_caption = True
            self.code_env += 1
            self.walk(node.nodelist, ctx.but(prose=False, code=True))
            self.code_env -= 1
            return
        if self.tcb and name.rstrip("*") in self.tcb:
            self.tcb_label(node, self.tcb[name.rstrip("*")], ctx)
        head = ENV_OPTIONS.match(self.text, node.pos)
        if head and "label" in head.group(1) and name not in CODE_ENVS | LIST_ENVS:
            # thmtools and friends: \begin{theorem}[name=Main, label=thm:main]
            self.option_labels(head.group(1), head.start(1), LABEL_OPTION, ctx)
        env_args = self.args(node)
        if env_args and ctx.float is None and not FLOAT_KIND.match(name):
            # \begin{theorem}[Smith, \cite{smith}]: pylatexenc gives theorem-like environments
            # an optional argument, which TeX prints (the note): its \cite and \ref count
            self.walk_args(env_args, ctx.but(prose=False))
        if name == "document":
            self.event(node.pos, "begin-document")
            self.walk(node.nodelist, ctx)
            if _END_DOCUMENT.search(self.text, node.pos, node.pos + node.len):
                # a header file \input by the root opens the document and leaves it open: the
                # files after it (chapters, a footer with \end{document}) are the body
                self.event(node.pos + node.len, "end-document")
            return
        if ABSTRACT_ENV.match(name):
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
