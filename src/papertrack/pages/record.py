"""Read a build's own record (.aux, .log, .fls, .bcf, .blg): what TeX defined, cited, read and missed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from papertrack.model.graphics import IMAGE_EXTS
from papertrack.pages.logfiles import OUT_DIR_NAME, FileStack, source_relative
from papertrack.pages.texmessages import missing_language

# Extensions TeX's graphics drivers load; a "File `x' not found" for one of these (or for a name
# without extension, which graphicx reports after trying its extension list) is a graphic.
GRAPHIC_EXT = frozenset(IMAGE_EXTS | {".jbig2", ".jb2", ".pdf_tex", ".eps_tex"})
_NEWLABEL = re.compile(r"\\newlabel\{((?:[^{}]|\{[^{}]*\})*)\}")
_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_ABX_CITE = re.compile(r"\\abx@aux@cite\{([^}]*)\}(?:\{([^}]*)\})?")
_BIBDATA = re.compile(r"\\bibdata\{([^}]*)\}")
_BIBCITE = re.compile(r"\\bibcite\{([^}]*)\}")
_BCF_CITE = re.compile(r"<bcf:citekey[^>]*>([^<]+)</bcf:citekey>")
_BCF_SOURCE = re.compile(r"<bcf:datasource[^>]*>([^<]+)</bcf:datasource>")
_UNDEF = re.compile(
    r"(?:LaTeX|Package \S+) Warning: (?P<what>Reference|Citation) [`'](?P<key>.+?)' on page "
    r"\S+ undefined(?: on input line (?P<line>\d+))?"
)
_MULTI = re.compile(r"LaTeX Warning: Label [`'](?P<key>.+?)' multiply defined")
_NOT_FOUND = re.compile(
    r"^(?:(?P<file>[^:\n]+\.[A-Za-z0-9]+):(?P<line>\d+): |! )"
    # XeTeX's own wording when the file is not there: "Unable to load picture or PDF file 'x'."
    r"(?:(?:LaTeX|Package \S+) Error: File [`'](?P<name>.+?)' not found"
    r"|Unable to load picture or PDF file [`'](?P<xname>.+?)'\.?$)"
)
_ERROR_LINE = re.compile(r"^(?:(?:[A-Za-z]:)?[^:\s][^:]*?\.[A-Za-z0-9]+:\d+: |! )(?P<msg>.*)$")


@dataclass(frozen=True)
class Where:
    """A place the log names: a source file (relative to the paper folder) and line."""

    file: str | None
    line: int | None


@dataclass(frozen=True)
class BibWarning:
    """A BibTeX/Biber complaint about one entry or one .bib line."""

    kind: str  # missing-field | undefined-string | unknown-type | other
    message: str
    key: str | None = None
    file: str | None = None  # the .bib file as the tool names it
    line: int | None = None


@dataclass
class BuildRecord:
    """The facts of one build, as TeX and the bibliography tool recorded them."""

    labels: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # keys the build cited ('*' excluded)
    nocite_all: bool = False
    bbl_keys: list[str] = field(default_factory=list)  # entries the bibliography holds
    bib_data: list[str] = field(default_factory=list)  # \bibdata / .bcf datasources
    case_sensitive: bool = False  # biber compares keys exactly, BibTeX ignores case
    undefined_refs: dict[str, list[Where]] = field(default_factory=dict)
    undefined_cites: dict[str, list[Where]] = field(default_factory=dict)
    multiply_defined: list[str] = field(default_factory=list)
    missing_graphics: dict[str, list[Where]] = field(default_factory=dict)
    files_read: list[str] = field(default_factory=list)  # paper files TeX read (.fls)
    bib_warnings: list[BibWarning] = field(default_factory=list)
    bib_log: str = ""  # "bibtex" or "biber" when a .blg was read: its warnings are complete
    finished: bool = False  # TeX reached the end of the document (the record is complete)
    other_errors: list[str] = field(default_factory=list)  # TeX errors besides missing graphics

    def key(self, k: str) -> str:
        """A citation key as the bibliography tool compares it."""
        return k if self.case_sensitive else k.lower()

    def is_cited(self, k: str) -> bool:
        if self.nocite_all:
            return True
        keys = self.__dict__.get("_cited_set")
        if keys is None:
            keys = {self.key(c) for c in [*self.cited, *self.bbl_keys]}
            self.__dict__["_cited_set"] = keys
        return self.key(k) in keys

    def cite_undefined(self, k: str) -> bool:
        return k in self.undefined_cites

    def graphic_missing(self, written: str) -> bool:
        """True when TeX could not load the graphic `\\includegraphics{written}` names."""
        return graphic_key(written) in {graphic_key(n) for n in self.missing_graphics}


def graphic_key(name: str) -> str:
    """A graphic's name without quotes, './' and a graphics extension, for matching."""
    name = name.strip().strip('"').replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    p = PurePosixPath(name)
    return str(p.with_suffix("")) if p.suffix.lower() in GRAPHIC_EXT else name


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def fls_files(fls_text: str, main_dir: str, out_dir_name: str = OUT_DIR_NAME) -> dict[str, list]:
    """INPUT and OUTPUT paths of a .fls, relative to the paper folder; system files left out.

    main_dir is the main file's folder relative to the paper folder: TeX ran there (PWD), which
    is how a path TeX printed becomes a path in the paper, wherever the build folder lives."""
    pwd = None
    found: dict[str, list[str]] = {"INPUT": [], "OUTPUT": []}
    depth = len(PurePosixPath(main_dir).parts) if main_dir not in ("", ".") else 0
    for line in fls_text.splitlines():
        if line.startswith("PWD "):
            pwd = line[4:].strip()
            continue
        kind, _, path = line.partition(" ")
        if kind not in found or not path:
            continue
        base = pwd or "."
        full = os.path.normpath(path if os.path.isabs(path) else os.path.join(base, path))
        root = base
        for _ in range(depth):
            root = os.path.dirname(root)
        rel = os.path.relpath(full, root)
        if rel.startswith("..") or os.path.isabs(rel):
            continue  # outside the paper: TeX Live or the system
        parts = PurePosixPath(rel.replace(os.sep, "/")).parts
        if out_dir_name in parts:
            if kind == "OUTPUT" or rel.endswith(".aux"):
                found[kind].append("/".join(parts))
            continue
        found[kind].append("/".join(parts))
    return {k: _unique(v) for k, v in found.items()}


