"""Finding the files a LaTeX file pulls in: \\input, \\include, \\subfile, \\import, bibliographies."""

from __future__ import annotations

import re
from dataclasses import dataclass

# \input{x} \include{x} \subfile{x}, \input x (no braces), \import{dir}{file} and friends.
_INCLUDE = re.compile(
    r"""\\(?P<cmd>input|include|subfile|InputIfFileExists|IfFileExists)(?![a-zA-Z@])\s*
        (?:\{(?P<arg>[^{}\n]*)\}|(?P<bare>[^\s{}\\%]+))
      | \\(?P<icmd>import|subimport|includefrom|subincludefrom|inputfrom|subinputfrom)\*?\s*
        \{(?P<dir>[^{}\n]*)\}\s*\{(?P<file>[^{}\n]*)\}
    """,
    re.VERBOSE,
)
_INCLUDEONLY = re.compile(r"\\includeonly\s*\{([^}]*)\}")
_GRAPHICSPATH = re.compile(r"\\graphicspath\s*\{((?:\s*\{[^{}]*\}\s*)*)\}")
_GRAPHICSPATH_ITEM = re.compile(r"\{([^{}]*)\}")
# \subfix{dir/} inside \graphicspath (subfiles) resolves to the same folder from the main file
_SUBFIX = re.compile(r"\\subfix\s*\{([^{}]*)\}")
_BIBLIOGRAPHY = re.compile(r"\\bibliography\s*\{([^}]*)\}")
_ADDBIB = re.compile(
    r"\\(?:addbibresource|addglobalbib|addsectionbib)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}"
)
_DOCCLASS = re.compile(r"\\documentclass\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<cls>[^}]*)\}")
_PACKAGE = re.compile(
    r"\\(?:usepackage|RequirePackage)\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<names>[^}]*)\}"
)
_BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")
_END_DOC = re.compile(r"\\end\s*\{document\}")


@dataclass
class Directive:
    """One include-like command in a file, with its position (character offset)."""

    kind: str  # input | include | subfile | import | optional | bib
    target: str  # as written
    prefix: str  # \import's folder, prepended to the target
    anchor: str  # where relative paths start: "root", "file" or "either" (root first)
    pos: int
    end: int


def find_includes(masked: str) -> list[Directive]:
    """Include commands in document order (comments and skipped blocks already blanked)."""
    out: list[Directive] = []
    for m in _INCLUDE.finditer(masked):
        if m.group("icmd"):
            cmd = m.group("icmd")
            anchor = "file" if cmd.startswith("sub") else "root"
            folder = m.group("dir").strip()
            if folder and not folder.endswith("/"):
                folder += "/"
            kind = "include" if "include" in cmd else "import"
            out.append(Directive(kind, m.group("file").strip(), folder, anchor, m.start(), m.end()))
            continue
        cmd = m.group("cmd")
        target = (m.group("arg") if m.group("arg") is not None else m.group("bare") or "").strip()
        if not target:
            continue
        kind = "optional" if cmd in ("InputIfFileExists", "IfFileExists") else cmd
        anchor = "file" if kind == "subfile" else "either"
        out.append(Directive(kind, target, "", anchor, m.start(), m.end()))
    for m in _BIBLIOGRAPHY.finditer(masked):
        for name in m.group(1).split(","):
            if name.strip():
                name = name.strip()
                target = name if name.endswith(".bib") else name + ".bib"
                out.append(Directive("bib", target, "", "either", m.start(), m.end()))
    for m in _ADDBIB.finditer(masked):
        if m.group(1).strip():
            out.append(Directive("bib", m.group(1).strip(), "", "either", m.start(), m.end()))
    out.sort(key=lambda d: d.pos)
    return out


def includeonly(masked: str) -> set[str] | None:
    """The \\includeonly list of the root, or None when there is none."""
    m = _INCLUDEONLY.search(masked)
    if not m:
        return None
    return {x.strip().removesuffix(".tex") for x in m.group(1).split(",") if x.strip()}


def graphics_paths(masked: str) -> list[str]:
    """Folders listed in \\graphicspath (with \\subfix{} unwrapped)."""
    out: list[str] = []
    for m in _GRAPHICSPATH.finditer(masked):
        for item in _GRAPHICSPATH_ITEM.finditer(_SUBFIX.sub(r"\1", m.group(1))):
            out.append(item.group(1).strip())
    return out


def document_class(masked: str) -> tuple[str, list[str]] | None:
    """The class and options of \\documentclass, if the file has one."""
    found = document_class_at(masked)
    return found[:2] if found else None


def document_class_at(masked: str) -> tuple[str, list[str], int] | None:
    """The class, options and offset of \\documentclass, if the file has one."""
    m = _DOCCLASS.search(masked)
    if not m:
        return None
    return m.group("cls").strip(), _split(m.group("opts")), m.start()


def package_loads(masked: str) -> list[tuple[int, list[str], list[str]]]:
    """Each \\usepackage or \\RequirePackage in order: its offset, package names and options."""
    return [
        (m.start(), _split(m.group("names")), _split(m.group("opts")))
        for m in _PACKAGE.finditer(masked)
    ]


def _split(items: str | None) -> list[str]:
    return [o.strip() for o in (items or "").split(",") if o.strip()]


def body_range(masked: str) -> tuple[int, int] | None:
    """Offsets of the document body (between \\begin{document} and \\end{document})."""
    b = _BEGIN_DOC.search(masked)
    if not b:
        return None
    e = _END_DOC.search(masked, b.end())
    return b.end(), (e.start() if e else len(masked))


def is_root_candidate(masked: str) -> bool:
    """A file LaTeX can compile on its own: a \\documentclass and a \\begin{document}."""
    dc = document_class(masked)
    if not dc or dc[0] in ("subfiles", "standalone"):
        return False
    return _BEGIN_DOC.search(masked) is not None
