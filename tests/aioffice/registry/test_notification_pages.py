"""The Art. 52 notification pages, on the real database: the provider's form and status
page, and the staff queue (filters, htmx fragment, access)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import ModelVersion, Notification, Provider

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


def _member_of(provider: Provider, username: str) -> Client:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "trigger": "compute_threshold",
        "compute_flop": "3.79e25",
        "estimation_method": "6 x parameters x tokens",
        "assumptions": "dense transformer, one epoch",
        "uncertainty": "+/- 10%",
        "trigger_date": TODAY.isoformat(),
        "arguments_text": "Its capabilities stay below the frontier.",
        "arguments_grounds": ["capabilities", "benchmarks"],
    }
    return {**data, **changes}


@pytest.fixture
def world(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    alpha = provider_factory("Alpha AI")
    beta = provider_factory("Beta Labs")
    version = version_factory(
        alpha, model_name="Alpha-1", training_compute_flop=None, compute_method=""
    )
    return {
        "version": version,
        "url": reverse("registry:notification_submit", args=[version.pk]),
        "alice": _member_of(alpha, "alice"),
        "bob": _member_of(beta, "bob"),
        "officer": signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess")),
    }


def _submit(world: dict[str, Any], **changes: Any) -> Notification:
    data = {k: v for k, v in _form(**changes).items() if v not in ("", None)}
    data["compute_flop"] = float(data["compute_flop"])
    return services.notification_submit(actor=None, version=world["version"], data=data)


def test_an_incomplete_notification_shows_the_error_next_to_its_field(
    world: dict[str, Any],
) -> None:
    response = world["alice"].post(world["url"], _form(estimation_method=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert "estimation_method" in form.errors
    assert 'id="id_estimation_method-error"' in response.text
    assert not Notification.objects.exists()


def test_a_complete_notification_redirects_to_its_status_page(world: dict[str, Any]) -> None:
    evidence = SimpleUploadedFile("evals.pdf", b"%PDF-1.4 evidence")
    response = world["alice"].post(world["url"], {**_form(), "evidence": evidence})
    notification = Notification.objects.get()
    detail = reverse("registry:notification_detail", args=[notification.tracking_number])
    assert response.status_code == 302
    assert response["Location"] == detail
    assert notification.documents.count() == 1
    page = world["alice"].get(detail)
    assert page.status_code == 200
    assert notification.tracking_number in page.text
    assert notification.due is not None
    assert notification.due.isoformat() in page.text
    assert "3.8e25" in page.text
    assert 'data-testid="timeline"' in page.text


def test_the_form_shows_to_its_provider(world: dict[str, Any]) -> None:
    response = world["alice"].get(world["url"])
    assert response.status_code == 200
    assert 'name="estimation_method"' in response.text


def test_another_provider_sees_neither_form_nor_status_page(world: dict[str, Any]) -> None:
    notification = _submit(world)
    detail = reverse("registry:notification_detail", args=[notification.tracking_number])
    assert world["bob"].get(world["url"]).status_code == 404
    assert world["bob"].post(world["url"], _form()).status_code == 404
    assert world["bob"].get(detail).status_code == 404
    assert world["officer"].get(detail).status_code == 200


def test_staff_do_not_notify_and_anonymous_people_sign_in(world: dict[str, Any]) -> None:
    assert world["officer"].get(world["url"]).status_code == 403
    response = Client().get(world["url"])
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_status_page_shows_a_late_notification_and_its_decision(
    world: dict[str, Any],
) -> None:
    notification = _submit(world, trigger_date="2025-01-02", arguments_grounds=[])
    legal = make_user(Role.LEGAL_OFFICER, "leo")
    services.decision_take(
        actor=legal, notification=notification, kind="confirmed", reasons="Compute above."
    )
    page = world["alice"].get(
        reverse("registry:notification_detail", args=[notification.tracking_number])
    )
    assert 'data-testid="late-flag"' in page.text
    assert "Compute above." in page.text


def test_the_staff_queue_is_for_officers_only(world: dict[str, Any]) -> None:
    _submit(world)
    url = reverse("registry:notification_queue")
    response = world["officer"].get(url)
    assert response.status_code == 200
    assert 'data-testid="notification-table"' in response.text
    assert world["alice"].get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]


def test_the_staff_queue_filters_and_answers_htmx_with_the_fragment(
    world: dict[str, Any],
) -> None:
    on_time = _submit(world)
    late = _submit(world, trigger_date="2025-01-02", arguments_grounds=[])
    url = reverse("registry:notification_queue")
    page = world["officer"].get(url, {"late": "yes"})
    assert late.tracking_number in page.text
    assert on_time.tracking_number not in page.text
    fragment = world["officer"].get(url, {"status": "submitted"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="notification-results">')
    assert "<html" not in fragment.text
    assert on_time.tracking_number in fragment.text
    empty = world["officer"].get(url, {"status": "decided"})
    assert on_time.tracking_number not in empty.text
