"""Choosing the root file from evidence: what the build files, outputs and names say."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from papertrack.errors import PapertrackError
from papertrack.project import includes as inc
from papertrack.project.files import Reader, inside, is_file
from papertrack.project.rootevidence import (
    BUILD_OUTPUTS,
    build_files,
    latexmkrc_default,
    magic_roots,
    named_in,
)
from papertrack.project.search import SearchPath, project_texinputs, resolve_directive
from papertrack.project.source import SourceFile, mask_source

# Words that mark a copy, a template or a side document rather than the paper, in a file's or a
# folder's name; matched as whole words (`old/`, `main-old`, not `bold` or `folder`).
_DECOY_WORDS = (
    "diff|latexdiff|template|example|sample|skeleton|scaffold|old|backup|bak|copy|"
    "rebuttal|response|responses|reply|cover|coverletter|covlett|letter|supp|suppl|supplement|"
    "supplementary|appendix|poster|slides|slide|talk|presentation|beamer|handout|test|tests|"
    "offcuts|workshop|spine|standalone|reviews|notes"
)
_DECOY = re.compile(rf"(?:^|[^a-z])({_DECOY_WORDS})(?=[^a-z]|$)", re.IGNORECASE)
_PREFERRED = re.compile(
    r"^(main|paper|thesis|ms|manuscript|article|report|root|dissertation)$", re.IGNORECASE
)
_HAS_BIB = re.compile(
    r"\\(bibliography|addbibresource|printbibliography)\b|\\begin\{thebibliography\}"
)
_USEPACKAGE = re.compile(r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")
_BST = re.compile(r"\\bibliographystyle\s*\{([^{}\\]+)\}")
_GRAPHIC = re.compile(r"\\includegraphics\s*\*?\s*(?:\[[^\]]*\]\s*)*\{([^{}#\\]+)\}")
_DOCUMENT_WORDS = ("\\documentclass", "\\begin", "\\input", "\\include", "\\import", "\\subfile")


@dataclass
class Candidate:
    """A file TeX can compile as a document, with what was learned about it."""

    rel: str
    files: list[str] = field(default_factory=list)
    size: int = 0
    texts: list[str] = field(default_factory=list)
    score: float = 0.0
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)
    # files the root's preamble inputs that are not here (a preamble a build script writes)
    missing_preamble: list[str] = field(default_factory=list)


def root_view(src: SourceFile) -> str:
    """The masked text root detection reads; of a file too large to analyse, its first 64 kB."""
    if not src.problem:
        return src.masked
    head = SourceFile(path=src.path, rel=src.rel, text=src.text[:65536])
    mask_source(head)
    return head.masked


def search_for(folder: Path, rel: str, all_files: list[str]) -> SearchPath:
    """TeX's search for a document whose root file is rel: it runs in rel's folder."""
    workdir = PurePosixPath(rel).parent.as_posix()
    workdir = "" if workdir == "." else workdir
    return SearchPath(folder, workdir, project_texinputs(folder, workdir), all_files)


def closure(folder: Path, reader: Reader, root: str, all_files: list[str]) -> Candidate:
    """The files reachable from root through its includes (as TeX resolves them), and their size."""
    search = search_for(folder, root, all_files)
    cand = Candidate(root)
    seen: set[str] = set()
    stack: list[tuple[str, str | None]] = [(root, None)]
    while stack and len(seen) < 2000:
        rel, idir = stack.pop()
        if rel in seen:
            continue
        seen.add(rel)
        src = reader.get(rel)
        if not src:
            continue
        cand.files.append(rel)
        view = root_view(src)
        cand.size += len(src.text)
        cand.texts.append(view)
        body = inc.body_range(view) if rel == root else None
        for d in reversed(inc.find_includes(view)):
            if d.kind == "bib" or d.target.startswith("|"):
                continue
            p, nidir = resolve_directive(search, d, idir, [])
            if p is None and body is not None and d.pos < body[0] and d.kind == "input":
                cand.missing_preamble.insert(0, d.target)
            if p and p.endswith(".tex") and inside(folder, folder / p):
                stack.append((p, nidir))
    return cand


def _is_candidate(cand: Candidate) -> bool:
    """\\documentclass (not a subfile or standalone part) and \\begin{document}, reachable."""
    own = inc.document_class(cand.texts[0]) if cand.texts else None
    dc = own or next((c for t in cand.texts if (c := inc.document_class(t))), None)
    if dc and dc[0] in ("subfiles", "standalone"):
        return False
    if not dc:
        # \input{preface} before \begin{document}, where preface.tex is written by the
        # paper's build script: a document whose class TeX would read from the missing file
        return bool(cand.missing_preamble) and inc.body_range(cand.texts[0]) is not None
    return any(inc.body_range(t) for t in cand.texts)


def _decoy_words(rel: str, common: str) -> list[str]:
    parts = PurePosixPath(rel[len(common) :]).with_suffix("").parts
    return [m.group(1).lower() for p in parts for m in [_DECOY.search(p)] if m]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _missing_packages(folder: Path, cands: list[Candidate], all_files: list[str]) -> dict:
    """{candidate: [local style or class files it loads that neither the tree nor TeX has]}."""
    from papertrack.project.texdist import kpsewhich, want

    # TeX Live's kpathsea retries a file name in any letter case (texmf_casefold_search):
    # \documentclass{ieeetran} loads IEEEtran.cls
    basenames = {PurePosixPath(f).name.lower() for f in all_files}
    wanted: dict[str, list[str]] = {}
    for c in cands:
        names: list[str] = []
        for t in c.texts[:50]:
            dc = inc.document_class(t)
            if dc:
                names.append(dc[0] + ".cls")
            for m in _USEPACKAGE.finditer(t):
                names += [n + ".sty" for n in inc.comma_list(m.group(1))]
        wanted[c.rel] = [
            n for n in dict.fromkeys(names) if n.lower() not in basenames and "\\" not in n
        ]
    asked = sorted({n for ns in wanted.values() for n in ns})
    if not asked:
        return {}
    import shutil

    if not shutil.which("kpsewhich"):
        return {}  # without TeX nothing can be judged missing
    # the .bst the bibliography rules will look up in TeX's tree rides along in this run
    styles = (
        m.group(1).strip() + ".bst" for c in cands for t in c.texts[:50] for m in _BST.finditer(t)
    )
    want([n for n in styles if n not in basenames])
    found = set(kpsewhich(asked))
    return {r: [n for n in ns if n not in found] for r, ns in wanted.items()}


def _missing_graphics(folder: Path, cand: Candidate, all_files: list[str]) -> tuple[int, int]:
    """(missing, total) graphics the candidate's files include, resolved from its folder."""
    search = search_for(folder, cand.rel, all_files)
    gpaths = [g for t in cand.texts for g in inc.graphics_paths(t)]
    names = [m.group(1).strip() for t in cand.texts for m in _GRAPHIC.finditer(t)]
    exts = ("", ".pdf", ".png", ".jpg", ".jpeg", ".eps", ".ps", ".mps", ".PDF", ".PNG", ".JPG")
    missing = sum(1 for n in names if search.find(n, exts, None, gpaths) is None)
    return missing, len(names)


