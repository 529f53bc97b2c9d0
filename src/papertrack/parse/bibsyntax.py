"""One .bib block read the way BibTeX reads it: raw field values, and the first syntax error.

bibtexparser is lenient where BibTeX is not: a missing comma silently drops the fields after
it, and a `%` inside an entry becomes part of a field name. BibTeX reports an error at the
offending line, keeps the key and the fields read so far, and skips the rest of the entry.
This reader says what BibTeX says, so findings point at that line and the key stays defined.

Biber reads a `%` where white space may stand (between fields, around `=` and `#`) as a
comment to the end of the line; with `biber`, so does this reader.

Two leniencies keep it in step with bibtexparser's splitter (which decides where blocks end):
a backslash before a brace or a quote escapes it, and a bare value may hold `-./:+'`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papertrack.project.braces import group_end

_WS = re.compile(r"\s*")
# biber's white space: spaces and whole %-comments (a `%` inside a braced value is data)
_WS_BIBER = re.compile(r"(?:\s|%[^\n]*)*")
_TYPE = re.compile(r"@\s*([^\s{(\"#%'),=}]*)\s*")
# BibTeX's identifiers: anything but white space and "#%'(),={} (and not starting with a digit)
_IDENT = re.compile(r"""[^\s"#%'(),={}0-9][^\s"#%'(),={}]*""")
_BARE = re.compile(r"""[^\s"#%(),={}]+""")
_NUMBER = re.compile(r"[0-9]+$")
_KEY_BRACE = re.compile(r"[^\s,}]+")
_KEY_PAREN = re.compile(r"[^\s,)]+")
SPECIAL_TYPES = ("comment", "preamble", "string")
_ESCAPED_BRACE = re.compile(r"\\[{}]")


@dataclass
class RawField:
    """One field as written: its pieces joined by `#` (kind: brace, quote, number or macro)."""

    name: str
    pos: int  # offset of the field name in the text
    pieces: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, text, offset)

    @property
    def raw(self) -> str:
        return " # ".join(t for _k, t, _p in self.pieces)


@dataclass
class RawBlock:
    """An entry as BibTeX reads it; `error` is (offset, message) of its first syntax error."""

    type: str
    key: str | None
    start: int
    fields: list[RawField] = field(default_factory=list)
    error: tuple[int, str] | None = None
    end: int = 0
    every_brace: bool = False  # read counting escaped braces too (bibtexparser would not)

    def field_dict(self) -> dict[str, RawField]:
        """Fields by lower-case name; BibTeX keeps the first of a repeated field."""
        out: dict[str, RawField] = {}
        for f in self.fields:
            out.setdefault(f.name.lower(), f)
        return out


