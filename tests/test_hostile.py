"""Hostile papers in the compile path (../shared/notes/security-review.md), each attack run
with the bubblewrap sandbox and again with PAPERTRACK_SANDBOX=off (the fallback).

Where bwrap cannot work, the "sandbox" runs take the fallback path too (that is what a user
without the sandbox gets): every assertion here holds on both paths.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import default_signals
from hostile_lab import ENV_SECRET, SECRET, Lab, leaked, pdf_text, processes_under

from papertrack.pages import compile_paper, sandbox

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("latexmk") is None and not os.environ.get("CI"), reason="no TeX"
    ),
]
MODES = ["sandbox", "fallback"]


@pytest.fixture(params=MODES)
def lab(request, tmp_path, monkeypatch):
    """A lab whose mode also applies to compile_paper calls in this process."""
    the_lab = Lab(tmp_path / "lab", request.param)
    the_lab.setup()
    monkeypatch.setenv("HOME", str(the_lab.home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(the_lab.home / ".config"))
    monkeypatch.setenv("PAPERTRACK_CACHE_DIR", str(the_lab.cache))
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET)
    if request.param == "fallback":
        monkeypatch.setenv("PAPERTRACK_SANDBOX", "off")
    else:
        monkeypatch.delenv("PAPERTRACK_SANDBOX", raising=False)
    return the_lab


def sandboxed(lab: Lab) -> bool:
    return lab.mode == "sandbox" and sandbox.availability().ok


def write(lab: Lab, body: str, preamble: str = "", name: str = "main.tex", head: str = "") -> Path:
    (lab.paper / name).write_text(
        head + "\\documentclass{article}\n" + preamble + "\\begin{document}\n" + body + "\n"
        "\\end{document}\n"
    )
    return lab.paper / name


def build(lab: Lab, main: str = "main.tex", **kw):
    return compile_paper(lab.paper, Path(main), timeout=kw.pop("timeout", 120), **kw)


def pdf_bytes(result) -> bytes:
    return pdf_text(result.pdf.read_bytes(), result.pdf) if result.pdf else b""


# --- code execution and file access (CX) ----------------------------------------------------

LUA_ATTACKS = r"""
\directlua{
  local lab = "LAB"
  local function try(f) pcall(f) end
  try(function() local f = io.open(lab .. "/pwned-lua", "w") f:write("x") f:close() end)
  try(function() local f = io.open(os.getenv("HOME") .. "/.bashrc", "a") f:write("echo pwned") f:close() end)
  try(function() os.rename(lab .. "/canary/keep.txt", lab .. "/canary/moved.txt") end)
  try(function() os.remove(lab .. "/canary/keep.txt") end)
  try(function() lfs.mkdir(lab .. "/pwned-dir") end)
  try(function() os.execute("touch " .. lab .. "/pwned-exec") end)
  try(function() io.popen("touch " .. lab .. "/pwned-popen") end)
  try(function() local f = io.open(lab .. "/paper/main.tex", "a") f:write("changed") f:close() end)
  try(function() local f = io.open("/proc/PPID/cwd/main.tex", "a") f:write("changed") f:close() end)
  try(function() local f = io.open(os.getenv("HOME") .. "/.ssh/id_rsa") tex.print(f:read("*a")) f:close() end)
  try(function() local f = io.open(lab .. "/secret.txt") tex.print(f:read("*a")) f:close() end)
  try(function() tex.print(tostring(os.getenv("AWS_SECRET_ACCESS_KEY"))) end)
}
"""


def lua_body(lab: Lab, live: bool = False) -> str:
    """The Lua attacks; `live` (run unprotected) aims the /proc/<pid>/cwd write at the lab."""
    pid = "self" if live else str(os.getpid())  # never the test runner's own folder
    return LUA_ATTACKS.replace("LAB", str(lab.root)).replace("PPID", pid) + "Text of the paper."


@pytest.mark.parametrize("trigger", ["magic-comment", "luacode-package"])
def test_lualatex_code_reaches_nothing_outside_the_build(lab, trigger):
    """CX03-CX09: Lua io/os/lfs, os.execute, io.popen, writes into the paper, reads of secrets."""
    head = "% !TEX program = lualatex\n" if trigger == "magic-comment" else ""
    preamble = "\\usepackage{luacode}\n" if trigger == "luacode-package" else ""
    write(lab, lua_body(lab), preamble, head=head)
    lab.start()
    result = build(lab)
    assert result.engine == "lualatex"
    if sandboxed(lab):
        assert result.pdf is not None, result.problems  # compiled, inside the sandbox
        assert b"Text of the paper" in pdf_bytes(result)
    else:
        assert result.pdf is None and result.command == []  # nothing ran
        refusal = [p for p in result.problems if p.kind == "refused"]
        assert refusal and "bubblewrap" in refusal[0].message
        assert "--trust-paper" in refusal[0].message
    assert (lab.home / ".bashrc").read_text() == "# bashrc\n"
    assert (lab.root / "canary" / "keep.txt").is_file()
    for marker in ("pwned-lua", "pwned-dir", "pwned-exec", "pwned-popen"):
        assert not (lab.root / marker).exists()
    lab.finish()


def test_trusted_lualatex_paper_compiles_without_a_sandbox(lab):
    """The opt-in: a trusted paper (user config outside the folder) builds in the fallback.

    It is also the control of the Lua attacks above: unprotected, their payload does write."""
    write(lab, lua_body(lab, live=True), head="% !TEX program = lualatex\n")
    cfg = lab.home / ".config" / "papertrack" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'trust = ["{lab.paper}"]\n')
    assert sandbox.trusted(lab.paper) is not None
    cfg.write_text("trust = false\n")
    assert sandbox.trusted(lab.paper) is None
    cfg.write_text("trust = true\n")
    result = build(lab)
    assert result.pdf is not None, result.problems
    assert not [p for p in result.problems if p.kind == "refused"]
    assert (lab.root / "pwned-lua").exists() != sandboxed(lab)
    assert (SECRET.encode() in pdf_bytes(result)) != sandboxed(lab)


def test_a_config_inside_the_paper_cannot_grant_trust(lab, monkeypatch):
    write(lab, "x", head="% !TEX program = lualatex\n")
    inside = lab.paper / ".config"
    (inside / "papertrack").mkdir(parents=True)
    (inside / "papertrack" / "config.toml").write_text("trust = true\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(inside))
    assert sandbox.trusted(lab.paper) is None


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_tex_primitives_cannot_read_write_or_run_outside(lab, engine):
    """CX01, CX11, CX12, CX14, CX17-CX21 for each engine (LuaLaTeX only in the sandbox)."""
    secret = lab.root / "secret.txt"
    body = (
        f"\\immediate\\write18{{touch {lab.root}/pwned-w18}}\n"
        "\\newwrite\\w\n"
        f"\\immediate\\openout\\w={lab.root}/pwned-abs.tex\\immediate\\write\\w{{x}}\\immediate\\closeout\\w\n"
        "\\immediate\\openout\\w=../../../../pwned-up.tex\\immediate\\closeout\\w\n"
        f"\\immediate\\openout\\w={lab.home}/.bashrc\\immediate\\closeout\\w\n"
        "\\immediate\\openout\\w=.bashrc\\immediate\\closeout\\w\n"
        "\\immediate\\openout\\w=../main.tex\\immediate\\closeout\\w\n"
        f"\\newread\\r\\immediate\\openin\\r={secret} \\ifeof\\r\\else\\read\\r to\\x \\x\\fi\n"
        f"\\IfFileExists{{{secret}}}{{\\input{{{secret}}}}}{{}}\n"
        "\\IfFileExists{../../secret.txt}{\\input{../../secret.txt}}{}\n"
        "Body text.\n"
    )
    if engine == "pdflatex":
        body += f"\\pdffiledump length 100{{{secret}}} \\pdfmdfivesum file{{{secret}}}\n"
    head = f"% !TEX program = {engine}\n"
    write(lab, body, head=head)
    lab.start()
    result = build(lab)
    if engine == "lualatex" and not sandboxed(lab):
        assert result.pdf is None and any(p.kind == "refused" for p in result.problems)
    else:
        assert result.log is not None, result.problems  # TeX ran (a refused write ends it)
    assert SECRET.encode() not in pdf_bytes(result)
    assert not list(lab.root.glob("pwned*"))
    assert (lab.home / ".bashrc").read_text() == "# bashrc\n"
    lab.finish()


def test_xdvipdfmx_specials_cannot_embed_outside_files(lab):
    """CX15 (F8): \\special{pdf:fstream} of ~/.ssh/id_rsa and an outside file."""
    body = (
        f"x\\special{{pdf:fstream @s ({lab.home}/.ssh/id_rsa)}}"
        "\\special{pdf:put @catalog << /Leak @s >>}"
        f"\\special{{pdf:fstream @t ({lab.root}/secret.txt)}}"
        "\\special{pdf:put @catalog << /Leak2 @t >>}"
    )
    write(lab, body, "\\usepackage{fontspec}\n")
    lab.start()
    result = build(lab)
    assert result.engine == "xelatex"
    if sandboxed(lab):
        assert result.pdf is not None, result.problems
    else:  # xdvipdfmx ignores openin_any: the fallback does not convert such an .xdv
        assert result.pdf is None
        assert any(p.kind == "refused" and "xdvipdfmx" in p.message for p in result.problems)
    assert SECRET.encode() not in pdf_bytes(result)
    lab.finish()


def test_xelatex_papers_still_build_in_the_fallback(lab):
    """The xdvipdfmx guard lets ordinary XeLaTeX papers (fonts, a figure) through."""
    write(
        lab,
        "Plain \\includegraphics[width=1cm]{example-image}.",
        "\\usepackage{fontspec,graphicx}\n",
    )
    result = build(lab)
    assert result.pdf is not None, result.problems
    assert b"Plain" in pdf_bytes(result)


def test_stale_output_does_not_shadow_an_edited_source(lab):
    """CX22 (F17): filecontents wrote data.tex into the output folder; the edit must win."""
    (lab.paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{filecontents*}[overwrite]{data.tex}\nGenerated v1\n"
        "\\end{filecontents*}\n\\begin{document}\n\\input{data}\n\\end{document}\n"
    )
    (lab.paper / "data.tex").write_text("Real v1\n")
    assert b"Generated" in pdf_bytes(build(lab))
    (lab.paper / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{data}\n\\end{document}\n"
    )
    (lab.paper / "data.tex").write_text("Real v2 EDITED\n")
    text = pdf_bytes(build(lab))
    assert b"EDITED" in text and b"Generated" not in text


def test_bibtex_reads_no_bib_outside_the_folder(lab):
    """CX23 (F24): \\bibliography{/abs} and ../../ paths."""
    rel = os.path.relpath(lab.root / "secretbib", lab.paper)
    write(
        lab,
        f"\\nocite{{*}}\\bibliographystyle{{plain}}\\bibliography{{{lab.root}/secretbib,{rel}}}",
    )
    lab.start()
    result = build(lab)
    assert SECRET.encode() not in pdf_bytes(result)
    lab.finish()


BIB_PAPER = (
    "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n\\addbibresource{SECRETBIB}\n",
    "Hi \\cite{a}.\\nocite{*}\\printbibliography",
)


@pytest.mark.parametrize("outside_bib", [False, True])
def test_biber_conf_and_outside_bib_files_are_powerless(lab, outside_bib):
    """CX24 (F24), CX27 (F3): biber.conf output_file = ~/.bashrc; a .bib outside the folder."""
    preamble, body = BIB_PAPER
    other = str(lab.root / "secretbib.bib") if outside_bib else "refs.bib"
    write(lab, body, preamble.replace("SECRETBIB", other))
    (lab.paper / "refs.bib").write_text("@misc{a, title={;touch pwned-biber;#}, year={2020}}\n")
    conf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<config><output_file>'
        f"{lab.home}/.bashrc</output_file><logfile>{lab.root}/pwned-biber.log</logfile></config>\n"
    )
    (lab.paper / "biber.conf").write_text(conf)
    (lab.paper / ".biber.conf").write_text(conf)
    lab.start()
    result = build(lab)
    assert result.bib_tool == "biber"
    assert not (lab.home / ".bashrc").read_text().count("pwned")
    if sandboxed(lab) and not outside_bib:
        assert result.pdf is not None and (result.out_dir / "main.bbl").is_file()  # biber ran
    elif sandboxed(lab):  # the outside .bib does not exist in the sandbox
        assert any(p.kind == "missing-bib" for p in result.problems), result.problems
    else:
        refusal = [p for p in result.problems if p.kind == "refused"]
        assert refusal and "Biber" in refusal[0].message
    assert SECRET.encode() not in pdf_bytes(result)
    lab.finish()


@pytest.mark.parametrize("name", ["paper`touch pwned-name`.tex", "paper$(touch pwned-name).tex"])
def test_a_root_file_name_runs_no_command(lab, name):
    """CX34, CX35 (F2): the root's name reaches no shell; findings still name the real file."""
    write(lab, "Hi \\undefinedcommandhere.", name=name)
    lab.start()
    result = build(lab, name)
    assert result.pdf is not None, result.problems
    assert not list(lab.root.rglob("pwned-name")) and not list(Path("/tmp").glob("pwned-name"))
    err = result.first_error
    assert err is not None and err.file == name and err.line == 3
    lab.finish()


