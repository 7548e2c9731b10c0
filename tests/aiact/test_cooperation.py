"""Cooperation rules (``aiact._cooperation``): doctests and the paths scenarios do not reach;
the legal cases are in ``scenarios/cooperation_clocks.yaml`` and ``scenarios/cooperation.yaml``."""

from __future__ import annotations

import doctest
import importlib

from aiact import load_law
from aiact._dispatch import CLOCKS

COOPERATION_CLOCKS = (
    "msa-assessment",
    "resource-report",
    "sandbox-decision",
    "sandbox-report",
    "rwt-approval",
    "rwt-end",
    "term-end",
)


def test_docstring_examples_run() -> None:
    module = importlib.import_module("aiact._cooperation")
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failed == 0


def test_the_cooperation_clocks_are_offered() -> None:
    assert set(COOPERATION_CLOCKS) <= set(CLOCKS)


def test_every_cooperation_parameter_is_dated_law_or_secondary() -> None:
    law = load_law()
    values = [v for v in law.all_values() if v.source == "cooperation.yaml"]
    assert values
    assert {v.status for v in values} <= {"LAW", "LAW-AMENDED", "SECONDARY"}
