"""Page accounting in the model: the exact count from a compile, a PDF's count, or an estimate."""

from __future__ import annotations

from dataclasses import dataclass, field

from papertrack.model.document import Document

# Calibrated on the nine corpus papers against pages measured by compiling them (see
# bench/estimate_error.py): words per full page, page share of a float and of a display row.
# In-sample RMS error 0.82 page, worst 1.33: the estimate is a warning, never the verdict.
LAYOUTS = {
    "one-column": {"words_per_page": 600, "float": 0.40, "display_row": 0.035},
    "two-column": {"words_per_page": 920, "float": 0.25, "display_row": 0.020},
    "lncs": {"words_per_page": 590, "float": 0.40, "display_row": 0.035},
    # book-like classes: narrow text blocks, chapter openings; fitted on one thesis only
    "book": {"words_per_page": 230, "float": 0.50, "display_row": 0.040},
}
BOOK_CLASSES = (
    "book",
    "report",
    "scrbook",
    "scrreprt",
    "memoir",
    "amsbook",
    "thesis",
    "classicthesis",
)
TITLE_BLOCK = 0.3
ESTIMATE_ERROR = 0.8  # pages, the RMS error measured on the corpus papers (8-13 pages)
RELATIVE_ERROR = 0.08  # longer documents: about 8% (one thesis, +4%, plus the papers' spread)
TWO_COLUMN_VENUES = ("acl", "cvpr", "iccv", "aaai", "ieee", "acm")


@dataclass(frozen=True)
class Since:
    """The last exact build's count, and the change made since it (in that build's lines)."""

    build_pages: float
    lines: float  # body lines added (negative: removed) since the build
    lines_per_page: float

    @property
    def pages(self) -> float:
        return round(self.build_pages + self.lines / self.lines_per_page, 2)

    def describe(self) -> str:
        n = round(self.lines)
        if n == 0:
            return "exact at the last build; no change in length since"
        sign = "+" if n > 0 else "-"
        return f"exact at the last build ({self.build_pages:.2f}) {sign} about {abs(n)} lines since"


@dataclass
class PageAccount:
    """Main-content pages against the limit, and how the figure was obtained."""

    method: str  # exact | pdf | estimate
    main_pages: float | None
    limit: float | None = None
    total_pages: int | None = None
    error: float | None = None  # +/- pages, for estimates
    ended_by: str | None = None
    end: str | None = None  # "p9 line 20 of 45"
    bib_start_page: int | None = None
    appendix_start_page: int | None = None
    over_lines: int | None = None  # lines over (positive) or left (negative), when known
    notes: list[str] = field(default_factory=list)
    reason: str | None = None  # why an estimate: no-tex | no-compile | compile-failed
    caveat: str | None = None  # why an exact count may still be off (a build with errors)
    lines_per_page: float | None = None  # body lines of a full page (all columns)
    lines: float | None = None  # body lines of main content, as the estimate measured them
    since: Since | None = None  # an exact build's count plus the edits made after it

    @property
    def over(self) -> float | None:
        """Pages over the limit (negative: pages left)."""
        if self.main_pages is None or self.limit is None:
            return None
        return round(self.main_pages - self.limit, 2)

    @property
    def summary(self) -> str:
        if self.main_pages is None:
            return "page count unavailable" + (f" ({self.notes[0]})" if self.notes else "")
        if self.method == "pdf" and self.error == 0 and self.end:
            head = f"{self.main_pages:.2f} pages of main content (measured in the PDF: {self.end})"
            if self.limit is not None and self.over is not None:
                lines = f", about {abs(self.over_lines)} lines" if self.over_lines else ""
                over = self.over
                head += f" (limit {self.limit:g}): " + (
                    f"{over:.2f} page over{lines}"
                    if over > 0
                    else f"{abs(over):.2f} page left{lines}"
                )
            if self.ended_by:
                head += f"; main content {self.ended_by}"
            return head + f"; {self.total_pages} pages in the PDF"
        if self.method == "pdf":
            head = f"{self.total_pages} pages in the PDF"
            if self.ended_by and self.main_pages is not None:
                last = int(self.main_pages + 0.5)
                head += (
                    f"; main content {self.ended_by} on page {last} ({last - 1} to {last} pages)"
                )
            if self.limit is not None:
                head += f"; limit {self.limit:g}"
            return head
        if self.method == "estimate":
            why = {
                "no-tex": "install TeX for an exact count",
                "no-compile": "compile skipped",
                "compile-failed": "the compile failed",
            }.get(self.reason or "", "no exact count")
            head = f"about {self.main_pages:.1f} +/- {self.error or ESTIMATE_ERROR:.1f} pages (estimate; {why})"
        else:
            head = f"{self.main_pages:.2f} pages of main content"
            if self.since is not None:
                head += f" ({self.since.describe()})"
            if self.caveat:
                head += f" ({self.caveat})"
        if self.limit is not None:
            head += f" (limit {self.limit:g})"
            over = self.over
            if over is not None and self.method != "estimate":
                lines = f", about {abs(self.over_lines)} lines" if self.over_lines else ""
                head += (
                    f": {over:.2f} page over{lines}"
                    if over > 0
                    else f": {abs(over):.2f} page left{lines}"
                )
        if self.ended_by:
            head += f"; main content {self.ended_by}"
        if self.total_pages:
            head += f"; {self.total_pages} pages in total"
        return head


