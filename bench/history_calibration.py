"""Calibrate "is done" and "feels done" on real writing histories (../shared/histories).

For each history, sample commits of its writing period (evenly by commit index, always the
final one), replay each through papertrack, and compare both figures with real progress:

- calendar: share of the writing period elapsed (committer dates, topological order);
- commits: share of the period's commits made;
- text: share of the final text present (word 4-gram shingles of the final version found at
  that commit, over every .tex file under the paper folder).

Prints per history the mean absolute error (MAE) of each figure against each measure, the value
at the final commit, and the projection made at 60-70% of the period against the real time left.

Two drivers:
- `cli` (default): `papertrack report --format json --as-of SHA --no-compile` in a scratch clone;
  the history papertrack reads is the repository's own up to that commit.
- `api`: for a papertrack without `--as-of` (main before this work): each commit is exported
  with `git archive` into a scratch folder, checked without compiling, and `assess`ed; the
  projection is main's `history.project` over the sampled points before that commit.

    python bench/history_calibration.py --src /work/main/src --driver api --out before.json
    python bench/history_calibration.py --src src --points 6 --out calibrated.json
    python bench/history_calibration.py --table current.json calibrated.json

Results in bench/results/: before, previous and after (older models; their writing periods of
tchajed, sharkdp, scipy and duvenaud ended at an earlier milestone), current (main before the
calibration of issue 16, corrected periods) and calibrated (the model the CI test checks).
Run from a copy of src/ with templates/ beside it (a copy without templates/ has no venue
profiles: no page limits, no feels done).

Histories whose row index (1-based, in histories.tsv order) is 2 mod 3 are held out: the model
was not tuned on them, and their numbers are reported separately.

Histories outside issue 16's list (bench/histories_extra.tsv, characterised the same way: writing
period, final commit, milestones) were never used to tune the model; `--outside` replays them
(their commits come from git: those touching `<subdir>/*.tex` up to the final commit, in
topological order), and the table reports them on their own ("outside the list"):

    python bench/history_calibration.py --src src --points 6 --outside --out outside.json
    python bench/history_calibration.py --table calibrated.json outside.json

outside.json holds the first four; outside2-before.json and outside2.json all ten of
histories_extra.tsv before and after two reader fixes (outside2.md says what keeps each final
under 95%); outside2-final.json all ten at the merged main, where one of the two was reverted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from papertrack.history import _TEXT_SUFFIXES

SHARED = Path(os.environ.get("PAPERTRACK_HISTORIES", "/work/shared/histories"))
MIRROR = Path(os.environ.get("PAPERTRACK_MIRROR", "/work/.mirror"))
SCRATCH = Path(os.environ.get("PAPERTRACK_BENCH_SCRATCH", "/tmp/papertrack-calibration"))
# histories outside issue 16's list: held out, never used to tune the model
EXTRA = Path(__file__).resolve().with_name("histories_extra.tsv")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_COMMENT = re.compile(r"(?<!\\)%.*")

csv.field_size_limit(10**8)


def held_out(index: int) -> bool:
    """Row index (1-based) 2 mod 3: not used to tune the model."""
    return index % 3 == 2


def git_dir(repo: str) -> Path:
    d = MIRROR / repo.replace("/", "+") / "repo"
    return d / ".git" if (d / ".git").is_dir() else d


def git(gd: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={gd}", *args], capture_output=True, check=True, timeout=300
    ).stdout


def histories(outside: bool = False) -> list[dict]:
    """The histories of issue 16's list, or (outside) those of bench/histories_extra.tsv."""
    path = EXTRA if outside else SHARED / "histories.tsv"
    with open(path, encoding="utf-8") as fh:
        rows = list(
            csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        )
    out = []
    for i, r in enumerate(rows, 1):
        final = re.search(r"[0-9a-f]{40}", r["final_commit"]).group(0)
        start = re.search(r"\d{4}-\d{2}-\d{2}", r["writing_period"]).group(0)
        deadline = r["deadline"]
        has_deadline = not deadline.lower().startswith("none")
        out.append(
            {
                "index": i,
                "repo": r["repo"],
                "subdir": r["subdir"].split()[0],
                "main": r["main"].split()[0],
                "final": final,
                "start": start,
                "deadline_known": has_deadline,
                "held_out": outside or held_out(i),
                "outside": outside,
            }
        )
    return out


