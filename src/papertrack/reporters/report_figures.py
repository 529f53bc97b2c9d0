"""The report's figures section: each figure as printed (a thumbnail) beside its findings."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.facts import Float
from papertrack.findings import Finding
from papertrack.reporters.escape import html_text

MAX_FIGURES = 60  # a thesis with hundreds of figures gets the first 60; the rest are counted


@dataclass
class FigureView:
    """One figure of the paper: where it is printed, a PNG of it, and its findings."""

    float: Float
    page: int | None
    png: bytes | None = None
    cropped: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        # not file:line, which the location beside the name repeats: '**main.tex:536**
        # (`main.tex:536`, page unknown (no label))'
        return self.float.labels[0] if self.float.labels else "unlabelled figure"

    @property
    def caption(self) -> str:
        text = " ".join(self.float.captions[0].split()) if self.float.captions else ""
        return text[:160] + ("…" if len(text) > 160 else "")


def _findings_of(result, figures: list[Float]) -> dict[int, list[Finding]]:
    """Findings at a figure's own place or at a graphic it includes."""
    from papertrack.rules.figures import _float_of

    doc = result.document
    at: dict[tuple[str, int, int], int] = {}
    for i, fl in enumerate(figures):
        at[(fl.file, fl.line, fl.col)] = i
    index = {id(fl): i for i, fl in enumerate(figures)}
    for g in doc.graphics:
        fl = _float_of(doc, g)
        if fl is not None and id(fl) in index:
            at[(g.file, g.line, g.col)] = index[id(fl)]
    out: dict[int, list[Finding]] = {}
    for f in result.findings:
        loc = f.location
        i = at.get((loc.file, loc.line, loc.col)) if loc is not None else None
        if i is not None:
            out.setdefault(i, []).append(f)
    return out


def views(result, images: bool = True) -> tuple[list[FigureView], str]:
    """The figures in document order with their thumbnails, and a note for the reader (why
    there are no pictures, or how many figures were left out)."""
    from papertrack.model.figurepages import figure_pages
    from papertrack.model.refpages import label_anchors, pdf_links
    from papertrack.pages import thumbnails
    from papertrack.rules.figure_colours import _is_figure

    doc = result.document
    figures = [fl for fl in doc.floats if _is_figure(fl)]
    found = _findings_of(result, figures)
    build = getattr(doc, "compile", None)
    pdf = getattr(build, "pdf", None)
    built = build is not None and pdf is not None  # set only when this build wrote the PDF
    pages = {id(fl): page for fl, page in figure_pages(doc)} if built else {}
    out = [
        FigureView(fl, pages.get(id(fl)), findings=found.get(i, [])) for i, fl in enumerate(figures)
    ]
    note = ""
    if build is None:
        note = "No build of the paper (not compiled): figures are listed without pictures."
    elif not built:
        note = "The build wrote no PDF: figures are listed without pictures."
    if built and images:
        anchors = label_anchors(Path(build.out_dir))
        probe = getattr(build, "probe", None)
        links = pdf_links(Path(pdf))

        def anchor_of(fl: Float) -> tuple[float, float] | None:
            names = [anchors.get(lb) for lb in fl.labels]
            return next((links.dest_xy[n] for n in names if n in links.dest_xy), None)

        for v in out[:MAX_FIGURES]:
            if v.page is None:
                continue
            boxes, size = thumbnails.placed_images(Path(pdf), v.page)
            here = anchor_of(v.float)
            others = [anchor_of(o.float) for o in out if o.page == v.page and o is not v]
            if here is None and not others and boxes:
                # no hyperref anchor, but the only figure of its page: its graphics are the page's
                here = (min(b[0] for b in boxes), max(b[3] for b in boxes))
            box = thumbnails.figure_box(boxes, here, [a for a in others if a and a != here])
            if box is not None and probe is not None:
                box = thumbnails.widen(box, thumbnails.column_span(probe.geometry_for(v.page), box))
            v.png = thumbnails.render(Path(pdf), v.page, box, size)
            v.cropped = box is not None and v.png is not None
    if len(out) > MAX_FIGURES:
        note = (note + " " if note else "") + f"Pictures of the first {MAX_FIGURES} figures only."
    return out, note


def _where(v: FigureView) -> str:
    return f"{v.float.file}:{v.float.line}, {_page(v)}"


def _page(v: FigureView) -> str:
    """The page of the PDF the figure is on, and whether its picture is the whole page."""
    page = f"page {v.page} of the PDF" if v.page else "page unknown"
    shot = "" if v.png is None else ("" if v.cropped else " (whole page: figure not located)")
    return page + shot


def html_section(result) -> str:
    """The section as HTML: thumbnails embedded as data: URIs, so the report stays one file."""
    figures, note = views(result)
    h = html_text
    parts = [f"<p>{h(note)}</p>"] if note else []
    if not figures:
        return "".join(parts) + "<p>No figures.</p>"
    for v in figures:
        img = (
            f'<img alt="{h(v.name)} as printed" src="data:image/png;base64,'
            f'{base64.b64encode(v.png).decode()}">'
            if v.png
            else ""
        )
        items = "".join(
            f"<li><b>{h(f.severity.name.lower())}</b> {h(f.code)}: {h(f.message)}</li>"
            for f in v.findings
        )
        parts.append(
            '<div class="figshot">'
            f'{img}<div><b>{h(v.name)}</b> <span class="muted">{h(_where(v))}</span>'
            f"<div>{h(v.caption)}</div>"
            + (f"<ul>{items}</ul>" if items else "<p>No findings.</p>")
            + "</div></div>"
        )
    style = (
        "<style>.figshot{display:flex;gap:1rem;align-items:flex-start;margin:.75rem 0}"
        ".figshot img{max-width:320px;border:1px solid var(--line)}</style>"
    )
    return style + "".join(parts)


def md_section(result, image_dir: Path | None = None) -> str:
    """The section as Markdown; thumbnails are written as PNG files to image_dir (by default
    papertrack's cache folder, never the paper's) and linked by absolute path."""
    from papertrack.reporters.mdtext import code, md

    figures, note = views(result)
    lines = [md(note), ""] if note else []
    if not figures:
        return "\n".join([*lines, "No figures."])
    if image_dir is None:
        from papertrack.paths import cache_dir

        image_dir = cache_dir() / "figures"
    for v in figures:
        # only file:line is code: the page note in the span read as a file name
        at = f"{code(f'{v.float.file}:{v.float.line}')}, {md(_page(v))}"
        lines.append(f"- **{md(v.name)}** ({at}): {md(v.caption) or 'no caption'}")
        if v.png:
            digest = hashlib.sha256(v.png).hexdigest()[:16]
            path = image_dir / f"{digest}.png"
            try:
                image_dir.mkdir(parents=True, exist_ok=True)
                path.write_bytes(v.png)
                lines.append(f"  ![{md(v.name)} as printed]({path.resolve().as_uri()})")
            except OSError:
                pass
        for f in v.findings:
            lines.append(f"  - {f.severity.name.lower()} {f.code}: {md(f.message)}")
    return "\n".join(lines)
