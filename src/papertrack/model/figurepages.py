"""On which physical page of the build's PDF each figure was printed (from TeX's .aux)."""

from __future__ import annotations

from pathlib import Path

from papertrack.facts import Float
from papertrack.model.document import Document
from papertrack.model.refpages import newlabels


def label_folios(out_dir: Path) -> dict[str, str]:
    """Each label's page as printed (\\thepage, the 2nd field of \\newlabel)."""
    return {name: f[1].strip() for name, f in newlabels(out_dir).items() if len(f) >= 2}


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