def subfile_parent(path: Path, masked: str) -> Path | None:
    """The main file a subfiles child names in `\\documentclass[../main.tex]{subfiles}`."""
    dc = inc.document_class(masked)
    if not dc or dc[0] != "subfiles" or not dc[1]:
        return None
    name = dc[1][0]
    for cand in (name, name + ".tex"):
        p = path.parent / cand
        if is_file(p):  # first: resolve() raises on a symbolic link loop
            target = p.resolve()
            if target.suffix == ".tex":
                return target
    return None


def choose_root(
    folder: Path, reader: Reader, all_files: list[str]
) -> tuple[str, str, list[tuple[str, str]]]:
    """Pick the most plausible root file: (main, why, [(other candidate, why not)])."""
    tex_files = [f for f in all_files if f.endswith(".tex")]
    cands = _candidates(folder, reader, tex_files, all_files)
    magic = magic_roots(folder, reader, tex_files)
    decided: tuple[str, str] | None = None
    if len(magic) == 1:
        root, by = next(iter(magic.items()))
        decided = (root, f"named by the '%!TEX root' comment in {by}")
    elif rc := latexmkrc_default(folder):
        decided = (rc, "named by @default_files in .latexmkrc")
    if decided:
        source = decided[1].removeprefix("named by ")
        others = [(c.rel, f"{source} names another file") for c in cands if c.rel != decided[0]]
        return decided[0], decided[1], others
    if not cands:
        raise _no_root(folder, reader, tex_files)
    _score(folder, cands, all_files, magic)
    cands.sort(key=lambda c: (-c.score, c.rel))
    best = cands[0]
    size = f"{_plural(len(best.files), 'file')}, {best.size / 1000:.0f} kB reachable"
    if len(cands) == 1:
        return (
            best.rel,
            f"the only document with \\documentclass and \\begin{{document}} ({size})",
            [],
        )
    largest = max(cands, key=lambda c: c.size)
    lead = f"the largest document ({size})" if largest is best else size
    why = "; ".join([*best.pros, lead] if largest is not best else [lead, *best.pros])
    others = []
    for c in cands[1:]:
        k = f"{_plural(len(c.files), 'file')}, {c.size / 1000:.0f} kB reachable"
        notes = [*c.cons] or ([] if c.size >= best.size else ["smaller"])
        others.append((c.rel, "; ".join([*notes, *c.pros, k])))
    return best.rel, why, others