def test_the_papers_latexmkrc_perl_never_runs(lab):
    """CX02, CX29: .latexmkrc with system(), END{}, $pdflatex and add_cus_dep."""
    write(lab, "Text.")
    rc = (
        f"system('touch {lab.root}/pwned-rc');\nEND {{ system('touch {lab.root}/pwned-end'); }}\n"
        f"$pdflatex = 'pdflatex -shell-escape %O %S; touch {lab.root}/pwned-cmd';\n"
        f"add_cus_dep('glo', 'gls', 0, 'x'); sub x {{ system('touch {lab.root}/pwned-dep'); }}\n"
    )
    (lab.paper / ".latexmkrc").write_text(rc)
    (lab.paper / "latexmkrc").write_text(rc)
    lab.start()
    result = build(lab)
    assert result.pdf is not None
    assert not list(lab.root.glob("pwned*"))
    lab.finish()


# --- symbolic links and special files (SY) --------------------------------------------------


def test_links_out_of_the_folder_are_reported_never_followed(lab):
    """SY01-SY05, SY10 (F4, F5): links to a secret, to $HOME, /etc, /proc/self/environ,
    /dev/zero and loops; the build sees none of them, each is a PT706 finding."""
    body = (
        "\\usepackage{verbatim}\n",
        "\\IfFileExists{notes.txt}{\\verbatiminput{notes.txt}}{}"
        "\\IfFileExists{shared.tex}{\\input{shared}}{}"
        "\\IfFileExists{homelink/.ssh/id_rsa}{\\verbatiminput{homelink/.ssh/id_rsa}}{}"
        "\\IfFileExists{env.txt}{\\verbatiminput{env.txt}}{} Body.",
    )
    write(lab, body[1], body[0])
    (lab.paper / "notes.txt").symlink_to(lab.home / ".ssh" / "id_rsa")
    (lab.paper / "shared.tex").symlink_to(lab.root / "secret.txt")
    (lab.paper / "homelink").symlink_to(lab.home)
    (lab.paper / "etc").symlink_to("/etc")
    (lab.paper / "env.txt").symlink_to("/proc/self/environ")
    (lab.paper / "data.bin").symlink_to("/dev/zero")
    (lab.paper / "sub").mkdir()
    (lab.paper / "sub" / "up").symlink_to("..")
    (lab.paper / "self").symlink_to(".")
    (lab.paper / "inside.tex").symlink_to("main.tex")  # a link inside the folder is fine
    lab.start()
    t0 = time.monotonic()
    result = build(lab)
    assert time.monotonic() - t0 < 100  # /dev/zero is not copied until the disk is full
    assert result.pdf is not None, result.problems
    left = {p.file for p in result.problems if p.kind == "left-out"}
    assert {"notes.txt", "shared.tex", "homelink", "etc", "env.txt", "data.bin"} <= left
    tree = result.build_dir / "tree"
    assert (tree / "inside.tex").is_file()
    for name in ("notes.txt", "shared.tex", "homelink", "etc", "env.txt", "data.bin"):
        assert not os.path.lexists(tree / name)
    assert leaked(result.build_dir, (SECRET, ENV_SECRET)) == []
    proc = lab.run("check", ".", "--format", "github")
    assert "PT706" in proc.stdout
    lab.finish()


