"""PT5xx: main-content pages against the venue's limit."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.rules.base import Hit, rule

NEAR_LIMIT = 0.25  # pages: less than this left is a warning


def _where(doc: Document) -> Location:
    return Location(doc.main, 1, 1)


def _venue(doc: Document, cfg: Config) -> str:
    if cfg.page_limit is not None or doc.venue is None:
        return "the page-limit set in the config"
    return f"{doc.venue.name} ({doc.venue.mode})"


@rule("PT501", "over-page-limit", "error", "Main content is longer than the venue allows")
def over_limit(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: compares main-content pages (up to the references, the appendix or a heading
    the venue exempts, such as ACL's Limitations) with the page limit of the venue and mode, or
    `page-limit` from the config. Exact when papertrack compiled the paper; with only an
    estimate (no TeX, or `--no-compile`) it only warns: "probably over" when the estimate is
    over by more than its error, "may be over" when it is over by less.

    Why it matters: over-length papers are desk-rejected at most venues, without review.

    Example: 8.4 pages of main content under ACL's 8-page review limit.

    Fix: cut about the number of lines given, move material to the appendix, or shrink floats.
    """
    p = doc.pages
    if p is None or p.main_pages is None or p.limit is None:
        return
    over = p.main_pages - p.limit
    if p.method == "estimate":
        if over > 0:
            # an estimate is never the verdict, but a likely overflow must not pass silently
            # (a pre-commit hook runs without TeX)
            likely = "probably over" if over > (p.error or 0) else "may be over"
            yield Hit(
                f"about {p.main_pages:.1f} pages of main content (estimate +/- {p.error:.1f}) against the limit of "
                f"{p.limit:g} from {_venue(doc, cfg)}: {likely}; compile for an exact count",
                _where(doc),
                severity=Severity.WARNING,
            )
        return
    if p.method == "pdf":
        if p.main_pages - (p.error or 0) > p.limit:
            yield Hit(
                f"main content runs past page {p.limit:g} of the PDF ({_venue(doc, cfg)} limit)",
                _where(doc),
            )
        return
    if over > 0:
        lines = f", about {p.over_lines} lines" if p.over_lines else ""
        yield Hit(
            f"{p.main_pages:.2f} pages of main content: {over:.2f} page over the limit of {p.limit:g}{lines}, "
            f"from {_venue(doc, cfg)}" + (f" ({p.ended_by})" if p.ended_by else ""),
            _where(doc),
            "cut text, move material to the appendix, or shrink figures and tables",
        )


@rule("PT502", "near-page-limit", "warning", "Less than a quarter page is left before the limit")
def near_limit(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: warns when the exact main-content count is within a quarter page of the limit.

    Why it matters: one more sentence from a coauthor, a camera-ready font fix or a reviewer's
    requested clarification pushes the paper over.

    Example: 8.85 of 9 pages.

    Fix: nothing is wrong yet; budget the remaining edits with the space left in mind.
    """
    p = doc.pages
    if p is None or p.method != "exact" or p.main_pages is None or p.limit is None:
        return
    left = p.limit - p.main_pages
    if 0 <= left < NEAR_LIMIT:
        lines = f", about {abs(p.over_lines)} lines" if p.over_lines else ""
        yield Hit(
            f"{p.main_pages:.2f} of {p.limit:g} pages: only {left:.2f} page left{lines}",
            _where(doc),
        )
