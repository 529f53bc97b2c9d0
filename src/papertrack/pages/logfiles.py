"""Which file a TeX log line belongs to: the '(' and ')' TeX prints around each file it reads."""

from __future__ import annotations

import re

# The build folder name the compile step uses for -outdir; paths under it are generated files.
OUT_DIR_NAME = "_papertrack_out"

_FILE_TOKEN = re.compile(r'\("(?P<q>[^"]+)"|\((?P<p>[^\s()]*)|\)')
_FILE_LIKE = re.compile(
    r"^(?:\.{0,2}/|[A-Za-z]:[\\/])|\.(?:tex|sty|cls|cfg|def|clo|fd|bbl|aux|toc|lof|lot|out|ldf|"
    r"ltx|bib|nav|ind|gls|nls|bst|lua|dfu|tikz|pgf|code\.tex|mkii|tdo)$"
)
# Lines where TeX echoes the paper's own text, whose parentheses open and close no file: an
# error's message and help, the two lines of each context (`l.12 text` and the rest of the
# line under it), a box's contents after "Overfull \hbox", the text of a runaway argument.
_ERROR = re.compile(r"^(?:! |(?:[A-Za-z]:)?[^:\s][^:]*?\.[A-Za-z0-9]+:\d+: )")
_CONTEXT = re.compile(
    r"^(?:l\.\d+ |<(?:argument|template|recently read|to be read again|inserted text|output|"
    r"every\w+|mark|write|insert|vcenter|\*|read [*\d]+)>(?: |$))"
)
_BOX = re.compile(r"^(?:Overfull|Underfull|Tight|Loose) \\[hv]box")
_RUNAWAY = re.compile(r"^Runaway (?:argument|definition|preamble|text)\?")
# an error's help or a box's contents ends at an empty line; bounded, should one never come
_ECHO_MAX = 60


def source_relative(path: str) -> str:
    """A log path as the author knows it: './sec/a.tex' -> 'sec/a.tex'; build outputs by name."""
    path = path.strip().strip('"')
    if OUT_DIR_NAME in path:
        return path.split(OUT_DIR_NAME, 1)[1].lstrip("/\\")
    while path.startswith("./"):
        path = path[2:]
    return path


def is_system_path(path: str) -> bool:
    """A file of the TeX distribution (or elsewhere outside the paper), not the author's."""
    path = path.strip().strip('"')
    return "texmf" in path or path.startswith(("/usr/", "/etc/", "/opt/", "/nix/", "/Library/"))


class FileStack:
    """Track which file TeX is reading from the '(' and ')' it prints around each file; the
    paper's text TeX echoes in errors and box displays is not read for them ("(resp. $x$" in an
    overfull line would otherwise end the file TeX is reading)."""

    def __init__(self) -> None:
        self.stack: list[str | None] = []
        # the paper's file TeX closed last, while no file opened since: a paragraph that
        # ends now may have begun there (TeX numbers its first line in that file)
        self.closed: str | None = None
        self._echo = 0  # lines of an error's help or a box's contents still to come
        self._pair = False  # the line under a context line

    def feed(self, line: str) -> None:
        if self._pair:
            self._pair = False
            return
        if _CONTEXT.match(line):
            self._pair = True
            return
        if self._echo:
            # a file TeX opens or closes ends the echo: box contents never start with ( or )
            if line == "" or line.startswith(("(", ")")) or _BOX.match(line):
                self._echo = 0
            else:
                self._echo -= 1
                return
        if _ERROR.match(line) or _BOX.match(line):
            self._echo = _ECHO_MAX
            return
        if _RUNAWAY.match(line) or line.startswith("Missing character:"):
            self._pair = _RUNAWAY.match(line) is not None
            return
        for m in _FILE_TOKEN.finditer(line):
            if m.group(0) == ")":
                if self.stack:
                    done = self.stack.pop()
                    if done and not is_system_path(done):
                        self.closed = source_relative(done)
                continue
            name = m.group("q") or m.group("p") or ""
            if name and _FILE_LIKE.search(name):
                self.stack.append(name)
                self.closed = None
            else:
                self.stack.append(None)

    def current(self) -> str | None:
        """The innermost file being read that is not a TeX-distribution file."""
        return self.user_and_via()[0]

    def user_and_via(self) -> tuple[str | None, str | None]:
        """The innermost user file being read, and the distribution file it loaded (if any)."""
        via = None
        for name in reversed(self.stack):
            if not name:
                continue
            if is_system_path(name):
                via = name
                continue
            return source_relative(name), via
        return None, via
