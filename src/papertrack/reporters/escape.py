"""Paper-derived text made safe to show: control characters become visible, never interpreted.

A paper is someone else's input. Its section titles, TODO texts, TeX error messages and file
names reach the terminal, a CI log or a JSON consumer. An ESC there starts a terminal escape
sequence (set the window title, write the clipboard with OSC 52, conceal text with SGR 8), a
newline starts a forged output line (a GitHub `::add-mask::` command), a bidi override reorders
what the reader sees (CVE-2021-42574). `visible` spells all of these out instead.
"""

from __future__ import annotations

import html
import re

# C0 (except tab), DEL and C1; the bidi embeddings, overrides, isolates and marks; the Unicode
# line and paragraph separators (some terminals and editors break lines there); surrogates,
# which is how Python carries the bytes of a file name that is not UTF-8 (surrogateescape)
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _spell(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # a byte that is not UTF-8, kept by surrogateescape
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n <= 0xFF else f"\\u{n:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` on one line with every control character spelt out (`\\x1b`, `\\n`, `\\u202e`).

    Tabs stay, and the characters in `keep` (a format that escapes newlines its own way keeps
    them); so do printable characters of every script and the zero-width joiners that emoji,
    Persian and Indic text need. A non-UTF-8 byte of a file name shows as `\\xff`.
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    if keep:
        return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _spell(m), text)
    return _UNSAFE.sub(_spell, text)


def valid_unicode(text: str) -> str:
    """`text` without lone surrogates, so it encodes as UTF-8 (JSON, SARIF, files).

    Only the bytes a file name had that are not UTF-8 change (shown as `\\xff`); control
    characters are left to the format's own escaping (json.dumps writes `\\u001b`).
    """
    if text.isprintable():
        return text
    return _SURROGATES.sub(_spell, text)


def html_text(text: object) -> str:
    """Paper text for an HTML page: control characters spelt out, then HTML-escaped.

    html.escape leaves an ESC or a bidi override as it is; a coauthor who views the page's
    source in a terminal (or a browser that honours U+202E) would see reordered or hidden text.
    """
    return html.escape(visible(str(text)), quote=True)


# what json.dumps(ensure_ascii=False) leaves raw but a terminal showing the JSON could act on:
# DEL, C1 (CSI is \x9b), bidi controls, line separators. JSON's \u escapes keep the exact text.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(dumped: str) -> str:
    """Output of json.dumps with the characters above written as `\\uXXXX` (same JSON value)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def unicode_tree(value: object) -> object:
    """`valid_unicode` applied to every string inside nested dicts and lists (a JSON document)."""
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, dict):
        return {unicode_tree(k): unicode_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unicode_tree(v) for v in value]
    return value


class VisibleRenderable:
    """A rich renderable shown with every control character in its text spelt out.

    For displays assembled from many paper-derived pieces (the watch dashboard): one wrapper
    instead of an escape at every piece. rich's own styling travels beside the text (as a
    style, or as control segments), so only the paper's characters are touched.
    """

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for seg in console.render(self.inner, options):
            if seg.control or seg.text.isprintable() or seg.text == "\n":
                yield seg
            else:
                yield Segment(visible(seg.text, keep="\n"), seg.style)
