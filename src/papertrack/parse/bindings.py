"""Keys built from a helper an input wrapper sets per file (\\label{\\chapterprefix:x}), filled in."""

from __future__ import annotations

import dataclasses
import re

from papertrack.parse.walkstate import FileFacts


def bound_names(bindings: dict[str, dict[str, str]]) -> frozenset[str]:
    """Every helper some input wrapper sets before it includes a file."""
    return frozenset(n for binds in bindings.values() for n in binds)


def fill(key: str, binds: dict[str, str], names: frozenset[str], texts: dict[str, str]) -> str:
    r"""`\chapterprefix:fig` as TeX reads it in this file: the value the wrapper set, or nothing
    where no wrapper set it (the empty default such helpers start with); `\figdir/x` with the
    text \figdir is defined as (`texts`)."""
    if "\\" not in key:
        return key

    def value(m: re.Match) -> str:
        name = m.group(1)
        if name in names:
            return binds.get(name, "")
        return texts.get(name, m.group(0))

    return re.sub(r"\\([a-zA-Z@]+)(?:\s*\{\})?\s*", value, key)


def bind_facts(
    f: FileFacts, binds: dict[str, str], names: frozenset[str], texts: dict[str, str]
) -> FileFacts:
    """A copy of a file's facts with its labels, references and graphics paths filled in
    (the parse cache keeps the facts as written: another wrapper may include the same file)."""
    if not names and not texts:
        return f

    def key(k: str) -> str:
        return fill(k, binds, names, texts)

    floats = [
        dataclasses.replace(
            fl,
            labels=[key(k) for k in fl.labels],
            sub_labels=[key(k) for k in fl.sub_labels],
            graphics=[key(k) for k in fl.graphics],
        )
        for fl in f.floats
    ]
    return dataclasses.replace(
        f,
        labels=[dataclasses.replace(x, name=key(x.name)) for x in f.labels],
        refs=[dataclasses.replace(x, name=key(x.name)) for x in f.refs],
        graphics=[dataclasses.replace(x, path=key(x.path)) for x in f.graphics],
        floats=floats,
    )
