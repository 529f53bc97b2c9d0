"""PT705: lines the build set into the margin, at their source line or the list that holds them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.rules.base import Hit, rule
from papertrack.rules.buildplace import build_location
from papertrack.rules.compile import build_problems
from papertrack.rules.perfloat import one_per_float


@rule("PT705", "text-in-margin", "info", "A line runs into the margin (overfull box)")
def overfull(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports overfull \\hbox warnings, with the source line. Severity grows with
    the overflow: under 10pt is information (summarised once), from 10pt each line is a
    warning, from an inch (72pt, text running off the column) an error. The overfull lines of
    one float (the rows of a table with a narrow column), and those one source line prints
    (\\printbibliography with long URLs), are one finding, at the widest.

    Why it matters: text in the margin is what reviewers and production editors notice; venues'
    format checkers flag it.

    Example: a long URL or formula that LaTeX cannot break.

    When the build lacks the babel language the paper is written in (PT703: its .ldf is not
    installed), TeX broke every line without that language's hyphenation: the overfull lines
    are one information finding, until a build with the language measures them.

    Fix: rephrase, allow a break (\\allowbreak, \\url), or shrink the formula.
    """
    from papertrack.findings import Severity
    from papertrack.model.queries import float_at

    overfull = build_problems(doc, ("overfull-hbox",))
    lang = _main_language_missing(doc)
    if lang is not None and overfull:
        yield _unhyphenated(doc, overfull, lang)
        return
    # the rows of one table overflow together (a long token in a narrow p{} column): one
    # finding per float, at its widest line, the other lines related
    found = []
    for p in overfull:
        if p.built_box and _longtable_caption(doc, p):
            continue
        hit = Hit(p.message, build_location(doc, p), severity=Severity.parse(p.severity))
        made = _generated_list(doc, p)
        if made is not None:  # a line of a list TeX writes: point at the command that prints it
            what, where, fix = made
            hit = Hit(
                p.message.replace("a line", f"a line of the {what}"), where, fix, hit.severity
            )
        small = hit.severity == Severity.INFO  # already one summary for the whole paper
        fl = (
            None
            if small or hit.location is None
            else float_at(doc, hit.location.file, hit.location.line)
        )
        m = re.search(r"([\d.]+)pt", p.message)  # the width it overflows by: widest first
        found.append((fl, -float(m.group(1)) if m else 0.0, hit))
    in_floats, by_line = [], []
    for fl, width, hit in found:
        if fl is None and hit.severity != Severity.INFO:
            by_line.append((width, hit))
        else:
            in_floats.append((fl, width, hit))
    yield from one_per_float(in_floats, "overfull lines")
    yield from _one_per_line(by_line)


_LONGTABLE = re.compile(r"\\(begin|end)\s*\{longtable\*?\}")
_CAPTION = re.compile(r"\\caption(?![A-Za-z@])")


def _longtable_caption(doc: Document, p) -> bool:
    """A longtable's \\caption row: with the caption package and fixed \\LTleft/\\LTright
    (0pt: a table flush with both margins) LaTeX sets the caption, a full-width block, in a
    zero-width box and logs it "Overfull \\hbox (<text width> too wide) detected at line n";
    the caption prints inside the text block, nothing runs into the margin."""
    where = build_location(doc, p)
    src = doc.project.files.get(where.file) if where is not None else None
    if src is None or src.problem or not p.line:
        return False
    lines = src.masked.splitlines()
    cap = _CAPTION.search(lines[p.line - 1]) if p.line <= len(lines) else None
    if cap is None:
        return False
    before = "\n".join([*lines[: p.line - 1], lines[p.line - 1][: cap.start()]])
    depth = 0
    for m in _LONGTABLE.finditer(before):
        depth += 1 if m.group(1) == "begin" else -1
    return depth > 0


def _one_per_line(found: list[tuple[float, Hit]]) -> Iterator[Hit]:
    """The overfull lines one source line prints (\\printbibliography with long URLs, a
    \\maketitle, a macro that typesets a block) are one finding, at the widest, with the count:
    the line is one thing to fix, not twenty."""
    groups: dict[tuple[str, int] | int, list[tuple[float, Hit]]] = {}
    for item in found:
        where = item[1].location
        key = (where.file, where.line) if where is not None else id(item)
        groups.setdefault(key, []).append(item)
    for items in groups.values():
        _v, worst = min(items, key=lambda it: it[0])
        if len(items) == 1:
            yield worst
            continue
        severities = [h.severity for _v2, h in items if h.severity is not None]
        yield Hit(
            f"{worst.message} (and {len(items) - 1} more overfull lines this line prints)",
            worst.location,
            worst.fix,
            max(severities) if severities else None,
        )


