"""Property-based and fuzz tests: the loader, the LaTeX model, the bib and config readers (issue 8).

Whatever the input, papertrack must end, raise nothing but PapertrackError where the input is
unusable as a whole (no root file, a broken config), keep every location inside the paper with a
line the file has, produce valid JSON, and write nothing into the paper folder.

Generated cases per run (max_examples; each ran in full when measured with
--hypothesis-show-statistics):
    include graphs, loader + check with and without cache ... 800
    corpus files, truncated/spliced, full check + JSON ....... 700
    LaTeX token soup, parser layers ......................... 2500
    LaTeX token soup, full check + JSON ...................... 400
    deep nesting (braces, envs, math, \\if; 1 to 12,000) ..... 100
    bib: random bytes ....................................... 3000
    bib: corpus windows, mutated ............................ 1200
    bib: token soup ......................................... 1200
    config: random tables ................................... 1500
    config: random bytes / pyproject shapes .................. 600
    config: accepted tables through the check ................ 300
    total .................................................. 12300
Runtime: about 1 minute for this file on an idle machine, 3.5 minutes on a busy one.
PAPERTRACK_FUZZ_SCALE=0.1 runs a tenth of the cases while developing.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import string
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest
from bad_inputs import check_json_output, line_count, tree_diff, tree_state
from helpers import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papertrack import venues
from papertrack.config import KEYS, load_config
from papertrack.errors import PapertrackError
from papertrack.project import follow, loader

FUZZ = dict(
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout; failures print a reproduce blob
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,  # the autouse cache-dir fixture; examples share it
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
SCALE = float(os.environ.get("PAPERTRACK_FUZZ_SCALE", "1"))  # e.g. 0.1 while developing


def n(examples: int) -> int:
    return max(1, int(examples * SCALE))


HANG_SECONDS = 60  # far above any honest run on these inputs; a liveness guard, not a timing test


class Hang(BaseException):
    """Raised by the alarm; BaseException so no `except Exception` in the code under test eats it."""


@contextmanager
def must_end(seconds: float = HANG_SECONDS):
    def alarm(_sig, _frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(autouse=True)
def _fast_externals(monkeypatch):
    """Parse the shipped venue profiles once, and do not ask kpsewhich about random names.

    Both are outside what is fuzzed here (the paper's own files); without this each example pays
    ~50 ms for venue TOML parsing and one kpsewhich process per missing include.
    """
    real = venues.load_profiles
    shipped = lru_cache(maxsize=1)(lambda: real(None))

    def load(paper_dir=None):
        if paper_dir is None or not venues.user_venues_dir(Path(paper_dir)).is_dir():
            return dict(shipped())
        return real(paper_dir)

    monkeypatch.setattr(venues, "load_profiles", load)
    monkeypatch.setattr(follow, "kpsewhich", lambda names: [])


def full_check(folder: Path, path: Path | None = None, cfg=None, use_cache: bool = False) -> dict:
    """run_check without compiling, then the JSON reporter; returns the parsed report."""
    from papertrack.check import run_check
    from papertrack.config import Config
    from papertrack.reporters import jsonout

    cfg = cfg or Config()
    cfg.compile = False
    result = run_check(path or folder, cfg=cfg, use_cache=use_cache)
    return check_json_output(folder, jsonout.render(result))


def _findings(report: dict) -> list[tuple]:
    return sorted(
        (f["code"], f["file"] or "", f["line"] or 0, f["col"] or 0, f["message"])
        for f in report["findings"]
    )


def _tmp() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="ptfuzz-")


# ---------------------------------------------------------------------------------------------
# (a) the project loader on random include graphs
# ---------------------------------------------------------------------------------------------
FILE_NAMES = ["main", "a", "b", "sec/c", "sec/d e", "sub/f", "sec/sub/g"]
TARGETS = [
    *FILE_NAMES,
    *[n + ".tex" for n in FILE_NAMES[:3]],
    "missing",
    "sec/missing",
    "/etc/passwd",
    "/etc",
    "../outside",
    "../outside.tex",
    "../../etc/hostname",
    "sec/../a",
    "sec/../../outside",
    "|ls",
    '|"echo hi"',
    "sec",
    ".",
    "..",
    "-version",
    "~/x",
    "$HOME/x",
    "a,b",
    "ünï",
    "refs",
    "refs.bib",
    "nul\x00",
]
DIRECTIVES = [
    "\\input{%s}",
    "\\input %s",
    "\\input{%s.tex}",
    "\\include{%s}",
    "\\subfile{%s}",
    "\\import{sec/}{%s}",
    "\\subimport{../}{%s}",
    "\\subimport*{sub/}{%s}",
    "\\InputIfFileExists{%s}{}{}",
    "\\bibliography{%s}",
    "\\bibliography{%s,refs}",
    "\\addbibresource{%s}",
    "\\includeonly{%s}",
    "\\graphicspath{{%s/}}",
    "%% \\input{%s}",
    "\\iffalse \\input{%s} \\fi",
    "\\begin{comment}\n\\input{%s}\n\\end{comment}",
    "\\verb|\\input{%s}|",
    "\\newif\\ifdraft \\drafttrue\n\\ifdraft \\input{%s} \\else \\input{b} \\fi",
    "\\includegraphics{%s}",
    "\\ref{%s} \\label{%s} \\cite{%s}",
    "%%!TEX root = %s",
]
FILE_KINDS = ["tex"] * 8 + [
    "link",
    "self-link",
    "link-out",
    "link-dir",
    "dir",
    "binary",
    "empty",
    "latin1",
    "fifo",
]

lines_st = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(DIRECTIVES), st.sampled_from(TARGETS)).map(
            lambda t: t[0].replace("%s", t[1])
        ),
        st.sampled_from(
            [
                "Some words.",
                "\\section{Intro}",
                "",
                "\\begin{figure}\\caption{x}\\end{figure}",
                "}",
                "{",
                "$",
            ]
        ),
    ),
    max_size=8,
)
file_st = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(FILE_KINDS),
        "cls": st.sampled_from(
            [
                "",
                "\\documentclass{article}",
                "\\documentclass[../main]{subfiles}",
                "\\documentclass{standalone}",
            ]
        ),
        "begin": st.booleans(),
        "end": st.booleans(),
        "lines": lines_st,
        "link_to": st.sampled_from(FILE_NAMES),
        "crlf": st.booleans(),
    }
)
graph_st = st.fixed_dictionaries(
    {
        "files": st.dictionaries(
            st.sampled_from(FILE_NAMES), file_st, min_size=1, max_size=len(FILE_NAMES)
        ),
        "latexmkrc": st.one_of(st.none(), st.sampled_from(FILE_NAMES + TARGETS)),
        "bib": st.sampled_from(["none", "ok", "garbage", "dir"]),
    }
)


def _tex(spec: dict) -> str:
    parts = [spec["cls"]] if spec["cls"] else []
    if spec["begin"]:
        parts.append("\\begin{document}")
    parts.extend(spec["lines"])
    if spec["end"]:
        parts.append("\\end{document}")
    return ("\r\n" if spec["crlf"] else "\n").join(parts) + "\n"


def write_graph(base: Path, graph: dict) -> Path:
    """Write a generated project into base/paper (base/outside.tex sits beside it)."""
    folder = base / "paper"
    folder.mkdir()
    (base / "outside.tex").write_text(
        "\\documentclass{article}\\begin{document}secret\\end{document}\n"
    )
    for name, spec in graph["files"].items():
        p = folder / (name + ".tex")
        p.parent.mkdir(parents=True, exist_ok=True)
        kind = spec["kind"]
        if kind == "link":
            p.symlink_to(os.path.relpath(folder / (spec["link_to"] + ".tex"), p.parent))
        elif kind == "self-link":
            p.symlink_to(p.name)
        elif kind == "link-out":
            p.symlink_to(base / "outside.tex")
        elif kind == "link-dir":
            p.symlink_to(p.parent)
        elif kind == "dir":
            p.mkdir()
        elif kind == "fifo":
            os.mkfifo(p)
        elif kind == "binary":
            p.write_bytes(bytes(range(256)) * 4)
        elif kind == "empty":
            p.write_bytes(b"")
        elif kind == "latin1":
            p.write_bytes(_tex(spec).encode("utf-8", "replace") + "caf\xe9\n".encode("latin-1"))
        else:
            p.write_text(_tex(spec), encoding="utf-8", newline="")
    if graph["latexmkrc"] is not None:
        (folder / ".latexmkrc").write_text(f"@default_files = ('{graph['latexmkrc']}');\n")
    if graph["bib"] == "ok":
        (folder / "refs.bib").write_text("@article{k, title={T}, year=2020}\n")
    elif graph["bib"] == "garbage":
        (folder / "refs.bib").write_bytes(b"@article{k, title={\n@@@ }}} \xff\xfe\n")
    elif graph["bib"] == "dir":
        (folder / "refs.bib").mkdir()
    return folder


NO_ROOT = ("no root file", "cannot read the root file", "main file ")


def no_root(message: str) -> bool:
    """The one error a paper's content may cause: there is no usable root file."""
    return message.startswith(NO_ROOT) or message.endswith(": no .tex files here")


def _check_project(project, folder: Path) -> None:
    root = folder.resolve()
    assert (folder / project.main).resolve().is_relative_to(root)
    for rel in project.order:
        assert (folder / rel).resolve().is_relative_to(root), rel
    for d in project.diagnostics:
        p = folder / d.file
        assert p.resolve().is_relative_to(root) and p.is_file(), d
        assert 1 <= d.line <= line_count(p), d
        assert d.col >= 1, d


@settings(max_examples=n(800), **FUZZ)
@given(graph=graph_st, as_file=st.booleans())
def test_loader_on_random_include_graphs(graph, as_file):
    with _tmp() as tmp:
        folder = write_graph(Path(tmp), graph)
        before = tree_state(Path(tmp))
        first = folder / (next(iter(graph["files"])) + ".tex")
        path = first if as_file and first.is_file() else folder
        with must_end():
            try:
                project = loader.load_project(path)
            except PapertrackError as exc:
                # only "no usable root": none found, or the one named (path, .latexmkrc) unusable
                assert no_root(exc.message), exc.message
                project = None
            if project is not None:
                _check_project(project, project.folder)
                fresh = full_check(project.folder, path)
                # the parse cache (shared by all examples of this test) changes nothing
                cached = full_check(project.folder, path, use_cache=True)
                assert _findings(cached) == _findings(fresh)
        assert tree_diff(before, tree_state(Path(tmp))) == []


# ---------------------------------------------------------------------------------------------
# (b) the LaTeX model on mutated real files and on random token soup
# ---------------------------------------------------------------------------------------------
def _corpus_tex() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*.tex") if p.is_file() and p.stat().st_size < 200_000)


CORPUS_TEX = _corpus_tex()
needs_corpus = pytest.mark.skipif(
    not CORPUS_TEX and not os.environ.get("CI"), reason="../shared/corpus not present"
)

TOKENS = [
    "{",
    "}",
    "{",
    "}",
    "$",
    "$$",
    "\\[",
    "\\]",
    "\\(",
    "\\)",
    "\\\\",
    "\\",
    "%",
    "\n",
    "\n\n",
    "&",
    "#",
    "#1",
    "~",
    "^",
    "_",
    "\\begin{figure}",
    "\\end{figure}",
    "\\begin{itemize}",
    "\\end{itemize}",
    "\\item",
    "\\begin{document}",
    "\\end{document}",
    "\\begin{equation}",
    "\\end{equation}",
    "\\begin{verbatim}",
    "\\end{verbatim}",
    "\\begin{comment}",
    "\\end{comment}",
    "\\begin{abstract}",
    "\\end{abstract}",
    "\\begin{table*}",
    "\\end{table*}",
    "\\begin{subfigure}{0.5\\linewidth}",
    "\\end{subfigure}",
    "\\begin{}",
    "\\end{}",
    "\\begin{",
    "\\end",
    "\\section{",
    "\\section*{Intro}",
    "\\chapter{A}",
    "\\paragraph{",
    "\\label{",
    "\\label{fig:a}",
    "\\ref{",
    "\\ref{fig:a}",
    "\\cref{a,b}",
    "\\crefrange{a}{b}",
    "\\cite{",
    "\\citep[p.~3][]{k}",
    "\\nocite{*}",
    "\\caption{",
    "\\caption{}",
    "\\captionof{figure}{x}",
    "\\includegraphics[width=\\linewidth]{fig}",
    "\\includegraphics{",
    "\\todo{fix}",
    "\\todo[inline]{",
    "TODO",
    "FIXME",
    "??",
    "lorem ipsum",
    "\\lipsum[1-2]",
    "\\iffalse",
    "\\fi",
    "\\else",
    "\\ifx",
    "\\newif\\ifdraft",
    "\\drafttrue",
    "\\draftfalse",
    "\\ifdraft",
    "\\newcommand{\\figref}[1]{Figure~\\ref{#1}}",
    "\\figref{",
    "\\newcommand",
    "\\def\\x#1{",
    "\\let\\a\\b",
    "\\renewcommand*{\\y}[2][d]{\\cite{#2}}",
    "\\y{",
    "\\verb|",
    "\\verb",
    "|",
    "\\url{",
    "\\href{http://a%b}{",
    "\\input{",
    "\\input",
    "\\include{x}",
    "\\appendix",
    "\\bibliography{refs}",
    "\\printbibliography",
    "\\begin{thebibliography}{9}",
    "\\bibitem{k}",
    "\\end{thebibliography}",
    "\\usepackage[opt]{pkg}",
    "\\documentclass{article}",
    "\\abstract{",
    "\\footnote{",
    "\\emph{",
    "\\textbf",
    "\\&",
    "\\%",
    "\\{",
    "\\}",
    "\\$",
    "[",
    "]",
    "(",
    ")",
    ",",
    "=",
    "\\@",
    "\\makeatletter",
    "\\catcode`\\@=11",
    "\\endinput",
    "% papertrack: ignore PT101",
    "% papertrack: off",
    "% papertrack: on",
    "% papertrack: ignore-file",
    "%!TEX root = x.tex",
    "\\subfile{",
    "\\import{a}{b}",
    "\\graphicspath{{a/}{",
    "\\iftrue",
    "\\ifnum1=1",
    "\\or",
    "\x00",
    "\x0c",
    "\r",
    "\u2028",
    "\ufeff",
    "\udcff",
    "é",
    "漢字",
    "😀",
    "\t",
    " ",
]
soup_st = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=120).map(
    "".join
)


