"""Authorship in the source: what the venue template prints, the author block, the blanked body."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from papertrack.model.document import Document
from papertrack.project import includes as inc
from papertrack.project.braces import group_end, skip_blanks
from papertrack.project.loader import visible_text

if TYPE_CHECKING:
    from papertrack.venues import AnonymitySwitch

# --- what the venue template prints ---------------------------------------------------------


@dataclass(frozen=True)
class TemplateState:
    """A venue template the paper uses, and whether this build hides the author block."""

    name: str  # the package or class, as written
    anonymous: bool
    why: str  # the option or macro that decides it, for messages
    to_review: str  # how to get the anonymous build
    to_final: str  # how to get the build with names
    hidden_envs: tuple[str, ...] = ()  # environments the anonymous build drops
    title_macros: tuple[str, ...] = ("maketitle",)
    file: str = ""
    pos: int = 0


def _opts(options: Iterable[str]) -> set[str]:
    return {o.strip().lower() for item in options for o in item.split(",") if o.strip()}


def _uses(texts: dict[str, str], macro: str) -> bool:
    pat = re.compile(rf"\\{re.escape(macro)}(?![A-Za-z@])")
    return any(pat.search(t) for t in texts.values())


def _local_style(doc: Document, name: str) -> str:
    """The text of a style file shipped in the paper folder ('' when there is none)."""
    path = doc.folder / doc.project.workdir / f"{name}.sty"  # TeX runs in the root's folder
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def switch_state(
    sw: AnonymitySwitch,
    name: str,
    opts: set[str],
    uses: Callable[[str], bool],
    local_style: Callable[[], str],
    kind: str = "option",
) -> TemplateState:
    """What a template's switch (from its venue profile's [anonymity] table) makes of this build."""
    st = TemplateState(
        name, False, "", "", "", hidden_envs=sw.hidden_environments, title_macros=sw.title_macros
    )
    named = sorted(opts.intersection(sw.named_options))
    anon = sorted(opts.intersection(sw.anonymous_options))
    if anon and not named:
        final = f"use the [{sw.named_options[0]}] {kind}" if sw.named_options else ""
        return replace(
            st,
            anonymous=True,
            why=f"[{anon[0]}]",
            to_final=final or f"remove the [{anon[0]}] {kind}",
        )
    macro = sw.legacy_macro.replace("{package}", name.lower())
    if macro and (macro in local_style() or uses(macro)):
        # older kits switch with a macro and are anonymous without it
        final = uses(macro)
        why = f"\\{macro}" if final else f"no \\{macro}"
        return replace(
            st,
            anonymous=not final,
            why=why,
            to_review=f"remove \\{macro}",
            to_final=f"add \\{macro}",
        )
    for m in sw.named_macros:
        st = replace(st, to_review=f"remove \\{m}", to_final=f"add \\{m} to the preamble")
        if uses(m):
            return replace(st, why=f"\\{m}")
    if named:
        shown = ", ".join(f"[{o}]" for o in named)
        undo = (
            f"remove the {shown} {kind}"
            if len(named) == 1
            else "remove " + " and ".join(f"[{o}]" for o in named)
        )
        return replace(st, why=shown, to_review=undo)
    if sw.named_macros:
        return replace(st, anonymous=True, why=f"no \\{sw.named_macros[0]}")
    if sw.default_anonymous:
        wanted = " or ".join(f"[{o}]" for o in sw.named_options[:2])
        return replace(
            st,
            anonymous=True,
            why=f"no {wanted} {kind}",
            to_final=f"add the [{sw.named_options[0]}] {kind}",
        )
    first = sw.anonymous_options[0] if sw.anonymous_options else "review"
    return replace(
        st,
        why=f"no [{first}] {kind}",
        to_review=f"add the [{first}] {kind}",
        to_final=f"remove the [{first}] {kind}",
    )


def template_state(
    doc: Document, switches: Sequence[AnonymitySwitch], texts: dict[str, str] | None = None
) -> TemplateState | None:
    """The venue template the preamble loads and what it prints; None for plain classes."""
    if texts is None:
        texts = {r: visible_text(doc.project, r) for r in doc.project.order}

    def uses(macro: str) -> bool:
        return _uses(texts, macro)

    for rel in doc.project.order:
        for pos, names, options in inc.package_loads(texts[rel]):
            for name in names:
                sw = next((s for s in switches if any(p.fullmatch(name) for p in s.packages)), None)
                if sw is not None:
                    st = switch_state(
                        sw, name, _opts(options), uses, lambda n=name: _local_style(doc, n)
                    )
                    return replace(st, file=rel, pos=pos)
    dc = inc.document_class_at(texts.get(doc.main, ""))
    if dc:
        cls, options, pos = dc
        sw = next((s for s in switches if any(p.fullmatch(cls) for p in s.classes)), None)
        if sw is not None:
            st = switch_state(sw, cls, _opts(options), uses, lambda: "", "class option")
            return replace(st, file=doc.main, pos=pos)
    return None


# --- the author block and the body ----------------------------------------------------------

# author-block commands and how many mandatory arguments they take
AUTHOR_COMMANDS = {
    "author": 1,
    "affiliation": 1,
    "affil": 1,
    "email": 1,
    "institute": 1,
    "institution": 1,
    "address": 1,
    "affiliations": 1,
    "authornote": 1,
    "orcid": 1,
    "IEEEauthorblockN": 1,
    "IEEEauthorblockA": 1,
    "icmlauthor": 2,
    "icmlaffiliation": 2,
    "icmlcorrespondingauthor": 2,
}
_AUTHOR_CMD = re.compile(
    r"\\(" + "|".join(sorted(AUTHOR_COMMANDS, key=len, reverse=True)) + r")(?![A-Za-z@])"
)
_DEFINING = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*\{?\s*$|\\(?:[gex]?def|let)\s*$"
)


@dataclass
class Span:
    """One author-block command in a file: its offsets and its name."""

    file: str
    start: int
    end: int
    command: str = ""


@dataclass
class Scan:
    """What the PT6 rules read: visible text, author-block spans, the body with those blanked."""

    texts: dict[str, str]
    template: TemplateState | None
    author_spans: list[Span] = field(default_factory=list)
    # body text, with the preamble, the author block and the parts the template hides blanked
    body: dict[str, str] = field(default_factory=dict)


def _command_args(text: str, pos: int, n: int) -> tuple[list[tuple[int, int]], int] | None:
    """The n brace arguments after a command (a star and [..] options skipped), and the end."""
    p = pos
    if p < len(text) and text[p] == "*":
        p += 1
    args: list[tuple[int, int]] = []
    while len(args) < n:
        p = skip_blanks(text, p)
        if p < len(text) and text[p] == "[" and not args:
            end = group_end(text, p, open_="[", close="]")
            if end is None:
                return None
            p = end
            continue
        end = group_end(text, p)
        if end is None:
            return None
        args.append((p + 1, end - 1))
        p = end
    return args, p


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _env_spans(text: str, envs: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for env in envs:
        for m in re.finditer(rf"\\begin\s*\{{{re.escape(env)}\}}", text):
            e = re.compile(rf"\\end\s*\{{{re.escape(env)}\}}").search(text, m.end())
            out.append((m.start(), e.end() if e else len(text)))
    return out


def _body_start(doc: Document, texts: dict[str, str]) -> dict[str, int]:
    """Where LaTeX starts typesetting in each file; files read only in the preamble are left out."""
    main = doc.main
    rng = inc.body_range(texts[main])
    begin = rng[0] if rng else 0
    preamble: set[str] = set()
    todo = [i.target for i in doc.project.includes.get(main, []) if i.target and i.pos < begin]
    while todo:
        rel = todo.pop()
        if rel in preamble or rel == main:
            continue
        preamble.add(rel)
        todo += [i.target for i in doc.project.includes.get(rel, []) if i.target]
    starts = {main: begin}
    for rel in doc.project.order:
        if rel != main and rel not in preamble and rel in texts:
            starts[rel] = 0
    return starts


def scan(doc: Document, switches: Callable[[], Sequence[AnonymitySwitch]]) -> Scan:
    """Read the author block and the body once per document (kept on the document);
    `switches` gives the venue templates' [anonymity] tables, asked for on the first read."""
    memo = doc.__dict__.get("_authorship")
    if memo is not None:
        return memo
    texts = {r: visible_text(doc.project, r) for r in doc.project.order}
    st = template_state(doc, switches(), texts)
    sc = Scan(texts, st)
    blanked: dict[str, list[tuple[int, int]]] = {}
    for rel, text in texts.items():
        covered_until = -1
        for m in _AUTHOR_CMD.finditer(text):
            if m.start() < covered_until or _DEFINING.search(
                text[max(0, m.start() - 40) : m.start()]
            ):
                continue
            got = _command_args(text, m.end(), AUTHOR_COMMANDS[m.group(1)])
            if got is None:
                continue
            _args, end = got
            sc.author_spans.append(Span(rel, m.start(), end, m.group(1)))
            blanked.setdefault(rel, []).append((m.start(), end))
            covered_until = end
    hidden = st.hidden_envs if st and st.anonymous else ()
    for rel, start in _body_start(doc, texts).items():
        text = texts[rel]
        spans = [(0, start), *blanked.get(rel, []), *_env_spans(text, hidden)]
        sc.body[rel] = _blank(text, spans)
    doc.__dict__["_authorship"] = sc
    return sc
