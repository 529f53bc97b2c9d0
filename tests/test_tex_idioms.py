"""TeX idioms that real papers use, each read as TeX reads it (minimal papers written here).

Each test puts a fact (a citation of a missing key, a label, a TODO) where TeX does or does not
read it, and checks that papertrack reports exactly what TeX would.
"""

from __future__ import annotations

import pytest

from papertrack.check import run_check
from papertrack.config import Config


def check(root):
    return run_check(root, cfg=Config(compile=False), use_cache=False)


def messages(r, code):
    return sorted(f.message for f in r.findings if f.code == code)


def paper(preamble: str, body: str, extra: str = "") -> str:
    return (
        "%! main.tex\n\\documentclass{article}\n"
        + preamble
        + "\n\\begin{document}\n"
        + body
        + "\n\\bibliographystyle{plain}\\bibliography{refs}\n\\end{document}\n"
        + "%! refs.bib\n@misc{real, title={Real}}\n"
        + extra
    )


def undefined_cites(r) -> list[str]:
    return sorted(m.split("'")[1] for m in messages(r, "PT201"))


# -- 1. conditionals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preamble", "cond"),
    [
        ("", "\\if 0"),  # \if compares 0 with the space after it: false
        ("", "\\if0\n"),
        ("", "\\if 0\n"),
        ("", "\\iffalse"),
        ("\\def\\x{1}", "\\if\\x0"),
        ("\\newif\\ifdraft", "\\ifdraft"),
        ("\\newcommand{\\mymacro}{m}", "\\ifx\\mymacro\\undefined"),
        ("\\usepackage{etoolbox}\\newtoggle{long}", "\\iftoggle{long}{"),
        ("\\newboolean{long}\\setboolean{long}{false}", "\\ifthenelse{\\boolean{long}}{"),
    ],
)
def test_a_false_branch_is_not_read(make_project, preamble, cond):
    braced = cond.endswith("{")
    body = (
        cond
        + " Skipped \\cite{ghost}. "
        + ("}{ Read \\cite{alive}. }" if braced else "\\else Read \\cite{alive}. \\fi")
    )
    r = check(make_project(paper(preamble, body)))
    assert undefined_cites(r) == ["alive"]


@pytest.mark.parametrize(
    ("preamble", "cond"),
    [
        ("\\def\\x{1}", "\\if\\x1"),
        ("\\newif\\ifarxiv\\arxivtrue", "\\ifarxiv"),
        ("\\newcommand{\\mymacro}{m}", "\\ifdefined\\mymacro"),
        ("\\newtoggle{long}\\toggletrue{long}", "\\iftoggle{long}{"),
        ("\\newboolean{long}\\setboolean{long}{true}", "\\ifthenelse{\\boolean{long}}{"),
    ],
)
def test_a_true_branch_is_read_and_its_else_is_not(make_project, preamble, cond):
    braced = cond.endswith("{")
    body = (
        cond
        + " Read \\cite{alive}. "
        + ("}{ Skipped \\cite{ghost}. }" if braced else "\\else Skipped \\cite{ghost}. \\fi")
    )
    r = check(make_project(paper(preamble, body)))
    assert undefined_cites(r) == ["alive"]


def test_a_command_defined_only_in_a_skipped_branch_is_not_defined(make_project):
    # a chapter header that compiles alone or inside the book: the book defines \\inbook, so
    # the standalone branch (which defines \\closing too) is skipped, and the guarded
    # \\ifx\\closing\\undefined below must then be read: \\closing swallows its argument
    header = (
        "\\ifx\\inbook\\undefined\n"
        "\\newcommand{\\closing}[1]{\\bibliography{refs}}\n"
        "\\else\n"
        "\\ifx\\closing\\undefined\n\\newcommand{\\closing}[1]{}\n\\fi\n"
        "\\fi\n"
    )
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{report}\n\\def\\inbook{}\n\\input{header}\n"
            "\\begin{document}\n\\chapter{One}\nFirst chapter text \\cite{real}.\n"
            "\\closing{\\bibliography{refs}}\n"
            "\\chapter{Two}\nSecond chapter text.\n"
            "\\bibliography{refs}\n\\end{document}\n"
            "%! header.tex\n" + header + "%! refs.bib\n@misc{real, title={R}}\n"
        )
    )
    chapters = {s.title: s for s in r.document.sections}
    assert not chapters["One"].after_bibliography
    assert not chapters["Two"].after_bibliography


