"""Compiling in the cache: the probe changes nothing, the paper folder is never touched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from papertrack.pages import compile_paper
from papertrack.pages.metrics import pdf_text_lines
from papertrack.pages.pdfmode import pdf_pages

pytestmark = pytest.mark.tex


def require(*tools: str) -> None:
    """Skip without TeX on a laptop; under CI a missing tool is a failure, never a skip."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install TeX Live and poppler-utils: missing {missing}")
        pytest.skip(f"not installed: {', '.join(missing)}")


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    require("latexmk", "pdflatex", "pdftotext", "pdftoppm")
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Content hash and mtime of every file below folder."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def render(pdf: Path, folder: Path) -> list[bytes]:
    """Every page as a 50 dpi greyscale bitmap."""
    folder.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.iterdir())]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


# A two-column paper built to hit the probe's traps: fancyhdr headers made of \parbox (a pending
# mark must not land there when a heading triggers the output routine), headings at every
# height of the page, a \section in an open paragraph, an \input file that ends in a group
# after display math (two trailing spaces: LaTeX's \par leaves an empty line, which must stay).
SYNTHETIC_PARTS = {
    "part.tex": (
        "\\section{Inputpart}\n{\\small Displayed:\n\\begin{align}\nx &= y\\\\ y &= z\n"
        "\\end{align}\n}\n"
    ),
}


