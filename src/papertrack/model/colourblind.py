"""Series colours of a figure and the pairs a colour-blind reader cannot tell apart."""

from __future__ import annotations

import math
from dataclasses import dataclass

from papertrack.parse.colours import Swatch

# A series colour is chromatic: greys, black and white (CIE LCh chroma near 0) carry axes,
# grids and text, not data series.
MIN_CHROMA = 15.0
# ...and paints a real part of the figure (a line across the plot, a bar, an area), not a
# legend marker or a highlight: 0.1% of the figure's area (a 1 bp line across 300 bp of a
# 460 x 345 bp plot is 0.2%).
MIN_INK = 0.001
# Colours closer than this are one series drawn in shades (anti-aliasing, translucency).
SAME_SERIES_DE = 5.0
# More colours than a categorical palette holds (matplotlib's tab10/tab20, ColorBrewer's 12):
# a colour map or a photograph, whose neighbouring colours are meant to blend.
MAX_SERIES = 12
# Clearly distinct for normal vision: CIEDE2000 of 20 is many times the ~1 just-noticeable
# difference (CIE 142-2001) and above the ~10 that Szafir (IEEE TVCG 2018, "Modeling Color
# Difference for Visualization Design") measured as needed to tell thin lines and small points
# apart.
DISTINCT_DE = 20.0
# Near-identical under the simulation: below 5, the lower end of the differences Stone, Szafir
# and Setlur (2014, "An Engineering Model for Color Difference as a Function of Size") found
# viewers need for small marks; two lines this close read as one colour.
COLLAPSED_DE = 5.0
DEFICIENCIES = (("deutan", "deuteranopia"), ("protan", "protanopia"))


@dataclass(frozen=True)
class Confusion:
    """Two series colours, their difference for normal vision and under a simulated deficiency."""

    a: Swatch
    b: Swatch
    normal: float
    simulated: float
    deficiency: str


# The colour maths below is CIE's, written out so that a check does not import coloraide (its
# import costs ~80-100 ms CPU, about a fifth of a cold check). Constants and the order of every
# operation follow coloraide 8 (sRGB -> linear sRGB -> XYZ D65 -> CIE Lab D65), so the numbers
# are the same to the last bit: tests/test_figures_colours.py compares them with coloraide's.
_RGB_TO_XYZ = (
    (0.4123907992659593, 0.357584339383878, 0.1804807884018343),
    (0.21263900587151024, 0.715168678767756, 0.07219231536073371),
    (0.01933081871559182, 0.11919477979462598, 0.9505321522496607),
)
# D65 as CSS and coloraide give it, x = 0.31270, y = 0.32900, scaled to Y = 1
_WHITE = (0.31270 * 1.0 / 0.32900, 1.0, (1.0 - 0.31270 - 0.32900) * 1.0 / 0.32900)
_EPSILON = 216 / 24389
_KAPPA = 24389 / 27
_G_CONST = 25**7
# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear sRGB
_MACHADO = {
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}

Lab = tuple[float, float, float]
Vec = tuple[float, float, float]


def _cbrt(x: float) -> float:
    return 0.0 if x == 0 else math.copysign(abs(x) ** (3**-1), x)


def _linear(rgb: Vec) -> Vec:
    """sRGB's transfer function undone (IEC 61966-2-1), sign kept for out-of-gamut values."""
    out = []
    for i in rgb:
        a = abs(i)
        out.append(math.copysign(((a + 0.055) / 1.055) ** 2.4, i) if a > 0.04045 else i / 12.92)
    return (out[0], out[1], out[2])


def _mul(m: tuple[Vec, Vec, Vec], v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _lab(linear: Vec) -> Lab:
    """CIE Lab (D65 white) of a linear sRGB colour."""
    xyz = _mul(_RGB_TO_XYZ, linear)
    fx, fy, fz = (
        _cbrt(i) if i > _EPSILON else (_KAPPA * i + 16) / 116
        for i in (xyz[0] / _WHITE[0], xyz[1] / _WHITE[1], xyz[2] / _WHITE[2])
    )
    return ((116.0 * fy) - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))


def _chroma(lab: Lab) -> float:
    return math.sqrt(lab[1] ** 2 + lab[2] ** 2)


