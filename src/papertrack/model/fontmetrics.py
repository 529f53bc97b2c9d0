"""How wide a word of English prose is in a text font: TeX's own .tfm metrics, or a measured table."""

from __future__ import annotations

import functools
import struct
from pathlib import Path

# Average width of a word plus its interword space, in em of the font size: 260 words of
# scientific English set in an \hbox by pdfLaTeX (TeX Live 2022), natural width / words / size.
# Used when TeX is not installed; with TeX the .tfm files give the same figure.
MEASURED_EM = {
    "cm": 2.454,
    "lmodern": 2.454,
    "times": 2.210,
    "palatino": 2.448,
    "libertine": 2.270,
    "charter": 2.427,
    "utopia": 2.487,
    "fourier": 2.287,
    "bookman": 2.731,
    "helvet": 2.450,
    "garamond": 2.082,
    "crimson": 2.138,
    "cochineal": 2.170,
    "newcent": 2.564,
    "stix2": 2.331,
    "noto": 2.640,
    "baskerville": 2.308,
    "erewhon": 2.334,
}
TFM_NAMES = {
    "cm": "cmr10",
    "lmodern": "rm-lmr10",
    "times": "ptmr7t",
    "palatino": "pplr7t",
    "libertine": "LinLibertineT-tlf-ot1",
    "charter": "bchr7t",
    "utopia": "putr7t",
    "fourier": "futr8t",
    "bookman": "pbkl7t",
    "helvet": "phvr7t",
    "garamond": "EBGaramond-Regular-osf-ot1",
    "crimson": "Crimson-Roman-tlf-ot1",
    "cochineal": "Cochineal-Roman-tlf-t1",
    "newcent": "pncr7t",
    "stix2": "t1-stix2text",
    "noto": "NotoSerif-Regular-tlf-ot1",
    "baskerville": "BaskervilleF-Regular-tlf-t1",
    "erewhon": "Erewhon-Regular-tlf-t1",
}
# Letter counts of the same 260 words (1445 characters with the spaces): the prose the table
# above was measured on, so that .tfm widths and the table agree.
SAMPLE_COUNTS = {
    "e": 151, "t": 131, "a": 98, "s": 81, "o": 80, "h": 77, "n": 72, "i": 72, "r": 62, "c": 47,
    "d": 44, "l": 34, "p": 31, "m": 30, "u": 29, "w": 28, "f": 28, "g": 24, "y": 16, ",": 13,
    "b": 10, ".": 8, "k": 5, "x": 4, "v": 3, "W": 2, "T": 2, "O": 1, "I": 1, "R": 1, "F": 1,
}  # fmt: skip
SAMPLE_WORDS = 260


def tfm_widths(path: Path) -> tuple[dict[int, float], float] | None:
    """Character widths and the interword space of a .tfm file, in em (design size units)."""
    try:
        data = path.read_bytes()
        lf, lh, bc, ec, nw = struct.unpack(">5H", data[:10])
        np_ = struct.unpack(">H", data[22:24])[0]
    except (OSError, struct.error):
        return None
    if lf * 4 > len(data) or ec < bc:
        return None
    char_info = 24 + lh * 4
    width_base = char_info + (ec - bc + 1) * 4
    widths_fix = [
        struct.unpack(">i", data[width_base + 4 * i : width_base + 4 * i + 4])[0] / 2**20
        for i in range(nw)
    ]
    out = {}
    for c in range(bc, ec + 1):
        wi = data[char_info + 4 * (c - bc)]
        if wi:
            out[c] = widths_fix[wi]
    param_base = 4 * lf - 4 * np_
    space = 0.333
    if np_ >= 2:
        space = struct.unpack(">i", data[param_base + 4 : param_base + 8])[0] / 2**20
    return out, space


def _kpsewhich(name: str) -> Path | None:
    from papertrack.project.texdist import locate

    out = locate(name)
    return Path(out) if out else None


@functools.lru_cache(maxsize=64)
def tfm_word_em(font: str) -> float | None:
    """Average word + space width in em from the font's .tfm (None without TeX or the font)."""
    name = TFM_NAMES.get(font)
    path = _kpsewhich(name + ".tfm") if name else None
    got = tfm_widths(path) if path else None
    if got is None:
        return None
    widths, space = got
    total = sum(widths.get(ord(ch), 0.5) * n for ch, n in SAMPLE_COUNTS.items())
    return (total + space * (SAMPLE_WORDS - 1)) / SAMPLE_WORDS


def tfm_files() -> list[str]:
    """The .tfm files tfm_word_em may look up, one per text font it knows."""
    return [n + ".tfm" for n in TFM_NAMES.values()]


def word_width_em(font: str) -> float:
    """Average width of a word with its space, in em: from the .tfm if TeX has it, else measured."""
    got = tfm_word_em(font)
    if got is not None:
        return got
    return MEASURED_EM.get(font, MEASURED_EM["cm"])
