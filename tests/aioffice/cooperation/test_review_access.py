"""Defects found by the review of the cooperation app, each pinned by a test: a staff
member without their second factor is the public on public pages; an authority cannot
link its request to a case not shared with it; the audit trail keeps no free text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.cooperation import services_bodies
from aioffice.cooperation import services_exchange as exchange
from aioffice.cooperation import services_international as international
from aioffice.cooperation.choices import BodyDocumentKind
from aioffice.cooperation.models_bodies import Body
from aioffice.cooperation.models_exchange import ExchangeRequest
from aioffice.cooperation.models_international import Partner
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, signed_in_client

from .exchange_world import fr_authority, fr_member, head, open_case
from .test_bodies_services import body, editor, held_meeting, media, opinion, upload

pytestmark = pytest.mark.django_db

P = "/api/v1/cooperation/exchange"


def test_a_private_body_document_needs_the_second_factor(settings: Any, tmp_path: Any) -> None:
    media(settings, tmp_path)
    private = services_bodies.document_add(
        actor=editor(), body=body(), kind=BodyDocumentKind.MEETING, upload=upload()
    )
    url = reverse("cooperation:body_document_download", args=[private.pk])
    staff = make_user(Role.HEAD_OF_UNIT, "half-signed-in")
    assert signed_in_client(staff, second_factor=False).get(url).status_code == 404
    assert signed_in_client(staff).get(url).status_code == 200


def _request(case: int) -> dict[str, Any]:
    return {
        "kind": "msa_information",
        "subject": "Information on a GPAI model",
        "facts": "Our investigation needs the model's documentation (Art. 75(3)).",
        "authority": fr_authority().pk,
        "operator_named": "Exchange Labs",
        "case": case,
    }


def test_an_authority_links_its_request_only_to_a_case_shared_with_it() -> None:
    hidden = open_case("Not shared")
    client = signed_in_client(fr_member())
    for case in (hidden.pk, 10**9):
        response = client.post(P + "/requests", json.dumps(_request(case)), "application/json")
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"] == "case"
        assert response.json()["errors"][0]["message"] == "No such case."
    assert not ExchangeRequest.objects.filter(case=hidden).exists()
    shared = open_case("Shared with France")
    from aioffice.supervision import services_cases

    services_cases.case_share(
        actor=head(), case=shared, authority=fr_authority().organisation, reason="Joint work."
    )
    response = client.post(P + "/requests", json.dumps(_request(shared.pk)), "application/json")
    assert response.status_code == 201, response.content
    assert response.json()["case"] == shared.pk
    # the Office links its own requests to any case
    made = exchange.request_submit(
        actor=head(),
        kind="office_assistance",
        authority=fr_authority(),
        subject="Assistance",
        facts="Please help.",
        case=hidden,
        due_on=exchange._today().replace(year=exchange._today().year + 1),
    )
    assert made.case == hidden


def test_references_keep_counting_past_9999() -> None:
    fr_member()
    year = exchange._today().year
    ExchangeRequest.objects.bulk_create(
        [
            ExchangeRequest(
                reference=f"MAR-{year}-{n:04d}",
                kind="msa_information",
                authority=fr_authority(),
                subject="s",
                facts="f",
                received_on=exchange._today(),
            )
            for n in (9999, 10000)
        ]
    )
    assert exchange._next_reference("msa_information", year) == f"MAR-{year}-10001"


def test_the_international_audit_trail_keeps_no_free_text() -> None:
    actor = make_user(Role.POLICY_OFFICER, "intl-editor")
    partner = international.partner_create(
        actor=actor,
        name="Institute of Jane Doe",
        country="JP",
        kind="safety_institute",
        website="https://jane.example",
        description="Founded by Jane Doe.",
        contact_point="Jane Doe <jane@example.org>",
    )
    international.partner_update(actor=actor, partner=partner, name="Institute of John Roe")
    agreement = international.agreement_create(
        actor=actor, title="Dialogue with Jane Doe", kind="dialogue", partners=[partner.pk]
    )
    international.agreement_update(actor=actor, agreement=agreement, title="Talks with John Roe")
    events = AuditEvent.objects.filter(
        Q(action__startswith="cooperation.partner") | Q(action__startswith="cooperation.agreement")
    )
    assert events.count() == 4
    updated = events.get(action="cooperation.agreement.updated")
    assert updated.after == {"title": "changed"}
    for event in events:
        text = json.dumps([event.before, event.after, event.object_repr], default=str)
        for word in ("Jane", "John", "example"):
            assert word not in text, (event.action, text)


def test_a_partner_created_twice_at_once_is_a_refusal_naming_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actor = make_user(Role.POLICY_OFFICER, "intl-twice")
    values = {"name": "Institute twice", "country": "JP", "kind": "safety_institute"}
    international.partner_create(actor=actor, **values)
    # the second submission passed validation before the first committed
    monkeypatch.setattr(Partner, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        international.partner_create(actor=actor, **values)
    assert set(refused.value.message_dict) == {"name"}


def test_the_bodies_audit_trail_names_rows_by_id_and_a_double_body_is_refused(
    settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    media(settings, tmp_path)
    board = body()
    held_meeting(board, title="Hearing of Jane Doe")
    opinion(board, subject="On Jane Doe's complaint")
    for event in AuditEvent.objects.filter(action__startswith="cooperation."):
        assert "Jane" not in event.object_repr, (event.action, event.object_repr)
    monkeypatch.setattr(Body, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as refused:
        body(name=board.name)
    assert set(refused.value.message_dict) == {"name"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_get_distinct_references_on_postgresql() -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    member, authority = fr_member(), fr_authority()
    barrier = Barrier(6)

    def submit(n: int) -> str:
        try:
            barrier.wait()
            return exchange.request_submit(
                actor=member,
                kind="msa_information",
                authority=authority,
                subject=f"Request {n}",
                facts="Our investigation needs the documentation (Art. 75(3)).",
            ).reference
        finally:
            connections.close_all()

    with ThreadPoolExecutor(6) as pool:
        references = list(pool.map(submit, range(6)))
    assert len(set(references)) == 6
