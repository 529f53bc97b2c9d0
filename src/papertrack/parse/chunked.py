"""Parse a long file in paragraph chunks, each cached: an edit re-parses only the chunk it touches.

pylatexenc reads ~350 kB/s even with the fast walker, so a 80 kB chapter costs over 200 ms to
parse again after every save. Most of a file is unchanged by a save, so the file is cut at
paragraph breaks that pylatexenc would also treat as plain text boundaries (outside braces,
environments and math, not where a macro could still take an argument), each chunk is parsed
and cached on its own, and the facts are shifted back to file positions. Cut points are chosen
by content (a hash of the paragraph's start), so an edit moves no other chunk's boundaries.
The only state the walker carries across a cut is the count of words not flushed yet; it is
added where a whole-file parse would flush it, so the facts equal a whole-file parse (a test
compares them on every corpus file and on generated text).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import pickle
import re
import zlib
from collections.abc import Callable

from pylatexenc import latexwalker as lw

from papertrack.facts import Event
from papertrack.parse import cache as cachemod
from papertrack.parse import latex
from papertrack.parse import macrotable as mc

MIN_CHUNKED_BYTES = (
    8000  # smaller files are parsed whole (one parse is cheaper than the cache reads)
)
EVERY = 2  # about one paragraph break in EVERY becomes a cut: chunks of ~2 kB
_TOKEN = re.compile(
    r"\\(?P<be>begin|end)\s*\{(?P<env>[^{}\n]*)\}"
    r"|\\(?P<dm>[\[\]()])"
    r"|(?P<verb>\\verb)(?![A-Za-z@])"
    r"|\\[{}$\\]"  # escaped: not a brace or math shift (control words need no token)
    r"|(?P<dd>\$\$)"
    r"|(?P<d>\$)"
    r"|(?P<br>[{}])"
    r"|(?P<blank>\n(?:[ \t]*\n)+)"
)
# Text just before a paragraph break that may still take the next paragraph as an argument.
_OPEN_END = re.compile(r"(?:\\[A-Za-z@]+\*?|\\.|\*|\])\s*$")
_DOCUMENT = re.compile(r"\\(?:begin|end)\s*\{document\}|\\documentclass")


def cut_points(text: str) -> list[int]:
    """Offsets (line starts) where the file can be cut without changing how it parses."""
    if len(text) < MIN_CHUNKED_BYTES or _DOCUMENT.search(text):
        return []
    cuts: list[int] = []
    depth = 0
    envs: list[str] = []
    math: str | None = None
    pos = 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            return cuts
        pos = m.end()
        g = "be" if m.group("be") else m.lastgroup  # lastgroup would name the inner env group
        if g == "verb":
            # pylatexenc's \verb: the next non-space character delimits, wherever the next one is
            # (masking blanks the original argument, so this often reaches far)
            while pos < len(text) and text[pos].isspace():
                pos += 1
            end = text.find(text[pos], pos + 1) if pos < len(text) else -1
            if end < 0:
                return cuts
            pos = end + 1
            continue
        if g == "blank":
            if depth or envs or math:
                continue
            at = m.end()
            nxt = text[at : at + 1]
            if not nxt or nxt in "{[*" or nxt.isspace() or at >= len(text):
                continue
            if _OPEN_END.search(text, max(0, m.start() - 80), m.start()):
                continue
            if zlib.crc32(text[at : at + 48].encode("utf-8", "surrogatepass")) % EVERY == 0:
                cuts.append(at)
        elif g == "br":
            if m.group("br") == "{":
                depth += 1
            elif depth:
                depth -= 1
            else:
                return cuts  # a stray closer: pylatexenc may recover differently; stop cutting
        elif g == "be":
            env = m.group("env").strip()
            if m.group("be") == "begin":
                envs.append(env)
            elif envs and envs[-1] == env:
                envs.pop()
            else:
                return cuts
        elif g == "dd":
            if math in (None, "$$"):
                math = None if math else "$$"
            else:
                return cuts
        elif g == "d":
            if math in (None, "$"):
                math = None if math else "$"
            else:
                return cuts
        elif g == "dm":
            c = m.group("dm")
            if c in "[(" and math is None:
                math = c
            elif (c, math) in (("]", "["), (")", "(")):
                math = None
            else:
                return cuts


class _Lines:
    """line_col for a chunk that starts at a line start: columns equal the file's columns."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_col(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i + 1, pos - self.starts[i] + 1


def _shift(f: latex.FileFacts, dpos: int, dline: int, dfloat: int) -> None:
    """Chunk positions to file positions: every item with a line (and events' offsets)."""
    for fl in dataclasses.fields(f):
        items = getattr(f, fl.name)
        if fl.name == "events" or not isinstance(items, list):
            continue
        for x in items:
            if hasattr(x, "line"):
                x.line += dline
    for e in f.events:
        e.pos += dpos
        e.line += dline
        if e.heading is not None:
            e.heading.pos += dpos
            e.heading.line += dline
        if e.kind == "float":
            e.index += dfloat


def _merge(out: latex.FileFacts, part: latex.FileFacts) -> None:
    """Append a chunk's facts: lists are joined, counts added, the first error kept."""
    for fl in dataclasses.fields(out):
        mine, theirs = getattr(out, fl.name), getattr(part, fl.name)
        if isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, int) and not isinstance(mine, bool):
            setattr(out, fl.name, mine + theirs)
        elif mine is None and theirs is not None:
            setattr(out, fl.name, theirs)


