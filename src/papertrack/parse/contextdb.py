"""The pylatexenc context: argument specs of common packages' macros and the paper's own."""

from __future__ import annotations

import re

from pylatexenc import latexwalker as lw
from pylatexenc.macrospec import EnvironmentSpec, MacroSpec

from papertrack.parse.knownmacros import CITE_MACROS, KEEP_BUILTIN, REF_MACROS
from papertrack.parse.macrotable import MacroTable
from papertrack.parse.vocabulary import HEADING_LEVELS

# a definition body that ends in a command (or a command and its options) hands that command the
# arguments written after the macro
_TRAILING_COMMAND = re.compile(r"\\[a-zA-Z@]+\s*(?:\[[^\]]*\]\s*)*$")


def _spec_macros() -> list[MacroSpec]:
    specs = [MacroSpec(n, "*{") for n in REF_MACROS]
    specs += [
        MacroSpec(n, "*{{")
        for n in ("crefrange", "Crefrange", "cpagerefrange", "Cpagerefrange", "vrefrange")
    ]
    specs += [MacroSpec("vpageref", "*[[{"), MacroSpec("hyperref", "[{")]
    # nomencl: the sort key and the entry print in the list of symbols, not where written
    specs += [MacroSpec("nomenclature", "[{{")]
    specs += [MacroSpec(n, "*[[{") for n in CITE_MACROS]
    specs += [MacroSpec("nocite", "{")]
    specs += [MacroSpec(n, "*[[{") for n in ("includegraphics", "includesvg")]
    specs += [MacroSpec("includepdf", "[{")]
    specs += [MacroSpec(n, "*[{") for n in HEADING_LEVELS]
    specs += [
        MacroSpec("caption", "*[{"),
        MacroSpec("captionof", "*{[{"),
        MacroSpec("subcaption", "*[{"),
        MacroSpec("subfloat", "[[{"),
        MacroSpec("subcaptionbox", "*{[[[{"),
        # caption's \captionbox[list entry]{caption}[width][pos]{contents}: a float's caption
        MacroSpec("captionbox", "*[{[[{"),
        MacroSpec("todo", "[{"),
        MacroSpec("missingfigure", "[{"),
        MacroSpec("addbibresource", "[{"),
        MacroSpec("printbibliography", "["),
        MacroSpec("subfile", "{"),
        MacroSpec("import", "*{{"),
        MacroSpec("subimport", "*{{"),
        MacroSpec("href", "{{"),
        MacroSpec("textcolor", "[{{"),
        MacroSpec("colorbox", "[{{"),
        MacroSpec("graphicspath", "{"),
        MacroSpec("abstract", "{"),
        MacroSpec("addcontentsline", "{{{"),
        MacroSpec("zlabel", "{"),
        MacroSpec("nllabel", "{"),
        MacroSpec("defbibheading", "{[{"),
        MacroSpec("defbibenvironment", "{{{{"),
        MacroSpec("newbibmacro", "*{[[{"),
        MacroSpec("renewbibmacro", "*{[[{"),
        MacroSpec("DeclareFieldFormat", "[{{"),
        MacroSpec("newrobustcmd", "*{[[{"),
        MacroSpec("renewrobustcmd", "*{[[{"),
        MacroSpec("bibitem", "[{"),
        MacroSpec("lipsum", "[["),
        MacroSpec("usepackage", "[{["),
        MacroSpec("RequirePackage", "[{["),
        MacroSpec("title", "[{"),
        MacroSpec("author", "[{"),
        MacroSpec("lstinputlisting", "[{"),
        MacroSpec("inputminted", "[{{"),
        MacroSpec("DeclareMathOperator", "*{{"),
        MacroSpec("newtheorem", "*{[{["),
        MacroSpec("crefname", "{{{"),
        MacroSpec("Crefname", "{{{"),
        MacroSpec("setcounter", "{{"),
        MacroSpec("addtocounter", "{{"),
        MacroSpec("hypersetup", "{"),
        MacroSpec("bibliographystyle", "{"),
        # soul's \soulregister\cite7: a command and its argument count, no citation
        MacroSpec("soulregister", "{{"),
    ]
    # layout commands: their arguments are lengths, colours, counters and running heads
    specs += [MacroSpec(n, "[") for n in ("linebreak", "pagebreak", "nolinebreak", "nopagebreak")]
    specs += [MacroSpec("rule", "[{{"), MacroSpec("enlargethispage", "*{")]
    specs += [MacroSpec(n, "{") for n in ("phantom", "stepcounter", "markright", "addvspace")]
    specs += [MacroSpec(n, "{{") for n in ("fontsize", "addtolength", "markboth")]
    return specs


def context_db(table: MacroTable):
    """pylatexenc's default context plus common packages and the project's own wrappers."""
    db = lw.get_default_latex_context_db()
    envs = [
        EnvironmentSpec("subfigure", "[[[{"),
        EnvironmentSpec("subtable", "[[[{"),
        EnvironmentSpec("wrapfigure", "[{{"),
        EnvironmentSpec("wraptable", "[{{"),
        EnvironmentSpec("minipage", "[[[{"),
        EnvironmentSpec("tabularx", "{{"),
        EnvironmentSpec("tblr", "[{"),
        EnvironmentSpec("lstlisting", "["),
        EnvironmentSpec("minted", "[{"),
    ]
    db.add_context_category(
        "papertrack-packages", prepend=True, macros=_spec_macros(), environments=envs
    )
    # every macro the paper defines with arguments takes them, as in TeX (a wrapper's or a
    # gobbler's argument is then one node, not loose text after an argument-less macro)
    user = [MacroSpec(m.name, m.argspec) for m in table.macros.values() if m.nargs]
    for alias, target in table.aliases.items():
        spec = db.get_macro_spec(target)
        argspec = getattr(getattr(spec, "args_parser", None), "argspec", None)
        if argspec:
            user.append(MacroSpec(alias, argspec))
    # a command the paper redefines without arguments takes none, whatever LaTeX's own took:
    # after \renewcommand{\d}{\boldsymbol{d}}, `$\d$` is a symbol, not the under-dot accent
    # reading the closing `$` as its argument (and the rest of the file as mathematics)
    for m in table.macros.values():
        if m.nargs or m.spec or m.provide or m.name in KEEP_BUILTIN:
            continue
        if _TRAILING_COMMAND.search(m.body):
            continue  # \renewcommand{\vec}{\mathbf}: the body's last command reads the argument
        spec = db.get_macro_spec(m.name)
        if getattr(getattr(spec, "args_parser", None), "argspec", None):
            user.append(MacroSpec(m.name, ""))
    if user:
        db.add_context_category("papertrack-user", prepend=True, macros=user)
    return db
