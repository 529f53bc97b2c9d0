"""Generate a large, realistic .bib (ACL-Anthology-like, mixed styles) and a small paper citing it.

Deterministic for a given seed. Usage: python bench/gen_bib.py OUT_DIR [--entries 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FIRST = [
    "Jacob",
    "Ming-Wei",
    "Kenton",
    "Kristina",
    "Ashish",
    "Noam",
    "Niki",
    "Jakob",
    "Llion",
    "Aidan",
    "Lukasz",
    "Illia",
    "Yoav",
    "Omer",
    "Yejin",
    "Percy",
    "Christopher",
    "Dan",
    "Emily",
    "Hal",
    "Kyunghyun",
    "Yoshua",
    "Tomas",
    "Ilya",
    "Quoc",
    "Oriol",
    "Sebastian",
    "Mirella",
    "Jure",
    "Julia",
    "Barbara",
    "Hinrich",
    "Iryna",
    "Graham",
    "Anna",
    "Marie-Catherine",
    "Joakim",
    "Slav",
    "Ryan",
    "Luke",
    "Mike",
    "Mohit",
    "Mark",
    "Hannaneh",
    "Noah",
    "Matt",
    "Sameer",
    "Wei",
    "Yue",
    "Xiang",
    "Jianfeng",
    "Ziqing",
    "Haoran",
    "Seo-Yeon",
    "Hyun-Woo",
    "Priya",
    "Arjun",
    "Ananya",
    "Rahul",
    "Fatima",
    "Ahmed",
    "Olga",
    "Dmitri",
    "Ingrid",
    "Björn",
    "Jürgen",
    "Zoë",
    "José",
    "María",
    "Søren",
    "Łukasz",
]
LAST = [
    "Devlin",
    "Chang",
    "Lee",
    "Toutanova",
    "Vaswani",
    "Shazeer",
    "Parmar",
    "Uszkoreit",
    "Jones",
    "Gomez",
    "Kaiser",
    "Polosukhin",
    "Goldberg",
    "Levy",
    "Choi",
    "Liang",
    "Manning",
    "Jurafsky",
    "Bender",
    "Daum{\\'e}",
    "Cho",
    "Bengio",
    "Mikolov",
    "Sutskever",
    "Le",
    "Vinyals",
    "Ruder",
    "Lapata",
    "Leskovec",
    "Hockenmaier",
    "Webber",
    'Sch{\\"u}tze',
    "Gurevych",
    "Neubig",
    "Korhonen",
    "de~Marneffe",
    "Nivre",
    "Petrov",
    "Cotterell",
    "Zettlemoyer",
    "Lewis",
    "Bansal",
    "Dredze",
    "Hajishirzi",
    "Smith",
    "Gardner",
    "Singh",
    "Zhang",
    "Liu",
    "Wang",
    "Gao",
    "Yang",
    "Li",
    "Chen",
    "Park",
    "Kim",
    "Sharma",
    "Gupta",
    "Patel",
    "Khan",
    "Hassan",
    "Ivanova",
    "Petrov",
    "Johansson",
    'M{\\"u}ller',
    "Schmidhuber",
    "Garc{\\'\\i}a",
    "N{\\o}rgaard",
    "Kowalski",
    "van~den~Berg",
    "O'Connor",
]
TOPIC = [
    "Neural Machine Translation",
    "Pre-training of Deep Bidirectional Transformers",
    "Language Models",
    "Dependency Parsing",
    "Named Entity Recognition",
    "Question Answering",
    "Summarization",
    "Sentiment Analysis",
    "Coreference Resolution",
    "Semantic Role Labeling",
    "Cross-lingual Transfer",
    "Low-Resource Languages",
    "Dialogue Systems",
    "Speech Recognition",
    "Information Extraction",
    "Knowledge Graphs",
    "Text Classification",
    "Word Embeddings",
    "Contrastive Learning",
    "Retrieval-Augmented Generation",
    "Instruction Tuning",
    "In-Context Learning",
    "Morphological Inflection",
    "Machine Reading Comprehension",
    "Fact Verification",
    "Natural Language Inference",
    "Commonsense Reasoning",
    "Code Generation",
    "Multimodal Grounding",
]
HOW = [
    "Towards Robust",
    "Revisiting",
    "A Simple Approach to",
    "Learning",
    "Improving",
    "On the Limits of",
    "Rethinking",
    "Efficient",
    "Scalable",
    "Unsupervised",
    "Few-Shot",
    "Zero-Shot",
    "Probing",
    "Evaluating",
    "Benchmarking",
    "Understanding",
]
WITH = [
    "with Attention",
    "via Self-Training",
    "for Low-Resource Settings",
    "at Scale",
    "without Parallel Data",
    "using {BERT}",
    "with Graph Neural Networks",
    "in the Wild",
    "for {E}nglish and {G}erman",
    "with Latent Variables",
    "through Data Augmentation",
    "from Noisy Labels",
    "for Multilingual {NLP}",
    "",
]
VENUES = [
    (
        "Proceedings of the {year} Conference of the North {{A}}merican Chapter of the Association for Computational Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)",
        "Minneapolis, Minnesota",
        "N",
    ),
    (
        "Proceedings of the {year} Conference on Empirical Methods in Natural Language Processing",
        "Online",
        "D",
    ),
    (
        "Proceedings of the {nth} Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)",
        "Dublin, Ireland",
        "P",
    ),
    (
        "Findings of the Association for Computational Linguistics: {{EMNLP}} {year}",
        "Abu Dhabi, United Arab Emirates",
        "F",
    ),
    (
        "Proceedings of the {nth} International Conference on Computational Linguistics",
        "Barcelona, Spain (Online)",
        "C",
    ),
    (
        "Proceedings of the {nth} Conference of the {{E}}uropean Chapter of the Association for Computational Linguistics: Main Volume",
        "Kyiv, Ukraine",
        "E",
    ),
]
JOURNALS = [
    "Transactions of the Association for Computational Linguistics",
    "Computational Linguistics",
    "Journal of Machine Learning Research",
    "Natural Language Engineering",
    "Nature Machine Intelligence",
]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WORDS = [
    "we",
    "propose",
    "a",
    "novel",
    "method",
    "that",
    "improves",
    "the",
    "state",
    "of",
    "the",
    "art",
    "on",
    "several",
    "benchmarks",
    "while",
    "using",
    "fewer",
    "parameters",
    "our",
    "experiments",
    "show",
    "consistent",
    "gains",
    "across",
    "languages",
    "and",
    "domains",
    "in",
    "addition",
    "we",
    "analyse",
    "the",
    "learned",
    "representations",
    "and",
    "find",
    "that",
    "they",
    "encode",
    "syntactic",
    "and",
    "semantic",
    "information",
    "this",
    "suggests",
    "that",
    "pretraining",
    "objectives",
    "matter",
    "more",
    "than",
    "model",
    "size",
    "for",
    "downstream",
    "transfer",
    "finally",
    "we",
    "release",
    "code",
    "data",
    "and",
    "models",
    "to",
    "facilitate",
    "future",
    "research",
    "on",
    "this",
    "important",
    "problem",
]


def _authors(rng: random.Random, n: int, anthology: bool) -> str:
    names = []
    for _ in range(n):
        f, last = rng.choice(FIRST), rng.choice(LAST)
        names.append(f"{last}, {f}" if anthology or rng.random() < 0.5 else f"{f} {last}")
    return ("  and\n      " if anthology else " and ").join(names)


def _title(rng: random.Random) -> str:
    t = f"{rng.choice(HOW)} {rng.choice(TOPIC)} {rng.choice(WITH)}".strip()
    if rng.random() < 0.45:  # real titles rarely repeat: add a second topic and a word
        t += f" and {rng.choice(TOPIC)} for {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
    if rng.random() < 0.3:
        t = "{" + t.split()[0] + "}: " + t  # a braced acronym-like prefix, e.g. {BERT}: ...
    return t


def _abstract(rng: random.Random) -> str:
    n = rng.randint(80, 180)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def entry(rng: random.Random, i: int, key: str) -> str:
    """One realistic entry; about 450 bytes on average over many."""
    year = rng.randint(1990, 2024)
    r = rng.random()
    if r < 0.72:  # ACL Anthology style: quoted values, month macro, 4-space indent
        venue, addr, letter = rng.choice(VENUES)
        nth = f"{rng.randint(20, 62)}th"
        lines = [
            f"@inproceedings{{{key},",
            f'    title = "{_title(rng)}",',
            f'    author = "{_authors(rng, rng.randint(1, 5), True)}",',
        ]
        if rng.random() < 0.1:
            lines.append(f'    editor = "{_authors(rng, 2, True)}",')
        if rng.random() < 0.5:  # older anthology exports name the venue with a macro
            lines.append(f'    booktitle = acl # " {year}",')
        else:
            lines.append(f'    booktitle = "{venue.format(year=year, nth=nth)}",')
        lines += [
            f"    month = {rng.choice(MONTHS)},",
            f'    year = "{year}",',
            f'    address = "{addr}",',
            "    publisher = acl,",
            f'    url = "https://aclanthology.org/{year}.{letter.lower()}-main.{i % 900}",',
        ]
        if rng.random() < 0.4:
            lines.append(f'    doi = "10.18653/v1/{year}.{letter.lower()}-main.{i % 900}",')
        lines.append(f'    pages = "{(p := rng.randint(1, 9000))}--{p + rng.randint(5, 14)}",')
        if rng.random() < 0.015:
            lines.append(f'    abstract = "{_abstract(rng)}",')
        lines[-1] = lines[-1].rstrip(",")
        return "\n".join(lines) + "\n}\n"
    if r < 0.87:  # journal article, braces, tab indent, capitalised field names (BibDesk)
        return (
            f"@article{{{key},\n"
            f"\tAuthor = {{{_authors(rng, rng.randint(1, 5), False)}}},\n"
            f"\tTitle = {{{{{_title(rng)}}}}},\n"
            f"\tJournal = {{{rng.choice(JOURNALS)}}},\n"
            f"\tVolume = {{{rng.randint(1, 60)}}},\n\tNumber = {{{rng.randint(1, 12)}}},\n"
            f"\tPages = {{{(p := rng.randint(1, 900))}--{p + rng.randint(8, 30)}}},\n"
            f"\tYear = {{{year}}},\n"
            f"\tDoi = {{10.1162/tacl_a_{i:05d}}}}}\n"
        )
    # arXiv preprint, compact style with a numeric year and an eprint
    return (
        f"@misc{{{key},\n"
        f"  title={{{_title(rng)}}},\n"
        f"  author={{{_authors(rng, rng.randint(2, 8), False)}}},\n"
        f"  year={year},\n"
        f"  eprint={{{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}}},\n"
        f"  archivePrefix={{arXiv}},\n  primaryClass={{cs.CL}}\n}}\n"
    )


def keys_for(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        last = rng.choice(LAST).split("{")[0].split("~")[-1].lower() or "anon"
        out.append(f"{last}-etal-{1990 + i % 35}-{rng.choice(TOPIC).split()[0].lower()}{i}")
    return out


def write_bib(path: Path, n: int, seed: int = 7, *, problems: bool = True) -> list[str]:
    """Write n entries to path; returns the keys. `problems` adds a few real-world defects."""
    rng = random.Random(seed)
    keys = keys_for(n, seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("% Generated by papertrack bench/gen_bib.py (synthetic, ACL-Anthology-like)\n\n")
        fh.write('@string{acl = "Association for Computational Linguistics"}\n\n')
        for i, key in enumerate(keys):
            fh.write(entry(rng, i, key))
            fh.write("\n")
            if problems and i and i % (n // 4 or 1) == 0:
                # a duplicate key, a duplicated field and a broken block, as shared bibs have
                fh.write(entry(rng, i, key) + "\n")
                fh.write(
                    f"@misc{{{key}-dupfield,\n  title = {{A}},\n  title = {{B}},\n"
                    "  year = 2020\n}\n\n"
                )
                fh.write(f"@article{{{key}-broken,\n  title = {{Unclosed brace,\n  year = 2020\n\n")
    return keys


PAPER = r"""\documentclass{article}
\usepackage{natbib}
\begin{document}
\title{A Small Paper with a Big Shared Bibliography}
\author{Bench}
\maketitle
\begin{abstract}
We cite a few entries of a large lab bibliography. %s
\end{abstract}
\section{Introduction}
%s
\section{Related Work}
%s
\section{Conclusion}
That is all.
\bibliographystyle{plainnat}
\bibliography{big}
\end{document}
"""


def write_paper(folder: Path, n: int = 100_000, seed: int = 7, cited: int = 50) -> None:
    """A small paper citing `cited` keys of an n-entry big.bib (written next to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = write_bib(folder / "big.bib", n, seed)
    rng = random.Random(seed + 1)
    pick = rng.sample(keys, cited)
    sents = [f"Prior work studied this problem \\citep{{{k}}}." for k in pick]
    third = len(sents) // 3
    (folder / "main.tex").write_text(
        PAPER
        % (
            " ".join(sents[:third]),
            "\n".join(sents[third : 2 * third]),
            "\n".join(sents[2 * third :]),
        ),
        encoding="utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    write_paper(a.out, a.entries, a.seed)
    size = (a.out / "big.bib").stat().st_size
    print(f"{a.out}/big.bib: {a.entries} entries, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
