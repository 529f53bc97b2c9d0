"""Per-section targets from the page budget (or the config) and the rows of the section table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.config import DEFAULT_EXPECTED_SECTIONS, Config
from papertrack.findings import Location
from papertrack.model import headings
from papertrack.model.document import Document
from papertrack.model.pages import LAYOUTS, TITLE_BLOCK, layout
from papertrack.model.queries import (
    DEFAULT_ALIASES,
    SHORT_BY_NATURE,
    concludes_with_discussion,
    document_start,
    expected_sections,
    has_section,
    has_untitled_introduction,
    titles_the_abstract,
)

# Words short of a target that still count as reaching it (a sentence; targets are estimates).
SLACK = 20
STATUSES = ("missing", "stub", "drafting", "drafted", "polished")

# A section's role from its title; the first match wins. Roles set the share of the page
# budget a section gets (weights `share-<role>`).
ROLES: list[tuple[str, re.Pattern[str]]] = [
    (role, re.compile(rx, re.IGNORECASE))
    for role, rx in [
        ("introduction", r"\bintroduction|\bmotivation|\boverview|引言|绪论|简介|前言|概述"),
        (
            "related",
            r"related work|related research|prior work|previous work|\bliterature|state of the art"
            r"|相关工作|相关研究|研究现状|文献综述",
        ),
        (
            "experiments",
            r"experiment|evaluation|\bresults?\b|empirical|benchmark|case stud|ablation|实验|评估|评测",
        ),
        ("discussion", r"\bdiscussion|讨论"),
        (
            "conclusion",
            r"conclu|\bsummary|closing remarks|\boutlook|epilogue|future work|结论|总结|结语|展望",
        ),
        ("short", SHORT_BY_NATURE.pattern),
        # front matter of a thesis or book
        ("short", r"copyright|acronym|glossary|preface|foreword|list of|contents|symbols"),
        (
            "background",
            r"background|preliminar|problem (setting|statement|formulation|definition)|背景|预备知识",
        ),
        (
            "method",
            r"method|approach|\bmodel|design|framework|architecture|algorithm|proposed|theor|analysis",
        ),
    ]
]
_MACRO_PARAM = re.compile(r"^\s*#+\d\s*$")
_ACK = re.compile(r"acknowledg|funding", re.IGNORECASE)
# Pages assumed when no page limit is known (never less than what is written).
DEFAULT_PAGES = {"one-column": 10, "two-column": 8, "lncs": 15, "book": 150}


def is_abstract_title(title: str) -> bool:
    """A heading that is the abstract (`\\section*{Abstract}`, in the languages papertrack
    knows; `Summary` is not): the whole title, not a word of it ('Abstract Interpretation')."""
    return " ".join(headings.words(title)) in headings.KINDS["abstract"]


# words beyond which a section is body text whatever its title holds: "Power and the
# Reproducibility Project" is a chapter of the argument, not a reproducibility statement
SHORT_SECTION_MAX_WORDS = 600


def role_of(title: str, words: int = 0) -> str:
    for role, rx in ROLES:
        if rx.search(title) and not (role == "short" and words >= SHORT_SECTION_MAX_WORDS):
            return role
    return "other"


@dataclass
class Todo:
    """An open placeholder, with the coauthor it is assigned to when the source says so."""

    location: Location
    text: str
    kind: str
    owner: str | None = None


@dataclass
class SectionRow:
    """One line of the section table: a top-level section, the abstract, or a missing section."""

    title: str
    role: str
    present: bool
    words: int = 0
    target: int = 0
    status: str = "missing"
    location: Location | None = None
    owner: str | None = None
    index: int | None = None  # into Locator.tops
    configured: bool = False  # target from the config's `targets`
    required: bool = False  # a missing section the venue requires or the config expects
    todos: list[Todo] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # what keeps it from the next status
    cites: int = 0

    def is_written(self, written_at: float) -> bool:
        """Long enough: within SLACK words of `written_at` of the target."""
        return self.present and self.words + SLACK >= written_at * self.target

    def credit(self, written_at: float) -> float:
        """Words counted as written: reaching `written_at` of the target counts as all of it."""
        if not self.present or self.target <= 0:
            return 0.0
        if self.is_written(written_at):
            return float(self.target)
        return min(float(self.target), self.words / written_at)


def _norm(t: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()


def abstract_words(doc: Document) -> int | None:
    """Words of the abstract; `\\begin{abstract}\\input{abstract}` counts its words as front matter."""
    if doc.abstract_words == 0 and doc.front_words:
        return doc.front_words
    return doc.abstract_words


def writing_limit(doc: Document, cfg: Config) -> float | None:
    """Pages to write for. A camera-ready version's extra page is room for what the reviewers
    asked for, not more to write: its target is the review limit."""
    limit = doc.page_limit  # decided once, by the engine (model/venue.py)
    if cfg.page_limit or not doc.venue or "camera-ready" not in doc.venue.mode:
        return limit
    review = doc.venue.profile.pages.get(doc.venue.mode.replace("camera-ready", "review"))
    return min(review, limit) if review and limit else limit


def budget(doc: Document, cfg: Config) -> tuple[int, str]:
    """Target words for the whole main text, and a sentence saying where the figure comes from."""
    lay = layout(doc)
    p = LAYOUTS.get(lay, LAYOUTS["one-column"])
    main = [s for s in doc.sections if not s.in_appendix and not s.after_bibliography]
    rows = sum(s.display_rows for s in main)
    n = sum(1 for f in doc.floats if not f.in_appendix and not f.after_bibliography)
    pages = doc.pages
    limit = writing_limit(doc, cfg)

    def text_pages(total: float) -> float:
        return max(total * 0.5, total - TITLE_BLOCK - n * p["float"] - rows * p["display_row"])

    wpp = p["words_per_page"]
    measured = getattr(pages, "method", None) in ("exact", "pdf") and getattr(
        pages, "main_pages", None
    )
    if measured and doc.words:
        # a compiled count tells this paper's own words per page (dense math, small fonts)
        wpp = round(min(1.5 * wpp, max(0.5 * wpp, doc.words / text_pages(pages.main_pages))))
    what = f"{wpp} words a page ({lay}{', measured' if measured else ''}) after {n} floats and displayed math"
    if limit:
        return round(text_pages(limit) * wpp), f"the {limit:g}-page limit: {what}"
    typical_pages = DEFAULT_PAGES.get(lay, 10)
    typical = round(text_pages(typical_pages) * wpp)
    if doc.words > typical:
        return doc.words, "no page limit known: the length already written"
    return typical, f"no page limit known: a typical {typical_pages}-page paper, {what}"


def expected_missing(doc: Document, cfg: Config) -> list[str]:
    """Expected or venue-required sections with no heading (as PT304 decides), checklists aside."""
    if not doc.sections and doc.abstract_words is None:
        return []
    expected = expected_sections(doc, cfg)  # the sections PT304 expects: one source of truth
    out = []
    for pattern in [*expected, *doc.required_sections]:
        first = pattern.split("|")[0].strip()
        if first.lower() == "abstract" or "checklist" in pattern.lower():
            continue
        full = DEFAULT_ALIASES.get(pattern.strip().lower(), pattern)
        required = pattern in doc.required_sections
        # has_section knows each kind of section in every language (model.headings)
        if has_section(doc, full, anywhere=required) or (
            required and _kindred_heading(doc, pattern)
        ):
            continue
        if first.lower() == "conclusion" and concludes_with_discussion(doc):
            continue  # a journal article's closing Discussion is its conclusion (as PT304)
        if first.lower() == "introduction" and has_untitled_introduction(doc):
            continue  # written, without a heading (as PT304)
        out.append(first)
    return out


_FILLER = {"statement", "section", "and", "the", "of", "for", "on", "paper"}


def _kindred_heading(doc: Document, pattern: str) -> bool:
    """A venue-required heading written under a kindred title ('Broader Impact' for 'Impact
    Statement'): the section exists, the venue's checker may still want its exact title, which
    the check (PT304) reports; as work left it is a rename, not a section to write."""
    words = {w for alt in pattern.split("|") for w in _norm(alt).split() if w not in _FILLER}
    words = {w for w in words if len(w) >= 5}
    return bool(words) and any(
        words & set(_norm(s.title).split()) for s in doc.sections if not s.after_bibliography
    )


def build_rows(
    doc: Document, cfg: Config, tops: list, w: dict[str, float]
) -> tuple[list[SectionRow], int, str]:
    """The rows with their targets, the total target words and where the budget comes from."""
    rows: list[SectionRow] = []
    wants_abstract = any(
        p.split("|")[0].strip().lower() == "abstract" for p in expected_sections(doc, cfg)
    )
    abstract = abstract_words(doc)
    # an abstract written as \section*{Abstract} is the abstract, not a body section
    titled = [s for s in tops if is_abstract_title(s.title)]
    if titled:
        abstract = None
        wants_abstract = False
    if abstract is not None or (wants_abstract and doc.sections):
        at = Location(*doc.abstract_at, 1) if doc.abstract_at else document_start(doc)
        rows.append(
            SectionRow("Abstract", "abstract", abstract is not None, abstract or 0, location=at)
        )
    for i, s in enumerate(tops):
        h = s.heading
        if _MACRO_PARAM.match(s.title):
            continue  # a heading inside a macro definition (`\\chapter*{#1}`), not a section
        rows.append(
            SectionRow(
                s.title,
                "abstract" if is_abstract_title(s.title) else role_of(s.title, s.total_words),
                True,
                # the abstract's words, when the heading only titles the environment's text
                s.total_words + (doc.abstract_words or 0) * titles_the_abstract(doc, s),
                location=Location(h.file, h.line, h.col),
                owner=s.owner,
                index=i,
            )
        )
    start = document_start(doc) if doc.sections or doc.abstract_words is not None else None
    required = {p.split("|")[0].strip().lower() for p in doc.required_sections}
    if list(cfg.expected_sections) != DEFAULT_EXPECTED_SECTIONS:
        required |= {p.split("|")[0].strip().lower() for p in cfg.expected_sections}
    for title in expected_missing(doc, cfg):
        rows.append(
            SectionRow(
                title[:1].upper() + title[1:],
                role_of(title),
                False,
                location=start,
                required=title.lower() in required,
            )
        )
    present = {_norm(r.title) for r in rows}
    for title in cfg.targets:
        if _norm(title) not in present:
            rows.append(SectionRow(title, role_of(title), False, location=start, required=True))
    total, basis = budget(doc, cfg)
    _assign_targets(doc, cfg, rows, total, w, limited=not basis.startswith("no page limit"))
    return rows, sum(r.target for r in rows), basis


def _assign_targets(
    doc: Document,
    cfg: Config,
    rows: list[SectionRow],
    total: int,
    w: dict[str, float],
    limited: bool = False,
) -> None:
    """Fixed targets first (config, abstract, short sections); the rest of the budget goes to the
    other sections in proportion to what they have, but never below half the usual share of
    their role, and a missing section gets its whole usual share. Under a page limit
    (`limited`), a short section past the stub stage is lifted toward that floor only as far as
    the pages have room left: a paper that fills them has no words left to write there."""
    configured = {_norm(k): v for k, v in cfg.targets.items()}
    shared: list[SectionRow] = []
    fixed = 0
    for r in rows:
        if _norm(r.title) in configured:
            r.target, r.configured = configured[_norm(r.title)], True
        elif r.role == "abstract":
            limit = getattr(doc.venue.profile, "abstract_words", None) if doc.venue else None
            r.target = round(min(limit, w["abstract-words"]) if limit else w["abstract-words"])
        elif r.role == "short":
            r.target = round(w["short-words"] * (2 / 3 if _ACK.search(r.title) else 1))
        else:
            shared.append(r)
            continue
        fixed += r.target
    rest = max(0, total - fixed)
    roles: dict[str, int] = {}
    for r in shared:
        roles[_share_key(r, w)] = roles.get(_share_key(r, w), 0) + 1
    whole = sum(w[k] for k in roles) or 1.0
    usual = {id(r): rest * w[_share_key(r, w)] / whole / roles[_share_key(r, w)] for r in shared}
    missing = [r for r in shared if not r.present]
    room = max(0.0, rest - sum(usual[id(r)] for r in missing))
    written = sum(r.words for r in shared if r.present)
    floor = 2 * cfg.stub_words
    prop = {
        id(r): room * r.words / written if written else usual[id(r)] for r in shared if r.present
    }
    lift = {i: max(0.0, max(floor, usual[i] / 2) - p) for i, p in prop.items()}
    # the floor is a prior of typical proportions; a page limit is this paper's own budget.
    # Lifts of stubs (under a quarter of the floor) stay whole: those are sections unwritten
    soft = [
        id(r)
        for r in shared
        if limited and r.present and lift[id(r)] and r.words >= max(floor, usual[id(r)] / 2) / 4
    ]
    hard = sum(v for i, v in lift.items() if i not in soft)
    space = max(0.0, room - written - hard)
    wanted = sum(lift[i] for i in soft)
    scale = min(1.0, space / wanted) if wanted else 1.0
    for r in shared:
        if not r.present:
            r.target = max(floor, round(usual[id(r)]))
            continue
        up = lift[id(r)] * (scale if id(r) in soft else 1.0)
        r.target = max(floor, round(prop[id(r)] + up))


def _share_key(r: SectionRow, w: dict[str, float]) -> str:
    return f"share-{r.role}" if f"share-{r.role}" in w else "share-body"