def _parse_layers(text: str, rel: str = "x.tex") -> None:
    """Everything between the bytes and the model, on one file, without the file system."""
    from papertrack.parse import latex, macros, structure
    from papertrack.project import conditionals, includes, texenv
    from papertrack.project.source import SourceFile, mask_source

    src = SourceFile(path=Path(rel), rel=rel, text=text)
    mask_source(src)
    assert len(src.masked) == len(text)
    assert [i for i, c in enumerate(src.masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    n_lines = text.count("\n") + 1
    for c in src.comments:
        assert 1 <= c.line <= n_lines
    includes.find_includes(src.masked)
    includes.includeonly(src.masked)
    includes.graphics_paths(src.masked)
    includes.document_class(src.masked)
    includes.is_root_candidate(src.masked)
    values = texenv.evaluate([src.masked])
    names = set(values) | {"ifx", "ifnum"}
    masked = conditionals.mask_false_branches(src.masked, values, names)
    assert len(masked) == len(text)
    defs = macros.find_definitions(masked, rel, src.line_col)
    table = macros.build_table(defs)
    diags, depth = structure.check_structure(rel, masked, src.line_col, is_root=True)
    for d in diags:
        assert 1 <= d.line <= n_lines and d.col >= 1, d
    if depth <= structure.MAX_DEPTH:
        facts = latex.parse_file(rel, masked, src.line_col, table, [])
        for item in [
            *facts.labels,
            *facts.refs,
            *facts.cites,
            *facts.graphics,
            *facts.floats,
            *facts.placeholders,
        ]:
            assert 1 <= item.line <= n_lines and item.col >= 1, item


@settings(max_examples=n(2500), **FUZZ)
@given(text=soup_st)
def test_parser_layers_on_token_soup(text):
    with must_end():
        _parse_layers(text)


def _run_on(body_bytes: bytes, wrap: int) -> dict | None:
    with _tmp() as tmp:
        folder = Path(tmp) / "paper"
        folder.mkdir()
        if wrap == 0:
            (folder / "main.tex").write_bytes(
                b"\\documentclass{article}\n\\begin{document}\n" + body_bytes
            )
        else:
            (folder / "main.tex").write_text(
                "\\documentclass{article}\n\\begin{document}\n\\input{body}\n\\bibliography{refs}\n\\end{document}\n"
            )
            (folder / "body.tex").write_bytes(body_bytes)
            (folder / "refs.bib").write_text("@article{k, title={T}}\n")
        before = tree_state(folder)
        report = None
        with must_end():
            try:
                report = full_check(folder)
            except PapertrackError as exc:  # e.g. the bytes hide \\documentclass from papertrack
                assert no_root(exc.message), exc.message
        assert tree_diff(before, tree_state(folder)) == []
        return report


@settings(max_examples=n(400), **FUZZ)
@given(text=soup_st, wrap=st.integers(0, 1))
def test_full_check_on_token_soup(text, wrap):
    _run_on(text.encode("utf-8", "surrogatepass"), wrap)


@needs_corpus
@settings(max_examples=n(700), **FUZZ)
@given(
    data=st.data(),
    wrap=st.integers(0, 1),
    mutations=st.lists(
        st.tuples(
            st.sampled_from(["splice-bytes", "splice-tokens", "delete", "duplicate", "flip"]),
            st.floats(0, 1),
            st.binary(min_size=1, max_size=16),
            st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4),
            st.integers(1, 200),
        ),
        max_size=5,
    ),
)
def test_full_check_on_mutated_corpus_files(data, wrap, mutations):
    path = data.draw(st.sampled_from(CORPUS_TEX), label="corpus file")
    raw = path.read_bytes()
    # a truncated file, or a window of a longer one (pylatexenc reads ~125 kB/s: keep it small)
    start = data.draw(st.integers(0, max(0, len(raw) - 1)), label="start") if len(raw) > 6000 else 0
    stop = data.draw(st.integers(start, min(len(raw), start + 6000)), label="stop")
    buf = bytearray(raw[start:stop])
    for op, where, junk, toks, span in mutations:
        i = int(where * len(buf))
        if op == "splice-bytes":
            buf[i:i] = junk
        elif op == "splice-tokens":
            buf[i:i] = "".join(toks).encode("utf-8", "surrogatepass")
        elif op == "delete":
            del buf[i : i + span]
        elif op == "duplicate":
            buf[i:i] = buf[i : i + span]
        elif op == "flip" and i < len(buf):
            buf[i] = b"{}$\\%&#\n\x00\xff"[span % 10]
    _run_on(bytes(buf), wrap)


@settings(max_examples=n(100), **FUZZ)
@given(
    # around Python's recursion limit (1000 frames) is where recursive parsers break; 10,000 is
    # issue 2's case. pylatexenc needs ~1 s for 10,000 levels: a few such examples suffice.
    depth=st.integers(0, 9).flatmap(
        lambda k: st.sampled_from([10_000, 12_000]) if k == 0 else st.integers(1, 1200)
    ),
    opener=st.sampled_from(
        [
            "{",
            "\\begin{itemize}",
            "\\begin{figure}",
            "$\\left(",
            "\\iftrue",
            "\\iffalse",
            "\\[{",
            "\\section{",
        ]
    ),
    closer=st.sampled_from(
        ["}", "\\end{itemize}", "\\end{figure}", "\\right)$", "\\fi", "", "\\]}"]
    ),
    close_fraction=st.floats(0, 1),
)
def test_deep_nesting_ends_cleanly(depth, opener, closer, close_fraction):
    body = opener * depth + "x" + closer * int(depth * close_fraction) + "\n\\end{document}\n"
    report = _run_on(body.encode(), 0)
    # one structure problem repeated 10,000 times is reported a bounded number of times
    structure = [f for f in (report or {}).get("findings", []) if f["code"].startswith("PT4")]
    assert len(structure) <= 5 * 11, len(structure)


# ---------------------------------------------------------------------------------------------
# (c) the bib loader
# ---------------------------------------------------------------------------------------------
def _corpus_bibs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*.bib") if p.is_file())


CORPUS_BIB = _corpus_bibs()
BIB_TOKENS = [
    "@article{",
    "@book(",
    "@string{",
    "@STRING{a = ",
    "@comment{",
    "@preamble{",
    "@misc{k,",
    "@{",
    "@",
    "key,",
    "k1,",
    "title = {",
    'title = "',
    "author=",
    "year = 2020",
    "# a #",
    "#",
    "{",
    "}",
    "{{",
    "}}",
    '"',
    ",",
    "=",
    "(",
    ")",
    "\n",
    "\r\n",
    "\r",
    "\\",
    "\\\n",
    '\\"',
    '{"}',
    "%",
    " ",
    "\t",
    "é",
    "\x00",
    "\x1f",
    "\ufeff",
    "title = {A} # {B}",
    "doi = {10.1/x}",
    "crossref = {k}",
    "}\n",
    "@article{dup, title={x}}\n",
    "@article{dup, title={y}, title={z}}\n",
    "@Article{Dup,\n}\n",
]
bib_soup_st = st.lists(
    st.one_of(st.sampled_from(BIB_TOKENS), st.text(max_size=5)), max_size=80
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


def _check_bib(data: bytes) -> None:
    import pickle

    from papertrack.parse.bib import parse_bib
    from papertrack.parse.bibentry import BibFile

    with must_end():
        bf = parse_bib("refs.bib", data)
    # the catch-all in parse_bib exists for safety; reaching it means a scanner bug
    assert not any(d.message.startswith("refs.bib could not be parsed:") for d in bf.diagnostics), (
        bf.diagnostics
    )
    text = data.decode("utf-8", "replace")
    n_lines = max(text.count("\n"), data.count(b"\n")) + 1
    for e in bf.entries:
        assert 1 <= e.line <= n_lines, e
        assert isinstance(e.fields, dict) and all(isinstance(v, str) for v in e.fields.values()), e
        assert isinstance(e.key, str) and isinstance(e.type, str)
    for d in bf.diagnostics:
        assert 1 <= d.line <= n_lines and d.col >= 1, d
    again = BibFile.from_compact(pickle.loads(pickle.dumps(bf.to_compact())))
    assert again is not None
    assert [(e.key, e.line, e.fields) for e in again.entries] == [
        (e.key, e.line, e.fields) for e in bf.entries
    ]


@settings(max_examples=n(3000), **FUZZ)
@given(data=st.binary(max_size=2000))
def test_bib_on_random_bytes(data):
    _check_bib(data)


@settings(max_examples=n(1200), **FUZZ)
@given(data=bib_soup_st)
def test_bib_on_token_soup(data):
    _check_bib(data)


@needs_corpus
@settings(max_examples=n(1200), **FUZZ)
@given(
    data=st.data(),
    splices=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.one_of(st.binary(max_size=8), st.sampled_from(BIB_TOKENS).map(str.encode)),
        ),
        max_size=6,
    ),
)
def test_bib_on_mutated_corpus_windows(data, splices):
    raw = data.draw(st.sampled_from(CORPUS_BIB), label="bib").read_bytes()
    start = data.draw(st.integers(0, max(0, len(raw) - 1)), label="start")
    buf = bytearray(raw[start : start + data.draw(st.integers(0, 8000), label="length")])
    for where, junk in splices:
        i = int(where * len(buf))
        buf[i:i] = junk
    _check_bib(bytes(buf))


