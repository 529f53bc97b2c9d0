"""PT35x: typography a reader sees in the PDF, read from the prose papertrack knows is typeset."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from papertrack.config import Config
from papertrack.findings import Location
from papertrack.model.document import Document
from papertrack.parse.brackets import unbalanced
from papertrack.parse.prose import Prose, extract
from papertrack.rules.base import Hit, rule

# babel languages that make " an active shorthand ("a, "`, "-)
_QUOTE_SHORTHAND_LANGS = frozenset(
    [
        "german",
        "ngerman",
        "austrian",
        "naustrian",
        "swissgerman",
        "nswissgerman",
        "dutch",
        "afrikaans",
        "danish",
        "finnish",
        "norsk",
        "nynorsk",
        "icelandic",
        "swedish",
        "estonian",
        "czech",
        "slovak",
        "slovene",
        "serbian",
        "russian",
        "ukrainian",
        "bulgarian",
        "croatian",
        "portuguese",
        "portuges",
        "brazil",
        "brazilian",
        "spanish",
        "basque",
        "catalan",
        "galician",
        "italian",
        "latin",
        "polish",
    ]
)


# straight opening quotes in one file from this many on are the author's habit: one finding
QUOTE_HABIT = 10

_CODE_BODY = re.compile(
    # pythontex's \py{...} too: \newcommand{\pySI}[2]{\py{'\\SI{' + str(#1) ...}} takes Python
    r"\\(?:texttt|mintinline|lstinline|verb|code|path|url|ttfamily|(?:py|sympy|pylab)[cbv]?)"
    r"(?![a-zA-Z@])"
)


def prose(doc: Document) -> list[Prose]:
    """Each reachable file's prose and formulas, extracted once per document."""
    cached = doc.__dict__.get("_prose")
    if cached is not None:
        return cached
    from papertrack.project.loader import visible_text
    from papertrack.project.tree import preamble_files

    # a caption wrapper's arguments are prose; a label, citation or note wrapper's are not
    keys = frozenset(
        name
        for name, m in doc.macros.macros.items()
        if any(r.kind not in ("caption", "caption-short") for r in m.roles)
        or _CODE_BODY.search(m.body)
    )
    out = []
    setup = preamble_files(doc.project)
    for rel in doc.project.order:
        src = doc.project.files[rel]
        if src.problem:
            continue
        # a preamble-only file is read like the root's preamble: nothing in it prints
        root = rel == doc.project.main or rel in setup
        out.append(extract(rel, visible_text(doc.project, rel), root, keys))
    doc.__dict__["_prose"] = out
    return out


