"""papertrack.toml (or [tool.papertrack] in pyproject.toml): reading and validating settings."""

from __future__ import annotations

import difflib
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papertrack.errors import PapertrackError
from papertrack.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE = "papertrack.toml"
DEFAULT_EXPECTED_SECTIONS = [
    "abstract",
    "introduction",
    "related work|background|prior work",
    "conclusion",
]


@dataclass
class Config:
    """Settings for one paper; CLI flags are applied on top by the command."""

    main: str | None = None
    venue: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    stub_words: int = 40
    expected_sections: list[str] = field(default_factory=lambda: list(DEFAULT_EXPECTED_SECTIONS))
    page_limit: float | None = None
    deadline: str | None = None
    compile: bool = True
    compile_timeout: float = 300.0
    uncited_summary_at: int = 50
    targets: dict[str, int] = field(default_factory=dict)
    completion: dict[str, float] = field(default_factory=dict)  # weights of the completion model
    source: Path | None = None  # the file the settings came from
    venue_origin: str = "--venue"  # where `venue` was set: the flag, or the config's path:line


# key -> (type check, converter); kebab-case keys as written in TOML
def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("a string")
    return v


def _strlist(v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise TypeError("a list of strings")
    return list(v)


def _severity_map(v: Any) -> dict[str, str]:
    if not isinstance(v, dict):
        raise TypeError('a table such as { PT301 = "info" }')
    for k, s in v.items():
        if not isinstance(s, str) or s.lower() not in ("error", "warning", "info", "off"):
            raise TypeError(f"error, warning, info or off (for {k})", k, s)
    return {k: s.lower() for k, s in v.items()}


def _pfi(v: Any) -> dict[str, list[str]]:
    if not isinstance(v, dict):
        raise TypeError('a table such as { "drafts/*.tex" = ["PT3"] }')
    return {k: _strlist(x) for k, x in v.items()}


# The paper's own papertrack.toml is someone else's input, like the paper: no number in it may
# switch a safety bound off (`compile-timeout = nan` or `inf` disabled the timeout) or reach
# code that cannot take it (`page-limit = nan` crashed). Every number is finite and capped;
# the caps are far above any real paper's need and are listed in the README.
MAX_PAGES = 1000
MAX_TIMEOUT = 3600  # seconds for one compile
MAX_WORDS = 1_000_000  # stub-words, section targets
MAX_COUNT = 1_000_000  # uncited-summary-at
MAX_WEIGHT = 1_000_000  # a [completion] weight or rate


def _int(v: Any, cap: int = MAX_COUNT) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= cap:
        raise TypeError(f"a non-negative whole number (at most {cap:,})")
    return v


def _num(v: Any, cap: float = MAX_PAGES) -> float:
    """A finite number above 0 and at most `cap` (NaN and infinity are refused)."""
    if (
        isinstance(v, bool)
        or not isinstance(v, (int, float))
        or not math.isfinite(v)
        or not 0 < v <= cap
    ):
        raise TypeError(f"a number above 0 and at most {cap:g}")
    return float(v)


def _timeout(v: Any) -> float:
    return _num(v, MAX_TIMEOUT)


def _words(v: Any) -> int:
    return _int(v, MAX_WORDS)


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError("true or false")
    return v


def _date(v: Any) -> str:
    import datetime as dt

    if isinstance(v, dt.datetime):  # `deadline = 2026-01-31T23:59:00`: the day is what counts
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v).isoformat()
        except ValueError:
            pass
    raise TypeError("a date such as 2026-05-15")


def _fail_on(v: Any) -> Severity:
    try:
        return Severity.parse(_str(v))
    except ValueError:
        raise TypeError("error, warning or info") from None


def _targets(v: Any) -> dict[str, int]:
    if not isinstance(v, dict):
        raise TypeError('a table of section title = words, such as { "Introduction" = 900 }')
    out = {}
    for k, x in v.items():
        try:
            out[k] = _words(x)
        except TypeError as exc:
            raise TypeError(f"{exc} (for {k})", k, x) from None
    return out


def _completion(v: Any) -> dict[str, float]:
    from papertrack.completion.weights import validate

    out = validate(v)
    for k, x in out.items():  # the model checks the meaning; the bounds are checked here
        if not math.isfinite(x) or x > MAX_WEIGHT:
            raise TypeError(f"a table of finite numbers up to {MAX_WEIGHT:,} (for {k})", k, x)
    return out


KEYS = {
    "main": ("main", _str),
    "venue": ("venue", _str),
    "select": ("select", _strlist),
    "ignore": ("ignore", _strlist),
    "severity": ("severity", _severity_map),
    "per-file-ignores": ("per_file_ignores", _pfi),
    "fail-on": ("fail_on", _fail_on),
    "stub-words": ("stub_words", _words),
    "expected-sections": ("expected_sections", _strlist),
    "page-limit": ("page_limit", _num),
    "deadline": ("deadline", _date),
    "compile": ("compile", _bool),
    "compile-timeout": ("compile_timeout", _timeout),
    "uncited-summary-at": ("uncited_summary_at", _int),
    "targets": ("targets", _targets),
    "completion": ("completion", _completion),
}