def git_period_commits(h: dict) -> list[dict]:
    """The commits touching `<subdir>/*.tex` up to the final commit (topological order, oldest
    first, committer dates), from the writing period's start: what commits/*.tsv lists for the
    histories of the issue's list."""
    spec = "*.tex" if h["subdir"] == "." else f"{h['subdir']}/*.tex"
    raw = git(
        git_dir(h["repo"]),
        "log",
        "--topo-order",
        "--reverse",
        "--format=%H %cI",
        h["final"],
        "--",
        spec,
    )
    start = dt.date.fromisoformat(h["start"])
    out = []
    for line in raw.decode().splitlines():
        sha, when = line.split()
        t = dt.datetime.fromisoformat(when)
        if t.date() >= start:
            out.append({"sha": sha, "time": t})
    return out


def period_commits(h: dict) -> list[dict]:
    """The commits of the writing period up to the primary final commit, oldest first."""
    if h.get("outside"):
        return _to_final(h, git_period_commits(h))
    path = SHARED / "commits" / f"{h['repo'].replace('/', '+')}.tsv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    # the milestone column of the primary final commit: the first column is an earlier
    # milestone on some histories (tchajed's committee draft, sharkdp's review version), which
    # would drop the last months of writing from the period
    cols = [c for c in rows[0] if c.startswith("in_")]
    at_final = next((r for r in rows if r["commit"] == h["final"]), None)
    if at_final is not None:
        cols = [c for c in cols if at_final[c] == "1"] or cols
    col = min(cols, key=lambda c: sum(r[c] == "1" for r in rows))
    start = dt.date.fromisoformat(h["start"])
    out = []
    for r in rows:
        if r[col] != "1":
            continue
        t = dt.datetime.fromisoformat(r["committer_date"])
        if t.date() < start:
            continue
        out.append({"sha": r["commit"], "time": t})
    return _to_final(h, out)


def _to_final(h: dict, out: list[dict]) -> list[dict]:
    """The period's commits up to the final one (added when it touched no .tex)."""
    if not any(c["sha"] == h["final"] for c in out):
        # the final commit touched no .tex (a release commit that adds the PDF): end there
        when = git(git_dir(h["repo"]), "show", "-s", "--format=%cI", h["final"]).decode().strip()
        out.append({"sha": h["final"], "time": dt.datetime.fromisoformat(when)})
    end = next(i for i, c in enumerate(out) if c["sha"] == h["final"])
    return out[: end + 1]


def sample(items: list, n: int) -> list:
    if len(items) <= n:
        return items
    step = (len(items) - 1) / (n - 1)
    return [items[round(i * step)] for i in range(n)]


# the same files the history rebuild writes with their content
TEXT_SUFFIXES = _TEXT_SUFFIXES


def export(gd: Path, sha: str, subdir: str, dest: Path) -> None:
    """The tree at a commit into dest: text files with content, others empty (mirrors may
    lack their largest blobs; the check only asks whether an image exists)."""
    spec = "." if subdir == "." else subdir
    raw = git(gd, "ls-tree", "-r", "-z", sha, "--", spec)
    want = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or ".." in Path(path).parts:
            continue
        want.append((path, blob))
    texts = [b for p, b in want if Path(p).suffix.lower() in TEXT_SUFFIXES]
    out = (
        subprocess.run(
            ["git", f"--git-dir={gd}", "cat-file", "--batch"],
            input=("\n".join(texts) + "\n").encode(),
            capture_output=True,
            timeout=300,
        ).stdout
        if texts
        else b""
    )
    data, i = {}, 0
    while i < len(out):
        nl = out.index(b"\n", i)
        head = out[i:nl].split()
        if len(head) < 3:
            i = nl + 1
            continue
        size = int(head[2])
        data[head[0].decode()] = out[nl + 1 : nl + 1 + size]
        i = nl + 1 + size + 1
    for path, blob in want:
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.get(blob, b""))


