"""TeX's messages that name a file this TeX installation lacks, rather than a fault of the paper."""

from __future__ import annotations

import re

_NOT_FOUND = re.compile(r"File [`'](?P<f>[^`']+)' not found|I can't find file [`'](?P<g>[^`']+)'")
_BABEL_UNKNOWN = re.compile(r"Package babel Error: Unknown option [`'](?P<lang>[^`']+)'")


# a font the paper (or its class's font-set option) names that this system does not have:
# fontspec's error, and TeX's own for a font without metrics
_FONT_NOT_FOUND = re.compile(
    r'The font "(?P<f>[^"]+)" cannot be found'
    r"|Font \\[^=\s]+=(?P<g>[^:\s]+)\S* (?:at [\d.]+pt )?not loadable: Metric \(TFM\) file"
)


def missing_file(msg: str) -> str | None:
    """'missing file x.sty' for LaTeX's "File `x.sty' not found" (and TeX's own wording);
    'missing font X' for a font this system lacks."""
    m = _NOT_FOUND.search(msg)
    if m:
        return f"missing file {m.group('f') or m.group('g')}"
    m = _FONT_NOT_FOUND.search(msg)
    return f"missing font '{m.group('f') or m.group('g')}' (not installed here)" if m else None


def missing_language(msg: str, after: list[str]) -> str | None:
    """babel's "Unknown option 'french'" when french.ldf is not installed: what is missing.
    TeX carries on with the languages it has, so this is not an error of the paper."""
    m = _BABEL_UNKNOWN.search(msg)
    if m is None or not any(".ldf was not found" in a for a in after):
        return None
    lang = m.group("lang")
    return (
        f"missing file {lang}.ldf: this TeX has no babel language '{lang}' (its package is not "
        "installed, or the name is misspelled)"
    )


MISSING_FONT = re.compile(r"missing font '([^']+)'")
FONT_FIX = (
    "install the fonts, or name fonts this system has (the class's font-set option, \\setmainfont)"
)


def fonts_message(fonts: list) -> str:
    """The fonts the build lacked, as one message (a font set names several)."""
    names = list(dict.fromkeys(m.group(1) for p in fonts if (m := MISSING_FONT.match(p.message))))
    if len(names) == 1:
        return fonts[0].message
    shown = ", ".join(f"'{n}'" for n in names[:3])
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"missing fonts {shown}{more} (not installed here)"
