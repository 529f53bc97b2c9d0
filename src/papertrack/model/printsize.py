"""The size at which a figure's image is printed, from its \\includegraphics options and layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papertrack.facts import Float, Graphic
from papertrack.model.document import Document

PT_PER_UNIT = {
    "pt": 1.0,
    "bp": 72.27 / 72,
    "in": 72.27,
    "cm": 72.27 / 2.54,
    "mm": 72.27 / 25.4,
    "pc": 12.0,
    "dd": 1238 / 1157,
    "cc": 12 * 1238 / 1157,
    "sp": 1 / 65536,
}
SP_PER_PT = 65536
# Without a build: the text block of common layouts (TeX points). A static guess is off by up to
# ~10% (class and paper size), so rules that use it demand that margin (Layout.exact is False).
STATIC_LAYOUTS = {
    "two-column": (505.0, 241.0),  # IEEEtran 516/252, acmart 506/241, cvpr/icml 487/235
    "one-column": (360.0, 360.0),  # article 345-390, neurips/iclr 397
    "lncs": (347.0, 347.0),
    "book": (360.0, 360.0),
}
_LENGTH = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d+\.?\d*|\.\d+))?\s*"
    r"(?:\\(?P<reg>linewidth|columnwidth|textwidth|hsize|textheight)|(?P<unit>pt|bp|in|cm|mm|pc|dd|cc|sp))\s*$"
)
_INCLUDE = re.compile(r"\\includegraphics\s*(\*)?\s*(?:\[([^\]]*)\])?\s*(?:\[([^\]]*)\])?\s*\{")
_BOXES = re.compile(
    r"\\begin\{(minipage|subfigure\*?|wrapfigure)\}\s*(?:\[[^\]]*\]\s*){0,3}\{([^{}]*)\}"
    r"(?:\s*\{([^{}]*)\})?|\\end\{(minipage|subfigure\*?|wrapfigure)\}"
)
# Anything that rescales or crops the image after \includegraphics sized it.
_RESCALERS = re.compile(
    r"\\(resizebox|scalebox|adjustbox|reflectbox|rotatebox)\b|\\begin\{adjustbox\}"
)
_CROPPING_KEYS = {"trim", "clip", "viewport", "bb", "natwidth", "natheight", "page"}


@dataclass(frozen=True)
class Layout:
    """Text and column width in TeX points, and whether they come from a build."""

    text_width: float
    column_width: float
    text_height: float
    exact: bool


@dataclass(frozen=True)
class Sizing:
    """How an image is scaled: a width or height in pt, or a factor, from its options."""

    width: float | None = None
    height: float | None = None
    scale: float | None = None
    keepaspectratio: bool = False


def layout_of(doc: Document) -> Layout:
    """The build's measured text block if there is one, else the class's usual one."""
    probe = getattr(getattr(doc, "compile", None), "probe", None)
    geo = getattr(probe, "geometry", None)
    if geo is not None and geo.text_width > 0:
        return Layout(
            geo.text_width / SP_PER_PT,
            (geo.column_width or geo.text_width) / SP_PER_PT,
            geo.text_height / SP_PER_PT,
            True,
        )
    from papertrack.model.pages import layout as layout_kind

    measured = _measured_class(doc)
    if measured is not None:  # a class whose text block TeX was asked (aastex631: 7.1in)
        from papertrack.model.layout import page_layout

        lay = page_layout(doc)
        return Layout(lay.text_width, lay.column_width, lay.text_height, False)
    tw, cw = STATIC_LAYOUTS.get(layout_kind(doc), STATIC_LAYOUTS["one-column"])
    return Layout(tw, cw, 600.0, False)


def _measured_class(doc: Document):
    """The measured layout of the paper's class (None for a class the table lacks)."""
    from papertrack.model.classlayouts import CLASSES, class_layout

    cls, opts = doc.document_class or ("article", [])
    return class_layout(cls, list(opts)) if cls in CLASSES else None


def body_size(doc: Document) -> float:
    """The body font size in pt from the class options (LaTeX's default is 10pt)."""
    _cls, opts = doc.document_class or ("article", [])
    for o in opts:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)pt\s*", o)
        if m and 5 <= float(m.group(1)) <= 20:
            return float(m.group(1))
    measured = _measured_class(doc)
    return measured.size if measured is not None else 10.0  # mnras sets 9pt


