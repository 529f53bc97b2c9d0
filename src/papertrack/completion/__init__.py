"""How done the paper is: felt (words against targets) and honest (with the forgotten work)."""

from __future__ import annotations

from papertrack.completion.model import PARTS, Completion, FloatRow, Task, assess
from papertrack.completion.sections import STATUSES, SectionRow, Todo
from papertrack.completion.weights import WEIGHTS

__all__ = [
    "PARTS",
    "STATUSES",
    "WEIGHTS",
    "Completion",
    "FloatRow",
    "SectionRow",
    "Task",
    "Todo",
    "assess",
]
