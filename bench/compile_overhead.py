"""Compile time with papertrack's injected page probe against the same latexmk build without it.

Usage: python bench/compile_overhead.py [--reps N] [PAPER ...]   (corpus paper folder names)
Cold builds (fresh build folders), alternating the two variants, medians of N runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from papertrack.pages import compile_paper

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = [
    "acl-aacl23-sealp-tlunified",
    "neurips24-catastrophic-goodhart",
    "iclr-rnn-extrapolation",
]


def one(paper: Path, main: str, probe: bool) -> tuple[float, int | None]:
    with tempfile.TemporaryDirectory(prefix="pt-overhead-") as tmp:
        t = time.perf_counter()
        res = compile_paper(
            paper, Path(main), probe=probe, build_dir=Path(tmp) / "build", use_pdftotext=probe
        )
        return time.perf_counter() - t, (res.pages.total_pages if res.pages else None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("papers", nargs="*", default=DEFAULT)
    args = ap.parse_args()
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text())["papers"]
    print(f"{'paper':36} {'plain s':>8} {'probe s':>8} {'overhead':>9}")
    for name in args.papers:
        plain, probed = [], []
        for _ in range(args.reps):
            plain.append(one(CORPUS / name, expected[name]["main"], probe=False)[0])
            probed.append(one(CORPUS / name, expected[name]["main"], probe=True)[0])
        a, b = statistics.median(plain), statistics.median(probed)
        print(f"{name:36} {a:8.2f} {b:8.2f} {(b / a - 1):+9.1%}")
    print("(the probe run also extracts text lines with pdftotext to locate the last line)")


if __name__ == "__main__":
    main()
