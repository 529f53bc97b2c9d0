"""What each known macro (and each macro the paper defines) adds to a file's facts, by name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from pylatexenc import latexwalker as lw

from papertrack.facts import Cite, Graphic, Heading, Label, Placeholder, Ref
from papertrack.parse import knownmacros as known
from papertrack.parse.macroroles import clean_key, fill_params
from papertrack.parse.macrotable import Role, UserMacro
from papertrack.parse.vocabulary import HEADING_LEVELS, LABEL_OPTION, NOT_TEXT_MACROS, count_words

if TYPE_CHECKING:
    from papertrack.parse.walker import Ctx, Walker

# biblatex options that print a part of the references (\printbibliography[keyword=own])
_BIB_FILTER = re.compile(
    r"\b(?:not)?(?:keyword|category|type|subtype)\s*=|\b(?:filter|check|segment)\s*="
)
# commands that typeset a file where they stand: inside a float, that file is its content
_INPUTS_CONTENT = frozenset(
    {"input", "include", "subfile", "import", "subimport", "lstinputlisting", "inputminted"}
)

# (walker, node, name after aliases, arguments, context)
Handler = Callable[["Walker", object, str, list, "Ctx"], None]


def _ref(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    line, col = w.loc(node.pos)
    targets = [a for a in args if a is not None]
    if name == "hyperref":
        targets = [args[0]] if args and args[0] is not None else []
    elif "range" not in name:
        targets = targets[-1:]
    for a in targets:
        for key in w.keys(a):
            if "#" not in key:
                w.facts.refs.append(Ref(key, node.macroname, w.rel, line, col))
    if ctx.prose and not ctx.float:
        w.pending += 1  # "Figure 3" reads as a word


def _cite(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    line, col = w.loc(node.pos)
    if args and args[-1] is not None:
        for key in w.keys(args[-1]):
            if "#" not in key:
                w.facts.cites.append(Cite(key, node.macroname, w.rel, line, col))
    if ctx.prose and not ctx.float:
        # `\cite[p.~3]{k}`, `\citep[see][ch. 2]{k}`: the notes print, as texcount counts
        for opt in args[:-1]:
            if opt is not None and isinstance(opt, lw.LatexGroupNode):
                w.pending += count_words(w.plain(opt))


def _label(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if not args or args[-1] is None:
        return
    key = w.raw(args[-1]).strip()
    if not key or "#" in key:
        return
    if w.code_env:
        context = "listing-escape"
    elif ctx.sub:
        context = "subfloat"
    elif ctx.float:
        context = "float"
    elif ctx.math:
        context = "equation"
    else:
        context = "text"
    line, col = w.loc(node.pos)
    w.facts.labels.append(Label(key, w.rel, line, col, context))
    if ctx.float is not None:
        (ctx.float.sub_labels if ctx.sub else ctx.float.labels).append(key)


def _graphic(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if args and args[-1] is not None:
        path = w.raw(args[-1]).strip()
        if path and "#" not in path:
            w.facts.graphics.append(Graphic(path, w.rel, *w.loc(node.pos)))
            if ctx.float is not None:
                ctx.float.graphics.append(path)


def _heading(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    line, col = w.loc(node.pos)
    title_node = args[-1] if args else None
    starred = name == "prefacesection" or bool(
        args and args[0] is not None and w.raw(args[0]) == "*"
    )
    h = Heading(
        HEADING_LEVELS[name], name, w.plain(title_node), starred, w.rel, line, col, node.pos
    )
    w.event(node.pos, "heading", heading=h)
    w.walk_args(args, ctx.but(prose=False))


def _caption(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    cap = args[-1] if args else None
    text = w.plain(cap)
    sub = ctx.sub or name == "subcaption"
    if ctx.float is not None and not sub:
        ctx.float.captions.append(text)
        if not text:
            ctx.float.empty_caption = True
    if cap is not None and not text and not sub:
        # a sub-figure's \caption{} prints "(a)": a label, not an empty caption
        w.facts.placeholders.append(
            Placeholder("empty-caption", "\\caption{}", w.rel, *w.loc(node.pos))
        )
    w.caption_depth += 1
    w.walk_args(args, ctx.but(sub=sub))
    w.caption_depth -= 1


def _captionbox(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    # \captionbox*[entry]{caption}[width][pos]{contents}: the caption is the float's, as
    # \caption's is; the box's contents are the figure itself, not caption words
    if len(args) < 6:
        w.walk_args(args, ctx)
        return
    _caption(w, node, name, args[:3], ctx)
    w.walk_args(args[3:], ctx)


def _subfloat(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    w.caption_depth += 1
    w.walk_args(args, ctx.but(sub=True))
    w.caption_depth -= 1


def _todo(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    text = w.plain(args[-1]) if args else ""
    w.facts.placeholders.append(
        Placeholder("todo-macro", f"\\{name}: {text}"[:80], w.rel, *w.loc(node.pos))
    )
    if name == "missingfigure" and ctx.float is not None:
        ctx.float.placeholder = True


def _placeholder(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    checklist = name.endswith("TODO") and name.startswith(("answer", "justification"))
    kind = "checklist" if checklist else "lorem"
    w.facts.placeholders.append(Placeholder(kind, f"\\{name}", w.rel, *w.loc(node.pos)))


def _appendix(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    w.event(node.pos, "appendix")


def _bibliography(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    opts = w.raw(args[0]) if name == "printbibliography" and args and args[0] else ""
    if not _BIB_FILTER.search(opts):
        # a filtered list (keyword=own: the author's publications in the front matter) is not
        # the bibliography that ends the main text
        w.event(node.pos, "bibliography")


def _abstract(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if not (args and args[-1] is not None):
        w.other_macro(name, args, ctx)
        return
    w.event(node.pos, "abstract-begin")
    w.walk_args(args, ctx)
    w.event(node.pos + node.len, "abstract-end")


def _contents_line(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if not (len(args) == 3 and args[2] is not None):
        w.other_macro(name, args, ctx)
        return
    # \addcontentsline{toc}{chapter}{Abstract}: an unnumbered part that has no heading
    if w.raw(args[1]).strip() in ("part", "chapter", "section"):
        w.facts.toc_titles.append(w.plain(args[2]))


def _bibitem(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if args and args[-1] is not None:
        key = w.raw(args[-1]).strip()
        w.facts.bibitems.append(Label(key, w.rel, *w.loc(node.pos), "bibitem"))


def _package(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    if len(args) >= 2 and args[1] is not None:
        opts = (
            [o.strip() for o in w.raw(args[0]).split(",") if o.strip()]
            if args[0] is not None
            else []
        )
        for pkg in w.keys(args[1]):
            w.facts.packages.append((pkg, opts))


def _not_text(w: Walker, node, name: str, args: list, ctx: Ctx) -> None:
    """Files, settings and links: their arguments are not prose (a link's text is)."""
    if ctx.float is not None and name in _INPUTS_CONTENT:
        ctx.float.has_content = True  # \input{plot.tikz}: the file is the figure
    if name == "href" and len(args) > 1:
        w.walk_args(args[1:], ctx)
    if name == "lstinputlisting" and args:
        if args[0] is not None:
            w.option_labels(w.raw(args[0]), args[0].pos, LABEL_OPTION, ctx)
        path = w.raw(args[-1]).strip() if args[-1] is not None else ""
        if path and "#" not in path:
            w.facts.code_inputs.append(Graphic(path, w.rel, *w.loc(node.pos)))
    if ctx.prose and name in ("url", "href") and not ctx.float:
        w.pending += 1


_NOT_TEXT = NOT_TEXT_MACROS | {"nomenclature"}


def _table() -> dict[str, Handler]:
    """Name -> handler; where a name is in two groups, the group listed first wins."""
    groups: list[tuple[object, Handler]] = [
        ((*known.REF_MACROS, "hyperref"), _ref),
        (known.CITE_MACROS, _cite),
        (known.LABEL_MACROS, _label),
        (known.GRAPHICS_MACROS, _graphic),
        (HEADING_LEVELS, _heading),
        (("caption", "captionof", "subcaption"), _caption),
        (("captionbox",), _captionbox),
        (("subfloat", "subcaptionbox"), _subfloat),
        (known.TODO_MACROS, _todo),
        (known.PLACEHOLDER_MACROS, _placeholder),
        (("appendix",), _appendix),
        (("bibliography", "printbibliography"), _bibliography),
        (("abstract",), _abstract),
        (("addcontentsline",), _contents_line),
        (("bibitem",), _bibitem),
        (("usepackage", "RequirePackage"), _package),
        (_NOT_TEXT, _not_text),
    ]
    table: dict[str, Handler] = {}
    for names, handler in groups:
        for name in names:  # type: ignore[attr-defined]
            table.setdefault(name, handler)
    return table


MACRO_HANDLERS = _table()


# (a reference prints its number, a word, as \ref's own does: its argument stays counted)
_NOT_PROSE = frozenset({"heading", "label", "cite", "graphics"})


def _first_caption(macro: UserMacro) -> Role | None:
    return next((r for r in macro.roles if r.kind == "caption"), None)


def user_macro(w: Walker, node, args: list, ctx: Ctx, macro: UserMacro) -> None:
    """A command the paper defines: what its definition does, and its typeset arguments."""
    line, col = w.loc(node.pos)
    f = w.facts
    if ctx.float is not None:
        ctx.float.has_content = True
    for role in macro.roles:
        if role.arg == 0 and role.kind in ("ref", "cite"):
            item = (Ref if role.kind == "ref" else Cite)(
                role.prefix, node.macroname, w.rel, line, col
            )
            (f.refs if role.kind == "ref" else f.cites).append(item)
            continue
        if role.arg == 0 and role.kind == "label":
            # a key written in the body (rules, equations the macro typesets): it names the
            # float only after its caption, when TeX's current counter is the float's
            names = ctx.float is not None and bool(ctx.float.captions)
            _macro_label(w, ctx, role.prefix, line, col, names)
            continue
        if role.kind == "appendix":
            w.event(node.pos, "appendix")
            continue
        if role.kind == "todo":
            text = w.plain(args[-1]) if args else ""
            f.placeholders.append(
                Placeholder("todo-macro", f"\\{node.macroname}: {text}"[:80], w.rel, line, col)
            )
            continue
        if role.kind == "caption-short":
            continue  # the list of figures' form of the caption
        if role.kind == "caption":
            # one caption per use, of every argument the caption's text is made of
            # (\caption{{\bf #1.} #2}); the short form for the list of figures aside
            if ctx.float is not None and not ctx.sub and role is _first_caption(macro):
                parts = [
                    w.plain(args[r.arg - 1])
                    for r in macro.roles
                    if r.kind == "caption"
                    and 0 < r.arg <= len(args)
                    and args[r.arg - 1] is not None
                ]
                ctx.float.captions.append(" ".join(parts) if parts else node.macroname)
            continue
        if role.arg in macro.discards:
            continue
        if role.arg < 1 or role.arg > len(args) or args[role.arg - 1] is None:
            continue
        if role.kind == "heading":
            title = w.plain(args[role.arg - 1])
            level, starred = HEADING_LEVELS[role.prefix], bool(role.suffix)
            h = Heading(level, role.prefix, title, starred, w.rel, line, col, node.pos)
            w.event(node.pos, "heading", heading=h)
            continue
        raw = w.raw(args[role.arg - 1])
        values = (
            [clean_key(k) for k in raw.split(",")]
            if role.kind in ("ref", "cite")
            else [raw.strip()]
        )
        for v in values:
            if not v or "#" in v:
                continue
            key = role.prefix + v + role.suffix
            if "#" in key:  # a key of several arguments (\label{#1:#2})
                key = fill_params(key, [w.raw(a) if a is not None else "" for a in args])
                if "#" in key:
                    continue
            if role.kind == "ref":
                f.refs.append(Ref(key, node.macroname, w.rel, line, col))
            elif role.kind == "cite":
                f.cites.append(Cite(key, node.macroname, w.rel, line, col))
            elif role.kind == "label":
                _macro_label(w, ctx, key, line, col)
            elif role.kind == "graphics":
                f.graphics.append(Graphic(key, w.rel, line, col))
                if ctx.float is not None:
                    ctx.float.graphics.append(key)
    # arguments the definition never typesets hold no text, label, citation or note
    text_ctx = ctx if ctx.prose else ctx.but(prose=False)
    captions = {r.arg for r in macro.roles if r.kind in ("caption", "caption-short")}
    # a heading's title and a key (\label{#2}) are not words of the section's prose
    not_prose = {r.arg for r in macro.roles if r.kind in _NOT_PROSE}
    for i, a in enumerate(args):
        if i + 1 in macro.discards:
            continue
        if i + 1 in not_prose:
            w.walk_args([a], ctx.but(prose=False))
            continue
        if i + 1 in captions:  # its words are caption words, as \caption's own are
            w.caption_depth += 1
            w.walk_args([a], text_ctx)
            w.caption_depth -= 1
        else:
            w.walk_args([a], text_ctx)


def _macro_label(
    w: Walker, ctx: Ctx, key: str, line: int, col: int, names_float: bool = True
) -> None:
    """A label a user macro defines where it is used (TeX expands the body there)."""
    context = "subfloat" if ctx.sub else "float" if ctx.float else "text"
    w.facts.labels.append(Label(key, w.rel, line, col, context))
    if ctx.float is not None and names_float:
        (ctx.float.sub_labels if ctx.sub else ctx.float.labels).append(key)