def test_switch_set_in_the_preamble_selects_the_layout(make_project):
    # the arXiv idiom: the preamble picks one of two document setups
    r = check(
        make_project(
            "%! main.tex\n\\def\\arxiv{1}\n\\if\\arxiv1\n\\documentclass{article}\n\\else\n"
            "\\documentclass{acmart}\n\\fi\n\\begin{document}\nText \\cite{real}.\n"
            "\\bibliography{refs}\n\\end{document}\n%! refs.bib\n@misc{real, title={R}}\n"
        )
    )
    assert r.document.document_class[0] == "article"


def test_excludecomment_environment_is_not_read(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{comment}\\excludecomment{draftnote}\\includecomment{keep}",
                "\\begin{draftnote}Skipped \\cite{ghost}.\\end{draftnote}\n"
                "\\begin{keep}Read \\cite{alive}.\\end{keep}",
            )
        )
    )
    assert undefined_cites(r) == ["alive"]


def test_unknown_condition_reads_both_branches(make_project):
    # \ifdefined of a command papertrack cannot see (a class's) may go either way: read both
    r = check(
        make_project(paper("", "\\ifdefined\\classmacro A \\cite{one}\\else B \\cite{two}\\fi"))
    )
    assert undefined_cites(r) == ["one", "two"]


# -- 2. macros that discard their argument, 5. a paper's own definition of a built-in -----------


@pytest.mark.parametrize(
    "definition",
    [
        "\\newcommand{\\cut}[1]{}",
        "\\makeatletter\\let\\cut\\@gobble\\makeatother",
        "\\def\\cut#1{}",
        "\\newcommand{\\note}[1]{}\\newcommand{\\cut}[1]{ {\\note{\\color{red} Ann: #1}} }",
        "\\newcommand{\\cut}[2][]{}",
    ],
)
def test_a_discarded_argument_is_never_read(make_project, definition):
    body = (
        "\\section{Intro}\nRead \\cite{alive}.\n"
        "\\cut{Hidden \\cite{ghost}, \\ref{sec:none}, TODO more \\label{sec:x}"
        "\\begin{figure}\\caption{Hidden}\\end{figure}}\n"
    )
    r = check(make_project(paper(definition, body)))
    assert undefined_cites(r) == ["alive"]
    assert messages(r, "PT101") == [] and messages(r, "PT301") == []
    assert r.document.floats == [] and [lb.name for lb in r.document.labels] == []


def test_todonotes_switched_off_by_the_paper(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{todonotes}\\renewcommand{\\todo}[2][]{}",
                "Text.\\todo{write more \\cite{ghost}} \\todo[inline]{and more}",
            )
        )
    )
    assert messages(r, "PT301") == [] and undefined_cites(r) == []


def test_todo_still_noted_when_its_redefinition_prints_it(make_project):
    r = check(
        make_project(
            paper("\\renewcommand{\\todo}[1]{\\textcolor{red}{#1}}", "Text.\\todo{write more}")
        )
    )
    assert len(messages(r, "PT301")) == 1


def test_a_redefined_cite_that_prints_a_warning_cites_nothing(make_project):
    r = check(
        make_project(
            paper(
                "\\renewcommand{\\cite}[1]{\\textbf{[cite #1]}}",
                "Text \\cite{ghost} and \\citep{alive}.",
            )
        )
    )
    assert undefined_cites(r) == ["alive"]


def test_providecommand_does_not_replace_a_built_in(make_project):
    r = check(make_project(paper("\\providecommand{\\cite}[1]{}", "Text \\cite{ghost}.")))
    assert undefined_cites(r) == ["ghost"]


