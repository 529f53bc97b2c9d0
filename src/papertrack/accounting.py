"""Counting pages for the check: compile when TeX is there, else read a PDF, else estimate."""

from __future__ import annotations

import shutil
from pathlib import Path

from papertrack.config import Config
from papertrack.model.document import Document
from papertrack.model.pages import PageAccount, Since, estimate, exempt, weighted_lines


def tex_available() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def account_pages(
    doc: Document, cfg: Config, pdf: Path | None = None, paper_folder: Path | None = None
) -> tuple[PageAccount, object | None]:
    """The best page figure available: exact (compiled), from a PDF, or estimated.

    `paper_folder`: the paper's own folder when `doc` is a copy of it (a commit rebuilt from
    git), so the estimate starts from the paper's last exact build of the same layout.
    Returns (PageAccount, the CompileResult of the build or None); the engine stores both."""
    limit = doc.page_limit
    headings, _macros = exempt(doc)
    if pdf is not None:
        return _from_pdf(doc, Path(pdf), headings, limit), None
    if cfg.compile and tex_available():
        result = compile_for(doc, cfg)
        return pages_from_compile(doc, cfg, result), result
    est = estimate_pages(doc, limit, paper_folder=paper_folder)
    if est.method == "estimate":
        est.reason = "no-tex" if cfg.compile else "no-compile"
    if cfg.compile:
        est.notes.insert(0, "TeX is not installed")
    return est, None


def _anchor_file(doc: Document, folder: Path | None = None) -> Path:
    return anchor_file(Path(folder or doc.folder), doc.main)


def anchor_file(folder: Path, main: str) -> Path:
    """Where the last exact build of a paper (its folder and main file) is remembered."""
    from papertrack.paths import cache_dir, project_key

    name = project_key(Path(folder)) + "-" + Path(main).stem[:40] + ".json"
    return cache_dir() / "estimate" / name


def _build_layout(doc: Document, probe):
    """The layout a build measured (text block, columns, line height), font from the source."""
    from papertrack.model.layout import page_layout

    lay = page_layout(doc)
    g = getattr(probe, "geometry", None) if probe is not None else None
    if g is not None and g.text_height > 0 and g.baselineskip > 0:
        sp = 65536.0
        lay.text_width, lay.text_height = g.text_width / sp, g.text_height / sp
        lay.baselineskip = g.baselineskip / sp
        if g.columns > 1:
            lay.columns = g.columns
            lay.column_sep = max(0.0, (g.text_width - g.columns * g.column_width) / sp)
    return lay


def _lines_in(doc: Document, lay) -> float:
    from papertrack.model.measure import measure

    headings, _ = exempt(doc)
    m = measure(doc, lay, headings)
    return weighted_lines(m.parts()) + m.page_breaks * lay.lines_per_page


def remember_build(doc: Document, pages: float, probe) -> None:
    """Keep what an exact build measured, so later figures are that count plus the edits since."""
    import json
    import os

    try:
        lay = _build_layout(doc, probe)
        record = {
            "pages": pages,
            "lines": _lines_in(doc, lay),
            "layout": {
                k: getattr(lay, k)
                for k in ("text_width", "text_height", "columns", "column_sep", "size")
            }
            | {"baselineskip": lay.baselineskip, "font": lay.font},
        }
        path = _anchor_file(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        tmp.replace(path)
    except (OSError, ValueError, RecursionError):
        pass  # the record only refines later figures; the exact count stands without it


def estimate_pages(
    doc: Document, limit: float | None, paper_folder: Path | None = None
) -> PageAccount:
    """The figure without a fresh build: the last exact build plus the change since, else the
    layout estimate. Watch calls this between builds; history calls it for each commit's tree
    with `paper_folder`, the paper's own folder, so that points use the layout and count its
    last build measured."""
    import json

    from papertrack.model.layout import page_layout

    try:
        record = json.loads(_anchor_file(doc, paper_folder).read_text(encoding="utf-8"))
        lay = page_layout(doc)
        built = record["layout"]
        if (lay.columns, lay.size, lay.font) != (
            built.get("columns", lay.columns),
            built.get("size"),
            built.get("font"),
        ):
            # another layout (a template switched since, an older state of the paper): that
            # build's count says nothing of this one
            return estimate(doc, limit)
        for k, v in built.items():
            setattr(lay, k, v)
        lines = _lines_in(doc, lay) - float(record["lines"])
        since = Since(float(record["pages"]), lines, lay.lines_per_page)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return estimate(doc, limit)
    return PageAccount(
        "exact",
        since.pages,
        limit=limit,
        since=since,
        lines_per_page=round(lay.lines_per_page, 1),
        notes=[since.describe() + "; compile for the exact count of this text"],
    )


def compile_for(doc: Document, cfg: Config, cancel=None):
    """Compile the paper as the check does (venue exemptions, timeout); `cancel` (an Event) stops it."""
    from papertrack.pages import compile_paper

    headings, macros = exempt(doc)
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
    limit = doc.page_limit
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
            # a $ left open: PT404 reports it at the $ and PT701 leaves TeX's echo of it out
            code = "PT404" if _dollar_left_open(doc, first) else "PT701"
            caveat = f"measured on a build with errors: fix {code} first: {first.message[:90]}{at}"
            if getattr(result, "needs_shell_escape", False):
                caveat = (
                    "measured on a build that stopped where the paper needs shell escape (PT707)"
                )
        elif m.bib_start_page is None and doc.has_bibliography_command:
            caveat = "the bibliography is missing from the build"
        conv = getattr(result, "convergence", None)
        unsettled = conv is not None and not conv.converged and first is not None
        if unsettled:
            # cross-references still changing: the layout is not final, so the figure is not exact
            caveat = f"{caveat}; not converged ({conv.reason}), an estimate"
        if caveat is None and not unsettled:
            remember_build(doc, m.main_content_pages, getattr(result, "probe", None))
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
    est = estimate_pages(doc, limit)
    first = result.first_error
    why = f"the compile failed ({first.message[:80]})" if first else "the compile produced no PDF"
    est.notes.insert(
        0,
        f"{why}; showing "
        + ("the last build's count plus the edits since" if est.since else "an estimate"),
    )
    if est.method == "estimate":
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
    measured = None
    try:
        from papertrack.pages.pdfmode import pdf_content_end

        measured = pdf_content_end(pdf, headings)
    except Exception:  # positions are a refinement: the page-level answer stands without them
        measured = None
    if measured is not None and measured.ended_by != "end of document":
        over = None
        if limit is not None:
            over = round((measured.pages - limit) * measured.lines_per_page)
        return PageAccount(
            "pdf",
            round(measured.pages, 2),
            limit=limit,
            total_pages=info.total_pages,
            error=0.0,
            ended_by=f"ends before {measured.ended_by}",
            end=measured.describe(),
            bib_start_page=(
                measured.heading_page if measured.ended_by == "references" else info.bib_start_page
            ),
            appendix_start_page=info.appendix_start_page,
            over_lines=over,
            notes=[
                f"from the PDF's text positions: the last line before the {measured.ended_by} "
                f"heading (p{measured.heading_page}) is on {measured.describe()}"
            ],
        )
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


def _dollar_left_open(doc: Document, first) -> bool:
    """TeX's "Missing $ inserted" where the source check found a $ never closed (PT404)."""
    return first.message.startswith("Missing $ inserted") and bool(
        doc.diagnostics_for("unclosed-math")
    )
