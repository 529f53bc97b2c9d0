"""The document model: one object that every rule, the page count, reports and watch read."""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.facts import (
    Collected,
    Diagnostic,
    Event,
    Heading,
)
from papertrack.model import headings
from papertrack.parse.bibentry import BibEntry
from papertrack.parse.macrotable import MacroTable
from papertrack.project.loader import Project

_BIBLATEX_ONLY = re.compile(r"\\(?:addbibresource|addglobalbib|addsectionbib)(?![A-Za-z@])")
_OWNER = re.compile(r"^\s*papertrack:\s*owner\s+(.+?)\s*$", re.IGNORECASE)


@dataclass
class Section:
    """A heading and the prose under it (up to the next heading of any level)."""

    heading: Heading
    words: int = 0  # own prose, without subsections
    total_words: int = 0  # including subsections
    in_appendix: bool = False
    after_bibliography: bool = False
    end: tuple[str, int] | None = (
        None  # file and line of the next heading at the same or higher level
    )
    owner: str | None = None
    display_rows: int = 0  # rows of displayed math under this heading
    # an unnumbered heading the bibliography prints under (\section*{Literature}\bibliography{x})
    holds_bibliography: bool = False

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def level(self) -> int:
        return self.heading.level


@dataclass
class VenueInfo:
    """The venue the paper targets, its mode, and how papertrack knows."""

    profile: object  # papertrack.venues.VenueProfile
    mode: str
    evidence: str
    page_limit: float | None = None
    notes: tuple[str, ...] = ()
    limit_from_config: bool = False  # `page-limit` in papertrack.toml, not the venue's rule
    before_profile: bool = False  # the style is older than the years the profile's rules are for

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def summary(self) -> str:
        limit = f", limit {self.page_limit:g} pages" if self.page_limit else ", no page limit known"
        if self.page_limit and self.limit_from_config:
            limit += " from the config"
        name = self.profile.name
        if str(self.profile.year) not in name:
            name += f" {self.profile.year}"
        return f"{name} ({self.mode}{limit}; {self.evidence})"


@dataclass
class Document(Collected):
    """The whole paper as papertrack sees it: its files' facts joined, and what they add up to."""

    project: Project
    macros: MacroTable
    sections: list[Section] = field(default_factory=list)
    abstract_words: int | None = None
    abstract_at: tuple[str, int] | None = None
    front_words: int = 0  # prose before the first heading
    # of it, the prose after the abstract: an introduction without a heading (APA, Nature)
    lead_words: int = 0
    # the words of `words` by the file they are written in (revision is measured per file)
    file_words: dict[str, int] = field(default_factory=dict)
    bib_entries: list[BibEntry] = field(default_factory=list)
    has_bibliography_command: bool = False
    document_class: tuple[str, list[str]] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    owners: dict[str, str] = field(
        default_factory=dict
    )  # file -> owner from `% papertrack: owner X`
    venue: VenueInfo | None = None
    pages: object | None = None  # papertrack.model.pages.PageAccount, once counted
    compile: object | None = None  # papertrack.pages.CompileResult, when the paper was compiled
    record: object | None = None  # papertrack.pages.record.BuildRecord of that build
    pdf: Path | None = None  # the PDF given with --pdf, or the compiled one
    required_sections: list[str] = field(default_factory=list)  # from the venue profile
    # the one page limit: `page-limit` from the config/flag, else the venue's for its mode
    page_limit: float | None = None
    biber: bool = False  # biblatex runs biber: set by the build once the packages are known

    def __setattr__(self, name: str, value) -> None:
        # the engine seals the document once analysed: readers see one complete state
        if self.__dict__.get("_sealed"):
            raise dataclasses.FrozenInstanceError(
                f"the Document is read-only once analysed (setting {name}); use variant()"
            )
        object.__setattr__(self, name, value)

    def seal(self) -> Document:
        """Make the fields read-only (the engine does this before the rules run)."""
        self.__dict__["_sealed"] = True
        return self

    def variant(self, **changes) -> Document:
        """An unsealed copy with `changes` (sharing the parsed facts and the memos on them)."""
        other = copy.copy(self)
        other.__dict__.pop("_sealed", None)
        for name, value in changes.items():
            setattr(other, name, value)
        return other

    @property
    def folder(self) -> Path:
        return self.project.folder

    @property
    def main(self) -> str:
        return self.project.main

    @property
    def words(self) -> int:
        """Prose words of the main text (abstract and sections, not appendix or captions)."""
        body = sum(s.words for s in self.sections if not s.in_appendix and not s.after_bibliography)
        return body + self.front_words + (self.abstract_words or 0)

    def diagnostics_for(self, rule: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.rule == rule]

    def bib_index(self) -> dict[str, list[BibEntry]]:
        """Entries by lower-cased key: BibTeX matches cite keys case-insensitively.

        Built once per document state and shared by its readers (rules, completion): with a
        100k-entry bibliography each build costs ~100 ms. Treat it as read-only."""
        stamp = (
            id(self.bib_entries),
            len(self.bib_entries),
            id(self.bibitems),
            len(self.bibitems),
            self.bib_case_sensitive,
        )
        cached = self.__dict__.get("_bib_index")
        if cached is not None and cached[0] == stamp:
            return cached[1]
        idx: dict[str, list[BibEntry]] = {}
        get = idx.get
        for e in self.bib_entries:
            k = self.key(e.key)
            same = get(k)
            if same is None:
                idx[k] = [e]
            else:
                same.append(e)
        for b in self.bibitems:
            idx.setdefault(self.key(b.name), []).append(BibEntry(b.name, "bibitem", b.file, b.line))
        self.__dict__["_bib_index"] = (stamp, idx)
        return idx

    def cited_keys(self) -> set[str]:
        return {self.key(c.key) for c in self.cites}

    @property
    def bib_case_sensitive(self) -> bool:
        """Biber matches citation keys exactly; BibTeX ignores case."""
        return self.biber

    def runs_biber(self) -> bool:
        """Whether biblatex runs biber (its default backend) rather than BibTeX; read once the
        packages are known, into `biber`."""
        for name, opts in self.packages:
            if name == "biblatex":
                backend = next(
                    (
                        o.split("=", 1)[1].strip()
                        for o in opts
                        if o.replace(" ", "").startswith("backend=")
                    ),
                    "biber",
                )
                return not backend.startswith("bibtex")
        # a class that loads biblatex itself (thesis templates do) hides the package and its
        # options; biblatex's own commands still show it is loaded, with its default backend
        return any(_BIBLATEX_ONLY.search(src.masked) for src in self.project.files.values())

    def key(self, k: str) -> str:
        """A citation or entry key as the bibliography tool compares it."""
        return k if self.bib_case_sensitive else k.lower()

    def referenced_labels(self) -> set[str]:
        return {r.name for r in self.refs}


