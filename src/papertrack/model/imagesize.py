"""An image file's natural size in pt, read from its header, and finding the file TeX would use."""

from __future__ import annotations

import re
import struct
from pathlib import Path


def image_size(path: Path) -> tuple[float, float] | None:
    """Natural (width, height) in pt of a PDF, PNG or JPEG, read from its header."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    if head.startswith(b"\x89PNG") and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        dpi = 72.0
        i = head.find(b"pHYs")
        if i > 0 and len(head) >= i + 13:
            px, _py, unit = struct.unpack(">IIB", head[i + 4 : i + 13])
            if unit == 1 and px > 0:
                dpi = px * 0.0254
        return w * 72.27 / dpi, h * 72.27 / dpi
    if head.startswith(b"\xff\xd8"):
        i, dpi = 2, 72.0
        if head[6:11] == b"JFIF\x00" and head[13] == 1:
            dpi = float(struct.unpack(">H", head[14:16])[0]) or 72.0
        while i + 9 < len(head):
            if head[i] != 0xFF:
                i += 1
                continue
            marker = head[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3):
                h, w = struct.unpack(">HH", head[i + 5 : i + 9])
                return w * 72.27 / dpi, h * 72.27 / dpi
            length = struct.unpack(">H", head[i + 2 : i + 4])[0]
            i += 2 + length
        return None
    if head.startswith(b"%PDF"):
        try:
            data = path.read_bytes()[:2_000_000]
        except OSError:
            return None
        for key in (rb"/CropBox\s*\[([^\]]*)\]", rb"/MediaBox\s*\[([^\]]*)\]"):
            m = re.search(key, data)
            if m:
                try:
                    x0, y0, x1, y1 = (float(v) for v in m.group(1).split()[:4])
                except ValueError:
                    continue
                if x1 - x0 > 0 and y1 - y0 > 0:
                    return (x1 - x0) * 1.00375, (y1 - y0) * 1.00375
    return None


def find_image(folder: Path, name: str, gpaths: list[str], base: str) -> Path | None:
    name = name.strip()
    cands = []
    for d in ["", *gpaths, base]:
        stem = folder / d / name
        cands.append(stem)
        cands.extend(stem.with_name(stem.name + ext) for ext in (".pdf", ".png", ".jpg", ".jpeg"))
    for c in cands:
        try:
            if c.is_file():
                return c
        except OSError:
            continue
    return None