def synthetic_main(sections: int = 18) -> str:
    body = []
    for i in range(1, sections + 1):
        first = 1 + (i * 7) % 40
        body.append(f"\\section{{Heading{i:02d}}}\n\\lipsum[{first}-{first + i % 4}]\n")
        if i == 5:
            body.append("Open paragraph right before the next heading\n")
        if i == 9:
            body.append("\\input{part}\n\\input{part}\n")
    return (
        "\\documentclass[twocolumn]{article}\n"
        "\\usepackage{lipsum,amsmath,fancyhdr}\n"
        "\\pagestyle{fancy}\\fancyhead[L]{Running header}\\fancyhead[R]{\\thepage}\n"
        "\\begin{document}\n\\title{Synthetic}\\author{Nobody}\\maketitle\n"
        + "".join(body)
        + "The last words of the main content ENDOFMAIN.\n\n"
        "\\section*{Limitations}\n\\lipsum[60]\n"
        "\\begin{thebibliography}{9}\n\\bibitem{a} A. Author. A title. 2020.\n"
        "\\end{thebibliography}\n\\appendix\n\\section{Proofs}\n\\lipsum[61-64]\n"
        "\\end{document}\n"
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    (folder / "main.tex").write_text(synthetic_main())
    for name, text in SYNTHETIC_PARTS.items():
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_probe_changes_no_pixel_and_marks_are_right(
    synthetic: Path, engine: str, tmp_path: Path
) -> None:
    require("xelatex" if engine == "xelatex" else "lualatex" if engine == "lualatex" else "latex")
    before = snapshot(synthetic)
    probed = compile_paper(
        synthetic,
        Path("main.tex"),
        engine=engine,
        exempt_headings=["Limitations"],
        build_dir=tmp_path / "probe",
    )
    plain = compile_paper(
        synthetic, Path("main.tex"), engine=engine, probe=False, build_dir=tmp_path / "plain"
    )
    assert probed.ok and plain.ok, (probed.problems, plain.problems)
    assert probed.pdf and plain.pdf
    assert render(probed.pdf, tmp_path / "a") == render(plain.pdf, tmp_path / "b")
    assert snapshot(synthetic) == before

    pages = probed.pages
    assert pages is not None
    info = pdf_pages(probed.pdf, ["Limitations"])
    assert pages.total_pages == info.total_pages
    assert pages.bib_start_page == info.bib_start_page
    assert pages.ended_by == "heading 'Limitations'"
    assert pages.end.source == "probe" and pages.end.text is not None
    assert pages.end.text.endswith("ENDOFMAIN.")
    # Every heading mark is inside the text block, on the page and column where the heading is.
    # Heading13 opens a column: starting its paragraph fires the output routine, whose fancyhdr
    # \parbox headers would take the pending mark if the probe did not guard against it.
    assert any(h.position and h.position.fraction < 0.05 for h in pages.headings)
    lines = pdf_text_lines(probed.pdf, 1, pages.total_pages)
    for heading in pages.headings:
        if not heading.title.startswith("Heading"):
            continue
        pos = heading.position
        assert pos is not None and pos.valid, heading
        found = [ln for ln in lines[pos.page] if ln.text.endswith(heading.title)]
        assert found, heading
        assert abs(found[0].baseline - pos.v_bp) < 3, heading


def test_stale_build_outputs_in_the_paper_folder_are_ignored(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSee \\cite{fresh}.\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    (paper / "refs.bib").write_text("@misc{fresh, note={FRESHENTRY}, year=2024}\n")
    # Committed leftovers of an older version: they must neither be used nor rewritten.
    (paper / "main.aux").write_text(
        "\\relax\n\\citation{stale}\n\\bibdata{other}\n\\bibstyle{plain}\n"
    )
    (paper / "main.bbl").write_text(
        "\\begin{thebibliography}{1}\n\\bibitem{stale} STALEENTRY\n\\end{thebibliography}\n"
    )
    (paper / "sub").mkdir()
    (paper / "sub" / "x.aux").write_text("\\relax\n")
    before = snapshot(paper)
    time.sleep(0.05)
    result = compile_paper(paper, Path("main.tex"))
    assert result.ok, result.problems
    assert result.pdf is not None
    text = pdf_text(result.pdf)
    assert "FRESHENTRY" in text and "STALEENTRY" not in text
    assert snapshot(paper) == before
    assert any("build outputs in the paper folder ignored" in n for n in result.notes)
    assert paper.resolve() not in result.build_dir.resolve().parents


def test_bbl_only_sources_compile(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSee \\cite{k}.\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    (tmp_path / "main.bbl").write_text(
        "\\begin{thebibliography}{1}\n\\bibitem{k} ONLYBBL\n\\end{thebibliography}\n"
    )
    result = compile_paper(tmp_path, Path("main.tex"))
    assert result.pdf is not None and "ONLYBBL" in pdf_text(result.pdf)
    assert result.pages is not None and result.pages.bib_start_page == 1


def test_rebuilds_reuse_the_folder_and_recover_from_failures(tmp_path: Path) -> None:
    main = tmp_path / "main.tex"
    good = "\\documentclass{article}\n\\begin{document}\nHello.\n\\end{document}\n"
    main.write_text(good)
    first = compile_paper(tmp_path, Path("main.tex"))
    assert first.ok and not first.up_to_date
    again = compile_paper(tmp_path, Path("main.tex"))
    assert again.ok and again.up_to_date
    assert again.pages is not None and again.pages.total_pages == 1

    main.write_text(good.replace("Hello.", "Hello \\undefinedmacro.\n\n\\section{B}"))
    broken = compile_paper(tmp_path, Path("main.tex"))
    assert not broken.ok
    err = broken.first_error
    assert err is not None and err.message.startswith("Undefined control sequence")
    assert (err.file, err.line) == ("main.tex", 3)
    # Unchanged: latexmk repeats the remembered failure, the finding stays.
    still = compile_paper(tmp_path, Path("main.tex"))
    assert not still.ok and still.first_error == err
    main.write_text(good.replace("Hello.", "Hello again."))
    fixed = compile_paper(tmp_path, Path("main.tex"))
    assert fixed.ok and fixed.first_error is None


def test_errors_still_give_a_pdf_and_missing_bib_is_reported(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
        "Text \\cite{k}.\n\\includegraphics{missingfigure}\n"
        "\\bibliographystyle{plain}\n\\bibliography{nonexistent}\n\\end{document}\n"
    )
    result = compile_paper(tmp_path, Path("main.tex"))
    assert not result.ok and result.pdf is not None
    kinds = {p.kind for p in result.problems}
    assert {"tex-error", "missing-file", "missing-bib", "undefined-citation"} <= kinds
    err = result.first_error
    assert err is not None and "missingfigure" in err.message
    assert (err.file, err.line) == ("main.tex", 5)


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text("\\documentclass{article}\n\\def\\a{\\a}\\a\n")
    start = time.monotonic()
    result = compile_paper(tmp_path, Path("main.tex"), timeout=3)
    assert result.timed_out and result.killed and time.monotonic() - start < 20
    assert result.problems[0].kind == "timeout"
    time.sleep(0.5)
    build = str(result.build_dir)
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = os.readlink(proc / "cwd")
            except OSError:
                continue
            assert not cwd.startswith(build), f"process {proc.name} survived in {cwd}"


def test_output_size_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n"
        "\\loop\\message{" + "x" * 200 + "}\\iftrue\\repeat\n\\end{document}\n"
    )
    result = compile_paper(tmp_path, Path("main.tex"), timeout=120, max_output_bytes=3 * 2**20)
    assert result.killed is not None and "output grew past" in result.killed
    assert not result.timed_out
    assert result.problems[0].kind == "output-limit"


def test_shell_escape_is_never_honoured(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\immediate\\write18{touch pwned}\n"
        "Hi.\n\\end{document}\n"
    )
    (paper / ".latexmkrc").write_text("$pdflatex = 'pdflatex -shell-escape %O %S';\n")
    result = compile_paper(paper, Path("main.tex"))
    assert result.ok
    assert not list(tmp_path.rglob("pwned"))
    assert not list(result.build_dir.rglob("pwned"))
    assert any("shell escape" in n for n in result.notes)


def test_nomencl_rule_is_carried_over_from_latexmkrc(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{nomencl}\n\\makenomenclature\n"
        "\\begin{document}\nText\\nomenclature{$c$}{Speed of light NOMENCLWORKS}.\n"
        "\\printnomenclature\n\\end{document}\n"
    )
    (tmp_path / "latexmkrc").write_text(
        "$pdflatex = 'pdflatex -shell-escape';\n"
        "add_cus_dep( 'nlo', 'nls', 0, 'makenlo2nls' );\n"
        'sub makenlo2nls {\nsystem( "makeindex -s nomencl.ist -o \\"$_[0].nls\\" '
        '\\"$_[0].nlo\\"" );\n}\n'
    )
    result = compile_paper(tmp_path, Path("main.tex"))
    assert result.ok and result.pdf is not None
    assert "NOMENCLWORKS" in pdf_text(result.pdf)


def test_a_fatal_error_never_reports_the_previous_pdf(tmp_path: Path) -> None:
    main = tmp_path / "main.tex"
    main.write_text("\\documentclass{article}\n\\begin{document}\nHello.\n\\end{document}\n")
    assert compile_paper(tmp_path, Path("main.tex")).ok
    main.write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{missing}\n\\end{document}\n"
    )
    for _ in range(2):  # the failed build, then latexmk's remembered failure
        result = compile_paper(tmp_path, Path("main.tex"))
        assert result.pdf is None and result.pages is None
        err = result.first_error
        assert err is not None and err.message == "LaTeX Error: File `missing.tex' not found."
        assert (err.file, err.line) == ("main.tex", 3)
        no_pdf = [p for p in result.problems if p.kind == "no-pdf"]
        assert no_pdf and "earlier build" in no_pdf[0].message


def test_a_bibliography_latexmk_will_not_run_keeps_the_last_pdf(tmp_path: Path) -> None:
    """latexmk gives up on BibTeX when a .bib is missing ("I WON'T RUN 'bibtex'") and, on the
    next run of unchanged sources, runs no TeX at all: the PDF of the last run is this one."""
    require("latexmk", "pdflatex", "bibtex")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nHello \\cite{k}.\n"
        "\\bibliographystyle{plain}\\bibliography{nothere}\n\\end{document}\n"
    )
    for _ in range(2):
        result = compile_paper(tmp_path, Path("main.tex"))
        assert result.pdf is not None
        assert [p for p in result.problems if p.kind == "no-pdf"] == []
    # a state saved by an older papertrack that took that PDF for an earlier build's
    state = next(Path(os.environ["PAPERTRACK_CACHE_DIR"]).rglob("state.json"))
    state.write_text(state.read_text().replace('"pdf_fresh": true', '"pdf_fresh": false'))
    assert compile_paper(tmp_path, Path("main.tex")).pdf is not None


def test_cancel_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text("\\documentclass{article}\n\\def\\a{\\a}\\a\n")
    cancel = threading.Event()
    timer = threading.Timer(1.0, cancel.set)
    timer.start()
    start = time.monotonic()
    result = compile_paper(tmp_path, Path("main.tex"), timeout=60, cancel=cancel)
    timer.join()
    assert time.monotonic() - start < 15
    assert result.killed == "cancelled" and not result.timed_out
    assert result.problems[0].kind == "cancelled"
    assert result.pdf is None
