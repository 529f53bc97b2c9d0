"""Leave-one-out error of the no-TeX page estimate on the shared real papers.

Exact figures: corpus EXPECTED.toml (main_content_pages); wild papers: papertrack's own exact
build (TeX needed; builds are cached, a rerun takes seconds), kept only when it agrees with the
oracle's references page (ORACLE.json). Papers that need shell escape for minted are built with
minted's draft mode (same lines, no Pygments): for the ground truth only, papertrack itself
never shell-escapes. For each paper the weights are fitted on the others (papers under 40
pages), then the held-out paper is estimated: RMS error and how often the exact count falls
inside the stated error.

Usage: python bench/estimate_error.py [SHARED_FOLDER] [--json OUT]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model import pages as pagemodel
from papertrack.model.pages import exempt

ARGS = [
    a
    for i, a in enumerate(sys.argv[1:], 1)
    if not a.startswith("--") and sys.argv[i - 1] != "--json"
]
SHARED = Path(ARGS[0]) if ARGS else Path(__file__).resolve().parents[2] / "shared"
LONG = 40  # pages: theses are reported apart (front matter and chapters are not modelled)
KEYS = pagemodel.FITTED  # the other parts count as measured (headings, code)


def papers() -> list[tuple[str, Path, str, dict]]:
    out = []
    exp = tomllib.loads((SHARED / "corpus" / "EXPECTED.toml").read_text())["papers"]
    for name, e in exp.items():
        out.append((name, SHARED / "corpus" / name, e["main"], {"exact": e["main_content_pages"]}))
    oracle = json.loads((SHARED / "wild" / "ORACLE.json").read_text())
    for line in (SHARED / "wild" / "MANIFEST.tsv").read_text().splitlines()[1:]:
        f = line.split("\t")
        out.append((f[0], SHARED / "wild" / f[0], f[4], {"oracle": oracle.get(f[0], {})}))
    return sorted(out)


def exact_build(folder: Path, main: str, doc, oracle: dict) -> tuple[float | None, str]:
    """papertrack's exact figure for a wild paper, or None and why not."""
    from papertrack.pages import compile_paper

    headings, macros = exempt(doc)
    minted = any(
        "{minted}" in p.read_text(errors="replace") for p in folder.rglob("*.tex") if p.is_file()
    )
    pretex = "\\PassOptionsToPackage{draft}{minted}" if minted else ""
    res = compile_paper(
        folder, Path(main), exempt_headings=headings, exempt_macros=macros, pretex=pretex
    )
    m = res.pages
    if m is None:
        first = res.first_error
        return None, f"no PDF ({first.message[:60] if first else 'build failed'})"
    ref = oracle.get("references_page")
    # content ends at most on the references' page, and before it unless float pages or a
    # \clearpage come between; a build with errors that also disagrees with the oracle (which
    # built the paper as its authors do) is no ground truth
    agrees = not ref or m.ended_by != "references" or ref - 3 <= m.main_content_pages <= ref
    if res.first_error is not None and not agrees:
        return None, f"build with errors disagrees with the oracle (references on p{ref})"
    return m.main_content_pages, "exact build" + (" (minted draft)" if pretex else "")


def fit(rows: list[dict]) -> dict[str, float]:
    """Least-squares weights of the fitted parts (normal equations, no numpy needed)."""
    n = len(KEYS)
    a = [[0.0] * n for _ in range(n)]
    b = [0.0] * n
    for r in rows:
        x = [r["parts"][k] / r["lpp"] for k in KEYS]
        fixed = {k: v for k, v in r["parts"].items() if k not in KEYS}  # code: not fitted
        y = r["exact"] - r["breaks"] - pagemodel.weighted_lines(fixed) / r["lpp"]
        for i in range(n):
            b[i] += x[i] * y
            for j in range(n):
                a[i][j] += x[i] * x[j]
    for i in range(n):  # Gauss-Jordan
        p = max(range(i, n), key=lambda k: abs(a[k][i]))
        a[i], a[p], b[i], b[p] = a[p], a[i], b[p], b[i]
        for k in range(n):
            if k != i and a[i][i]:
                f = a[k][i] / a[i][i]
                a[k] = [ak - f * ai for ak, ai in zip(a[k], a[i], strict=True)]
                b[k] -= f * b[i]
    return {k: b[i] / a[i][i] for i, k in enumerate(KEYS)}


