"""On every shared real paper, from its folder and from a repository above it: the right root,
the same findings, and no finding that names a file TeX found (../shared/wild/ORACLE.json)."""

from __future__ import annotations

import os

import pytest
from corpus_harness import WILD, judge, make_repository_above, papers

pytestmark = pytest.mark.corpus

PAPERS = {p.name: p for p in papers()}


def test_the_shared_papers_are_there():
    if not PAPERS and not os.environ.get("CI"):
        pytest.skip("../shared/corpus and ../shared/wild are not present")
    assert len(PAPERS) >= 39 and (WILD / "ORACLE.json").is_file()


@pytest.mark.parametrize("name", sorted(PAPERS))
def test_root_and_file_findings_agree_with_tex_in_both_layouts(name, tmp_path):
    paper = PAPERS[name]
    own = judge(paper, paper.folder, "", "own folder")
    repo, prefix = make_repository_above(paper, tmp_path)
    above = judge(paper, repo, prefix, "repository above")
    for o in (own, above):
        assert o.error is None, o.error
        assert o.root == o.expected_root, f"{o.layout}: root {o.root}, TeX's is {o.expected_root}"
        assert o.false_missing == [], f"{o.layout}: reported missing, but TeX read them"
        assert o.false_unused == [], f"{o.layout}: reported unused, but TeX read them"
    assert own.findings == above.findings
