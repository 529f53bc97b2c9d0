"""Where the build printed each label's target and each link to it (hyperref's PDF links)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from papertrack.project.braces import group_end

_NEWLABEL = re.compile(r"\\newlabel\{([^{}]+)\}\{")
MAX_AUX_BYTES = 8 * 1024 * 1024
MAX_AUX_FILES = 200
MAX_PAGES = 2000


def aux_texts(out_dir: Path) -> Iterator[str]:
    """The text of every .aux file the build wrote (\\include makes one per chapter)."""
    try:
        files = sorted(out_dir.rglob("*.aux"))[:MAX_AUX_FILES]
    except OSError:
        return
    for aux in files:
        try:
            if aux.stat().st_size > MAX_AUX_BYTES:
                continue
            yield aux.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue


def newlabels(out_dir: Path) -> dict[str, list[str]]:
    """Each label's \\newlabel fields from every .aux of the build, read as balanced groups:
    `\\newlabel{fig:a}{{3}{5}{caption}{figure.caption.7}{}}` gives number, page, title,
    hyperref anchor (the last two only with hyperref); the number may nest braces (memoir's
    `{\\M@TitleReference {2.1}{Title \\cite {x}}}`)."""
    out: dict[str, list[str]] = {}
    for text in aux_texts(out_dir):
        for m in _NEWLABEL.finditer(text):
            out.setdefault(m.group(1), _groups(text, m.end()))
    return out


_INPUT = re.compile(r"\\@input\{([^{}]+)\}")


def newlabels_in_order(out_dir: Path) -> list[tuple[str, list[str]]]:
    """Every \\newlabel with its fields in the order TeX shipped the pages out: a label is
    written when its page is, and an \\include's .aux is read where main.aux says
    \\@input{ch.aux}. Each .aux whose name no other .aux inputs starts a walk, in name order."""
    texts: dict[str, str] = {}
    try:
        files = sorted(out_dir.rglob("*.aux"))[:MAX_AUX_FILES]
    except OSError:
        return []
    for aux in files:
        try:
            if aux.stat().st_size <= MAX_AUX_BYTES:
                texts[aux.relative_to(out_dir).as_posix()] = aux.read_text(
                    encoding="utf-8", errors="replace"
                )
        except OSError:
            continue
    inputs = {m.group(1).strip() for t in texts.values() for m in _INPUT.finditer(t)}
    out: list[tuple[str, list[str]]] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen or name not in texts:
            return
        seen.add(name)
        text = texts[name]
        events = [(m.start(), "l", m) for m in _NEWLABEL.finditer(text)]
        events += [(m.start(), "i", m) for m in _INPUT.finditer(text)]
        for _pos, kind, m in sorted(events, key=lambda e: e[0]):
            if kind == "l":
                out.append((m.group(1), _groups(text, m.end())))
            else:
                walk(m.group(1).strip())

    for name in sorted(texts):
        if name not in inputs:
            walk(name)
    return out


def label_anchors(out_dir: Path) -> dict[str, str]:
    """Each label's hyperref anchor (the 4th field of \\newlabel); none without hyperref."""
    return {
        name: fields[3].strip()
        for name, fields in newlabels(out_dir).items()
        if len(fields) >= 4 and fields[3].strip()
    }


def _groups(text: str, pos: int) -> list[str]:
    """The {..} groups inside the group that opens just before pos."""
    out: list[str] = []
    while pos < len(text) and text[pos] == "{":
        end = group_end(text, pos)
        if end is None:
            break
        out.append(text[pos + 1 : end - 1])
        pos = end
    return out


@dataclass
class PdfLinks:
    """Named destinations and internal links of one PDF, physical pages counted from 1."""

    dest_page: dict[str, int] = field(default_factory=dict)
    dest_xy: dict[str, tuple[float, float]] = field(default_factory=dict)  # left, top (bp)
    link_pages: dict[str, list[int]] = field(default_factory=dict)  # every link, page repeated
    links: int = 0


def _name(value) -> str | None:
    """A named destination as text (pypdf gives str, bytes or a wrapped string)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str):
        return str(value)
    return None  # an explicit [page /XYZ ...] array: not a label's anchor


def pdf_links(pdf: Path) -> PdfLinks:
    """Every GoTo link to a named destination and every destination's page, read with pypdf."""
    import pypdf

    out = PdfLinks()
    try:
        reader = pypdf.PdfReader(str(pdf))
        pages = reader.pages
        n = min(len(pages), MAX_PAGES)
        for name, dest in reader.named_destinations.items():
            try:
                page = reader.get_destination_page_number(dest)
            except Exception:
                continue
            if page is not None and 0 <= page < n:
                out.dest_page[str(name)] = page + 1
                left, top = dest.get("/Left"), dest.get("/Top")
                if isinstance(left, (int, float)) and isinstance(top, (int, float)):
                    out.dest_xy[str(name)] = (float(left), float(top))
        for i in range(n):
            for annot in pages[i].get("/Annots") or []:
                a = annot.get_object()
                if a.get("/Subtype") != "/Link":
                    continue
                action = a.get("/A")
                target = a.get("/Dest")
                if action is not None:
                    action = action.get_object()
                    target = action.get("/D") if action.get("/S") == "/GoTo" else None
                name = _name(target)
                if name:
                    out.link_pages.setdefault(name, []).append(i + 1)
                    out.links += 1
    except Exception:
        return PdfLinks()  # a PDF pypdf cannot read: no placement facts, never a crash
    return out
