"""The names the check had before the engine (run_check, CheckResult), kept for callers and tests."""

from __future__ import annotations

from papertrack.engine import Analysis, analyse, run_rules

CheckResult = Analysis
run_check = analyse

__all__ = ["CheckResult", "run_check", "run_rules"]
