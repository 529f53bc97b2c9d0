"""What a macro body does with its arguments: the roles it passes on and the arguments it drops."""

from __future__ import annotations

import re

from papertrack.parse.knownmacros import (
    CITE_MACROS,
    GRAPHICS_MACROS,
    LABEL_MACROS,
    REF_MACROS,
    TODO_MACROS,
)
from papertrack.parse.macrotable import Role, UserMacro
from papertrack.parse.vocabulary import HEADING_LEVELS
from papertrack.project.braces import bracket_end, group_text, skip_blanks

# a lookahead, so that a use inside another's optional argument is read too: the label
# \textlabel{#2}{#1} makes in \inferrule*[lab=\textlabel{#2}{#1}]{#3}{#4} (mathpartir rules)
# an argument may hold groups two deep: \caption{\label{#1}{\bf #2. } {\small #3}}
_GROUP = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
_USE = re.compile(rf"(?=\\([a-zA-Z@]+)\*?\s*((?:\[[^\[\]]*\]\s*)*)((?:{_GROUP}\s*)+))")
_LABEL_IN = re.compile(r"\\label\s*\{[^{}]*\}")
_PARAM = re.compile(r"#(\d)")
_CALL = re.compile(r"\\([a-zA-Z@]+)\*?")
_KEYED = ("ref", "cite", "label")


