"""PT4xx: LaTeX structure papertrack can see without compiling: braces, environments, math."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.rules.base import Hit, diagnostic_rule, rule


@rule("PT401", "unbalanced-brace", "error", "A { is never closed, or a } closes nothing")
def unbalanced_brace(document: Document, _config: Config) -> Iterator[Hit]:
    """
    What it does: reports braces that do not pair up within a file (escaped \\{ \\}, comments and
    verbatim are ignored). A `}` that closes nothing is an error (TeX stops: "Extra }"); a `{`
    still open at the end of the file is info, because TeX carries on and only notes "\\end
    occurred inside a group" in its log.

    Why it matters: LaTeX either stops ("Missing } inserted", "Extra }") or swallows the rest of
    the file into one group: fonts and sizes leak into the following pages.

    Example: `\\textbf{important result` with no closing brace.

    Fix: add or remove the brace at the place given; the reported { is the outermost open one.
    """
    for d in document.diagnostics_for("unbalanced-brace"):
        severity = Severity.INFO if d.extra == "open-at-end" else None
        yield Hit(d.message, Location(d.file, d.line, d.col), severity=severity)


diagnostic_rule(
    "PT402",
    "unclosed-environment",
    "error",
    "A \\begin{...} has no \\end{...} in its file",
    """
    What it does: reports environments opened in a file and never closed in it.

    Why it matters: LaTeX stops at the end of the document with "\\begin{...} ended by
    \\end{document}"; all the text after it is formatted as part of the environment.

    Example: `\\begin{itemize}` without `\\end{itemize}`.

    Fix: add the \\end where the environment should stop.
    """,
)
diagnostic_rule(
    "PT403",
    "mismatched-end",
    "error",
    "An \\end{...} does not match the open environment",
    """
    What it does: reports \\end{x} while a different environment is open, or with no \\begin{x}.

    Why it matters: LaTeX stops with "\\begin{figure} ended by \\end{table}".

    Example: `\\begin{figure} ... \\end{table}`.

    Fix: correct the environment name or the nesting order.
    """,
)
diagnostic_rule(
    "PT404",
    "unclosed-math",
    "error",
    "Math mode is opened and not closed",
    """
    What it does: reports a `$`, `$$`, `\\(` or `\\[` that is not closed before the paragraph or
    group ends.

    Why it matters: LaTeX stops with "Missing $ inserted" and typesets the following text as
    math.

    Example: `the cost is $O(n^2) per step.`

    Fix: close the math where the formula ends.
    """,
)
