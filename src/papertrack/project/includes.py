"""Finding the files a LaTeX file pulls in: \\input, \\include, \\subfile, \\import, bibliographies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

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
# biblatex run with BibTeX as its backend (\usepackage[backend=bibtex8,...]{biblatex})
_BIBTEX_BACKEND = re.compile(
    r"\\usepackage\s*\[[^\]]*\bbackend\s*=\s*bibtex\w*[^\]]*\]\s*\{biblatex\}"
)
_DOCCLASS = re.compile(r"\\documentclass\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<cls>[^}]*)\}")
_PACKAGE = re.compile(
    r"\\(?:usepackage|RequirePackage)\s*(?:\[(?P<opts>[^\]]*)\])?\s*\{(?P<names>[^}]*)\}"
)
# the mark masking leaves on a line that held only a comment (TeX reads on past it), with the
# line end the comment hid: `\\includeonly{a,\n% b,\nc}` lists a and c
_COMMENT_MARK = re.compile(r"(?<!\\)%[^\n]*\n?")
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
    # helpers the wrapper that includes it sets first (\renewcommand{\chapterprefix}{#1}):
    # {name: value} for the included file, where labels and paths may be built from them
    binds: dict[str, str] = field(default_factory=dict)


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
        for name in comma_list(m.group(1)):
            if name:
                target = name if name.endswith(".bib") else name + ".bib"
                out.append(Directive("bib", target, "", "either", m.start(), m.end()))
    bibtex = _BIBTEX_BACKEND.search(masked) is not None
    for m in _ADDBIB.finditer(masked):
        target = m.group(1).strip()
        if target and bibtex and not PurePosixPath(target).suffix:
            target += (
                ".bib"  # biblatex hands BibTeX the name, and BibTeX adds .bib (Biber does not)
            )
        if target:
            out.append(Directive("bib", target, "", "either", m.start(), m.end()))
    out.sort(key=lambda d: d.pos)
    return out


def includeonly(masked: str, undecided: list[tuple[int, int]] = ()) -> set[str] | None:
    """The \\includeonly list of the root, or None when there is none. The last one counts,
    as in LaTeX; one inside an `undecided` span (a conditional papertrack cannot evaluate)
    is read as absent, as a build with the class's default options reads it."""
    found = [
        m
        for m in _INCLUDEONLY.finditer(masked)
        if not any(a <= m.start() < b for a, b in undecided)
    ]
    if not found:
        return None
    m = found[-1]
    return {x.removesuffix(".tex") for x in comma_list(m.group(1))}


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
    return m.group("cls").strip(), comma_list(m.group("opts")), m.start()


def package_loads(masked: str) -> list[tuple[int, list[str], list[str]]]:
    """Each \\usepackage or \\RequirePackage in order: its offset, package names and options."""
    return [
        (m.start(), comma_list(m.group("names")), comma_list(m.group("opts")))
        for m in _PACKAGE.finditer(masked)
    ]


def comma_list(items: str | None) -> list[str]:
    """The names of a masked {a, b, c} list, as LaTeX reads them."""
    return [o.strip() for o in _COMMENT_MARK.sub("", items or "").split(",") if o.strip()]


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


# \newcommand{\includechapter}[2]{...\input{chapters/#2}}: a user macro that includes a file
_WRAPPER_DEF = re.compile(
    r"\\(?:new|renew|provide)command\*?\s*(?:\{\s*\\(?P<n1>[A-Za-z@]+)\s*\}|\\(?P<n2>[A-Za-z@]+))"
    r"\s*\[(?P<nargs>[1-9])\]\s*(?=\{)"
)
# inside its body, a helper set to an argument: \renewcommand{\chapterpath}{#2}, \def\x{#1}
_SET_TO_ARG = re.compile(
    r"\\(?:(?:re)?newcommand\*?\s*\{?\s*\\(?P<n1>[A-Za-z@]+)\s*\}?|[gex]?def\s*\\(?P<n2>[A-Za-z@]+))"
    r"\s*\{\s*(?P<val>#[1-9])\s*\}"
)


Wrapper = tuple[int, str, str, dict[str, str]]


def input_wrappers(masked: str) -> dict[str, Wrapper]:
    """User macros that \\input or \\include a file named by their arguments:
    {name: (number of arguments, include kind, target with #n, helpers set to #n)}."""
    from papertrack.project.braces import group_end

    out: dict[str, Wrapper] = {}
    for m in _WRAPPER_DEF.finditer(masked):
        end = group_end(masked, m.end())
        if end is None:
            continue
        body = masked[m.end() + 1 : end - 1]
        helpers = {
            (h.group("n1") or h.group("n2")): h.group("val") for h in _SET_TO_ARG.finditer(body)
        }
        for d in find_includes(body):
            if d.kind not in ("input", "include", "subfile"):
                continue
            target = re.sub(
                r"\\([A-Za-z@]+)\s*", lambda t, h=helpers: h.get(t.group(1), t.group(0)), d.target
            )
            if re.search(r"#[1-9]", target) and "\\" not in target:
                name = m.group("n1") or m.group("n2")
                # only helpers set before the \input hold while the file is read
                before = {
                    (h.group("n1") or h.group("n2")): h.group("val")
                    for h in _SET_TO_ARG.finditer(body, 0, d.pos)
                }
                out[name] = (int(m.group("nargs")), d.kind, target, before)
                break
    return out


def template_includes(masked: str, directives: list[Directive]) -> list[Directive]:
    """The directives without those inside a macro's definition whose target is made of its
    arguments or helpers (\\input{chapters/\\chapterpath}): a template, read where it is used."""
    from papertrack.project.braces import group_end

    made = [d for d in directives if "#" in d.target or "\\" in d.target]
    if not made:
        return directives
    bodies = []
    for m in _WRAPPER_DEF.finditer(masked):
        end = group_end(masked, m.end())
        if end is not None:
            bodies.append((m.end(), end))
    skip = {id(d) for d in made if any(a <= d.pos < b for a, b in bodies)}
    return [d for d in directives if id(d) not in skip]


def wrapper_includes(masked: str, wrappers: dict[str, Wrapper]) -> list[Directive]:
    """The files that uses of input wrappers (input_wrappers) include, where they are used."""
    if not wrappers:
        return []
    names = "|".join(re.escape(n) for n in sorted(wrappers, key=len, reverse=True))
    out: list[Directive] = []
    for m in re.finditer(rf"\\({names})(?![A-Za-z@])", masked):
        nargs, kind, template, helpers = wrappers[m.group(1)]
        args, pos = [], m.end()
        for _ in range(nargs):
            arg = re.match(r"\s*\{([^{}\n]*)\}", masked[pos:])
            if arg is None:
                break
            args.append(arg.group(1).strip())
            pos += arg.end()
        if len(args) != nargs:
            continue  # inside its own definition (#1), or a use papertrack cannot read
        target = re.sub(r"#([1-9])", lambda a, v=args: v[int(a.group(1)) - 1], template)
        binds = {h: args[int(v[1]) - 1] for h, v in helpers.items()}
        out.append(Directive(kind, target, "", "either", m.start(), pos, binds))
    return out
