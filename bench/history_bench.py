"""Rebuild progress history from a generated git repository of a paper growing commit by commit.

Target: 200 commits in under 30 s cold (empty caches) and under 1 s on the second run.

    python bench/history_bench.py [--commits 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "model",
    "data",
    "result",
    "method",
    "error",
    "signal",
    "paper",
    "attack",
    "sensor",
    "network",
    "training",
    "loss",
    "bound",
    "theorem",
    "sample",
    "estimate",
    "figure",
    "table",
    "baseline",
    "accuracy",
    "noise",
    "robust",
    "channel",
]
SECTIONS = ["Introduction", "Related Work", "Method", "Experiments", "Discussion", "Conclusion"]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(8, 20)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _git(repo: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def make_repo(root: Path, n_commits: int, seed: int = 1) -> Path:
    """A paper in root/paper that grows over `n_commits` commits, one a day."""
    rng = random.Random(seed)
    repo = root / "repo"
    paper = repo / "paper"
    (paper / "sections").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "bench@example.org")
    _git(repo, "config", "user.name", "Bench")
    main = [
        "\\documentclass{article}",
        "\\begin{document}",
        "\\begin{abstract}",
        "We study things.",
        "\\end{abstract}",
    ]
    main += [f"\\input{{sections/s{i}}}" for i in range(len(SECTIONS))]
    main += ["\\bibliographystyle{plain}", "\\bibliography{refs}", "\\end{document}"]
    (paper / "main.tex").write_text("\n".join(main) + "\n")
    bodies = {
        i: [f"\\section{{{t}}}\\label{{sec:{i}}}", "\\todo{write this}"]
        for i, t in enumerate(SECTIONS)
    }
    bib: list[str] = []
    start = 1_700_000_000
    for c in range(n_commits):
        i = c % len(SECTIONS) if c < len(SECTIONS) else rng.randrange(len(SECTIONS))
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        if c % 7 == 3:
            key = f"ref{c}"
            bib.append(
                f"@article{{{key},\n  title = {{Work {c}}},\n  author = {{A. Author}},\n  journal = {{J}},\n  year = {{2020}}\n}}\n"
            )
            para += f" As shown before~\\cite{{{key}}}."
        if c % 25 == 10:
            para += f"\n\\begin{{figure}}\\centering\\rule{{1cm}}{{1cm}}\\caption{{Result {c}.}}\\label{{fig:{c}}}\\end{{figure}}\nSee Figure~\\ref{{fig:{c}}}."
        body = bodies[i]
        if c > n_commits // 2 and "\\todo{write this}" in body:
            body.remove("\\todo{write this}")
        body.append(para)
        (paper / "sections" / f"s{i}.tex").write_text("\n\n".join(body) + "\n")
        (paper / "refs.bib").write_text("\n".join(bib))
        _git(repo, "add", "-A")
        stamp = f"{start + c * 86400} +0000"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        _git(repo, "commit", "-q", "-m", f"commit {c}", env=env)
    return paper


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pt-history-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    os.environ["PAPERTRACK_CACHE_DIR"] = str(base / "cache")
    os.environ["PAPERTRACK_DATA_DIR"] = str(base / "data")
    from papertrack.config import Config
    from papertrack.history import git_history

    try:
        t0 = time.perf_counter()
        paper = make_repo(base, args.commits)
        made = time.perf_counter() - t0
        cfg = Config(compile=False)
        t0 = time.perf_counter()
        cold = git_history(paper, cfg, "main.tex")
        t_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = git_history(paper, cfg, "main.tex")
        t_warm = time.perf_counter() - t0
        assert len(cold) == len(warm) == args.commits, (len(cold), len(warm))
        first, last = cold[0], cold[-1]
        print(f"repository: {args.commits} commits generated in {made:.1f} s ({paper})")
        print(
            f"cold:   {t_cold:6.2f} s  ({t_cold / args.commits * 1000:.0f} ms per commit)  target < 30 s"
        )
        print(f"second: {t_warm:6.2f} s  target < 1 s")
        print(
            f"words {first['words']} -> {last['words']}, honest {first['honest']:.0%} -> {last['honest']:.0%}, todos {first['todos']} -> {last['todos']}"
        )
        ok = t_cold < 30 and t_warm < 1
        print("OK" if ok else "SLOWER THAN THE TARGET")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
