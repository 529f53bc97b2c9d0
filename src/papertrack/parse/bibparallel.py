"""Reading a big .bib on two cores: a forked helper scans the second half."""

from __future__ import annotations

from papertrack.parse.bibentry import RAW, BibFile
from papertrack.parse.bibpatterns import bib_lines, patterns
from papertrack.parse.bibscan import BibReader, scan


def scan_in_parallel(text: str, r: BibReader) -> None:
    import os
    import pickle
    import sys
    import threading

    pats = patterns()
    m = pats.candidate.search(text, len(text) // 2)
    while m is not None and m.group("type") is None:  # meet at a plain entry's `@type{`
        m = pats.candidate.search(text, m.end())
    if (
        m is None
        or sys.platform != "linux"
        or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1
        or os.environ.get("PAPERTRACK_JOBS") == "1"
    ):
        scan(text, r)
        return
    mid = m.start() + 1
    head = text[mid : text.index("{", mid) + 1]
    rfd, wfd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        scan(text, r)
        return
    if pid == 0:  # the helper: read the second half, send its result, run no exit handlers
        code = 1
        try:
            os.close(rfd)
            hr = BibReader(r.rel, BibFile(r.rel), biber=r.biber)
            scan(text, hr, mid, None, bib_lines(text, 0, mid))
            late = BibFile(r.rel, hr.late)
            payload = (hr.out.to_compact(), late.to_compact(), hr.string_order)
            with os.fdopen(wfd, "wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    try:
        scan(text, r, 0, mid, 0, head)
        with os.fdopen(rfd, "rb") as fh:
            data = fh.read()
    except BaseException:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not _merge(r, data):
        scan(text, r, mid, None, bib_lines(text, 0, mid))  # read it here instead: same result


def _merge(r: BibReader, data: bytes) -> bool:
    """Append the helper's half as the serial reading would have; False when it cannot."""
    import pickle

    try:
        main, late, string_order = pickle.loads(data)
    except Exception:
        return False
    half = BibFile.from_compact(main)
    rest = BibFile.from_compact(late)
    if half is None or rest is None:
        return False
    keys = [e.key for e in half.entries]
    if not r.seen.isdisjoint(keys):
        return False  # a key of the first half again: the serial reading reports it there
    out = r.out
    for name, raw in string_order:
        r.string(name, raw)
    for e in half.entries:
        if e._strings is not RAW:
            e._strings = out.strings
    r.seen.update(keys)
    out.entries.extend(half.entries)
    r.late.extend(rest.entries)
    out.diagnostics.extend(half.diagnostics)
    return True
