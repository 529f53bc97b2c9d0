"""Time the figure rules (PT8xx) add to a compiled check, against the whole check.

For each paper: the whole check (`python -m papertrack check PAPER`, all rules, compile on, the
build already warm, the run cache's replay off) in a child process, and the PT8 rules alone in a fresh child process that
first builds the document (not timed) and then runs every PT8 rule (timed: reading the figure
files, the pypdf and coloraide imports included, as a real check pays them once). Wall and CPU
(user+sys of the child and its own children), median of N runs. The last column is PT806's
read of the PDF's links without its cache: what the first check after each new build pays.

Usage: python bench/figures_bench.py [--runs 3] [PAPER ...]   (default: the corpus papers)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

CHILD = r"""
import json, sys, time
from pathlib import Path
from papertrack.check import run_check
from papertrack.config import Config
from papertrack.rules.registry import all_rules

root = Path(sys.argv[1])
result = run_check(root, cfg=Config(select=["PT0"]))  # builds the document and the compile
doc, cfg = result.document, Config()
rules = [r for c, r in all_rules().items() if c.startswith("PT8")]
w0, c0 = time.perf_counter(), time.process_time()
n = sum(len(list(r.check(doc, cfg))) for r in rules)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
# PT806 reads the PDF's links once per build (cached by the PDF's content): after an edit the
# PDF is new, so a compiled check pays this read once; timed here without the cache
from papertrack.model.refpages import pdf_links
pdf = getattr(doc.compile, "pdf", None) if doc.compile else None
l0 = time.perf_counter()
if pdf is not None:
    pdf_links(pdf)
links = time.perf_counter() - l0 if pdf is not None else 0.0
print(json.dumps({"wall": wall, "cpu": cpu, "n": n, "links": links}))
"""


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def whole(paper: Path) -> tuple[float, float]:
    """Wall and CPU of one full compiled check in a child process."""
    c0, w0 = _children_cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "papertrack", "check", str(paper), "--format", "concise"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        check=False,
        # a replay from the run cache runs no rule at all (0.4 s wall): the share would be
        # measured against the wrong whole
        env={**os.environ, "PAPERTRACK_NO_RUN_CACHE": "1"},
    )
    return time.perf_counter() - w0, _children_cpu() - c0


def rules_alone(paper: Path) -> tuple[float, float, int, float]:
    """Wall and CPU of the PT8 rules alone, measured inside a fresh child process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(paper)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["wall"], data["cpu"], data["n"], data["links"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("papers", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    papers = args.papers or sorted(p for p in DEFAULT_CORPUS.iterdir() if p.is_dir())
    print(f"load average at start: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print(
        "| paper | check wall s | check CPU s | PT8 wall s | PT8 CPU s | PT8 share of CPU "
        "| PT8 findings | PDF links, new build s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for paper in papers:
        whole(paper)  # warm the build once: the bench measures checks, not first compiles
        w, r = [], []
        for _ in range(args.runs):
            w.append(whole(paper))
            r.append(rules_alone(paper))
        ww = statistics.median(x[0] for x in w)
        wc = statistics.median(x[1] for x in w)
        rw = statistics.median(x[0] for x in r)
        rc = statistics.median(x[1] for x in r)
        lk = statistics.median(x[3] for x in r)
        print(
            f"| {paper.name} | {ww:.2f} | {wc:.2f} | {rw:.2f} | {rc:.2f} | "
            f"{100 * rc / wc if wc else 0:.0f}% | {r[0][2]} | {lk:.2f} |",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
