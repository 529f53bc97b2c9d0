"""The colours a figure paints and how much of it each covers: PDF paths and flat bitmaps."""

from __future__ import annotations

import itertools
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

# Content streams are tokenised with one regular expression (~0.3 s per MB here; pypdf's
# ContentStream parser took ~5 s per MB). Beyond this a figure is a dump of many thousands of
# points, and its colours are not worth the wait.
MAX_CONTENT_BYTES = 8 * 1024 * 1024
MAX_FORM_DEPTH = 8
# Bitmaps are sampled down to this many pixels on the long side (nearest neighbour: no new
# blended colours are made).
SAMPLE_PX = 600
# A bitmap is flat graphics (a plot or a diagram, not a photograph or a colour map) when this
# many colour bins cover FLAT_SHARE of its pixels.
FLAT_BINS = 24
# Decoding a PNG costs ~0.1 s per million pixels here: a 7000 x 7000 t-SNE plot took 4.5 s.
MAX_PIXELS = 16_000_000
FLAT_SHARE = 0.85

# Strings (one level of nested parentheses), hex strings, names, numbers, operators, brackets.
_TOKEN = re.compile(
    rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<<|>>|<[^<>]*>|(/[^\s/\[\]()<>{}%]*)"
    rb"|([-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*][A-Za-z0-9*']*)|%[^\r\n]*|[\[\]{}]"
)
_INLINE_END = re.compile(rb"\sEI(?=[\s]|$)")

