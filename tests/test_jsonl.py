"""The newest record of an append-only JSON-lines file, as history and the run cache read it."""

from __future__ import annotations

from pathlib import Path

from papertrack.jsonl import last_record


def _timed(record: object) -> bool:
    return isinstance(record, dict) and "time" in record


def test_the_newest_valid_line_wins_over_a_torn_or_foreign_one(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    # a run killed mid-write leaves half a line; a foreign line has no time
    path.write_text('{"time": "a"}\n{"time": "b"}\n{"other": 1}\n{"time": "c", "wo')
    assert last_record(path, _timed) == {"time": "b"}
    assert last_record(path, lambda r: True) == {"other": 1}


def test_only_the_tail_of_a_long_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text('{"time": "old"}\n' + "x" * 10_000 + "\n")
    assert last_record(path, _timed) is None


def test_a_missing_file_has_no_record(tmp_path: Path) -> None:
    assert last_record(tmp_path / "absent.jsonl", _timed) is None
