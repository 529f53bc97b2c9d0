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
                    else f": {-over:.2f} page left{lines}"
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


def estimate(doc: Document, limit: float | None) -> PageAccount:
    """Main-content pages from words, floats and displayed math (no TeX needed)."""
    params = LAYOUTS[layout(doc)]
    main = [s for s in doc.sections if not s.in_appendix and not s.after_bibliography]
    words = sum(s.words for s in main) + doc.front_words + (doc.abstract_words or 0)
    rows = sum(s.display_rows for s in main)
    floats = [f for f in doc.floats if not f.in_appendix and not f.after_bibliography]
    pages = (
        TITLE_BLOCK
        + words / params["words_per_page"]
        + len(floats) * params["float"]
        + rows * params["display_row"]
    )
    return PageAccount(
        "estimate",
        round(pages, 1),
        limit=limit,
        error=round(max(ESTIMATE_ERROR, RELATIVE_ERROR * pages), 1),
        notes=[
            f"{words} words, {len(floats)} floats, {rows} display rows; {layout(doc)} calibration"
        ],
    )
