"""On which physical page of the build's PDF each figure was printed (from TeX's .aux)."""

from __future__ import annotations

from pathlib import Path

from papertrack.facts import Float
from papertrack.model.document import Document
from papertrack.model.refpages import newlabels, newlabels_in_order


def label_folios(out_dir: Path) -> dict[str, str]:
    """Each label's page as printed (\\thepage, the 2nd field of \\newlabel)."""
    return {name: f[1].strip() for name, f in newlabels(out_dir).items() if len(f) >= 2}


def label_pages(out_dir: Path, folios: dict[int, int]) -> dict[str, int]:
    """Each label's physical page, from its folio and the folio of each physical page.

    A folio can name several pages: roman front matter reuses 1, 2, ..., and a supplement may
    restart at 1 (journal-sherlock-draft2018: Figure 1 on page 3 and supplement page 3 both
    print '3'). The .aux lists labels in the order their pages were shipped out, so the labels
    are taken last to first and each gets the latest page with its folio that is not after
    the next label's page.
    """
    pages_of: dict[int, list[int]] = {}
    for page, folio in sorted(folios.items()):
        pages_of.setdefault(folio, []).append(page)
    out: dict[str, int] = {}
    following = float("inf")
    for name, fields in reversed(newlabels_in_order(out_dir)):
        folio = fields[1].strip() if len(fields) >= 2 else ""
        pages = pages_of.get(int(folio)) if folio.isdigit() else None
        if not pages:
            continue  # a roman page (not told apart by the probe) or a page the probe missed
        fit = [p for p in pages if p <= following]
        page = fit[-1] if fit else pages[-1]
        out[name] = page  # walking backwards: the first definition, as label_folios, wins
        following = page
    return out


def figure_pages(doc: Document) -> list[tuple[Float, int]]:
    """Each labelled figure of a compiled document with the physical PDF page it is printed on
    (1-based, as pdftoppm -f/-l count). Figures whose page is unknown are left out."""
    build = getattr(doc, "compile", None)
    out_dir = getattr(build, "out_dir", None)
    if out_dir is None:
        return []
    probe = getattr(build, "probe", None)
    # the probe records each physical page's folio (the page counter)
    folios = {page: geom.folio for page, geom in (getattr(probe, "pages", None) or {}).items()}
    if folios:
        where = label_pages(Path(out_dir), folios)
    else:  # no probe: the folio is the page
        where = {lb: int(f) for lb, f in label_folios(Path(out_dir)).items() if f.strip().isdigit()}
    out = []
    for fl in doc.floats:
        if fl.kind != "figure" and not fl.env.rstrip("*").endswith("figure"):
            continue
        page = next((where[lb] for lb in fl.all_labels if lb in where), None)
        if page is not None:
            out.append((fl, page))
    return out
