"""The worker's periodic threads: the deadline reminders, cooperation's tacit approvals, the
ends of drafting's consultation periods and the portal's housekeeping."""

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


@pytest.mark.django_db
def test_a_cooperation_round_reports_tacit_approvals_and_survives_a_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from aioffice.cooperation import services_rwt

    monkeypatch.setattr(services_rwt, "apply_tacit", lambda: 2)
    cli._cooperation_round()
    assert "real-world testing: 2 tacit approvals" in capsys.readouterr().err

    monkeypatch.setattr(services_rwt, "apply_tacit", lambda: 0)
    cli._cooperation_round()
    assert capsys.readouterr().err == ""  # nothing came due: nothing said

    monkeypatch.setattr(services_rwt, "apply_tacit", _broken)
    cli._cooperation_round()
    assert "tacit approvals failed: disk full" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_drafting_round_reports_ended_consultations_and_survives_a_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from aioffice.drafting import services_consultations

    cli._drafting_round()  # the real service, nothing due: nothing said
    assert capsys.readouterr().err == ""

    monkeypatch.setattr(services_consultations, "close_elapsed", lambda: 3)
    cli._drafting_round()
    assert "drafting: 3 consultation period(s) ended" in capsys.readouterr().err

    monkeypatch.setattr(services_consultations, "close_elapsed", _broken)
    cli._drafting_round()
    assert "closing ended consultations failed: disk full" in capsys.readouterr().err