def parse_aux(texts: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """(labels, cited keys, \\bibdata names, \\bibcite keys) of the build's .aux files."""
    labels, cites, data, bibcites = [], [], [], []
    for t in texts:
        for m in _NEWLABEL.finditer(t):
            k = m.group(1)
            if k.endswith("@cref") or k.startswith("sub@"):
                continue
            labels.append(k)
        for m in _CITATION.finditer(t):
            cites += [x.strip() for x in m.group(1).split(",") if x.strip()]
        for m in _ABX_CITE.finditer(t):
            cites.append((m.group(2) if m.group(2) is not None else m.group(1)).strip())
        for m in _BIBDATA.finditer(t):
            data += [x.strip() for x in m.group(1).split(",") if x.strip()]
        for m in _BIBCITE.finditer(t):
            bibcites.append(m.group(1).strip())
    return _unique(labels), _unique(cites), _unique(data), _unique(bibcites)


def parse_log_facts(text: str) -> dict:
    """Undefined references/citations, multiply-defined labels and missing graphics of a .log."""
    refs: dict[str, list[Where]] = {}
    cites: dict[str, list[Where]] = {}
    multi: list[str] = []
    missing: dict[str, list[Where]] = {}
    files = FileStack()
    finished = False
    errors: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _UNDEF.search(line)
        if m:
            target = refs if m.group("what") == "Reference" else cites
            ln = m.group("line")
            target.setdefault(m.group("key"), []).append(
                Where(files.current(), int(ln) if ln else None)
            )
        m = _MULTI.search(line)
        if m:
            multi.append(m.group("key"))
        m = _NOT_FOUND.match(line)
        graphic = False
        if m:
            name = m.group("name") or m.group("xname")
            ext = PurePosixPath(name).suffix.lower()
            if ext in GRAPHIC_EXT or ext == "":
                graphic = True
                where = (
                    Where(source_relative(m.group("file")), int(m.group("line")))
                    if m.group("file")
                    else Where(files.current(), None)
                )
                missing.setdefault(name, []).append(where)
        e = None if graphic else _ERROR_LINE.match(line)
        if (
            e
            and not e.group("msg").startswith(("Emergency stop", "==> Fatal"))
            and missing_language(e.group("msg"), lines[i + 1 : i + 3]) is None
        ):
            errors.append(e.group("msg").strip())
        if line.startswith(("Output written on", "No pages of output.")):
            finished = True
        if "Emergency stop" in line or "==> Fatal error occurred" in line:
            finished = False
        files.feed(line)
    return {
        "refs": refs,
        "cites": cites,
        "multi": _unique(multi),
        "missing": missing,
        "finished": finished,
        "errors": errors,
    }


_BIBTEX_WARNING = re.compile(r"^Warning--(?P<msg>.*)$")
_BIBTEX_WHERE = re.compile(r"^--line (?P<line>\d+) of file (?P<file>\S+)")
_BIBTEX_IN_KEY = re.compile(r" in (?P<key>\S+)$")
_BIBER_WARN = re.compile(r"^\[\d+\] [^\n]*? WARN - (?P<msg>.*)$", re.M)


def _bibtex_kind(msg: str) -> str:
    if msg.startswith("I didn't find a database entry"):
        return "undefined-citation"
    if msg.startswith("string name"):
        return "undefined-string"
    if msg.startswith("entry type for"):
        return "unknown-type"
    if msg.startswith(("empty ", "to sort, need", "need ", "can't use both")):
        return "missing-field"
    return "other"


def _is_biber(blg: str) -> bool:
    return "This is Biber" in blg[:500] or blg.startswith("[")


def parse_blg(text: str) -> list[BibWarning]:
    """Warnings of a BibTeX or Biber .blg, each with the entry key or the .bib line it names."""
    out: list[BibWarning] = []
    if _is_biber(text):
        for m in _BIBER_WARN.finditer(text):
            msg = m.group("msg").strip()
            key = re.search(r"[Ee]ntry '(?P<k>[^']+)'", msg)
            src = re.search(r"\((?P<f>[^()]+\.bib)\)", msg)
            line = re.search(r"line (?P<l>\d+)", msg)
            if "didn't find a database entry" in msg or "I didn't find" in msg:
                kind = "undefined-citation"
            elif "undefined macro" in msg:
                kind = "undefined-string"
            elif "Missing mandatory field" in msg or "missing mandatory" in msg.lower():
                kind = "missing-field"
            elif "entrytype" in msg.lower() and "unknown" in msg.lower():
                kind = "unknown-type"
            else:
                kind = "other"
            out.append(
                BibWarning(
                    kind,
                    msg,
                    key.group("k") if key else None,
                    src.group("f") if src else None,
                    int(line.group("l")) if line and not key else None,
                )
            )
        return out
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _BIBTEX_WARNING.match(line)
        if not m:
            continue
        msg = m.group("msg").strip()
        kind = _bibtex_kind(msg)
        key = None
        if kind == "undefined-citation":
            q = re.search(r'"(?P<k>[^"]+)"', msg)
            key = q.group("k") if q else None
        elif kind == "unknown-type":
            q = re.search(r'for "(?P<k>[^"]+)"', msg)
            key = q.group("k") if q else None
        else:
            k = _BIBTEX_IN_KEY.search(msg)
            key = k.group("key") if k else None
        file = lineno = None
        if i + 1 < len(lines):
            w = _BIBTEX_WHERE.match(lines[i + 1])
            if w:
                file, lineno = w.group("file"), int(w.group("line"))
        out.append(BibWarning(kind, msg, key, file, lineno))
    return out


def _bbl_keys(text: str) -> list[str]:
    keys = re.findall(r"\\bibitem(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\{([^}]+)\}", text)
    keys += re.findall(r"\\entry\{([^}]+)\}\{", text)  # biblatex
    return _unique(k.strip() for k in keys)


def read_record(out_dir: Path, jobname: str, main_dir: str = "", bib_tool: str = "bibtex"):
    """The BuildRecord of the build in out_dir (its final pass), or None when there is no log."""
    log = out_dir / f"{jobname}.log"
    if not log.is_file():
        return None
    rec = BuildRecord(case_sensitive=bib_tool == "biber")
    facts = parse_log_facts(_read(log))
    rec.undefined_refs = facts["refs"]
    rec.undefined_cites = facts["cites"]
    rec.multiply_defined = facts["multi"]
    rec.missing_graphics = facts["missing"]
    rec.finished = facts["finished"]
    rec.other_errors = facts["errors"]
    fls = fls_files(_read(out_dir / f"{jobname}.fls"), main_dir)
    rec.files_read = [f for f in fls["INPUT"] if OUT_DIR_NAME not in PurePosixPath(f).parts]
    # only the .aux files this build wrote: one left from an earlier build (a chapter since
    # removed) would add labels and citations the paper no longer has
    written = {PurePosixPath(f).name for f in fls["OUTPUT"] if f.endswith(".aux")}
    aux_paths = sorted(out_dir.rglob("*.aux"))
    if written:
        aux_paths = [p for p in aux_paths if p.name in written]
    labels, cites, data, bibcites = parse_aux([_read(p) for p in aux_paths])
    for bcf in sorted(out_dir.glob("*.bcf")):
        t = _read(bcf)
        cites += _BCF_CITE.findall(t)
        data += _BCF_SOURCE.findall(t)
    rec.labels = labels
    rec.nocite_all = "*" in cites
    rec.cited = _unique(c for c in cites if c != "*")
    rec.bib_data = _unique(data)
    bbl = out_dir / f"{jobname}.bbl"
    rec.bbl_keys = _bbl_keys(_read(bbl)) if bbl.is_file() else bibcites
    for blg in sorted(out_dir.glob("*.blg")):
        text = _read(blg)
        rec.bib_log = "biber" if _is_biber(text) else "bibtex"
        rec.bib_warnings += parse_blg(text)
    return rec
