"""PT3xx: how unfinished the paper is: placeholders, stub sections, missing sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.model.queries import (
    DEFAULT_ALIASES,
    SHORT_BY_NATURE,
    concludes_with_discussion,
    document_start,
    expected_sections,
    float_at,
    has_heading,
    has_section,
    has_untitled_introduction,
    reviews_literature,
    titles_the_abstract,
    top_sections,
)
from papertrack.project.braces import group_end
from papertrack.rules.base import Hit, loc, rule

_KIND_TEXT = {
    "todo-macro": "todo note",
    "todo-text": "placeholder text",
    "question-marks": "'??' placeholder",
    "lorem": "filler text",
    "checklist": "unanswered checklist item",
}


@rule(
    "PT301", "placeholder", "warning", "A todo note, TODO/FIXME/XXX, '??' or filler text is left in"
)
def placeholder(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports \\todo notes (todonotes, and your own macros that wrap \\todo or print
    TODO), the words TODO, FIXME, XXX and TBD in upper case, a literal "??", lorem ipsum and
    \\lipsum/\\blindtext filler, and NeurIPS checklist answers left as \\answerTODO. Comments,
    \\iffalse blocks and files that are never included are not read, nor is the author block
    when the venue template builds the anonymous version (acmart [anonymous]: `\\author{TODO}`
    never prints). The same marker three times or more in one float (TBD in every cell of a
    table of results) is one finding.

    Why it matters: these are the unfinished parts of the paper; a TODO that reaches the
    reviewers costs credibility.

    Example: `Section~\\textbf{TODO} shows the attack.`

    Fix: write the missing text, then delete the marker.
    """
    hidden = _hidden_author_block(doc)
    found = [
        p
        for p in doc.placeholders
        if p.kind != "empty-caption"
        # 'TODO' for a name the anonymous build never prints
        and not any(f == p.file and a <= (p.line, p.col) < b for f, a, b in hidden)
    ]
    # an author block left as the template's TODO, TODO University, TODO@... is one thing to
    # fill in, not one finding per line (a VLDB template: 27)
    spans = _title_block_spans(doc)
    front = [p for p in found if p.file == doc.main and _inside(doc, p, spans)]
    if len(front) >= 3:
        texts = list(dict.fromkeys(p.text for p in front))
        yield Hit(
            f"the title and author block has {len(front)} placeholders "
            f"({', '.join(texts[:3])}{', ...' if len(texts) > 3 else ''})",
            loc(front[0]),
            "fill in the title, authors and affiliations",
            related=tuple(loc(p) for p in front[1:]),
        )
        found = [p for p in found if p not in front]
    # the cells of a table of results still to come (TBD in every cell): one thing to fill in
    per_float: dict[tuple, list] = {}
    for p in found:
        fl = float_at(doc, p.file, p.line)
        if fl is not None:
            per_float.setdefault((id(fl), p.kind, p.text, p.owner), []).append(p)
    grouped = {id(p) for ps in per_float.values() if len(ps) >= 3 for p in ps}
    for p in found:
        if id(p) in grouped:
            continue
        owner = f" (owner: {p.owner})" if p.owner else ""
        yield Hit(f"{_KIND_TEXT.get(p.kind, 'placeholder')}: {p.text}{owner}", loc(p))
    for ps in per_float.values():
        if len(ps) >= 3:
            p = ps[0]
            owner = f" (owner: {p.owner})" if p.owner else ""
            what = float_at(doc, p.file, p.line).kind  # type: ignore[union-attr]
            yield Hit(
                f"{_KIND_TEXT.get(p.kind, 'placeholder')}: {p.text}{owner} ({len(ps)} times in "
                f"this {what})",
                loc(p),
                related=tuple(loc(q) for q in ps[1:]),
            )


def _hidden_author_block(doc: Document) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """The author block (\\author, \\affiliation, \\email, ...) where the venue template builds
    the anonymous version (acmart [anonymous], ICLR without \\iclrfinalcopy, ...): its text never
    prints, so 'TODO' for the names of a double-blind submission is not work left."""
    if not any(p.kind != "empty-caption" for p in doc.placeholders):
        return []
    from papertrack.rules.anonymity.review import scan

    sc = scan(doc)
    if sc.template is None or not sc.template.anonymous:
        return []
    files = doc.project.files
    return [
        (sp.file, files[sp.file].line_col(sp.start), files[sp.file].line_col(sp.end))
        for sp in sc.author_spans
        if sp.file in files
    ]


