"""Questions about the Document that rules, completion and reporters share, answered once here."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from papertrack.config import DEFAULT_EXPECTED_SECTIONS, Config
from papertrack.facts import Float
from papertrack.findings import Location
from papertrack.model import headings
from papertrack.model.document import Document, Section

# Sections that are short by nature; a two-line Acknowledgments is finished, not a stub.
# Whole words only: "Annotation" is not "notation", "Preferences" is not "references".
SHORT_BY_NATURE = re.compile(
    r"\b(?:acknowledg|funding|availability|author contribution|disclosure|consent|"
    r"supporting information|supplementary (?:information|material|data)|"
    r"competing interest|conflicts? of interest|ethic|impact statement|broader impact|"
    r"reproducibility|limitation|declaration|dedication|abbreviation|notation|nomenclature|"
    r"checklist|references|bibliography|appendi|"
    # a journal's front and back matter: bullet points, a picture, the paper's licence
    r"highlights|graphical abstract|licen[cs]e\b|"
    # a thesis's lists: a table of symbols, a glossary, the author's publications (no prose)
    r"list of|glossar|symbols\b|acronyms\b|publications\b)",
    re.IGNORECASE,
)


def top_sections(doc: Document) -> list[Section]:
    """Sections at the document's top heading level (chapters in a thesis, sections in a paper)."""
    body = [
        s for s in doc.sections if s.level >= 1 and not s.in_appendix and not s.after_bibliography
    ]
    if not body:
        return []
    top = min(s.level for s in body)
    return [s for s in body if s.level == top]


def _norm(t: str) -> str:
    return re.sub(r"[^a-z ]+", " ", t.lower()).strip()


def has_section(doc: Document, pattern: str, anywhere: bool = False) -> bool:
    """Whether a heading matches one of the '|'-separated alternatives by its words, in any
    language papertrack knows for that kind of section (or the abstract exists)."""
    alts = headings.alternatives(pattern)
    if "abstract" in (a.lower() for a in alts) and (
        doc.abstract_words is not None
        # a thesis that \includepdf's its abstract page, typeset on its own (MIT's template)
        or any(PurePosixPath(g.path).stem.lower() == "abstract" for g in doc.graphics)
    ):
        return True
    titles = [s.title for s in doc.sections if anywhere or not s.after_bibliography]
    titles += list(doc.toc_titles)
    return any(headings.matches(t, a) for a in alts for t in titles)


# prose after the abstract and before the first heading that is an introduction, not a line of
# keywords or a dedication: APA papers and Nature's articles print their introduction untitled
UNTITLED_INTRODUCTION_WORDS = 150


def has_untitled_introduction(doc: Document) -> bool:
    """The paper opens, after its abstract, with an introduction that has no heading."""
    return doc.lead_words >= UNTITLED_INTRODUCTION_WORDS


def concludes_with_discussion(doc: Document) -> bool:
    """The main text ends with a Discussion ('Discussion', 'Discussion and outlook'), as a
    journal article does: that section is its conclusion. Back matter after it (data
    availability, acknowledgements) does not count as the end."""
    body = [s for s in top_sections(doc) if not SHORT_BY_NATURE.search(s.title)]
    if not body:
        return False
    # the section is a discussion, not results discussed ('Results and Discussion' ends a
    # draft whose conclusion is still to write)
    first = (headings.words(body[-1].title) or [""])[0]
    return first.startswith(("discussion", "diskussion", "discusion")) or (
        headings.matches(body[-1].title, "general discussion")
    )


def is_thesis(doc: Document) -> bool:
    """A thesis or book: chapters in the main text (no 'related work' section is expected)."""
    return any(
        s.level <= 1 and s.heading.command in ("chapter", "addchap") and not s.in_appendix
        for s in doc.sections
    )


def has_heading(doc: Document, title: str) -> bool:
    """A venue-required heading: the whole heading must match, as the venue's checker reads it."""
    from papertrack.venues import normalize_heading

    want = normalize_heading(title)
    return any(normalize_heading(s.title) == want for s in doc.sections)


def titles_the_abstract(doc: Document, s: Section) -> bool:
    """\\section*{Abstract} inside the abstract environment: the heading prints the abstract's
    title, and its text is the abstract's (counted there, not under the heading)."""
    if not doc.abstract_words or doc.abstract_at is None:
        return False
    file, line = doc.abstract_at
    if s.heading.file != file or s.heading.line < line:
        return False
    numbered_before = any(not t.heading.starred for t in doc.sections[: doc.sections.index(s)])
    return headings.is_abstract_heading(s.heading, numbered_before)


def document_start(doc: Document) -> Location:
    src = doc.project.files[doc.main]
    m = re.search(r"\\begin\s*\{document\}", src.masked)
    line, col = src.line_col(m.start()) if m else (1, 1)
    return Location(doc.main, line, col)