def find_config(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    """The settings table of the paper folder: papertrack.toml, else pyproject's [tool.papertrack]."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own, _read_toml(own)
    py = folder / "pyproject.toml"
    if py.is_file():
        tool = _tool_table(py, _read_toml(py))
        if tool is not None:
            return py, tool
    return None


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """pyproject's [tool.papertrack], None when absent; `tool = []` and the like are not ours."""
    tool = data.get("tool")
    table = tool.get("papertrack") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise PapertrackError(
            f"{path}: [tool.papertrack] must be a table of settings, not {table!r}"
        )
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        # 'path:2:15: invalid TOML: ...' as editors jump to, not '(at line 2, column 15)' at the end
        m = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", str(exc))
        if m:
            raise PapertrackError(f"{path}:{m[2]}:{m[3]}: invalid TOML: {m[1]}") from None
        raise PapertrackError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # arrays nested thousands deep
        raise PapertrackError(f"{path}: invalid TOML: nested too deeply to read") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PapertrackError(f"{path}: cannot be read: {exc}") from None


def load_config(folder: Path, explicit: Path | None = None) -> Config:
    """Read and validate the paper's settings; errors name the file and the key."""
    if explicit is not None:
        if explicit.is_dir():  # it said 'not found' of a folder that is there
            raise PapertrackError(
                f"config file {explicit} is a folder",
                hint="name the settings file: --config path/to/papertrack.toml",
            )
        if not explicit.is_file():
            raise PapertrackError(f"config file {explicit} not found")
        found: tuple[Path, dict[str, Any]] | None = (explicit, _read_toml(explicit))
        if explicit.name == "pyproject.toml":
            found = (explicit, _tool_table(explicit, found[1]) or {})
    else:
        found = find_config(folder)
    cfg = Config()
    if not found:
        return cfg
    path, table = found
    cfg.source = path
    for k, v in table.items():
        if k not in KEYS:
            close = difflib.get_close_matches(k, list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise PapertrackError(
                f"{where_in(path, k)}: unknown setting '{k}'{hint}",
                hint="settings: " + ", ".join(KEYS),
            )
        attr, conv = KEYS[k]
        try:
            setattr(cfg, attr, conv(v))
        except TypeError as exc:
            # a table's validator names its bad entry (expected, entry key, entry value): the
            # message shows that entry's value and line, not the whole table
            expected, *entry = exc.args
            bad = entry[1] if len(entry) == 2 else v
            where = where_in(path, k, entry[0] if entry else None)
            raise PapertrackError(f"{where}: '{k}' must be {expected}, not {bad!r}") from None
        if k == "venue":
            cfg.venue_origin = where_in(path, k)
    return cfg


def where_in(path: Path, key: str, entry: str | None = None) -> str:
    """`path:line` of the setting (of its table's `entry` when given), or `path` if not found.

    TOML parsers give no positions, so the line is found in the text: `key = ...` or a
    `[key]`/`[tool.papertrack.key]` header, then `entry = ...` after it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(path)

    def assigns(name: str, line: str) -> bool:
        return re.match(rf"""\s*(["']?){re.escape(name)}\1\s*=""", line) is not None

    def header(line: str) -> bool:
        return re.match(rf"\s*\[\s*(tool\.papertrack\.)?{re.escape(key)}\s*\]", line) is not None

    start = next((i for i, ln in enumerate(lines) if assigns(key, ln) or header(ln)), None)
    if start is None:
        return str(path)
    if entry is not None:
        inline = re.search(rf"""(["']?){re.escape(entry)}\1\s*=""", lines[start])
        if not inline or header(lines[start]):
            sub = next((i for i in range(start + 1, len(lines)) if assigns(entry, lines[i])), None)
            start = start if sub is None else sub
    return f"{path}:{start + 1}"


def apply_flags(
    cfg: Config,
    *,
    select=(),
    ignore=(),
    venue: str | None = None,
    compile_: bool = True,
    fail_on: str | None = None,
) -> Config:
    """Command-line flags over the settings, the same for every command: --select replaces the
    configured selection, --ignore adds to it, --venue and --fail-on replace, --no-compile wins."""
    if select:
        cfg.select = list(select)
    if ignore:
        cfg.ignore = [*cfg.ignore, *ignore]
    if fail_on:
        cfg.fail_on = Severity.parse(fail_on)
    if venue:
        cfg.venue = venue
        cfg.venue_origin = "--venue"
    if not compile_:
        cfg.compile = False
    return cfg
