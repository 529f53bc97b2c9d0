"""Measure the no-TeX page estimate against pages measured by compiling (corpus EXPECTED.toml).

Usage: python bench/estimate_error.py [CORPUS]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from papertrack.check import run_check
from papertrack.config import Config
from papertrack.model.pages import layout

CORPUS = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(__file__).resolve().parents[2] / "shared" / "corpus"
)


def main() -> None:
    if not (CORPUS / "EXPECTED.toml").is_file():
        sys.exit(f"no corpus at {CORPUS}: pass the folder that holds EXPECTED.toml")
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text())["papers"]
    rows = []
    print(f"{'paper':38} {'layout':11} {'measured':>9} {'estimate':>9} {'error':>7}")
    for name, exp in sorted(expected.items()):
        doc = run_check(CORPUS / name, cfg=Config(compile=False)).document
        est = doc.pages.main_pages
        err = est - exp["main_content_pages"]
        rows.append((name, err, exp["main_content_pages"]))
        print(f"{name:38} {layout(doc):11} {exp['main_content_pages']:9.2f} {est:9.1f} {err:+7.2f}")
    papers = [r for r in rows if r[2] < 40]
    rms = math.sqrt(sum(e * e for _, e, _ in papers) / len(papers))
    worst = max(papers, key=lambda r: abs(r[1]))
    print(
        f"\npapers (under 40 pages): RMS error {rms:.2f} pages, worst {worst[1]:+.2f} ({worst[0]})"
    )
    for name, err, pages in rows:
        if pages >= 40:
            print(
                f"{name}: {err:+.1f} pages on {pages:.0f} ({err / pages:+.0%}); the book layout is fitted on this one thesis"
            )


if __name__ == "__main__":
    main()