# ---------------------------------------------------------------------------------------------
# (d) the config loader
# ---------------------------------------------------------------------------------------------
def _toml_key(k: str) -> str:
    if k and all(c in string.ascii_letters + string.digits + "-_" for c in k):
        return k
    return '"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if isinstance(v, float) and v != v:
            return "nan"
        if isinstance(v, float) and v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, str):
        return (
            '"'
            + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in v)
            + '"'
        )
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def to_toml(table: dict) -> str:
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in table.items())


scalar_st = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "error",
            "warning",
            "info",
            "off",
            "PT1",
            "PT201",
            "references",
            "ALL",
            "neurips",
            "acl:short-review",
            "main.tex",
            "/etc/passwd",
            "../x.tex",
            "2026-05-15",
            "x|y",
            "(",
            "",
        ]
    ),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
)
value_st = st.recursive(
    scalar_st,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["PT1", "PT301", "x", "*.tex", "Intro", ""]), inner, max_size=3
        ),
    ),
    max_leaves=5,
)
key_st = st.one_of(
    st.sampled_from(sorted(KEYS)),
    st.sampled_from(["Main", "stub_words", "tool", "papertrack", "select ", ""]),
    st.text(max_size=8),
)
table_st = st.dictionaries(key_st, value_st, max_size=6)


