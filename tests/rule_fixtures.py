"""One fixture per rule: a project where it must fire (with the expected file:line) and one where it must not."""

from __future__ import annotations

from dataclasses import dataclass, field

HEAD = r"""\documentclass{article}
\usepackage{graphicx,cleveref}
\begin{document}
\begin{abstract}
We study things carefully and report what we found about them in detail.
\end{abstract}
"""
TAIL = r"""\bibliographystyle{plain}
\bibliography{refs}
\end{document}"""
PROSE = " ".join(["This sentence is ordinary prose that fills the section with enough words."] * 6)
BIB = """%! refs.bib
@article{smith2020,
  title = {A Study of Things},
  author = {Smith, Ann},
  journal = {Journal of Studies},
  year = {2020},
}
"""


def paper(body: str, extra: str = "", bib: str = BIB) -> str:
    return f"%! main.tex\n{HEAD}{body}\n{TAIL}\n{bib}{extra}"


SECTIONS = (
    "\\section{Introduction}\n" + PROSE + " \\cite{smith2020}\n"
    "\\section{Related Work}\n" + PROSE + "\n"
    "\\section{Conclusion}\n" + PROSE + "\n"
)


@dataclass
class RuleFixture:
    fires: str
    clean: str
    where: list[str] = field(default_factory=list)  # expected "file:line" of each finding