def layout(doc: Document) -> str:
    """Which calibration applies: one or two columns, from the venue or the class options."""
    cls, opts = doc.document_class or ("article", [])
    if cls == "llncs":
        return "lncs"
    if cls in BOOK_CLASSES or cls.endswith("thesis"):
        return "book"
    if "twocolumn" in opts or cls in ("IEEEtran", "acmart", "sigconf") or "sigconf" in opts:
        return "two-column"
    if doc.venue and doc.venue.profile.name.lower().startswith(TWO_COLUMN_VENUES):
        return "two-column"
    return "one-column"


# Body lines per part of the main content count this much. Headings, lists and the title are
# counted from the classes' own spacing and code listings line by line, so they count as they
# are (code in its smaller font). Text, floats and displays are fitted by least squares on the
# shared real papers under 40 pages (bench/estimate_error.py): text runs longer than full lines
# of average words (paragraph ends, hyphenation, widows); floats and displays take less than
# their boxes' sum (they share the page with text, and a float page's space is not counted).
WEIGHTS = {"text": 1.16, "floats": 0.83, "math": 0.49, "structure": 1.0, "code": 0.9}
FITTED = ("text", "floats", "math")
# The stated error: the 90th percentile of the leave-one-out errors (1.4 page; 10% for long
# papers); theses and books (front matter, chapter openings, float pages) are modelled poorly.
ERROR_PAGES = 1.4
ERROR_SHARE = 0.10
BOOK_ERROR_SHARE = 0.6


def exempt(doc: Document) -> tuple[list[str], list[str]]:
    """Headings and macros after which content no longer counts, from the venue profile."""
    if doc.venue is None:
        return [], []
    from papertrack import venues

    rules = venues.counting(doc.venue.profile, doc.venue.mode)
    return list(rules.exempt_headings), list(rules.exempt_after_macros)


def measured_parts(doc: Document):
    """(layout, measure) of the paper's main content: what the estimate is computed from."""
    from papertrack.model.layout import page_layout
    from papertrack.model.measure import measure

    lay = page_layout(doc)
    headings, _ = exempt(doc)
    return lay, measure(doc, lay, headings)


def weighted_lines(parts: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """Body lines the main content fills, parts weighted as measured on real papers."""
    w = {**WEIGHTS, **(weights or {})}
    return sum(w[k] * v for k, v in parts.items())


def estimate(
    doc: Document, limit: float | None, weights: dict[str, float] | None = None
) -> PageAccount:
    """Main-content pages from the layout the paper asks for and what its source holds (no TeX)."""
    lay, m = measured_parts(doc)
    lines = weighted_lines(m.parts(), weights)
    pages = lines / lay.lines_per_page + m.page_breaks
    book = layout(doc) == "book"
    share = BOOK_ERROR_SHARE if book else ERROR_SHARE
    return PageAccount(
        "estimate",
        round(pages, 1),
        limit=limit,
        error=round(max(ERROR_PAGES, share * pages), 1),
        notes=[
            f"{m.words} words, {m.floats} floats, {m.displays} displays; {lay.describe()} "
            f"({', '.join(lay.evidence[:4])})"
        ],
        lines_per_page=round(lay.lines_per_page, 1),
        lines=round(lines, 1),
    )
