"""Page facts of a LaTeX paper: compile it safely, measure where main content ends."""

from __future__ import annotations

from papertrack.pages.compile import CompileResult, compile_paper
from papertrack.pages.engine import bib_tool, choose_engine
from papertrack.pages.logparse import CompileProblem, parse_log
from papertrack.pages.metrics import ContentEnd, Overflow, PageMetrics, Position, overflow
from papertrack.pages.pdfmode import PdfPageInfo, pdf_pages

__all__ = [
    "CompileProblem",
    "CompileResult",
    "ContentEnd",
    "Overflow",
    "PageMetrics",
    "PdfPageInfo",
    "Position",
    "bib_tool",
    "choose_engine",
    "compile_paper",
    "overflow",
    "parse_log",
    "pdf_pages",
]
