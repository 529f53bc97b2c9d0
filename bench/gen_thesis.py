"""Generate a ~300-page thesis in 50 included files: prose, floats, citations, math, lists.

Deterministic for a given seed. Usage: python bench/gen_thesis.py OUT_DIR [--seed 11]
Layout: thesis.tex includes frontmatter/ (2 files) and 8 chapters, each a chapter file that
\\input's 5 section files (2 + 8 * 6 = 50 files), plus references.bib and figure files.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_bib

CHAPTERS = [
    "Introduction",
    "Background",
    "Related Work",
    "Learning Representations of Structure",
    "Robust Control with Learned Models",
    "Scaling to Real Robots",
    "Evaluation",
    "Conclusions and Future Work",
]
SECTION_WORDS = [
    "Motivation",
    "Problem",
    "Statement",
    "Method",
    "Model",
    "Architecture",
    "Training",
    "Objective",
    "Experiments",
    "Setup",
    "Results",
    "Analysis",
    "Ablations",
    "Discussion",
    "Limitations",
    "Datasets",
    "Baselines",
    "Metrics",
    "Implementation",
    "Dynamics",
    "Simulation",
    "Contacts",
    "Estimation",
    "Optimisation",
    "Policy",
    "Gradient",
    "Transfer",
    "Generalisation",
]
VOCAB = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "we",
    "this",
    "with",
    "as",
    "on",
    "are",
    "by",
    "be",
    "an",
    "which",
    "model",
    "can",
    "from",
    "our",
    "it",
    "at",
    "data",
    "results",
    "method",
    "approach",
    "not",
    "each",
    "these",
    "or",
    "their",
    "when",
    "learning",
    "system",
    "while",
    "than",
    "also",
    "has",
    "two",
    "its",
    "between",
    "using",
    "policy",
    "robot",
    "control",
    "where",
    "more",
    "time",
    "first",
    "used",
    "state",
    "such",
    "show",
    "how",
    "one",
    "function",
    "performance",
    "both",
    "all",
    "value",
    "over",
    "different",
    "training",
    "new",
    "but",
    "network",
    "based",
    "trajectory",
    "however",
    "only",
    "other",
    "task",
    "into",
    "set",
    "given",
    "simulation",
    "dynamics",
    "during",
    "most",
    "environment",
    "shown",
    "same",
    "then",
    "same",
    "estimate",
    "contact",
    "force",
    "joint",
    "torque",
    "velocity",
    "position",
    "reward",
    "agent",
    "action",
    "observation",
    "distribution",
    "sample",
    "error",
    "experiment",
    "parameter",
    "physical",
    "rigid",
    "body",
    "floating",
    "base",
    "humanoid",
    "locomotion",
    "balance",
    "gait",
    "stability",
    "solver",
    "constraint",
    "optimisation",
    "gradient",
    "stochastic",
    "deterministic",
    "framework",
    "algorithm",
    "analysis",
    "section",
    "chapter",
    "therefore",
    "moreover",
    "consequently",
    "furthermore",
    "particular",
    "general",
    "specific",
    "robust",
    "efficient",
    "accurate",
    "realistic",
    "complex",
    "simple",
    "large",
    "small",
    "high",
    "low",
    "significant",
    "previous",
    "following",
]
UNITS = ["\\SI{%d}{\\milli\\second}", "%d\\,Hz", "%d~ms", "%d\\%%"]


def _tiny_pdf() -> bytes:
    """A valid one-page 100x60 pt PDF (LaTeX includes it; the bench only needs it to exist)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 60] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length 22 >>\nstream\n0 0 100 60 re S\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


_TINY_PDF = _tiny_pdf()