def predict(r: dict, w: dict[str, float]) -> float:
    return pagemodel.weighted_lines(r["parts"], w) / r["lpp"] + r["breaks"]


def stated_error(pages: float, book: bool, floor: float = pagemodel.ERROR_PAGES) -> float:
    share = pagemodel.BOOK_ERROR_SHARE if book else pagemodel.ERROR_SHARE
    return round(max(floor, share * pages), 1)


def q90(values: list[float]) -> float:
    """The 90th percentile (the smallest value at least 90% of values do not exceed)."""
    s = sorted(values)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)] if s else 0.0


def loo_errors(rows: list[dict]) -> dict[str, float]:
    """Each paper's error with the weights fitted on the others."""
    return {r["name"]: predict(r, fit([o for o in rows if o is not r])) - r["exact"] for r in rows}


def main() -> None:
    rows, skipped = [], []
    for name, folder, main, info in papers():
        doc = run_check(folder, main=main, cfg=Config(compile=False)).document
        if "exact" in info:
            exact, why = info["exact"], "EXPECTED.toml"
        else:
            exact, why = exact_build(folder, main, doc, info["oracle"])
        if exact is None:
            skipped.append((name, why))
            continue
        lay, m = pagemodel.measured_parts(doc)
        rows.append(
            {
                "name": name,
                "exact": exact,
                "source": why,
                "parts": m.parts(),
                "lpp": lay.lines_per_page,
                "breaks": m.page_breaks,
                "book": pagemodel.layout(doc) == "book" or exact >= LONG,
                "layout": lay.describe(),
                "shipped": doc.pages.main_pages,
            }
        )
    short = [r for r in rows if r["exact"] < LONG]
    print(f"{'paper':38} {'exact':>7} {'LOO est':>8} {'error':>7} {'stated':>7}  layout")
    for r in rows:
        others = [o for o in short if o is not r]
        r["loo"] = predict(r, fit(others))
        r["err"] = r["loo"] - r["exact"]
        # the error floor this paper is shown with: the 90th percentile of the others' own
        # leave-one-out errors (the paper takes no part in its weights or in its error)
        floor = q90([abs(e) for e in loo_errors(others).values()])
        r["stated"] = stated_error(r["loo"], r["book"], floor)
        r["inside"] = abs(r["err"]) <= r["stated"]
        r["inside_shipped"] = abs(r["err"]) <= stated_error(r["loo"], r["book"])
        mark = " " if r["inside"] else "!"
        print(
            f"{r['name']:38} {r['exact']:7.2f} {r['loo']:8.2f} {r['err']:+7.2f} "
            f"{r['stated']:6.1f}{mark}  {r['layout']}"
        )
    rms = math.sqrt(sum(r["err"] ** 2 for r in short) / len(short))
    inside = sum(r["inside"] for r in rows)
    shipped = sum(r["inside_shipped"] for r in rows)
    print(
        f"\n{len(short)} papers under {LONG} pages: leave-one-out RMS error {rms:.2f} page, "
        f"worst {max(short, key=lambda r: abs(r['err']))['err']:+.2f}"
    )
    for r in rows:
        if r["exact"] >= LONG:
            print(
                f"  long: {r['name']}: {r['err']:+.1f} on {r['exact']:.0f} pages "
                f"({r['err'] / r['exact']:+.0%})"
            )
    print(
        f"exact count inside the stated error (floor from the other papers): {inside} of "
        f"{len(rows)} ({inside / len(rows):.0%})"
    )
    print(
        f"inside the shipped error (max({pagemodel.ERROR_PAGES}, {pagemodel.ERROR_SHARE:.0%}), "
        f"books {pagemodel.BOOK_ERROR_SHARE:.0%}): {shipped} of {len(rows)} "
        f"({shipped / len(rows):.0%})"
    )
    floor_all = q90([abs(e) for e in loo_errors(short).values()])
    print(f"90th percentile of |leave-one-out error| over all {len(short)}: {floor_all:.2f} page")
    weights = ", ".join(f"{k} {v:.2f}" for k, v in fit(short).items())
    print(f"weights fitted on all {len(short)}: {weights}")
    for name, why in skipped:
        print(f"  no exact figure: {name}: {why}")
    if "--json" in sys.argv:
        out = Path(sys.argv[sys.argv.index("--json") + 1])
        out.write_text(json.dumps({"rows": rows, "skipped": skipped}, indent=1, default=str))


if __name__ == "__main__":
    main()