def test_aliases_of_built_ins_keep_their_meaning(make_project):
    r = check(
        make_project(
            paper(
                "\\let\\oldcite\\cite\\renewcommand{\\cite}[1]{\\oldcite{#1}\\xspace}"
                "\\newcommand{\\figref}{\\cref}",
                "Text \\cite{ghost} \\oldcite{ghost2}. See \\figref{fig:none}.",
            )
        )
    )
    assert undefined_cites(r) == ["ghost", "ghost2"]
    assert messages(r, "PT101") == ["undefined reference 'fig:none' (\\figref)"]


# -- 7. labels set through options ------------------------------------------------------------


def test_listings_label_option_defines_a_label(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{listings}",
                "See \\cref{lst:a}, \\ref{lst:b two}, \\ref{lst:c}, \\ref{line:x} and \\ref{lst:none}.\n"
                "\\begin{lstlisting}[caption={A, with {braces}},\n  label={lst:a},\n"
                "  basicstyle=\\ttfamily]\nx = 1 # label=not_a_label\n"
                "y = 2 #*\\label{line:x}\n\\end{lstlisting}\n"
                "\\begin{lstlisting}[label=lst:b two, caption=B]\nz\n\\end{lstlisting}\n"
                "\\lstinputlisting[label=lst:c]{code.py}",
            )
            + "%! code.py\nprint(1)\n"
        )
    )
    assert messages(r, "PT101") == ["undefined reference 'lst:none' (\\ref)"]


def test_pgfplots_legend_to_name_and_algorithm2e_line_labels(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{pgfplots}",
                "\\begin{tikzpicture}\\begin{axis}[legend to name={common}, xlabel=$x$]"
                "\\end{axis}\\end{tikzpicture}\n\\ref{common}.\n"
                "\\begin{algorithm}\\nllabel{alg:line} x\\;\\end{algorithm} Line \\ref{alg:line}.",
            )
        )
    )
    assert messages(r, "PT101") == []


def test_a_label_shown_as_code_is_not_a_duplicate(make_project):
    r = check(
        make_project(
            paper(
                "",
                "\\section{Intro}\\label{sec:intro}\n"
                "\\begin{lstlisting}\n\\section{Intro}\\label{sec:intro}\n\\end{lstlisting}\n",
            )
        )
    )
    assert messages(r, "PT102") == []


def test_theorem_label_option(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{thmtools}\\declaretheorem{theorem}",
                "\\begin{theorem}[name={Main, first}, label=thm:main] X. \\end{theorem}\n"
                "By \\cref{thm:main} and \\cref{thm:none}.",
            )
        )
    )
    assert messages(r, "PT101") == ["undefined reference 'thm:none' (\\cref)"]


def test_labels_escaped_into_an_input_code_file(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{listings}\\lstset{escapeinside={\\#*}{\\^^M}}",
                "\\lstinputlisting{code/run.jl} Line \\ref{line:run} and \\ref{line:none}.",
            )
            + "%! code/run.jl\nx = 1 #* \\label{line:run}\n"
        )
    )
    assert messages(r, "PT101") == ["undefined reference 'line:none' (\\ref)"]


# -- 3. macros that open or close environments; 4. definition bodies are not document text ------


def test_macros_that_open_and_close_an_equation(make_project):
    r = check(
        make_project(
            paper(
                "\\newcommand{\\be}{\\begin{equation}}\\newcommand{\\ee}{\\end{equation}}",
                "\\section{Intro}\nThree words here \\cite{ghost}.\n\\be x = y + z \\label{eq:a} \\ee\n"
                "By \\eqref{eq:a} and \\eqref{eq:none}.\n\\section{Two}\nMore.",
            )
        )
    )
    assert [s.title for s in r.document.sections] == ["Intro", "Two"]
    assert r.document.sections[0].words == 7  # the formula is not prose
    assert r.document.sections[0].display_rows == 1
    assert [lb.context for lb in r.document.labels] == ["equation"]
    assert messages(r, "PT101") == ["undefined reference 'eq:none' (\\eqref)"]
    assert [f.code for f in r.findings if f.code.startswith("PT40")] == []


