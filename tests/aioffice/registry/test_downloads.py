"""Downloads of stored files: the notification's evidence to those who see the notification,
with its SHA-256; a record whose file is gone is a 404 on every download route, not a 500."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import ModelVersion, Notification, Provider

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.7\nbenchmark results\n"


@pytest.fixture
def notified(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> Notification:
    version = version_factory(provider_factory("Delta AI"))
    return services.notification_submit(
        actor=None,
        version=version,
        data={
            "trigger": "compute_threshold",
            "compute_flop": 3.8e25,
            "estimation_method": "reported by the training cluster",
            "assumptions": "dense model",
            "uncertainty": "10%",
            "trigger_date": timezone.now().date().isoformat(),
            "arguments_text": "Benchmarks below the most advanced models.",
            "arguments_grounds": ["capabilities"],
        },
        documents=[ContentFile(EVIDENCE, name="evidence.pdf")],
    )


def _member_of(provider: Provider, username: str) -> Client:
    user = accounts.user_create(
        actor=None, username=username, email=f"{username}@x.example", password="Pw-12345678-ok"
    )
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


def _url(notification: Notification) -> str:
    document = notification.documents.get()
    return f"/registry/notifications/{notification.tracking_number}/documents/{document.pk}/"


def test_the_evidence_is_served_to_staff_and_to_the_provider_with_its_checksum(
    notified: Notification,
) -> None:
    url = _url(notified)
    for client in (
        signed_in_client(make_user(Role.TECHNICAL_OFFICER)),
        _member_of(notified.provider, "delta-member"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body == EVIDENCE
        assert response["X-Content-SHA256"] == hashlib.sha256(EVIDENCE).hexdigest()
        assert response["Cache-Control"] == "private, no-store"
    staff_page = signed_in_client(make_user(Role.LEGAL_OFFICER)).get(
        f"/registry/notifications/{notified.tracking_number}/"
    )
    assert url in staff_page.content.decode()


def test_no_one_else_gets_the_evidence(
    notified: Notification, provider_factory: Callable[..., Provider]
) -> None:
    url = _url(notified)
    other = _member_of(provider_factory("Epsilon AI"), "epsilon-member")
    assert other.get(url).status_code == 404
    downstream_org = accounts.organisation_create(
        actor=None,
        name="Downstream Co",
        kind=OrganisationKind.DOWNSTREAM_PROVIDER,
        country="BE",
        established_in_union=True,
    )
    downstream = accounts.user_create(
        actor=None, username="down", email="down@x.example", password="Pw-12345678-ok"
    )
    accounts.membership_add(
        actor=None, user=downstream, organisation=downstream_org, role=Role.ORGANISATION_MEMBER
    )
    assert signed_in_client(downstream).get(url).status_code == 404
    for role in (Role.NATIONAL_AUTHORITY_MEMBER, Role.SCIENTIFIC_PANEL_MEMBER, None):
        assert signed_in_client(make_user(role)).get(url).status_code == 404, role
    staff_without_second_factor = signed_in_client(
        make_user(Role.HEAD_OF_UNIT), second_factor=False
    )
    assert staff_without_second_factor.get(url).status_code in {302, 403, 404}
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    wrong_notification = url.replace(notified.tracking_number, "N-2026-999999")
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    assert staff.get(wrong_notification).status_code == 404


def test_a_record_whose_file_is_gone_is_a_404(notified: Notification) -> None:
    document = notified.documents.get()
    document.document.storage.delete(document.document.name)
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    assert staff.get(_url(notified)).status_code == 404
    decision = services.decision_take(
        actor=make_user(Role.HEAD_OF_UNIT, "deciding-head"),
        notification=notified,
        kind="arguments_accepted",
        reasons="The benchmarks show no high-impact capabilities.",
    )
    letter = decision.letter
    letter.document.storage.delete(letter.document.name)
    response = staff.get(f"/api/v1/registry/decisions/{decision.pk}/letter")
    assert response.status_code == 404
    assert set(response.json()) >= {"code", "message"}
