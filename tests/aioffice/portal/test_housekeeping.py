"""The portal's housekeeping: every purge of `HOUSEKEEPING` runs, each on its own; the
worker's task returns the counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from aioffice.core import ratelimit
from aioffice.core.models import RateCounter
from aioffice.portal import services_calls, tasks

from .test_calls_services import (
    apply,
    open_call,
    private_root,  # noqa: F401  (the autouse fixture: CVs under tmp_path)
)

pytestmark = pytest.mark.django_db


def test_every_housekeeping_path_is_a_function_taking_no_argument() -> None:
    import inspect

    assert set(tasks.HOUSEKEEPING) == {
        "applications",
        "rate_counters",
        "checker_emails",
        "enquiries",
        "unconfirmed_subscribers",
    }
    for path in tasks.HOUSEKEEPING.values():
        function = import_string(path)
        required = [
            p
            for p in inspect.signature(function).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        assert required == [], path


def test_housekeeping_purges_applications_and_old_rate_counters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    application = apply(open_call(deadline=timezone.now() + timedelta(days=1)))
    later = timezone.now() + timedelta(days=1000)
    monkeypatch.setattr(services_calls, "_now", lambda: later)
    ratelimit.hit("test", "key", limit=5, window=60, now=timezone.now() - timedelta(days=3))
    ratelimit.hit("test", "key", limit=5, window=60)
    counts = tasks.run_housekeeping()
    assert counts["applications"] == 1 and counts["rate_counters"] == 1
    application.refresh_from_db()
    assert application.purged_at == later and application.email == ""
    assert RateCounter.objects.count() == 1
    assert set(tasks.run_housekeeping().values()) == {0}


def test_a_failing_purge_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []

    def broken() -> int:
        raise RuntimeError("disk full")

    def fine() -> int:
        ran.append("fine")
        return 3

    monkeypatch.setitem(globals(), "broken_purge", broken)
    monkeypatch.setitem(globals(), "fine_purge", fine)
    monkeypatch.setattr(
        tasks,
        "HOUSEKEEPING",
        {"broken": f"{__name__}.broken_purge", "fine": f"{__name__}.fine_purge"},
    )
    with pytest.raises(tasks.HousekeepingError) as exc:
        tasks.run_housekeeping()
    assert ran == ["fine"]
    assert exc.value.failed == ["broken"] and exc.value.counts == {"fine": 3}


def test_the_worker_task_returns_the_counts() -> None:
    result: Any = tasks.portal_housekeeping.enqueue()
    assert set(result.return_value) == set(tasks.HOUSEKEEPING)
    assert set(result.return_value.values()) == {0}
