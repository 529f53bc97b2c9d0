"""Compare papertrack's findings with the corpus ground truth (EXPECTED.toml), without TeX.

Prints, per paper, the chosen main file and every disagreement on undefined references and
citations, unreferenced floats, uncited bib entries, TODO markers and float counts, then the
other findings. Run it before and after a change that must not alter results.

Usage: python bench/cmp.py [PAPER ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from papertrack.check import run_check
from papertrack.config import Config

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def quoted(message: str) -> str:
    return message.split("'")[1]


def main() -> None:
    expected = tomllib.loads((CORPUS / "EXPECTED.toml").read_text())["papers"]
    only = sys.argv[1:]
    for name, e in expected.items():
        if only and name not in only:
            continue
        t = time.time()
        cfg = Config()
        cfg.compile = False
        r = run_check(CORPUS / name, cfg=cfg, use_cache=False)
        dt = time.time() - t
        doc = r.document

        def by(code: str, findings=r.findings) -> list:
            return [f for f in findings if f.code == code]

        und_refs = sorted({quoted(f.message) for f in by("PT101")})
        und_cites = sorted({quoted(f.message) for f in by("PT201")})
        unref = sorted(quoted(f.message) for f in by("PT103"))
        print(f"== {name} main={doc.main} ok={doc.main == e['main']} t={dt:.2f}")
        if und_refs != sorted(e["undefined_refs"]):
            print("  undefined refs", und_refs, "expected", e["undefined_refs"])
        if und_cites != sorted(e["undefined_cites"]):
            print("  undefined cites", und_cites, "expected", e["undefined_cites"])
        if unref != sorted(e["unreferenced_floats"]):
            print("  unreferenced floats", unref, "expected", e["unreferenced_floats"])
        n_unc = sum(int(f.message.split()[0]) if f.message[0].isdigit() else 1 for f in by("PT202"))
        if n_unc != e["uncited_bib_keys_count"]:
            print("  uncited", n_unc, "expected", e["uncited_bib_keys_count"])
        if len(by("PT301")) != e["todo_markers"]:
            print("  todos", len(by("PT301")), "expected", e["todo_markers"])
        nf = sum(1 for f in doc.floats if f.kind == "figure")
        nt = sum(1 for f in doc.floats if f.kind == "table")
        if (nf, nt) != (e["figure_floats"], e["table_floats"]):
            print("  floats", nf, nt, "expected", e["figure_floats"], e["table_floats"])
        core = ("PT101", "PT201", "PT103", "PT202", "PT301")
        for f in [f for f in r.findings if f.code not in core]:
            print("   other:", f.code, f.location, f.message[:110])


if __name__ == "__main__":
    main()
