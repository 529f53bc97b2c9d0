"""The package layout follows the pipeline: no module imports a later stage, and no import cycles.

Read from the source with `ast`, so imports inside functions (lazy imports) count too; the stage
order counts `if TYPE_CHECKING:` imports as well, the cycle check only what runs. docs/architecture.md explains the stages. Run this file as a script
to print the import graph's back-arrows and cycles.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# The stages, earliest first. A module belongs to the stage of its longest matching prefix and
# may import its own stage or an earlier one.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    # what every stage speaks: parsed facts, findings, errors, paths; `papertrack` is __version__
    (
        "facts",
        (
            "papertrack",
            "papertrack.facts",
            "papertrack.findings",
            "papertrack.errors",
            "papertrack.paths",
            "papertrack.jsonl",
        ),
    ),
    # the settings and the venue profiles; the [completion] weights table is settings data
    ("settings", ("papertrack.config", "papertrack.venues", "papertrack.completion.weights")),
    ("project", ("papertrack.project",)),  # files on disk -> Project
    ("parse", ("papertrack.parse",)),  # per-file facts
    ("model", ("papertrack.model",)),  # the Document and the questions about it
    # page counting and the build (with its record, which the merge and the compile rules read)
    (
        "pages",
        ("papertrack.pages", "papertrack.accounting", "papertrack.merge", "papertrack.gitsafe"),
    ),
    ("rules", ("papertrack.rules",)),  # rules, their table, selection and suppression
    ("engine", ("papertrack.engine", "papertrack.check")),  # the one pipeline
    # what reads a finished analysis
    ("analysis", ("papertrack.completion", "papertrack.history", "papertrack.runcache")),
    ("reporters", ("papertrack.reporters",)),
    (
        "front ends",
        ("papertrack.watch", "papertrack.commands", "papertrack.cli", "papertrack.__main__"),
    ),
]


def modules(src: Path = SRC) -> dict[str, Path]:
    """Module name -> file, for every module of the papertrack package."""
    out = {}
    for path in sorted((src / "papertrack").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module `name` refers to (a module, or the package holding a name imported from it)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _type_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside `if TYPE_CHECKING:` blocks (annotations only)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        name = getattr(test, "id", None) or getattr(test, "attr", None)
        if name == "TYPE_CHECKING":
            out |= {id(n) for b in node.body for n in ast.walk(b)}
    return out


def imports(name: str, path: Path, known: dict[str, Path], runtime: bool = False) -> set[str]:
    """The papertrack modules that module `name` imports anywhere in its file (with `runtime`,
    leaving out `if TYPE_CHECKING:` imports, which name types for annotations only)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_only(tree) if runtime else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, `level - 1` packages up
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # `from papertrack.model import headings` imports the module papertrack.model.headings
            targets = [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            if t == "papertrack" or t.startswith("papertrack."):
                found = _resolve(t, known)
                if found and found != name:
                    out.add(found)
    return out


def graph(src: Path = SRC, runtime: bool = False) -> dict[str, set[str]]:
    known = modules(src)
    return {name: imports(name, path, known, runtime) for name, path in known.items()}


def stage_of(module: str) -> int:
    best: tuple[int, int] | None = None
    for i, (_name, prefixes) in enumerate(STAGES):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and (best is None or len(p) > best[1]):
                best = (i, len(p))
    assert best is not None, f"{module} is in no stage: add it to STAGES"
    return best[0]


def back_arrows(g: dict[str, set[str]]) -> list[str]:
    """Imports of a later stage, as 'a (stage) -> b (stage)'."""
    out = []
    for a in sorted(g):
        for b in sorted(g[a]):
            if stage_of(b) > stage_of(a):
                out.append(f"{a} ({STAGES[stage_of(a)][0]}) -> {b} ({STAGES[stage_of(b)][0]})")
    return out


def cycles(g: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    for root in sorted(g):
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, edges = work[-1]
            w = next(edges, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(g.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(tuple(sorted(comp)))
    return sorted(found)


def test_every_module_is_in_a_stage():
    for name in modules():
        stage_of(name)


def test_no_module_imports_a_later_stage():
    assert back_arrows(graph()) == []


def test_no_import_cycles():
    # a module and its helper may name each other's types in annotations (the walker and its
    # macro handlers): the stage order above counts those imports, cycles count what runs
    assert cycles(graph(runtime=True)) == []


def test_the_checker_sees_lazy_imports_and_cycles(tmp_path):
    pkg = tmp_path / "papertrack"
    (pkg / "rules").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "rules" / "__init__.py").write_text("")
    (pkg / "engine.py").write_text("from papertrack.rules import a\n")
    (pkg / "rules" / "a.py").write_text("def f():\n    from papertrack.rules import b\n")
    (pkg / "rules" / "b.py").write_text("from . import a\nfrom papertrack import engine\n")
    g = graph(tmp_path)
    assert g["papertrack.rules.a"] == {"papertrack.rules.b"}
    assert cycles(g) == [("papertrack.engine", "papertrack.rules.a", "papertrack.rules.b")]
    assert back_arrows(g) == ["papertrack.rules.b (rules) -> papertrack.engine (engine)"]


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else SRC
    g = graph(src)
    print(f"{len(g)} modules, {sum(map(len, g.values()))} import arrows")
    for line in back_arrows(g):
        print("back-arrow:", line)
    for c in cycles(g):
        print(f"cycle of {len(c)}:", " ".join(c))
