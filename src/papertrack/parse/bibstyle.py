"""What the bibliography style will do with the cited entries: the style, its .bst, raw fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from papertrack.parse.bibsyntax import RawBlock, read_block
from papertrack.project.source import decode

_STYLE = re.compile(r"\\bibliographystyle\s*\{\s*([^}\s]+)\s*\}")
_FUNCTION = re.compile(r"^\s*FUNCTION\s*\{\s*([^}\s]+)\s*\}", re.MULTILINE | re.IGNORECASE)
_MACRO = re.compile(r"^\s*MACRO\s*\{\s*([^}\s]+)\s*\}", re.MULTILINE | re.IGNORECASE)
_BST_COMMENT = re.compile(r"%[^\n]*")

MONTHS = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
# Entry types of the standard BibTeX styles (plain.bst and everything derived from it).
STANDARD_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "inbook",
        "incollection",
        "inproceedings",
        "conference",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    ]
)
# @string names plain.bst and most of its descendants define (journal abbreviations).
PLAIN_MACROS = MONTHS | frozenset(
    [
        "acmcs",
        "acta",
        "cacm",
        "ibmjrd",
        "ibmsj",
        "ieeese",
        "ieeetc",
        "ieeetcad",
        "ipl",
        "jacm",
        "jcss",
        "scp",
        "sicomp",
        "tocs",
        "tods",
        "tog",
        "toms",
        "toois",
        "toplas",
        "tcs",
    ]
)
# Styles TeX Live ships that papers name most, so the checks work without TeX installed:
# (sorts by author, lower-cases titles)
KNOWN_STYLES = {
    "plain": (True, True),
    "abbrv": (True, True),
    "alpha": (True, True),
    "unsrt": (False, True),
    "plainnat": (True, True),  # (their empty-year warning needs the .bst, found by kpsewhich)
    "abbrvnat": (True, True),
    "unsrtnat": (False, True),
    "ieeetr": (False, True),
}
# biblatex's data model: entry types and their aliases (biber maps the aliases)
BIBLATEX_TYPES = frozenset(
    [
        "article",
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "suppbook",
        "booklet",
        "collection",
        "mvcollection",
        "incollection",
        "suppcollection",
        "dataset",
        "manual",
        "misc",
        "online",
        "patent",
        "periodical",
        "suppperiodical",
        "proceedings",
        "mvproceedings",
        "inproceedings",
        "reference",
        "mvreference",
        "inreference",
        "report",
        "set",
        "software",
        "thesis",
        "unpublished",
        "xdata",
        "customa",
        "customb",
        "customc",
        "customd",
        "custome",
        "customf",
        "conference",
        "electronic",
        "mastersthesis",
        "phdthesis",
        "techreport",
        "www",
        "artwork",
        "audio",
        "bibnote",
        "commentary",
        "image",
        "jurisdiction",
        "legislation",
        "legal",
        "letter",
        "movie",
        "music",
        "performance",
        "review",
        "standard",
        "video",
    ]
)


@dataclass
class Style:
    """The bibliography backend and style, and what papertrack could learn about the style."""

    backend: str  # bibtex | biblatex
    name: str | None = None
    types: frozenset[str] | None = None  # entry types the style defines (None: unknown)
    macros: frozenset[str] = field(default_factory=lambda: PLAIN_MACROS)
    sorts_by_author: bool | None = None
    lowercases_titles: bool | None = None
    source: str = ""  # where the .bst was read, for messages
    prints_eprint: bool = False  # an @article with an eprint prints "arXiv:..." as its venue
    year_always: bool = False  # author-year styles warn "empty year" for every type
    fields: frozenset[str] | None = None  # fields the .bst checks by name (None: not read)
    # per entry type, the names its FUNCTION mentions (a type missing: not known)
    type_fields: dict[str, frozenset[str]] = field(default_factory=dict)


def detect_style(doc) -> Style:
    """biblatex (from the packages) or BibTeX with the last \\bibliographystyle."""
    for name, _opts in doc.packages:
        if name == "biblatex":
            return Style("biblatex", "biblatex", BIBLATEX_TYPES, MONTHS, None, False, "", True)
    name = _style_name(doc)
    if name is None:
        return Style("bibtex")
    bst = _find_bst(doc.folder, doc.main, name)
    if bst is not None:
        return _from_bst(name, *bst)
    known = KNOWN_STYLES.get(name)
    if known is not None:
        return Style("bibtex", name, STANDARD_TYPES, PLAIN_MACROS, *known, f"{name}.bst")
    return Style("bibtex", name)


def _style_name(doc) -> str | None:
    """The last \\bibliographystyle's name, without .bst (None if there is none)."""
    from papertrack.project.loader import visible_text

    styles = []
    for rel in doc.project.order:
        if doc.project.files[rel].problem:
            continue
        styles += _STYLE.findall(visible_text(doc.project, rel))
    return styles[-1].removesuffix(".bst") if styles else None


def bst_to_locate(doc) -> str | None:
    """The .bst file detect_style will ask TeX's tree for (not biblatex, not beside the root)."""
    if any(name == "biblatex" for name, _opts in doc.packages):
        return None
    name = _style_name(doc)
    if name is None:
        return None
    for d in (doc.folder / Path(doc.main).parent, doc.folder):
        try:
            if (d / f"{name}.bst").is_file():
                return None
        except (OSError, ValueError):
            continue
    return f"{name}.bst"


