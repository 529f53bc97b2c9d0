"""Series colours of a figure and the pairs a colour-blind reader cannot tell apart."""

from __future__ import annotations

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


def _color(s: Swatch):
    from coloraide import Color

    return Color("srgb", list(s.rgb))


def series_colours(swatches: list[Swatch]) -> list[Swatch] | None:
    """The chromatic colours that paint a real share of the figure, shades merged; None when
    there are more than a categorical palette holds."""
    chromatic = [s for s in swatches if s.ink >= MIN_INK / 4]
    if not chromatic:
        return []
    from coloraide import Color

    merged: list[tuple[object, Swatch]] = []
    painted = 0
    for s in sorted(chromatic, key=lambda s: -s.ink):
        c = Color("srgb", list(s.rgb))
        if c.convert("lch-d65")["chroma"] < MIN_CHROMA:
            continue
        painted += s.ink >= MIN_INK
        if painted > MAX_SERIES:
            return None  # a colour map: counted before shades merge, a ramp merges into a few
        for i, (mc, ms) in enumerate(merged):
            if c.delta_e(mc, method="2000") < SAME_SERIES_DE:
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
    colors = [_color(s) for s in series]
    sims = {
        key: [c.clone().filter(key, method="machado") for c in colors] for key, _n in DEFICIENCIES
    }
    for i in range(len(series)):
        for j in range(i + 1, len(series)):
            normal = colors[i].delta_e(colors[j], method="2000")
            if normal < DISTINCT_DE:
                continue
            worst = None
            for key, name in DEFICIENCIES:
                d = sims[key][i].delta_e(sims[key][j], method="2000")
                if d < COLLAPSED_DE and (worst is None or d < worst[0]):
                    worst = (d, name)
            if worst:
                out.append(Confusion(series[i], series[j], normal, worst[0], worst[1]))
    # the most striking first: the pair that differs most for normal vision and least in
    # simulation (saturated line colours before the pale bands drawn around them)
    return sorted(out, key=lambda c: c.simulated - c.normal)
