"""PT6xx: what gives the authors away in a double-blind submission (review mode only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.project import includes as inc
from papertrack.project.loader import visible_text
from papertrack.rules.base import Hit, rule

# --- when the rules apply -------------------------------------------------------------------


def in_review(doc: Document) -> bool:
    """A double-blind venue in a review mode: the only time authors must not show."""
    v = doc.venue
    return bool(v and getattr(v.profile, "double_blind", None) is True and "review" in v.mode)


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


_ACL = re.compile(
    r"^(acl|acl\d{4}|acl_natbib|emnlp\d{4}|naacl\d{4}|naaclhlt\d{4}|eacl\d{4}|aacl\d{4})$", re.I
)
_NEURIPS_NAMED = ("final", "preprint", "nonanonymous", "sglblindworkshop", "creativeai")


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


def _package(
    name: str, opts: set[str], doc: Document, texts: dict[str, str]
) -> TemplateState | None:
    """Each template's own switch, as read from its style file (see the rule docs)."""
    low = name.lower()
    shown = ", ".join(f"[{o}]" for o in sorted(opts)) or "no option"
    if re.fullmatch(r"neurips_\d{4}", low):
        named = sorted(opts.intersection(_NEURIPS_NAMED))
        return TemplateState(
            name,
            not named,
            ", ".join(f"[{o}]" for o in named) or "no [final] or [preprint] option",
            "remove " + " and ".join(f"[{o}]" for o in named) if named else "",
            "add the [final] option",
            hidden_envs=("ack",),
        )
    if re.fullmatch(r"icml\d{4}", low):
        accepted = "accepted" in opts
        return TemplateState(
            name,
            not accepted,
            "[accepted]" if accepted else "no [accepted] option",
            "remove the [accepted] option",
            "add the [accepted] option",
            title_macros=("maketitle", "icmltitle", "icmlauthorlist"),
        )
    if re.fullmatch(r"iclr\d{4}_conference", low):
        final = _uses(texts, "iclrfinalcopy")
        return TemplateState(
            name,
            not final,
            "\\iclrfinalcopy" if final else "no \\iclrfinalcopy",
            "remove \\iclrfinalcopy",
            "add \\iclrfinalcopy to the preamble",
        )
    if _ACL.fullmatch(low):
        if "review" in opts:
            return TemplateState(name, True, "[review]", "", "remove the [review] option")
        if "aclfinalcopy" in _local_style(doc, name) or _uses(texts, "aclfinalcopy"):
            # styles before 2021 switch with \aclfinalcopy, and are anonymous without it
            final = _uses(texts, "aclfinalcopy")
            why = "\\aclfinalcopy" if final else "no \\aclfinalcopy"
            return TemplateState(
                name, not final, why, "remove \\aclfinalcopy", "add \\aclfinalcopy"
            )
        return TemplateState(
            name, False, shown if opts else "no [review] option", "add the [review] option", ""
        )
    if low in ("cvpr", "iccv", "wacv"):
        macro = f"{low}finalcopy"
        if macro in _local_style(doc, name) or _uses(texts, macro):
            # kits before 2023 switch with \cvprfinalcopy and are anonymous without it
            final = _uses(texts, macro)
            why = f"\\{macro}" if final else f"no \\{macro}"
            return TemplateState(name, not final, why, f"remove \\{macro}", f"add \\{macro}")
        anon = sorted(opts.intersection(("review", "rebuttal")))
        if anon and "final" not in opts:
            return TemplateState(name, True, f"[{anon[0]}]", "", "use the [final] option")
        return TemplateState(name, False, shown, "add the [review] option", "")
    if re.fullmatch(r"aaai\d{2}", low):
        sub = "submission" in opts
        return TemplateState(
            name,
            sub,
            "[submission]" if sub else "no [submission] option",
            "add the [submission] option",
            "remove the [submission] option",
        )
    return None


def _class_state(cls: str, opts: set[str]) -> TemplateState | None:
    if cls.strip().lower() == "acmart":
        anon = "anonymous" in opts or "anonymous=true" in opts
        return TemplateState(
            cls,
            anon,
            "[anonymous]" if anon else "no [anonymous] class option",
            "add the [anonymous] class option",
            "remove the [anonymous] class option",
            hidden_envs=("acks", "anonsuppress") if anon else (),
        )
    return None


