"""Where in the project a build problem is: the file and line the log names, the source line
that loaded the file it names, or the .bib entry behind a line of the generated .bbl."""

from __future__ import annotations

import re

from papertrack.findings import Location, Severity
from papertrack.model.document import Document
from papertrack.model.graphics import graphics_outside, resolve_graphic
from papertrack.rules.base import Hit


def build_location(doc: Document, p) -> Location:
    """Where in the project a build problem is (the root file when the log names none)."""
    # the log names files from TeX's working folder, the root file's folder
    rel = doc.project.from_workdir(p.file) if p.file else None
    began = _began_in(doc, rel, p)
    if began is not None:
        return began
    if rel and (rel in doc.project.files or (doc.folder / rel).is_file()):
        via = getattr(p, "via", None)
        if via and not p.line:
            found = loader_line(doc, rel, via)
            if found is not None:
                return found
        return Location(rel, p.line or 1, 1)
    return Location(doc.main, 1, 1)


def _began_in(doc: Document, rel: str | None, p) -> Location | None:
    """A paragraph that began in a file TeX closed before it ended: its first line is that
    file's. Known when the line comes before the \\input of that file in `rel` (a paragraph of
    `rel` after the \\input starts after it)."""
    closed = doc.project.from_workdir(p.started_in) if getattr(p, "started_in", None) else None
    if not (closed and rel and p.line) or closed not in doc.project.files:
        return None
    src = doc.project.files.get(rel)
    at = [i.pos for i in doc.project.includes.get(rel, []) if i.target == closed]
    # before its first \\input (the file may be read more than once): certainly not `rel`'s
    if src is None or not at or p.line >= src.line_col(min(at))[0]:
        return None
    return Location(closed, p.line, 1)


def loader_line(doc: Document, file: str, via: str) -> Location | None:
    """The \\usepackage/\\documentclass/\\input in `file` that loaded the TeX Live file `via`."""
    from pathlib import PurePosixPath

    src = doc.project.files.get(file)
    if src is None:
        return None
    stem = re.escape(PurePosixPath(via).stem)
    pattern = re.compile(
        r"\\(?:usepackage|RequirePackage|documentclass|LoadClass|input|include|usetheme)\s*"
        r"(?:\[[^\]]*\]\s*)?\{[^}]*?(?<![\w-])" + stem + r"(?![\w-])"
    )
    m = pattern.search(src.masked)
    if m is None:
        return None
    line, col = src.line_col(m.start())
    return Location(file, line, col)


FOR_ENTRY = re.compile(r" for entry (\S+)")
# \\bibitem[label]{key} (natbib's labels hold braces) and biblatex's \\entry{key}
_BBL_ITEM = re.compile(
    r"\\bibitem\s*(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\s*\{([^}]+)\}|\\entry\{([^}]+)\}"
)


def bbl_entry(doc: Document, bbl: str, line: int | None):
    """The .bib entry whose item holds this line of the generated .bbl: a style reformats names
    and titles ('Logan JL' from 'Logan, John L.'), so the text itself is not found in the .bib."""
    if not line or doc.compile is None:
        return None
    try:
        text = (doc.compile.out_dir / bbl).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    upto = "\n".join(text.splitlines()[:line])
    keys = [m.group(1) or m.group(2) for m in _BBL_ITEM.finditer(upto)]
    if not keys:
        return None
    found = doc.bib_index().get(doc.key(keys[-1].strip()))
    return found[0] if found else None


def in_bib(doc: Document, context: str) -> Location | None:
    """The .bib line holding the text LaTeX choked on in the generated .bbl, if it is unique."""
    text = re.sub(r"^l\.\d+\s*", "", context.strip())
    pieces = [p for p in re.split(r"[{}\\]", text) if len(p.strip()) >= 12]
    if not pieces:
        return None
    needle = max(pieces, key=len).strip()[:40]
    for rel in doc.project.bib_files:
        try:
            lines = (doc.folder / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines, 1):
            if needle in line:
                return Location(rel, i, line.index(needle) + 1)
    return None


