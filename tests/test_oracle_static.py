"""papertrack's static reading against TeX's own facts on every real paper (39 of them).

TeX is the oracle: labels defined, references and citations left undefined, entries uncited,
files and graphics read. Every disagreement at warning or error severity is either fixed or
listed, with its reason, in tests/known_tex_only.toml. The comparison lives in
bench/oracle_agreement.py, which prints the same facts as a table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_BENCH = Path(__file__).resolve().parents[1] / "bench" / "oracle_agreement.py"
_spec = importlib.util.spec_from_file_location("oracle_agreement", _BENCH)
oa = importlib.util.module_from_spec(_spec)
sys.modules["oracle_agreement"] = oa
_spec.loader.exec_module(oa)

PAPERS = oa.papers()
KNOWN = oa.load_known()

pytestmark = pytest.mark.corpus


def test_the_oracle_covers_the_real_papers():
    if not oa.WILD.is_dir():
        pytest.skip("../shared/wild is not here")
    assert len(PAPERS) >= 39


def test_every_known_entry_has_a_reason():
    for k in KNOWN:
        assert k.get("reason", "").strip(), k
        assert k["field"] in oa.FIELDS, k


@pytest.mark.parametrize("paper", PAPERS, ids=[p.name for p in PAPERS])
def test_static_reading_agrees_with_tex(paper):
    pt = oa.static_facts(paper)
    dis = oa.compare(paper, pt)
    unexplained = [str(d) for d in dis if d.field in oa.ASSERTED and not oa.explained(d, KNOWN)]
    assert unexplained == [], "\n".join(unexplained)
    # a reviewed entry that no longer explains anything is stale: the list must stay honest
    for k in KNOWN:
        if k["paper"] != paper.name or k["field"] not in oa.ASSERTED:
            continue
        assert any(oa.explained(d, [k]) for d in dis), f"stale known_tex_only entry: {k}"
