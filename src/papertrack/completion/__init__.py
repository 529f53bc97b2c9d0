"""How done the paper is: felt (words against targets) and honest (with the forgotten work)."""

from __future__ import annotations

from papertrack.completion.floats import FloatRow
from papertrack.completion.model import Completion, assess
from papertrack.completion.sections import STATUSES, SectionRow, Todo
from papertrack.completion.tasks import PARTS, Task
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