def _skip_braced(text: str, pos: int, escapes: bool = True) -> int:
    """Index after the group whose `{` is at pos, or -1 when the text ends first. BibTeX
    itself counts every brace (`{\\{}` opens two); `escapes` skips `\\{` as bibtexparser does."""
    if escapes:
        end = group_end(text, pos)
        return -1 if end is None else end
    depth = 0
    for i in range(pos, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _skip_quoted(text: str, pos: int, escapes: bool = True) -> int:
    """Index after the string whose `"` is at pos (braces inside it nest), or -1."""
    depth = 0
    n = len(text)
    i = pos + 1
    while i < n:
        c = text[i]
        if c == "\\" and escapes:
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == '"' and depth == 0:
            return i + 1
        i += 1
    return -1


def read_block(text: str, pos: int = 0, *, biber: bool = False) -> RawBlock | None:
    """Read the entry whose `@` is at pos; None for @comment, @preamble, @string or no entry.
    With `biber`, a %-comment inside the entry is white space, as biber reads it."""
    block = _read_block(text, pos, biber, escapes=True)
    nxt = text.find("\n@", pos + 1)
    if (
        block is not None
        and block.error is not None
        and _ESCAPED_BRACE.search(text, pos, len(text) if nxt < 0 else nxt)
    ):
        # `{\\{}\\{\\}}` (a Mendeley export's escaped math) balances only as BibTeX counts
        # braces, every one of them: read so, the entry may have no error at all
        raw = _read_block(text, pos, biber, escapes=False)
        if raw is not None and raw.error is None:
            raw.every_brace = True
            return raw
    return block


def _read_block(text: str, pos: int, biber: bool, escapes: bool) -> RawBlock | None:
    ws = _WS_BIBER if biber else _WS
    m = _TYPE.match(text, pos)
    if not m:
        return None
    typ = m.group(1).lower()
    i = m.end()
    if not typ or typ.startswith(SPECIAL_TYPES) or i >= len(text) or text[i] not in "{(":
        return None
    close = "}" if text[i] == "{" else ")"
    i = ws.match(text, i + 1).end()
    km = (_KEY_BRACE if close == "}" else _KEY_PAREN).match(text, i)
    block = RawBlock(typ, km.group() if km else None, pos)
    if km is None:
        block.error = (i, "the entry has no key")
        return block
    i = km.end()
    n = len(text)
    while True:
        i = ws.match(text, i).end()
        if i >= n:
            block.error = _unclosed(block, text, i)
            return block
        c = text[i]
        if c == close:
            block.end = i + 1
            return block
        if c != ",":
            what = block.fields[-1].name if block.fields else block.key
            block.error = (
                i,
                f"expected ',' or '{close}' after '{what}' (a missing comma?); "
                "BibTeX skips the rest of the entry",
            )
            return block
        i = ws.match(text, i + 1).end()
        if i < n and text[i] == close:
            block.end = i + 1
            return block
        nm = _IDENT.match(text, i)
        if nm is None:
            shown = text[i : i + 1] or "end of file"
            hint = " (a % is not a comment inside an entry)" if shown == "%" else ""
            block.error = (
                i,
                f"expected a field name, found '{shown}'{hint}; BibTeX skips the rest of the entry",
            )
            return block
        f = RawField(nm.group(), i)
        i = ws.match(text, nm.end()).end()
        if i >= n or text[i] != "=":
            block.error = (i, f"expected '=' after field name '{f.name}'")
            return block
        i = ws.match(text, i + 1).end()
        while True:
            if i >= n:
                block.error = (f.pos, f"field '{f.name}' has no value")
                return block
            c = text[i]
            if c == "{":
                end = _skip_braced(text, i, escapes)
                kind = "brace"
            elif c == '"':
                end = _skip_quoted(text, i, escapes)
                kind = "quote"
            else:
                bm = _BARE.match(text, i)
                if bm is None:
                    block.error = (i, f"field '{f.name}' has no value")
                    return block
                end = bm.end()
                kind = "number" if _NUMBER.match(bm.group()) else "macro"
            if end < 0:
                block.error = (
                    i,
                    f"the {c} opened here for '{f.name}' is never closed",
                )
                return block
            f.pieces.append((kind, text[i:end], i))
            i = ws.match(text, end).end()
            if i < n and text[i] == "#":
                i = ws.match(text, i + 1).end()
                continue
            break
        block.fields.append(f)


_SWALLOWED = re.compile(r"\n\s*[A-Za-z][\w-]*\s*=")


def _unclosed(block: RawBlock, text: str, i: int) -> tuple[int, str]:
    """Where an entry that never closes went wrong: a value that swallowed the fields after
    it (its brace or quote is the unclosed one), else the end of the entry."""
    for f in block.fields:
        for kind, piece, pos in f.pieces:
            if kind in ("brace", "quote") and _SWALLOWED.search(piece):
                c = piece[0]
                return pos, (
                    f"the {c} opened here for '{f.name}' is not closed where the field ends "
                    "(it swallows the fields after it)"
                )
    j = max(len(text[:i].rstrip()) - 1, 0)
    return j, "the entry is not closed"
