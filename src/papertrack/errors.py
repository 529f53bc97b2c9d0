"""Errors that stop a run with exit code 2 (usage or configuration problems)."""

from __future__ import annotations


class PapertrackError(Exception):
    """A problem the user must fix before papertrack can run; printed without a traceback."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
