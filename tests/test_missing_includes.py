"""PT001: the files of a folder that is not there are one finding, and the fix names a file of
the same name elsewhere in the paper folder (minimal papers written here)."""

from __future__ import annotations

from helpers import check_static as check

PAPER = r"""%! main.tex
\documentclass{article}
\begin{document}
\input{tex/abstract}
\input{tex/introduction}
\input{tex/method}
\input{sections/results}
\input{notes}
\end{document}
%! abstract.tex
Abstract.
%! introduction.tex
Introduction.
%! method.tex
Method.
%! parts/results.tex
Results.
%! sections/other.tex
Other.
"""


def test_a_moved_folder_is_one_finding_and_the_fix_names_the_files(make_project):
    r = check(make_project(PAPER))
    found = sorted((f.location.line, f.message, f.fix) for f in r.findings if f.code == "PT001")
    assert [line for line, _m, _f in found] == [3, 6, 7]
    (_l, moved, fix), (_l2, results, fix2), (_l3, notes, fix3) = found
    assert moved.startswith("3 files in tex/ are not found: the folder tex/ does not exist")
    assert "abstract.tex is at abstract.tex" in fix
    (grouped,) = [f for f in r.findings if f.code == "PT001" and f.location.line == 3]
    assert [loc.line for loc in grouped.related] == [4, 5]
    # one file missing from a folder that exists: its own finding, with the file found elsewhere
    assert results == "\\input{sections/results}: file not found"
    assert fix2 == "results.tex is at parts/results.tex"
    assert notes == "\\input{notes}: file not found" and fix3 is None


CASED = r"""%! main.tex
\documentclass{article}
\begin{document}
\input{sections/Intro}
\input{Parts/method}
\end{document}
%! sections/intro.tex
\section{Intro}
See \ref{nowhere}.
%! parts/method.tex
Method.
"""


def test_a_file_name_in_other_letter_case_is_read_as_tex_live_reads_it(make_project, tmp_path):
    # kpathsea retries the file name (not its folders) in any letter case: \input{sections/Intro}
    # opens sections/intro.tex, whose undefined reference counts; Parts/ for parts/ is missing
    import shutil

    from helpers import pdflatex

    root = make_project(CASED)
    r = check(root)
    assert [f.message for f in r.findings if f.code == "PT001"] == [
        "\\input{Parts/method}: file not found"
    ]
    assert [f.location.file for f in r.findings if f.code == "PT101"] == ["sections/intro.tex"]
    if shutil.which("pdflatex"):
        (tmp_path / "out").mkdir()
        log = pdflatex(root, tmp_path / "out")
        assert "(./sections/intro.tex" in log and "File `Parts/method.tex' not found" in log
