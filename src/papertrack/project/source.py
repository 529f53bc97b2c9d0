"""Reading source files safely and masking what LaTeX never sees (comments, \\iffalse, verbatim)."""

from __future__ import annotations

import bisect
import errno
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

# Files larger than this are reported and not parsed: pylatexenc reads ~125 kB/s, so a 10 MB
# generated file would hold the whole check for over a minute.
MAX_PARSE_BYTES = 4 * 1024 * 1024

VERBATIM_ENVS = (
    "verbatim",
    "verbatim*",
    "Verbatim",
    "Verbatim*",
    "BVerbatim",
    "LVerbatim",
    "lstlisting",
    "minted",
    "alltt",
    "comment",
    "filecontents",
    "filecontents*",
    "pythontexcustomcode",
    # pythontex's code environments (pycode, sympyblock, jlconsole, ...): Python, Julia, ...
    # that PythonTeX runs; their %, { and quotes are the language's, not LaTeX's
    *(
        f + kind
        for f in ("py", "sympy", "pylab", "rb", "ruby", "jl", "julia", "octave", "sage", "bash")
        for kind in ("code", "block", "verbatim", "console", "consolecode")
    ),
)

# TeX primitives that open a conditional; a skipped \iffalse block must count them to find its \fi.
_IF_PRIMITIVES = frozenset(
    [
        "if",
        "ifcat",
        "ifnum",
        "ifdim",
        "ifodd",
        "ifvmode",
        "ifhmode",
        "ifmmode",
        "ifinner",
        "ifvoid",
        "ifhbox",
        "ifvbox",
        "ifx",
        "ifeof",
        "iftrue",
        "iffalse",
        "ifcase",
        "ifdefined",
        "ifcsname",
        "iffontchar",
        "ifincsname",
        "ifpdfprimitive",
    ]
)

_MASTER = re.compile(
    r"""
    (?=[\\%])  # every branch starts with one of these: lets the search skip plain text fast
    (?:
    (?P<esc>\\[\\%{}$&\#_^~])                                   # escaped char: not special
  | (?P<verb>\\(?:verb\*?|lstinline|mintinline(?:\{[^}\n]*\})?)(?=[^a-zA-Z]))
  | (?P<begin>\\begin\s*\{(?P<env>[^}\n]{1,40})\})
  | (?P<iffalse>\\if(?:false|0)(?![a-zA-Z@]))
  | (?P<endinput>\\endinput(?![a-zA-Z@]))
  | (?P<url>\\(?:url|href)\s*\{)
  | (?P<comment>%[^\n]*)
    )
    """,
    re.VERBOSE,
)
_IF_TOKEN = re.compile(r"\\(if[a-zA-Z@]*|fi|else|or)(?![a-zA-Z@])")
_COMMENT_END = re.compile(r"^\\end\{comment\}", re.M)
_NEWIF = re.compile(r"\\newif\s*\\(if[a-zA-Z@]+)")


def verbatim_close(text: str, start: int) -> int:
    """The } that closes a verbatim argument opened at text[start] == '{', braces balanced as
    fvextra reads them (a backslash escapes nothing there); -1 at a line end or the text end."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        elif c == "\n":
            return -1
    return -1


@dataclass
class Comment:
    """A `%` comment: papertrack reads suppressions, owners and magic comments from these."""

    line: int
    col: int
    text: str  # without the leading %


@dataclass
class SourceFile:
    """One project file: original text, text with the skipped parts blanked, and a line index."""

    path: Path
    rel: str
    text: str
    masked: str = ""
    comments: list[Comment] = field(default_factory=list)
    encoding: str = "utf-8"
    problem: str | None = None  # why the file could not be read or parsed in full
    skipped_regions: list[tuple[int, int]] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        self._line_starts = starts

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        i = bisect.bisect_right(self._line_starts, pos) - 1
        return i + 1, pos - self._line_starts[i] + 1


class UnreadableFile(Exception):
    """A file papertrack cannot use as LaTeX source; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8, falling back to Latin-1 (which accepts anything) and saying so."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def looks_binary(data: bytes) -> bool:
    """True for files with NUL bytes or mostly control characters in their first 8 kB.

    A stray NUL or two in a text file (a bad paste, an editor crash) does not make it binary:
    LaTeX complains about the character and reads the rest, and so does papertrack.
    """
    head = data[:8192]
    if not head:
        return False
    nuls = head.count(0)
    if nuls > 2:  # images, archives, UTF-16 (every other byte)
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))  # C speed, same count
    return control / len(head) > 0.1


