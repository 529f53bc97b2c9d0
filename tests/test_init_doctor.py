"""`papertrack init` (settings file and CI workflow) and `papertrack doctor`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from papertrack.check import run_check
from papertrack.cli import main
from papertrack.commands import doctor
from papertrack.config import load_config

NEURIPS = r"""\documentclass{article}
\usepackage[final]{neurips_2025}
\title{Fast Sorting}
\author{Jane Doe}
\begin{document}
\maketitle
\section{Introduction}
Text.
\end{document}
"""
PLAIN = NEURIPS.replace("\\usepackage[final]{neurips_2025}\n", "")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _paper(folder: Path, text: str = NEURIPS, name: str = "paper.tex") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _init(*args: str):
    return CliRunner().invoke(main, ["init", *args])


def _git_repo(path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


# --- init -----------------------------------------------------------------------------------


def test_init_writes_detected_main_and_venue_and_says_so(tmp_path):
    folder = _paper(tmp_path / "p")
    before = _files(folder)
    res = _init(str(folder))
    assert res.exit_code == 0, res.output
    assert _files(folder) - before == {"papertrack.toml"}
    assert before <= _files(folder)
    assert f"wrote {folder.resolve() / 'papertrack.toml'}" in res.output
    assert "venue = neurips-2025:camera-ready" in res.output
    cfg = load_config(folder)
    assert cfg.main == "paper.tex"
    assert cfg.venue == "neurips-2025:camera-ready"
    assert cfg.deadline is None
    text = (folder / "papertrack.toml").read_text()
    assert "# deadline = " in text and '# fail-on = "error"' in text
    # the file it wrote is one `papertrack check` accepts and agrees with
    cfg.compile = False
    result = run_check(folder, cfg=cfg)
    assert result.document.venue.mode == "camera-ready"
    assert not [f for f in result.findings if f.code == "PT607"]


def test_init_without_a_venue_leaves_it_commented(tmp_path):
    folder = _paper(tmp_path / "p", PLAIN, "main.tex")
    res = _init(str(folder))
    assert res.exit_code == 0, res.output
    assert "none detected" in res.output
    cfg = load_config(folder)
    assert cfg.venue is None and cfg.main == "main.tex"
    assert '# venue = "neurips:review"' in (folder / "papertrack.toml").read_text()


def test_init_of_a_named_main_file_does_not_call_it_detected(tmp_path):
    """`init paper/main.tex` wrote '# detected: given on the command line' above `main`."""
    folder = _paper(tmp_path / "p", PLAIN, "main.tex")
    res = _init(str(folder / "main.tex"))
    assert res.exit_code == 0, res.output
    text = (folder / "papertrack.toml").read_text()
    assert '# main file: given on the command line\nmain = "main.tex"' in text, text
    assert "# detected: given" not in text, text


def test_init_keeps_an_existing_config_and_adds_only_what_is_missing(tmp_path):
    """Issue 12: `--force` silently overwrote an edited papertrack.toml; now nothing is dropped."""
    folder = _paper(tmp_path / "p")
    mine = 'main = "mine.tex"\nstub-words = 10\n\n[severity]\nPT202 = "off"\n'
    (folder / "papertrack.toml").write_text(mine)
    res = _init(str(folder))
    assert res.exit_code == 0, res.output
    assert "added to" in res.output and "venue = neurips-2025:camera-ready" in res.output
    text = (folder / "papertrack.toml").read_text()
    assert text.startswith('main = "mine.tex"\nstub-words = 10\n')
    assert text.endswith('[severity]\nPT202 = "off"\n')
    cfg = load_config(folder)
    assert (cfg.main, cfg.stub_words, cfg.severity) == ("mine.tex", 10, {"PT202": "off"})
    assert cfg.venue == "neurips-2025:camera-ready"  # top level, not inside [severity]
    for args in ((), ("--force",)):
        res = _init(str(folder), *args)
        assert res.exit_code == 0, res.output
        assert "nothing to add" in res.output
        assert (folder / "papertrack.toml").read_text() == text


def test_init_leaves_settings_in_pyproject_alone(tmp_path):
    folder = _paper(tmp_path / "p")
    (folder / "pyproject.toml").write_text('[tool.papertrack]\nmain = "paper.tex"\n')
    for args in ((), ("--force",)):
        res = _init(str(folder), *args)
        assert res.exit_code == 0 and "pyproject.toml" in res.output, res.output
        assert not (folder / "papertrack.toml").exists()


def test_init_of_a_missing_folder_is_a_usage_error(tmp_path):
    res = _init(str(tmp_path / "nope"))
    assert res.exit_code == 2 and "no such file" in res.output


def test_init_ci_github_writes_the_workflow_at_the_repository_root(tmp_path):
    yaml = pytest.importorskip("yaml")
    repo = _git_repo(tmp_path / "repo")
    folder = _paper(repo / "papers" / "icml")
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 0, res.output
    wf = repo / ".github" / "workflows" / "papertrack.yml"
    assert f"wrote {wf.resolve()}" in res.output
    assert (folder / "papertrack.toml").is_file()
    data = yaml.safe_load(wf.read_text())
    steps = data["jobs"]["check"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "apt-get install" in runs and "latexmk" in runs and "texlive" in runs
    # never the PyPI name: "papertrack" there is an unrelated project
    assert "pip install" in runs and "papertrack==" not in runs and "git+" in runs
    assert 'papertrack check "papers/icml" --format github' in runs
    assert "@" + "PAPER_DIR@" not in wf.read_text()


def test_init_ci_github_outside_git_writes_into_the_paper_folder(tmp_path):
    folder = _paper(tmp_path / "p")
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 0, res.output
    text = (folder / ".github" / "workflows" / "papertrack.yml").read_text()
    assert 'papertrack check "." --format github' in text


def test_init_ci_keeps_an_existing_workflow_and_adds_the_config(tmp_path):
    folder = _paper(tmp_path / "p")
    wf = folder / ".github" / "workflows" / "papertrack.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text("mine\n")
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 0, res.output
    assert "kept" in res.output and "papertrack.yml" in res.output
    assert wf.read_text() == "mine\n" and (folder / "papertrack.toml").is_file()
    res = _init(str(folder), "--ci", "github", "--force")
    assert res.exit_code == 0 and "papertrack check" in wf.read_text()


def test_init_then_init_ci_github_adds_the_workflow(tmp_path):
    """Issue 12: `init --ci github` after `init` refused; now it adds what is missing."""
    folder = _paper(tmp_path / "p")
    assert _init(str(folder)).exit_code == 0
    (folder / "papertrack.toml").write_text(
        (folder / "papertrack.toml").read_text() + "stub-words = 25\n"
    )
    before = (folder / "papertrack.toml").read_bytes()
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 0, res.output
    assert (folder / ".github" / "workflows" / "papertrack.yml").is_file()
    assert (folder / "papertrack.toml").read_bytes() == before
    assert "kept" in res.output and "wrote" in res.output


# --- init on a folder someone else prepared (security review F7, OT03) -----------------------


def _tree(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        out[rel] = (
            f"-> {os.readlink(p)}" if p.is_symlink() else (p.read_bytes() if p.is_file() else "dir")
        )
    return out


def test_init_never_writes_through_a_dangling_config_link(tmp_path):
    """F7: `papertrack.toml -> ~/.bash_profile` (not there yet) got init's output."""
    folder = _paper(tmp_path / "p", name="paper$(touch pwned-init).tex")
    outside = tmp_path / "home" / ".bash_profile"
    outside.parent.mkdir()
    (folder / "papertrack.toml").symlink_to(outside)
    before = _tree(folder)
    res = _init(str(folder))
    assert res.exit_code == 2, res.output
    assert "symbolic link" in res.output and "Traceback" not in res.output
    assert not outside.exists() and _tree(folder) == before