def test_a_paper_the_reader_cannot_follow_says_so(make_project):
    words = " ".join(["word"] * 150)
    r = check(
        make_project(
            paper(
                "\\newcommand{\\bt}{\\begin{tabular}{l}}\\newcommand{\\et}{\\end{tabular}}",
                "\\bt " + words + " \\et",
            )
        )
    )
    assert any("could not follow" in f.message for f in r.findings if f.code == "PT009")


@pytest.mark.parametrize(
    "definition",
    [
        "\\newenvironment{steps}{\\begin{list}{}{}}%\n  {\\end{list}}",
        "\\newenvironment{steps}\n{\\begin{itemize}}\n\n{\\end{itemize}}",
        "\\newenvironment{steps}[1][x]{\\begin{itemize}}{\\end{itemize}}",
        "\\newcommandx{\\steps}[2][1=a]{\\begin{center}#2}",
        "\\NewDocumentCommand{\\steps}{O{x} m}{\\begin{center}#2}",
        "\\NewDocumentEnvironment{steps}{m}{\\begin{center}}{\\end{center}}",
        "\\def\\steps{\\begin{center}}",
        "\\gdef\\steps#1{\\begin{center}#1}",
        "\\edef\\steps{\\noexpand\\begin{center}}",
    ],
)
def test_definition_bodies_are_not_document_text(make_project, definition):
    body = "\\section{Intro}\nText with \\cite{ghost}.\n\\begin{figure}\\caption{C.}\\label{fig:a}\\end{figure} \\ref{fig:a}"
    r = check(make_project(paper(definition, body)))
    assert [f.message for f in r.findings if f.code.startswith("PT40")] == []
    assert [s.title for s in r.document.sections] == ["Intro"]
    assert undefined_cites(r) == ["ghost"]
    assert messages(r, "PT302") == []


def test_ieeetran_caption_hook_template_code(make_project):
    # \let the old caption, \def a new one calling it: the figure keeps its caption
    r = check(
        make_project(
            paper(
                "\\let\\origcaption\\caption\n\\def\\caption#1{\\origcaption{#1}}\n"
                "\\let\\MYorigsubfigure\\subfigure",
                "\\section{Intro}\n\\begin{figure}\\caption{Real caption}\\label{fig:a}\\end{figure}"
                " \\ref{fig:a}\n",
            )
        )
    )
    assert [f.code for f in r.findings if f.code in ("PT302", "PT403", "PT105")] == []


# -- 6. wrappers and reference commands --------------------------------------------------------


def test_wrappers_and_reference_forms(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{cleveref}\\newcommand{\\two}[2]{\\cref{#1,#2}}"
                "\\newcommand{\\fig}[1]{Figure~\\cref{fig:#1}}"
                "\\newcommand{\\figs}[1]{Figures~\\cref{#1}}"
                "\\newcommand{\\secref}[2][Section]{#1~\\ref{sec:#2}}",
                "\\section{A}\\label{a}\\label{b}\\label{c}\\label{fig:c}\\label{sec:d}\n"
                "\\two{a}{b} \\two{a,c}{b} \\fig{c} \\figs{a, b} \\secref{d} \\secref[Sec.]{d}"
                " \\hyperref[a]{text} \\ref*{b} \\labelcref{a} \\namecref{b} \\nameCref{c}"
                " \\cpageref{a,b} \\Cref{a}\n"
                "\\two{x1}{b} \\fig{x2} \\hyperref[x3]{t} \\ref*{x4} \\labelcref{x5} \\namecref{x6}",
            )
        )
    )
    keys = sorted(m.split("'")[1] for m in messages(r, "PT101"))
    assert keys == ["fig:x2", "x1", "x3", "x4", "x5", "x6"]


