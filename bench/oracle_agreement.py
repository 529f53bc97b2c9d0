"""Agreement of papertrack's static reading (no compile) with what TeX did, per paper and field.

TeX's facts: ../shared/wild/ORACLE.json (made by wild/tools/oracle.py) for the 30 wild papers,
tests/data/oracle_corpus.json (the same script run on the 9 corpus papers; only key and label
names and counts are kept) for the corpus. tests/test_oracle_static.py asserts on the same
comparison; this script prints the table:

    python bench/oracle_agreement.py            # table + disagreements
    python bench/oracle_agreement.py --brief    # table only

Fields (papertrack's side is what `check --no-compile` reports):
  root       the root file papertrack detects is the one TeX was run on
  undef-ref  keys of PT101 findings  vs  TeX's "Reference `x' undefined"
  undef-cite keys of PT201 findings  vs  TeX's "Citation `x' undefined"
  dup-label  labels of PT102         vs  TeX's "Label `x' multiply defined" (TeX gives only a count)
  uncited    keys of PT202           vs  bib keys nothing cited (BibTeX: case-insensitive)
  graphics   PT106 missing graphics  vs  graphics TeX read (a graphic TeX read is not missing)
  includes   PT001 missing includes  vs  source files TeX read
  floats     figure and table environments papertrack reads vs those in the compiled
             document (corpus papers: corpus/EXPECTED.toml)
  structure  PT401-PT404 (braces, environments, math) on a paper TeX compiled without an
             error (false by definition; the typography rules PT35x are not structure)
  labels     labels papertrack sees  vs  \\newlabel in TeX's .aux (info: explains undef-ref)
  cited      keys papertrack sees cited vs \\citation in TeX's .aux (info: explains uncited)
  files      .tex files papertrack reads vs source files TeX read (info: root/loader's field)

A disagreement is (paper, field, key, side): side "pt" = papertrack reports what TeX did not
(a false finding), "tex" = TeX reports what papertrack missed.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from papertrack.pages.record import GRAPHIC_EXT  # the extensions the build record calls graphics

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for base in (REPO.parent / "shared", REPO.parents[1] / "shared"):
    if base.is_dir():
        SHARED = base
        break
else:
    SHARED = REPO.parent / "shared"
WILD = SHARED / "wild"
CORPUS = SHARED / "corpus"
CORPUS_ORACLE = REPO / "tests" / "data" / "oracle_corpus.json"

# Fields whose findings are at warning or error severity: every disagreement must be explained.
ASSERTED = (
    "undef-ref",
    "undef-cite",
    "dup-label",
    "graphics",
    "includes",
    "structure",
    "floats",
)
INFO_FIELDS = ("uncited", "labels", "cited", "files")
FIELDS = ("root", *ASSERTED, *INFO_FIELDS)

# files TeX reads that are not the paper's source text
NOT_SOURCE_EXT = {
    ".sty",
    ".cls",
    ".clo",
    ".cfg",
    ".def",
    ".fd",
    ".bst",
    ".bbx",
    ".cbx",
    ".lbx",
    ".dbx",
    ".bbl",
    ".aux",
    ".toc",
    ".lof",
    ".lot",
    ".out",
    ".ind",
    ".gls",
    ".glo",
    ".acn",
    ".acr",
    ".nav",
    ".snm",
    ".vrb",
    ".map",
    ".enc",
    ".tfm",
    ".pfb",
    ".otf",
    ".ttf",
    ".vf",
    ".pygtex",
    ".pygstyle",
    ".csv",
    ".dat",
    ".txt",
    ".bib",
    ".kl",
    ".ist",
    ".xdy",
    ".mkii",
    ".lua",
}
_QUOTED = re.compile(r"'([^']*)'")
_DUP_WARNING = "Label `*' multiply defined."


@dataclass(frozen=True)
class Paper:
    """One real paper and TeX's facts about it."""

    name: str
    folder: Path
    main: str
    tex: dict

    @property
    def compiles(self) -> bool:
        return bool(self.tex.get("compiles"))


@dataclass(frozen=True)
class Disagreement:
    paper: str
    field: str
    key: str
    side: str  # "pt": only papertrack says so; "tex": only TeX says so

    def __str__(self) -> str:
        who = "papertrack only" if self.side == "pt" else "TeX only"
        return f"{self.paper:40} {self.field:10} {who:15} {self.key}"


def papers() -> list[Paper]:
    """Every paper with TeX facts: the wild ones and the corpus ones."""
    out = []
    if (WILD / "ORACLE.json").is_file():
        for name, tex in sorted(json.loads((WILD / "ORACLE.json").read_text()).items()):
            if (WILD / name).is_dir():
                out.append(Paper(name, WILD / name, tex["main"], tex))
    if CORPUS_ORACLE.is_file() and CORPUS.is_dir():
        for name, tex in sorted(json.loads(CORPUS_ORACLE.read_text()).items()):
            if (CORPUS / name).is_dir():
                out.append(Paper(name, CORPUS / name, tex["main"], tex))
    return out


