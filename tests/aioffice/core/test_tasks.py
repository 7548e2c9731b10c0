"""Background work: tasks run at once in tests, and through the database with the worker."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_tasks import task_backends

from aioffice.cli import main
from aioffice.core.models import AuditEvent
from aioffice.core.tasks import audit_chain_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_tests_run_tasks_immediately() -> None:
    result = audit_chain_verify.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"ok": True, "checked": 0}
    assert AuditEvent.objects.get().action == "core.audit.verified"


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_the_worker_runs_tasks_stored_in_the_database() -> None:
    result = audit_chain_verify.enqueue()
    assert result.status == "READY"
    assert not AuditEvent.objects.exists()
    assert main(["worker", "--batch"]) == 0
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"ok": True, "checked": 0}
    assert AuditEvent.objects.get().action == "core.audit.verified"
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