def test_a_theorems_note_cites_and_refers(make_project):
    # \begin{theorem}[Smith, \cite{smith}] prints "Theorem 1 (Smith, [1])": TeX reads the note
    r = check(
        make_project(
            paper(
                "\\usepackage{amsthm}\\newtheorem{theorem}{Theorem}\\newtheorem{lemma}{Lemma}",
                "\\section{A}\\label{a}\\begin{theorem}[Smith, \\cite{real}]\\label{t}Claim."
                "\\end{theorem}\n\\begin{lemma}[{\\cite[Thm.~2]{gone}}, see \\ref{nowhere}]"
                "Claim, by Theorem~\\ref{t}.\\end{lemma}",
            )
        )
    )
    assert undefined_cites(r) == ["gone"]
    assert [m.split("'")[1] for m in messages(r, "PT101")] == ["nowhere"]
    assert messages(r, "PT202") == []  # 'real' is cited in the note


# -- 9. placeholders that are data, and notes that are not TODO ---------------------------------


def test_quoted_todo_words_are_data_not_notes(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{csquotes}",
                "We study \\texttt{TODO} comments such as \\verb|// FIXME later| and ``TODO'' or"
                ' "XXX".\n\\begin{displayquote}TODO: remove this hack\\end{displayquote}\n'
                "\\begin{tabular}{ll} TODO & 120 \\\\ FIXME comments & 30 \\end{tabular}\n"
                "\\begin{lstlisting}\n# TODO refactor\n\\end{lstlisting}\n",
            )
        )
    )
    assert messages(r, "PT301") == []


@pytest.mark.parametrize(
    "note",
    [
        "[INSERT REFERENCE]",
        "[citation needed]",
        "[source]",
        "[ref?]",
        "TBD",
        "TODO: rerun",
        "\\textcolor{red}{NEEDS a figure}",
    ],
)
def test_real_notes_that_are_not_todo_macros(make_project, note):
    r = check(make_project(paper("", f"The method is fast {note}. The end.")))
    assert len(messages(r, "PT301")) == 1


def test_tbd_in_a_results_table_is_a_placeholder(make_project):
    r = check(
        make_project(paper("", "\\begin{tabular}{ll} ours & TBD \\\\ base & 0.5 \\end{tabular}"))
    )
    assert len(messages(r, "PT301")) == 1


def test_a_note_in_a_table_cell_sentence_or_footnote_is_a_note(make_project):
    r = check(
        make_project(
            paper(
                "",
                "\\begin{tabular}{ll} a & It is unlikely\\footnote{The post TODO shows it.} \\\\"
                " b & We still need to run this baseline, TODO before the deadline \\end{tabular}",
            )
        )
    )
    assert len(messages(r, "PT301")) == 2


def test_a_template_author_block_left_as_todo_is_one_finding(make_project):
    # three authors of TODO, TODO University, TODO@... are one block to fill in; a TODO in the
    # text is its own finding
    authors = "\\and ".join(
        "TODO\\\\ \\textit{TODO University}\\\\ TODO@example.org" for _ in range(3)
    )
    r = check(
        make_project(
            paper(
                f"\\title{{A Paper}}\\author{{{authors}}}\\date{{TODO}}",
                "\\maketitle\n\\section{A}\nThe proof is TODO.",
            )
        )
    )
    found = [f for f in r.findings if f.code == "PT301"]
    assert [f.message for f in found] == [
        "the title and author block has 10 placeholders (TODO, TODO University, TODO@example.org)",
        "placeholder text: TODO.",
    ]
    assert len(found[0].related) == 9


# -- 10. a sub-figure's empty caption prints "(a)" ---------------------------------------------


def test_empty_subfigure_caption_is_not_an_empty_caption(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{subcaption}",
                "\\begin{figure}\\begin{subfigure}{.4\\linewidth}\\includegraphics{a}\\caption{}"
                "\\end{subfigure}\\caption{Both.}\\label{fig:x}\\end{figure} \\ref{fig:x}\n"
                "\\begin{figure}\\includegraphics{a}\\caption{}\\label{fig:y}\\end{figure} \\ref{fig:y}",
            )
            + "%! a.png\nx\n"
        )
    )
    assert len(messages(r, "PT302")) == 1  # only the figure's own empty caption


# -- 11. section titles by words and meaning; abstracts as headings; languages; theses ----------


