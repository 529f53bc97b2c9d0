"""On which physical page of the build's PDF each figure was printed (from TeX's .aux)."""

from __future__ import annotations

import re
from pathlib import Path

from papertrack.model.document import Document
from papertrack.model.items import Float
from papertrack.model.refpages import aux_texts

# \newlabel{fig:a}{{3}{5}{caption}{figure.caption.7}{}}: number, then the page (\thepage);
# the number may hold one level of braces ({\relax 3}, {A.1}).
_NEWLABEL = re.compile(r"\\newlabel\{([^{}]+)\}\{\{(?:[^{}]|\{[^{}]*\})*\}\{([^{}]*)\}")


def label_folios(out_dir: Path) -> dict[str, str]:
    """Each label's page as printed (\\thepage), from every .aux the build wrote."""
    out: dict[str, str] = {}
    for text in aux_texts(out_dir):
        for m in _NEWLABEL.finditer(text):
            out.setdefault(m.group(1), m.group(2).strip())
    return out


def figure_pages(doc: Document) -> list[tuple[Float, int]]:
    """Each labelled figure of a compiled document with the physical PDF page it is printed on
    (1-based, as pdftoppm -f/-l count). Figures whose page is unknown are left out."""
    build = getattr(doc, "compile", None)
    out_dir = getattr(build, "out_dir", None)
    if out_dir is None:
        return []
    folios = label_folios(Path(out_dir))
    probe = getattr(build, "probe", None)
    # the probe records each physical page's folio (the page counter). Roman front matter
    # reuses 1, 2, ...: an arabic label's page is the last physical page with that counter
    physical: dict[int, int] = {}
    for page, geom in sorted((getattr(probe, "pages", None) or {}).items()):
        physical[geom.folio] = page
    out = []
    for fl in doc.floats:
        if fl.kind != "figure" and not fl.env.rstrip("*").endswith("figure"):
            continue
        folio = next((folios[lb] for lb in fl.all_labels if lb in folios), None)
        if folio is None or not folio.isdigit():
            continue
        n = int(folio)
        page = physical.get(n) if physical else n
        if page is not None:
            out.append((fl, page))
    return out
