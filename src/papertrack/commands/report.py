"""`papertrack report`: the state of the paper for coauthors, as Markdown or one HTML page."""

from __future__ import annotations

from pathlib import Path


def run(
    path: Path, *, main_file, config_file, venue, fmt: str, output, compile_: bool, git: bool
) -> int:
    from papertrack.pages.sandbox import signals_end_builds

    with signals_end_builds():  # SIGTERM/SIGHUP must not leave TeX or git running
        return _run(path, main_file, config_file, venue, fmt, output, compile_, git)


def _run(path, main_file, config_file, venue, fmt, output, compile_, git) -> int:
    from papertrack import history
    from papertrack.commands.progress import prepare, tell_rebuild

    folder, cfg, result, comp = prepare(
        path, main_file=main_file, config_file=config_file, venue=venue, compile_=compile_
    )
    history.record_safely(result, comp, folder)
    snaps = history.timeline(folder, cfg, result.document.main, git=git, on_rebuild=tell_rebuild)
    if not snaps:
        snaps = [history.snapshot(result, comp)]
    if fmt == "html":
        from papertrack.reporters import report_html as reporter
    else:
        from papertrack.reporters import report_md as reporter
    text = reporter.render(result, comp, snaps)
    if output:
        Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
    else:
        print(text, end="")
    return 0