# lists TeX writes into the build folder and prints where the paper asks for them
_LISTS = {
    ".lof": (
        "list of figures",
        "listoffigures",
        "give the long caption a short form: \\caption[short]{long}",
    ),
    ".lot": (
        "list of tables",
        "listoftables",
        "give the long caption a short form: \\caption[short]{long}",
    ),
    ".toc": (
        "table of contents",
        "tableofcontents",
        "give the long heading a short form: \\section[short]{long}",
    ),
    ".bbl": (
        "bibliography",
        "bibliography|printbibliography",
        "let a long URL or DOI break (\\usepackage{xurl})",
    ),
}


def _generated_list(doc: Document, p) -> tuple[str, Location, str] | None:
    """(what, where it is printed, fix) for a problem inside a list the build wrote."""
    suffix = PurePosixPath(p.file or "").suffix.lower()
    if suffix not in _LISTS:
        return None
    what, command, fix = _LISTS[suffix]
    pat = re.compile(rf"\\(?:{command})(?![A-Za-z@])")
    for rel in doc.project.order:
        src = doc.project.files[rel]
        m = pat.search(src.masked)
        if m:
            return what, Location(rel, *src.line_col(m.start())), fix
    return what, Location(doc.main, 1, 1), fix


_SUMMARY = re.compile(r"(\d+) overfull lines? into the margin")
_NO_LANGUAGE = re.compile(r"no babel language '([^']+)'")
# languages a class option may name (babel takes the class's options as languages too)
_LANGUAGES = frozenset(
    [
        "english",
        "american",
        "british",
        "USenglish",
        "UKenglish",
        "german",
        "ngerman",
        "austrian",
        "naustrian",
        "french",
        "francais",
        "spanish",
        "catalan",
        "italian",
        "portuguese",
        "portuges",
        "brazil",
        "brazilian",
        "dutch",
        "polish",
        "czech",
        "slovak",
        "russian",
        "ukrainian",
        "greek",
        "turkish",
        "swedish",
        "danish",
        "norsk",
        "nynorsk",
        "finnish",
        "hungarian",
        "romanian",
        "croatian",
        "serbian",
        "slovene",
        "estonian",
        "latvian",
        "lithuanian",
        "icelandic",
        "irish",
        "welsh",
        "basque",
        "galician",
        "hebrew",
        "arabic",
        "farsi",
        "indonesian",
        "malay",
        "vietnamese",
    ]
)


def _main_language_missing(doc: Document) -> str | None:
    """The paper's main babel language (main=, else the last language option) when the build's
    TeX lacks it (PT703), else None: a secondary language missing changes only its passages."""
    missing = {
        m.group(1)
        for p in build_problems(doc, ("missing-file",))
        if (m := _NO_LANGUAGE.search(p.message))
    }
    if not missing:
        return None
    langs = [o for o in (doc.document_class or ("", []))[1] if o in _LANGUAGES or o in missing]
    for name, opts in doc.packages:
        if name != "babel":
            continue
        for o in opts:
            key, _eq, value = o.partition("=")
            if key.strip() == "main" and value:
                langs.append(value.strip())
            elif not _eq:
                langs.append(o)
    return langs[-1] if langs and langs[-1] in missing else None


def _unhyphenated(doc: Document, overfull: list, lang: str) -> Hit:
    """The overfull lines of a build without the paper's language, as one information finding."""
    from papertrack.findings import Severity

    worst = max(overfull, key=lambda p: _width(p.message))
    # the small ones arrive as one summary ("12 overfull lines into the margin; worst ...")
    lines = sum(int(m.group(1)) if (m := _SUMMARY.match(p.message)) else 1 for p in overfull)
    return Hit(
        f"{lines} overfull lines (worst {_width(worst.message):g}pt) in a build "
        f"without '{lang}' hyphenation (this TeX has no babel language '{lang}', PT703): TeX "
        "broke the lines without it, so they are not checked one by one",
        build_location(doc, worst),
        f"install the '{lang}' language (PT703), then check again",
        Severity.INFO,
    )


def _width(message: str) -> float:
    m = re.search(r"([\d.]+)pt", message)
    return float(m.group(1)) if m else 0.0
