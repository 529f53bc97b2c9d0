"""What the walk over one file fills and carries: FileFacts (its output), a node's context, macro-made environments."""

from __future__ import annotations

from dataclasses import dataclass, field

from papertrack.facts import Collected, Event, Float, Graphic


@dataclass(kw_only=True)
class FileFacts(Collected):
    """Everything one file contributes to the model, positions as offsets and line:col."""

    events: list[Event] = field(default_factory=list)
    code_inputs: list[Graphic] = field(default_factory=list)  # \lstinputlisting{file}
    parse_error: str | None = None


class Ctx:
    __slots__ = ("code", "data", "float", "math", "owner", "prose", "sub")

    def __init__(self) -> None:
        self.prose = True
        self.math = False
        self.float: Float | None = None
        self.sub = False
        self.owner: str | None = None
        self.code = False
        self.data: str | bool = False  # "table" or "quote": TODO there may be quoted data

    def but(self, **kw) -> Ctx:
        c = Ctx()
        c.prose, c.math, c.float, c.sub, c.owner, c.code, c.data = (
            self.prose,
            self.math,
            self.float,
            self.sub,
            self.owner,
            self.code,
            self.data,
        )
        for k, v in kw.items():
            setattr(c, k, v)
        return c


class MacroEnv:
    """An environment opened and closed by the paper's own macros (\\be ... \\ee)."""

    __slots__ = ("environmentname", "len", "nodeargd", "nodelist", "pos")

    def __init__(self, name: str, nodelist: list, pos: int, length: int) -> None:
        self.environmentname = name
        self.nodelist = nodelist
        self.pos = pos
        self.len = length
        self.nodeargd = None
