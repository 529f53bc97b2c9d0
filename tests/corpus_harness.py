"""Root choice and file findings on the shared real papers, judged against what TeX read.

Each paper is checked on its own folder and inside a made-up repository above it (hard links, no
symbolic links, next to a decoy code tree), as happens when papertrack runs on a repository root.
Run as a script to print the numbers: `python tests/corpus_harness.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
if not (SHARED / "wild").is_dir():  # a checkout laid out as <work>/<repo>
    SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
WILD = SHARED / "wild"

# findings that name a file: missing include, missing bibliography, missing and unused graphics
MISSING_CODES = ("PT001", "PT007", "PT106")
UNUSED_CODE = "PT107"
_QUOTED = re.compile(r"'([^']+)'|\{([^{}]+)\}:")


@dataclass
class Paper:
    """One shared paper: where it is, its root, and the files TeX read (None: not known)."""

    name: str
    folder: Path
    main: str
    files_read: list[str] | None = None
    bib_files: list[str] = field(default_factory=list)


def papers() -> list[Paper]:
    """Every paper in ../shared/corpus and ../shared/wild with its root file."""
    out: list[Paper] = []
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    if (CORPUS / "EXPECTED.toml").is_file():
        expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text())["papers"]
        for name, facts in sorted(expected.items()):
            out.append(Paper(name, CORPUS / name, facts["main"]))
    if (WILD / "ORACLE.json").is_file():
        oracle = json.loads((WILD / "ORACLE.json").read_text())
        for name, facts in sorted(oracle.items()):
            out.append(
                Paper(
                    name,
                    WILD / name,
                    facts["main"],
                    facts.get("files_read") or [],
                    [b for b in facts.get("bib_files") or [] if not os.path.isabs(b)],
                )
            )
    return out


def link_tree(src: Path, dst: Path) -> None:
    """A symlink-free copy of src at dst: hard links where possible (cheap), copies otherwise."""

    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, symlinks=False, copy_function=link)


def make_repository_above(paper: Paper, base: Path) -> tuple[Path, str]:
    """A repository root holding the paper in a subfolder beside a code tree; (root, prefix)."""
    repo = base / "repo"
    (repo / "src" / "tool").mkdir(parents=True)
    (repo / "src" / "tool" / "__init__.py").write_text("print('hello')\n")
    (repo / "README.md").write_text("# A tool\n\nCode and the paper about it.\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "api.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nThe API, in brief.\n\\end{document}\n"
    )
    link_tree(paper.folder, repo / "writing" / paper.name)
    return repo, f"writing/{paper.name}/"


def named_file(message: str) -> str | None:
    """The file name a missing-file finding's message quotes."""
    m = _QUOTED.search(message)
    if not m:
        return None
    return m.group(1) or m.group(2)


def tex_found(paper: Paper, written: str) -> bool:
    """Whether TeX read a file that `written` names (by path suffix, any extension)."""
    stem = PurePosixPath(written.strip().strip('"'))
    stem_s = stem.as_posix().removeprefix("./")
    for f in [*(paper.files_read or []), *paper.bib_files]:
        if not (paper.folder / f).is_file():
            continue  # the .fls records some files TeX looked for and did not find
        p = PurePosixPath(f)
        for cand in (p.as_posix(), p.with_suffix("").as_posix()):
            if cand == stem_s or cand.endswith("/" + stem_s):
                return True
    return False


@dataclass
class Outcome:
    """What papertrack said about one paper in one layout."""

    paper: str
    layout: str
    root: str
    expected_root: str
    false_missing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    false_unused: list[str] = field(default_factory=list)
    findings: set[str] = field(default_factory=set)  # every finding, the layout's prefix removed
    error: str | None = None

    @property
    def root_ok(self) -> bool:
        return self.root == self.expected_root


def judge(paper: Paper, path: Path, prefix: str, layout: str) -> Outcome:
    """Run papertrack (no compile) on path; compare root and file findings with TeX's."""
    from papertrack.check import run_check
    from papertrack.config import Config
    from papertrack.errors import PapertrackError

    out = Outcome(paper.name, layout, "", prefix + paper.main)
    try:
        r = run_check(path, cfg=Config(compile=False), use_cache=False)
    except PapertrackError as exc:
        out.error = str(exc)
        return out
    out.root = r.document.main
    read = set(paper.files_read or [])
    for f in r.findings:
        out.findings.add(f"{f.location} {f.code} {f.message}".replace(prefix, ""))
        where = f"{f.location}" if f.location else ""
        if f.code in MISSING_CODES:
            name = named_file(f.message) or ""
            out.missing.append(f"{where} {f.code} {f.message}")
            if paper.files_read is not None and tex_found(paper, name):
                out.false_missing.append(f"{where} {f.code} {f.message}")
        elif f.code == UNUSED_CODE and f.location:
            rel = f.location.file.removeprefix(prefix)
            if rel in read:
                out.false_unused.append(f"{where} {f.message}")
    return out


def run_all(tmp: Path, only: list[str] | None = None) -> list[Outcome]:
    """Both layouts for every paper."""
    outcomes = []
    for paper in papers():
        if only and paper.name not in only:
            continue
        outcomes.append(judge(paper, paper.folder, "", "own folder"))
        base = tmp / paper.name
        repo, prefix = make_repository_above(paper, base)
        outcomes.append(judge(paper, repo, prefix, "repository above"))
        shutil.rmtree(base, ignore_errors=True)
    return outcomes


def layout_differences(outcomes: list[Outcome]) -> dict[str, list[str]]:
    """Findings that one layout of a paper has and the other has not."""
    by: dict[str, dict[str, set[str]]] = {}
    for o in outcomes:
        by.setdefault(o.paper, {})[o.layout] = o.findings
    out = {}
    for paper, layouts in by.items():
        a, b = layouts.get("own folder", set()), layouts.get("repository above", set())
        if a != b:
            out[paper] = sorted(f"- {x}" for x in a - b) + sorted(f"+ {x}" for x in b - a)
    return out


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        outcomes = run_all(Path(tmp), sys.argv[1:] or None)
    for layout in ("own folder", "repository above"):
        sel = [o for o in outcomes if o.layout == layout]
        ok = sum(o.root_ok for o in sel)
        fm = sum(len(o.false_missing) for o in sel)
        fu = sum(len(o.false_unused) for o in sel)
        mi = sum(len(o.missing) for o in sel)
        print(
            f"{layout}: roots right {ok}/{len(sel)}; false missing-file findings {fm} "
            f"(of {mi} missing-file findings); unused-graphics findings on files TeX read {fu}"
        )
    for paper, diff in layout_differences(outcomes).items():
        print(f"- {paper}: findings differ between the layouts")
        for x in diff[:8]:
            print(f"    {x}")
    for o in outcomes:
        if not o.root_ok or o.false_missing or o.false_unused or o.error:
            print(f"- {o.paper} [{o.layout}]: root {o.root or '-'} (expected {o.expected_root})")
            for x in [*o.false_missing, *o.false_unused][:8]:
                print(f"    {x}")
            if o.error:
                print(f"    error: {o.error}")


if __name__ == "__main__":
    main()
