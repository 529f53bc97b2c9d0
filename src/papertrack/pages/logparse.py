"""Turn a LaTeX/latexmk/BibTeX/Biber build's logs into plain findings (CompileProblem)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from papertrack.pages.logfiles import OUT_DIR_NAME, FileStack, is_system_path, source_relative
from papertrack.pages.texmessages import missing_file, missing_language

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class CompileProblem:
    """One finding from a build: what went wrong, how bad, and where (source-relative)."""

    kind: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    context: str | None = None
    via: str | None = None  # the TeX Live file the user's `file` loaded (error inside it)
    # a paragraph TeX numbers from its first line, in this file it closed before the paragraph
    # ended (`\\input{x}` then a blank line: the lines are x's, the file is the includer)
    started_in: str | None = None
    # an overfull box TeX built outside a paragraph or alignment ("detected at line"): an
    # \hbox to a fixed width, where a zero-width box may hold a full-width block on purpose
    built_box: bool = False


# "./main.tex:84: Package pdftex.def Error: ..." (needs -file-line-error). The file part must
# look like a path with an extension so "Warning: x:1: y" style text is not taken for one.
_FILE_LINE_ERROR = re.compile(
    r"^(?P<file>(?:[A-Za-z]:)?[^:\s][^:]*?\.[A-Za-z0-9]+):(?P<line>\d+): "
    r"(?P<msg>.*)$"
)
_BANG = re.compile(r"^! (?P<msg>.*)$")
# what minted writes by running Pygments (shell escape): missing because the build has none,
# which minted's own error says; not a file the paper lacks
_MINTED_OUTPUT = re.compile(r"(?:^|/)_minted|\.pyg(?:style|tex)$")
_PACKAGE_CONTINUED = re.compile(r"^\([A-Za-z0-9@_.-]+\)\s+(?P<rest>\S.*)$")
_CONTEXT = re.compile(r"^l\.(?P<line>\d+) ?(?P<text>.*)$")
_FATAL = ("Emergency stop.", "==> Fatal error occurred, no output PDF file produced!")
_UNDEF = re.compile(
    r"(?:LaTeX|Package natbib) Warning: (?P<what>Reference|Citation) [`'](?P<key>[^`']*)' "
    r"on page \S+ undefined on input line (?P<line>\d+)"
)
_BIBLATEX_UNDEF = re.compile(
    r"Package biblatex Warning: The following entry could not be found"
    r"\s*\(biblatex\)\s*in the database:\s*\(biblatex\)\s*(?P<key>\S+)"
)
_OVERFULL = re.compile(
    r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) "
    r"(?:in paragraph at lines (?P<a>\d+)--\d+|in alignment at lines "
    r"(?P<b>\d+)--\d+|detected at line (?P<c>\d+))"
)
_FONT_SHAPE = re.compile(
    r"LaTeX Font Warning: Font shape [`'](?P<shape>[^`']+)' undefined\s*"
    r"\(Font\)\s+using [`'](?P<using>[^`']+)' instead"
    r"(?:\s*\(Font\)\s+for symbol [`'](?P<symbol>[^`']+)')?(?: on input line (?P<line>\d+))?"
)
_PKG_WARNING = re.compile(
    r"^(?P<kind>Package|Class) (?P<name>\S+) Warning: (?P<msg>.*?)"
    r"(?: on input line (?P<line>\d+))?\.?$"
)
_FONT_MISSING_HINTS = re.compile(
    r"not installed|do not have|don't have|not available|"
    r"could not be found|font .* not found|substitut",
    re.I,
)
_MISSING_CHAR = re.compile(r"^Missing character: There is no (?P<char>.+?) in font (?P<font>.+?)!")
_BUILD_PATH = re.compile(r"(?:/[^\s`'\"():]+)*/" + re.escape(OUT_DIR_NAME) + r"/")


def scrub(message: str) -> str:
    """A message without the build folder's internal names (its paths become the paper's)."""
    return _BUILD_PATH.sub("", message).replace(OUT_DIR_NAME + "/", "")


def _name(path: str | None) -> str | None:
    return path.strip().strip('"').replace("\\", "/").rsplit("/", 1)[-1] if path else None


def _is_fatal(msg: str) -> bool:
    return any(msg.startswith(f) for f in _FATAL)


def parse_log(text: str) -> list[CompileProblem]:
    """Findings from a TeX .log (written with -file-line-error and max_print_line=10000)."""
    lines = text.splitlines()
    problems: list[CompileProblem] = []
    errors: list[CompileProblem] = []
    undefined: dict[tuple[str, str], list[tuple[str | None, int]]] = {}
    overfull: list[tuple[float, str | None, int | None, str | None, bool]] = []
    shapes: dict[tuple[str, str], tuple[str | None, int | None]] = {}
    shape_counts: Counter[tuple[str, str]] = Counter()
    missing_chars: Counter[str] = Counter()
    seen_pkg_warnings: set[str] = set()
    files = FileStack()
    for i, line in enumerate(lines):
        fle = _FILE_LINE_ERROR.match(line)
        bang = None if fle else _BANG.match(line)
        if fle or bang:
            msg = scrub((fle or bang).group("msg").strip())  # type: ignore[union-attr]
            # a package's error goes on under "(babel)   ": the cause is often there
            for follow in lines[i + 1 : i + 6]:
                c = _PACKAGE_CONTINUED.match(follow)
                if not c:
                    break
                msg += " " + scrub(c.group("rest").strip())
            file = source_relative(fle.group("file")) if fle else files.current()
            lineno = int(fle.group("line")) if fle else None
            via = None
            if file is None or is_system_path(file):
                # an error inside a TeX Live file: the author's \usepackage/\input that led there
                file, via = files.user_and_via()
                lineno = None
            context = None
            for follow in lines[i + 1 : i + 40]:
                c = _CONTEXT.match(follow)
                if c:
                    context = f"l.{c.group('line')} {c.group('text')}".rstrip()
                    if via is None:
                        lineno = lineno or int(c.group("line"))
                    break
                if _FILE_LINE_ERROR.match(follow) or _BANG.match(follow):
                    break
            if via is not None:
                context = None  # a line of the TeX Live file, not of the author's
            lang = missing_language(msg, lines[i + 1 : i + 3])
            if lang is not None:  # PT703's (install it), not an error of the paper (PT701)
                problems.append(CompileProblem("missing-file", "error", lang, file, via=_name(via)))
                continue
            errors.append(
                CompileProblem("tex-error", "error", msg, file, lineno, context, via=_name(via))
            )
            nf = missing_file(msg)
            if nf and not _MINTED_OUTPUT.search(nf.removeprefix("missing file ")):
                problems.append(CompileProblem("missing-file", "error", nf, file, lineno, context))
            continue
        m = _UNDEF.search(line)
        if m:
            kind = "undefined-reference" if m.group("what") == "Reference" else "undefined-citation"
            undefined.setdefault((kind, m.group("key")), []).append(
                (files.current(), int(m.group("line")))
            )
        m = _OVERFULL.match(line)
        if m:
            ln = m.group("a") or m.group("b") or m.group("c")
            began = files.closed if m.group("a") else None
            where = (files.current(), int(ln) if ln else None)
            overfull.append((float(m.group("pt")), *where, began, bool(m.group("c"))))
        if line.startswith("LaTeX Font Warning: Font shape"):
            # one symbol's substitute says which on a third line ("for symbol `textbraceleft'
            # on input line 40"): the line to act on
            m = _FONT_SHAPE.search(" ".join(lines[i : i + 3]))
            if m:
                sym = f" for \\{m.group('symbol')}" if m.group("symbol") else ""
                key = (m.group("shape"), m.group("using") + sym)
                shape_counts[key] += 1
                ln = m.group("line")
                shapes.setdefault(key, (files.current(), int(ln) if ln else None))
        m = _MISSING_CHAR.match(line)
        if m:
            missing_chars[f"{m.group('char')} in font {m.group('font')}"] += 1
        m = _PKG_WARNING.match(line)
        if m and _FONT_MISSING_HINTS.search(m.group("msg")):
            msg = f"{m.group('kind')} {m.group('name')}: {m.group('msg').strip()}"
            if msg not in seen_pkg_warnings:
                seen_pkg_warnings.add(msg)
                ln = m.group("line")
                problems.append(
                    CompileProblem(
                        "font-missing", "warning", msg, files.current(), int(ln) if ln else None
                    )
                )
        files.feed(line)

    real = [e for e in errors if not _is_fatal(e.message)]
    first = real[0] if real else (errors[0] if errors else None)
    if first is not None and first.context is None:
        # "File `x.sty' not found" shows its l.N context only after the emergency stop it causes.
        later = errors[errors.index(first) + 1 :]
        fatal = next((e for e in later if _is_fatal(e.message) and e.context), None)
        if fatal is not None:
            first = CompileProblem(
                first.kind,
                first.severity,
                first.message,
                first.file,
                first.line or (None if first.via else fatal.line),
                None if first.via else fatal.context,
                via=first.via,
            )
    if first is not None:
        total = len(real) or len(errors)
        suffix = f" (first of {total} errors)" if total > 1 else ""
        problems.insert(
            0,
            CompileProblem(
                "tex-error",
                "error",
                first.message + suffix,
                first.file,
                first.line,
                first.context,
                via=first.via,
            ),
        )
    for (kind, key), where in undefined.items():
        file, ln = where[0]
        what = "Reference" if kind == "undefined-reference" else "Citation"
        times = f" ({len(where)} times)" if len(where) > 1 else ""
        problems.append(
            CompileProblem(kind, "warning", f"{what} '{key}' undefined{times}", file, ln)
        )
    for (shape, using), count in shape_counts.items():
        file, ln = shapes[(shape, using)]
        times = f" ({count} times)" if count > 1 else ""
        problems.append(
            CompileProblem(
                "font-substitution",
                "warning",
                f"font shape {shape} undefined, using {using}{times}",
                file,
                ln,
            )
        )
    for what, count in missing_chars.items():
        problems.append(
            CompileProblem(
                "missing-character", "warning", f"missing character: no {what} ({count} times)"
            )
        )
    problems.extend(_overfull_problems(overfull))
    return problems


# An overfull line is visible from about 10pt; an inch (72.27pt) runs off the column into the
# margin or the other column, the kind of defect a venue's format check rejects.
OVERFULL_VISIBLE_PT = 10.0
OVERFULL_SEVERE_PT = 72.27


def overfull_severity(pt: float) -> Severity:
    """How bad a line sticking out by `pt` is: grows with its size."""
    if pt >= OVERFULL_SEVERE_PT:
        return "error"
    return "warning" if pt >= OVERFULL_VISIBLE_PT else "info"


def _overfull_problems(
    overfull: list[tuple[float, str | None, int | None, str | None, bool]],
) -> list[CompileProblem]:
    """Each visible overfull line at its place; the small ones summarised once."""
    out = []
    for pt, file, ln, began, built in overfull:
        if pt >= OVERFULL_VISIBLE_PT:
            out.append(
                CompileProblem(
                    "overfull-hbox",
                    overfull_severity(pt),
                    f"a line runs {pt:g}pt into the margin",
                    file,
                    ln,
                    started_in=began,
                    built_box=built,
                )
            )
    small = [o for o in overfull if o[0] < OVERFULL_VISIBLE_PT]
    if small:
        pt, file, ln, began, _built = max(small, key=lambda o: o[0])
        n = len(small)
        out.append(
            CompileProblem(
                "overfull-hbox",
                "info",
                f"{n} overfull line{'s' if n > 1 else ''} into the margin; worst {pt:g}pt too wide",
                file,
                ln,
                started_in=began,
            )
        )
    return out


def parse_latexmk_output(text: str) -> list[CompileProblem]:
    """Findings only latexmk's own output has: a bibliography tool it refused to run."""
    problems: list[CompileProblem] = []
    seen: set[str] = set()
    pattern = re.compile(
        r"I WON'T RUN '(?P<tool>[^'\s]+)[^']*' because I don't find the "
        r"following files:[ \t]*\n(?P<files>(?:[ \t]+\S[^\n]*\n?)+)"
    )
    for m in pattern.finditer(text):
        missing = ", ".join(
            f.strip().strip("'") for f in m.group("files").splitlines() if f.strip()
        )
        msg = (
            f"latexmk did not run {m.group('tool')}: {missing} not found, so the PDF has no "
            "bibliography"
        )
        if msg not in seen:
            seen.add(msg)
            problems.append(CompileProblem("missing-bib", "error", msg, missing.split(", ")[0]))
    return problems


