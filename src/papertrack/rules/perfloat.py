"""One finding per float: the graphics or lines of one figure or table that share a problem."""

from __future__ import annotations

from collections.abc import Iterator

from papertrack.facts import Float
from papertrack.rules.base import Hit


def one_per_float(found: list[tuple[Float | None, float, Hit]], what: str) -> Iterator[Hit]:
    """The hits, one per float: a table of 40 molecule drawings, a grid of thumbnails or the
    rows of a table with a narrow column are one finding, at the worst hit (the lowest value),
    with the others as related locations and the gravest severity among them."""
    groups: dict[int, list[tuple[Float | None, float, Hit]]] = {}
    for item in found:
        groups.setdefault(id(item[0]) if item[0] is not None else id(item), []).append(item)
    for items in groups.values():
        fl, _v, worst = min(items, key=lambda it: it[1])
        if len(items) == 1 or fl is None:
            yield worst
            continue
        others = tuple(h.location for _f, _v2, h in items if h is not worst and h.location)
        severities = [h.severity for _f, _v2, h in items if h.severity is not None]
        yield Hit(
            f"{worst.message} (and {len(items) - 1} more {what} in this {fl.kind})",
            worst.location,
            worst.fix,
            max(severities) if severities else None,
            related=others,
        )
