"""`papertrack report`: Markdown for a PR comment, one self-contained HTML page, paper text escaped."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CORPUS, needs_corpus

from papertrack import history
from papertrack.cli import main

XSS = "<script>alert(1)</script>"
XSS_PAPER = r"""
%! main.tex
\documentclass{article}
\usepackage{todonotes}
\begin{document}
\begin{abstract}
An abstract with <b>bold</b> HTML & an ampersand.
\end{abstract}
\section{Introduction}
Some words about the problem and why it matters to the readers of this paper~\cite{evil}.
\section{<script>alert(1)</script>}
\todo[author=<img src=x onerror=alert(3)>]{<script>alert(2)</script>}
\begin{figure}\includegraphics{plot}\caption{<script>alert(4)</script>}\label{fig:<x>}\end{figure}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
%! refs.bib
@article{evil, title={<script>alert(5)</script>}, author={A}, journal={J}}
"""


def report(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["report", str(folder), "--no-compile", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_html_escapes_every_piece_of_paper_text(make_project):
    folder = make_project(XSS_PAPER)
    page = report(folder, "--format", "html")
    assert "<script" not in page.lower()  # neither the paper's nor any of our own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the section title, as text
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in page  # the bib entry's title field
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # the todo text
    assert "&lt;img src=x onerror=alert(3)&gt;" in page  # the todo's author
    assert "onerror=alert(3)>" not in page
    assert "Content-Security-Policy" in page


def test_markdown_escapes_paper_text(make_project):
    folder = make_project(XSS_PAPER)
    text = report(folder, "--format", "md")
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in text


def test_html_is_self_contained(make_project):
    page = report(make_project(XSS_PAPER), "--format", "html")
    assert page.lstrip().startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in page and "@media (max-width" in page
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    assert not [
        t
        for t in tags
        if re.search(r"\s(src|href|action)=", t)
        or t.startswith(("<link", "<iframe", "<object", "<embed"))
    ]
    assert "@import" not in page and "url(" not in page
    # the only URL is the SVG namespace (an identifier, never fetched)
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}


@needs_corpus()
def test_markdown_report_of_the_firefly_draft(tmp_path):
    out = tmp_path / "report.md"
    assert report(CORPUS / "ieee-firefly-draft", "--format", "md", "-o", str(out)) == ""
    text = out.read_text()
    assert text.startswith("## How done is ieee-firefly-draft, really?")
    # IEEE conferences set their own limits: no target length, so no felt percentage
    assert re.search(r"\*\*Is done: \d+%\*\* · feels done: not measured \(no target length\)", text)
    assert "Cannot read done while: " in text and "open notes" in text
    assert "| Section | Status | Words / target | Open TODOs | Owner |" in text
    assert "| Background | **stub**" in text
    assert "`related_work.tex:101` TODO: finish this section" in text
    assert (
        "### Still to do" in text
        and "Add bibliography entries for 25 undefined citation keys" in text
    )
    assert "| figure fig:variables | unreferenced | `attack.tex:3` |" in text
    assert "Pages: about" in text
    # nothing written into the (read-only) corpus folder
    assert not list((CORPUS / "ieee-firefly-draft").glob("report*"))


def test_report_shows_the_progress_chart_from_git(make_project, tmp_path):
    if not shutil.which("git"):
        pytest.skip("git not installed")
    folder = git_paper(tmp_path)
    text = report(folder, "--format", "md")
    assert "| is done | `" in text and "From 2024-" in text
    page = report(folder, "--format", "html")
    assert page.count("<polyline") == 3 and "Completion over time" in page


def git_paper(tmp_path: Path) -> Path:
    """A paper in git that grew over five days, with an owner and an open TODO."""
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(repo), "init", "-q", "-b", "main"], check=True, env=env)
    prose = "The system reads the sensor and the model predicts the next state of the plant. "
    for day in range(5):
        sections = "".join(
            f"\\section{{{t}}}\n{prose * (8 + 6 * day)}\n"
            for t in ("Introduction", "Related Work", "Method", "Experiments", "Conclusion")[
                : 2 + day
            ]
        )
        (repo / "main.tex").write_text(
            "\\documentclass{article}\n\\usepackage{todonotes}\n\\begin{document}\n\\begin{abstract}\n"
            + prose * 2
            + "\n\\end{abstract}\n"
            + sections
            + "\\todo[author=Ana]{add the ablation}\n\\end{document}\n"
        )
        (repo / "method.tex").write_text("% papertrack: owner Bob\n")
        stamp = f"{1_712_000_000 + day * 86400} +0000"
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
        subprocess.run(
            ["git", "-C", str(repo), "commit", "-q", "-m", f"day {day}"],
            check=True,
            env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
    return repo


def past_runs(folder: Path, days: int) -> None:
    """Recorded runs of the last `days` days, as `papertrack check` leaves them."""
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    path = history.history_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        for d in range(days):
            t = (start + dt.timedelta(days=d)).isoformat()
            snap = {
                "time": t,
                "words": 100 * d,
                "honest": d / (2 * days),
                "felt": min(1.0, d / days),
                "todos": 3,
                "pages": d / 4,
            }
            fh.write(json.dumps(snap) + "\n")


@pytest.mark.browser
def test_html_report_renders_in_headless_chromium(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium not installed")
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\usepackage{todonotes}\n\\begin{document}\n"
        "\\section{Introduction}\n" + "The model predicts the next state of the plant. " * 40 + "\n"
        "\\section{<script>alert(1)</script> Related Work}\n\\todo[author=Ana]{add the survey}\n"
        "\\section{Method}\n"
        + "We read the sensor and fit the model. " * 60
        + "\n\\end{document}\n"
    )
    past_runs(folder, days=12)
    page = tmp_path / "out" / "report.html"
    page.parent.mkdir()
    report(folder, "--format", "html", "--no-git", "-o", str(page))
    assert page.read_text().count("<polyline") == 3
    png = tmp_path / "out" / "report.png"
    profile = tmp_path / "chromium-profile"
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        "--window-size=412,915",  # a phone
        page.as_uri(),
    ]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert png.is_file(), "chromium wrote no screenshot"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 15_000  # a blank page compresses to a few kB
    if os.environ.get("PAPERTRACK_KEEP_SCREENSHOT"):
        shutil.copy(png, os.environ["PAPERTRACK_KEEP_SCREENSHOT"])


def test_json_report_follows_its_schema(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git not installed")
    folder = git_paper(tmp_path)
    (tmp_path / "cfg.toml").write_text('deadline = "2099-01-01"\npage-limit = 2\n')
    data = json.loads(report(folder, "--format", "json", "--config", str(tmp_path / "cfg.toml")))
    assert data["schema"] == "papertrack-report/1.2" and data["as_of"] is None
    assert set(data) >= {
        "is_done",
        "feels_done",
        "hours_left",
        "sections",
        "tasks",
        "projection",
        "history",
    }
    assert 0 <= data["is_done"]["value"] <= 0.9  # an open TODO: never done
    assert any("open note" in b for b in data["is_done"]["blockers"])
    assert data["feels_done"]["value"] is not None  # a page limit: a target length
    lo, hi = data["hours_left"]
    assert 0 < lo < hi
    todo = next(t for t in data["tasks"] if t["part"] == "todos")
    assert todo["owner"] == "Ana" and todo["locations"][0]["file"] == "main.tex"
    assert data["projection"]["deadline"] == "2099-01-01"
    assert [h["source"] for h in data["history"]].count("git") == 5


def test_markdown_and_html_show_the_deadline_and_the_projected_finish(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git not installed")
    folder = git_paper(tmp_path)
    (tmp_path / "cfg.toml").write_text('deadline = "2099-01-01"\n')
    cfg = ["--config", str(tmp_path / "cfg.toml")]
    text = report(folder, "--format", "md", *cfg)
    assert "Deadline: 2099-01-01" in text and "Projected finish:" in text
    # no page limit: no felt percentage, and the way to set one
    assert "feels done: not measured (no target length)" in text and "page-limit" in text
    page = report(folder, "--format", "html", *cfg)
    assert "Deadline: 2099-01-01" in page and "Projected finish:" in page