def _find_bst(folder: Path, main: str, name: str) -> tuple[str, str] | None:
    """The .bst's text as BibTeX finds it: beside the root file, else in TeX's own tree."""
    for d in (folder / Path(main).parent, folder):
        p = d / f"{name}.bst"
        try:
            if p.is_file():
                return decode(p.read_bytes())[0], str(p.relative_to(folder))
        except (OSError, ValueError):
            continue
    path = _kpsewhich(f"{name}.bst")
    if path:
        try:
            return decode(Path(path).read_bytes())[0], f"{name}.bst"
        except OSError:
            return None
    return None


def _kpsewhich(name: str) -> str | None:
    from papertrack.project.texdist import locate

    return None if "/" in name or name.startswith("-") else locate(name)


def _from_bst(name: str, text: str, source: str) -> Style:
    code = _BST_COMMENT.sub("", text)
    functions = {f.lower() for f in _FUNCTION.findall(code)}
    macros = {m.lower() for m in _MACRO.findall(code)}
    sorts = "presort" in functions and "need author" in text.lower()
    # titles are lower-cased when format.title (plain, splncs04) or format.article.title
    # (IEEEtran) applies "t" change.case$ (ACM's is commented out: comments are gone)
    lower = False
    for part in re.split(r"(?im)^\s*FUNCTION\s*", code):
        m = re.match(r"\{\s*format\.(?:article\.)?title\s*\}", part)
        if m and '"t" change.case$' in part:
            lower = True
    entry = re.search(r"ENTRY\s*\{([^}]*)\}", code)
    eprint = bool(entry and re.search(r"\beprint\b", entry.group(1)))
    return Style(
        "bibtex",
        name,
        frozenset(functions),
        frozenset(macros) | MONTHS,
        sorts,
        lower,
        source,
        eprint,
        # author-year styles (natbib's calc.label) need a year for every label
        '"empty year in "' in code and "calc.label" in functions,
        # the fields it names in a string ("journal" output.check): those it warns about
        frozenset(f.lower() for f in re.findall(r'"(?:empty )?([a-zA-Z]+)(?:"| in ")', code)),
        _type_fields(code, STANDARD_TYPES & functions),
    )


_FUNC_HEAD = re.compile(r"(?im)^\s*FUNCTION\s*\{\s*([^}\s]+)\s*\}\s*\{")


def _bodies(code: str) -> dict[str, str]:
    """Each FUNCTION's body, braces matched (bodies nest { } blocks)."""
    out: dict[str, str] = {}
    for m in _FUNC_HEAD.finditer(code):
        depth, i = 1, m.end()
        while i < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        out[m.group(1).lower()] = code[m.end() : i - 1]
    return out


def _type_fields(code: str, types: frozenset[str]) -> dict[str, frozenset[str]]:
    """The names each entry type's FUNCTION mentions: fields it reads (`journal`), checks
    (`"title" output.check`) or formats (`format.title`, `output.year.check`). mnras.bst's
    article never mentions a title, so an @article without one loses nothing. A type whose
    function calls another (conference -> inproceedings, a helper) has that one's names too."""
    bodies = {k: v.lower() for k, v in _bodies(code).items()}
    found: dict[str, frozenset[str]] = {}
    for t in types:
        if t not in bodies:
            continue
        # the functions it calls, and theirs (apsrev4-2 checks the year in a helper)
        seen, todo, tokens = {t}, [t], set()
        while todo:
            for token in re.findall(r'[a-z][\w.$]*|"[^"]*"', bodies[todo.pop()]):
                tokens.add(token)
                if token in bodies and token not in seen:
                    seen.add(token)
                    todo.append(token)
        names = {p for tok in tokens for p in re.split(r'[.\s"]+| and ', tok.strip('"')) if p}
        if names:  # an empty function tells nothing
            found[t] = frozenset(names)
    return found


class RawEntries:
    """The cited entries' fields as written (braces, quotes, @string names), read on demand."""

    def __init__(self, folder: Path, *, biber: bool = False) -> None:
        self.folder = folder
        self.biber = biber  # read %-comments inside entries as biber does
        self.texts: dict[str, str | None] = {}

    def text(self, rel: str) -> str | None:
        if rel not in self.texts:
            try:
                self.texts[rel] = decode((self.folder / rel).read_bytes())[0]
            except OSError:
                self.texts[rel] = None
        return self.texts[rel]

    def block(self, entry) -> RawBlock | None:
        text = self.text(entry.file)
        if text is None:
            return None
        starts = self._line_starts(entry.file)
        i = starts[entry.line - 1] if 0 < entry.line <= len(starts) else 0
        at = text.find("@", i)
        blk = read_block(text, at, biber=self.biber) if at >= 0 else None
        if blk is None or blk.key != entry.key:
            m = re.search(r"@\s*\w+\s*[{(]\s*" + re.escape(entry.key) + r"\s*[,})]", text)
            blk = read_block(text, m.start(), biber=self.biber) if m else None
        return blk

    @lru_cache(maxsize=64)  # noqa: B019 (one RawEntries per check)
    def _line_starts(self, rel: str) -> list[int]:
        text = self.text(rel) or ""
        return [0, *(m.end() for m in re.finditer("\n", text))]

    def line_of(self, rel: str, pos: int) -> int:
        import bisect

        return bisect.bisect_right(self._line_starts(rel), pos)