def test_init_never_writes_through_a_link_to_an_existing_file(tmp_path):
    folder = _paper(tmp_path / "p")
    outside = tmp_path / "secret.toml"
    outside.write_text("untouched\n")
    (folder / "papertrack.toml").symlink_to(outside)
    for args in ((), ("--force",), ("--ci", "github", "--force")):
        res = _init(str(folder), *args)
        assert res.exit_code == 2 and "symbolic link" in res.output, res.output
    assert outside.read_text() == "untouched\n"


@pytest.mark.parametrize(
    "link", [".github", ".github/workflows", ".github/workflows/papertrack.yml"]
)
def test_init_ci_never_writes_the_workflow_through_a_link(tmp_path, link):
    """F7: a `.github` link redirected the workflow write; nothing at all is written then."""
    folder = _paper(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / link).parent.mkdir(parents=True, exist_ok=True)
    target = elsewhere / "x.yml" if link.endswith(".yml") else elsewhere
    (folder / link).symlink_to(target)
    before = _tree(folder)
    res = _init(str(folder), "--ci", "github", "--force")
    assert res.exit_code == 2, res.output
    assert "symbolic link" in res.output
    assert list(elsewhere.iterdir()) == [] and _tree(folder) == before


@pytest.mark.parametrize(
    "name",
    ["paper$(touch pwned-init).tex", 'pa"per`id`.tex', "pa\\per\u202e.tex", "pa\nper\x1b[8m.tex"],
)
def test_init_writes_any_root_name_as_a_valid_toml_string(tmp_path, name):
    """The root's name is the paper's: quotes, backslashes, newlines and ESC cannot break out."""
    folder = _paper(tmp_path / "p", PLAIN, name)
    res = _init(str(folder))
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.output and "\u202e" not in res.output  # said visibly
    assert load_config(folder).main == name
    text = (folder / "papertrack.toml").read_text(encoding="utf-8")
    assert all(line.startswith("#") or "=" in line or not line for line in text.splitlines())