FIXTURES: dict[str, RuleFixture] = {
    "PT001": RuleFixture(
        paper(SECTIONS + "\\input{sections/missing}"),
        paper(
            SECTIONS + "\\input{sections/there}\n% \\input{sections/commented}",
            "%! sections/there.tex\nMore text.\n",
        ),
        ["main.tex:13"],
    ),
    "PT002": RuleFixture(
        paper(SECTIONS + "\\input{a}", "%! a.tex\n\\input{b}\n%! b.tex\n\\input{a}\n"),
        paper(SECTIONS + "\\input{a}", "%! a.tex\n\\input{b}\n%! b.tex\nText.\n"),
        ["b.tex:1"],
    ),
    "PT003": RuleFixture(
        paper(SECTIONS + "\\input{/etc/hostname}"),
        paper(SECTIONS + "\\input{./local}", "%! local.tex\nText.\n"),
        ["main.tex:13"],
    ),
    "PT004": RuleFixture(
        paper(SECTIONS + "\\input{blob}", "%! blob.tex\n\x00\x01\x02binary\n"),
        paper(SECTIONS + "\\input{text}", "%! text.tex\nPlain text.\n"),
        ["main.tex:13"],
    ),
    "PT005": RuleFixture("", "", []),  # written as bytes in the test (see LATIN1 below)
    "PT006": RuleFixture("", "", []),  # a 5 MB file is generated in the test
    "PT007": RuleFixture(
        paper(SECTIONS, bib="").replace("\\bibliography{refs}", "\\bibliography{nothere}"),
        paper(SECTIONS),
        ["main.tex:15"],
    ),
    "PT008": RuleFixture(
        paper(SECTIONS + '\\input{|"date"}'),
        paper(SECTIONS),
        ["main.tex:13"],
    ),
    "PT009": RuleFixture("", "", []),  # deep nesting is generated in the test
    "PT101": RuleFixture(
        paper(
            SECTIONS
            + "\\label{sec:a} See \\ref{sec:a} and \\cref{sec:b,sec:a} and \\autoref{fig:nope}."
        ),
        paper(
            SECTIONS
            + "\\newcommand{\\secref}[1]{Section~\\ref{sec:#1}}\n\\label{sec:a} See \\secref{a}, \\cref{sec:a}.\n"
            + "\\iffalse \\ref{ghost} \\fi\n% \\ref{commented}\n\\begin{verbatim}\n\\ref{verb}\n\\end{verbatim}"
        ),
        ["main.tex:13", "main.tex:13"],
    ),
    "PT102": RuleFixture(
        paper(SECTIONS + "\\label{x}\n\\label{x}"),
        paper(SECTIONS + "\\label{x}\n\\label{y} \\ref{x} \\ref{y}"),
        ["main.tex:14"],
    ),
    "PT103": RuleFixture(
        paper(SECTIONS + "\\begin{figure}\\caption{A}\\label{fig:a}\\end{figure}\n"),
        paper(
            SECTIONS
            + "\\newcommand{\\figref}[1]{Figure~\\ref{#1}}\n"
            + "\\begin{figure}\\caption{A}\\label{fig:a}\\end{figure}\n"
            + "\\begin{figure}\\caption{B}\\label{fig:b}\\end{figure}\n"
            + "\\begin{table}\\caption{C}\\label{tab:c}\\end{table}\n"
            + "\\begin{figure}\\begin{subfigure}{.4\\linewidth}\\caption{s}\\label{fig:d1}\\end{subfigure}\\caption{D}\\label{fig:d}\\end{figure}\n"
            + "As \\figref{fig:a}, \\Cref{fig:b}, \\autoref{tab:c} and \\cref{fig:d1} show."
        ),
        ["main.tex:13"],
    ),
    "PT104": RuleFixture(
        paper(SECTIONS + "\\begin{table}\\caption{Numbers}\\end{table}"),
        paper(SECTIONS + "\\begin{table}\\caption{Numbers}\\label{tab:n}\\end{table} \\ref{tab:n}"),
        ["main.tex:13"],
    ),
    "PT105": RuleFixture(
        paper(
            SECTIONS
            + "\\begin{figure}\\includegraphics{fig}\\label{fig:x}\\end{figure} \\ref{fig:x}",
            "%! fig.png\nPNG\n",
        ),
        paper(
            SECTIONS
            + "\\begin{figure}\\includegraphics{fig}\\caption{X}\\label{fig:x}\\end{figure} \\ref{fig:x}",
            "%! fig.png\nPNG\n",
        ),
        ["main.tex:13"],
    ),
    "PT106": RuleFixture(
        paper(SECTIONS + "\\includegraphics{figs/nothere}"),
        paper(
            SECTIONS.replace(
                "\\section{Introduction}", "\\graphicspath{{img/}}\\section{Introduction}"
            )
            + "\\includegraphics{plot}\\includegraphics[width=2cm]{figs/b.pdf}\\includegraphics{\\figdir/c}",
            "%! img/plot.png\nPNG\n%! figs/b.pdf\n%PDF\n",
        ),
        ["main.tex:13"],
    ),
    "PT107": RuleFixture(
        paper(
            SECTIONS + "\\includegraphics{figs/used}",
            "%! figs/used.pdf\n%PDF\n%! figs/stale.png\nPNG\n",
        ),
        paper(
            SECTIONS + "\\includegraphics{figs/used}", "%! figs/used.pdf\n%PDF\n%! main.pdf\n%PDF\n"
        ),
        ["figs/stale.png:1"],
    ),
    "PT201": RuleFixture(
        paper(SECTIONS + "\\citep[p.~3][]{nobody2021}"),
        paper(SECTIONS + "\\citet{Smith2020} \\parencite{SMITH2020}"),
        ["main.tex:13"],
    ),
    "PT202": RuleFixture(
        paper(
            SECTIONS, bib=BIB + "@book{unused1999,\n  title = {Never Cited},\n  year = {1999},\n}\n"
        ),
        paper(
            SECTIONS + "\\nocite{*}",
            bib=BIB + "@book{unused1999,\n  title = {Never Cited},\n  year = {1999},\n}\n",
        ),
        ["refs.bib:7"],
    ),
    "PT203": RuleFixture(
        paper(
            SECTIONS + "\\cite{smith2020arxiv}",
            bib=BIB + "@misc{smith2020arxiv,\n  title = {A {S}tudy of Things},\n}\n",
        ),
        paper(SECTIONS, bib=BIB + "@misc{smith2020arxiv,\n  title = {A {S}tudy of Things},\n}\n"),
        ["refs.bib:7"],
    ),
    "PT204": RuleFixture(
        paper(
            SECTIONS, bib=BIB + "@article{broken,\n  title = {Unclosed,\n@misc{next, title={N}}\n"
        ),
        paper(SECTIONS),
        ["refs.bib:8"],  # the line of the brace that is never closed
    ),
    "PT205": RuleFixture(
        paper(SECTIONS, bib=BIB + "@article{smith2020,\n  title = {Again},\n}\n"),
        paper(
            SECTIONS, bib=BIB + "@string{jos = {Journal of Studies}}\n@string{jos = {J. Stud.}}\n"
        ),
        ["refs.bib:7"],
    ),
    "PT206": RuleFixture(
        paper(
            SECTIONS + "\\cite{two}",
            bib=BIB + "@article{two,\n  title = {One},\n  title = {Two},\n}\n",
        ),
        paper(SECTIONS),
        ["refs.bib:7"],
    ),
    "PT301": RuleFixture(
        paper(
            SECTIONS
            + "\\usepackage{todonotes}\\todo{fix}\nTODO: write this. Results in Table ??.\n\\newcommand{\\jd}[1]{\\textcolor{red}{TODO: #1}}\n\\jd{check}"
        ),
        paper(
            SECTIONS
            + "% TODO hidden in a comment\nWe have a todo list in lower case.\n\\iffalse TODO \\fi\n\\newcommand{\\tg}[1]{\\textcolor{blue}{#1}}\\tg{coloured note}"
        ),
        ["main.tex:13", "main.tex:14", "main.tex:14", "main.tex:16"],
    ),
    "PT302": RuleFixture(
        paper(SECTIONS + "\\begin{figure}\\caption{}\\label{fig:e}\\end{figure}\\ref{fig:e}"),
        paper(SECTIONS + "\\begin{figure}\\caption{Full}\\label{fig:e}\\end{figure}\\ref{fig:e}"),
        ["main.tex:13"],
    ),
    "PT303": RuleFixture(
        paper(
            SECTIONS + "\\section{Evaluation}\nTo be written.\n\\section*{Acknowledgments}\nThanks."
        ),
        paper(SECTIONS + "\\section*{Acknowledgments}\nThanks to all."),
        ["main.tex:13"],
    ),
    "PT304": RuleFixture(
        paper("\\section{Introduction}\n" + PROSE + "\\cite{smith2020}"),
        paper(
            SECTIONS.replace("Related Work", "Background").replace(
                "Conclusion", "Concluding Remarks"
            )
        ),
        ["main.tex:3", "main.tex:3"],
    ),
    "PT401": RuleFixture(
        paper(SECTIONS + "\\textbf{bold text and more"),
        paper(SECTIONS + "\\textbf{bold} \\{ escaped \\} and \\verb|{| verbatim"),
        ["main.tex:13"],
    ),
    "PT402": RuleFixture(
        paper(SECTIONS + "\\begin{itemize}\\item one"),
        paper(
            SECTIONS
            + "\\begin{itemize}\\item one\\end{itemize}\n\\newcommand{\\bi}{\\begin{itemize}}"
        ),
        ["main.tex:13"],
    ),
    "PT403": RuleFixture(
        paper(SECTIONS + "\\begin{figure}\\caption{x}\\label{f}\\end{table}\\ref{f}"),
        paper(SECTIONS + "\\begin{figure}\\caption{x}\\label{f}\\end{figure}\\ref{f}"),
        ["main.tex:13"],
    ),
    "PT404": RuleFixture(
        paper(SECTIONS + "The cost is $O(n^2) per step.\n\nNext paragraph."),
        paper(SECTIONS + "The cost is $O(n^2)$ per step, and $\\text{a $b$ c}$.\n\\[ x \\]"),
        ["main.tex:13"],
    ),
    "PT901": RuleFixture(
        paper(SECTIONS + "% papertrack: ignore PT101\nAll references here are fine."),
        paper(SECTIONS + "% papertrack: ignore PT101\nSee \\ref{nowhere}."),
        ["main.tex:13"],
    ),
}


