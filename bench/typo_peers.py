"""papertrack's bibliography and typography rules against BibTeX, chktex and lacheck.

Two comparisons on the shared papers (../shared/corpus and ../shared/wild), nothing written
into them:

- `bib`: for every paper that uses BibTeX, a scratch .aux with papertrack's cited keys, .bib
  files and \\bibliographystyle is given to BibTeX itself (bibtex -terse in a temporary
  folder, the paper's folder on BIBINPUTS/BSTINPUTS). Its .blg warnings are the oracle for
  PT204 (syntax errors), PT207 (undefined @string), PT208 (empty required field), PT209 (no
  author/key to sort) and PT210 (type not in the style). Printed: per rule, what both found,
  what only papertrack found (candidate false findings), what only BibTeX found (misses).
- `typo`: chktex and lacheck on the root file (they follow \\input themselves) against the
  typography rules (PT35x), by kind: unbalanced ( ) [ ], straight opening quotes, space before
  \\footnote, "et. al.", missing ~ before \\cite/\\ref. A warning of either tool counts as found
  by it; papertrack's findings are listed with the source line, to be judged by reading.

Usage: python bench/typo_peers.py [bib|typo|all] [--only NAME] [--show]
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import tomllib

SHARED = Path(__file__).resolve().parents[2] / "shared"
BIB_RULES = ("PT204", "PT205", "PT207", "PT208", "PT209", "PT210")


def papers(only: str | None = None):
    """(name, folder, main) of the 39 shared papers."""
    exp = tomllib.loads((SHARED / "corpus" / "EXPECTED.toml").read_text())["papers"]
    out = [(n, SHARED / "corpus" / n, p["main"]) for n, p in sorted(exp.items())]
    with open(SHARED / "wild" / "MANIFEST.tsv") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.append((row["short_name"], SHARED / "wild" / row["short_name"], row["main"]))
    return [p for p in out if not only or only in p[0]]


def check(folder: Path, main: str, select: tuple[str, ...]):
    """papertrack's document and findings (no compile, no cache, no history)."""
    os.environ["PAPERTRACK_NO_HISTORY"] = "1"
    from papertrack.check import run_check
    from papertrack.config import Config

    cfg = Config()
    cfg.select = list(select)
    return run_check(folder, main=main, cfg=cfg, use_cache=False)


# -- BibTeX as the oracle ---------------------------------------------------------------------
_BLG = [
    (
        "PT207",
        re.compile(r'Warning--string name "([^"]+)" is undefined\n--line (\d+) of file (\S+)'),
    ),
    ("PT208", re.compile(r"Warning--empty (\w+) in (\S+)")),
    ("PT209", re.compile(r"Warning--to sort, need (?:author|editor)[^\n]* in (\S+)")),
    (
        "PT210",
        re.compile(
            r'Warning--entry type for "([^"]+)" isn\'t style-file defined\n--line (\d+) of file (\S+)'
        ),
    ),
    ("PT205", re.compile(r"Repeated entry---line (\d+) of file (\S+\.bib)")),
    ("PT204", re.compile(r"(?<!Repeated entry)---line (\d+) of file (\S+\.bib)")),
]


