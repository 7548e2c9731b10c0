"""The worker's periodic threads: the deadline reminders and the portal's housekeeping."""

from __future__ import annotations

import threading

import pytest

from aioffice import cli
from aioffice.portal import tasks


def test_a_periodic_thread_works_at_once_and_stops_with_its_event() -> None:
    ran = threading.Event()
    stop = cli._every(3600, ran.set, "test-periodic")
    assert stop is not None
    assert ran.wait(5)
    stop.set()
    assert cli._every(0, ran.set, "never") is None


@pytest.mark.django_db
def test_a_housekeeping_round_reports_what_it_deleted_and_survives_a_failing_purge(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        tasks,
        "HOUSEKEEPING",
        {"counted": f"{__name__}._three", "broken": f"{__name__}._broken"},
    )
    cli._housekeeping_round()
    err = capsys.readouterr().err
    assert "housekeeping failed for: broken" in err
    assert "deleted {'counted': 3}" in err


def _three() -> int:
    return 3


def _broken() -> int:
    raise RuntimeError("disk full")
