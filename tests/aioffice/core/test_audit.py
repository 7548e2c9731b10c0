"""The audit trail: written with the change, hash-chained, and checked by `audit verify`."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from aioffice.accounts import services
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.cli import main
from aioffice.core import audit
from aioffice.core.audit import GENESIS_HASH, verify_chain
from aioffice.core.models import AuditChainHead, AuditEvent
from aioffice.core.testing import make_user, signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)


def _three_events() -> list[AuditEvent]:
    for i in range(3):
        services.organisation_create(
            actor=None,
            name=f"Provider {i}",
            kind=OrganisationKind.GPAI_PROVIDER,
            country="DE",
            established_in_union=True,
        )
    return list(AuditEvent.objects.order_by("seq"))


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_services_write_one_chained_event_per_change() -> None:
    events = _three_events()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert events[0].action == "accounts.organisation.created"
    assert events[0].after == {
        "name": "Provider 0",
        "kind": "gpai_provider",
        "country": "DE",
        "established_in_union": True,
    }
    assert AuditChainHead.objects.get().seq == 3
    assert verify_chain().ok


def test_the_event_is_rolled_back_with_the_change() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.organisation_create(
            actor=None,
            name="Gone",
            kind=OrganisationKind.OTHER,
            country="FR",
            established_in_union=True,
        )
        raise RuntimeError("the change fails after the event was written")
    assert not AuditEvent.objects.exists()
    assert AuditChainHead.objects.filter(seq__gt=0).count() == 0


def test_the_application_never_updates_or_deletes_an_event() -> None:
    event = _three_events()[0]
    event.action = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_verify_names_an_edited_event(capsys: pytest.CaptureFixture[str]) -> None:
    events = _three_events()
    _sql("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["Forged", events[1].pk])
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.kind == "altered"
    assert report.problem.seq == 2
    assert main(["audit", "verify"]) == 1
    assert "event #2" in capsys.readouterr().err


def test_verify_names_a_deleted_event(capsys: pytest.CaptureFixture[str]) -> None:
    events = _three_events()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.kind == "missing"
    assert report.problem.seq == 2
    assert main(["audit", "verify"]) == 1
    assert "event #2 is missing" in capsys.readouterr().err


def test_verify_names_an_event_cut_from_the_end() -> None:
    events = _three_events()
    _sql("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = verify_chain()
    assert report.problem is not None
    assert (report.problem.kind, report.problem.seq) == ("missing", 3)


def test_verify_names_two_swapped_events() -> None:
    events = _three_events()
    first, second = events[0], events[1]
    columns = [
        "seq",
        "occurred_at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before_json",
        "after_json",
        "request_id",
        "prev_hash",
        "hash",
    ]
    rows = {}
    with connection.cursor() as cursor:
        for event in (first, second):
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM core_auditevent WHERE id = %s",  # noqa: S608
                [event.pk],
            )
            row = cursor.fetchone()
            # JSON columns come back decoded on PostgreSQL; write them back as JSON text.
            rows[event.pk] = [json.dumps(v) if isinstance(v, dict | list) else v for v in row]
        # Park the first row out of the way of the unique constraints, then swap.
        cursor.execute(
            "UPDATE core_auditevent SET seq = 999999, hash = %s WHERE id = %s",
            ["f" * 64, first.pk],
        )
        assignments = ", ".join(f"{column} = %s" for column in columns)
        for target, source in ((second.pk, first.pk), (first.pk, second.pk)):
            cursor.execute(
                f"UPDATE core_auditevent SET {assignments} WHERE id = %s",  # noqa: S608
                [*rows[source], target],
            )
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.kind == "moved"
    assert report.problem.event_id == first.pk


def test_verify_passes_on_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _three_events()
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "3 events verified" in out
    assert f"head: #3 {AuditEvent.objects.get(seq=3).hash}" in out


def test_the_request_id_is_recorded(client: object) -> None:
    from aioffice.core.middleware import _request_id

    token = _request_id.set("req-12345678")
    try:
        event = audit.record(actor=None, action="core.test.done", object_type="test")
    finally:
        _request_id.reset(token)
    assert event.request_id == "req-12345678"
    assert event.actor_label == "system"


def test_the_audit_trail_filters_with_htmx_and_without() -> None:
    client = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo"))
    page = client.get("/office/audit/?action=accounts.membership")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "accounts.membership.added" in html
    assert "accounts.user.created" not in html
    fragment = client.get("/office/audit/?action=accounts.user", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'id="audit-results"' in body and "accounts.user.created" in body


def test_values_that_a_json_column_would_rewrite_still_verify() -> None:
    """PostgreSQL's jsonb stores 3.8e25 as 38000000000000000000000000; the chain hashes the
    stored text, so it verifies on every database."""
    audit.record(
        actor=None,
        action="core.test.numbers",
        object_type="test",
        before={"flop": 3.8e25, "share": Decimal("0.07"), "on": date(2026, 8, 2), "n": 1.0},
        after={"flop": 1e-3, "text": "Übergang — ü", "nested": {"b": [1, 2], "a": None}},
    )
    report = verify_chain()
    assert report.ok, report.problem
    event = AuditEvent.objects.get()
    assert event.before == {"flop": 3.8e25, "share": "0.07", "on": "2026-08-02", "n": 1.0}
    assert event.after["text"] == "Übergang — ü"