def delta_e_2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 (kL = kC = kH = 1), following Sharma, Wu and Dalal's notes equation by equation."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1 = math.sqrt(a1**2 + b1**2)
    c2 = math.sqrt(a2**2 + b2**2)
    cm = (c1 + c2) / 2
    c7 = cm**7
    g = 0.5 * (1 - math.sqrt(c7 / (c7 + _G_CONST)))
    ap1 = (1 + g) * a1
    ap2 = (1 + g) * a2
    cp1 = math.sqrt(ap1**2 + b1**2)
    cp2 = math.sqrt(ap2**2 + b2**2)
    hp1 = 0 if (ap1 == 0 and b1 == 0) else math.atan2(b1, ap1)
    hp2 = 0 if (ap2 == 0 and b2 == 0) else math.atan2(b2, ap2)
    hp1 = math.degrees(hp1 + math.tau if hp1 < 0.0 else hp1)
    hp2 = math.degrees(hp2 + math.tau if hp2 < 0.0 else hp2)
    dl = l1 - l2
    dc = cp1 - cp2
    hdiff = hp1 - hp2
    if cp1 * cp2 == 0.0:
        dh = 0.0
    elif abs(hdiff) <= 180.0:
        dh = hdiff
    else:
        dh = hdiff + (-360 if hdiff > 180.0 else 360)
    dh = 2 * math.sqrt(cp2 * cp1) * math.sin(math.radians(dh / 2))
    lpm = (l1 + l2) / 2
    cpm = (cp1 + cp2) / 2
    hsum = hp1 + hp2
    if cp1 * cp2 == 0:
        hpm = hsum
    elif abs(hp1 - hp2) > 180:
        hpm = (hsum + (360 if hsum < 360 else -360)) / 2
    else:
        hpm = hsum / 2
    t = (
        1
        - (0.17 * math.cos(math.radians(hpm - 30)))
        + (0.24 * math.cos(math.radians(2 * hpm)))
        + (0.32 * math.cos(math.radians((3 * hpm) + 6)))
        - (0.20 * math.cos(math.radians((4 * hpm) - 63)))
    )
    dt = 30 * math.exp(-1 * ((hpm - 275) / 25) ** 2)
    cpm7 = cpm**7
    rc = 2 * math.sqrt(cpm7 / (cpm7 + _G_CONST))
    l_temp = (lpm - 50) ** 2
    sl = 1 + ((0.015 * l_temp) / math.sqrt(20 + l_temp))
    sc = 1 + 0.045 * cpm
    sh = 1 + 0.015 * cpm * t
    rt = -1 * math.sin(math.radians(2 * dt)) * rc
    return math.sqrt(
        (dl / (1 * sl)) ** 2
        + (dc / (1 * sc)) ** 2
        + (dh / (1 * sh)) ** 2
        + rt * (dc / (1 * sc)) * (dh / (1 * sh))
    )


def simulated_lab(rgb: Vec, deficiency: str) -> Lab:
    """Lab of an sRGB colour as a reader with the deficiency ('deutan', 'protan') sees it."""
    return _lab(_mul(_MACHADO[deficiency], _linear(rgb)))


def lab(rgb: Vec) -> Lab:
    """CIE Lab (D65) of an sRGB colour (components 0-1)."""
    return _lab(_linear(rgb))


def series_colours(swatches: list[Swatch]) -> list[Swatch] | None:
    """The chromatic colours that paint a real share of the figure, shades merged; None when
    there are more than a categorical palette holds."""
    chromatic = [s for s in swatches if s.ink >= MIN_INK / 4]
    if not chromatic:
        return []
    merged: list[tuple[Lab, Swatch]] = []
    painted = 0
    for s in sorted(chromatic, key=lambda s: -s.ink):
        c = lab(s.rgb)
        if _chroma(c) < MIN_CHROMA:
            continue
        painted += s.ink >= MIN_INK
        if painted > MAX_SERIES:
            return None  # a colour map: counted before shades merge, a ramp merges into a few
        for i, (mc, ms) in enumerate(merged):
            if delta_e_2000(c, mc) < SAME_SERIES_DE:
                merged[i] = (mc, Swatch(ms.rgb, ms.ink + s.ink))
                break
        else:
            merged.append((c, s))
    series = [s for _c, s in merged if s.ink >= MIN_INK]
    return None if len(series) > MAX_SERIES else series


def confusions(series: list[Swatch]) -> list[Confusion]:
    """Pairs of series colours clearly distinct for normal vision that collapse under
    simulated deuteranopia or protanopia (Machado, Oliveira and Fernandes 2009, severity 1)."""
    out: list[Confusion] = []
    colors = [lab(s.rgb) for s in series]
    sims = {key: [simulated_lab(s.rgb, key) for s in series] for key, _n in DEFICIENCIES}
    for i in range(len(series)):
        for j in range(i + 1, len(series)):
            normal = delta_e_2000(colors[i], colors[j])
            if normal < DISTINCT_DE:
                continue
            worst = None
            for key, name in DEFICIENCIES:
                d = delta_e_2000(sims[key][i], sims[key][j])
                if d < COLLAPSED_DE and (worst is None or d < worst[0]):
                    worst = (d, name)
            if worst:
                out.append(Confusion(series[i], series[j], normal, worst[0], worst[1]))
    # the most striking first: the pair that differs most for normal vision and least in
    # simulation (saturated line colours before the pale bands drawn around them)
    return sorted(out, key=lambda c: c.simulated - c.normal)