# -- the bibliography as printed (PT207-PT213) and typography (PT35x) ------------------------------
def _bib(*entries: str) -> str:
    return BIB + "".join(entries)


_INPROC_ICML = "@inproceedings{x,\n  title = {T},\n  author = {A, B},\n  booktitle = icml,\n  year = 2020,\n}\n"
_ARXIV = (
    "@article{v_arxiv,\n  title = {Attention Is All You Need Today},\n  author = {V, A},\n"
    "  journal = {arXiv preprint arXiv:1706.03762},\n  year = 2017,\n}\n"
)
_PUBLISHED = (
    "@inproceedings{v_pub,\n  title = {Attention is all you need today},\n  author = {V, A},\n"
    "  booktitle = {Advances in Neural Information Processing Systems},\n  year = 2017,\n}\n"
)

FIXTURES.update(
    {
        "PT207": RuleFixture(
            paper(SECTIONS + "\\cite{x}", bib=_bib(_INPROC_ICML)),
            paper(
                SECTIONS + "\\cite{x}",
                bib=_bib(
                    "@string{ICML = {Proc. ICML}}\n",
                    _INPROC_ICML.replace("2020", "2020, month = jan"),
                ),
            ),
            ["refs.bib:10"],
        ),
        "PT208": RuleFixture(
            paper(
                SECTIONS + "\\cite{noj}",
                bib=_bib("@article{noj,\n  title = {T},\n  author = {A, B},\n  year = 2020,\n}\n"),
            ),
            paper(
                SECTIONS + "\\cite{c1,c2}",
                bib=_bib(
                    "@inproceedings{c1,\n  title = {T},\n  author = {A, B},\n  crossref = {proc},\n}\n",
                    "@inproceedings{c2,\n  title = {U},\n  author = {A, B},\n  crossref = {proc},\n}\n",
                    "@proceedings{proc,\n  title = {Proc. X},\n  booktitle = {Proc. X},\n  year = 2020,\n}\n",
                ),
            ),
            ["refs.bib:7"],
        ),
        "PT209": RuleFixture(
            paper(
                SECTIONS + "\\cite{web}",
                bib=_bib("@misc{web,\n  title = {Usage policies},\n  year = 2024,\n}\n"),
            ),
            paper(
                SECTIONS + "\\cite{web}",
                bib=_bib(
                    "@misc{web,\n  title = {Usage policies},\n  key = {OpenAI},\n  year = 2024,\n}\n"
                ),
            ),
            ["refs.bib:7"],
        ),
        "PT210": RuleFixture(
            paper(
                SECTIONS + "\\cite{tool}",
                bib=_bib(
                    "@software{tool,\n  title = {Tool},\n  author = {A, B},\n  year = 2024,\n}\n"
                ),
            ),
            paper(
                SECTIONS + "\\cite{tool}",
                bib=_bib("@misc{tool,\n  title = {Tool},\n  author = {A, B},\n  year = 2024,\n}\n"),
            ),
            ["refs.bib:7"],
        ),
        "PT211": RuleFixture(
            paper(
                SECTIONS + "\\cite{ad}",
                bib=_bib(
                    "@misc{ad,\n  author = {A, B},\n  title = {Ads cost $450 a day},\n  year = 2020,\n}\n"
                ),
            ),
            paper(
                SECTIONS + "\\cite{ad}",
                bib=_bib(
                    "@misc{ad,\n  author = {A, B},\n  title = {Ads cost \\$450 for $x_1$},\n"
                    "  howpublished = {\\url{https://x.org/a_b#c}},\n  publisher = {Taylor & Francis},\n"
                    "  year = 2020,\n}\n"
                ),
            ),
            ["refs.bib:9"],
        ),
        "PT212": RuleFixture(
            paper(
                SECTIONS + "\\cite{bert}",
                bib=_bib(
                    "@inproceedings{bert,\n  title = {BERT: Pre-training of Deep Models},\n  author = {D, J},\n  booktitle = {NAACL},\n  year = 2019,\n}\n"
                ),
            ),
            paper(
                SECTIONS + "\\cite{bert}",
                bib=_bib(
                    "@inproceedings{bert,\n  title = {{BERT}: Pre-training of Large-Scale Models},\n  author = {D, J},\n  booktitle = {NAACL},\n  year = 2019,\n}\n"
                ),
            ),
            ["refs.bib:8"],
        ),
        "PT213": RuleFixture(
            paper(SECTIONS + "\\cite{v_arxiv}", bib=_bib(_ARXIV, _PUBLISHED)),
            paper(SECTIONS + "\\cite{v_pub}", bib=_bib(_ARXIV, _PUBLISHED)),
            ["refs.bib:7"],
        ),
        "PT351": RuleFixture(
            paper(SECTIONS + "Results (see the table are good.\n\nNext paragraph."),
            paper(
                SECTIONS
                + "Results (see $f(x)$ and \\cite[p.~3]{smith2020}) are good:\n"
                + "1) one, 2) two; a smile :) and [$0, 1)$ or the state (by $x=0)$.\n"
                + "% a comment line (is not a paragraph break\n"
                + "and it goes on) here."
            ),
            ["main.tex:13"],
        ),
        "PT352": RuleFixture(
            paper(SECTIONS + "The cost is $O((n \\log n)$ here."),
            paper(SECTIONS + "Intervals $[0, 1)$, a cut formula $f(a$, $b)$, and \\[ g(x) \\]."),
            ["main.tex:13"],
        ),
        "PT353": RuleFixture(
            paper(SECTIONS + 'The so-called "reward hacking" problem.'),
            paper(
                SECTIONS
                + 'The so-called ``reward hacking\'\' problem of M\\"uller in \\texttt{"code"}.\n'
                + '\\begin{verbatim}\nprint("x")\n\\end{verbatim}'
            ),
            ["main.tex:13"],
        ),
        "PT354": RuleFixture(
            paper(SECTIONS + "A word \\footnote{A note.} and more."),
            paper(
                SECTIONS
                + "A word\\footnote{A note.} and a word%\n\\footnote{B.} and\\ldots \\footnote{C.}"
            ),
            ["main.tex:13"],
        ),
        "PT355": RuleFixture(
            paper(SECTIONS + "Smith et. al. showed it."),
            paper(SECTIONS + "Smith et al. showed it; see the etal package and et~al."),
            ["main.tex:13"],
        ),
        "PT356": RuleFixture(
            paper(SECTIONS + "See Figure \\ref{fig:a} and the results of \\cite{smith2020}."),
            paper(
                SECTIONS
                + "See Figure~\\ref{fig:a}, \\citet{smith2020} and results of~\\cite{smith2020}.\n"
                + "Figure %\n\\ref{fig:a} is fine too."
            ),
            ["main.tex:13", "main.tex:13"],
        ),
    }
)
