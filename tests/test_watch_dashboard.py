"""What the watch dashboard and the plain lines show for a snapshot (no observer, no terminal)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from papertrack.config import load_config
from papertrack.model.pages import PageAccount
from papertrack.watch import session as sessmod
from papertrack.watch.dashboard import plain_line, render, section_lines, top_findings
from papertrack.watch.loop import watch
from papertrack.watch.session import CompileState, Session

SPEC = r"""
%! main.tex
\documentclass{article}
\begin{document}
\begin{abstract}
A short abstract of the paper.
\end{abstract}
\section{Introduction}
Intro words here, TODO write more. See \ref{fig:none}.
\section{Method}
Method words are these few.
\end{document}
"""


@pytest.fixture
def snap(make_project):
    folder = make_project(SPEC)
    s = Session(folder, lambda: load_config(folder), compile_=False)
    return s.update()


def text_of(renderable, width=110) -> str:
    out = io.StringIO()
    Console(file=out, width=width, height=40, force_terminal=False, color_system=None).print(
        renderable
    )
    return out.getvalue()


def test_dashboard_parts(snap):
    screen = text_of(render(snap, 40))
    assert "update #1" in screen
    assert "pages" in screen and "(estimate)" in screen
    assert "Introduction" in screen and "Method" in screen
    assert "1 error," in screen  # the undefined reference
    lines = screen.splitlines()
    err = next(i for i, line in enumerate(lines) if "PT101" in line)
    warn = next(i for i, line in enumerate(lines) if "PT301" in line)
    assert err < warn  # errors first
    assert "main.tex:7" in lines[err]
    assert "compile" in screen and "off" in screen
    # watch does not measure revision from git: its figure says so, since report's differs
    assert "(report adds revision from git)" in screen


def test_errors_come_first_and_the_list_is_capped(snap):
    top = top_findings(snap, 2)
    assert len(top) == 2 and top[0].severity >= top[1].severity


def test_plain_line(snap):
    line = plain_line(snap)
    assert line.count("\n") == 0 and "\x1b" not in line
    assert " #1 " in line and "pages (estimate)" in line and "1 error," in line
    assert "compile: off" in line


def _with_pages(snap, pages):
    """The snapshot with another page figure (the analysed Document itself is read-only)."""
    res = snap.result
    doc = res.document.variant(pages=pages).seal()
    return dataclasses.replace(snap, result=dataclasses.replace(res, document=doc))


def test_exact_pages_and_compile_states(snap):
    snap = _with_pages(snap, PageAccount("exact", 8.72, limit=9))
    running = dataclasses.replace(
        snap, compile=CompileState(running=True, started=0.0), kind="status"
    )
    assert plain_line(running) is None  # status-only: no line in a log
    assert "compiling" in text_of(render(running))
    failed = dataclasses.replace(
        snap,
        compile=CompileState(
            last_ok=False, error="Undefined control sequence", error_at="sec/a.tex:12"
        ),
    )
    screen = text_of(render(failed))
    assert "8.72/9 pages (exact)" in screen
    assert "sec/a.tex:12" in screen and "Undefined control sequence" in screen
    snap = _with_pages(snap, PageAccount("estimate", 9.3, limit=9, error=0.8))
    stale = dataclasses.replace(
        snap,
        compile=CompileState(
            last_ok=True, exact=PageAccount("exact", 8.72, limit=9), last_seconds=3.0
        ),
    )
    screen = text_of(render(stale))
    assert "~9.3±0.8/9 pages (estimate)" in screen and "last build: 8.72 (older text)" in screen


def test_an_update_error_keeps_the_last_result(make_project):
    folder = make_project(SPEC)
    s = Session(folder, lambda: load_config(folder), compile_=False)
    s.update()
    (folder / "main.tex").unlink()
    snap = s.update(frozenset([str(folder / "main.tex")]))
    assert snap.kind == "error" and "main.tex" in snap.error
    assert snap.result is not None
    assert "the last good result stays" in text_of(render(snap))
    assert "error:" in plain_line(snap)


def test_without_completion_figures_sections_show_words(make_project, monkeypatch):
    import papertrack.completion

    def fails(result):
        raise ValueError("the completion model failed")

    monkeypatch.setattr(papertrack.completion, "assess", fails)
    folder = make_project(SPEC)
    snap = Session(folder, lambda: load_config(folder), compile_=False).update()
    assert snap.completion is None
    assert sessmod.completion_of(snap.result) is None
    rows = section_lines(snap)
    assert [(r.title, r.target) for r in rows] == [("Introduction", None), ("Method", None)]
    assert "completion figures not available" in text_of(render(snap))


def test_with_the_completion_model(snap):
    pytest.importorskip("papertrack.completion")
    assert snap.completion is not None
    screen = text_of(render(snap))
    assert "felt" in screen and "honest" in screen
    assert "felt" in plain_line(snap)


def test_a_narrow_terminal_cuts_messages_not_codes(snap):
    snap.result.findings[0].message = "a very long message " * 20
    screen = text_of(render(snap), width=60)
    rows = [line for line in screen.splitlines() if "PT" in line]
    assert rows and all(len(line.rstrip()) <= 60 for line in screen.splitlines())
    assert any("PT101" in line and "main.tex:7" in line for line in rows)


MANY = (
    r"""