Matrix = tuple[float, float, float, float, float, float]
RGB = tuple[float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Swatch:
    """One colour (sRGB, 0-1) and the share of the figure's area painted with it."""

    rgb: RGB
    ink: float

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{round(c * 255):02x}" for c in self.rgb)


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """a x b for PDF matrices [a b c d e f] (row vectors: a applies first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _cmyk(c: float, m: float, y: float, k: float) -> RGB:
    """The naive conversion PDF viewers use without a colour profile (PDF 32000 10.3.5)."""
    return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def _space(name, resources) -> int | None:
    """Components of a colour space the paint can be read in: 1 gray, 3 RGB, 4 CMYK; else None
    (patterns, spot colours, indexed and Lab spaces are not series colours we can read)."""
    key = str(name)
    direct = {"/DeviceGray": 1, "/G": 1, "/DeviceRGB": 3, "/RGB": 3, "/DeviceCMYK": 4, "/CMYK": 4}
    if key in direct:
        return direct[key]
    try:
        cs = resources["/ColorSpace"][key].get_object()
        if isinstance(cs, str):  # a name (pypdf's NameObject is a str)
            return direct.get(str(cs))
        if not hasattr(cs, "keys"):  # an array: [/ICCBased stream], [/CalRGB dict], ...
            kind = str(cs[0])
            if kind == "/ICCBased":
                n = int(cs[1].get_object()["/N"])
                return n if n in (1, 3, 4) else None
            return {"/CalRGB": 3, "/CalGray": 1}.get(kind)
        return direct.get(str(cs))
    except Exception:
        return None


def _colour(n: int | None, nums: list) -> RGB | None:
    try:
        v = [min(1.0, max(0.0, float(x))) for x in nums]
    except (TypeError, ValueError):
        return None
    if n != len(v):
        return None
    if n == 1:
        return (v[0], v[0], v[0])
    if n == 3:
        return (v[0], v[1], v[2])
    return _cmyk(*v)


def _over_white(rgb: RGB | None, alpha: float) -> RGB | None:
    """What a translucent paint looks like on the white page."""
    if rgb is None or alpha >= 1:
        return rgb
    return tuple(alpha * c + (1 - alpha) for c in rgb)  # type: ignore[return-value]


class _Painter:
    """Replays path painting operators and adds up the area painted in each colour."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.ink: dict[RGB, float] = {}
        self.budget = MAX_CONTENT_BYTES

    def run(self, stream, resources, ctm: Matrix, depth: int) -> None:
        if isinstance(stream, list):  # a page's /Contents may be an array of streams
            data = b"\n".join(s.get_object().get_data() for s in stream)
        else:
            data = stream.get_data()
        self.budget -= len(data)
        if self.budget < 0:
            raise OverflowError("figure too large to read its colours")
        ops = _operations(data)
        st = {"ctm": ctm, "lw": 1.0, "fn": 1, "sn": 1, "f": (0.0,) * 3, "s": (0.0,) * 3}
        st.update({"fa": 1.0, "sa": 1.0})
        stack: list[dict] = []
        path: list[list[tuple[float, float]]] = []
        cur: list[tuple[float, float]] = []
        for operands, o in ops:
            if o in ("m", "l", "c", "v", "y") and len(operands) >= 2:
                pt = (float(operands[-2]), float(operands[-1]))
                if o == "m":
                    if len(cur) > 1:
                        path.append(cur)
                    cur = [pt]
                else:
                    cur.append(pt)
            elif o == "re" and len(operands) == 4:
                x, y, w, h = (float(v) for v in operands)
                if len(cur) > 1:
                    path.append(cur)
                path.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)])
                cur = []
            elif o == "h" and cur:
                cur.append(cur[0])
            elif o in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                if len(cur) > 1:
                    path.append(cur)
                if o != "n":
                    self._paint(o, path, st)
                path, cur = [], []
            elif o == "q":
                stack.append(dict(st))
            elif o == "Q" and stack:
                st = stack.pop()
            elif o == "cm" and len(operands) == 6:
                st["ctm"] = _mul(tuple(float(v) for v in operands), st["ctm"])  # type: ignore[arg-type]
            elif o == "w" and operands:
                st["lw"] = float(operands[0])
            elif o in ("g", "rg", "k"):
                st["fn"] = {"g": 1, "rg": 3, "k": 4}[o]
                st["f"] = _colour(st["fn"], operands)
            elif o in ("G", "RG", "K"):
                st["sn"] = {"G": 1, "RG": 3, "K": 4}[o]
                st["s"] = _colour(st["sn"], operands)
            elif o in ("cs", "CS") and operands:
                side = "f" if o == "cs" else "s"
                n = _space(operands[0], resources)
                st[side + "n"] = n
                st[side] = (0.0, 0.0, 0.0) if n else None  # the space's initial colour: black
            elif o in ("sc", "scn"):
                st["f"] = _colour(st["fn"], operands)
            elif o in ("SC", "SCN"):
                st["s"] = _colour(st["sn"], operands)
            elif o == "gs" and operands:
                try:
                    gs = resources["/ExtGState"][str(operands[0])].get_object()
                    st["fa"] = float(gs.get("/ca", st["fa"]))
                    st["sa"] = float(gs.get("/CA", st["sa"]))
                    if "/LW" in gs:
                        st["lw"] = float(gs["/LW"])
                except Exception:
                    pass
            elif o == "Do" and operands and depth < MAX_FORM_DEPTH:
                self._form(operands[0], resources, st["ctm"], depth)

    def _form(self, name, resources, ctm: Matrix, depth: int) -> None:
        try:
            xo = resources["/XObject"][str(name)].get_object()
        except Exception:
            return
        if str(xo.get("/Subtype")) != "/Form":
            return  # images are read as bitmaps elsewhere, not as series colours
        m = tuple(float(v) for v in xo.get("/Matrix", IDENTITY))
        inner = xo.get("/Resources")
        self.run(
            xo, inner.get_object() if inner is not None else resources, _mul(m, ctm), depth + 1
        )  # type: ignore[arg-type]

    def _paint(self, op: str, path: list[list[tuple[float, float]]], st: dict) -> None:
        ctm = st["ctm"]
        pts = [[_apply(ctm, x, y) for x, y in sub] for sub in path]
        if op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            area = sum(abs(_shoelace(sub)) for sub in pts)
            self._add(_over_white(st["f"], st["fa"]), area)
        if op in ("S", "s", "B", "B*", "b", "b*"):
            length = sum(math.dist(a, b) for sub in pts for a, b in itertools.pairwise(sub))
            scale = math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
            # a hairline (w 0) is one device pixel wide: count it as a thin line
            width = max(st["lw"] * scale, 0.25)
            self._add(_over_white(st["s"], st["sa"]), length * width)

    def _add(self, rgb: RGB | None, area: float) -> None:
        if rgb is None or area <= 0:
            return
        key = tuple(round(c, 3) for c in rgb)
        self.ink[key] = self.ink.get(key, 0.0) + area  # type: ignore[index]


