"""Page facts of a LaTeX paper: compile it safely, measure where main content ends."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papertrack.pages.compile import CompileResult, compile_paper
    from papertrack.pages.engine import bib_tool, choose_engine
    from papertrack.pages.logparse import CompileProblem, parse_log
    from papertrack.pages.metrics import ContentEnd, Overflow, PageMetrics, Position, overflow
    from papertrack.pages.pdfmode import PdfPageInfo, pdf_pages

# Names re-exported from the submodules, imported on first use: a check without a build
# (--no-compile) imports papertrack.pages.sandbox and .record, and must not pay for the whole
# compile stack (compile, mirror, metrics, probe data: ~30-60 ms of a cold check) to do so.
_FROM = {
    "CompileResult": "compile",
    "compile_paper": "compile",
    "bib_tool": "engine",
    "choose_engine": "engine",
    "CompileProblem": "logparse",
    "parse_log": "logparse",
    "ContentEnd": "metrics",
    "Overflow": "metrics",
    "PageMetrics": "metrics",
    "Position": "metrics",
    "overflow": "metrics",
    "PdfPageInfo": "pdfmode",
    "pdf_pages": "pdfmode",
}

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


def __getattr__(name: str):
    sub = _FROM.get(name)
    if sub is None:
        # not a re-export: `from papertrack.pages import sandbox` then imports the submodule
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{sub}"), name)
    globals()[name] = value
    return value
