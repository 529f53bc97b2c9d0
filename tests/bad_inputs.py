"""Shared helpers for the hardening tests: folder snapshots and output invariants (issue 8)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def tree_state(folder: Path) -> dict[str, tuple]:
    """Every entry under folder: path -> (kind, size, sha256 or link target, mtime_ns).

    Symbolic links are recorded, not followed, so a link to /etc or a link loop is fine.
    """
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            rel = p.relative_to(folder).as_posix()
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", 0, os.readlink(p), st.st_mtime_ns)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", 0, "", st.st_mtime_ns)
            elif not stat.S_ISREG(st.st_mode):  # a named pipe: opening it would block
                out[rel] = ("special", 0, stat.S_IFMT(st.st_mode), st.st_mtime_ns)
            else:
                try:
                    digest = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
                out[rel] = ("file", st.st_size, digest, st.st_mtime_ns)
    return out


def tree_diff(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Human-readable differences between two tree_state snapshots (empty when identical)."""
    out = [f"new: {p}" for p in sorted(set(after) - set(before))]
    out += [f"gone: {p}" for p in sorted(set(before) - set(after))]
    out += [
        f"changed: {p} {before[p]} -> {after[p]}"
        for p in sorted(set(before) & set(after))
        if before[p] != after[p]
    ]
    return out