def test_titles_match_whole_words():
    from papertrack.model import headings

    assert not headings.matches("Annotation guidelines", "notation")
    assert not headings.matches("User Preferences", "references")
    assert headings.matches("Related Works", "related work")
    assert headings.matches("Conclusions and Future Work", "conclu")
    assert headings.matches("Introducción", "introduccion")
    assert headings.matches("第一章 引言", "引言")
    assert headings.is_kind("Einführung", "introduction")
    assert headings.is_kind("Verwandte Arbeiten", "related work")
    assert headings.is_kind("État de l'art", "related work")
    assert headings.is_kind("Trabalhos Relacionados", "related work")
    assert headings.is_kind("Conclusão", "conclusion")
    assert headings.is_kind("相关工作", "related work")
    assert headings.is_kind("结论", "conclusion")


def test_a_section_named_annotation_can_be_a_stub(make_project):
    r = check(make_project(paper("", "\\section{Annotation}\nTwo words.\n\\section{Notation}\nx.")))
    assert messages(r, "PT303") == ["section 'Annotation' is a stub (2 words)"]


def test_a_thesis_list_chapter_is_short_by_nature(make_project):
    # a table of symbols, a glossary, a list of the author's papers: lists, not prose
    body = (
        "\\section{List of Symbols}\n\\begin{tabular}{ll}$n$ & size\\\\\n\\end{tabular}\n"
        "\\section{Glossary}\nA term.\n\\section{Publications}\nMy papers.\n"
        "\\section{Symbolic Execution}\nTwo words.\n"
    )
    r = check(make_project(paper("", body)))
    assert messages(r, "PT303") == ["section 'Symbolic Execution' is a stub (2 words)"]


@pytest.mark.parametrize(
    "abstract",
    [
        "\\section*{Abstract}",
        "\\chapter*{Abstract}",
        "\\prefacesection{Abstract}",
        "\\section*{Zusammenfassung}",
        "\\section*{Kurzbeschreibung}",
        "\\section*{摘要}",
    ],
)
def test_abstract_as_an_unnumbered_heading(make_project, abstract):
    body = (
        abstract
        + "\nWe show that this works well.\n"
        + "\\section{Introduction}\nText.\n\\section{Related Work}\nText.\n"
        + "\\section{Conclusion}\nText."
    )
    r = check(make_project(paper("", body)))
    assert r.document.abstract_words == 6
    assert [s.title for s in r.document.sections] == ["Introduction", "Related Work", "Conclusion"]
    assert messages(r, "PT304") == []


@pytest.mark.parametrize(
    "titles",
    [
        ("Einleitung", "Verwandte Arbeiten", "Fazit"),
        ("Introduction", "Travaux connexes", "Conclusion"),
        ("Introducción", "Trabajos relacionados", "Conclusiones"),
        ("Introdução", "Trabalhos relacionados", "Considerações finais"),
        ("引言", "相关工作", "结论"),
        ("绪论", "研究现状", "总结与展望"),
    ],
)
def test_non_english_papers_get_the_same_expectations(make_project, titles):
    body = "\\begin{abstract}Abs.\\end{abstract}\n" + "\n".join(
        f"\\section{{{t}}}\nText." for t in titles
    )
    r = check(make_project(paper("", body)))
    assert messages(r, "PT304") == []


def test_a_thesis_is_not_expected_to_have_related_work(make_project):
    body = (
        "\\chapter*{Abstract}\nShort.\n\\chapter{Introduction}\nText.\n"
        "\\chapter{Literature Review}\nText.\n\\chapter{Method}\nText.\n\\chapter{Conclusion}\nT."
    )
    r = check(
        make_project(paper("", body).replace("\\documentclass{article}", "\\documentclass{report}"))
    )
    assert messages(r, "PT304") == []
    body2 = "\\chapter{Einleitung}\nText.\n\\chapter{Methode}\nText."
    r2 = check(
        make_project(
            paper("", body2).replace("\\documentclass{article}", "\\documentclass{report}")
        )
    )
    assert messages(r2, "PT304") == ["no 'abstract' section", "no 'conclusion' section"]


