"""`papertrack report`: the state of the paper for coauthors, as Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run(path: Path, *, fmt: str, output: Path | None, **options: Any) -> int:
    """`options` are prepare()'s: main_file, config_file, venue, compile_, git, as_of."""
    from papertrack import history
    from papertrack.commands.progress import command_state

    with command_state(path, **options) as st:
        proj = history.project(st.snaps, st.cfg.deadline, st.today)
        if fmt == "html":
            from papertrack.reporters import report_html as reporter
        elif fmt == "json":
            from papertrack.reporters import report_json as reporter
        else:
            from papertrack.reporters import report_md as reporter
        text = reporter.render(st.result, st.comp, st.snaps, proj, st.as_of)
        if output:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
        else:
            print(text, end="")
    return 0