def test_special_files_are_skipped_with_a_finding(lab):
    """SY07, SY09 (F16): a FIFO and a UNIX socket in the folder; compile mode does not crash."""
    write(lab, "Body.")
    os.mkfifo(lab.paper / "notes.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(lab.paper / "sock"))
    try:
        lab.start()
        proc = lab.run("check", ".", "--format", "concise")
        assert "notes.txt is a named pipe" in proc.stdout and "sock is a socket" in proc.stdout
        lab.finish()
    finally:
        sock.close()


def test_a_file_replaced_by_a_folder_and_back_does_not_break_builds(lab):
    """MI30, WA07 (F15)."""
    write(lab, "\\input{notes/a}", "")
    (lab.paper / "notes").write_text("x\n")
    build(lab)
    (lab.paper / "notes").unlink()
    (lab.paper / "notes").mkdir()
    (lab.paper / "notes" / "a.tex").write_text("Folder version.\n")
    assert b"Folder version" in pdf_bytes(build(lab))
    shutil.rmtree(lab.paper / "notes")
    (lab.paper / "notes").write_text("file again\n")
    write(lab, "Back to a file.")
    assert b"Back to a file" in pdf_bytes(build(lab))


def test_unreadable_files_are_left_out_not_a_crash(lab, monkeypatch):
    """MI23 (F14): an unreadable file (root cannot make one: simulated at open)."""
    from papertrack.pages import mirror

    write(lab, "Body.")
    (lab.paper / "private.txt").write_text("mine\n")
    real_open = os.open

    def deny(path, flags, *a, **k):
        if str(path).endswith("private.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(mirror.os, "open", deny)
    result = build(lab)
    assert result.pdf is not None
    assert any(p.kind == "left-out" and p.file == "private.txt" for p in result.problems)


def test_mirrored_files_are_private(lab):
    """OT04 (F25): the build folder is the user's alone."""
    write(lab, "Body.")
    result = build(lab)
    assert result.build_dir.stat().st_mode & 0o077 == 0
    assert (result.build_dir / "tree" / "main.tex").stat().st_mode & 0o077 == 0


def test_a_full_cache_disk_is_a_finding(lab, monkeypatch):
    """RS26 (F20): the mirror cannot write: a clear finding naming the folder."""
    import errno

    from papertrack.pages import mirror

    write(lab, "Body.")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mirror, "_copy", full)
    result = build(lab)
    assert result.pdf is None
    assert any("No space left" in p.message for p in result.problems)


# --- resources and signals (RS) -------------------------------------------------------------


def test_an_infinite_macro_loop_is_stopped_and_reported(lab):
    """RS03."""
    write(lab, "\\def\\loop{\\loop x}\\loop")
    lab.start()
    result = build(lab, timeout=8)
    kinds = {p.kind for p in result.problems}
    assert kinds & {"timeout", "tex-error", "output-limit"}
    lab.finish()


def test_the_output_bound_counts_every_file_of_the_build(lab):
    """RS12, RS13 (F11): files in a subfolder of the output folder, several files each under
    the bound."""
    line = "x" * 1000
    parts = [f"\\newwrite\\w \\newcount\\n \\def\\line{{{line}}}"]
    for k in range(3):
        parts.append(
            f"\\immediate\\openout\\w=part{k}.txt \\n=0 \\loop\\immediate\\write\\w{{\\line}}"
            "\\advance\\n by 1 \\ifnum\\n<3000 \\repeat \\immediate\\closeout\\w"
        )
    parts.append(
        "\\immediate\\openout\\w=sub/big.txt \\n=0 \\loop\\immediate\\write\\w{\\line}"
        "\\advance\\n by 1 \\ifnum\\n<200000 \\repeat \\immediate\\closeout\\w"
    )
    (lab.paper / "sub").mkdir()
    (lab.paper / "sub" / "dummy.tex").write_text("x\n")
    write(lab, "\n".join(parts) + "\nx")
    result = build(lab, max_output_bytes=5 * 2**20)
    assert result.killed and "output grew past 5 MB" in result.killed
    assert any(p.kind == "output-limit" for p in result.problems)


def _loop_paper(lab: Lab) -> None:
    write(lab, "\\def\\x{\\x}\\x")


def _tex_processes(lab: Lab) -> list[str]:
    return processes_under(lab.root)


@pytest.mark.parametrize(
    ("command", "sig"),
    [
        ("check", signal.SIGINT),
        ("check", signal.SIGTERM),
        ("check", signal.SIGHUP),
        ("report", signal.SIGINT),
        ("progress", signal.SIGTERM),
    ],
)
def test_a_signal_to_papertrack_kills_the_build(lab, command, sig):
    """RS06-RS09 (F9): Ctrl-C, SIGTERM, SIGHUP during check, report, progress."""
    _loop_paper(lab)
    lab.start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "papertrack", command, "."],
        cwd=lab.paper,
        env=lab.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=default_signals,  # Ctrl-C below acts as at a terminal
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        "tex" in p for p in _tex_processes(lab) if not p.startswith(f"{proc.pid}:")
    ):
        time.sleep(0.2)
    assert any("tex" in p for p in _tex_processes(lab)), "the build never started"
    os.kill(proc.pid, sig)
    _out, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode()[-2000:]
    lab.finish()  # no process left behind, nothing changed