%! main.tex
\documentclass{article}
\begin{document}
\begin{abstract}
A short abstract of the paper about things.
\end{abstract}
"""
    + "".join(
        f"\\section{{Part {i}}}\n" + ("Words of this part are here and more. " * 30) + "\n"
        for i in range(1, 11)
    )
    + r"""
\section{Related Work}
TODO
"""
    + "".join(f"See \\ref{{fig:missing{i}}}. TODO item {i}.\n" for i in range(20))
    + r"""
\end{document}
"""
)


def screen_of(snap, width=80, height=24) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, height=height, force_terminal=False, color_system=None).print(
        render(snap, height)
    )
    return out.getvalue().splitlines()


def test_an_80x24_terminal_keeps_stub_sections_and_says_what_is_cut(make_project):
    folder = make_project(MANY)
    snap = Session(folder, lambda: load_config(folder), compile_=False).update()
    lines = screen_of(snap)
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    secs = section_lines(snap)
    urgent = [s.title for s in secs if s.status in ("stub", "missing")]
    if snap.completion is not None:
        assert urgent  # the two-word Related Work is a stub; expected sections may be missing
    for title in urgent:
        assert any(title in line for line in lines), title
    screen = "\n".join(lines)
    assert "more" in screen  # sections cut: said so
    total = len(snap.result.findings)
    shown = sum(1 for line in lines if " PT" in line)
    assert total > shown and f"… {total - shown} more findings" in screen


def test_a_library_warning_goes_to_the_problem_lines_not_the_terminal(make_project, capsys):
    import logging
    import threading
    import warnings

    folder = make_project(SPEC)
    s = Session(folder, lambda: load_config(folder), compile_=False)
    shown = []
    stop = threading.Event()

    def show(snap):
        shown.append(snap)
        if len(shown) == 1:
            warnings.warn("a library's deprecation notice", DeprecationWarning, stacklevel=1)
            logging.getLogger("somelibrary").warning("Ignoring wrong pointing object 6 0")
            stop.set()

    watch(s, show, stop=stop)
    out = capsys.readouterr()
    assert "deprecation notice" not in out.err + out.out
    assert "wrong pointing object" not in out.err + out.out
    assert any("deprecation notice" in p for p in s.problems)
    assert any("somelibrary: Ignoring wrong pointing object" in p for p in s.problems)
    # outside watch, warnings behave as before
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("after", UserWarning, stacklevel=1)
    assert caught and str(caught[0].message) == "after"


def test_the_last_build_plus_the_edits_is_labelled(snap):
    from papertrack.model.pages import Since

    snap = _with_pages(
        snap,
        PageAccount("exact", 8.81, limit=9, since=Since(8.72, 10.4, 112.0), lines_per_page=112.0),
    )
    screen = text_of(render(snap))
    assert "8.81/9 pages (last build 8.72, +10 lines since)" in screen
    assert "8.81/9 pages (last build 8.72, +10 lines since)" in plain_line(snap)


def test_one_line_since_the_last_build_is_singular(snap):
    """A one-line edit after a build read '(last build 9.54, +1 lines since)'."""
    from papertrack.model.pages import Since

    for lines, shown in ((1.2, "+1 line since"), (-0.9, "-1 line since")):
        page = PageAccount(
            "exact", 8.73, limit=9, since=Since(8.72, lines, 112.0), lines_per_page=112.0
        )
        assert f"(last build 8.72, {shown})" in plain_line(_with_pages(snap, page))


def test_a_build_error_without_a_line_shows_the_file_not_none(make_project):
    """A missing .bst is an error with a file and no line: the plain line said
    'failed: acl_natbib.bst:None: BibTeX could not open ...'."""
    from types import SimpleNamespace

    folder = make_project(SPEC)
    s = Session(folder, lambda: load_config(folder), compile_=False)
    s.update()
    bst = SimpleNamespace(
        severity="error",
        file="acl_natbib.bst",
        line=None,
        message="BibTeX could not open style file acl_natbib.bst",
    )
    build = SimpleNamespace(first_error=None, problems=[bst], seconds=1.0, ok=False)
    # a build of an older text: published as the last build, not merged into the result
    out = s.on_compile(("compiled", "an older text", build))
    assert out is not None and out.compile.error_at == "acl_natbib.bst"
    # the session was made without TeX; show its state as a session with TeX would
    on = dataclasses.replace(out.compile, enabled=True, available=True, last_current=True)
    shown = text_of(render(dataclasses.replace(out, compile=on)))
    assert "acl_natbib.bst: BibTeX could not open" in shown, shown
    assert "None" not in shown, shown


def test_plain_line_without_a_target_length_reads_as_english(snap):
    """No page limit known: the line read 'done no target length felt / 90% honest'."""
    assert snap.completion is not None and snap.completion.felt is None
    line = plain_line(snap)
    honest = f"{snap.completion.honest:.0%}"
    assert f"| done {honest} honest (felt: no target length) |" in line, line
    assert "no target length felt" not in line, line


def test_one_finding_left_out_is_singular(snap, monkeypatch):
    """With one finding past the list the dashboard read '… 1 more findings'."""
    from papertrack.watch import dashboard

    total = len(snap.result.findings)
    monkeypatch.setattr(dashboard, "MAX_FINDINGS", total - 1)
    screen = text_of(render(snap))
    assert "… 1 more finding (papertrack check lists it)" in screen, screen
    assert "1 more findings" not in screen, screen
