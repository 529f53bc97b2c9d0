"""Cold compile time inside the bubblewrap sandbox against the same build without it.

Usage: python bench/sandbox_overhead.py [--reps N] [PAPER ...]   (corpus paper folder names)
Each run is papertrack's full compile (mirror, latexmk, probe) into a fresh build folder; the
two variants alternate (PAPERTRACK_SANDBOX unset / =off), medians of N runs (default 3).
LuaLaTeX papers pay once more per build folder in the sandbox: luaotfload's font database is
built in the build folder's own HOME (the user's is hidden); this bench uses pdfLaTeX papers.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from papertrack.pages import compile_paper, sandbox

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT = ["acl-aacl23-sealp-tlunified", "neurips24-catastrophic-goodhart", "cvpr-proteus"]


_CGROUP = Path("/sys/fs/cgroup/cpuacct/papertrack-bench")


def _use_cgroup() -> bool:
    """CPU time of every descendant needs a cgroup: bwrap does not wait() for the sandbox's
    init, so its CPU time never reaches getrusage(RUSAGE_CHILDREN). Root with cgroup v1 only."""
    try:
        _CGROUP.mkdir(exist_ok=True)
        (_CGROUP / "tasks").write_text(str(os.getpid()))
        return True
    except OSError:
        return False


CGROUP = False


def _cpu() -> float:
    if CGROUP:
        return int((_CGROUP / "cpuacct.usage").read_text()) / 1e9
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one(paper: Path, main: str, sandboxed: bool) -> tuple[float, float, int | None]:
    if sandboxed:
        os.environ.pop(sandbox.MODE_ENV, None)
    else:
        os.environ[sandbox.MODE_ENV] = "off"
    assert sandbox.availability().ok == sandboxed, sandbox.availability()
    with tempfile.TemporaryDirectory(prefix="pt-sandbox-bench-") as tmp:
        t, c = time.perf_counter(), _cpu()
        res = compile_paper(paper, Path(main), build_dir=Path(tmp) / "build")
        pages = res.pages.total_pages if res.pages else None
        return time.perf_counter() - t, _cpu() - c, pages


def _fixed_cost(n: int = 30) -> float:
    """Median wall time of starting `true` in the sandbox minus starting it directly, in ms."""
    import subprocess

    os.environ.pop(sandbox.MODE_ENV, None)
    build = Path(tempfile.mkdtemp(prefix="pt-sandbox-fixed-"))
    env = sandbox.clean_env({}, build)
    wrapped = sandbox.wrap(["true"], writable=build, cwd=build, env=env)

    def median_ms(cmd: list[str]) -> float:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    return median_ms(wrapped) - median_ms(["true"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("papers", nargs="*", default=DEFAULT)
    args = ap.parse_args()
    global CGROUP
    CGROUP = _use_cgroup()
    print("CPU: " + ("cgroup cpuacct (all descendants)" if CGROUP else "unavailable (wall only)"))
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text())["papers"]
    print(
        f"{'paper':34} {'wall plain':>10} {'sandbox':>8} {'overhead':>8}"
        f" {'cpu plain':>10} {'sandbox':>8} {'overhead':>8}  pages"
    )
    for name in args.papers:
        runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        pages = set()
        for _ in range(args.reps):
            for boxed in (False, True):
                wall, cpu, p = one(CORPUS / name, expected[name]["main"], sandboxed=boxed)
                runs[boxed].append((wall, cpu))
                pages.add(p)
        wa, wb = (statistics.median(w for w, _ in runs[k]) for k in (False, True))
        ca, cb = (statistics.median(c for _, c in runs[k]) for k in (False, True))
        print(
            f"{name:34} {wa:10.2f} {wb:8.2f} {(wb / wa - 1):+8.1%}"
            f" {ca:10.2f} {cb:8.2f} {(cb / ca - 1):+8.1%}  {sorted(pages, key=str)}"
        )
    print("(same page count in both variants: one value in the last column)")
    fixed = _fixed_cost()
    print(f"fixed cost of one sandboxed program start (bwrap ... true minus true): {fixed:.1f} ms")
    if not CGROUP:
        print("(cpu columns: getrusage misses the sandboxed processes; run as root for a cgroup)")


if __name__ == "__main__":
    main()
