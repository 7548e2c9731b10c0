"""`aioffice cooperation authorities sync-deadlines`: one open resource-report deadline per
Member State, the same after a second run."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aioffice.cli import app
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db


def test_sync_deadlines_opens_one_per_member_state_and_is_idempotent() -> None:
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["cooperation", "authorities", "sync-deadlines"])
        assert result.exit_code == 0, result.output
        assert "27 Member States followed" in result.output
    open_rows = Deadline.objects.filter(
        kind=DeadlineKind.RESOURCE_REPORT, status=DeadlineStatus.OPEN
    )
    assert open_rows.count() == 27
    assert Deadline.objects.filter(kind=DeadlineKind.RESOURCE_REPORT).count() == 27