class Writer:
    """Produces LaTeX prose and floats with labels that are all defined and referenced."""

    def __init__(self, rng: random.Random, cite_keys: list[str]) -> None:
        self.rng = rng
        self.cite_keys = cite_keys
        # labels defined so far (refs only point backwards); floats not referenced yet
        self.labels: list[str] = []
        self.unreferenced: list[str] = []
        self.n_fig = self.n_tab = self.n_eq = 0
        self.words = 0

    def word(self) -> str:
        # a skewed choice: frequent function words, a long tail of content words
        i = int(len(VOCAB) * self.rng.random() ** 2.2)
        return VOCAB[i]

    def sentence(self) -> str:
        rng = self.rng
        n = rng.randint(12, 30)
        self.words += n
        words = [self.word() for _ in range(n)]
        words[0] = words[0].capitalize()
        r = rng.random()
        if r < 0.10:
            words.insert(
                rng.randint(2, n - 1), f"$x_{{{rng.randint(1, 9)}}} = \\alpha \\cdot f(t)$"
            )
        elif r < 0.16:
            words.insert(rng.randint(2, n - 1), f"\\emph{{{self.word()} {self.word()}}}")
        elif (r < 0.20 and self.labels) or (self.unreferenced and r < 0.6):
            # a draft discusses most floats soon after placing them
            lab = self.unreferenced.pop(0) if self.unreferenced else rng.choice(self.labels[-30:])
            macro = "\\figref" if lab.startswith("fig:") else "\\cref"
            words.insert(rng.randint(2, n - 1), f"(see {macro}{{{lab}}})")
        elif r < 0.23:
            words.insert(rng.randint(2, n - 1), f"of {rng.choice(UNITS) % rng.randint(1, 999)}")
        s = " ".join(words)
        c = rng.random()
        if c < 0.22:
            k = rng.randint(1, 3)
            keys = ",".join(rng.sample(self.cite_keys, k))
            s += f"~\\cite{{{keys}}}" if rng.random() < 0.5 else f" \\citep{{{keys}}}"
        elif c < 0.26:
            s += f"\\footnote{{{self.sentence()}.}}"
        return s + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(4, 8)))

    def figure(self, chapter: int, folder: Path) -> str:
        self.n_fig += 1
        name = f"figures/ch{chapter:02d}/fig{self.n_fig:03d}"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / (name + ".pdf")).write_bytes(_TINY_PDF)
        lab = f"fig:c{chapter}-{self.n_fig}"
        self.labels.append(lab)
        self.unreferenced.append(lab)
        cap = " ".join(self.word() for _ in range(self.rng.randint(8, 20))).capitalize()
        if self.rng.random() < 0.25:
            return (
                "\\begin{figure}[t]\n  \\centering\n"
                f"  \\begin{{subfigure}}{{0.48\\textwidth}}\\includegraphics[width=\\linewidth]{{{name}}}"
                f"\\caption{{Left.}}\\label{{{lab}a}}\\end{{subfigure}}\\hfill\n"
                f"  \\begin{{subfigure}}{{0.48\\textwidth}}\\includegraphics[width=\\linewidth]{{{name}}}"
                f"\\caption{{Right.}}\\label{{{lab}b}}\\end{{subfigure}}\n"
                f"  \\caption{{{cap}.}}\n  \\label{{{lab}}}\n\\end{{figure}}\n"
            )
        return (
            "\\begin{figure}[t]\n  \\centering\n"
            f"  \\includegraphics[width=0.8\\textwidth]{{{name}}}\n"
            f"  \\caption{{{cap}.}}\n  \\label{{{lab}}}\n\\end{{figure}}\n"
        )

    def table(self, chapter: int) -> str:
        self.n_tab += 1
        lab = f"tab:c{chapter}-{self.n_tab}"
        self.labels.append(lab)
        self.unreferenced.append(lab)
        rows = "\n".join(
            f"    {self.word().capitalize()} & {self.rng.uniform(0, 100):.1f} & {self.rng.uniform(0, 1):.3f} "
            f"& {self.rng.randint(1, 500)} \\\\"
            for _ in range(self.rng.randint(4, 9))
        )
        return (
            "\\begin{table}[t]\n  \\centering\n"
            f"  \\caption{{{' '.join(self.word() for _ in range(10)).capitalize()}.}}\n  \\label{{{lab}}}\n"
            "  \\begin{tabular}{lrrr}\n    \\toprule\n    Method & Score & Error & Steps \\\\\n    \\midrule\n"
            f"{rows}\n    \\bottomrule\n  \\end{{tabular}}\n\\end{{table}}\n"
        )

    def equation(self, chapter: int) -> str:
        self.n_eq += 1
        lab = f"eq:c{chapter}-{self.n_eq}"
        self.labels.append(lab)
        if self.rng.random() < 0.4:
            return (
                "\\begin{align}\n"
                f"  \\dot{{\\mathbf{{v}}}} &= M(q)^{{-1}} \\left( \\tau - h(q, \\nu) + J^\\top f \\right) \\label{{{lab}}} \\\\\n"
                "  q_{k+1} &= q_k + \\Delta t \\, \\nu_{k+1} \\nonumber\n\\end{align}\n"
            )
        return (
            "\\begin{equation}\n"
            f"  \\mathcal{{L}}(\\theta) = \\mathbb{{E}}_{{s \\sim \\rho}} \\left[ \\sum_{{t=0}}^{{T}} \\gamma^t r(s_t, a_t) \\right] \\label{{{lab}}}\n"
            "\\end{equation}\n"
        )

    def itemize(self) -> str:
        items = "\n".join(f"  \\item {self.sentence()}" for _ in range(self.rng.randint(3, 5)))
        return f"\\begin{{itemize}}\n{items}\n\\end{{itemize}}\n"

    def section_body(self, chapter: int, folder: Path, paragraphs: int) -> str:
        out: list[str] = []
        for p in range(paragraphs):
            out.append(self.paragraph() + "\n")
            r = self.rng.random()
            if r < 0.16:
                out.append(self.figure(chapter, folder))
            elif r < 0.23:
                out.append(self.table(chapter))
            elif r < 0.45:
                out.append(self.equation(chapter))
            elif r < 0.52:
                out.append(self.itemize())
            if p and p % 7 == 0:
                title = " ".join(self.rng.sample(SECTION_WORDS, 2))
                out.append(
                    f"\\subsection{{{title}}}\\label{{sec:c{chapter}-p{p}-{self.rng.randint(0, 10**6)}}}\n"
                )
        return "\n".join(out)


