"""`papertrack check`: run the pipeline and hand the result to a reporter."""

from __future__ import annotations

import gc
from pathlib import Path

from papertrack.config import apply_flags, load_config
from papertrack.errors import PapertrackError


def run(
    path: Path,
    *,
    main_file,
    config_file,
    fmt,
    fail_on,
    select,
    ignore,
    venue,
    compile_,
    pdf,
    use_cache,
    output,
    verbose=False,
    replay=None,
) -> int:
    from papertrack.engine import analyse

    # what is imported by now (the whole pipeline) lives as long as the process: frozen, the
    # cycle collector does not walk it again (a full collection, ~15-25 ms of a cold check)
    gc.freeze()
    path = Path(path)
    if not path.exists():
        raise PapertrackError(f"{path}: no such file or folder")
    folder = path if path.is_dir() else path.parent
    cfg = load_config(folder, config_file)
    if select or ignore:
        from papertrack.rules.registry import all_rules
        from papertrack.rules.selection import validate

        validate([*select, *ignore], all_rules(), "--select/--ignore")
    apply_flags(cfg, select=select, ignore=ignore, venue=venue, compile_=compile_, fail_on=fail_on)
    from papertrack.pages.sandbox import signals_end_builds

    with signals_end_builds():  # SIGTERM/SIGHUP must not leave TeX running
        result = analyse(path, cfg, main=main_file, use_cache=use_cache, pdf=pdf)
    text = _render(result, fmt, output, verbose)
    if text is not None and output:
        # a file name that is not UTF-8 reaches here as a lone surrogate: escape, not crash
        Path(output).write_text(
            text + "\n" if text else "", encoding="utf-8", errors="backslashreplace"
        )
    elif text:  # nothing at all, not an empty line, when a concise run finds nothing
        print(text)
    if not select and not ignore:  # with a partial rule selection the honest figure is skewed
        from papertrack import history

        history.record_safely(result, folder=folder)
    code = result.exit_code(cfg.fail_on)
    if replay is not None:
        replay.finish(code, result, cfg, pdf)
    return code


def _render(result, fmt: str, output, verbose: bool = False) -> str | None:
    if fmt == "json":
        from papertrack.reporters import jsonout

        return jsonout.render(result)
    if fmt == "concise":
        from papertrack.reporters import concise

        return concise.render(result)
    if fmt in ("github", "sarif"):
        from importlib import import_module

        return import_module(f"papertrack.reporters.{fmt}").render(result)
    from rich.console import Console

    from papertrack.reporters import text

    if output:
        with open(output, "w", encoding="utf-8", errors="backslashreplace") as fh:
            text.render(result, Console(file=fh, width=120, no_color=True), verbose=verbose)
        return None
    text.render(result, Console(highlight=False), verbose=verbose)
    return None