def read_source(path: Path, rel: str) -> SourceFile:
    """Read and mask one .tex file. Raises UnreadableFile with a message for bad files."""
    try:
        if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
            # reading a named pipe blocks until someone writes to it: never open one
            raise UnreadableFile("not a regular file (a named pipe or a device)")
        data = path.read_bytes()
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except IsADirectoryError:
        raise UnreadableFile("is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("symbolic link loop (the link leads back to itself)") from None
        raise UnreadableFile(exc.strerror or str(exc)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("UTF-16 text, which LaTeX cannot read; save the file as UTF-8")
    if looks_binary(data):
        raise UnreadableFile("binary file, not LaTeX source")
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    src = SourceFile(path=path, rel=rel, text=text, encoding=encoding)
    if len(data) > MAX_PARSE_BYTES:
        src.problem = f"file is {len(data) / 1e6:.1f} MB; files over {MAX_PARSE_BYTES // 2**20} MB are not analysed"
        src.masked = " " * len(text)
        return src
    mask_source(src)
    return src


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _skip_group(text: str, pos: int) -> int:
    """Index after the group whose `{` is at pos-1; end of text if unbalanced."""
    depth = 1
    n = len(text)
    while pos < n:
        c = text[pos]
        if c == "\\":
            pos += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return pos + 1
        elif c == "\n" and text.startswith("\n\n", pos):
            return pos  # a paragraph break ends a URL argument in LaTeX too
        pos += 1
    return n


_LABEL_IN_CODE = re.compile(r"\\label\s*\{[^{}\n]*\}")
CAPTION_OPTION = re.compile(r"(?<![a-zA-Z])caption\s*=")
_LABEL_OPTION = re.compile(r"(?<![a-zA-Z])label\s*=\s*(?:\{[^{}\n]*\}|[^,\]%\n]*[^,\]%\s])")


def _keep_labels(text: str, chars: list[str], start: int, stop: int, options: bool) -> None:
    """Leave visible the labels a code listing defines: listings' `label=` option and the
    `\\label{...}` that escapes to LaTeX (escapeinside) put inside the code."""
    if options:
        head = re.match(r"\s*\[", text[start:stop])
        if head:
            depth, i = 0, start + head.end() - 1
            commas: list[int] = []  # between options: they end a bare label value
            while i < stop:
                c = text[i]
                depth += c == "[" or c == "{"
                depth -= c == "]" or c == "}"
                if depth == 0:
                    break
                if c == "," and depth == 1:
                    commas.append(i)
                i += 1
            for m in _LABEL_OPTION.finditer(text, start, i):
                chars[m.start() : m.end()] = text[m.start() : m.end()]
            # the key alone (its text stays blank): the listing prints a caption of its own
            for m in CAPTION_OPTION.finditer(text, start, i):
                chars[m.start() : m.end()] = text[m.start() : m.end()]
                for k in commas:
                    chars[k] = ","
    for m in _LABEL_IN_CODE.finditer(text, start, stop):
        chars[m.start() : m.end()] = text[m.start() : m.end()]


def _find_fi(text: str, pos: int, newifs: set[str]) -> int:
    """Offset of the \\fi closing an \\iffalse whose body starts at pos (or end of text)."""
    depth = 1
    for m in _IF_TOKEN.finditer(text, pos):
        name = m.group(1)
        if name == "else" and depth == 1:
            return m.start()  # TeX reads the \else branch of \iffalse
        if name == "fi":
            depth -= 1
            if depth == 0:
                return m.start()
        elif name.startswith("if") and (name in _IF_PRIMITIVES or name in newifs):
            depth += 1
    return len(text)


def keep_comment_lines(before: str, chars: list[str], spans: list[tuple[int, int]]) -> None:
    """Put a `%` back on each line that blanking a span in `spans` left empty-looking.

    An empty line is a paragraph break (\\par) to every reader, but TeX never sees the end of a
    line that holds only a comment or a skipped branch: the comment eats it. The `%` (at the
    line's first non-blank column, the rest stays blank) keeps that line a comment line, so the
    masked text keeps its length and line breaks and still reads as TeX reads it."""
    done = -1  # start of the last line handled: a line with many spans is looked at once
    for a, b in spans:
        ls = before.rfind("\n", 0, a) + 1
        while ls <= b and ls < len(before):
            le = before.find("\n", ls)
            le = len(before) if le < 0 else le
            if ls != done:
                done = ls
                line = before[ls:le]
                lead = len(line) - len(line.lstrip())
                if lead < len(line) and not "".join(chars[ls:le]).strip():
                    chars[ls + lead] = "%"
            ls = le + 1


def mask_source(src: SourceFile) -> None:
    """Fill `src.masked`: same length and line breaks as the text, skipped parts blanked."""
    text = src.text
    chars = list(text)
    comments: list[Comment] = []
    silent: list[tuple[int, int]] = []  # blanked spans TeX reads nothing from, in order
    newifs = set(_NEWIF.findall(text))
    pos = 0
    n = len(text)
    while pos < n:
        m = _MASTER.search(text, pos)
        if not m:
            break
        kind = m.lastgroup if m.lastgroup != "env" else "begin"
        if m.group("begin"):
            kind = "begin"
        if kind == "esc" or kind is None:
            pos = m.end()
        elif kind == "comment":
            line, col = src.line_col(m.start())
            comments.append(Comment(line, col, m.group()[1:]))
            _blank(chars, m.start(), m.end())
            silent.append((m.start(), m.end()))
            pos = m.end()
        elif kind == "verb":
            end = m.end()
            if end < n and text[end] == "{":
                # \mintinline{c}{f { x }} reads balanced braces (fvextra); \lstinline the first }
                balanced = m.group("verb").startswith("\\mintinline")
                close = verbatim_close(text, end) if balanced else text.find("}", end + 1)
            elif end < n:
                close = text.find(text[end], end + 1)
            else:
                close = -1
            nl = text.find("\n", end)
            if close < 0 or (0 <= nl < close):
                pos = end
                continue
            # blank the argument but keep its delimiters: a bare \verb would make the LaTeX
            # parser take the next character it finds as the delimiter and swallow the text
            _blank(chars, end + 1, close)
            pos = close + 1
        elif kind == "url":
            end = _skip_group(text, m.end())
            # a % inside a URL is literal; blank it so the LaTeX parser does not see a comment
            for i in range(m.end(), end):
                if chars[i] in "%#":
                    chars[i] = " "
            pos = end
        elif kind == "begin":
            env = m.group("env").strip()
            if env in VERBATIM_ENVS:
                closing = f"\\end{{{env}}}"
                stop = text.find(closing, m.end())
                if env == "comment" and stop >= 0 and text[stop - 1 : stop] not in ("", "\n"):
                    # comment.sty ends it only at a line that starts with \end{comment}: an
                    # indented one (a nested block) is skipped text; verbatim.sty's ends anywhere
                    at_start = _COMMENT_END.search(text, stop)
                    stop = at_start.start() if at_start else stop
                stop = n if stop < 0 else stop
                if env == "comment":
                    _blank(chars, m.start(), min(n, stop + len(closing)))
                    silent.append((m.start(), min(n, stop + len(closing))))
                else:
                    _blank(chars, m.end(), stop)
                    if env in ("lstlisting", "minted"):
                        _keep_labels(text, chars, m.end(), stop, env == "lstlisting")
                src.skipped_regions.append((m.end(), stop))
                pos = min(n, stop + len(closing))
            else:
                pos = m.end()
        elif kind == "iffalse":
            fi = _find_fi(text, m.end(), newifs)
            end = min(n, fi + (5 if text.startswith("\\else", fi) else 3))
            _blank(chars, m.start(), end)
            silent.append((m.start(), end))
            src.skipped_regions.append((m.start(), end))
            # comments inside the skipped block still matter for suppressions
            for cm in re.finditer(r"(?<!\\)%[^\n]*", text[m.end() : fi]):
                line, col = src.line_col(m.end() + cm.start())
                comments.append(Comment(line, col, cm.group()[1:]))
            pos = end
        elif kind == "endinput":
            eol = text.find("\n", m.end())
            eol = n if eol < 0 else eol
            _blank(chars, eol, n)
            for cm in re.finditer(r"(?<!\\)%[^\n]*", text[eol:]):
                line, col = src.line_col(eol + cm.start())
                comments.append(Comment(line, col, cm.group()[1:]))
            src.skipped_regions.append((eol, n))
            break
        else:
            pos = m.end()
    keep_comment_lines(text, chars, silent)
    src.masked = "".join(chars)
    src.comments = comments