def roles_in(
    body: str,
    known: dict[str, list[Role]],
    aliases: dict[str, str] | None = None,
    keep: frozenset[str] = frozenset(),
) -> list[Role]:
    """Roles a macro body plays, given the roles of the macros it calls. Helpers in `keep`
    (set per file by an input wrapper) stay in the keys, to be filled in per file."""
    roles: list[Role] = []
    aliases = aliases or {}
    for use in _USE.finditer(body):
        # an alias names a built-in as it was before the paper redefined it
        aliased = use.group(1) in aliases
        callee = aliases.get(use.group(1), use.group(1))
        groups = [g[1:-1] for g in re.findall(_GROUP, use.group(3))]
        opts = re.findall(r"\[([^\[\]]*)\]", use.group(2))
        if callee in known and not aliased:  # the paper's own definition, even of a built-in
            all_args = opts + groups
            for r in known[callee]:
                if r.arg == 0:
                    roles.append(r)
                    continue
                if r.kind == "heading":
                    # \sect{#1} over \usection{#1}{sec:#1}: the title is still a parameter
                    if r.arg - 1 < len(all_args):
                        g = all_args[r.arg - 1]
                        roles += [Role("heading", int(n), r.prefix, r.suffix) for n in _whole(g)]
                    continue
                if _PARAM.search(r.prefix + r.suffix):
                    # a key made of several arguments (\label{#1:#2}): fill them all in
                    roles.extend(_mapped_key(r, all_args))
                    continue
                # map the callee's argument r.arg onto the caller's parameters
                if r.arg - 1 < len(all_args):
                    g = all_args[r.arg - 1]
                    if r.kind in _KEYED and _literal(g) and "\\" not in r.prefix + r.suffix:
                        # keys written in the body (\inferH{rule-a} in a figure's macro): each
                        # use of this macro makes them, where TeX expands it
                        keys = g.split(",") if r.kind != "label" else [g]
                        for k in filter(None, (clean_key(k, keep) for k in keys)):
                            roles.append(Role(r.kind, 0, r.prefix + k + r.suffix))
                    for pm in _PARAM.finditer(g):
                        roles.append(
                            Role(
                                r.kind,
                                int(pm.group(1)),
                                g[: pm.start()] + r.prefix,
                                r.suffix + g[pm.end() :],
                            )
                        )
        elif (
            callee in REF_MACROS
            or callee in CITE_MACROS
            or callee in LABEL_MACROS
            or callee in GRAPHICS_MACROS
        ):
            kind = (
                "ref"
                if callee in REF_MACROS
                else "cite"
                if callee in CITE_MACROS
                else "label"
                if callee in LABEL_MACROS
                else "graphics"
            )
            # keys/paths are the first mandatory group (\crefrange has two); the groups
            # after it are not its arguments: \label{#1}{\bf #2}{\small #3} labels #1
            key_groups = groups[:2] if callee.endswith("range") else groups[:1]
            for g in key_groups:
                items = g.split(",") if kind in ("ref", "cite") else [g]
                for item in items:
                    item = clean_key(item, keep)
                    pm = _PARAM.search(item)
                    if pm:
                        roles.append(
                            Role(kind, int(pm.group(1)), item[: pm.start()], item[pm.end() :])
                        )
                    elif item and (kind in ("ref", "cite") or (kind == "label" and _literal(g))):
                        # a key the macro always cites, refers to or defines: a \label{fig:x}
                        # in a macro body is defined where the macro is used, not where it is
                        roles.append(Role(kind, 0, item))
        elif callee in TODO_MACROS:
            roles.append(Role("todo", 0))
        elif callee in HEADING_LEVELS and groups:
            # a heading wrapper (\usection[2]{\section*{#1}\label{#2}}) starts a section where
            # it is used, titled by the parameter that is its first group, the whole title
            star = "*" if body.startswith("*", use.start() + 1 + len(use.group(1))) else ""
            roles += [Role("heading", int(n), callee, star) for n in _whole(groups[0])]
        elif callee in ("caption", "captionof") and groups:
            # a caption wrapper (\longcaption[2]{\caption[#1]{#2}}) captions the float it
            # is used in; the caption text is the last group (\captionof{figure}{...})
            # (its optional argument, the list-of-figures entry, is caption text too)
            text = groups[1 if callee == "captionof" and len(groups) > 1 else 0]
            text = _LABEL_IN.sub(" ", text)  # \caption{\label{#1}#2}: #1 is a key, not text
            params = [int(m.group(1)) for m in _PARAM.finditer(text)]
            short = [int(m.group(1)) for g in opts for m in _PARAM.finditer(g)]
            roles += [Role("caption", n) for n in params] or [Role("caption", 0)]
            roles += [Role("caption-short", n) for n in short if n not in params]
    # \startappendices (a thesis class's \appendix\appendixpage): the appendices start where
    # it is used; \appendix takes no argument, so it is found apart from the calls above
    for call in _CALL.finditer(body):
        name = aliases.get(call.group(1), call.group(1))
        if (name == "appendix" and call.group(1) not in aliases) or any(
            r.kind == "appendix" for r in known.get(name, ())
        ):
            roles.append(Role("appendix", 0))
            break
    if re.search(r"(?<![A-Za-z])(TODO|FIXME|TBD)(?![A-Za-z])", body) and not any(
        r.kind == "todo" for r in roles
    ):
        roles.append(Role("todo", 0))
    guarded = _guarded_keys(body)
    if guarded:
        # \IfRefUndefinedExpandable{#1:proof}{}{\pageref{#1:proof}}: it refers only to a label
        # that exists, so it never prints '??' (a "proven on page" link that may have no proof)
        roles = [r for r in roles if r.kind != "ref" or _template(r) not in guarded]
    # the same \label{#3} in both branches of a conditional is one label, not two
    return list(dict.fromkeys(roles))


def _whole(group: str) -> list[str]:
    """The parameter a group is made of (`#1`, ` #1 `), or none: a title built around one
    (`Proof of #1`) is not the argument's own text."""
    m = re.fullmatch(r"\s*#(\d)\s*", group)
    return [m.group(1)] if m else []


# tests whether a label exists: refcount's \IfRefUndefined..., LaTeX's r@<label> command
_GUARD = re.compile(
    r"\\IfRefUndefined(?:Expandable|Babel)?\s*\{([^{}]*)\}"
    r"|\\@ifundefined\s*\{r@([^{}]*)\}"
    r"|\\ifcsname\s*r@(.*?)\\endcsname"
)


def _guarded_keys(body: str) -> set[str]:
    return {clean_key(next(g for g in m.groups() if g is not None)) for m in _GUARD.finditer(body)}


