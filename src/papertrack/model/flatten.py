"""The paper as TeX reads it, in one text (includes spliced in), and the words a LaTeX chunk prints."""

from __future__ import annotations

import re

_CITE = re.compile(
    r"\\(?:cite\w*|ref|eqref|cref|Cref|autoref|pageref|nameref|vref|url)\*?\s*(?:\[[^\]]*\]\s*)*\{[^{}]*\}"
)
_DROP = re.compile(
    r"\\(?:label|index|hspace|vspace|setlength|addtolength|includegraphics|input|include|"
    r"bibliographystyle|newcommand|renewcommand|def|usepackage|color|definecolor)\*?\s*"
    r"(?:\[[^\]]*\]\s*)?(?:\{[^{}]*\}\s*){0,2}"
)
_INLINE_MATH = re.compile(r"\$[^$]+\$|\\\((?:.|\n)*?\\\)")
_COMMAND = re.compile(r"\\[A-Za-z@]+\*?|\\.")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\uFFFF][^\s]*")


def flattened(project) -> str:
    """The masked text of the root with every reachable include spliced in (document order)."""
    from papertrack.project.loader import visible_text

    def text_of(rel: str, stack: tuple[str, ...]) -> str:
        try:
            text = visible_text(project, rel)
        except KeyError:
            return ""
        incs = [i for i in project.includes.get(rel, []) if i.target and i.target in project.files]
        out, last = [], 0
        for inc in sorted(incs, key=lambda i: i.pos):
            if inc.target in stack or len(stack) > 32 or inc.kind == "bib":
                continue
            out.append(text[last : inc.pos])
            out.append("\n\n" + text_of(inc.target, (*stack, inc.target)) + "\n\n")
            last = inc.end
        out.append(text[last:])
        return "".join(out)

    return text_of(project.main, (project.main,))


def prose_words(text: str) -> int:
    """Words a chunk of LaTeX prints: citations one word, inline math by its length."""
    t = _CITE.sub(" X ", text)
    extra = 0
    for m in _INLINE_MATH.finditer(t):
        extra += max(1, len(m.group(0)) // 9)
    t = _INLINE_MATH.sub(" ", t)
    t = _DROP.sub(" ", t)
    t = _COMMAND.sub(" ", t)
    t = t.replace("{", " ").replace("}", " ").replace("~", " ")
    return len(_WORD.findall(t)) + extra


_BIBS = re.compile(r"\\(?:bibliography\s*\{|printbibliography)|\\begin\s*\{thebibliography\}")
_GOES_ON = re.compile(r"\\(?:part|chapter)\s*(?:\[[^\]]*\]\s*)?\{")
_APPENDIX = re.compile(r"\\appendix(?![a-zA-Z@])|\\begin\s*\{(?:appendices|appendix)\}")


def goes_on(body: str, m: re.Match) -> bool:
    """A part's or chapter's own references (\\printbibliography per refsection, in a paper that
    prints several) with numbered chapters after them before any appendix: not the end of the
    main content."""
    if "append" in m.group() or len(_BIBS.findall(body)) < 2:
        return False  # one bibliography: chapters after it are back matter (a supplement)
    app = _APPENDIX.search(body, m.end())
    return _GOES_ON.search(body, m.end(), app.start() if app else len(body)) is not None