def bibtex_oracle(doc) -> tuple[set, str] | None:
    """BibTeX's warnings for papertrack's cited keys, as (rule, file-or-key, detail) facts."""
    from papertrack.parse.bibstyle import detect_style

    style = detect_style(doc)
    if style.backend != "bibtex" or not style.name or not doc.project.bib_files:
        return None
    exe = shutil.which("bibtex")
    if not exe:
        return None
    main_dir = doc.folder / Path(doc.main).parent
    keys = sorted({c.key for c in doc.cites})
    with tempfile.TemporaryDirectory() as tmp:
        bibs = []
        for i, rel in enumerate(doc.project.bib_files):
            link = Path(tmp) / f"b{i}.bib"
            shutil.copy(doc.folder / rel, link)
            bibs.append((f"b{i}", rel))
        aux = "".join(f"\\citation{{{k}}}\n" for k in keys)
        aux += f"\\bibstyle{{{style.name}}}\n\\bibdata{{{','.join(b for b, _ in bibs)}}}\n"
        (Path(tmp) / "x.aux").write_text(aux)
        env = {**os.environ, "BSTINPUTS": f"{main_dir}:{doc.folder}:", "BIBINPUTS": f"{tmp}:"}
        subprocess.run(
            [exe, "-terse", "x"],
            cwd=tmp,
            env=env,
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        blg = (Path(tmp) / "x.blg").read_text(errors="replace")
    names = dict(bibs)
    facts = set()
    for rule, rx in _BLG:
        for m in rx.finditer(blg):
            if rule == "PT207":
                facts.add(
                    (
                        rule,
                        m.group(1).lower(),
                        names.get(m.group(3).removesuffix(".bib"), m.group(3)) + ":" + m.group(2),
                    )
                )
            elif rule == "PT208":
                facts.add((rule, m.group(2).lower(), m.group(1)))
            elif rule == "PT209" or rule == "PT210":
                facts.add((rule, m.group(1).lower(), ""))
            else:
                facts.add(
                    (
                        rule,
                        names.get(m.group(2).removesuffix(".bib"), m.group(2)) + ":" + m.group(1),
                        "",
                    )
                )
    return facts, blg


def papertrack_bib_facts(findings) -> set:
    out = set()
    for f in findings:
        if str(f.severity) == "info":
            continue  # BibTeX is silent about what it does not print (uncited duplicates)
        msg = f.message
        if f.code == "PT207":
            m = re.search(r"uses @string '([^']+)'", msg)
            out.add(("PT207", m.group(1).lower(), f"{f.location.file}:{f.location.line}"))
        elif f.code == "PT208":
            key = re.search(r"'([^']+)' has no ([\w, ]+):", msg)
            for field in key.group(2).split(", "):
                out.add(("PT208", key.group(1).lower(), field))
        elif f.code in ("PT209", "PT210"):
            out.add((f.code, re.search(r"'([^']+)'", msg).group(1).lower(), ""))
        elif f.code in ("PT204", "PT205"):
            out.add((f.code, f"{f.location.file}:{f.location.line}", ""))
    return out


def bench_bib(args) -> None:
    totals = Counter()
    for name, folder, main in papers(args.only):
        res = check(folder, main, BIB_RULES)
        got = bibtex_oracle(res.document)
        if got is None:
            print(f"{name}: not BibTeX (or no style/bib): skipped")
            continue
        oracle, blg = got
        ours = papertrack_bib_facts(res.findings)
        # an undefined @string also leaves its field empty: PT207 says it once, for both
        strings = {
            re.search(r"'([^']+)'", f.message).group(1).lower()
            for f in res.findings
            if f.code == "PT207"
        }
        oracle = {f for f in oracle if not (f[0] == "PT208" and f[1] in strings)}
        for rule in BIB_RULES:
            o = {f for f in oracle if f[0] == rule}
            p = {f for f in ours if f[0] == rule}
            both, only_pt, only_bt = o & p, p - o, o - p
            totals[rule, "both"] += len(both)
            totals[rule, "only papertrack"] += len(only_pt)
            totals[rule, "only bibtex"] += len(only_bt)
            for f in sorted(only_pt):
                print(f"{name}: {rule} only papertrack: {f[1]} {f[2]}")
            for f in sorted(only_bt):
                print(f"{name}: {rule} only BibTeX: {f[1]} {f[2]}")
        if args.show:
            print(blg)
    print("\n| rule | both | only papertrack | only BibTeX |\n|---|---|---|---|")
    for rule in BIB_RULES:
        print(
            f"| {rule} | {totals[rule, 'both']} | {totals[rule, 'only papertrack']} | "
            f"{totals[rule, 'only bibtex']} |"
        )


# -- chktex and lacheck -------------------------------------------------------------------------
# chktex warning numbers and lacheck messages, by kind of problem papertrack also checks
CHKTEX_KIND = {
    15: "paren",
    17: "paren",
    9: "paren",
    10: "paren",
    18: "quote",
    42: "footnote",
    2: "tie",
}
LACHECK_KIND = [
    ("quote", re.compile(r"quot", re.I)),
    ("footnote", re.compile(r"whitespace before footnote", re.I)),
    ("tie", re.compile(r"insert a `~' before", re.I)),
    ("etal", re.compile(r"et\.", re.I)),
    ("paren", re.compile(r"unmatched|[()\[\]] ", re.I)),
]
PT_KIND = {
    "PT351": "paren",
    "PT352": "paren",
    "PT353": "quote",
    "PT354": "footnote",
    "PT355": "etal",
    "PT356": "tie",
}


def _run(cmd: list[str], cwd: Path) -> str:
    try:
        r = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return r.stdout


def run_chktex(folder: Path, main: str) -> set[tuple[str, str, int]]:
    """(kind, file relative to the paper folder, line) of chktex's warnings of those kinds."""
    if not shutil.which("chktex"):
        return set()
    base = Path(main).parent
    out = set()
    for line in _run(
        ["chktex", "-q", "-v0", "-f%n:%f:%l\n", Path(main).name], folder / base
    ).splitlines():
        m = re.match(r"(\d+):(.*):(\d+)$", line)
        if m and int(m.group(1)) in CHKTEX_KIND:
            out.add((CHKTEX_KIND[int(m.group(1))], str(base / m.group(2)), int(m.group(3))))
    return out


def run_lacheck(folder: Path, main: str) -> set[tuple[str, str, int]]:
    if not shutil.which("lacheck"):
        return set()
    base = Path(main).parent
    out = set()
    for line in _run(["lacheck", Path(main).name], folder / base).splitlines():
        m = re.match(r'"(.*)", line (\d+): (.*)', line)
        if not m:
            continue
        for kind, rx in LACHECK_KIND:
            if rx.search(m.group(3)):
                out.add((kind, str(base / m.group(1)).replace("/./", "/"), int(m.group(2))))
                break
    return out


def bench_typo(args) -> None:
    """Per kind: papertrack's findings at warning+ (all read by hand, see the report), and
    how many of them chktex and lacheck also report at the same file:line, and how many
    warnings of that kind each tool gives in all."""
    total: dict[str, Counter] = defaultdict(Counter)
    for name, folder, main in papers(args.only):
        res = check(folder, main, tuple(PT_KIND))
        ours = {
            (PT_KIND[f.code], f.location.file, f.location.line, str(f.severity))
            for f in res.findings
        }
        tools = {"chktex": run_chktex(folder, main), "lacheck": run_lacheck(folder, main)}
        for kind, file, line, sev in ours:
            total[f"papertrack {sev}"][kind] += 1
            for tool, found in tools.items():
                if (kind, file.removeprefix("./"), line) in {
                    (k, f.removeprefix("./"), ln) for k, f, ln in found
                }:
                    total[f"papertrack {sev}, also {tool}"][kind] += 1
        for tool, found in tools.items():
            for kind, _f, _l in found:
                total[tool][kind] += 1
        if args.show:
            for f in res.findings:
                src = (folder / f.location.file).read_text(errors="replace").splitlines()
                line = src[f.location.line - 1].strip() if f.location.line <= len(src) else ""
                print(
                    f"{name}: {f.location} {f.code} [{f.severity}] {f.message}\n    | {line[:160]}"
                )
    kinds = sorted({k for c in total.values() for k in c})
    print("\n| findings (file:line) | " + " | ".join(kinds) + " |\n|---|" + "---|" * len(kinds))
    for tool in sorted(total):
        print(f"| {tool} | " + " | ".join(str(total[tool][k]) for k in kinds) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", nargs="?", default="all", choices=["bib", "typo", "all"])
    ap.add_argument("--only", help="papers whose name contains this")
    ap.add_argument("--show", action="store_true", help="print each finding with its source line")
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    if args.what in ("bib", "all"):
        bench_bib(args)
    if args.what in ("typo", "all"):
        bench_typo(args)


if __name__ == "__main__":
    main()
