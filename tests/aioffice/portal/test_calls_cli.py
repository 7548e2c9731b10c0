"""`aioffice portal applications ...`: purge (and its dry run) and list, with one-line
errors and exit status 2 for bad input; nothing printed is personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aioffice.cli import main
from aioffice.portal import services_calls as services
from aioffice.portal.models_calls import Application

from .test_calls_services import (
    EMAIL,
    NAME,
    apply,
    manager,
    open_call,
    private_root,  # noqa: F401  (the autouse fixture: CVs under tmp_path)
)

pytestmark = pytest.mark.django_db


def _past_retention(monkeypatch: pytest.MonkeyPatch) -> Application:
    """One application whose retention period ended (the services' clock moved on)."""
    application = apply(open_call(deadline=timezone.now() + timedelta(days=1)))
    later = timezone.now() + timedelta(days=1000)
    monkeypatch.setattr(services, "_now", lambda: later)
    return application


def test_purge_dry_run_counts_then_purge_deletes_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    application = _past_retention(monkeypatch)
    assert main(["portal", "applications", "purge", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == "1 applications would be purged"
    application.refresh_from_db()
    assert application.purged_at is None
    assert main(["portal", "applications", "purge"]) == 0
    assert capsys.readouterr().out.strip() == "1 applications purged"
    application.refresh_from_db()
    assert application.purged_at is not None and application.name == ""
    assert main(["portal", "applications", "purge"]) == 0
    assert capsys.readouterr().out.strip() == "0 applications purged"


def test_list_shows_tracking_numbers_and_statuses_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call = open_call()
    first = apply(call)
    second = apply(call)
    services.application_status_change(actor=manager(), application=second, status="shortlisted")
    assert main(["portal", "applications", "list", "--call", call.reference.lower()]) == 0
    out = capsys.readouterr().out
    assert first.tracking_number in out and second.tracking_number in out
    assert "shortlisted" in out and f"2 applications to {call.reference}" in out
    assert NAME not in out and EMAIL not in out
    assert (
        main(
            ["portal", "applications", "list", "--call", call.reference, "--status", "shortlisted"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert second.tracking_number in out and first.tracking_number not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--call", "NO-SUCH-CALL"], "error: --call: no call has the reference"),
        (["list", "--call", "{ref}", "--status", "hired"], "error: --status: must be one of"),
        (["list"], "Missing option '--call'"),
        (["purge", "--now"], "No such option"),
    ],
)
def test_bad_input_gives_one_error_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    call = open_call()
    args = [a.replace("{ref}", call.reference) for a in args]
    assert main(["portal", "applications", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]