def line_count(path: Path) -> int:
    """Lines of a file as papertrack counts them (CR, LF and CRLF all end a line)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return max(normalized.count("\n"), data.count(b"\n")) + 1


def on_disk(file: str) -> str:
    """A file name as JSON reports it, back to the name on disk: `\\xff` is a byte not UTF-8."""
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(0xDC00 + int(m.group(1), 16)), file)


def check_locations(folder: Path, locations: list[dict]) -> None:
    """Each location names a file inside the paper folder, with a line the file has."""
    root = folder.resolve()
    for loc in locations:
        file, line, col = loc.get("file"), loc.get("line"), loc.get("col")
        if file is None:
            continue
        assert not os.path.isabs(file), loc
        p = folder / file
        if not p.exists():
            p = folder / on_disk(file)
        assert p.resolve().is_relative_to(root), f"outside the paper: {loc}"
        assert p.is_file(), f"not a file of the paper: {loc}"
        assert isinstance(line, int) and 1 <= line <= line_count(p), f"line out of range: {loc}"
        assert isinstance(col, int) and col >= 1, loc


def check_json_output(folder: Path, text: str) -> dict:
    """The JSON report parses, and every finding points into the paper."""
    data = json.loads(text)
    assert isinstance(data, dict) and isinstance(data["findings"], list)
    locs = []
    for f in data["findings"]:
        assert isinstance(f["code"], str) and f["code"].startswith("PT"), f
        assert isinstance(f["message"], str) and f["message"], f
        locs.append(f)
        locs.extend(f.get("related") or [])
    check_locations(folder, locs)
    return data


# ---------------------------------------------------------------------------------------------
# The catalogue of bad inputs (docs/troubleshooting.md documents each one, by id)
# ---------------------------------------------------------------------------------------------
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
    + bytes(range(256)) * 8
)


def root(body: str = "Some text.", preamble: str = "") -> str:
    """A minimal root document around `body`."""
    return f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n"


@dataclass
class Link:
    """A symbolic link in a catalogue paper."""

    target: str


@dataclass
class Dir:
    """An empty folder in a catalogue paper."""


@dataclass
class Fifo:
    """A named pipe in a catalogue paper (reading one blocks until someone writes)."""


@dataclass
class BadInput:
    """One bad input: the files, the command line, what the user sees and the exit code."""

    id: str
    what: str  # the input, for the troubleshooting page
    files: dict[str, str | bytes | Link | Dir | Fifo | Callable[[], bytes]]
    expect: list[str]  # substrings of the output (file:line:col where there is a location)
    exit: int
    args: list[str] = field(default_factory=list)  # after `check <paper>`; {paper} is replaced
    absent: list[str] = field(default_factory=list)  # must not be in the output
    path: str = ""  # check this path inside the paper folder instead of the folder
    fix: str = ""  # what to do, for the troubleshooting page
    unreadable: str = ""  # a file to make unreadable (chmod 000, or simulated as root)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for rel, content in self.files.items():
            p = folder / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Link):
                p.symlink_to(content.target)
            elif isinstance(content, Dir):
                p.mkdir()
            elif isinstance(content, Fifo):
                os.mkfifo(p)
            elif callable(content):
                p.write_bytes(content())
            elif isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_bytes(content.encode("utf-8"))
        return folder


def _big_tex() -> bytes:
    line = b"A generated table row with some words &  1.0 & 2.0 & 3.0 \\\\\n"
    return root().encode().replace(b"Some text.", line * (10_500_000 // len(line)))


def _huge_line() -> bytes:
    return root("word " * 600_000 + "\\ref{nowhere}").encode()


def _deep_braces() -> bytes:
    return root("{" * 10_000 + "deep" + "}" * 10_000).encode()


def _garbage_bib() -> bytes:
    import random

    rnd = random.Random(2)
    return bytes(rnd.randrange(256) for _ in range(4000))


CITE_ROOT = root("As shown by \\cite{knuth84}.\n\\bibliographystyle{plain}\n\\bibliography{refs}")

CATALOGUE: list[BadInput] = [
    BadInput(
        "non-utf8-tex",
        "a .tex file saved in Latin-1 (not UTF-8)",
        {"main.tex": root("Caf\xe9 au lait.").encode("latin-1")},
        ["main.tex:1:1: PT005", "main.tex is not valid UTF-8; read as Latin-1"],
        0,
        fix="Convert it: `iconv -f latin1 -t utf-8 main.tex > main.utf8.tex`, then replace the file.",
    ),
    BadInput(
        "utf16-tex",
        "a .tex file saved as UTF-16 (Windows 'Unicode')",
        {"main.tex": root().encode("utf-16")},
        ["no root file", "main.tex (UTF-16 text, which LaTeX cannot read; save the file as UTF-8)"],
        2,
        fix="Save the file as UTF-8 in your editor.",
    ),
    BadInput(
        "binary-root",
        "a binary file named main.tex, the only .tex file in the folder",
        {"main.tex": PNG},
        ["no root file", "skipped: main.tex (binary file, not LaTeX source)"],
        2,
        fix="Restore the real main.tex (from git, or your editor's backup).",
    ),
    BadInput(
        "binary-root-path",
        "a binary file named main.tex, given as the path to check",
        {"main.tex": PNG},
        ["cannot read the root file", "main.tex: binary file, not LaTeX source"],
        2,
        path="main.tex",
        fix="Restore the real main.tex, or pass the right file.",
    ),
    BadInput(
        "binary-include",
        "\\input of a binary file named .tex (a PNG renamed by mistake)",
        {"main.tex": root("Intro.\n\\input{figures/plot}"), "figures/plot.tex": PNG},
        ["main.tex:4:1: PT004", "figures/plot.tex: binary file, not LaTeX source"],
        1,
        fix="\\input the right file; include images with \\includegraphics.",
    ),
    BadInput(
        "stray-nul",
        "a stray NUL byte in a .tex file",
        {"main.tex": root("Hello\x00 world, see \\ref{nowhere}.")},
        ["main.tex:3:19: PT101"],
        1,
        fix="Nothing for papertrack (it reads the rest); LaTeX reports 'invalid character': delete the byte.",
    ),
    BadInput(
        "empty-folder",
        "an empty folder",
        {},
        ["no .tex files here"],
        2,
        fix="Run papertrack in the paper's folder, or pass the main .tex file.",
    ),
    BadInput(
        "no-root",
        "a folder whose .tex files have no \\documentclass with \\begin{document}",
        {"intro.tex": "\\section{Introduction}\nText.\n", "method.tex": "\\section{Method}\n"},
        [
            "no root file",
            "no .tex file has both \\documentclass and \\begin{document}",
            "--main FILE",
        ],
        2,
        fix="Pass the main file (`papertrack check paper/main.tex` or `--main`), or set `main` in papertrack.toml.",
    ),
    BadInput(
        "empty-root-folder",
        "an empty main.tex, the only .tex file",
        {"main.tex": ""},
        ["no root file", "skipped: main.tex (empty)"],
        2,
        fix="Write the document, or point papertrack at the real main file.",
    ),
    BadInput(
        "empty-root-path",
        "an empty main.tex given as the path to check",
        {"main.tex": ""},
        [],  # no findings: the text report shows an empty document (0 words, no sections)
        0,
        path="main.tex",
        fix="Nothing to check yet: papertrack reports an empty document and exits 0.",
    ),
    BadInput(
        "huge-root",
        "a 10 MB main.tex (a generated table pasted into the root)",
        {"main.tex": _big_tex},
        ["main.tex:1:1: PT006", "main.tex: file is 10.5 MB; files over 4 MB are not analysed"],
        0,
        fix="Move generated data into a separate file (and `\\input` it), or ignore PT006 for the file.",
    ),
    BadInput(
        "huge-include",
        "a 10 MB .tex file included by the root",
        {"main.tex": root("Intro.\n\\input{table}"), "table.tex": _big_tex},
        ["table.tex:1:1: PT006", "table.tex: file is 10.5 MB"],
        0,
        fix="As above; the rest of the paper is still checked.",
    ),
    BadInput(
        "huge-line",
        "a 3 MB .tex file on a single line",
        {"main.tex": _huge_line},
        ["main.tex:3:3000001: PT101", "undefined reference 'nowhere'"],
        1,
        fix="Nothing: such files are checked (locations give the column).",
    ),
    BadInput(
        "garbage-bib",
        "a .bib file full of random bytes",
        {"main.tex": CITE_ROOT, "refs.bib": _garbage_bib},
        [
            "refs.bib:1:1: PT204",
            "refs.bib is a binary file, not a bibliography",
            "main.tex:3:13: PT201",
        ],
        1,
        fix="Restore the bibliography (from git or your reference manager's export).",
    ),
    BadInput(
        "broken-bib-entry",
        "a .bib entry cut off in the middle",
        {
            "main.tex": CITE_ROOT,
            "refs.bib": "@book{knuth84,\n  title = {The {\\TeX}book},\n  year = 1984,\n}\n\n@article{broken,\n  title = {Half\n",
        },
        ["refs.bib:7:1: PT204", "entry 'broken': the { opened here for 'title' is never closed"],
        1,
        fix='Close the entry (a missing `}` or `"`); the other entries are still read.',
    ),
    BadInput(
        "deep-braces",
        "braces nested 10,000 deep",
        {"main.tex": _deep_braces},
        ["main.tex:1:1: PT009", "braces nested 10000 deep; papertrack analyses up to 200"],
        0,
        fix="Usually a generated file: look at it, or ignore PT009 for it. Other files are checked.",
    ),
    BadInput(
        "unclosed-brace-at-end",
        "an unclosed brace at the very end of a file",
        {"main.tex": root("Text \\textbf{bold.") + "{"},
        ["main.tex:3:13: PT401", "'{' is never closed (2 open at end of file)"],
        1,
        fix="Close the group that starts at the reported line:column.",
    ),
    BadInput(
        "symlink-loop-include",
        "\\input of a symbolic link that loops (a.tex -> b.tex -> a.tex)",
        {"main.tex": root("\\input{a}"), "a.tex": Link("b.tex"), "b.tex": Link("a.tex")},
        ["main.tex:3:1: PT004", "a.tex: symbolic link loop"],
        1,
        fix="Replace the link with the real file (`ls -l` shows where links point).",
    ),
    BadInput(
        "symlink-loop-root",
        "main.tex is a symbolic link to itself",
        {"main.tex": Link("main.tex")},
        ["no root file", "main.tex (symbolic link loop"],
        2,
        fix="Replace the link with the real file.",
    ),
    BadInput(
        "symlink-outside",
        "a .tex file that is a symbolic link to a file outside the paper folder",
        {"main.tex": root("\\input{shared}"), "shared.tex": Link("/etc/passwd")},
        ["main.tex:3:1: PT003", "\\input{shared} leaves the project folder; not followed"],
        0,
        absent=["root:x:"],
        fix="Copy the file into the paper folder.",
    ),
    BadInput(
        "unreadable-include",
        "an included file without read permission (chmod 000)",
        {"main.tex": root("\\input{secret}"), "secret.tex": "Text.\n"},
        ["main.tex:3:1: PT004", "secret.tex: permission denied"],
        1,
        unreadable="secret.tex",
        fix="`chmod u+r secret.tex` (files synced from another machine or container often lose permissions).",
    ),
    BadInput(
        "missing-include",
        "\\input of a file that does not exist",
        {"main.tex": root("Intro.\n\\input{sections/results}")},
        ["main.tex:4:1: PT001", "\\input{sections/results}: file not found"],
        1,
        fix="Add the file or correct the path (relative to the main file's folder).",
    ),
    BadInput(
        "include-cycle",
        "files that include each other (main.tex -> a.tex -> b.tex -> a.tex)",
        {"main.tex": root("\\input{a}"), "a.tex": "A.\n\\input{b}\n", "b.tex": "B.\n\\input{a}\n"},
        ["b.tex:2:1: PT002", "include cycle: a.tex -> b.tex -> a.tex"],
        1,
        fix="Remove the include that closes the loop.",
    ),
    BadInput(
        "include-etc-passwd",
        "\\input{/etc/passwd}",
        {"main.tex": root("\\input{/etc/passwd}")},
        ["main.tex:3:1: PT003", "\\input{/etc/passwd} leaves the project folder; not followed"],
        0,
        absent=["root:x:"],
        fix="Copy what you need into the paper folder; papertrack never reads files outside it.",
    ),
    BadInput(
        "include-parent-folder",
        "\\input{../notes} (a file beside the paper folder)",
        {"paper/main.tex": root("\\input{../notes}"), "notes.tex": "private notes TODO\n"},
        ["main.tex:3:1: PT003", "\\input{../notes} leaves the project folder; not followed"],
        0,
        path="paper",
        absent=["private notes"],
        fix="Move the file into the paper folder: the paper will not build for coauthors or on arXiv otherwise.",
    ),
    BadInput(
        "input-pipe",
        '\\input{|"cat /etc/passwd"} (shell escape through \\input)',
        {"main.tex": root('\\input{|"cat /etc/passwd"}')},
        ["main.tex:3:1: PT008", "runs a shell command; not followed"],
        0,
        absent=["root:x:"],
        fix="Generate the file beforehand and \\input the result; papertrack never runs it.",
    ),
    BadInput(
        "unbalanced-begin-end",
        "\\begin{itemize} closed by \\end{enumerate}",
        {"main.tex": root("\\begin{itemize}\n\\item One.\n\\end{enumerate}")},
        ["main.tex:5:1: PT40", "\\end{enumerate}"],
        1,
        fix="Make the \\end match its \\begin (the message names both lines).",
    ),
    BadInput(
        "unclosed-dollar",
        "inline math opened with $ and never closed",
        {"main.tex": root("Let $x = 1 be given.\n\nNext paragraph.")},
        ["main.tex:3:5: PT404", "math opened with $ is not closed before the paragraph ends"],
        1,
        fix="Add the closing `$`.",
    ),
    BadInput(
        "config-syntax-error",
        "papertrack.toml that is not valid TOML",
        {"main.tex": root(), "papertrack.toml": 'select = ["PT1"\nignore = []\n'},
        ["papertrack.toml:2:1: invalid TOML: Unclosed array"],
        2,
        fix="Fix the TOML at the line and column given.",
    ),
    BadInput(
        "config-unknown-key",
        "papertrack.toml with an unknown setting",
        {"main.tex": root(), "papertrack.toml": "stub_words = 30\n"},
        ["papertrack.toml:1: unknown setting 'stub_words' (did you mean 'stub-words'?)"],
        2,
        fix="Use the setting's name as documented (settings are kebab-case).",
    ),
    BadInput(
        "config-wrong-type",
        "papertrack.toml with a value of the wrong type",
        {"main.tex": root(), "papertrack.toml": 'stub-words = "forty"\n'},
        ["papertrack.toml:1: 'stub-words' must be a non-negative whole number", "not 'forty'"],
        2,
        fix="Give the value the type the message names.",
    ),
    BadInput(
        "config-nan-number",
        "papertrack.toml with page-limit = nan (security review F19: a traceback)",
        {"main.tex": root(), "papertrack.toml": "page-limit = nan\n"},
        ["papertrack.toml:1: 'page-limit' must be a number above 0 and at most 1000, not nan"],
        2,
        fix="Give a real number of pages; the caps are listed in the README (Configuration).",
    ),
    BadInput(
        "config-infinite-timeout",
        "papertrack.toml with compile-timeout = inf (security review F10: no timeout at all)",
        {"main.tex": root(), "papertrack.toml": "compile-timeout = inf\n"},
        ["papertrack.toml:1: 'compile-timeout' must be a number above 0 and at most 3600, not inf"],
        2,
        fix="A paper's own settings cannot switch the timeout off; give seconds, at most 3600.",
    ),
    BadInput(
        "config-huge-number",
        "papertrack.toml with a whole number beyond any paper (stub-words = 10^20)",
        {"main.tex": root(), "papertrack.toml": "stub-words = 100000000000000000000\n"},
        ["papertrack.toml:1: 'stub-words' must be a non-negative whole number (at most 1,000,000)"],
        2,
        fix="Use a realistic value; the caps are listed in the README (Configuration).",
    ),
    BadInput(
        "config-deep-array",
        "papertrack.toml with arrays nested 5,000 deep",
        {"main.tex": root(), "papertrack.toml": "select = " + "[" * 5000 + "]" * 5000 + "\n"},
        ["papertrack.toml: invalid TOML: nested too deeply to read"],
        2,
        fix="Fix the file: settings are flat lists and tables.",
    ),
    BadInput(
        "pyproject-not-a-table",
        "pyproject.toml whose [tool] papertrack is not a table",
        {"main.tex": root(), "pyproject.toml": '[tool]\npapertrack = "strict"\n'},
        ["pyproject.toml: [tool.papertrack] must be a table of settings"],
        2,
        fix="Write the settings as a `[tool.papertrack]` table.",
    ),
    BadInput(
        "config-main-outside",
        'papertrack.toml with main = "/etc/passwd"',
        {"main.tex": root(), "papertrack.toml": 'main = "/etc/passwd"\n'},
        ["main file /etc/passwd is outside the project folder"],
        2,
        absent=["root:x:"],
        fix="`main` names a .tex file inside the paper folder.",
    ),
    BadInput(
        "main-missing",
        "--main naming a file that does not exist",
        {"main.tex": root()},
        ["main file paper.tex not found in"],
        2,
        args=["--main", "paper.tex"],
        fix="Check the name; it is relative to the paper folder.",
    ),
    BadInput(
        "venue-unknown",
        "--venue naming no known venue",
        {"main.tex": root()},
        ["unknown venue 'nosuchconf'", "known venues:"],
        2,
        args=["--venue", "nosuchconf"],
        fix="`papertrack venues` lists the profiles; add your own in .papertrack/venues/.",
    ),
    BadInput(
        "select-unknown",
        "--select with a rule code that does not exist",
        {"main.tex": root()},
        ["'PT999' matches no rule", "papertrack rules"],
        2,
        args=["--select", "PT999"],
        fix="`papertrack rules` lists codes and names.",
    ),
    BadInput(
        "missing-path",
        "a path that does not exist",
        {"main.tex": root()},
        ["no-such-paper: no such file or folder"],
        2,
        path="no-such-paper",
        fix="Check the path.",
    ),
    BadInput(
        "bib-duplicates",
        "a .bib with a duplicate key and an entry with a duplicate field",
        {
            "main.tex": root(
                "\\cite{knuth84,lamport94}\n\\bibliographystyle{plain}\n\\bibliography{refs}"
            ),
            "refs.bib": "@book{knuth84, title={The TeXbook}, year=1984}\n"
            "@book{knuth84, title={The TeXbook (again)}}\n"
            "@book{lamport94,\n  title={LaTeX},\n  title={LaTeX: A Document Preparation System},\n}\n",
        },
        [
            "refs.bib:2:1: PT205",
            "duplicate bib key 'knuth84' (BibTeX uses the first)",
            "refs.bib:3:1: PT206",
            "entry 'lamport94' sets title twice",
        ],
        0,
        fix="Delete the second copy / the repeated field.",
    ),
    BadInput(
        "latin1-bib",
        "a .bib file in Latin-1",
        {
            "main.tex": CITE_ROOT,
            "refs.bib": "@book{knuth84, author={Donald Knuth and J\xfcrgen M\xfcller}, title={The TeXbook}}\n".encode(
                "latin-1"
            ),
        },
        ["refs.bib:1:1: PT005", "refs.bib is not valid UTF-8; read as Latin-1"],
        0,
        absent=["PT201"],
        fix="Convert it: `iconv -f latin1 -t utf-8 refs.bib > refs.utf8.bib`.",
    ),
    BadInput(
        "crlf",
        "a file with Windows (CRLF) line endings",
        {
            "main.tex": root("\\section{Intro}\r\nSee \\ref{nowhere}.\r\n")
            .replace("\n", "\r\n")
            .replace("\r\r", "\r")
        },
        ["main.tex:4:5: PT101", "undefined reference 'nowhere'"],
        1,
        fix="Nothing: line numbers match your editor's.",
    ),
    BadInput(
        "spaces-in-name",
        "an included file whose name has spaces",
        {
            "main.tex": root("\\input{sections/my intro}"),
            "sections/my intro.tex": "See \\ref{nowhere}.\n",
        },
        ["sections/my intro.tex:1:5: PT101"],
        1,
        fix="Nothing: such names work (LaTeX needs them braced: `\\input{sections/my intro}`).",
    ),
    BadInput(
        "folder-named-tex",
        "\\input of a name that is a folder",
        {"main.tex": root("\\input{chapter}"), "chapter.tex": Dir()},
        ["main.tex:3:1: PT001", "\\input{chapter}: file not found"],
        1,
        fix="\\input the file inside the folder (`\\input{chapter/intro}`).",
    ),
    BadInput(
        "non-utf8-filename",
        "a root file whose name is not valid UTF-8 (m\\xffain.tex, copied from an old system)",
        {os.fsdecode(b"m\xffain.tex"): root("See \\ref{nowhere}.")},
        ["ain.tex:3:5: PT101"],
        1,
        fix="Rename the file (`mv m*ain.tex main.tex`); the name is shown with \\udcff escapes.",
    ),
    BadInput(
        "named-pipe",
        "a named pipe (FIFO) called notes.tex beside the paper",
        {"main.tex": root("See \\ref{nowhere}."), "notes.tex": Fifo()},
        ["main.tex:3:5: PT101"],
        1,
        fix="Nothing: papertrack never opens pipes or devices (reading one would wait forever).",
    ),
    BadInput(
        "named-pipe-root",
        "main.tex is a named pipe, given as the path to check",
        {"main.tex": Fifo()},
        ["main.tex: not a regular file or folder (a named pipe or a device)"],
        2,
        path="main.tex",
        fix="Point papertrack at the real file.",
    ),
    BadInput(
        "bad-venue-profile",
        "a venue profile of the paper's own (.papertrack/venues/) that is not valid TOML",
        {"main.tex": root(), ".papertrack/venues/mine.toml": "name = \n"},
        ["mine.toml: not valid TOML"],
        2,
        fix="Fix the profile (see `papertrack venues NAME` for a shipped one to start from).",
    ),
]
