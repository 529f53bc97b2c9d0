"""A paper whose preamble a build script writes (not in git): what its definition files say."""

from __future__ import annotations

from papertrack.config import Config
from papertrack.engine import analyse

PROSE = "\n".join(
    f"Sentence {i} of the body, in words that any reader would count." for i in range(30)
)
CAPTION = "A map of the region with every source the survey found and their names."
BODY = (
    "\\begin{document}\n\\section{Results}\n" + PROSE + "\n"
    f"\\plotfig{{map.pdf}}{{{CAPTION}}}{{fig:map}}\nAs Figure~\\ref{{fig:map}} shows.\n"
    "\\end{document}\n"
)
# the build writes preface_gen.tex from preface.tex (a class line, then the template)
PREFACE = "\\usepackage{graphicx}\n\\input{macros}\n"
MACROS = (
    "\\newcommand{\\plotfig}[3]{\\begin{figure}\\includegraphics{#1}"
    "\\caption{#2}\\label{#3}\\end{figure}}\n"
)
LETTER = (  # a document of its own: its definitions are not the paper's
    "\\documentclass{letter}\n\\newcommand{\\plotfig}[3]{#2 #3}\n"
    "\\begin{document}\nDear editor.\n\\end{document}\n"
)


def _read(make_project, generated: bool):
    spec = f"%! paper.tex\n\\input{{preface_gen}}\n{BODY}"
    spec += f"%! preface.tex\n{PREFACE}%! macros.tex\n{MACROS}%! letter.tex\n{LETTER}"
    if generated:
        spec += f"%! preface_gen.tex\n\\documentclass{{article}}\n{PREFACE}"
    folder = make_project(spec)
    (folder / "map.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    cfg = Config()
    cfg.compile = False
    return analyse(folder, cfg, main="paper.tex").document


def test_without_its_generated_preamble_a_figure_macro_still_captions(make_project):
    built = _read(make_project, generated=True)
    source = _read(make_project, generated=False)
    assert built.caption_words > 10  # the caption is a caption, not body text
    # git holds the source only: the figure macro of macros.tex still makes a caption
    assert (source.words, source.caption_words) == (built.words, built.caption_words)
    assert len(source.graphics) == len(built.graphics) == 1


def test_with_its_preamble_an_unreached_file_says_nothing(make_project):
    spec = (
        f"%! paper.tex\n\\documentclass{{article}}\n{BODY}"
        f"%! preface.tex\n{PREFACE}%! macros.tex\n{MACROS}"
    )
    folder = make_project(spec)
    cfg = Config()
    cfg.compile = False
    doc = analyse(folder, cfg, main="paper.tex").document
    # \plotfig is not defined where TeX reads it: its caption is not taken from macros.tex
    assert doc.caption_words == 0