def _closed(node, text: str) -> bool:
    """Whether a node ends with its own closing delimiter (an unclosed one ran to the end)."""
    if node is None:
        return True
    s = text[node.pos : node.pos + node.len]
    if isinstance(node, lw.LatexGroupNode):
        close = (node.delimiters or ("{", "}"))[1]
        return len(s) >= 2 and s.endswith(close)
    if isinstance(node, lw.LatexMathNode):
        opening, close = node.delimiters or ("$", "$")
        return len(s) >= len(opening) + len(close) and s.endswith(close)
    if isinstance(node, lw.LatexEnvironmentNode):
        name = re.escape(node.environmentname)
        return re.search(r"\\end\s*\{\s*" + name + r"\s*\}$", s) is not None
    if isinstance(node, lw.LatexMacroNode):
        argd = node.nodeargd
        args = list(argd.argnlist or []) if argd is not None else []
        spec = getattr(argd, "argspec", "") or ""
        if any(c == "{" and (i >= len(args) or args[i] is None) for i, c in enumerate(spec)):
            return False  # a mandatory argument is missing: the next chunk would supply it
        last = next((a for a in reversed(args) if a is not None), None)
        return _closed(last, text)
    return True


def ends_closed(nodes: list, text: str) -> bool:
    """True when the chunk's last top-level node is complete, so nothing runs past its end."""
    last = next((n for n in reversed(nodes) if n is not None), None)
    return _closed(last, text)


# Events recorded after a flush of the pending words (floats and displays are not).
_FLUSHING = frozenset(
    {"words", "heading", "appendix", "bibliography", "abstract", "begin-document", "end-document"}
)


def _flush_carry(events: list[Event], carry: int, splits: list[int], line_col) -> int:
    """Put words carried over from earlier chunks where a whole-file parse flushes them.

    A chunk is parsed as if no words were pending (so its cache entry does not depend on the
    chunks before it); the walker flushes pending words at the first event that flushes or at
    the first include point, whichever comes first. Returns the carry left (0 once flushed).
    """
    first = next((i for i, e in enumerate(events) if e.kind in _FLUSHING), None)
    split = min(splits, default=None)
    if first is not None and (split is None or events[first].pos <= split):
        e = events[first]
        if e.kind == "words":
            e.words += carry
        else:
            events.insert(first, Event(e.pos, "words", words=carry, line=e.line))
        return 0
    if split is not None:
        at = next((i for i, e in enumerate(events) if e.pos >= split), len(events))
        if at < len(events) and events[at].kind == "words" and events[at].pos == split:
            events[at].words += carry
        else:
            events.insert(at, Event(split, "words", words=carry, line=line_col(split)[0]))
        return 0
    return carry


def _unpickled(blob: bytes | None):
    """A chunk's cached (facts, closed), or None (absent, or unreadable: parse it again)."""
    if blob is None:
        return None
    try:
        return pickle.loads(blob)
    except Exception:
        return None


def parse_chunked(
    rel: str,
    text: str,
    line_col,
    table: mc.MacroTable,
    split_points: list[int],
    db: Callable[[], object],
    cache: cachemod.Cache,
    fingerprint: str,
) -> latex.FileFacts:
    """Facts of one file, parsed chunk by chunk with each chunk's facts cached.

    `db()` gives the pylatexenc context (made only when something must be parsed);
    `fingerprint` is the macro table's, which changes how files parse.
    """
    cuts = cut_points(text)
    if not cuts:
        return latex.parse_file(rel, text, line_col, table, split_points, db())
    out = latex.FileFacts()
    bounds = [0, *cuts, len(text)]
    carry = 0  # words not flushed at the end of the previous chunk: the walker's only state
    # A file's chunks are cached together in one entry (pickled chunk by chunk, read back only
    # where needed): one file write per file, not one per chunk, which cost a cold check of 14
    # files and 74 chunks ~50 ms CPU. Keyed by name, so it holds the file's latest chunks.
    pack_key = cachemod.key("tex-chunks", rel, fingerprint)
    old = cache.get(pack_key)
    pack: dict[str, bytes] = old if isinstance(old, dict) else {}
    fresh: dict[str, bytes] = {}
    try:
        for a, b in itertools.pairwise(bounds):
            chunk = text[a:b]
            local = [p - a for p in split_points if a <= p < b]
            k = cachemod.key("tex-chunk2", rel, chunk, fingerprint, ",".join(map(str, local)))
            hit = _unpickled(pack.get(k))
            if hit is None:
                nodes: list = []
                facts = latex.parse_file(
                    rel, chunk, _Lines(chunk).line_col, table, local, db(), nodes
                )
                hit = (facts, not facts.parse_error and ends_closed(nodes, chunk))
                if cache.enabled:
                    fresh[k] = pickle.dumps(hit, protocol=pickle.HIGHEST_PROTOCOL)
            elif cache.enabled:
                fresh[k] = pack[k]
            facts, closed = hit
            if not closed:
                # something runs past the cut after all (a macro took the next token, a
                # delimiter is left open): the cut does not hold, parse the file whole
                return latex.parse_file(rel, text, line_col, table, split_points, db())
            _shift(facts, a, line_col(a)[0] - 1, len(out.floats))
            events = facts.events
            if carry:
                carry = _flush_carry(events, carry, [p + a for p in local], line_col)
            if b < len(text) and events and events[-1].kind == "words" and events[-1].pos == b:
                carry += events.pop().words  # the chunk's final flush: the words run on
            facts.events = events
            _merge(out, facts)
    finally:
        if fresh and fresh.keys() != pack.keys():
            cache.put(pack_key, fresh)
    if carry:
        out.events.append(Event(len(text), "words", words=carry, line=line_col(len(text))[0]))
    return out
