"""Check that FastLatexWalker builds exactly the nodes pylatexenc's LatexWalker builds.

For every reachable file of every corpus paper (and any extra folders given), parse the
visible text with both walkers using papertrack's context db and compare the full node trees
(type, position, length, chars, names, arguments) and papertrack's FileFacts.

Usage: python bench/walk_equiv.py [EXTRA_FOLDER ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pylatexenc import latexwalker as lw

from papertrack.parse import latex, macros
from papertrack.parse.fastwalk import FastLatexWalker
from papertrack.project.loader import load_project, visible_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def dump(nodes, out: list) -> None:
    for n in nodes or []:
        if n is None:
            out.append(None)
            continue
        row = [type(n).__name__, n.pos, n.len]
        for attr in (
            "chars",
            "macroname",
            "environmentname",
            "delimiters",
            "comment",
            "displaytype",
        ):
            if hasattr(n, attr):
                row.append(getattr(n, attr))
        if getattr(n, "specials_chars", None) is not None:
            row.append(n.specials_chars)
        out.append(tuple(map(str, row)))
        if getattr(n, "nodeargd", None) is not None and n.nodeargd.argnlist:
            out.append("args(")
            dump(n.nodeargd.argnlist, out)
            out.append(")")
        if getattr(n, "nodelist", None):
            out.append("(")
            dump(n.nodelist, out)
            out.append(")")


def parse(cls, text: str, db):
    w = cls(text, latex_context=db, tolerant_parsing=True)
    nodes, _, _ = w.get_latex_nodes()
    out: list = []
    dump(nodes, out)
    return out


def check_folder(folder: Path) -> tuple[int, int, float, float]:
    project = load_project(folder)
    texts = {rel: visible_text(project, rel) for rel in project.order}
    defs = []
    for rel in project.order:
        defs.extend(macros.find_definitions(texts[rel], rel, project.files[rel].line_col))
    table = macros.build_table(defs)
    db = latex.context_db(table)
    bad = 0
    t_slow = t_fast = 0.0
    for rel in project.order:
        text = texts[rel]
        t = time.perf_counter()
        try:
            a = parse(lw.LatexWalker, text, db)
        except RecursionError:
            a = "recursion"
        t_slow += time.perf_counter() - t
        t = time.perf_counter()
        try:
            b = parse(FastLatexWalker, text, db)
        except RecursionError:
            b = "recursion"
        t_fast += time.perf_counter() - t
        splits = sorted(i.pos for i in project.includes.get(rel, []))
        latex.FastLatexWalker = lw.LatexWalker  # the reference reading
        try:
            fa = latex.parse_file(rel, text, project.files[rel].line_col, table, splits, db)
        finally:
            latex.FastLatexWalker = FastLatexWalker
        fb = latex.parse_file(rel, text, project.files[rel].line_col, table, splits, db)
        if a != b or fa != fb:
            bad += 1
            first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
            print(
                f"  DIFF {rel}: nodes equal={a == b} facts equal={fa == fb}; "
                f"first node difference at {first}"
            )
            if first is not None:
                print("   slow:", a[first], "\n   fast:", b[first])
    return len(project.order), bad, t_slow, t_fast


def main() -> int:
    folders = [p for p in sorted(CORPUS.iterdir()) if p.is_dir()] + [Path(a) for a in sys.argv[1:]]
    total_bad = 0
    for f in folders:
        n, bad, ts, tf = check_folder(f)
        total_bad += bad
        print(
            f"{'ok ' if not bad else 'BAD'} {f.name}: {n} files, "
            f"pylatexenc {ts:.2f} s, fast {tf:.2f} s"
        )
    print("all identical" if not total_bad else f"{total_bad} files differ")
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