def build_sections(
    doc: Document, flow: list[tuple[str, Event]], floats: dict[str, list] | None = None
) -> None:
    """Turn the ordered event flow into sections with word counts and appendix flags."""
    in_body = not any(e.kind == "begin-document" for _f, e in flow)
    in_appendix = False
    after_bib = False
    current: Section | None = None
    top_level: int | None = None
    top_title: str | None = None
    in_abstract = False
    heading_abstract = False  # under \section*{Abstract} (or \chapter*, \prefacesection)
    numbered_before = False
    for i, (file, e) in enumerate(flow):
        if e.kind == "begin-document":
            in_body = True
        elif e.kind == "end-document":
            in_body = False
        elif not in_body and not (
            e.kind.startswith("abstract-") or (in_abstract and e.kind == "words")
        ):
            continue  # the preamble: only an abstract stored there by the class counts
        elif e.kind == "appendix":
            in_appendix = True
        elif e.kind == "bibliography":
            after_bib = after_bib or not _text_goes_on(flow, i)
            if current is not None and current.heading.starred and not current.words:
                current.holds_bibliography = True
        elif e.kind == "abstract-begin":
            in_abstract = True
            doc.abstract_words = doc.abstract_words or 0
            if doc.abstract_at is None:
                doc.abstract_at = (file, e.line)
        elif e.kind == "abstract-end":
            in_abstract = False
        elif e.kind == "words" and (in_abstract or heading_abstract):
            doc.abstract_words = (doc.abstract_words or 0) + e.words
            doc.file_words[file] = doc.file_words.get(file, 0) + e.words
        elif e.kind == "heading" and e.heading is not None:
            heading_abstract = False
            if doc.abstract_words is None and headings.is_abstract_heading(
                e.heading, numbered_before
            ):
                heading_abstract = True
                doc.abstract_words = 0
                doc.abstract_at = (file, e.line)
                current = None
                continue
            numbered_before = numbered_before or not e.heading.starred
            current = Section(e.heading, in_appendix=in_appendix, after_bibliography=after_bib)
            if top_level is None or e.heading.level <= top_level:
                top_level, top_title = e.heading.level, e.heading.title
            current.owner = doc.owners.get(e.heading.file)
            doc.sections.append(current)
        elif e.kind == "float" and floats is not None:
            fl = floats.get(file, [])[e.index] if 0 <= e.index < len(floats.get(file, [])) else None
            if fl is not None:
                fl.in_appendix, fl.after_bibliography = in_appendix, after_bib
                fl.section = top_title
        elif e.kind == "display":
            if current is not None:
                current.display_rows += e.words
        elif e.kind == "words":
            if current is None:
                doc.front_words += e.words
                if doc.abstract_words is not None:
                    doc.lead_words += e.words
            else:
                current.words += e.words
            if current is None or not (current.in_appendix or current.after_bibliography):
                doc.file_words[file] = doc.file_words.get(file, 0) + e.words
    # totals and extents: a section spans until the next heading at its level or above
    for i, s in enumerate(doc.sections):
        total = s.words
        for t in doc.sections[i + 1 :]:
            if t.level <= s.level:
                s.end = (t.heading.file, t.heading.line)
                break
            total += t.words
        s.total_words = total


def _text_goes_on(flow: list[tuple[str, Event]], i: int) -> bool:
    """Whether numbered chapters or parts follow the bibliography at flow[i] before any
    appendix, in a paper that prints several: a part's or chapter's own references (\\printbibliography per refsection in a
    thesis of papers), not the end of the main text."""
    if sum(e.kind == "bibliography" for _f, e in flow) < 2:
        return False  # one bibliography: chapters after it are back matter (a supplement)
    for _f, e in flow[i + 1 :]:
        if e.kind in ("appendix", "end-document"):
            return False
        if e.kind == "heading" and e.heading is not None:
            h = e.heading
            if h.level <= 1 and not h.starred:
                return True
    return False
