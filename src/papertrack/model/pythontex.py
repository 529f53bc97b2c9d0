"""Labels that pythontex's Python output makes: the source holds them only as Python strings."""

from __future__ import annotations

import re

from papertrack.model.document import Document
from papertrack.project.source import verbatim_close

_CODE_ENV = re.compile(
    r"\\begin\s*\{((?:py|sympy|pylab)(?:code|block|console)|pythontexcustomcode)\}(.*?)"
    r"\\end\s*\{\1\}",
    re.S,
)
_INLINE = re.compile(r"\\(?:py|sympy|pylab)[cbv]?(?![a-zA-Z@])\s*(?:\[[^\]\n]*\]\s*)?(?=\{)")


def python_code(doc: Document) -> str:
    """The Python a pythontex paper runs (its code environments and inline commands), as one
    text; "" for a paper without pythontex."""
    if not any(name == "pythontex" for name, _o in doc.packages):
        return ""
    memo = doc.__dict__.get("_python_code")
    if memo is None:
        parts = []
        for rel in doc.project.order:
            text = doc.project.files[rel].text
            parts += [m.group(2) for m in _CODE_ENV.finditer(text)]
            for m in _INLINE.finditer(text):  # the braced argument only, not the prose after it
                end = verbatim_close(text, m.end())
                if end > 0:
                    parts.append(text[m.end() + 1 : end])
        memo = doc.__dict__["_python_code"] = "\n".join(parts)
    return memo


def made_by_code(key: str, code: str) -> bool:
    """Whether the Python code names this label: whole (`'\\\\label{fig:x}'`) or as the string a
    helper prefixes (`label='x'` for fig:x). Its output, written when PythonTeX runs, defines it."""
    if not code:
        return False
    if key in code:
        return True
    tail = key.split(":", 1)[-1]
    return tail != key and re.search(r"""['"]""" + re.escape(tail) + r"""['"]""", code) is not None
