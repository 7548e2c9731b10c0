"""Executing a run (owned by the execution work; see docs/design/evaluations.md)."""

from __future__ import annotations


def execute(run_id: int) -> dict[str, object]:
    raise NotImplementedError