def _candidates(
    folder: Path, reader: Reader, tex_files: list[str], all_files: list[str]
) -> list[Candidate]:
    """Documents: files from which a \\documentclass and a \\begin{document} are reachable."""
    out = []
    for rel in tex_files:
        src = reader.get(rel)
        if not src:
            continue
        view = root_view(src)
        if not any(w in view for w in _DOCUMENT_WORDS):
            continue  # neither a document nor a file that pulls one in
        dc = inc.document_class(view)
        if dc and dc[0] in ("subfiles", "standalone"):
            continue
        cand = closure(folder, reader, rel, all_files)
        if _is_candidate(cand):
            out.append(cand)
    return out


def _score(folder: Path, cands: list[Candidate], all_files: list[str], magic: dict) -> None:
    """Reachable bytes, weighed by the evidence for and against each candidate."""
    present = set(all_files)
    common = os.path.commonpath([c.rel for c in cands]) if len(cands) > 1 else ""
    common = common + "/" if common and common not in [c.rel for c in cands] else ""
    dirs = {""} | {str(PurePosixPath(c.rel).parent).replace(".", "", 1) for c in cands}
    named: dict[str, list[str]] = {}
    for path, text in build_files(folder, all_files, {d for d in dirs if d != "."}):
        for r in named_in(path, text, [c.rel for c in cands]):
            named.setdefault(r, []).append(path)
    for c in cands:
        c.score = float(c.size)
        stem = PurePosixPath(c.rel).with_suffix("").as_posix()
        outputs = [stem + e for e in BUILD_OUTPUTS if stem + e in present]
        if named.get(c.rel):
            files = sorted(set(named[c.rel]))
            c.score *= 4.0
            c.pros.append(f"{' and '.join(files[:2])} name{'s' if len(files) == 1 else ''} it")
        if c.rel in magic:
            c.score *= 3.0
            c.pros.append(f"the '%!TEX root' comment in {magic[c.rel]} names it")
        if outputs:
            c.score *= 2.0
            names = [PurePosixPath(o).name for o in outputs[:3]]
            verb = "is" if len(names) == 1 else "are"
            c.pros.append(f"{' and '.join(names)} {verb} committed beside it")
        if c.missing_preamble:
            c.score *= 0.5
            c.cons.append(f"its preamble input '{c.missing_preamble[0]}' is missing")
        miss, total = _missing_graphics(folder, c, all_files)
        if miss >= 2 and miss * 2 >= total:
            c.score *= 0.5
            c.cons.append(f"{miss} of the {total} graphics it includes are missing")
        if not any(_HAS_BIB.search(t) for t in c.texts):
            c.score *= 0.6
            c.cons.append("no bibliography")
        if any(o.rel != c.rel and c.rel in o.files for o in cands):
            c.score *= 0.01
            c.cons.append("included by another candidate")
        if any("\\DIFadd" in t for t in c.texts[:1]):
            c.score *= 0.05
            c.cons.append("a latexdiff output")
        words = _decoy_words(c.rel, common)
        if words:
            c.score *= 0.3
            c.cons.append(f"its name suggests a copy or side document ('{words[0]}')")
        parts = PurePosixPath(c.rel[len(common) :]).with_suffix("").parts
        if any(_PREFERRED.match(p) for p in parts):
            c.score *= 1.2
    # a style file missing everywhere halves a score: ask TeX only about the candidates for
    # which that can change the choice (one kpsewhich run costs a third of a second)
    top = max(c.score for c in cands)
    contenders = [c for c in cands if c.score * 2 >= top]
    missing_pkgs = _missing_packages(folder, contenders, all_files) if len(contenders) > 1 else {}
    for c in contenders:
        if missing_pkgs.get(c.rel):
            c.score *= 0.5
            c.cons.append(
                f"loads {', '.join(missing_pkgs[c.rel][:3])}, found neither here nor in TeX"
            )