MAIN = r"""\documentclass[11pt,a4paper,oneside]{report}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage{booktabs}
\usepackage{siunitx}
\usepackage{subcaption}
\usepackage[numbers]{natbib}
\usepackage{hyperref}
\usepackage{cleveref}
\newcommand{\figref}[1]{Figure~\ref{#1}}
\newcommand{\R}{\mathbb{R}}

\begin{document}
\title{Learning and Control for Floating-Base Robots}
\author{A. Student}
\maketitle
\include{frontmatter/abstract}
\include{frontmatter/acknowledgements}
\tableofcontents
%s
\bibliographystyle{plainnat}
\bibliography{references}
\end{document}
"""


def write_thesis(folder: Path, seed: int = 11, paragraphs_per_section: int = 19) -> dict:
    """Write the thesis into folder; returns counts (files, words, floats)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    keys = gen_bib.write_bib(folder / "references.bib", 600, seed=seed, problems=False)
    w = Writer(rng, keys[:450])  # the rest stay uncited, as in a real thesis bib
    files: list[Path] = []

    def put(rel: str, text: str) -> None:
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        files.append(p)

    abstract = "\\chapter*{Abstract}\n" + "\n\n".join(w.paragraph() for _ in range(4)) + "\n"
    put("frontmatter/abstract.tex", abstract)
    put("frontmatter/acknowledgements.tex", "\\chapter*{Acknowledgements}\n" + w.paragraph() + "\n")
    includes = []
    for c, title in enumerate(CHAPTERS, 1):
        sec_inputs = []
        for s in range(1, 6):
            title_s = " ".join(rng.sample(SECTION_WORDS, rng.randint(1, 3)))
            body = w.section_body(c, folder, paragraphs_per_section)
            put(
                f"chapters/ch{c:02d}/sec{s}.tex",
                f"\\section{{{title_s}}}\\label{{sec:c{c}s{s}}}\n\n{body}",
            )
            sec_inputs.append(f"\\input{{chapters/ch{c:02d}/sec{s}}}")
        intro = "\n\n".join(w.paragraph() for _ in range(3))
        put(
            f"chapters/ch{c:02d}/chapter.tex",
            f"\\chapter{{{title}}}\\label{{chap:{c}}}\n\n{intro}\n\n"
            + "\n".join(sec_inputs)
            + "\n",
        )
        includes.append(f"\\include{{chapters/ch{c:02d}/chapter}}")
    (folder / "thesis.tex").write_text(MAIN % "\n".join(includes), encoding="utf-8")
    size = sum(p.stat().st_size for p in files)
    return {
        "files": len(files),
        "words": w.words,
        "figures": w.n_fig,
        "tables": w.n_tab,
        "bytes": size,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    info = write_thesis(a.out, a.seed)
    print(f"{a.out}: {info}")


if __name__ == "__main__":
    main()