# -- 12. CJK words are counted as texcount counts them ----------------------------------------


def test_cjk_characters_count_as_words(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{ctex}",
                "\\section{引言}\n本文提出了一种新的方法。We use 3 GPUs.\n"
                "\\section{はじめに}\n日本語のテキストです。",
            )
        )
    )
    # 11 Han characters + "We use 3 GPUs", then 10 kana and kanji
    assert [s.words for s in r.document.sections] == [11 + 4, 10]


def test_an_abstract_the_class_stores_in_the_preamble(make_project):
    r = check(
        make_project(
            "%! main.tex\n\\documentclass{wlscirep}\n\\begin{abstract}Four words of abstract."
            "\\end{abstract}\n\\begin{document}\n\\flushbottom\\maketitle\n\\section*{Introduction}\n"
            "Text.\n\\end{document}\n"
        )
    )
    assert r.document.abstract_words == 4


def test_a_todo_macro_defined_by_the_paper_is_one_note(make_project):
    r = check(
        make_project(
            paper("\\newcommand{\\todo}[1]{\\textbf{TODO: }#1}", "Text. \\todo{Rewrite this}")
        )
    )
    assert messages(r, "PT301") == ["todo note: \\todo: Rewrite this"]


def test_a_macro_for_inline_code_reads_its_argument_as_code(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{minted}\\newcommand{\\hs}{\\mintinline{haskell}}",
                "\\section{Intro}\nA mock \\hs{(\\}\\hs{k} and \\hs|{x| with \\hs{TODO}.",
            )
        )
    )
    assert [f.message for f in r.findings if f.code.startswith("PT40")] == []
    assert messages(r, "PT301") == []


def test_tcolorbox_theorem_labels(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage[theorems]{tcolorbox}"
                "\\newtcbtheorem[number within=section]{theo}{Theorem}{colback=white}{th}",
                "\\begin{theo}{Main result}{main} X. \\end{theo}\n"
                "\\begin{theo*}{Aside}{} Y. \\end{theo*}\n"
                "By \\cref{th:main} and \\cref{th:none}.",
            )
        )
    )
    assert messages(r, "PT101") == ["undefined reference 'th:none' (\\cref)"]


@pytest.mark.parametrize(
    "definition",
    [
        "\\lstnewenvironment{code}[1][]{\\lstset{#1}}{}",
        "\\DefineVerbatimEnvironment{code}{Verbatim}{fontsize=\\small}",
        "\\newminted[code]{python}{linenos}",
        "\\newtcblisting{code}{listing only}",
    ],
)
def test_code_environments_the_paper_defines(make_project, definition):
    r = check(
        make_project(
            paper(
                definition,
                "\\section{Intro}\nSee \\ref{line:a}.\n"
                '\\begin{code}\nif (x) { y = "TODO"; \\cite{not_a_cite}\n#@\\label{line:a}\n'
                "\\end{code}\nText.",
            )
        )
    )
    assert [f.message for f in r.findings if f.code.startswith("PT40")] == []
    assert messages(r, "PT301") == [] and undefined_cites(r) == []
    assert messages(r, "PT101") == []


def test_acl_newcite_cites_and_enumitem_label_is_no_label(make_project):
    r = check(
        make_project(
            paper(
                "\\usepackage{enumitem}",
                "As \\newcite{real} and \\newcite{ghost} show.\n"
                "\\begin{enumerate}[label=(\\alph*)]\\item a\\end{enumerate}",
            )
        )
    )
    assert undefined_cites(r) == ["ghost"]
    assert messages(r, "PT202") == []
    assert [lb.name for lb in r.document.labels] == []


def test_bare_group_left_open_is_info_an_open_argument_an_error(make_project):
    """TeX only notes "\\end occurred inside a group" for `{\\code{x} header.`; an argument left
    open stops it ("File ended while scanning use of \\textbf")."""
    from papertrack.check import run_check
    from papertrack.config import Config

    def pt401(body: str) -> list[str]:
        root = make_project(
            "%! main.tex\n\\documentclass{article}\n\\begin{document}\n"
            + body
            + "\n\\end{document}\n"
        )
        found = run_check(root, cfg=Config(compile=False), use_cache=False).findings
        return [str(f.severity) for f in found if f.code == "PT401"]

    assert pt401("It sends a {\\texttt{Strict} header.") == ["info"]
    assert pt401("Text \\textbf{bold.") == ["error"]