DEFAULT_ALIASES = {
    "conclusion": "conclusion|concluding|summary|closing remarks|outlook|epilogue|final remarks",
    "related work": "related work|background|prior work|previous work|literature|state of the art|preliminar",
    "introduction": "introduction|intro|motivation|overview|prologue",
}


def reviews_literature(doc: Document) -> bool:
    """Whether the paper cites as many distinct works as a covered related-work section does
    (the completion model's threshold): an introduction that cites them reviews the
    literature, with or without a section called "Related work"."""
    # imported here: the completion package imports this module
    from papertrack.completion.weights import WEIGHTS

    return len(doc.cited_keys()) >= WEIGHTS["related-cites"]


def is_imrad(doc: Document) -> bool:
    titles = " | ".join(_norm(s.title) for s in doc.sections)
    return all(re.search(r"\b" + w, titles) for w in ("result", "discussion", "method"))


def float_label(fl) -> str:
    """The label a float is known by: its first label, else its first sub-figure's."""
    return (fl.labels or fl.sub_labels or ["(no label)"])[0]


def title_key(t: str) -> str:
    """A bibliography title reduced to letters and digits, for finding the same work twice."""
    t = re.sub(r"\\[a-zA-Z]+", " ", t)
    return re.sub(r"[^a-z0-9]+", "", t.lower())


def expected_sections(doc: Document, cfg: Config) -> list[str]:
    """The sections a paper of this kind is expected to have (PT304 and the completion table)."""
    expected = list(cfg.expected_sections)
    if expected == DEFAULT_EXPECTED_SECTIONS:
        if is_imrad(doc):
            # a journal article (Introduction, Results, Discussion, Methods) ends with its
            # Discussion and has its background in the Introduction
            return ["abstract", "introduction", "discussion"]
        if is_thesis(doc):
            # a thesis reviews the literature in its own chapters, under many names
            return ["abstract", "introduction", "conclusion"]
        if is_other_genre(doc):
            return []
    return expected


# headings only a research paper is built from (besides its introduction), at a heading's start
_RESEARCH_OPENING = (
    "method",
    "approach",
    "experiment",
    "evaluation",
    "discussion",
    "limitation",
    "future work",
    "analysis",
    "findings",
    "case stud",
)
# "Results" alone or nearly (a tutorial's "Results, error bars, and figures" is no such section)
_RESULTS = re.compile(r"(?:experimental |empirical |numerical |main )?results?(?: and \w+)?")
# a document this long with this many sections is written, not a skeleton awaiting them
GENRE_MIN_SECTIONS = 6
GENRE_MIN_WORDS = 5000


def is_other_genre(doc: Document) -> bool:
    """A long, fully sectioned document that is no research paper: a tutorial, a specification,
    lecture notes. No heading of the research template (related work, methods, experiments,
    evaluation, discussion, conclusion), no venue and no thesis chapters, yet six or more
    top-level sections and 5000 words: the default Abstract / Introduction / Related work /
    Conclusion describe another kind of document. A draft that is a research paper names
    some of those sections early (a skeleton), so its missing ones are still reported."""
    if doc.venue is not None or doc.required_sections:
        return False
    tops = top_sections(doc)
    if len(tops) < GENRE_MIN_SECTIONS or doc.words < GENRE_MIN_WORDS:
        return False
    if has_section(doc, DEFAULT_ALIASES["related work"]) or has_section(
        doc, DEFAULT_ALIASES["conclusion"]
    ):
        return False
    for s in doc.sections:
        if s.after_bibliography:
            continue
        title = " ".join(headings.words(s.title))
        if title.startswith(_RESEARCH_OPENING) or _RESULTS.fullmatch(title):
            return False
    return True


def float_at(doc: Document, rel: str, line: int) -> Float | None:
    """The innermost float whose environment holds a source line, or None."""
    spans = doc.__dict__.get("_float_spans")
    if spans is None:
        spans = doc.__dict__["_float_spans"] = _float_spans(doc)
    inside = [(a, fl) for a, b, fl in spans.get(rel, ()) if a <= line <= b]
    return max(inside, key=lambda it: it[0])[1] if inside else None


def _float_spans(doc: Document) -> dict[str, list[tuple[int, int, Float]]]:
    """(first line, last line, float) of each float, from its \\begin to its \\end."""
    out: dict[str, list[tuple[int, int, Float]]] = {}
    for fl in doc.floats:
        src = doc.project.files.get(fl.file)
        if src is None or src.problem:
            continue
        start = _offset(src.text, fl.line, fl.col)
        pat = re.compile(r"\\(begin|end)\s*\{" + re.escape(fl.env) + r"\}")
        depth = 0
        for m in pat.finditer(src.masked, start):
            depth += 1 if m.group(1) == "begin" else -1
            if depth == 0:
                out.setdefault(fl.file, []).append((fl.line, src.line_col(m.start())[0], fl))
                break
    return out


def _offset(text: str, line: int, col: int) -> int:
    """The character offset of a 1-based line and column."""
    pos = 0
    for _ in range(line - 1):
        pos = text.index("\n", pos) + 1
    return pos + col - 1