def _template(r: Role) -> str:
    return f"{r.prefix}#{r.arg}{r.suffix}" if r.arg else r.prefix


def _literal(key: str) -> bool:
    """A key TeX reads as written: \\label{fig:\\thefigure} is a new key at each use."""
    return bool(key.strip()) and "\\" not in key and "#" not in key


def fill_params(text: str, args: list[str]) -> str:
    """#1..#9 in a key replaced by the use's arguments (those it has; others stay)."""
    return _PARAM.sub(
        lambda m: args[int(m.group(1)) - 1].strip() if int(m.group(1)) <= len(args) else m.group(0),
        text,
    )


def _mapped_key(r: Role, args: list[str]) -> list[Role]:
    r"""A callee's key of several arguments (\genericlabel: \label{#1:#2}) as the caller
    (\examplelabel{#1}: \genericlabel{exa}{#1}) makes it: Role(label, 1, 'exa:')."""
    template = f"{r.prefix}#{r.arg}{r.suffix}"
    if any(int(k) > len(args) for k in _PARAM.findall(template)):
        return []
    filled = _PARAM.sub(lambda m: args[int(m.group(1)) - 1], template)
    pm = _PARAM.search(filled)
    if pm is None:
        return [Role(r.kind, 0, filled)] if r.kind in ("ref", "cite") else []
    return [Role(r.kind, int(pm.group(1)), filled[: pm.start()], filled[pm.end() :])]


_CONTROL = re.compile(r"\\[a-zA-Z@]+\s*")


def clean_key(text: str, keep: frozenset[str] = frozenset()) -> str:
    """A key as written, without conditionals such as `\\ifFull ... \\fi` around it
    (helpers in `keep` stay: their value is filled in per file)."""
    if keep:
        return _CONTROL.sub(
            lambda m: m.group(0).strip() if m.group(0)[1:].strip() in keep else "", text
        ).strip()
    return _CONTROL.sub("", text).strip()


def arg_spans(body: str, pos: int, argspec: str) -> list[tuple[int, int] | None]:
    """Spans (inside the delimiters) of the arguments a macro called at body[pos] takes.

    `argspec` as pylatexenc reads it: `[` an optional argument, `*` an optional star (no
    span), `{` a mandatory one."""
    spans: list[tuple[int, int] | None] = []
    for kind in argspec:
        if kind == "*":
            q = skip_blanks(body, pos)
            if body.startswith("*", q):
                pos = q + 1
            spans.append(None)
            continue
        if kind == "[":
            end = bracket_end(body, pos)
            if end is None:
                spans.append(None)
                continue
            start = body.index("[", pos)
            spans.append((start + 1, end - 1))
            pos = end
            continue
        q = skip_blanks(body, pos)
        grp = group_text(body, q)
        if grp is None:
            if q < len(body) and body[q] == "#" and q + 1 < len(body):
                spans.append((q, q + 2))  # \cut#1: an undelimited parameter as the argument
                pos = q + 2
                continue
            break
        spans.append((q + 1, grp[1] - 1))
        pos = grp[1]
    return spans


def discarded_args(m: UserMacro, table: dict[str, UserMacro]) -> frozenset[int]:
    """Arguments of m that are never typeset: no #k, or #k only inside discarded arguments."""
    if not m.nargs:
        return frozenset()
    body = m.body
    dead: list[tuple[int, int]] = []
    for call in _CALL.finditer(body):
        callee = table.get(call.group(1))
        if callee is None or callee is m or not callee.discards:
            continue
        for i, span in enumerate(arg_spans(body, call.end(), callee.argspec)):
            if span is not None and i + 1 in callee.discards:
                dead.append(span)
    if re.search(r"\\iffalse", body):
        for f in re.finditer(r"\\iffalse(.*?)\\fi(?![a-zA-Z@])", body, re.DOTALL):
            dead.append(f.span(1))
    out = set()
    for k in range(1, m.nargs + 1):
        uses = [u.start() for u in re.finditer(f"#{k}", body)]
        if all(any(a <= u < b for a, b in dead) for u in uses):
            out.add(k)
    return frozenset(out)