def test_a_folder_macro_in_an_image_path_is_filled_in(make_project):
    # \figdir defined once as a folder: a wrapper's path and a direct one both use it
    r = check(
        make_project(
            paper(
                "\\usepackage{graphicx}\\newcommand{\\figdir}{img/plots}\n"
                "\\newcommand{\\rundir}{\\figdir/run}\n"
                "\\newcommand{\\plot}[1]{\\includegraphics{\\figdir/#1}}",
                "\\plot{alpha} \\includegraphics{\\figdir/beta} \\plot{gamma}"
                " \\includegraphics{\\rundir/delta}",
                "%! img/plots/alpha.png\npng\n%! img/plots/beta.png\npng\n"
                "%! img/plots/run/delta.png\npng\n",
            )
        )
    )
    assert sorted(g.path for g in r.document.graphics) == [
        "img/plots/alpha",
        "img/plots/beta",
        "img/plots/gamma",
        "img/plots/run/delta",
    ]
    # the one image that is not there is reported by its real path (not '/gamma')
    assert messages(r, "PT106") == ["graphics file 'img/plots/gamma' not found"]


def test_an_abstract_page_included_as_a_pdf_is_an_abstract(make_project):
    # MIT's thesis template: abstract.tex is typeset on its own and \includepdf'd
    spec = (
        "%! main.tex\n\\documentclass{report}\n\\usepackage{pdfpages}\n\\begin{document}\n"
        "\\includepdf[pages=-]{./abstract.pdf}\n\\chapter{Introduction}\nText.\n\\end{document}\n"
    )
    r = check(make_project(spec))
    assert "no 'abstract' section" not in messages(r, "PT304")
    r = check(make_project(spec.replace("./abstract.pdf", "./titlepage.pdf")))
    assert "no 'abstract' section" in messages(r, "PT304")


def test_a_command_named_as_an_argument_is_not_used_there(make_project):
    r"""`\soulregister\cite7` tells soul that \cite takes one argument: no citation of '7'
    (pdflatex: no undefined citation), while the paper's own \cite{real} is one."""
    r = check(make_project(paper("\\usepackage{soul}\n\\soulregister\\cite7", "See \\cite{real}.")))
    assert messages(r, "PT201") == []
    assert [c.key for c in r.document.cites] == ["real"]


VERB_BRACES = (
    "%! main.tex\n\\documentclass{article}\n\\usepackage{fvextra}\n"
    "\\newcommand{\\code}{\\Verb}\n\\newcommand{\\hs}{\\mintinline{haskell}}\n"
    "\\begin{document}\nA record \\code{R { x = 1 }} and \\Verb{S { y }} here.\n"
    "EXTRA\n\\end{document}\n"
)


def test_inline_code_reads_balanced_braces_as_fvextra_does(make_project):
    # \Verb and \mintinline (fvextra) read {code} with balanced braces: no stray '}'
    def pt401(extra: str) -> list[str]:
        r = check(make_project(VERB_BRACES.replace("EXTRA", extra)))
        return [f.message for f in r.findings if f.code == "PT401"]

    assert pt401("\\hs{M { m = [1] }} and \\mintinline{python}{d = {1: 2}}") == []
    # \lstinline stops at the first }: TeX says "Too many }'s", and so does papertrack
    assert len(pt401("\\lstinline{f { x } y}")) == 1


@pytest.mark.tex
@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None, reason="needs pdflatex")
def test_tex_reads_fvextras_balanced_braces(make_project, tmp_path):
    from helpers import pdflatex

    log = pdflatex(make_project(VERB_BRACES.replace("EXTRA", "")), tmp_path)
    assert "! " not in log.replace("! LaTeX", "")  # no TeX error
    assert "Too many }'s" not in log
