"""`papertrack report`: the state of the paper for coauthors, as Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path


def run(
    path: Path,
    *,
    main_file,
    config_file,
    venue,
    fmt: str,
    output,
    compile_: bool,
    git: bool,
    as_of: str | None = None,
) -> int:
    from papertrack.pages.sandbox import signals_end_builds

    with signals_end_builds():  # SIGTERM/SIGHUP must not leave TeX or git running
        return _run(path, main_file, config_file, venue, fmt, output, compile_, git, as_of)


def _run(path, main_file, config_file, venue, fmt, output, compile_, git, as_of) -> int:
    from papertrack import history
    from papertrack.commands.progress import prepare, tell_rebuild

    with prepare(
        path,
        main_file=main_file,
        config_file=config_file,
        venue=venue,
        compile_=compile_,
        git=git,
        as_of=as_of,
        on_rebuild=tell_rebuild,
    ) as st:
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