@rule("PT302", "empty-caption", "warning", "A \\caption is empty")
def empty_caption(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports `\\caption{}` with nothing in it.

    Why it matters: the figure prints as "Figure 3:" with no explanation; a reader skimming the
    figures learns nothing.

    Example: `\\caption{}`.

    Fix: say what the figure shows and what to take from it.
    """
    for p in doc.placeholders:
        if p.kind == "empty-caption":
            yield Hit(
                "empty caption", loc(p), "write a caption that says what the reader should see"
            )


# catchfile's commands read text from another file when TeX runs (a README's abstract)
_CATCHFILE = re.compile(r"\\CatchFile(?:Def|BetweenTags|BetweenDelims)(?![a-zA-Z@])")


def _reads_text_in(doc: Document, s) -> bool:
    """Whether the section's own file, from its heading to the next one of its level, reads its
    text from a file when TeX runs (\\CatchFileBetweenDelims{\\readme}{README.rst}...)."""
    src = doc.project.files.get(s.heading.file)
    if src is None:
        return False
    start = s.heading.pos
    nxt = [
        t.heading.pos
        for t in doc.sections
        if t.heading.file == s.heading.file and t.level <= s.level  # its subsections count
    ]
    end = min((p for p in nxt if p > start), default=len(src.masked))
    return _CATCHFILE.search(src.masked, start, end) is not None


@rule("PT303", "stub-section", "warning", "A section has (almost) no text yet")
def stub_section(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports top-level sections of the main text (chapters in a thesis) with fewer
    words of prose than `stub-words` (default 40), counting their subsections. Sections that
    are short by nature (Acknowledgments, Limitations, Ethics statements, ...) are skipped.

    Why it matters: a heading with two sentences under it looks done in the outline and is not.

    Example: `\\section{Related Work} \\todo{write this}`.

    A section whose text TeX reads from another file (catchfile's \\CatchFileBetweenDelims
    of a README) is not judged: its words are not in the source.

    Fix: write the section, or merge it into a neighbour.
    """
    sections = doc.sections
    for s in top_sections(doc):
        if SHORT_BY_NATURE.search(s.title) or titles_the_abstract(doc, s) or s.holds_bibliography:
            continue
        # a section of displayed formulas is not empty: count a display row like ten words
        i = sections.index(s)
        rows = s.display_rows
        for t in sections[i + 1 :]:
            if t.level <= s.level:
                break
            rows += t.display_rows
        if s.total_words + 10 * rows >= cfg.stub_words or _reads_text_in(doc, s):
            continue
        n = s.total_words
        what = "empty" if n == 0 else f"a stub ({n} word{'' if n == 1 else 's'})"
        yield Hit(
            f"section '{s.title}' is {what}",
            Location(s.heading.file, s.heading.line, s.heading.col),
        )


@rule("PT304", "missing-section", "warning", "An expected section is missing")
def missing_section(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports expected sections with no matching heading. The defaults are an
    abstract, an introduction, related work (or background) and a conclusion; set
    `expected-sections` to change them ("related work|background" accepts either). A venue's
    required sections (ACL's Limitations, ICML's Impact Statement) are added when the venue is
    known. A journal article in IMRaD form (Results, Discussion, Methods) is expected to have an
    abstract, an introduction and a discussion instead. A long document of another kind (a
    tutorial, a specification: six or more sections, 5000 words, no heading of the research
    template, no venue) is expected to have none of the defaults; set `expected-sections`. A
    paper that cites 12 works or more reviews the literature where it cites them (usually the
    introduction): it is not asked for a related-work section. A paper whose main text ends
    with a Discussion (a journal article) has its conclusion there. A paper that opens, after
    its abstract, with 150 words or more before the first heading has its introduction there,
    untitled (as APA style and Nature print it).

    Why it matters: a paper without a conclusion or related work is not ready, however many
    pages it has.

    Example: a draft that ends after the evaluation.

    Fix: write the section; if your field does without it, remove it from `expected-sections`.
    """
    if not doc.sections and doc.abstract_words is None:
        return  # a fragment or a letter, not a paper: nothing to expect
    expected = expected_sections(doc, cfg)
    for pattern in [*expected, *doc.required_sections]:
        first = pattern.split("|")[0].strip()
        full = DEFAULT_ALIASES.get(pattern.strip().lower(), pattern)
        if pattern in doc.required_sections:
            found = has_heading(doc, pattern)
        else:
            found = has_section(doc, full)
            # the introduction reviews the literature (astronomy, biology, most journals):
            # completion sees nothing left to write there either
            found = found or (first.lower() == "related work" and reviews_literature(doc))
            found = found or (first.lower() == "conclusion" and concludes_with_discussion(doc))
            # prose between the abstract and the first heading: an untitled introduction (APA)
            found = found or (first.lower() == "introduction" and has_untitled_introduction(doc))
        if not found:
            why = (
                f" ({doc.venue.name} requires it)"
                if pattern in doc.required_sections and doc.venue
                else ""
            )
            fix = f"add \\section{{{first.title()}}}"
            if first.lower() == "abstract":
                fix = "add \\begin{abstract} ... \\end{abstract} after \\begin{document}"
            yield Hit(f"no '{first}' section{why}", document_start(doc), fix)


# the commands whose argument is the title block: names, affiliations, addresses, dates
_TITLE_BLOCK = re.compile(
    r"\\(?:title|author|affiliation|affil|affaddr|email|institution|institute|address|date"
    r"|additionalauthors|thanks|orcid|IEEEauthorblock[NA]|[a-z]*[Aa]uthors?)\*?\s*(?:\[[^\]]*\])?\s*\{"
)


def _title_block_spans(doc: Document) -> list[tuple[int, int]]:
    src = doc.project.files.get(doc.main)
    if src is None:
        return []
    spans = []
    for m in _TITLE_BLOCK.finditer(src.masked):
        end = group_end(src.masked, m.end() - 1)
        if end is not None:
            spans.append((m.end(), end))
    return spans


def _inside(doc: Document, p, spans: list[tuple[int, int]]) -> bool:
    src = doc.project.files[doc.main]
    pos = src._line_starts[p.line - 1] + p.col - 1 if 0 < p.line <= len(src._line_starts) else -1
    return any(a <= pos < b for a, b in spans)