def _no_root(folder: Path, reader: Reader, tex_files: list[str]) -> PapertrackError:
    """The error for a folder without a document, saying why files were passed over."""

    skipped = [f"{r} ({reader.errors[r]})" for r in tex_files if r in reader.errors]
    skipped += [
        f"{r} (empty)" for r in tex_files if (s := reader.cache.get(r)) and not s.text.strip()
    ]
    why = (
        f"; skipped: {', '.join(skipped[:5])}" + (" ..." if len(skipped) > 5 else "")
        if skipped
        else ""
    )
    hint = "pass the main file: papertrack check path/to/main.tex, or --main FILE"
    for rel in tex_files:
        src = reader.cache.get(rel)
        parent = subfile_parent(folder / rel, src.masked) if src else None
        if parent is not None:
            why += f"; {rel} is a subfile of {os.path.relpath(parent, folder)}"
            hint = (
                f"run papertrack on the main document: papertrack check {os.path.relpath(parent)}"
            )
            break
    else:
        above = _paper_above(folder)
        if above is not None:
            why += f"; {os.path.relpath(above, folder)} holds a paper"
            hint = (
                f"run papertrack on the paper's folder: papertrack check {os.path.relpath(above)}"
            )
    return PapertrackError(
        f"no root file in {folder}: no .tex file has both \\documentclass and \\begin{{document}}{why}",
        hint=hint,
    )


def _paper_above(folder: Path, levels: int = 2) -> Path | None:
    """The folder above `folder` (up to `levels`) that holds a paper: its papertrack.toml, or
    a .tex with \\documentclass and \\begin{document} (papertrack run in sections/)."""
    for up in list(folder.resolve().parents)[:levels]:
        if (up / "papertrack.toml").is_file():
            return up
        for tex in sorted(up.glob("*.tex"))[:50]:
            if not is_file(tex):
                continue  # a named pipe called x.tex would block the read
            try:
                head = tex.read_text(encoding="utf-8", errors="replace")[:200_000]
            except OSError:
                continue
            if "\\documentclass" in head and "\\begin{document}" in head:
                return up
    return None
