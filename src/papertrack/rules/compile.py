"""PT7xx: what the LaTeX build says: errors, and warnings that make the page count wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.model.graphics import graphics_outside, resolve_graphic
from papertrack.pages.texmessages import FONT_FIX, MISSING_FONT, fonts_message, missing_file
from papertrack.rules.base import Hit, rule
from papertrack.rules.bibbuild import bib_hits
from papertrack.rules.buildplace import (
    FOR_ENTRY,
    about_known_missing,
    bbl_entry,
    bibstyle_line,
    build_location,
    in_bib,
    loader_line,
    parsed_as_broken,
    second_bibstyle,
    unclosed_math_explains,
)


def build_problems(doc: Document, kinds: tuple[str, ...]):
    """The build's problems of these kinds (none without a build)."""
    res = doc.compile
    if res is None:
        return []
    return [p for p in res.problems if p.kind in kinds]


def _at_main(doc: Document, kind: str) -> Iterator[Hit]:
    """The build's problems of one kind that concern the paper as a whole (at its root file)."""
    for p in build_problems(doc, (kind,)):
        yield Hit(p.message, Location(doc.main, 1, 1))


@rule("PT701", "compile-error", "error", "LaTeX stopped with an error")
def compile_error(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports the first error of the LaTeX build (and BibTeX/Biber errors, a build
    that timed out or grew without bound), with the file and line from the log and the line of
    source LaTeX was reading.

    Why it matters: everything after the first error is unreliable, including the page count;
    fix the first error first.

    Example: `refs.bib` has `$450 million` in a title: BibTeX copies it to the .bbl and LaTeX
    stops with "Extra }, or forgotten $".

    Fix: go to the file and line given; the context line shows what LaTeX was reading.
    """
    first = doc.compile.first_error if doc.compile is not None else None
    # what stopped the build is reported (here, by PT703 or by the source check): a missing PDF
    # is its consequence, not a second error
    stopped = first is not None or bool(build_problems(doc, ("missing-file",)))
    if first is not None and getattr(doc.compile, "needs_shell_escape", False):
        first = None  # PT707: papertrack's own choice, not the paper's error
    if first is not None and _missing_first(doc) is not None:
        first = None  # a class or package not installed: PT703 says so, and that LaTeX stopped
    if first is not None and unclosed_math_explains(doc, first):
        first = None  # PT404 reports the $ that was never closed, at the $
    if first is not None and not about_known_missing(doc, first.message):
        ctx = f" (at: {first.context.strip()[:80]})" if first.context else ""
        if getattr(first, "via", None):
            ctx += f" (inside {first.via}, which this line loads)"
        where = build_location(doc, first)
        if first.file and first.file.endswith(".bbl"):
            # the .bbl is generated: point at the .bib entry the offending text came from
            found = in_bib(doc, first.context or "")
            if found is not None:
                where = found
                ctx += f"; the text comes from {found.file}:{found.line}"
            elif (entry := bbl_entry(doc, first.file, first.line)) is not None:
                where = Location(entry.file, entry.line, 1)
                ctx += f"; the text comes from entry '{entry.key}' ({entry.file}:{entry.line})"
        yield Hit(f"{first.message}{ctx}", where)
    told: set[str] = set()
    for p in build_problems(
        doc, ("bibtex-error", "biber-error", "timeout", "output-limit", "no-pdf")
    ):
        entry = FOR_ENTRY.search(p.message)
        found = doc.bib_index().get(doc.key(entry.group(1))) if entry else None
        if found:  # the style failed on one entry: that entry is where to look
            # BibTeX repeats the complaint at each style line that formats the names: one
            if p.message[: entry.end()] not in told:  # type: ignore[union-attr]
                yield Hit(p.message, Location(found[0].file, found[0].line, 1))
            told.add(p.message[: entry.end()])  # type: ignore[union-attr]
            continue
        if first is not None and p.kind in ("bibtex-error", "biber-error") and not p.line:
            # BibTeX/Biber reading what the failed LaTeX run left half-written (a malformed
            # .bcf, no \citation): a consequence of the first error, not a second problem
            continue
        if p.kind == "no-pdf" and stopped:
            continue
        where = build_location(doc, p)
        if p.kind == "bibtex-error" and not p.line:
            where = bibstyle_line(doc, p.message) or where
        if p.kind == "bibtex-error" and p.line and parsed_as_broken(doc, where):
            continue
        if p.message.startswith("Illegal, another \\bibstyle") and second_bibstyle(doc):
            yield second_bibstyle(doc)  # type: ignore[misc]
            continue
        yield Hit(p.message, where)


@rule(
    "PT702",
    "build-undefined-reference",
    "warning",
    "LaTeX reports a reference or citation as undefined",
)
def build_undefined(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports references and citations that the compiled document leaves undefined
    but the source check did not see (for example a \\cref in a section title that the class
    upper-cases in the running head, or a label defined by a package).

    Why it matters: the PDF shows "??" or "[?]", and the page count may change once fixed.

    Example: `Reference 'T:ASVC-COMPARISON' on page 20 undefined`.

    Not reported when the build had an error, or was stopped (time or output limit) before its
    last pass: what LaTeX says then is mostly a consequence of it.

    Fix: follow the message; for titles, use \\texorpdfstring or a \\protect'ed reference.
    """
    from papertrack.merge import authority, bib_tool_failed

    if authority(doc)[0] is not None and not authority(doc)[1]:
        return  # a finished, converged build: merge.py reports what it leaves undefined
    if doc.compile is not None and doc.compile.first_error is not None:
        return  # after an error the log's undefined-reference warnings are consequences, not causes
    if build_problems(doc, ("timeout", "output-limit")):
        return  # a build stopped before its last pass leaves references its next pass defines
    seen_refs, cited = {r.name for r in doc.refs}, doc.cited_keys()
    defined = {lb.name for lb in doc.labels}
    index = doc.bib_index()
    # PT007's missing .bib or the bibliography tool's failure (PT701) leaves every citation
    no_bib = bool(doc.diagnostics_for("missing-bibliography")) or bib_tool_failed(doc)
    for p in build_problems(doc, ("undefined-reference", "undefined-citation")):
        key = p.message.split("'")[1] if "'" in p.message else ""
        if p.kind == "undefined-reference" and key in seen_refs and key not in defined:
            continue  # PT101 already reports it at its source line
        if p.kind == "undefined-citation" and doc.key(key) in cited and doc.key(key) not in index:
            continue  # PT201 reports it at its source line
        if p.kind == "undefined-citation" and no_bib:
            continue
        yield Hit(p.message, build_location(doc, p))


@rule("PT703", "missing-file-in-build", "error", "LaTeX cannot find a file the paper needs")
def missing_in_build(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports files the build needed and did not find: a package or class (`.sty`,
    `.cls`) not installed, a `.bst` style, a `.bib` that BibTeX was never given.

    Why it matters: the build stops or runs without the bibliography: pages are wrong.

    Example: `File 'inconsolata.sty' not found` (install texlive-fonts-extra).

    Fonts the system lacks (fontspec's "The font ... cannot be found", a font without TeX
    metrics) are reported too, all of them as one finding: a class's font set (ctex's and
    ustcthesis's `fontset=mac`) names several at once.

    Fix: install the TeX package (`papertrack doctor` says how) or ship the file with the paper.
    """
    escaped = _shell_escape_error(doc) is not None
    stopped = _missing_first(doc)
    no_pdf = bool(build_problems(doc, ("no-pdf",)))
    fonts = [p for p in build_problems(doc, ("missing-file",)) if MISSING_FONT.match(p.message)]
    # the font LaTeX stopped at speaks for the others (problems compare by identity: the log
    # repeats one font's error at one place)
    fonts.sort(key=lambda p: p is not stopped)
    rest = {id(p) for p in fonts[1:]}
    for p in build_problems(doc, ("missing-file", "missing-bib")):
        if escaped and _SHELL_OUTPUT.search(p.message):
            continue  # the file the refused program would have written (_minted-main/...)
        if id(p) in rest:
            continue  # one font set (a class's fontset=mac) the system lacks: one finding
        if not about_known_missing(doc, p.message):
            why = (
                ""
                if p is not stopped
                else ": LaTeX stopped there" + (", no PDF was produced" if no_pdf else "")
            )
            if fonts and p is fonts[0]:
                yield Hit(fonts_message(fonts) + why, build_location(doc, p), FONT_FIX)
            else:
                yield Hit(p.message + why, _where_loaded(doc, p))


def _where_loaded(doc: Document, p) -> Location:
    """The \\usepackage or \\documentclass that asks for a missing file (LaTeX reports it at
    the line it reads next), else where the log says."""
    name = p.message.removeprefix("missing file ").strip()
    if p.kind == "missing-file" and not p.line and name.endswith((".sty", ".cls")):
        for rel in doc.project.order:
            found = loader_line(doc, rel, name)
            if found is not None:
                return found
    return build_location(doc, p)


def _missing_first(doc: Document):
    """The missing-file problem of the file the build's first error is about (LaTeX stopped
    at a class or package that is not there), if any."""
    first = doc.compile.first_error if doc.compile is not None else None
    want = missing_file(first.message) if first else None  # the log reader's own wording
    if want is None:
        return None
    return next((p for p in build_problems(doc, ("missing-file",)) if p.message == want), None)


# what minted and svg write when the program runs
_SHELL_OUTPUT = re.compile(r"_minted|\.pyg(?:style|tex)\b|svg-inkscape")


def _shell_escape_error(doc: Document):
    """The error where the build stopped for want of shell escape (None for any other)."""
    res = doc.compile
    return res.first_error if getattr(res, "needs_shell_escape", False) else None


@rule(
    "PT704",
    "font-substitution",
    "warning",
    "LaTeX used a different font than the template asks for",
)
def font_substitution(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports font substitutions and missing fonts in the build log (acmart
    without libertine falls back to Computer Modern silently).

    Why it matters: a different font changes line breaks and so the page count; the camera-ready
    check of the venue may reject the PDF.

    Example: `Font shape 'T1/lmtt/b/n' undefined, using 'T1/lmtt/m/n' instead`.

    Fix: install the fonts the template needs (texlive-fonts-extra on Debian/Ubuntu).
    """
    for p in build_problems(doc, ("font-substitution",)):
        yield Hit(p.message, build_location(doc, p))


@rule(
    "PT706",
    "left-out-of-build",
    "warning",
    "A file of the paper folder is not copied into the build",
)
def left_out_of_build(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports entries of the paper folder that the build does not see: symbolic
    links that lead outside the folder, named pipes, sockets and devices, unreadable files.

    Why it matters: papertrack compiles a copy of the paper folder and nothing else, so a
    link to a file elsewhere (`~/.ssh`, `/etc`, a shared folder) cannot put that file into the
    PDF or into CI output; if the paper needs it, the build reports it missing.

    Example: `macros.tex -> ../../shared/macros.tex`, or `data -> /dev/zero`.

    It also reports, as one finding, the graphics the source opens from outside the folder
    (`\\graphicspath{{../notebooks/}}` in a paper checked from its own subfolder): TeX in
    place finds them, the build's copy of the folder cannot.

    Fix: copy the file into the paper folder (coauthors, arXiv and CI need it there too), or
    delete the link or special file; for files outside the folder, check the folder that
    holds them all.
    """
    yield from _at_main(doc, "left-out")
    outside = graphics_outside(doc) if doc.compile is not None else []
    if outside:
        first = resolve_graphic(doc, outside[0].path, outside[0].file)
        n = len(outside)
        yield Hit(
            f"{n} graphics file{'s' if n > 1 else ''} lie{'' if n > 1 else 's'} outside the "
            f"paper folder ({first}{', ...' if n > 1 else ''}): the build compiles a copy of "
            "the folder and cannot read them, so its PDF and page count lack them",
            Location(outside[0].file, outside[0].line, outside[0].col),
            "check the folder that holds the paper and its graphics (papertrack check ..), "
            "or move the graphics into the paper folder",
            related=tuple(Location(g.file, g.line, g.col) for g in outside[1:]),
        )


@rule(
    "PT707",
    "build-refused",
    "warning",
    "papertrack did not run a program the paper needs, to keep your files safe",
)
def build_refused(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports that papertrack did not compile the paper with LuaLaTeX, or did not
    run Biber, because no sandbox (bubblewrap) is available and the paper is not trusted.

    Why it matters: Lua code in a paper can read, change and delete any file you can (TeX's
    own file restrictions do not cover Lua), and Biber reads any .bib file it is given. In
    the sandbox only the build folder is writable and your home folder is hidden. Without
    the build, pages are an estimate (or the bibliography is missing from the count).

    Example: `% !TEX program = lualatex` in a paper cloned from the web, on a machine without
    bwrap.

    Fix: install bubblewrap (`sudo apt-get install bubblewrap`; `papertrack doctor` says whether
    it works), or, for a paper you trust, pass `--trust-paper` or set `trust = true` in
    papertrack's user config file (never the paper's own config).

    It also reports a paper that needs shell escape (minted runs Pygments, svg runs Inkscape):
    papertrack never compiles with it, so its build stops where the package asks for it, and
    the pages and the log's findings come from an incomplete build; the paper is not broken.
    """
    yield from _at_main(doc, "refused")
    first = _shell_escape_error(doc)
    if first is not None:
        yield Hit(
            f"the paper needs shell escape ({first.message.strip()}); papertrack never compiles "
            "with it, so its build lacks what the package makes and its pages are approximate",
            build_location(doc, first),
            "for the page count, compile it yourself with -shell-escape and pass the PDF "
            "with --pdf",
        )


@rule(
    "PT708",
    "incomplete-bib-entry",
    "warning",
    "BibTeX/Biber: an entry lacks a field its style requires",
)
def incomplete_bib_entry(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports what the bibliography tool said about an entry's fields during the
    build ("empty journal in smith2020", "to sort, need author, editor, or key", Biber's
    "missing mandatory field"), at the entry's line in the .bib file. A complaint about five
    entries or more (a style that wants an address for every paper) is one finding, the
    entries related.

    Why it matters: the reference is printed without its venue or author, or sorted wrongly,
    and reviewers see an incomplete bibliography.

    Example: `@article{smith2020, title={...}, year={2020}}` with no `journal`.

    Fix: add the field, or use an entry type whose fields you have (@misc).
    """
    yield from bib_hits(doc, "missing-field", "add the missing field to the entry", group=True)


@rule(
    "PT709",
    "undefined-bib-string",
    "warning",
    "BibTeX/Biber: an entry uses an @string name that is not defined",
)
def undefined_bib_string(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports `@string` abbreviations (`journal = jcomp`) that the bibliography
    tool could not resolve, at the .bib line that uses them. Month abbreviations (`month =
    apr`) a style does not define, and one name used by five entries or more, are one finding
    with the entries related.

    Why it matters: the field is printed empty: references lose their venue without any error.

    Example: `journal = neurips` when no `@string{neurips = {...}}` is in the .bib files given
    to \\bibliography.

    Fix: define the string, add the .bib file that defines it to \\bibliography, or write the
    value out in braces.
    """
    yield from bib_hits(
        doc, "undefined-string", "define it with @string or write it out", group=True
    )


@rule(
    "PT710",
    "unknown-bib-entry-type",
    "warning",
    "BibTeX/Biber: the bibliography style does not know an entry's type",
)
def unknown_bib_entry_type(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports cited entries whose type (`@weblink`, `@online` under a BibTeX
    style) the bibliography style does not define, at the entry's line.

    Why it matters: the style falls back to @misc and drops fields: the reference may lose its
    URL, venue or date.

    Example: `@online{tool, url={...}}` with `\\bibliographystyle{plain}`.

    Fix: use a type the style knows (@misc with `howpublished`), or a style that knows it.
    """
    yield from bib_hits(doc, "unknown-type", "use an entry type the style defines")
