"""The facts the loader and the parser produce (labels, refs, cites, floats, headings, diagnostics), each at file:line:col."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Label:
    name: str
    file: str
    line: int
    col: int
    context: str = "text"  # text | float | subfloat | section | equation


@dataclass
class Ref:
    """One referenced label: `\\cref{a,b}` gives two Refs."""

    name: str
    macro: str
    file: str
    line: int
    col: int


@dataclass
class Cite:
    """One cited key; `key == '*'` is \\nocite{*}."""

    key: str
    macro: str
    file: str
    line: int
    col: int


@dataclass
class Graphic:
    path: str  # as written, \graphicspath not applied
    file: str
    line: int
    col: int


@dataclass
class Float:
    """A figure, table or algorithm environment."""

    kind: str  # figure | table | algorithm | other
    env: str
    file: str
    line: int
    col: int
    labels: list[str] = field(default_factory=list)  # main caption labels
    sub_labels: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    empty_caption: bool = False
    graphics: list[str] = field(default_factory=list)
    placeholder: bool = False  # \missingfigure, an empty figure, a draft box
    has_content: bool = False  # anything besides caption, label and layout
    # a code listing inside it prints its own numbered caption (lstlisting's caption= option)
    code_caption: bool = False
    in_appendix: bool = False  # set when the document model is built
    after_bibliography: bool = False
    section: str | None = None  # title of the enclosing top-level section

    @property
    def all_labels(self) -> list[str]:
        return self.labels + self.sub_labels


@dataclass
class Placeholder:
    kind: str  # todo-macro | todo-text | lorem | question-marks | empty-caption | checklist
    text: str
    file: str
    line: int
    col: int
    owner: str | None = None


@dataclass
class Heading:
    level: int  # 0 part, 1 chapter, 2 section, 3 subsection, 4 subsubsection, 5 paragraph
    command: str
    title: str
    starred: bool
    file: str
    line: int
    col: int
    pos: int = 0


@dataclass
class Event:
    """Something that splits the document flow: a heading, \\appendix, the bibliography, words."""

    pos: int
    kind: str  # heading | words | appendix | bibliography | begin-document | end-document | abstract | float
    words: int = 0
    heading: Heading | None = None
    line: int = 0
    index: int = -1  # for a float: its index in the file's floats


@dataclass
class Diagnostic:
    """A loader or parser problem; the rule whose name matches turns it into a finding."""

    rule: str
    file: str
    line: int
    col: int
    message: str
    extra: str | None = None


@dataclass(kw_only=True)
class Collected:
    """What the parser collects from the text: one file's (FileFacts) or, joined in reading
    order, the whole paper's (the Document)."""

    labels: list[Label] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    graphics: list[Graphic] = field(default_factory=list)
    floats: list[Float] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    bibitems: list[Label] = field(default_factory=list)
    caption_words: int = 0
    packages: list[tuple[str, list[str]]] = field(default_factory=list)
    toc_titles: list[str] = field(default_factory=list)  # \addcontentsline entries