def parse_blg(text: str, tool: str = "bibtex") -> list[CompileProblem]:
    """Errors from a BibTeX or Biber .blg: missing style or database, syntax errors."""
    problems: list[CompileProblem] = []
    if tool == "biber" or (text.startswith("[") and "INFO - This is Biber" in text):
        for m in re.finditer(r"^\[\d+\] [^\n]*?ERROR - (?P<msg>[^\n]*)", text, re.M):
            problems.append(CompileProblem("biber-error", "error", m.group("msg").strip()))
        return problems
    for m in re.finditer(
        r"^I couldn't open (?P<what>style|database) file (?P<file>\S+)", text, re.M
    ):
        problems.append(
            CompileProblem(
                "bibtex-error",
                "error",
                f"BibTeX could not open {m.group('what')} file {m.group('file')}",
                m.group("file"),
            )
        )
    for m in re.finditer(
        r"^(?P<msg>[^\n]*)---line (?P<line>\d+) of file (?P<file>\S+)", text, re.M
    ):
        if not m.group("msg").strip() or m.group("msg").startswith("Warning--"):
            continue
        if m.group("msg").startswith("Repeated entry"):
            continue  # a duplicate key: PT205's, at the same line, with BibTeX's outcome
        if m.group("msg").startswith("White space in argument") and m.group("file").endswith(
            ".aux"
        ):
            continue  # a \cite key with a space: PT201 reports it at the \cite
        if m.group("msg").strip() == "while executing":
            # the style failed on an entry: the line before says what, and for which entry
            before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
            problems.append(
                CompileProblem(
                    "bibtex-error",
                    "error",
                    f"BibTeX: {before} (the style {m.group('file')} failed at its line"
                    f" {m.group('line')})",
                )
            )
            continue
        problems.append(
            CompileProblem(
                "bibtex-error",
                "error",
                m.group("msg").strip(),
                source_relative(m.group("file")),
                int(m.group("line")),
            )
        )
    return problems


def collect_problems(
    out_dir: Path, jobname: str, latexmk_output: str = "", bib_tool: str = "bibtex"
) -> list[CompileProblem]:
    """All findings of one build: the job's .log, latexmk's output and every .blg."""
    problems: list[CompileProblem] = []
    log = out_dir / f"{jobname}.log"
    if log.is_file():
        problems.extend(parse_log(log.read_text(encoding="utf-8", errors="replace")))
    problems.extend(parse_latexmk_output(latexmk_output))
    for blg in sorted(out_dir.glob("*.blg")):
        problems.extend(parse_blg(blg.read_text(encoding="utf-8", errors="replace"), bib_tool))
    return problems