def parsed_as_broken(doc: Document, where: Location) -> bool:
    """BibTeX's syntax error at `where` falls in an entry the source check already reports as
    broken (PT204, worded for the entry and its field): one mistake, reported once."""
    if not where.file.endswith(".bib"):
        return False
    starts = [e.line for e in doc.bib_entries if e.file == where.file and e.line <= where.line]
    # the entry the line is in begins at the last entry start at or before it
    begin = max(starts, default=1)
    return any(
        d.file == where.file and begin <= d.line <= where.line
        for d in doc.diagnostics_for("bib-parse-error")
    )


_BIBSTYLE = re.compile(r"\\bibliographystyle\s*\{([^{}]*)\}")


def bibstyle_line(doc: Document, message: str) -> Location | None:
    """The \\bibliographystyle naming the style BibTeX "could not open" (the log names no line
    of the paper: the finding sat at the root's line 1)."""
    m = re.match(r"BibTeX could not open style file (\S+?)(?:\.bst)?$", message)
    if m is None:
        return None
    for rel in doc.project.order:
        src = doc.project.files[rel]
        for b in _BIBSTYLE.finditer(src.masked):
            if b.group(1).strip().removesuffix(".bst") == m.group(1):
                return Location(rel, *src.line_col(b.start()))
    return None


def second_bibstyle(doc: Document) -> Hit | None:
    """BibTeX's "Illegal, another \\bibstyle command", at the paper's \\bibliographystyle that
    BibTeX ignores: the last one written (the first was the paper's own or the venue
    package's, as acl.sty's \\bibliographystyle{acl_natbib}). BibTeX keeps the first style and
    goes on: the references print, in that style, so it is a warning, not an error."""
    found = None
    for rel in doc.project.order:
        src = doc.project.files[rel]
        for m in _BIBSTYLE.finditer(src.masked):
            found = (Location(rel, *src.line_col(m.start())), m.group(1).strip())
    if found is None:
        return None
    return Hit(
        f"BibTeX ignores \\bibliographystyle{{{found[1]}}}: a style was already chosen (by an "
        "earlier \\bibliographystyle or the venue's package) (Illegal, another \\bibstyle command)",
        found[0],
        "remove one of the two \\bibliographystyle commands",
        Severity.WARNING,
    )


def known_missing(doc: Document) -> set[str]:
    """Names of files the source check already reports as missing (PT001, PT007, PT106)."""
    from pathlib import PurePosixPath

    names = set()
    for g in doc.graphics:
        if "\\" not in g.path and resolve_graphic(doc, g.path, g.file) is None:
            names.add(PurePosixPath(g.path).name)
    for d in doc.diagnostics_for("missing-include"):
        names.add(PurePosixPath(d.extra or "").name)
    for d in doc.diagnostics_for("missing-bibliography"):  # PT007: latexmk then skips BibTeX
        name = PurePosixPath(d.extra or "").name
        names.add(name if not name or name.endswith(".bib") else name + ".bib")
    if doc.compile is not None:  # PT706 reports the graphics the build's copy cannot reach
        names.update(PurePosixPath(g.path).name for g in graphics_outside(doc))
    names.discard("")
    return names


def about_known_missing(doc: Document, message: str) -> bool:
    """A build message about a file PT001/PT106 already reports: one finding is enough."""
    return any(name in message for name in known_missing(doc))


def unclosed_math_explains(doc: Document, first) -> bool:
    """TeX's "Missing $ inserted" at the end of a paragraph whose $ the source check reports
    as never closed (PT404, at the $ itself): one mistake, reported once, where it was made."""
    if not first.message.startswith("Missing $ inserted") or not first.line:
        return False
    where = build_location(doc, first)
    src = doc.project.files.get(where.file)
    if src is None or src.problem:
        return False
    lines = src.text.splitlines()
    for d in doc.diagnostics_for("unclosed-math"):
        between = lines[d.line : where.line - 1]  # after the $'s line, before TeX's
        if d.file == where.file and d.line <= where.line and all(x.strip() for x in between):
            return True
    return False