def length_pt(expr: str, line_width: float, lay: Layout, in_box: bool = False) -> float | None:
    """A length such as `0.45\\textwidth` or `3.3in` in pt; None for anything else.

    Inside a minipage (and subcaption's subfigure, which is one) LaTeX sets \\textwidth and
    \\columnwidth to the box's width too.
    """
    m = _LENGTH.match(expr.replace("{", "").replace("}", ""))
    if not m:
        return None
    num = float(m.group("num")) if m.group("num") not in (None, "+", "-") else 1.0
    reg = m.group("reg")
    if reg:
        base = {
            "linewidth": line_width,
            "hsize": line_width,
            "columnwidth": line_width if in_box else lay.column_width,
            "textwidth": line_width if in_box else lay.text_width,
            "textheight": lay.text_height,
        }[reg]
        return num * base
    return num * PT_PER_UNIT[m.group("unit")] if m.group("num") else None


def _keyvals(opts: str) -> dict[str, str] | None:
    out: dict[str, str] = {}
    depth, cur, parts = 0, [], []
    for ch in opts:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    for p in parts:
        if not p.strip():
            continue
        k, _, v = p.partition("=")
        out[k.strip().lower()] = v.strip()
    return out


def sizing_at(doc: Document, g: Graphic, fl: Float | None) -> Sizing | None:
    """The printed size requested for one \\includegraphics; None when it cannot be known."""
    src = doc.project.files.get(g.file)
    if src is None:
        return None
    text = src.masked or src.text
    starts = src._line_starts
    if g.line < 1 or g.line > len(starts):
        return None
    pos = starts[g.line - 1] + g.col - 1
    m = _INCLUDE.match(text, pos)
    if not m:
        return None
    if _RESCALERS.search(text, max(0, pos - 120), pos):
        return None  # \resizebox{...}{!}{\includegraphics...}: the box decides, not the options
    opts = m.group(3) if m.group(3) is not None else m.group(2)
    if m.group(3) is not None:
        return None  # old-style [llx,lly][urx,ury] bounding box: a crop
    kv = _keyvals(opts or "") or {}
    if _CROPPING_KEYS & kv.keys() or ("angle" in kv and kv["angle"] not in ("0", "")):
        return None
    lay = layout_of(doc)
    boxed = _line_width(doc, g, fl, text, pos, lay)
    if boxed is None:
        return None
    line_width, in_box = boxed
    width = height = scale = None
    if "width" in kv:
        width = length_pt(kv["width"], line_width, lay, in_box)
        if width is None:
            return None
    if "height" in kv or "totalheight" in kv:
        height = length_pt(kv.get("height") or kv["totalheight"], line_width, lay, in_box)
        if height is None:
            return None
    if "scale" in kv:
        try:
            scale = float(kv["scale"])
        except ValueError:
            return None
    return Sizing(width, height, scale, "keepaspectratio" in kv)


def printed_factor(s: Sizing, nat_w: float, nat_h: float) -> float | None:
    """How much the image is scaled (its text scales vertically with the height)."""
    if nat_w <= 0 or nat_h <= 0:
        return None
    if s.width is not None and s.height is not None:
        fw, fh = s.width / nat_w, s.height / nat_h
        return min(fw, fh) if s.keepaspectratio else fh
    if s.width is not None:
        return s.width / nat_w if s.scale is None else None  # both: key order decides
    if s.height is not None:
        return s.height / nat_h
    return s.scale if s.scale is not None else 1.0


def _line_width(
    doc: Document, g: Graphic, fl: Float | None, text: str, pos: int, lay: Layout
) -> tuple[float, bool] | None:
    """\\linewidth where the graphic sits (the float's column, or an enclosing box's width), and
    whether it is inside a box."""
    base = lay.column_width
    start = 0
    if fl is not None and fl.file == g.file:
        if fl.env.endswith("*"):
            base = lay.text_width
        starts = doc.project.files[g.file]._line_starts
        start = starts[fl.line - 1] + fl.col - 1 if 0 < fl.line <= len(starts) else 0
    elif fl is not None:
        return None  # the float opens in another file: its boxes are not known here
    else:
        start = max(0, pos - 2000)
    stack: list[float | None] = [base]
    for m in _BOXES.finditer(text, start, pos):
        if m.group(4):
            if len(stack) > 1:
                stack.pop()
            continue
        env, arg, arg2 = m.group(1), m.group(2), m.group(3)
        width_expr = arg2 if env == "wrapfigure" else arg
        outer = stack[-1]
        w = length_pt(width_expr or "", outer, lay, len(stack) > 1) if outer else None
        stack.append(w)
    return (stack[-1], len(stack) > 1) if stack[-1] else None
