"""The work left never lists 'revision: about N h' beside 'revision is not in hours'."""

from __future__ import annotations

from papertrack.completion import PARTS


def test_intro_rewrite_part_is_not_called_revision():
    # the only task of this part is rewriting the introduction once the experiments are final;
    # the report says the revision measure (from git) is not in hours
    assert PARTS["revision"] == "introduction rewrite"
    assert "revision" not in PARTS.values()
