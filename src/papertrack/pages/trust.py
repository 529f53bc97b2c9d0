"""Trusting a paper: without the sandbox, LuaLaTeX and Biber run only for a paper the user vouches for."""

from __future__ import annotations

import contextlib
from pathlib import Path

_trust_flag = False


def trust_paper(on: bool = True) -> None:
    """--trust-paper: this run compiles the paper without a sandbox as if the user wrote it."""
    global _trust_flag
    _trust_flag = on


def user_config_file() -> Path:
    """papertrack's own settings, outside every paper ($XDG_CONFIG_HOME/papertrack/config.toml)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("papertrack")) / "config.toml"


def trusted(project_dir: Path) -> str | None:
    """Why the paper is trusted (--trust-paper, or `trust` in the user's config), or None.

    `trust = true` trusts every paper; `trust = ["~/papers/mine", ...]` the folders listed.
    A config file inside the paper folder is ignored: a paper cannot vouch for itself.
    """
    if _trust_flag:
        return "--trust-paper"
    cfg = user_config_file()
    try:
        folder = project_dir.resolve()
        if cfg.resolve().is_relative_to(folder):
            return None
        import tomllib

        value = tomllib.loads(cfg.read_text(encoding="utf-8")).get("trust")
    except (OSError, ValueError, RuntimeError):
        return None
    if value is True:
        return f"trust = true in {cfg}"
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                continue
            with contextlib.suppress(OSError, RuntimeError):
                base = Path(item).expanduser().resolve()
                if folder.is_relative_to(base):
                    return f"trust lists {item} in {cfg}"
    return None