def _load(folder: Path):
    with must_end():
        try:
            return load_config(folder)
        except PapertrackError as exc:
            assert str(folder) in exc.message or "config" in exc.message, exc.message
            return None


@settings(max_examples=n(1500), **FUZZ)
@given(table=table_st, where=st.sampled_from(["papertrack.toml", "pyproject"]))
def test_config_on_random_tables(table, where):
    with _tmp() as tmp:
        folder = Path(tmp)
        text = to_toml(table)
        if where == "pyproject":
            text = "[tool.papertrack]\n" + text
            (folder / "pyproject.toml").write_text(text, encoding="utf-8")
        else:
            (folder / "papertrack.toml").write_text(text, encoding="utf-8")
        _load(folder)


@settings(max_examples=n(600), **FUZZ)
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    "[",
                    "]",
                    "[[",
                    "tool",
                    ".",
                    "papertrack",
                    "=",
                    '"',
                    "'",
                    "1",
                    "\n",
                    "{",
                    "}",
                    "main",
                    ",",
                    "#",
                    "\x00",
                    "\xff",
                ]
            ),
            max_size=30,
        ).map(lambda x: "".join(x).encode("utf-8")),
        value_st.map(lambda v: f"tool = {_toml_value(v)}\n".encode()),
        value_st.map(lambda v: f"[tool]\npapertrack = {_toml_value(v)}\n".encode()),
    ),
    name=st.sampled_from(["papertrack.toml", "pyproject.toml"]),
    explicit=st.booleans(),
)
def test_config_on_random_bytes_and_shapes(raw, name, explicit):
    with _tmp() as tmp:
        folder = Path(tmp)
        (folder / name).write_bytes(raw)
        with must_end():
            try:
                load_config(folder, folder / name if explicit else None)
            except PapertrackError as exc:
                assert name in exc.message, exc.message


@pytest.fixture(scope="module")
def small_paper(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cfgpaper")
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\begin{abstract}A.\\end{abstract}\n"
        "\\section{Introduction}\nTODO see \\ref{nope} and \\cite{k,x}.\n"
        "\\begin{figure}\\includegraphics{fig}\\caption{}\\label{f}\\end{figure}\n"
        "\\bibliography{refs}\n\\end{document}\n"
    )
    (folder / "refs.bib").write_text("@article{k, title={T}}\n@article{u, title={T}}\n")
    return folder


@settings(max_examples=n(300), **FUZZ)
@given(table=st.dictionaries(st.sampled_from(sorted(KEYS)), value_st, max_size=5))
def test_accepted_config_runs_the_check(table, small_paper):
    with _tmp() as tmp:
        cfg_dir = Path(tmp)
        (cfg_dir / "papertrack.toml").write_text(to_toml(table), encoding="utf-8")
        cfg = _load(cfg_dir)
        if cfg is None:
            return
        before = tree_state(small_paper)
        with must_end():
            try:
                full_check(small_paper, cfg=cfg)
            except PapertrackError as exc:  # an unknown rule, venue or main file
                assert exc.message, exc
        assert tree_diff(before, tree_state(small_paper)) == []
