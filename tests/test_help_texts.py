"""Every option of every command says what it does in --help (check's and report's --format
showed only '[default: text]')."""

from __future__ import annotations

import click

from papertrack.cli import main


def test_every_option_has_help():
    bare = [
        f"{name} {'/'.join(p.opts)}"
        for name, cmd in main.commands.items()
        for p in cmd.params
        if isinstance(p, click.Option) and not (p.help or "").strip() and "--help" not in p.opts
    ]
    assert not bare, bare