def _operations(data: bytes):
    """(operands, operator) pairs of a content stream; operands are floats or names (str)."""
    operands: list = []
    pos = 0
    while True:
        m = _TOKEN.search(data, pos)
        if m is None:
            return
        pos = m.end()
        name, num, op = m.group(1), m.group(2), m.group(3)
        if num is not None:
            operands.append(float(num))
        elif name is not None:
            operands.append(name.decode("latin-1"))
        elif op is not None:
            o = op.decode("latin-1")
            if o == "ID":  # inline image data: binary up to EI
                end = _INLINE_END.search(data, pos)
                pos = end.end() if end else len(data)
                operands = []
                continue
            if o not in ("true", "false", "null"):
                yield operands, o
                operands = []
        elif m.group(0) in (b"[", b"]"):
            continue  # array operands (dash patterns, TJ): only numbers and names matter here
        elif m.group(0)[:1] in (b"(", b"<"):
            operands.append(None)  # strings: text, never a colour


def _shoelace(pts: list[tuple[float, float]]) -> float:
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise([*pts, pts[0]]))


def pdf_colours(path: Path, page: int = 1) -> list[Swatch] | None:
    """The colours painted by paths (fills and strokes) on one page of a PDF figure, with the
    share of the page each covers. Text, images and shadings are not counted. None when the
    file cannot be read or is too large."""
    from papertrack.parse.images import pdf_page

    try:
        with pdf_page(path, page) as found:
            if found is None:
                return None
            pg, area = found.page, found.width * found.height
            contents = pg.get_contents()
            if contents is None or area <= 0:
                return []
            painter = _Painter(found.reader)
            res = pg.get("/Resources")
            painter.run(contents, res.get_object() if res is not None else {}, IDENTITY, 0)
    except Exception:
        return None
    return sorted((Swatch(k, v / area) for k, v in painter.ink.items()), key=lambda s: -s.ink)


def _opaque(im) -> bool:
    """A mode without transparency whose conversion to RGB is that of RGBA over white."""
    if im.mode in ("RGB", "L"):
        return True
    palette = getattr(im, "palette", None)
    return (
        im.mode == "P"
        and "transparency" not in im.info
        and palette is not None
        and palette.mode == "RGB"
    )


def _sample(im, nearest):
    """The image sampled down to SAMPLE_PX on its long side (nearest neighbour), if larger."""
    w, h = im.size
    f = max(w, h) / SAMPLE_PX
    if f > 1:
        return im.resize((max(1, round(w / f)), max(1, round(h / f))), nearest)
    return im


def raster_colours(path: Path) -> list[Swatch] | None:
    """The colours of a flat bitmap (a plot or diagram) with the share of pixels of each; None
    for a photograph or a colour map (no few colours cover it), an unreadable file, or one too
    large to decode quickly."""
    try:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                if im.size[0] * im.size[1] > MAX_PIXELS:
                    return None
                im.draft("RGB", (SAMPLE_PX, SAMPLE_PX))  # JPEG: decode at a reduced size
                # nearest-neighbour sampling picks the same pixels in any mode: RGB, grey,
                # plain palette and RGBA images are sampled first and only the sample converted
                if im.mode != "RGBA" and not _opaque(im):
                    im = im.convert("RGBA")
                im = _sample(im, Image.NEAREST)
                if im.mode == "RGBA" and im.getchannel("A").getextrema() != (255, 255):
                    flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
                    flat.alpha_composite(im)
                    im = flat
                rgb = im.convert("RGB")  # opaque pixels over white are themselves
                colours = rgb.getcolors(maxcolors=rgb.size[0] * rgb.size[1])
    except Exception:
        return None
    if not colours:
        return None
    bins: dict[tuple[int, int, int], list[int]] = {}
    for n, (r, g, b) in colours:
        k = (r >> 3, g >> 3, b >> 3)  # 32 levels per channel: JPEG noise and dithering merge
        acc = bins.setdefault(k, [0, 0, 0, 0])
        acc[0] += n
        acc[1] += n * r
        acc[2] += n * g
        acc[3] += n * b
    total = sum(v[0] for v in bins.values())
    top = sorted(bins.values(), key=lambda v: -v[0])[:FLAT_BINS]
    if sum(v[0] for v in top) < FLAT_SHARE * total:
        return None
    # each bin's mean colour: the exact colour of a flat area
    return [Swatch((r / n / 255, g / n / 255, b / n / 255), n / total) for n, r, g, b in top]