# --- git (OT01) -----------------------------------------------------------------------------


def _signed_repo(lab: Lab) -> Path:
    """A repository whose own config runs a script through gpg.program on `git log`."""
    write(lab, "Body text.")
    git = ["git", "-C", str(lab.paper), "-c", "user.name=a", "-c", "user.email=a@b"]
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "main.tex"], check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "one"], check=True, env=env)
    raw = subprocess.run(
        [*git, "cat-file", "commit", "HEAD"], check=True, env=env, capture_output=True
    ).stdout.decode()
    header, _, message = raw.partition("\n\n")
    signed = (
        header + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----"
        "\n\n" + message
    )
    sha = (
        subprocess.run(
            [*git, "hash-object", "-t", "commit", "-w", "--stdin"],
            input=signed.encode(),
            check=True,
            env=env,
            capture_output=True,
        )
        .stdout.decode()
        .strip()
    )
    subprocess.run([*git, "update-ref", "HEAD", sha], check=True, env=env)
    evil = lab.paper / ".git" / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch {lab.root}/pwned-gpg\n")
    evil.chmod(0o755)
    fsmon = lab.paper / ".git" / "fsmon.sh"
    fsmon.write_text(f"#!/bin/sh\ntouch {lab.root}/pwned-fsmonitor\n")
    fsmon.chmod(0o755)
    with (lab.paper / ".git" / "config").open("a") as fh:
        fh.write(
            f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {evil}\n"
            f"[core]\n\tfsmonitor = {fsmon}\n\tpager = touch {lab.root}/pwned-pager\n"
        )
    return lab.paper


