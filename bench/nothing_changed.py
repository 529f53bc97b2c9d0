"""A compile-mode `papertrack check` of an unchanged paper against latexmk's own "nothing to do".

Usage: python bench/nothing_changed.py [--reps N] [PAPER_FOLDER ...]   (default: 3 corpus papers)

For each paper (copied to a temporary folder, own cache): one cold `papertrack check` (it
compiles), then N alternating timings of
  - latexmk alone: papertrack's exact latexmk command, run again in its build folder;
  - `papertrack check PAPER` (a new process, as a user or CI runs it).
Prints medians and the ratio check/latexmk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = ["acl-aacl23-sealp-tlunified", "neurips24-catastrophic-goodhart", "lncs-asvc"]


def timed(cmd: list[str], env: dict, cwd: Path | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("papers", nargs="*")
    args = ap.parse_args()
    papers = [Path(p) for p in args.papers] or [CORPUS / n for n in DEFAULT]
    print(f"{'paper':36} {'latexmk s':>9} {'check s':>8} {'ratio':>6}")
    for src in papers:
        with tempfile.TemporaryDirectory(prefix="pt-nochange-") as tmp:
            paper = Path(tmp) / src.name
            shutil.copytree(src, paper, symlinks=True)
            env = dict(os.environ, PAPERTRACK_CACHE_DIR=str(Path(tmp) / "cache"))
            env["PAPERTRACK_DATA_DIR"] = str(Path(tmp) / "data")
            check = [sys.executable, "-m", "papertrack", "check", str(paper)]
            os.environ.update(env)
            from papertrack.check import run_check
            from papertrack.config import load_config

            # papertrack's own latexmk command and folder, from an in-process check (cold build)
            res = run_check(paper, cfg=load_config(paper)).document.compile
            cmd = [c for c in res.command if c != "-g"]
            cwd = res.out_dir.parent
            time.sleep(2.1)  # files younger than 2 s make a run unstorable (runcache.RACY_SECONDS)
            timed(check, env)  # warm: stores the result
            lmk, chk = [], []
            for _ in range(args.reps):
                lmk.append(timed(cmd, env | {"max_print_line": "10000"}, cwd))
                chk.append(timed(check, env))
            a, b = statistics.median(lmk), statistics.median(chk)
            print(f"{src.name:36} {a:9.3f} {b:8.3f} {b / a:6.2f}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
