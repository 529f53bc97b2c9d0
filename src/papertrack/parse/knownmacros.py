"""Names of the built-in macros papertrack reads: references, citations, labels, graphics, notes."""

from __future__ import annotations

REF_MACROS = frozenset(
    [
        "ref",
        "pageref",
        "eqref",
        "autoref",
        "autopageref",
        "cref",
        "Cref",
        "cpageref",
        "Cpageref",
        "crefrange",
        "Crefrange",
        "cpagerefrange",
        "Cpagerefrange",
        "nameref",
        "Nameref",
        "vref",
        "Vref",
        "vpageref",
        "vrefrange",
        "vpagerefrange",
        "subref",
        "labelcref",
        "namecref",
        "nameCref",
        "lcnamecref",
        "fref",
        "Fref",
        "tref",
        "zcref",
        "zref",
        "zcpageref",
    ]
)
CITE_MACROS = frozenset(
    [
        "cite",
        "cite*",
        "citep",
        "citet",
        "citealp",
        "citealt",
        "citeauthor",
        "citeyear",
        "citeyearpar",
        "citenum",
        "Citep",
        "Citet",
        "Citealp",
        "Citealt",
        "Citeauthor",
        "citefullauthor",
        "parencite",
        "Parencite",
        "textcite",
        "Textcite",
        "autocite",
        "Autocite",
        "footcite",
        "footcitetext",
        "smartcite",
        "Smartcite",
        "supercite",
        "fullcite",
        "footfullcite",
        "citetitle",
        "Citetitle",
        "citeurl",
        "citedate",
        "nocite",
        "citeA",
        "citeNP",
        "shortcite",
        "shortciteNP",
        "citeasnoun",
        "possessivecite",
        "citeonline",
        "citen",
        # ACL/NAACL/EMNLP styles (acl.sty, naaclhlt, emnlp): author-year forms
        "newcite",
        "citeposs",
        "citealias",
        "citetalias",
        "citepalias",
    ]
)
# biblatex's multicite forms: \parencites(pre)(post)[pre][post]{a}[pre][post]{b}...
MULTICITE_MACROS = frozenset(
    [
        "cites",
        "Cites",
        "parencites",
        "Parencites",
        "footcites",
        "footcitetexts",
        "smartcites",
        "Smartcites",
        "textcites",
        "Textcites",
        "supercites",
        "autocites",
        "Autocites",
    ]
)
LABEL_MACROS = frozenset({"label", "zlabel", "nllabel"})  # nllabel: algorithm2e line labels
GRAPHICS_MACROS = frozenset({"includegraphics", "includesvg", "includepdf"})
TODO_MACROS = frozenset(
    {"todo", "missingfigure", "unsure", "change", "info", "improvement", "thiswillnotshow"}
)
PLACEHOLDER_MACROS = frozenset(
    {"lipsum", "blindtext", "Blindtext", "answerTODO", "justificationTODO"}
)
BUILTIN_ROLES = REF_MACROS | CITE_MACROS | LABEL_MACROS | GRAPHICS_MACROS | TODO_MACROS
# built-in commands whose meaning papertrack keeps even when a paper redefines their look
# (\renewcommand{\section}{\@startsection...}): only a definition that drops the text wins
KEEP_BUILTIN = frozenset(
    [
        "part",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
        "caption",
        "footnote",
        "abstract",
        "appendix",
        "emph",
        "textbf",
        "textit",
        "title",
        "author",
        "thanks",
    ]
)

# LaTeX's name commands and the English text they print (\\section*{\\refname} over a
# bibliography is a References heading, not an empty title)
NAME_MACROS = {
    "refname": "References",
    "bibname": "Bibliography",
    "appendixname": "Appendix",
    "abstractname": "Abstract",
    "contentsname": "Contents",
    "ackname": "Acknowledgments",
    "acknowledgmentsname": "Acknowledgments",
    "acknowledgementsname": "Acknowledgements",
}

# Commands whose arguments print no text (lengths, colours, counters, marks, files): a title's
# plain text leaves them out (\chapter*{\vspace{4cm}Introduction} is "Introduction").
UNPRINTED_ARGS = frozenset(
    [
        "vspace",
        "hspace",
        "rule",
        "phantom",
        "hphantom",
        "vphantom",
        "color",
        "pagecolor",
        "fontsize",
        "setlength",
        "addtolength",
        "setcounter",
        "addtocounter",
        "stepcounter",
        "includegraphics",
        "enlargethispage",
        "linebreak",
        "pagebreak",
        "nolinebreak",
        "nopagebreak",
        "markboth",
        "markright",
        "addcontentsline",
        "addvspace",
    ]
)