def _paragraphs(doc: Document, p: Prose) -> Iterator[tuple[int, int]]:
    """Spans of the prose between blank lines of the source (a line holding only a comment
    is not blank: TeX reads on)."""
    text = doc.project.files[p.rel].text
    start = 0
    for m in re.finditer(r"\n[ \t]*(?=\n)", text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _loc(doc: Document, rel: str, pos: int) -> Location:
    line, col = doc.project.files[rel].line_col(pos)
    return Location(rel, line, col)


@rule("PT351", "unbalanced-parenthesis", "warning", "A ( or [ in the text is never closed")
def unbalanced_parenthesis(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a `(` or `[` in running text that is not closed in its paragraph,
    and a `)` or `]` that closes nothing (list labels such as `1)` or `a)` are allowed). Math,
    comments, verbatim, macro options (`\\cite[p.~3]{x}`) and skipped text are left out, and so
    are brackets of names printed in the text (`eval\\_set\\_(v2).ipynb`: next to an underscore).

    Why it matters: the reader looks for the end of the aside; usually a word or a `)` was
    lost while editing.

    Example: `Starling on random inputs (Figure~\\ref{fig:r} is ambiguous, ...` with no `)`.

    Fix: close the parenthesis where the aside ends, or delete the stray one.
    """
    for p in prose(doc):
        # a formula unbalanced by itself may hold the partner of a parenthesis in the text:
        # "(characterised by $\theta=0)$" prints balanced
        odd = [(f.start, _math_balance(f.text)) for f in p.formulas]
        odd = [(at, b) for at, b in odd if b]
        file = doc.project.files.get(p.rel)
        source = file.text if file is not None and len(file.text) == len(p.text) else None
        for a, b in _paragraphs(doc, p):
            found = []
            for at, what in unbalanced(p.text[a:b], a, True, source[a:b] if source else None):
                if "never closed" in what and any(at < x < b and n < 0 for x, n in odd):
                    continue
                if "closes nothing" in what and any(a <= x < at and n > 0 for x, n in odd):
                    continue
                found.append((at, what))
            if found:
                # one finding per paragraph: a runaway bracket is one thing to fix, not 10,000
                at, what = found[0]
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                yield Hit(
                    f"{what} in this paragraph{more}",
                    _loc(doc, p.rel, at),
                    "close it or remove it",
                )


def _math_balance(formula: str) -> int:
    """Opening minus closing ( [ of a formula (escaped \\{ \\[ and control words aside)."""
    t = re.sub(r"\\[hv]?phantom\s*\{[^{}]*\}", " ", formula)  # invisible
    t = re.sub(r"\\[a-zA-Z]+", " ", t)
    t = re.sub(r"\\[^a-zA-Z]", " ", t)
    return t.count("(") + t.count("[") - t.count(")") - t.count("]")


@rule("PT352", "unbalanced-math-delimiter", "info", "A formula opens more ( [ than it closes")
def unbalanced_math(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a formula whose numbers of opening `(` `[` and closing `)` `]` differ
    (intervals such as `[0, 1)` pair a `[` with a `)` and are fine).

    Why it matters: a missing parenthesis changes what the formula says.

    Example: `$O((n \\log n)$`.

    Fix: add the missing delimiter.
    """
    for p in prose(doc):
        # `$f(a$, $b)$`: a formula cut in two (for a line break) balances with its neighbour
        total: dict[int, int] = {}
        starts = [a for a, _b in _paragraphs(doc, p)]
        balances = [_math_balance(f.text) for f in p.formulas]
        for f, bal in zip(p.formulas, balances, strict=True):
            i = bisect.bisect_right(starts, f.start)
            total[i] = total.get(i, 0) + bal
        reported: set[int] = set()
        for f, balance in zip(p.formulas, balances, strict=True):
            if f.display and "\\\\" in f.text:
                continue  # a multi-line display may open on one row and close on the next
            para = bisect.bisect_right(starts, f.start)
            if balance and total.get(para) and para not in reported:
                reported.add(para)  # the first per paragraph: one runaway is one fix
                what = "opens" if balance > 0 else "closes"
                n = abs(balance)
                yield Hit(
                    f"this formula {what} {n} more parenthes{'is' if n == 1 else 'es'} than it "
                    f"{'closes' if what == 'opens' else 'opens'}",
                    _loc(doc, p.rel, f.start),
                    "add the missing delimiter",
                )


# The quote is matched first and what precedes it checked after (a line start, a space, an
# opening bracket or a tie): the regex engine then skips to each quote instead of testing the
# lookbehinds at every position of the text (0.2 ms instead of 8 ms on ICLR and NeurIPS).
_SINGLE_QUOTED = re.compile(r"'(?<![^ \t(\[~\n].)(?=\w)[^'`\n]{1,60}?(?<=[\w.!?,])'(?!\w)")
_DOUBLE_OPENING = re.compile(r'"(?<![^\s(\[{~].)(?=[^\s"])')


def _quote_shorthands(doc: Document) -> bool:
    for name, opts in doc.packages:
        if name == "babel" and any(o.strip() in _QUOTE_SHORTHAND_LANGS for o in opts):
            return True
        if name in ("ngerman", "german"):
            return True
    for rel in doc.project.order:
        src = doc.project.files[rel]
        # csquotes' active quotes, knowledge's "quoted" links, a hand-made active "
        if re.search(
            r"\\MakeOuterQuote|\\MakeAutoQuote|\\setdefaultlanguage\{german|\\useshorthands"
            r"|\\knowledgeconfigure\s*\{[^}]*quotation|\\catcode\s*`\\?\"|\\catcode\s*34\b",
            src.masked,
        ):
            return True
    return False


@rule("PT353", "straight-opening-quote", "warning", "A straight \" or ' opens a quotation")
def straight_quote(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a straight double quote `"` that opens a quotation in running text
    (not in math, code, URLs or verbatim; not when babel or csquotes make `"` a shorthand;
    ten or more in a file are one finding, each place related), and an apostrophe that opens
    a short quotation closed on the same line ('frog').

    Why it matters: LaTeX never prints `"` or `'` as an opening quote: "word" comes out as
    ”word” in the default encoding (OT1) and with straight marks under T1 or a Unicode font;
    'word' comes out as ’word’.

    Example: `the so-called "reward hacking" problem`.

    Fix: open with two backquotes and close with two apostrophes: ``reward hacking'', or use
    `\\enquote{reward hacking}` from csquotes.
    """
    shorthand = _quote_shorthands(doc)  # only " is a shorthand; ' stays a quote
    fix = "write ``text'' (two backquotes, two apostrophes) or \\enquote{text}"
    for p in prose(doc):
        src = doc.project.files[p.rel].text
        places = [
            _loc(doc, p.rel, m.start())
            for m in (() if shorthand else _DOUBLE_OPENING.finditer(p.text))
            if not (m.start() > 0 and src[m.start() - 1] == "\\")  # \" is an umlaut accent
        ]
        if len(places) >= QUOTE_HABIT:
            # the author's way of quoting throughout the file: one thing to change (a search
            # and replace), not 200 warnings; every place is related
            yield Hit(
                f'straight " opens a quotation {len(places)} times in this file: it never '
                "prints as an opening quote",
                places[0],
                fix,
                related=tuple(places[1:]),
            )
        else:
            for where in places:
                yield Hit(
                    'straight " opens a quotation: it never prints as an opening quote', where, fix
                )
        # 'frog' prints ’frog’: an apostrophe that opens a short quotation closed on its line
        for m in _SINGLE_QUOTED.finditer(p.text):
            yield Hit(
                "' opens a quotation: it prints as a closing quote",
                _loc(doc, p.rel, m.start()),
                "open with a backquote: `text'",
            )


@rule("PT354", "space-before-footnote", "warning", "A space before \\footnote leaves a gap")
def space_before_footnote(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports a space or line break between a word and `\\footnote` (a `%` at the
    end of the line, or a control word such as `\\ldots`, eats it and is fine).

    Why it matters: the footnote mark is set off from the word it belongs to ("word ¹").

    Example: `as shown before \\footnote{See the appendix.}`.

    Fix: remove the space: `before\\footnote{...}`.
    """
    for p in prose(doc):
        src = doc.project.files[p.rel]
        visible = src.masked
        for m in re.finditer(r"\\footnote(?![a-zA-Z@])", visible):
            i = m.start()
            j = i
            # back over blanks and the bare % of a comment line (not an escaped \%)
            while j > 0 and (
                visible[j - 1] in " \t\n"
                or (visible[j - 1] == "%" and visible[j - 2 : j - 1] != "\\")
            ):
                j -= 1
            if j == i or j == 0:
                continue
            gap = src.text[j:i]
            if "%" in gap or "\n\n" in gap.replace(" ", "").replace("\t", ""):
                continue
            before = visible[max(0, j - 40) : j]
            if re.search(r"\\[a-zA-Z@]+$", before) or visible[j - 1] in "{[~":
                continue
            if not p.text[j - 1].strip() and visible[j - 1] != "$" and visible[j - 2 : j] != "\\)":
                continue  # the word before is not prose (a macro's argument), nor a formula
            yield Hit(
                "space before \\footnote: the mark is set off from its word",
                _loc(doc, p.rel, j),
                "remove the space (or end the line with %)",
            )


@rule("PT355", "et-al-period", "warning", 'Write "et al.", not "et. al."')
def et_al(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports "et. al." (and "et.al.") in running text.

    Why it matters: "et" is a whole Latin word; only "al." (alii) is abbreviated. Reviewers
    read it as carelessness.

    Example: `Pavur et. al. showed`.

    Fix: `Pavur et al.~showed` (or `et~al.\\ showed`).
    """
    for p in prose(doc):
        for m in re.finditer(r"\bet\.\s*al\b\.?", p.text):
            yield Hit(
                f"'{' '.join(m.group().split())}' should be 'et al.'",
                _loc(doc, p.rel, m.start()),
                "write et al.",
            )


_REF_TIE = re.compile(
    r"\b(Figure|Fig\.|Figs\.|Table|Tab\.|Section|Sec\.|Sect\.|Eq\.|Eqs\.|Equation|Appendix|"
    r"Algorithm|Alg\.|Theorem|Lemma|Corollary|Definition|Proposition|Chapter|Line|Step|Part)"
    r"(\s+)$"
)


@rule("PT356", "missing-tie-before-reference", "info", "A breakable space before \\ref or \\cite")
def missing_tie(doc: Document, cfg: Config) -> Iterator[Hit]:
    """
    What it does: reports "Figure \\ref{x}", "Table \\ref{x}", ... and "word \\cite{x}" joined by
    a normal space instead of a tie `~` (not for \\citet and \\textcite, which print names).

    Why it matters: the line may break between "Figure" and its number, or put "[12]" at the
    start of a line.

    Example: `as shown in Figure \\ref{fig:a} and by \\cite{smith}`.

    Fix: `Figure~\\ref{fig:a}`, `by~\\cite{smith}`.
    """
    for p in prose(doc):
        src = doc.project.files[p.rel]
        visible = src.masked
        for m in re.finditer(r"\\(ref|cite)(?![a-zA-Z@])", visible):
            before = visible[max(0, m.start() - 30) : m.start()]
            if m.group(1) == "ref":
                t = _REF_TIE.search(before)
                if t is None or "%" in src.text[m.start() - len(t.group(2)) : m.start()]:
                    continue
            else:
                t = re.search(r"[A-Za-z]( +|\n)$", before)
                if t is None or re.search(r"\\[a-zA-Z@]+\s+$", before):
                    continue
                if "%" in src.text[m.start() - len(t.group(1)) : m.start()]:
                    continue
            yield Hit(
                f"breakable space before \\{m.group(1)}: use ~",
                _loc(doc, p.rel, m.start()),
                f"write ~\\{m.group(1)}",
            )
