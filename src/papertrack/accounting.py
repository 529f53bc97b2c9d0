"""Counting pages for the check: compile when TeX is there, else read a PDF, else estimate."""

from __future__ import annotations

import shutil
from pathlib import Path

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.model.pages import PageAccount, estimate


def page_limit(doc: Document, cfg: Config) -> float | None:
    if cfg.page_limit is not None:
        return cfg.page_limit
    return doc.venue.page_limit if doc.venue else None


def _exempt(doc: Document) -> tuple[list[str], list[str]]:
    """Headings and macros after which content no longer counts, from the venue profile."""
    if doc.venue is None:
        return [], []
    from papertrack import venues

    rules = venues.counting(doc.venue.profile, doc.venue.mode)
    return list(rules.exempt_headings), list(rules.exempt_after_macros)


def tex_available() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def account_pages(doc: Document, cfg: Config, pdf: Path | None = None) -> PageAccount:
    """The best page figure available: exact (compiled), from a PDF, or estimated."""
    limit = page_limit(doc, cfg)
    headings, _macros = _exempt(doc)
    if pdf is not None:
        return _from_pdf(doc, Path(pdf), headings, limit)
    if cfg.compile and tex_available():
        result = compile_for(doc, cfg)
        doc.compile = result
        return pages_from_compile(doc, cfg, result)
    est = estimate(doc, limit)
    est.reason = "no-tex" if cfg.compile else "no-compile"
    if cfg.compile:
        est.notes.insert(0, "TeX is not installed")
    return est


def compile_for(doc: Document, cfg: Config, cancel=None):
    """Compile the paper as the check does (venue exemptions, timeout); `cancel` (an Event) stops it."""
    from papertrack.pages import compile_paper

    headings, macros = _exempt(doc)
    extra = {"cancel": cancel} if cancel is not None else {}
    return compile_paper(
        doc.folder,
        Path(doc.main),
        timeout=cfg.compile_timeout,
        exempt_headings=headings,
        exempt_macros=macros,
        **extra,
    )


def pages_from_compile(doc: Document, cfg: Config, result) -> PageAccount:
    """The exact count from a build (a CompileResult), or an estimate saying why there is none."""
    limit = page_limit(doc, cfg)
    m = result.pages
    if m is not None:
        over_lines = None
        if limit is not None:
            over_lines = m.overflow(limit).lines_over
        caveat = None
        first = result.first_error
        if first is not None:
            # name the error that stops the build (a missing figure), not a BibTeX warning
            at = f" ({first.file}:{first.line})" if first.file and first.line else ""
            caveat = f"measured on a build with errors: fix PT701 first: {first.message[:90]}{at}"
        elif m.bib_start_page is None and doc.has_bibliography_command:
            caveat = "the bibliography is missing from the build"
        conv = getattr(result, "convergence", None)
        unsettled = conv is not None and not conv.converged and first is not None
        if unsettled:
            # cross-references still changing: the layout is not final, so the figure is not exact
            caveat = f"{caveat}; not converged ({conv.reason}), an estimate"
        return PageAccount(
            "estimate" if unsettled else "exact",
            m.main_content_pages,
            limit=limit,
            total_pages=m.total_pages,
            ended_by=_ended_by(m.ended_by),
            end=m.end.describe(),
            bib_start_page=m.bib_start_page,
            appendix_start_page=m.appendix_start_page,
            over_lines=over_lines,
            notes=list(m.notes),
            caveat=caveat,
            error=0.25 if unsettled else None,
        )
    est = estimate(doc, limit)
    first = result.first_error
    why = f"the compile failed ({first.message[:80]})" if first else "the compile produced no PDF"
    est.notes.insert(0, f"{why}; showing an estimate")
    est.reason = "compile-failed"
    return est


def _ended_by(text: str | None) -> str | None:
    if not text:
        return None
    return text if text.startswith(("ends", "ended")) else f"ends before {text}"


def _from_pdf(doc: Document, pdf: Path, headings: list[str], limit: float | None) -> PageAccount:
    from papertrack.errors import PapertrackError
    from papertrack.pages import pdf_pages

    try:
        info = pdf_pages(pdf, headings)
    except Exception as exc:  # pypdf raises many types on damaged files
        raise PapertrackError(f"{pdf}: cannot be read as a PDF ({type(exc).__name__})") from None
    end = info.end_page
    main = float(end - 1) if end else float(info.total_pages)
    acc = PageAccount(
        "pdf",
        main,
        limit=limit,
        total_pages=info.total_pages,
        ended_by=f"ends before {info.ended_by}" if info.ended_by else None,
        bib_start_page=info.bib_start_page,
        appendix_start_page=info.appendix_start_page,
        notes=["from the PDF's text: whole pages before the page where main content ends"],
    )
    if end:
        # the page holding the heading is partly main content: count it as a range
        acc.notes.append(f"main content ends on page {end}: between {end - 1} and {end} pages")
        acc.main_pages = end - 0.5
        acc.error = 0.5
    return acc