def tex_text(gd: Path, sha: str, subdir: str) -> str:
    """Every .tex file under the paper folder at a commit, comments removed."""
    spec = "." if subdir == "." else subdir
    raw = git(gd, "ls-tree", "-r", "-z", sha, "--", spec)
    blobs = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        if name.endswith(b".tex") and meta.split()[1] == b"blob":
            blobs.append(meta.split()[2].decode())
    if not blobs:
        return ""
    out = subprocess.run(
        ["git", f"--git-dir={gd}", "cat-file", "--batch"],
        input=("\n".join(blobs) + "\n").encode(),
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    parts, i = [], 0
    while i < len(out):
        nl = out.index(b"\n", i)
        if len(out[i:nl].split()) != 3:
            i = nl + 1
            continue
        size = int(out[i:nl].split()[2])
        parts.append(out[nl + 1 : nl + 1 + size].decode("utf-8", "replace"))
        i = nl + 1 + size + 1
    return "\n".join(_COMMENT.sub("", p) for p in parts)


def shingles(text: str, k: int = 4) -> set[int]:
    w = [x.lower() for x in _WORD.findall(text)]
    return {hash(tuple(w[i : i + k])) for i in range(max(0, len(w) - k + 1))}


def clone(h: dict) -> Path:
    """A scratch clone (no checkout: mirrors may lack their largest blobs).
    papertrack reads every state with --as-of from git; the folder only has to exist."""
    # a full copy of the objects: papertrack's sandboxed git sees only the repository itself,
    # so a clone borrowing objects from the mirror (--shared, alternates) cannot be read
    dest = SCRATCH / "clones-full" / h["repo"].replace("/", "+")
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        src = MIRROR / h["repo"].replace("/", "+") / "repo"
        subprocess.run(
            ["git", "clone", "-q", "--no-checkout", str(src), str(dest)],
            check=True,
            timeout=600,
        )
    (dest / h["subdir"]).mkdir(parents=True, exist_ok=True)
    return dest


def env_for(src: Path, tag: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src.resolve())
    env["XDG_CACHE_HOME"] = str(SCRATCH / f"xdg-{tag}" / "cache")
    env["XDG_DATA_HOME"] = str(SCRATCH / f"xdg-{tag}" / "data")
    env["PAPERTRACK_NO_HISTORY"] = "1"
    env.setdefault("PAPERTRACK_HISTORY_LIMIT", "40")
    return env


_API_WORKER = r"""
import json, sys
from pathlib import Path
from papertrack.check import run_check
from papertrack.config import load_config
from papertrack.completion import assess
for line in sys.stdin:
    job = json.loads(line)
    try:
        folder = Path(job["folder"])
        cfg = load_config(folder, None)
        cfg.compile = False
        main = job["main"] if (folder / job["main"]).is_file() else None
        c = assess(run_check(folder, main=main, cfg=cfg))
        print(json.dumps({"honest": c.honest, "felt": c.felt, "hours_left": c.hours_left}), flush=True)
    except Exception as e:
        print(json.dumps({"error": repr(e)}), flush=True)
"""


def run_api(h: dict, points: list[dict], src: Path, gd: Path) -> list[dict]:
    sub = h["subdir"]
    main = h["main"] if sub == "." else h["main"][len(sub) + 1 :]
    proc = subprocess.Popen(
        [sys.executable, "-c", _API_WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env_for(src, "api"),
    )
    out = []
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        for i, p in enumerate(points):
            dest = Path(tmp) / f"c{i}"
            dest.mkdir()
            export(gd, p["sha"], sub, dest)
            folder = dest / sub if sub != "." else dest
            proc.stdin.write(json.dumps({"folder": str(folder), "main": main}) + "\n")
            proc.stdin.flush()
            out.append(json.loads(proc.stdout.readline()))
    proc.stdin.close()
    proc.wait()
    return out


# External deadlines from histories.tsv (conference calls, a public release date), as a writer
# would set `deadline` in papertrack.toml: the day the call for papers names (papertrack reads
# it as ending anywhere on Earth). Journals and theses have none.
DEADLINES = {
    "aidanscannell/iqrl-minimal": "2024-02-01",  # ICML 2024: Feb 1 AoE (= Feb 2 12:00 UTC)
    "zhu-y11/TweeParPaper": "2017-12-15",
    "LedgeDash/unum-paper": "2021-12-14",
    "mwhittaker/enforced_invariant_confluence": "2018-05-01",
    "BLAKE3-team/BLAKE3-specs": "2020-01-09",
    "HoTT/book": "2013-06-20",
}


def run_cli(h: dict, points: list[dict], src: Path) -> list[dict]:
    repo = clone(h)
    folder = repo / h["subdir"] if h["subdir"] != "." else repo
    cfg = folder / "papertrack.toml"
    deadline = None if ARGS.no_deadlines else DEADLINES.get(h["repo"])
    # the scratch clone is the bench's own: its config says the deadline, or nothing
    if deadline:
        cfg.write_text(f'deadline = "{deadline}"\n', encoding="utf-8")
    else:
        cfg.unlink(missing_ok=True)
    main = h["main"] if h["subdir"] == "." else h["main"][len(h["subdir"]) + 1 :]
    out = []
    for p in points:
        cmd = [sys.executable, "-m", "papertrack", "report", str(folder), "--format", "json"]
        cmd += ["--no-compile", "--as-of", p["sha"]]
        cmd += ["--main", main]  # the main file as of the final commit; renames are followed
        r = subprocess.run(
            cmd, capture_output=True, text=True, env=env_for(src, "cli"), timeout=900
        )
        try:
            data = json.loads(r.stdout)
            out.append(
                {
                    "honest": data["is_done"]["value"],
                    "felt": data["feels_done"]["value"],
                    "hours_left": data["hours_left"],
                    "projection": data.get("projection"),
                    "drafting": data["is_done"]["drafting"],
                    "rewritten": data["is_done"]["rewritten"],
                    "revision": data["is_done"]["revision"],
                    "revision_days": data["is_done"]["revision_days"],
                    "drafting_days": data["is_done"]["drafting_days"],
                    "revision_allowed_days": data["is_done"].get("revision_allowed_days"),
                    # per file, without the file names (derived numbers only)
                    "revision_files": [
                        {k: v for k, v in f.items() if k != "file"}
                        for f in data["is_done"].get("revision_files") or []
                    ],
                    # kinds only: the committed results hold no paper text (section titles)
                    "blockers": sorted({_kind(b) for b in data["is_done"]["blockers"]}),
                    "words": data["feels_done"]["words"],
                    "target_known": data["feels_done"]["target_words"] is not None,
                }
            )
        except (ValueError, KeyError):
            out.append({"error": (r.stderr or r.stdout)[-400:]})
    return out


def _kind(blocker: str) -> str:
    for kind in ("open note", "missing section", "unresolved", "figure", "over the limit"):
        if kind in blocker:
            return kind
    return "other"


def mae(xs: list[float], ys: list[float]) -> float | None:
    pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
    return sum(abs(x - y) for x, y in pairs) / len(pairs) if pairs else None


def _days_until(day: str | None, when: dt.datetime) -> float | None:
    """Days from `when` to the end of a projected finish day. A finish day ends anywhere on
    Earth (UTC-12), as the deadline it often is: counting whole calendar days instead called a
    4-day sprint submitted on its deadline 80% wrong (said 0 days, 0.8 were left)."""
    if not day:
        return None
    end = dt.datetime.combine(
        dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time(12), tzinfo=dt.timezone.utc
    )
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return round((end - when).total_seconds() / 86400, 1)


def projection_error(h, commits, points, results) -> dict | None:
    """The projection made at the sampled point nearest 65% of the period, against the real
    time left: |projected - real| / real."""
    t0, t1 = commits[0]["time"], commits[-1]["time"]
    span = (t1 - t0).total_seconds()
    cands = [
        (abs((p["time"] - t0).total_seconds() / span - 0.65), i)
        for i, p in enumerate(points)
        if 0.6 <= (p["time"] - t0).total_seconds() / span <= 0.7
    ]
    if not cands:
        cands = [
            (abs((p["time"] - t0).total_seconds() / span - 0.65), i) for i, p in enumerate(points)
        ]
    _, i = min(cands)
    p = points[i]
    real = (t1 - p["time"]).total_seconds() / 86400
    proj = results[i].get("projection")
    if not proj:
        return {
            "at": round((p["time"] - t0).total_seconds() / span, 2),
            "real_days": round(real, 1),
            "said": None,
        }
    finish = proj.get("finish")
    lo, hi = proj.get("finish_low"), proj.get("finish_high")
    said = _days_until(finish, p["time"])
    low, high = _days_until(lo, p["time"]), _days_until(hi, p["time"])
    if proj.get("status") == "done":
        said = low = high = 0.0  # it reads done now: nothing left, whatever the day
    return {
        "at": round((p["time"] - t0).total_seconds() / span, 2),
        "real_days": round(real, 1),
        "said_days": said,
        "low_days": low,
        "high_days": high,
        "status": proj.get("status"),
        "rel_error": round(abs(said - real) / max(real, 1.0), 2) if said is not None else None,
    }


def api_projection(points, results, i_at, deadline=None):
    """Main's projection (30-day pace of the honest figure) from the sampled points up to i."""
    sys.path.insert(0, str(ARGS.src.resolve()))
    from papertrack import history

    snaps = [
        {"time": p["time"].isoformat(), "honest": r.get("honest")}
        for p, r in zip(points[: i_at + 1], results[: i_at + 1], strict=True)
        if r.get("honest") is not None
    ]
    pr = history.project(snaps, deadline, today=points[i_at]["time"].date())
    if pr is None or pr.finish is None:
        return None
    return {"finish": pr.finish.isoformat(), "status": "on track" if pr.beats else None}


def measure(h: dict, n: int, src: Path, driver: str) -> dict:
    gd = git_dir(h["repo"])
    commits = period_commits(h)
    points = sample(commits, n)
    t0, t1 = commits[0]["time"], commits[-1]["time"]
    span = (t1 - t0).total_seconds() or 1.0
    final = shingles(tex_text(gd, h["final"], h["subdir"]))
    idx = {c["sha"]: i for i, c in enumerate(commits)}
    truth = {"calendar": [], "commits": [], "text": []}
    for p in points:
        truth["calendar"].append((p["time"] - t0).total_seconds() / span)
        truth["commits"].append(idx[p["sha"]] / max(1, len(commits) - 1))
        now = shingles(tex_text(gd, p["sha"], h["subdir"]))
        truth["text"].append(len(final & now) / max(1, len(final)))
    results = run_api(h, points, src, gd) if driver == "api" else run_cli(h, points, src)
    if driver == "api":
        for i in range(len(points)):
            results[i]["projection"] = None
        span_at = [(abs(c - 0.65), i) for i, c in enumerate(truth["calendar"])]
        i_at = min(span_at)[1]
        results[i_at]["projection"] = api_projection(points, results, i_at)
    out = {
        "repo": h["repo"],
        "held_out": h["held_out"],
        "outside": h.get("outside", False),
        "points": len(points),
        "errors": [r["error"] for r in results if "error" in r][:3],
    }
    for fig in ("honest", "felt"):
        vals = [r.get(fig) for r in results]
        out[fig] = {m: mae(vals, truth[m]) for m in truth}
        out[fig]["final"] = vals[-1]
        out[fig]["series"] = [None if v is None else round(v, 3) for v in vals]
    out["truth"] = {m: [round(v, 3) for v in truth[m]] for m in truth}
    out["detail"] = [
        {
            k: r.get(k)
            for k in (
                "drafting",
                "rewritten",
                "revision",
                "revision_days",
                "drafting_days",
                "revision_allowed_days",
                "revision_files",
                "blockers",
                "words",
                "target_known",
            )
        }
        for r in results
    ]
    out["projection"] = projection_error(h, commits, points, results)
    return out


def reproject(path: Path, n: int, src: Path) -> None:
    """Replay only the point nearest 65% of each history in a results file and replace its
    projection (after a change to the projection alone)."""
    results = json.loads(path.read_text())
    by_repo = {h["repo"]: h for h in histories() + histories(outside=True)}
    for r in results:
        h = by_repo[r["repo"]]
        commits = period_commits(h)
        points = sample(commits, n)
        t0, t1 = commits[0]["time"], commits[-1]["time"]
        span = (t1 - t0).total_seconds() or 1.0
        i = min(
            range(len(points)),
            key=lambda k: abs((points[k]["time"] - t0).total_seconds() / span - 0.65),
        )
        at = run_cli(h, [points[i]], src)
        fake = [{} for _ in points]
        fake[i] = at[0]
        r["projection"] = projection_error(h, commits, points, fake)
        print(r["repo"], r["projection"], flush=True)
    path.write_text(json.dumps(results, indent=1))


def fmt(v, pct=False):
    if v is None:
        return "n/a"
    return f"{v:.0%}" if pct else f"{v:.2f}"


def table(paths: list[Path]) -> None:
    runs = [(p.stem, json.loads(p.read_text())) for p in paths]
    for name, data in runs:
        print(f"\n## {name}\n")
        print(
            "| history | held out | is done MAE cal / commits / text | feels done MAE cal / commits / text | final is / feels | projection at ~65%: said / real days |"
        )
        print("|---|---|---|---|---|---|")
        for r in data:
            hon, fel = r["honest"], r["felt"]
            pr = r.get("projection") or {}
            said = pr.get("said_days")
            rng = (
                f" [{pr.get('low_days')}, {pr.get('high_days')}]"
                if pr.get("low_days") is not None
                else ""
            )
            status = f" ({pr['status']})" if pr.get("status") else ""
            held = "outside the list" if r.get("outside") else ("yes" if r["held_out"] else "")
            print(
                f"| {r['repo']} | {held} "
                f"| {fmt(hon['calendar'])} / {fmt(hon['commits'])} / {fmt(hon['text'])} "
                f"| {fmt(fel['calendar'])} / {fmt(fel['commits'])} / {fmt(fel['text'])} "
                f"| {fmt(hon['final'], True)} / {fmt(fel['final'], True)} "
                f"| {said if said is not None else 'none'}{rng}{status} / {pr.get('real_days')} |"
            )
        listed = [r for r in data if not r.get("outside")]
        groups = [
            ("tuned", [r for r in listed if not r["held_out"]]),
            ("held out", [r for r in listed if r["held_out"]]),
            ("all", listed),
            # never used to tune, not in the list: on their own, never in "all"
            ("outside the list", [r for r in data if r.get("outside")]),
        ]
        for group, rs in groups:
            if not rs:
                continue

            def avg(fig, m, rs=rs):
                xs = [r[fig][m] for r in rs if r[fig][m] is not None]
                return statistics.mean(xs) if xs else None

            finals = [r["honest"]["final"] for r in rs if r["honest"]["final"] is not None]
            ok95 = sum(1 for f in finals if f >= 0.95)
            within = [
                r["projection"]
                for r in rs
                if r.get("projection") and r["projection"].get("rel_error") is not None
            ]
            good = sum(1 for p in within if p["rel_error"] <= 0.2)
            # with a deadline the projection is the deadline; without one (journals, theses) the
            # time left is set by review cycles and hand-in dates the text does not show
            dl = [r for r in rs if r["repo"] in DEADLINES]
            dl_good = sum(1 for r in dl if (r.get("projection") or {}).get("rel_error", 1) <= 0.2)
            nodl = [r for r in rs if r["repo"] not in DEADLINES]
            nodl_good = sum(
                1
                for r in nodl
                if (r.get("projection") or {}).get("rel_error") is not None
                and r["projection"]["rel_error"] <= 0.2
            )
            # a floor for any reading of the paper: the share of the final text present (known
            # only afterwards) against calendar time, at the same points
            oracle = statistics.mean(
                statistics.mean(
                    abs(t - c)
                    for t, c in zip(r["truth"]["text"], r["truth"]["calendar"], strict=True)
                )
                for r in rs
            )
            print(
                f"\n{group} ({len(rs)}): is done MAE calendar {fmt(avg('honest', 'calendar'))}, "
                f"commits {fmt(avg('honest', 'commits'))}, text {fmt(avg('honest', 'text'))}; "
                f"feels done MAE calendar {fmt(avg('felt', 'calendar'))}, commits "
                f"{fmt(avg('felt', 'commits'))}, text {fmt(avg('felt', 'text'))}; finals >= 95%: "
                f"{ok95}/{len(finals)}; projections within 20%: {good}/{len(rs)} "
                f"({len(within)} gave a date; with a deadline {dl_good}/{len(dl)}, without "
                f"{nodl_good}/{len(nodl)}); the final text's share against calendar (an "
                f"oracle no reading of the paper has) {fmt(oracle)}"
            )


def main() -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    ap.add_argument("--driver", choices=["cli", "api"], default="cli")
    ap.add_argument("--points", type=int, default=20, help="sampled commits per history")
    ap.add_argument("--only", help="comma-separated substrings of repository names")
    ap.add_argument(
        "--outside",
        action="store_true",
        help="replay the histories outside the issue's list (bench/histories_extra.tsv)",
    )
    ap.add_argument("--out", type=Path)
    ap.add_argument("--no-deadlines", action="store_true", help="project from the pace alone")
    ap.add_argument("--table", type=Path, nargs="*")
    ap.add_argument("--reproject", type=Path, help="replay only the 65%% point of a results file")
    ARGS = ap.parse_args()
    if ARGS.table:
        table(ARGS.table)
        return 0
    if ARGS.reproject:
        reproject(ARGS.reproject, ARGS.points, ARGS.src)
        return 0
    SCRATCH.mkdir(parents=True, exist_ok=True)
    results = []
    for h in histories(outside=ARGS.outside):
        if ARGS.only and not any(s in h["repo"] for s in ARGS.only.split(",")):
            continue
        r = measure(h, ARGS.points, ARGS.src, ARGS.driver)
        results.append(r)
        print(
            f"{h['repo']}: is done MAE cal {fmt(r['honest']['calendar'])} final {fmt(r['honest']['final'], True)}; "
            f"feels MAE cal {fmt(r['felt']['calendar'])} final {fmt(r['felt']['final'], True)}"
            + (f"; errors {r['errors']}" if r["errors"] else ""),
            flush=True,
        )
        if ARGS.out:
            ARGS.out.write_text(json.dumps(results, indent=1))
    return 0


ARGS: argparse.Namespace

if __name__ == "__main__":
    sys.exit(main())
