"""Check that the fast .bib scanner reads exactly what bibtexparser reads.

Compares parse_bib (scanner + bibtexparser fallback) with parse_bib_reference (bibtexparser
alone) on every .bib of the corpus, on a generated bib, and on randomly damaged copies of them
(deleted, inserted and swapped delimiters: the fallback's territory).

Usage: python bench/bib_equiv.py [--mutants 300] [--seed 1] [--corpus /work/shared/corpus]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papertrack.parse.bib import parse_bib
from papertrack.parse.bibreference import parse_bib_reference

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NOISE = [
    "{",
    "}",
    '"',
    ",",
    "=",
    "\n",
    "\\",
    "@misc{",
    "\n@article{x,",
    "#",
    "%",
    " ",
    "\\{",
    '{"}',
    "(",
    ")",
    "@string{a = {b}}\n",
    "\n@comment{",
    "\\\n",
    "\r\n",
    "\xa0",
    "\f",
    "\t",
    '\n@STRING{Acl = "A"}\n',
    "\n  @Misc {k,",
    " # acl",
    "\\\\",
    "\\}",
    "@",
    "\n@preamble{x}",
]


def signature(bf) -> tuple:
    return (
        bf.encoding,
        [(e.key, e.type, e.file, e.line, e.fields, e.field_names) for e in bf.entries],
        [(d.rule, d.file, d.line, d.col, d.message, d.extra) for d in bf.diagnostics],
    )


def compare(rel: str, data: bytes) -> str | None:
    a, b = signature(parse_bib(rel, data)), signature(parse_bib_reference(rel, data))
    if a == b:
        return None
    if a[0] != b[0]:
        return f"encoding {a[0]} != {b[0]}"
    for part, x, y in (("entries", a[1], b[1]), ("diagnostics", a[2], b[2])):
        if x != y:
            for i, (p, q) in enumerate(zip(x, y, strict=False)):
                if p != q:
                    return f"{part}[{i}]: fast {p}\n    reference {q}"
            return f"{part}: {len(x)} fast vs {len(y)} reference"
    return "differs"


def mutate(rng: random.Random, data: bytes, n: int) -> bytes:
    text = data.decode("utf-8", "replace")
    for _ in range(n):
        pos = rng.randrange(len(text) + 1)
        r = rng.random()
        if r < 0.4:
            text = text[:pos] + rng.choice(NOISE) + text[pos:]
        elif r < 0.8:
            text = text[:pos] + text[pos + rng.randint(1, 3) :]
        else:
            j = rng.randrange(len(text) + 1)
            text = text[:pos] + text[j : j + 40] + text[pos:]
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.05:
        return text.encode("latin-1", "replace")
    return text.encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mutants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--generated", type=int, default=3000, help="entries in the generated bib")
    ap.add_argument(
        "--parallel", action="store_true", help="split every file between two processes"
    )
    a = ap.parse_args()
    if a.parallel:
        import papertrack.parse.bib as bibmod

        bibmod.PARALLEL_MIN_CHARS = 0
    samples: list[tuple[str, bytes]] = [
        (str(p.relative_to(a.corpus)), p.read_bytes()) for p in sorted(a.corpus.rglob("*.bib"))
    ]
    import gen_bib

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "gen.bib"
        gen_bib.write_bib(p, a.generated, seed=a.seed)
        samples.append(("generated.bib", p.read_bytes()))
    failures = 0
    t = time.perf_counter()
    for rel, data in samples:
        err = compare(rel, data)
        print(f"{'ok ' if err is None else 'FAIL'} {rel} ({len(data) // 1024} kB)")
        if err:
            failures += 1
            print("   ", err)
    rng = random.Random(a.seed)
    small = [(r, d) for r, d in samples]
    for i in range(a.mutants):
        rel, data = rng.choice(small)
        # a window keeps the reference parser fast; damage it in a few places
        start = rng.randrange(max(1, len(data) - 20000))
        chunk = data[start : start + 20000]
        chunk = chunk[chunk.find(b"\n") + 1 :] if i % 3 else chunk
        m = mutate(rng, chunk, rng.randint(1, 8))
        err = compare(f"mutant{i}.bib", m)
        if err:
            failures += 1
            if failures <= 10:
                out = Path(tempfile.gettempdir()) / f"bib_equiv_mutant{i}.bib"
                out.write_bytes(m)
                print(f"FAIL mutant {i} of {rel} (saved to {out})\n    {err}")
    print(
        f"{len(samples)} files and {a.mutants} mutants: {failures} disagreements "
        f"({time.perf_counter() - t:.1f} s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
