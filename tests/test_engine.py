"""The one pipeline: every front end gets the same analysis, complete and read-only."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest

from papertrack.commands.init import detect
from papertrack.config import Config
from papertrack.engine import analyse, with_build
from papertrack.watch.session import Session

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "draft-paper"

ACL = r"""
%! main.tex
\documentclass[11pt]{article}
\usepackage[review]{acl}
\begin{document}
\section{Introduction}
Some words about the work. See \ref{sec:missing}.
\end{document}
"""


def _keys(result):
    return [(f.code, str(f.location), f.message) for f in result.findings]


def test_the_analysed_document_is_read_only():
    result = analyse(EXAMPLE, Config(compile=False))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.document.pages = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings = ()
    copy = result.document.variant(pdf=Path("x.pdf"))  # a copy is the way to another state
    assert copy.pdf == Path("x.pdf") and result.document.pdf is None


def test_config_page_limit_wins_over_the_venue_and_is_decided_once(make_project):
    root = make_project(ACL)
    venue_only = analyse(root, Config(compile=False)).document
    assert (
        venue_only.venue.name.lower().startswith("acl") and venue_only.venue.mode == "long-review"
    )
    assert venue_only.page_limit == venue_only.venue.page_limit == venue_only.pages.limit == 8
    given = analyse(root, Config(compile=False, page_limit=5)).document
    assert given.page_limit == given.venue.page_limit == given.pages.limit == 5
    assert given.venue.limit_from_config


def test_watch_check_and_init_see_the_same_paper(make_project):
    root = make_project(ACL)
    checked = analyse(root, Config(compile=False))
    session = Session(root, lambda: Config(compile=False), compile_=False, with_completion=False)
    session.update()
    watched = session.result
    assert _keys(watched) == _keys(checked) and "PT101" in {f.code for f in checked.findings}
    assert watched.document.page_limit == checked.document.page_limit
    found = detect(root)
    assert found.main == checked.document.main
    assert found.venue == f"{checked.document.venue.profile.key}:long-review"


def test_a_finished_build_makes_a_new_analysis_and_leaves_the_old_one(make_project):
    from papertrack.pages.logparse import CompileProblem

    root = make_project(ACL)
    text = analyse(root, Config(compile=False), text_only=True)
    error = CompileProblem("tex-error", "error", "Undefined control sequence.", "main.tex", 6)
    build = SimpleNamespace(
        pages=None,
        problems=[error],
        first_error=error,
        pdf=None,
        out_dir=None,
        ok=False,
    )
    built = with_build(text, build)
    assert built.document.compile is build and text.document.compile is None
    assert "PT701" in {f.code for f in built.findings}
    assert "PT701" not in {f.code for f in text.findings}
    # the parsed facts are shared, not parsed again
    assert built.document.sections is text.document.sections


def test_a_build_that_left_no_record_is_read_once(make_project, tmp_path):
    """A build folder without a log (TeX stopped at once) has no record; the rules that ask for
    it again must get the same answer, not read it again into the read-only Document."""
    root = make_project(ACL)
    text = analyse(root, Config(compile=False), text_only=True)
    empty = tmp_path / "out"
    empty.mkdir()
    build = SimpleNamespace(pages=None, problems=[], first_error=None, pdf=None, out_dir=empty)
    built = with_build(text, build)
    assert built.document.record is None and built.build_record["available"] is False
