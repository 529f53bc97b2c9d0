"""A projection that has no date from the pace and falls back to the deadline says so.

It printed 'Projected finish: <deadline> (interval <deadline> to open-ended); ... too short a
history to project', an interval that the history does not support."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from papertrack import history
from papertrack.cli import main
from papertrack.reporters.report_md import outlook


def _two_snaps():
    t0 = dt.datetime(2024, 3, 1, 12, tzinfo=dt.timezone.utc)
    return [
        {"time": (t0 + dt.timedelta(hours=h)).isoformat(), "words": 100, "honest": 0.5, "felt": 0.6}
        for h in (0, 1)
    ]


def test_deadline_fallback_is_no_interval():
    p = history.project(_two_snaps(), "2024-03-20", today=dt.date(2024, 3, 1))
    lines = outlook(p)
    finish = next(line for line in lines if line.startswith("Projected finish"))
    assert "interval" not in finish and "open-ended" not in finish, finish
    assert finish.startswith("Projected finish: 2024-03-20, the deadline"), finish


def test_progress_deadline_fallback_is_no_interval(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_NO_HISTORY", "1")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\section{Introduction}\n"
        "Some words here.\n\\end{document}\n"
    )
    (tmp_path / "papertrack.toml").write_text("deadline = 2099-01-01\n")
    r = CliRunner().invoke(main, ["progress", "--no-compile", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "projected finish: 2099-01-01, the deadline" in r.output, r.output
    assert "open-ended" not in r.output, r.output
    assert "1 point over 0 days" in r.output, r.output  # not "1 points"


def test_deadline_line_says_whose_today_it_is():
    """At 10:00 UTC the deadline's clock (UTC-12) is still yesterday: say so, or the date reads wrong."""
    p = history.project(_two_snaps(), "2024-03-20", today=dt.date(2024, 3, 1))
    line = next(x for x in outlook(p) if x.startswith("Deadline"))
    assert line == "Deadline: 2024-03-20 (19 days from 2024-03-01, today anywhere on Earth)", line