@pytest.mark.parametrize("command", ["report", "progress"])
def test_the_repositorys_git_config_runs_no_program(lab, command):
    """OT01 (F6): gpg.program with log.showSignature, core.fsmonitor, core.pager."""
    _signed_repo(lab)
    lab.start()
    lab.run(command, ".", "--no-compile")
    assert not list(lab.root.glob("pwned*"))
    lab.finish()


# --- every command on one hostile paper -----------------------------------------------------


@pytest.mark.parametrize("command", ["check", "report", "progress"])
def test_each_command_on_a_hostile_lualatex_paper(lab, command):
    """CX05-CX10 through the commands people run (watch: below)."""
    write(lab, lua_body(lab), "\\usepackage{luacode}\n")
    (lab.paper / "notes.txt").symlink_to(lab.home / ".ssh" / "id_rsa")
    lab.start()
    args = [command, "."] + (["--format", "github"] if command == "check" else [])
    proc = lab.run(*args)
    if not sandboxed(lab):
        assert command != "check" or ("PT707" in proc.stdout and "bubblewrap" in proc.stdout)
    assert (lab.home / ".bashrc").read_text() == "# bashrc\n"
    assert not list(lab.root.glob("pwned*"))
    lab.finish()


def test_watch_on_a_hostile_lualatex_paper(lab):
    """CX10, RS10: watch compiles in the background; SIGTERM ends it with no TeX left."""
    write(lab, lua_body(lab) + "\\def\\x{\\x}\\x", "\\usepackage{luacode}\n")
    lab.start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "papertrack", "watch", ".", "--plain"],
        cwd=lab.paper,
        env=lab.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + (40 if sandboxed(lab) else 8)
    while time.monotonic() < deadline:
        if sandboxed(lab) and any("tex" in p for p in _tex_processes(lab)):
            time.sleep(2)  # Lua has run by now
            break
        time.sleep(0.3)
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode()[-2000:]
    assert SECRET.encode() not in out + err
    assert (lab.home / ".bashrc").read_text() == "# bashrc\n"
    assert not list(lab.root.glob("pwned*"))
    lab.finish()
