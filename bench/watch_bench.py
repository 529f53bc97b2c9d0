"""Bench for `papertrack watch`: save-to-findings latency and memory over many saves.

Edits the largest section file of the corpus papers (an included file, not a main file) in a
temporary copy, through the real watcher (watchdog observer, debounce, incremental update),
and measures from just before the save to the moment the dashboard gets text findings that
contain the new TODO. Then saves many more times and compares the process's memory.

    python bench/watch_bench.py                 # 20 timed saves, 1,000 saves for memory
    python bench/watch_bench.py --saves 20 --memory-saves 200 --paper thesis-manchester-ferigo

Targets (issue 5): median latency at most 150 ms; memory growth under 10% over 1,000 saves.
Timings are wall-clock and include the debounce's quiet window; on a busy machine they grow
with the load (the CPU time of the update thread is printed beside them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_CANDIDATES = [
    HERE.parent.parent / "shared" / "corpus",
    HERE.parents[2] / "shared" / "corpus",
]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def largest_section_file(corpus: Path, only: str | None) -> tuple[Path, str]:
    """(paper folder, file) of the largest included .tex file that is not a main file."""
    from papertrack.project.loader import load_project

    best: tuple[int, Path, str] | None = None
    for paper in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if only and paper.name != only:
            continue
        project = load_project(paper)
        for rel in project.order:
            if rel == project.main:
                continue
            size = len(project.files[rel].text)
            if best is None or size > best[0]:
                best = (size, paper, rel)
    if best is None:
        sys.exit("no section file found")
    return best[1], best[2]


class Recorder:
    """The `show` callback: remembers every snapshot with the time it arrived."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.snaps: list[tuple[float, object]] = []

    def __call__(self, snap) -> None:
        with self.cond:
            self.snaps.append((time.perf_counter(), snap))
            del self.snaps[:-3]  # keep memory to what watch itself holds
            self.cond.notify_all()

    def wait_for(self, marker: str, timeout: float = 30.0):
        """The first snapshot whose findings mention `marker`, with its arrival time."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, snap in self.snaps:
                    res = snap.result
                    if (
                        res is not None
                        and snap.kind == "text"
                        and any(marker in f.message for f in res.findings)
                    ):
                        return t, snap
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no update showed {marker!r}")
                self.cond.wait(left)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--paper", help="only consider this corpus paper")
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--memory-saves", type=int, default=1000)
    ap.add_argument("--pause", type=float, default=0.15, help="seconds between saves")
    args = ap.parse_args()
    corpus = args.corpus or next((c for c in CORPUS_CANDIDATES if c.is_dir()), None)
    if corpus is None:
        sys.exit("corpus not found; pass --corpus")

    tmp = Path(tempfile.mkdtemp(prefix="pt-watch-bench-"))
    os.environ["PAPERTRACK_CACHE_DIR"] = str(tmp / "cache")
    os.environ["PAPERTRACK_DATA_DIR"] = str(tmp / "data")
    from papertrack.config import load_config
    from papertrack.watch.session import Session, watch

    paper, rel = largest_section_file(corpus, args.paper)
    folder = tmp / paper.name
    shutil.copytree(paper, folder, symlinks=True)
    target = folder / rel
    original = target.read_text(encoding="utf-8")
    lines = original.split("\n")
    print(f"paper {paper.name}, editing {rel} ({len(original) / 1000:.1f} kB, {len(lines)} lines)")

    session = Session(folder, lambda: load_config(folder), compile_=False)
    rec = Recorder()
    stop = threading.Event()
    cpu: list[float] = []

    def show(snap) -> None:
        rec(snap)

    real_update = session.update

    def timed_update(changed=None):
        t = time.thread_time()
        out = real_update(changed)
        cpu.append(time.thread_time() - t)
        return out

    session.update = timed_update  # type: ignore[method-assign]
    t0 = time.perf_counter()
    thread = threading.Thread(
        target=watch, args=(session, show), kwargs={"stop": stop}, daemon=True
    )
    thread.start()
    with rec.cond:
        while not rec.snaps:
            rec.cond.wait(60)
    print(
        f"first update (cold parse cache): {time.perf_counter() - t0:.2f} s, RSS {rss_mb():.1f} MB"
    )
    start_rss = rss_mb()
    time.sleep(0.5)

    def save(i: int) -> float:
        edited = list(lines)
        at = len(edited) // 2 + (i % 7) * 3  # vary the paragraph a little
        edited.insert(at, f"TODO watch bench {i} with a few more words.")
        before = time.perf_counter()
        target.write_text("\n".join(edited), encoding="utf-8")
        return before

    latencies, updates = [], []
    for i in range(args.saves):
        before = save(i)
        arrived, snap = rec.wait_for(f"watch bench {i} ")
        latencies.append(arrived - before)
        updates.append(snap.took)
        time.sleep(args.pause)
    n_cpu = list(cpu[-args.saves :])
    med = statistics.median(latencies)
    print(
        f"save -> updated text findings, {args.saves} saves: median {med * 1000:.0f} ms, "
        f"p90 {sorted(latencies)[int(0.9 * (len(latencies) - 1))] * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms  (target <= 150 ms: {'met' if med <= 0.150 else 'NOT met'})"
    )
    print(
        f"  of which the update itself: median {statistics.median(updates) * 1000:.0f} ms wall, "
        f"{statistics.median(n_cpu) * 1000:.0f} ms CPU; the rest is the debounce's quiet window and event delivery"
    )

    if args.memory_saves:
        # measured from after the timed saves: the first few saves warm up (modules, the parser's
        # tables, the allocator's arenas); the question is whether memory grows with saves
        base = rss_mb()
        t_mem = time.perf_counter()
        for i in range(args.memory_saves):
            n = args.saves + i
            save(n)
            rec.wait_for(f"watch bench {n} ")
            if (i + 1) % 200 == 0:
                print(f"  {i + 1} saves: RSS {rss_mb():.1f} MB", flush=True)
        end = rss_mb()
        growth = (end - base) / base
        print(
            f"memory over {args.memory_saves} saves: {base:.1f} MB -> {end:.1f} MB "
            f"({growth:+.1%}; target < 10%: {'met' if growth < 0.10 else 'NOT met'}) "
            f"in {time.perf_counter() - t_mem:.0f} s; {(end - start_rss) / start_rss:+.1%} since the "
            f"first update (before the {args.saves} timed saves warmed up)"
        )
    stop.set()
    thread.join(5)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