def _key(message: str) -> str:
    m = _QUOTED.search(message)
    return m.group(1) if m else message


def static_facts(paper: Paper, use_cache: bool = True) -> dict:
    """What papertrack's static reading says about a paper (its root given, as TeX was)."""
    from papertrack.check import run_check
    from papertrack.config import Config
    from papertrack.errors import PapertrackError
    from papertrack.project.loader import load_project

    try:
        detected = load_project(paper.folder).main
    except PapertrackError as exc:
        detected = f"(none: {exc})"
    cfg = Config(compile=False, uncited_summary_at=10**9)
    r = run_check(paper.folder / paper.main, cfg=cfg, use_cache=use_cache)
    doc = r.document
    by_code: dict[str, list] = {}
    for f in r.findings:
        by_code.setdefault(f.code, []).append(f)
    bib_tool_biber = doc.bib_case_sensitive
    return {
        "root": detected,
        "undef-ref": sorted({_key(f.message) for f in by_code.get("PT101", [])}),
        "undef-cite": sorted({_key(f.message) for f in by_code.get("PT201", [])}),
        "dup-label": sorted({_key(f.message) for f in by_code.get("PT102", [])}),
        "uncited": sorted({_key(f.message) for f in by_code.get("PT202", [])}),
        "graphics": sorted({_key(f.message) for f in by_code.get("PT106", [])}),
        "includes": sorted({_key(f.message) for f in by_code.get("PT001", [])}),
        "structure": sorted(
            f"{f.code} {f.location}: {f.message}" for f in r.findings if f.code.startswith("PT40")
        ),
        "labels": sorted({lb.name for lb in doc.labels}),
        "floats": {k: sum(1 for fl in doc.floats if fl.kind == k) for k in ("figure", "table")},
        "cited": sorted({c.key for c in doc.cites if c.key != "*"}),
        "files": sorted(doc.project.order),
        "warnings": [
            f"{f.code} {f.location}: {f.message}"
            for f in r.findings
            if int(f.severity) >= 2 and f.code not in ("PT501", "PT502")
        ],
        "biber": bib_tool_biber,
    }


def _tex_sources(tex: dict) -> set[str]:
    return {
        f
        for f in tex.get("files_read", [])
        if PurePosixPath(f).suffix.lower() not in GRAPHIC_EXT | NOT_SOURCE_EXT
        and not f.startswith("/")
    }


def _graphic_read(path: str, tex: dict) -> bool:
    """True when TeX read a graphic that \\includegraphics{path} can name."""
    p = PurePosixPath(path)
    stem = p.name[: -len(p.suffix)] if p.suffix.lower() in GRAPHIC_EXT else p.name
    for g in tex.get("graphics_read", []):
        gp = PurePosixPath(g)
        gstem = gp.name[: -len(gp.suffix)] if gp.suffix else gp.name
        if gstem == stem or gp.name == p.name:
            return True
    return False


def _uncited_tex(tex: dict) -> set[str]:
    return set(tex.get("uncited_bib_keys", []))


