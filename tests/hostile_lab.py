"""A lab for hostile-paper tests: a fake home with secrets, digests, leftovers and leaks.

Every attack runs with the sandbox and again with PAPERTRACK_SANDBOX=off (the fallback). The
lab checks what ../shared/notes/security-review.md checked: the paper folder byte- and
mtime-identical, nothing new or changed outside the cache, no secret in the build's files
(PDF streams decompressed) or in the output, no traceback, no process left behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "FAKESECRETKEY7c1e9"  # in ~/.ssh/id_rsa of the fake home and in lab/secret.txt
ENV_SECRET = "FAKEAWSSECRET51f0"  # in papertrack's environment
MTIME = 1_600_000_000 * 10**9  # 2020-09-13, as the review set every paper file
SRC = Path(__file__).resolve().parents[1] / "src"


def digest(folder: Path) -> dict[str, tuple]:
    """Every entry's type, size, mtime_ns, mode and content hash (links not followed)."""
    out: dict[str, tuple] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            st = p.lstat()
            h = ""
            if p.is_file() and not p.is_symlink():
                h = hashlib.sha256(p.read_bytes()).hexdigest()
            elif p.is_symlink():
                h = os.readlink(p)
            size = st.st_size if not p.is_dir() else 0
            out[str(p.relative_to(folder))] = (st.st_mode, size, st.st_mtime_ns, h)
    return out


def freeze(folder: Path) -> None:
    """Set every mtime to 2020-09-13 (links themselves, not their targets)."""
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.utime(Path(root) / name, ns=(MTIME, MTIME), follow_symlinks=False)
    os.utime(folder, ns=(MTIME, MTIME))


def pdftotext(path: Path) -> bytes:
    """The PDF's text as pdftotext extracts it (typeset text is kerned apart in the streams)."""
    try:
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return b""


def pdf_text(data: bytes, path: Path | None = None) -> bytes:
    """The PDF's bytes, every inflated stream (embedded files) and its extracted text."""
    parts = [data, pdftotext(path) if path else b""]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def leaked(folder: Path, needles: tuple[str, ...]) -> list[str]:
    """Files under folder that contain a needle (PDF streams inflated)."""
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            if p.is_symlink() or not p.is_file():
                continue
            try:
                data = p.read_bytes()
            except OSError:
                continue
            if name.endswith(".pdf"):
                data = pdf_text(data, p)
            if any(n.encode() in data for n in needles):
                found.append(str(p))
    return found


def processes_under(path: Path) -> list[str]:
    """Processes (not this one) whose cwd or command line mentions path."""
    mine = {os.getpid()}
    hits = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(path) in cwd or str(path) in cmd:
            hits.append(f"{entry.name}: {cmd[:120]}")
    return hits


@dataclass
class Lab:
    """A scratch world: home with secrets, a canary folder, the cache, the paper."""

    root: Path
    mode: str  # "sandbox" or "fallback"
    before: dict[str, tuple] = field(default_factory=dict)
    outside: dict[str, tuple] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def paper(self) -> Path:
        return self.root / "paper"

    def setup(self) -> None:
        (self.home / ".ssh").mkdir(parents=True)
        (self.home / ".ssh" / "id_rsa").write_text(f"-----BEGIN KEY-----\n{SECRET}\n")
        (self.home / ".bashrc").write_text("# bashrc\n")
        (self.root / "secret.txt").write_text(f"{SECRET}\n")
        (self.root / "secretbib.bib").write_text(
            "@misc{leak, title={" + SECRET + "}, year={2020}}\n"
        )
        (self.root / "canary").mkdir()
        (self.root / "canary" / "keep.txt").write_text("keep\n")
        self.paper.mkdir()

    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PAPERTRACK_", "XDG_", "GIT_"))
        }
        env.update(
            HOME=str(self.home),
            PAPERTRACK_CACHE_DIR=str(self.cache),
            PAPERTRACK_DATA_DIR=str(self.root / "data"),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            PAPERTRACK_NO_RUN_CACHE="1",
            AWS_SECRET_ACCESS_KEY=ENV_SECRET,
            PYTHONPATH=str(SRC),
            COLUMNS="200",
        )
        if self.mode == "fallback":
            env["PAPERTRACK_SANDBOX"] = "off"
        return env

    def start(self) -> None:
        """Freeze the paper's times and take the digests compared by finish()."""
        freeze(self.paper)
        self.before = digest(self.paper)
        self.outside = self._outside()

    def _outside(self) -> dict[str, tuple]:
        skip = {"cache", "data", "paper"}
        snap = {}
        for child in self.root.iterdir():
            if child.name in skip:
                continue
            if child.is_dir() and not child.is_symlink():
                snap.update({f"{child.name}/{k}": v for k, v in digest(child).items()})
            else:
                snap[child.name] = (child.lstat().st_mode,)
        return snap

    def run(self, *args: str, timeout: float = 240, expect=(0, 1)) -> subprocess.CompletedProcess:
        """papertrack in a child process, as a user runs it (cwd: the paper folder)."""
        proc = subprocess.run(
            [sys.executable, "-m", "papertrack", *args],
            cwd=self.paper,
            env=self.env(),
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
        assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
        assert proc.returncode in expect, (proc.returncode, proc.stdout[-2000:], proc.stderr)
        for needle in (SECRET, ENV_SECRET):
            assert needle not in proc.stdout + proc.stderr, "secret in papertrack's output"
        return proc

    def finish(self) -> None:
        """The paper untouched, nothing changed outside the cache, no secret, no process."""
        after = digest(self.paper)
        assert after == self.before, {
            k: (self.before.get(k), after.get(k))
            for k in set(after) | set(self.before)
            if after.get(k) != self.before.get(k)
        }
        assert self._outside() == self.outside, "something changed outside the cache"
        assert not list(Path("/tmp").glob("pwned*")), "a marker appeared in /tmp"
        assert leaked(self.cache, (SECRET, ENV_SECRET)) == []
        deadline = time.monotonic() + 5
        while processes_under(self.root) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_under(self.root) == []