def test_init_with_a_root_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / os.fsdecode(b"m\xffain.tex")).write_text(PLAIN)
    res = _init(str(folder))
    assert res.exit_code == 0, res.output
    text = (folder / "papertrack.toml").read_bytes().decode("utf-8")  # valid UTF-8
    assert "m\\xffain.tex" in text and "is not UTF-8" in text
    assert load_config(folder).main is None


def test_init_refuses_an_invalid_existing_config_and_changes_nothing(tmp_path):
    folder = _paper(tmp_path / "p")
    (folder / "papertrack.toml").write_text("main = [\n")
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 2 and "invalid TOML" in res.output
    assert (folder / "papertrack.toml").read_text() == "main = [\n"
    assert not (folder / ".github").exists()


def test_init_refuses_an_existing_config_it_cannot_read(tmp_path):
    folder = _paper(tmp_path / "p")
    (folder / "papertrack.toml").write_bytes('main = "x"\n'.encode("utf-16"))
    res = _init(str(folder))
    assert res.exit_code == 2 and "cannot be read" in res.output, res.output
    assert "Traceback" not in res.output


def test_init_ci_refuses_a_folder_name_that_would_need_quoting(tmp_path):
    """The folder name goes into the workflow's shell line: `$(...)` there would run in CI."""
    repo = _git_repo(tmp_path / "repo")
    folder = _paper(repo / 'p$(curl evil)"x')
    res = _init(str(folder), "--ci", "github")
    assert res.exit_code == 2 and "cannot go into a workflow" in res.output
    assert not (repo / ".github").exists() and not (folder / "papertrack.toml").exists()


def test_workflow_template_ships_with_the_package():
    from papertrack.paths import templates_dir

    assert (templates_dir() / "ci" / "github-workflow.yml").is_file()


# --- doctor ---------------------------------------------------------------------------------


def _fake_which(missing: set[str]):
    return lambda name: None if name in missing else f"/opt/tex/bin/{name}"


def _fake_version(path: str, flag: str) -> str:
    return f"{os.path.basename(path)} version 1.0"


def test_doctor_all_present_exits_0(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", _fake_which(set()))
    monkeypatch.setattr(doctor, "version_line", _fake_version)
    res = CliRunner().invoke(main, ["doctor"])
    assert res.exit_code == 0, res.output
    assert "Everything needed for exact page counts is installed" in res.output
    assert "/opt/tex/bin/latexmk" in res.output and "latexmk version 1.0" in res.output
    assert "\x1b[" not in res.output  # plain text when piped


def test_doctor_missing_tools_exit_1_with_install_commands(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", _fake_which({"latexmk", "pdftotext", "biber"}))
    monkeypatch.setattr(doctor, "version_line", _fake_version)
    res = CliRunner().invoke(main, ["doctor"])
    assert res.exit_code == 1, res.output
    assert "Exact page counts need: latexmk, pdftotext" in res.output
    assert "biber" in res.output  # optional, still listed
    lines = res.output.splitlines()
    apt = next(x for x in lines if "apt-get install" in x)
    assert "latexmk" in apt and "poppler-utils" in apt and "biber" in apt
    assert any("dnf install" in x and "latexmk" in x for x in lines)
    assert any("mactex-no-gui" in x for x in lines)
    assert any("basictex" in x and "tlmgr install" in x for x in lines)
    assert any("brew install poppler" in x for x in lines)


def test_doctor_on_this_machine():
    res = CliRunner().invoke(main, ["doctor"])
    assert res.exit_code in (0, 1), res.output
    assert "pdflatex" in res.output and "kpsewhich" in res.output


def test_version_line_of_a_real_tool():
    exe = shutil.which("git")
    if exe is None:
        pytest.skip("git is not installed")
    assert "version" in doctor.version_line(exe, "--version")