def compare(paper: Paper, pt: dict) -> list[Disagreement]:
    """Every disagreement between papertrack's static facts and TeX's, for one paper."""
    tex = paper.tex
    out: list[Disagreement] = []

    def sets(field: str, mine: set[str], theirs: set[str]) -> None:
        out.extend(Disagreement(paper.name, field, k, "pt") for k in sorted(mine - theirs))
        out.extend(Disagreement(paper.name, field, k, "tex") for k in sorted(theirs - mine))

    if pt["root"] != paper.main:
        out.append(Disagreement(paper.name, "root", f"{pt['root']} (TeX: {paper.main})", "pt"))
    sets("undef-ref", set(pt["undef-ref"]), set(tex.get("undefined_references", [])))
    sets("undef-cite", set(pt["undef-cite"]), set(tex.get("undefined_citations", [])))
    # TeX warns once per extra definition; papertrack names each label once
    n_dup = tex.get("latex_warnings", {}).get(_DUP_WARNING, 0)
    if bool(pt["dup-label"]) != bool(n_dup) or len(pt["dup-label"]) > n_dup:
        side = "pt" if len(pt["dup-label"]) > n_dup else "tex"
        keys = ",".join(pt["dup-label"]) or "-"
        out.append(Disagreement(paper.name, "dup-label", f"{keys} (TeX: {n_dup})", side))
    # BibTeX compares keys case-insensitively; the oracle lists keys as the .bib spells them
    mine = set(pt["uncited"])
    theirs = _uncited_tex(tex)
    if not pt["biber"]:
        lo = {k.lower() for k in theirs}
        mine_lo = {k.lower() for k in mine}
        out.extend(
            Disagreement(paper.name, "uncited", k, "pt")
            for k in sorted(mine)
            if k.lower() not in lo
        )
        out.extend(
            Disagreement(paper.name, "uncited", k, "tex")
            for k in sorted(theirs)
            if k.lower() not in mine_lo
        )
    else:
        sets("uncited", mine, theirs)
    for g in pt["graphics"]:
        if paper.compiles or _graphic_read(g, tex):
            out.append(Disagreement(paper.name, "graphics", g, "pt"))
    read = _tex_sources(tex)
    for inc in pt["includes"]:
        base = PurePosixPath(inc)
        if paper.compiles or any(
            PurePosixPath(f).name in (base.name, base.name + ".tex") for f in read
        ):
            out.append(Disagreement(paper.name, "includes", inc, "pt"))
    if paper.compiles:
        out.extend(Disagreement(paper.name, "structure", s, "pt") for s in pt["structure"])
    for kind, n in (tex.get("floats") or {}).items():
        if n is not None and pt["floats"].get(kind) != n:
            side = "pt" if pt["floats"][kind] > n else "tex"
            out.append(
                Disagreement(paper.name, "floats", f"{kind} {pt['floats'][kind]} (TeX: {n})", side)
            )
    labels_tex = set(tex.get("labels_defined", []))
    if labels_tex or paper.compiles:
        # TeX writes only the labels its run reached; class-internal ones are not papertrack's
        sets("labels", set(pt["labels"]), labels_tex)
    cited_tex = set(tex.get("keys_cited", []))
    if cited_tex or paper.compiles:
        sets("cited", set(pt["cited"]), cited_tex)
    tex_files = {f for f in read if PurePosixPath(f).suffix.lower() in (".tex", "")}
    sets("files", {f for f in pt["files"] if f.endswith(".tex")}, tex_files)
    return out


def false_findings(paper: Paper, pt: dict, dis: list[Disagreement]) -> int:
    """Findings at warning or error severity that TeX's facts contradict."""
    return sum(1 for d in dis if d.side == "pt" and d.field in ASSERTED)


def load_known(path: Path | None = None) -> list[dict]:
    """The reviewed list of TeX-only facts (tests/known_tex_only.toml)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    path = path or REPO / "tests" / "known_tex_only.toml"
    if not path.is_file():
        return []
    return tomllib.loads(path.read_text(encoding="utf-8")).get("known", [])


def explained(d: Disagreement, known: list[dict]) -> bool:
    for k in known:
        if k["paper"] != d.paper or k["field"] != d.field:
            continue
        if k.get("side", d.side) != d.side:
            continue
        if k.get("key", "*") in ("*", d.key):
            return True
    return False


def main(argv: list[str]) -> int:
    brief = "--brief" in argv
    only = [a for a in argv if not a.startswith("-")]
    known = load_known()
    rows = []
    total_false = 0
    total_warn = 0
    unexplained: list[Disagreement] = []
    for p in papers():
        if only and p.name not in only:
            continue
        pt = static_facts(p)
        dis = compare(p, pt)
        cells = []
        for f in FIELDS:
            mine = [d for d in dis if d.field == f]
            npt = sum(d.side == "pt" for d in mine)
            ntex = sum(d.side == "tex" for d in mine)
            cells.append("ok" if not mine else f"+{npt}/-{ntex}")
        nf = false_findings(p, pt, dis)
        total_false += nf
        total_warn += len(pt["warnings"])
        rows.append((p.name, "yes" if p.compiles else "no", cells, nf, len(pt["warnings"])))
        unexplained += [d for d in dis if d.field in ASSERTED and not explained(d, known)]
        if not brief:
            for d in dis:
                if d.field in ASSERTED or d.field == "root":
                    mark = " " if explained(d, known) else "!"
                    print(mark, d)
    head = ["paper", "tex ok", *FIELDS, "false w+", "all w+"]
    widths = [40, 6] + [max(9, len(f)) for f in FIELDS] + [8, 6]
    print()
    print(" ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for name, comp, cells, nf, nw in rows:
        vals = [name, comp, *cells, str(nf), str(nw)]
        print(" ".join(v.ljust(w) for v, w in zip(vals, widths, strict=True)))
    agree = {f: sum(1 for r in rows if r[2][FIELDS.index(f)] == "ok") for f in FIELDS}
    print(
        f"\npapers agreeing per field (of {len(rows)}): "
        + ", ".join(f"{f} {n}" for f, n in agree.items())
    )
    print(f"findings at warning+ (all rules, pages excluded): {total_warn}")
    print(f"of them contradicted by TeX (asserted fields): {total_false}")
    print(f"disagreements not in tests/known_tex_only.toml: {len(unexplained)}")
    print("(+n/-m: n only papertrack reports, m only TeX reports)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