def template_state(doc: Document, texts: dict[str, str] | None = None) -> TemplateState | None:
    """The venue template the preamble loads and what it prints; None for plain classes."""
    texts = (
        texts if texts is not None else {r: visible_text(doc.project, r) for r in doc.project.order}
    )
    for rel in doc.project.order:
        for m in _USEPACKAGE.finditer(texts[rel]):
            for name in m.group("names").split(","):
                st = _package(name.strip(), _opts([m.group("opts") or ""]), doc, texts)
                if st is not None:
                    return _at(st, rel, m.start())
    dc = inc.document_class(texts.get(doc.main, ""))
    if dc:
        st = _class_state(dc[0], _opts(dc[1]))
        if st is not None:
            m = _DOCCLASS.search(texts[doc.main])
            return _at(st, doc.main, m.start() if m else 0)
    return None


def _at(st: TemplateState, file: str, pos: int) -> TemplateState:
    return TemplateState(**{**st.__dict__, "file": file, "pos": pos})


_USEPACKAGE = re.compile(
    r"\\(?:usepackage|RequirePackage)\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<names>[^}]*)\}"
)
_DOCCLASS = re.compile(r"\\documentclass\b")

# --- reading the source ---------------------------------------------------------------------

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
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:\s*\\?\})?@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_BENIGN_EMAIL = re.compile(
    r"anonym|example\.(com|org|net)|@(?:domain|email|mail|institution|university|company)\.|"
    r"^git@|noreply|"
    r"@(?:[\w-]+\.)*(aaai\.org|neurips\.cc|nips\.cc|icml\.cc|iclr\.cc|aclweb\.org|aclrollingreview\.org|"
    r"thecvf\.com|openreview\.net|acm\.org|ieee\.org|springer\.com|arxiv\.org)$",
    re.I,
)
_PLACEHOLDER_WORDS = frozenset(
    """
    author authors name names firstname lastname first second third fourth last middle
    affiliation affiliations address addresses email emails mail institution institutions
    institute department university company organization organisation city country street
    postcode zip state paper id submission number under review double blind blinded withheld
    for and of the a an et al tba tbd your here line place
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@dataclass
class Span:
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
    body: dict[str, str] = field(
        default_factory=dict
    )  # body text, author block and hidden parts blanked


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _group_end(text: str, pos: int, open_: str = "{", close: str = "}") -> int | None:
    """Offset just after the group that opens at text[pos]; None when it is not closed."""
    if pos >= len(text) or text[pos] != open_:
        return None
    depth = 0
    i = pos
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _command_args(text: str, pos: int, n: int) -> tuple[list[tuple[int, int]], int] | None:
    """The n brace arguments after a command (a star and [..] options skipped), and the end."""
    p = pos
    if p < len(text) and text[p] == "*":
        p += 1
    args: list[tuple[int, int]] = []
    while len(args) < n:
        p = _skip_ws(text, p)
        if p < len(text) and text[p] == "[" and not args:
            end = _group_end(text, p, "[", "]")
            if end is None:
                return None
            p = end
            continue
        end = _group_end(text, p)
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


_LAST: list[tuple[Document, Scan]] = []


def scan(doc: Document) -> Scan:
    """Read the author block and the body once per document."""
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    texts = {r: visible_text(doc.project, r) for r in doc.project.order}
    st = template_state(doc, texts)
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
    _LAST[:] = [(doc, sc)]
    return sc


def _loc(doc: Document, rel: str, pos: int) -> Location:
    line, col = doc.project.files[rel].line_col(pos)
    return Location(rel, line, col)


def plain_text(tex: str) -> str:
    """LaTeX to rough plain text: commands, math, braces and line breaks removed."""
    t = re.sub(r"\$[^$]*\$", " ", tex)
    t = re.sub(r"\\orcid(?:ID|link)?\s*\{[^{}]*\}", " ", t)
    t = re.sub(
        r"\\(?:textsuperscript|IEEEauthorrefmark|footnotemark|thanks|inst|and|And|AND)\b", " ", t
    )
    t = re.sub(r"\\[A-Za-z@]+\*?|\\.", " ", t)
    t = re.sub(r"[{}\[\]~&^_$]", " ", t)
    t = re.sub(r"(?<![\w.])[\d-]+(?![\w.])", " ", t)
    return " ".join(t.replace(",", ", ").split()).replace(" ,", ",").strip(" ,;")


def is_placeholder(plain: str) -> bool:
    """'Anonymous Author(s)', 'Author Name / Affiliation / email' and empty blocks name nobody."""
    words = re.findall(r"[^\W\d_]+", plain.lower())
    if not words or any("anonym" in w for w in words):
        return True
    return all(w in _PLACEHOLDER_WORDS for w in words)


def emails(text: str) -> list[re.Match[str]]:
    return [m for m in _EMAIL.finditer(text) if not _BENIGN_EMAIL.search(m.group())]


# --- PT601 ----------------------------------------------------------------------------------


@rule(
    "PT601",
    "author-block-shown",
    "error",
    "The review version prints author names, e-mails or affiliations",
)
def author_block_shown(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports names, e-mail addresses
    and affiliations in the author block (\\author, \\affiliation, \\email, \\institute, \\affil,
    \\IEEEauthorblockN/A, \\icmlauthor, AAAI's \\affiliations, acmart's \\author/\\affiliation/
    \\email) when this build actually prints them. Venue templates hide the author block
    themselves in their review build, and then nothing is reported: NeurIPS without [final] or
    [preprint], ICML without [accepted], ICLR without \\iclrfinalcopy, ACL with [review], CVPR
    and ICCV with [review] (or without \\cvprfinalcopy in older kits), AAAI with [submission],
    acmart with [anonymous]. With any other class the block is printed by \\maketitle, so it
    must read "Anonymous" (or be left empty). Blocks that only hold placeholders ("Anonymous
    Author(s)", "Author Name, Affiliation, email") are fine.

    Why it matters: a named submission to a double-blind venue is desk-rejected, often
    without review.

    Example: `\\usepackage[preprint]{neurips_2025}` (the arXiv layout, which prints the
    authors) with `\\author{Jane Doe \\\\ MIT}` in a NeurIPS submission.

    Fix: build the anonymous version of the template (remove [final]/[preprint], add [review]
    or [submission], drop \\iclrfinalcopy), or write "Anonymous" in place of the names.
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    st = sc.template
    if st is not None and st.anonymous:
        return
    titles = st.title_macros if st else ("maketitle",)
    body_texts = [sc.body[r] for r in sc.body]
    if not any(re.search(rf"\\{t}(?![A-Za-z@])", b) for t in titles for b in body_texts):
        return  # no title is typeset, so no author block either
    found: list[tuple[Span, str]] = []
    for sp in sc.author_spans:
        raw = sc.texts[sp.file][sp.start : sp.end]
        inner = raw[len(sp.command) + 1 :]
        mails = [m.group() for m in emails(inner)]
        plain = plain_text(inner)
        if mails or not is_placeholder(plain):
            found.append((sp, mails[0] if mails and is_placeholder(plain) else plain))
    if not found:
        return
    first = found[0][0]
    shown = "; ".join(f"'{_short(w)}'" for _, w in found[:3]) + (
        f" and {len(found) - 3} more" if len(found) > 3 else ""
    )
    if st is not None:
        why = f"{st.name} prints the author block with {st.why}"
        fix = (
            f"{st.to_review} for the anonymous review version"
            if st.to_review
            else "use the template's review option"
        )
    else:
        why = "\\maketitle prints it (no venue template hides it here)"
        fix = "write 'Anonymous' in place of names, affiliations and e-mails for the review version"
    related = tuple(_loc(doc, sp.file, sp.start) for sp, _ in found[1:])
    yield Hit(
        f"the author block names {shown}: {why}",
        _loc(doc, first.file, first.start),
        fix,
        related=related,
    )


def _short(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- PT602 ----------------------------------------------------------------------------------


@rule(
    "PT602",
    "email-in-text",
    "warning",
    "An e-mail address in the text of a double-blind submission",
)
def email_in_text(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports e-mail addresses in the
    body of the paper (footnotes, text, tables), outside the author block, which PT601 checks.
    Text in the body is always printed, whatever the template. Addresses at example.com, at
    the venue's own domains and ones with "anonymous" in them are not reported.

    Why it matters: a contact address names a person or at least an institution.

    Example: `Questions about the data: \\texttt{jdoe@cs.uni-x.edu}.`

    Fix: remove the address from the review version; add it back for the camera-ready.
    """
    if not in_review(doc):
        return
    for rel, text in scan(doc).body.items():
        for m in emails(text):
            yield Hit(
                f"e-mail address '{m.group()}' in the text identifies the authors",
                _loc(doc, rel, m.start()),
            )


# --- PT603 ----------------------------------------------------------------------------------

_ACK_ENVS = (
    "ack",
    "acks",
    "acknowledgments",
    "acknowledgements",
    "acknowledgment",
    "acknowledgement",
)


@rule(
    "PT603",
    "acknowledgments-in-review",
    "error",
    "An acknowledgments section in the review version",
)
def acknowledgments_in_review(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports an Acknowledgments
    section (any heading that reads "Acknowledgments ...", and headings the venue forbids in
    review, such as ACL's) and acknowledgment environments (`ack`, `acks`,
    `acknowledgments`). NeurIPS's `ack` environment and acmart's `acks` are left alone when
    the template hides them in its anonymous build. An empty acknowledgments heading is only
    reported when the venue forbids it.

    Why it matters: thanks to colleagues, advisors and grant numbers identify the authors;
    ACL, ICML and others require the review version to have none.

    Example: `\\section*{Acknowledgments} We thank our lab at ...` with `\\usepackage[review]{acl}`.

    Fix: remove the section (or comment it out) until the camera-ready version; with NeurIPS,
    put it in `\\begin{ack}...\\end{ack}`, which the submission build hides.
    """
    if not in_review(doc):
        return
    from papertrack import venues

    sc = scan(doc)
    forbidden = {
        venues.normalize_heading(h)
        for h in venues.requirements(doc.venue.profile, doc.venue.mode).forbidden_headings
    }
    venue = doc.venue.profile.name
    fix = "remove it until the camera-ready version"
    if sc.template and sc.template.hidden_envs and sc.template.anonymous:
        env, name = sc.template.hidden_envs[0], sc.template.name
        fix = f"put it in \\begin{{{env}}}, which {name}'s review build hides"
    for s in doc.sections:
        name = venues.normalize_heading(s.title)
        if not (name in forbidden or name.startswith("acknowledgments")):
            continue
        h = s.heading
        text = sc.body.get(h.file, "")
        pos = h.pos if 0 <= h.pos < len(text) else 0
        if not text or not text[pos : pos + 1].strip():
            continue  # hidden by the template, or not in the body
        if name in forbidden:
            yield Hit(
                f"'{s.title}' section in the review version ({venue} forbids it there)",
                Location(h.file, h.line, h.col),
                fix,
            )
        elif s.total_words > 0:
            yield Hit(
                f"'{s.title}' section in the review version: acknowledgments identify the authors",
                Location(h.file, h.line, h.col),
                fix,
            )
    for rel, text in sc.body.items():
        for m in re.finditer(r"\\begin\s*\{(" + "|".join(_ACK_ENVS) + r")\}", text):
            e = re.compile(rf"\\end\s*\{{{m.group(1)}\}}").search(text, m.end())
            if plain_text(text[m.end() : e.start() if e else len(text)]):
                yield Hit(
                    f"acknowledgments ({m.group(1)} environment) in the review version",
                    _loc(doc, rel, m.start()),
                    fix,
                )


# --- PT604 ----------------------------------------------------------------------------------

_URL_CMD = re.compile(r"\\(url|href)\s*\{")
_BARE_URL = re.compile(
    r"(?:https?://|www\.)[^\s{}\\]+|(?<![\w./-])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|"
    r"codeberg\.org|sites\.google\.com)/[^\s{}\\]+"
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
_NOT_A_USER = frozenset(
    ["orgs", "topics", "features", "marketplace", "about", "site", "datasets", "spaces"]
)
_EXEMPT_URL = re.compile(
    r"anonymous|4open\.science|openreview\.net|doi\.org|arxiv\.org|aclanthology\.org|"
    r"(?:^|//|\.)(?:neurips|nips|icml|iclr)\.cc|aclweb\.org|thecvf\.com|aaai\.org",
    re.I,
)
_OWN_NOUN = re.compile(
    r"\bour\s+(?:(?:full|source|complete|open[- ]source|anonymi[sz]ed|accompanying|project|public|"
    r"trained|pre-?trained|new|own|experimental|evaluation|benchmark)\s+)?"
    r"(?:code|source|implementation|codebase|repositor(?:y|ies)|project|page|website|homepage|data|"
    r"datasets?|models?|benchmark|tool|toolkit|library|framework|demo|weights|checkpoints|artifacts?|"
    r"package|software|videos?|supplement\w*|appendix)\b",
    re.I,
)
_THIS_PAPER = re.compile(
    r"\b(?:for|of|accompanying|behind)\s+this\s+(?:paper|work|article|submission)\b", re.I
)
_OWN_VERB = re.compile(
    r"\bwe\s+(?:will\s+|have\s+|also\s+)?"
    r"(?:release|released|open[- ]source[d]?|publish(?:ed)?|host|share)\b",
    re.I,
)
# "Code: <link>" or "The code is available at <link>" opening a sentence or footnote
_LABEL_START = re.compile(
    r"(?:^|[:;(]\s*|\\footnote\s*\{\s*)(?:the\s+)?(?:(?:source|full|complete|accompanying|prototype|poc|"
    r"proof[- ]of[- ]concept)\s+)?(?:code|implementation|codebase|"
    r"project\s+page|project\s+website|repository|demo)(?:\s+and\s+(?:the\s+)?\w+)?\s*"
    r"(?::|(?:is|are|will\s+be|can\s+be|has\s+been|have\s+been)\s+(?:publicly\s+|freely\s+|openly\s+|made\s+)*"
    r"(?:available|released|found|accessible|online|hosted))(?:\s+(?:at|from|on|via|under|here|in))?\s*:?\s*$",
    re.I,
)


def link_kind(url: str) -> str | None:
    """What makes a link personal: a user's code repository or a personal page; None if neither."""
    u = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().rstrip(".,;)"), flags=re.I)
    if _EXEMPT_URL.search(url):
        return None
    host, _, path = u.partition("/")
    host = host.lower()
    segs = [s for s in path.split("/") if s]
    if (
        host == "huggingface.co"
        and len(segs) > 1
        and segs[0].lower() in ("datasets", "spaces", "models")
    ):
        segs = segs[1:]  # huggingface.co/datasets/<user>/<name>
    if host in _CODE_HOSTS and segs and segs[0].lower() not in _NOT_A_USER:
        return f"{host} repository of '{segs[0]}'"
    if host.endswith(".github.io") or host.endswith(".gitlab.io"):
        return f"personal page {host}"
    if any(s.startswith("~") for s in segs):
        return "personal page " + next(s for s in segs if s.startswith("~"))
    if host == "sites.google.com":
        return "personal page on sites.google.com"
    return "project or lab page"


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding text[pos]: after a paragraph break or a sentence end."""
    lo = max(0, pos - 400)
    par = text.rfind("\n\n", lo, pos)
    if par >= 0:
        lo = par + 2
    ends = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z\\])", text[lo:pos])]
    return lo + ends[-1] if ends else lo


def _sentence(text: str, a: int, b: int) -> str:
    """The sentence around text[a:b], stopping at paragraph breaks and sentence ends."""
    hi = len(text)
    par = text.find("\n\n", b)
    if par >= 0:
        hi = par
    m = re.search(r"[.!?](?=\s|$)", text[b:hi])
    if m:
        hi = b + m.end()
    return text[_sentence_start(text, a) : hi]


def _urls(text: str, original: str) -> Iterator[tuple[int, str]]:
    seen: list[tuple[int, int]] = []
    for m in _URL_CMD.finditer(text):
        end = _group_end(original, m.end() - 1)
        if end is None:
            continue
        seen.append((m.start(), end))
        yield m.start(), original[m.end() : end - 1].strip()
    for m in _BARE_URL.finditer(text):
        if not any(a <= m.start() < b for a, b in seen):
            yield m.start(), m.group()


@rule("PT604", "self-identifying-link", "error", "A link to the authors' own repository or page")
def self_identifying_link(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports links (\\url, \\href or
    plain URLs in the body) to a user's code repository (github.com/<user>, gitlab,
    bitbucket, Hugging Face), a personal page (`~user` paths, `*.github.io`, Google Sites) or a
    project page, when the sentence says it is the authors' own: "our code", "we release",
    "Code: \\url{...}", "The code is available at ...". Links to other people's work ("we use
    the implementation at github.com/huggingface/transformers") are not reported, nor are
    anonymized links (anonymous.4open.science, links with "anonymous" in them), OpenReview,
    DOIs and arXiv.

    Why it matters: the user or lab name in the link, or the page behind it, names the authors.

    Example: `Our code is at \\url{https://github.com/jdoe/fastsort}.`

    Fix: link an anonymized copy (for example anonymous.4open.science) or the supplementary
    material, and put the real link back in the camera-ready version.
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    for rel, text in sc.body.items():
        original = doc.project.files[rel].text
        for pos, url in _urls(text, original):
            kind = link_kind(url)
            if kind is None:
                continue
            sent = _sentence(text, pos, pos + len(url))
            before = text[_sentence_start(text, pos) : pos]
            own = (
                _OWN_NOUN.search(sent)
                or _OWN_VERB.search(sent)
                or _THIS_PAPER.search(sent)
                or _LABEL_START.search(before)
            )
            if own:
                yield Hit(
                    f"link to {_short(url, 70)} ({kind}) next to "
                    f"'{_short(own.group().strip(' .:;({'), 30)}' identifies the authors",
                    _loc(doc, rel, pos),
                    "link an anonymized copy (e.g. anonymous.4open.science) for the review version",
                )


# --- PT605 ----------------------------------------------------------------------------------

_CITE = re.compile(
    r"\\(?:[A-Za-z]*cite[a-zA-Z]*|citep|citet|citealp|autocite|parencite|textcite)\*?(?:\s*\[[^\]]*\]){0,2}\s*\{[^}]*\}"
)
_PAST = (
    r"(?:showed|shown|proposed|introduced|presented|demonstrated|developed|studied|reported|"
    r"described|found|established|proved|proven|argued|analy[sz]ed)"
)
_ALWAYS = re.compile(
    r"\bour\s+(?:own\s+)?(?:previous|prior|earlier|past|former|preliminary)\s+"
    r"(?:work|works|paper|papers|publication|publications|study|studies|conference\s+paper|workshop\s+paper|version)\b"
    r"|\b(?:extended|extends|extend|extending)\s+(?:version\s+of\s+)?our\s+(?:\w+\s+){0,2}?(?:paper|work|publication|version)\b",
    re.I,
)
_WITH_CITE = re.compile(
    r"\bour\s+(?:previous|prior|earlier|past|former|preliminary)\s+(?:results?|approach|method|system|model|analysis|framework|algorithm)\b"
    rf"|\bwe\s+(?:have\s+)?(?:previously|earlier|recently|already|formerly)\s+{_PAST}\b"
    rf"|\bas\s+we\s+(?:have\s+)?{_PAST}\s+(?:previously\s+|before\s+|earlier\s+)?in\b",
    re.I,
)
_IN_CITE_WE = re.compile(
    rf"\bin\s+\[CITE\]\s*,?\s*we\s+(?:have\s+)?(?:previously\s+|first\s+)?{_PAST}\b", re.I
)


def _cite_marked(text: str) -> str:
    """Citations replaced by '[CITE]' padded to the same length (offsets stay), '~' by spaces."""
    out = _CITE.sub(lambda m: "[CITE]".ljust(len(m.group())), text)
    return out.replace("~", " ")


def _cites_only_anonymous(doc: Document, body: str, m: re.Match[str]) -> bool:
    """The sentence cites only entries whose author is 'Anonymous', as venues allow for own work."""
    a = _sentence_start(body, m.start())
    sentence = body[a : a + len(_sentence(body, m.start(), m.end()))]
    keys = [
        k.strip()
        for c in _CITE.finditer(sentence)
        for k in c.group().rsplit("{", 1)[1][:-1].split(",")
    ]
    keys = [k for k in keys if k]
    if not keys:
        return False
    bib = doc.bib_index()
    return all(
        any("anonym" in e.fields.get("author", "").lower() for e in bib.get(k.lower(), []))
        for k in keys
    )


@rule(
    "PT605",
    "self-citation-phrasing",
    "warning",
    "Phrasing such as 'our previous work [12]' reveals the authors",
)
def self_citation_phrasing(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports sentences that claim
    cited work as the authors' own: "our previous work", "in our earlier paper", "this paper
    extends our ICML paper", and, when the sentence cites something, "our prior method
    \\cite{x}", "we previously showed \\cite{x}", "in \\cite{x}, we proposed", "as we showed in
    \\cite{x}".

    Why it matters: the reviewer only has to look up the citation to know who wrote the paper.
    Double-blind venues ask authors to cite their own work in the third person.

    Example: `In our previous work \\cite{doe2023}, we proposed a faster sort.`

    Fix: write about your own work in the third person: "Doe et al. \\cite{doe2023} proposed a
    faster sort."
    """
    if not in_review(doc):
        return
    for rel, body in scan(doc).body.items():
        text = _cite_marked(body)
        hits: list[re.Match[str]] = list(_ALWAYS.finditer(text)) + list(_IN_CITE_WE.finditer(text))
        for m in _WITH_CITE.finditer(text):
            if "[CITE]" in _sentence(text, m.start(), m.end()):
                hits.append(m)
        done: set[int] = set()
        for m in sorted(hits, key=lambda x: x.start()):
            if "\n\n" in m.group() or any(abs(m.start() - d) < 40 for d in done):
                continue
            if _cites_only_anonymous(doc, body, m):
                continue
            done.add(m.start())
            phrase = " ".join(m.group().split())
            yield Hit(
                f"'{phrase}' tells reviewers the cited work is the authors' own",
                _loc(doc, rel, m.start()),
                "refer to your earlier work in the third person ('Doe et al. [12] showed ...')",
            )


# --- PT606 ----------------------------------------------------------------------------------

_HYPER_AUTHOR = re.compile(r"pdfauthor\s*=\s*")
_PDFINFO_AUTHOR = re.compile(r"/Author\s*\(")
_HOME_PATH = re.compile(r"(?:/home/|/Users/|[A-Za-z]:\\\\?Users\\\\?)([^/\\\s]+)")


def _author_value(text: str, pos: int, closer: str = "") -> str:
    """The value after `pdfauthor=` (a {group} or up to , or ]) or after `/Author (`."""
    if closer:
        end = text.find(closer, pos)
        return text[pos : end if end >= 0 else pos + 200]
    if pos < len(text) and text[pos] == "{":
        end = _group_end(text, pos)
        return text[pos + 1 : (end - 1) if end else pos + 200]
    m = re.match(r"[^,\]}\n]*", text[pos:])
    return m.group() if m else ""


def pdf_metadata_findings(pdf_path: Path) -> list[Hit]:
    """What a PDF's metadata says about its authors: Author (document info and XMP) and
    Creator/Producer values that carry an e-mail address or a home-folder user name."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf_path))
        info = reader.metadata or {}
    except Exception:  # a damaged PDF is the page count's finding, not an anonymity one
        return []
    hits: list[Hit] = []
    author = str(info.get("/Author") or "").strip()
    if author and not is_placeholder(author):
        hits.append(
            Hit(
                f"{pdf_path.name}: the PDF metadata names the author '{_short(author)}'",
                fix=_PDF_FIX,
            )
        )
    try:
        xmp = reader.xmp_metadata
        creators = list(xmp.dc_creator or []) if xmp is not None else []
    except Exception:
        creators = []
    for c in creators:
        c = str(c).strip()
        if c and not is_placeholder(c) and c != author:
            hits.append(
                Hit(
                    f"{pdf_path.name}: the PDF's XMP metadata names the creator '{_short(c)}'",
                    fix=_PDF_FIX,
                )
            )
    for key in ("/Creator", "/Producer"):
        value = str(info.get(key) or "")
        mail = emails(value)
        home = _HOME_PATH.search(value)
        if mail or home:
            who = mail[0].group() if mail else f"user '{home.group(1)}'"
            hits.append(
                Hit(f"{pdf_path.name}: the PDF's {key[1:]} field gives away {who}", fix=_PDF_FIX)
            )
    return hits


_PDF_FIX = (
    "clear the metadata (\\hypersetup{pdfauthor={}}, or exiftool -Author= -Creator= paper.pdf) "
    "before submitting"
)


@rule("PT606", "pdf-metadata-author", "error", "The PDF's metadata names the authors")
def pdf_metadata_author(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: in the review mode of a double-blind venue, reports author names the source
    writes into the PDF's metadata (`\\hypersetup{pdfauthor=...}`, `pdfauthor=` options of
    hyperref, `\\pdfinfo{/Author (...)}`) and, when a PDF is given with `--pdf`, its Author
    field (document info and XMP) and Creator or Producer fields that carry an e-mail address or
    a home-folder user name (`/home/jdoe/...`). Empty and "Anonymous" values are fine.

    Why it matters: a reviewer's PDF viewer shows the metadata under Document Properties; the
    page itself can be perfectly anonymous.

    Example: `\\hypersetup{pdfauthor={Jane Doe, John Roe}}` in the preamble.

    Fix: leave pdfauthor empty in the review version, or clear the fields of the finished PDF
    (`exiftool -Author= -Creator= paper.pdf`).
    """
    if not in_review(doc):
        return
    sc = scan(doc)
    for rel, text in sc.texts.items():
        found = [(m, _author_value(text, m.end())) for m in _HYPER_AUTHOR.finditer(text)]
        found += [(m, _author_value(text, m.end(), ")")) for m in _PDFINFO_AUTHOR.finditer(text)]
        for m, value in found:
            plain = plain_text(value)
            if not is_placeholder(plain):
                yield Hit(
                    f"the PDF metadata will name the author '{_short(plain)}'",
                    _loc(doc, rel, m.start()),
                    _PDF_FIX,
                )
    # the check pipeline does not hand the PDF to rules yet; either place works once it does
    pdf = doc.pdf
    if pdf:
        yield from pdf_metadata_findings(Path(pdf))


# --- PT607 ----------------------------------------------------------------------------------


@rule(
    "PT607",
    "mode-option-mismatch",
    "error",
    "The source builds another version than the one asked for",
)
def mode_option_mismatch(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: when you say which version you are preparing (`--venue acl:review`, or
    `venue = "neurips:camera-ready"` in papertrack.toml) for a double-blind venue, compares it
    with what the source builds. Review asked for, but the source builds a version with names
    (ACL without [review], NeurIPS with [final] or [preprint], ICLR with \\iclrfinalcopy, AAAI
    without [submission]): the review option is missing or a final option is present.
    Camera-ready asked for, but the source still builds the anonymous version: the final
    option is missing. When the venue is only detected from the source, the two cannot
    disagree and nothing is reported.

    Why it matters: the anonymous PDF uploaded as the camera-ready shows "Anonymous
    Author(s)" in the proceedings; a named PDF uploaded for review is desk-rejected.

    Example: `papertrack check --venue acl:review` on a paper with `\\usepackage{acl}`
    (ACL's final layout is the default).

    Fix: set the template's option as the message says, or correct the mode you asked for.
    """
    v = doc.venue
    if not cfg.venue or v is None or getattr(v.profile, "double_blind", None) is not True:
        return
    from papertrack import venues

    try:
        stage = venues.parse_venue_arg(cfg.venue).stage
    except venues.VenueError:
        return
    if stage not in ("review", "camera-ready"):
        return
    st = scan(doc).template
    where = (
        f"{cfg.source.name} says venue = '{cfg.venue}'" if cfg.source else f"--venue {cfg.venue}"
    )
    if st is None:
        return  # a plain class: PT601 checks the author block itself
    at = _loc(doc, st.file, st.pos)
    if stage == "review" and not st.anonymous:
        yield Hit(
            f"{where}, but the source builds the version with author names "
            f"({st.name} with {st.why}); "
            f"the review version needs: {st.to_review or 'the review option'}",
            at,
            st.to_review or None,
        )
    elif stage == "camera-ready" and st.anonymous:
        yield Hit(
            f"{where}, but the source builds the anonymous review version "
            f"({st.name} with {st.why}); "
            f"the final option is missing: {st.to_final}",
            at,
            st.to_final or None,
        )
