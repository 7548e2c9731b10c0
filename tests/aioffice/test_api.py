"""The API: one error format, pagination, session and bearer authentication, and every
route checked for every principal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts import services
from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import ApiToken
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    DELEGATED_API_PREFIXES,
    api_routes,
    make_user,
    organisation,
    principal,
    signed_in_client,
)
from aioffice.registry import services as registry_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The public routes' rate limits count in the process-wide cache: each test here
    starts and ends with none used, whichever tests share its worker."""
    cache.clear()
    yield
    cache.clear()


def _routes() -> set[tuple[str, str]]:
    """Every route whose role matrix is here (the others are checked with their app)."""
    return {
        (method, path)
        for method, path in api_routes(api)
        if not path.startswith(DELEGATED_API_PREFIXES)
    }


def _expected(principal_name: str, method: str, path: str) -> int:
    """The status each principal gets on each route: the access rules, written out."""
    if path in PUBLIC_ROUTES:
        return 200
    if principal_name == ANONYMOUS:
        return 401
    staff = principal_name in OFFICE_ROLES
    if path == "/api/v1/audit/events":
        return 200 if staff else 403
    if (method, path) == ("POST", "/api/v1/accounts/tokens"):
        return 201
    if path == "/api/v1/accounts/tokens/{token_id}/revoke":
        return 200  # the principal revokes a token of their own (another's is a 404, below)
    # The registry sample belongs to the provider the organisation member works for.
    own_provider = principal_name == Role.ORGANISATION_MEMBER
    if (method, path) == ("POST", "/api/v1/registry/models"):
        return 201 if own_provider else 403  # staff and people of no provider: 403
    if path == "/api/v1/registry/models/{model_id}/versions":
        return 201 if own_provider else 403 if staff else 404
    if (method, path) == ("PATCH", "/api/v1/registry/versions/{version_id}"):
        return 200 if own_provider else 403 if staff else 404
    if path in {
        "/api/v1/registry/providers/{provider_id}",
        "/api/v1/registry/mandates/{mandate_id}/document",
    }:
        return 200 if staff or own_provider else 404
    if path == "/api/v1/registry/providers/{provider_id}/mandates":
        return 201 if staff or own_provider else 404  # the provider's people, or staff
    if path == "/api/v1/registry/mandates/{mandate_id}/terminate":
        # Only the representative's people terminate; no principal here works for it.
        return 403 if staff or own_provider else 404
    if path in {"/api/v1/registry/models/{model_id}", "/api/v1/registry/versions/{version_id}"}:
        return 200 if staff or own_provider else 404
    if path == "/api/v1/registry/versions/{version_id}/assess":
        return 201 if staff else 403 if own_provider else 404
    if path == "/api/v1/registry/notifications/{notification_id}":
        return 200 if staff or own_provider else 404
    if path == "/api/v1/registry/versions/{version_id}/notifications":
        return 201 if own_provider else 403 if staff else 404
    if path == "/api/v1/registry/notifications/{notification_id}/hearing":
        return 201 if staff else 403 if own_provider else 404
    if path == "/api/v1/registry/notifications/{notification_id}/assign":
        return 200 if staff else 403 if own_provider else 404
    if path in {
        "/api/v1/registry/notifications/{notification_id}/decisions",
        "/api/v1/registry/versions/{version_id}/decisions",
    }:
        decider = principal_name in {Role.HEAD_OF_UNIT, Role.LEGAL_OFFICER}
        return 201 if decider else 403 if staff or own_provider else 404
    if path == "/api/v1/registry/versions/{version_id}/reassessment-requests":
        # The provider reaches the rule: the sample has no designation to reassess (422).
        return 422 if own_provider else 403 if staff else 404
    if path == "/api/v1/registry/notifications/{notification_id}/information-requests":
        return 201 if staff else 403 if own_provider else 404
    if path == "/api/v1/registry/information-requests/{request_id}/answer":
        return 200 if own_provider else 403 if staff else 404
    if path == "/api/v1/registry/notifications/{notification_id}/withdraw":
        return 200 if own_provider else 403 if staff else 404
    if path == "/api/v1/registry/notifications/{notification_id}/documents":
        return 201 if own_provider else 403 if staff else 404
    if path == "/api/v1/registry/reassessment-requests/{request_id}/decision":
        decider = principal_name in {Role.HEAD_OF_UNIT, Role.LEGAL_OFFICER}
        return 201 if decider else 403 if staff or own_provider else 404
    if path == "/api/v1/registry/decisions/{decision_id}/letter":
        return 200 if staff or own_provider else 404
    return 200


def test_the_openapi_document_is_openapi_3(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "aioffice API"
    assert client.get("/api/v1/docs").status_code == 200


@dataclass
class _Sample:
    """The registry records of the provider that the organisation-member principal works
    for: a model, a version, notifications (one to hear, one to decide, one to ask about,
    add evidence to and withdraw), an open information request, and a second version
    designated long ago (a decision with its letter) with a reassessment request."""

    model: int
    version: int
    notifications: tuple[int, int, int]
    information_request: int
    decision: int
    reassessment_request: int
    provider: int = 1
    mandate: int = 1
    representative: int = 1


def _registry_sample() -> _Sample:
    provider = registry_services.provider_register(
        actor=None, organisation=organisation(OrganisationKind.GPAI_PROVIDER)
    )
    model = registry_services.model_create(actor=None, provider=provider, name="Sample")
    version = registry_services.version_create(
        actor=None, model=model, label="1", compute_method="reported", training_compute_flop=2e25
    )
    notifications = [
        registry_services.notification_submit(actor=None, version=version, data=data)
        for data in (_NOTIFICATION_WITH_ARGUMENTS, _NOTIFICATION, _NOTIFICATION)
    ]
    asker = make_user(Role.TECHNICAL_OFFICER, "sample-asker")
    asked = registry_services.notification_request_information(
        actor=asker,
        notification=notifications[2],
        questions="How was the compute counted?",
        due_on=timezone.now().date() + timedelta(days=30),
    )
    designated = registry_services.version_create(
        actor=None, model=model, label="2", compute_method="reported", training_compute_flop=2e25
    )
    decider = make_user(Role.HEAD_OF_UNIT, "sample-decider")
    decision = registry_services.decision_take(
        actor=decider,
        version=designated,
        kind="designated_annex_xiii",
        reasons="High-impact capabilities.",
        annex_xiii={"e": "Benchmarks at the frontier."},
        decided_on=timezone.now().date() - timedelta(days=366),
    )
    reassessment = registry_services.reassessment_request(
        actor=None, version=designated, reasons="New benchmark results."
    )
    representative = organisation(OrganisationKind.AUTHORISED_REPRESENTATIVE)
    mandate = registry_services.representative_appoint(
        actor=None,
        provider=provider,
        representative=representative,
        document=_mandate_pdf(),
        union_country="IE",
        tasks=["art54_3_a"],
        start=timezone.now().date(),
    )
    return _Sample(
        model=model.pk,
        version=version.pk,
        notifications=(notifications[0].pk, notifications[1].pk, notifications[2].pk),
        information_request=asked.pk,
        decision=decision.pk,
        reassessment_request=reassessment.pk,
        provider=provider.pk,
        mandate=mandate.pk,
        representative=representative.pk,
    )


def _mandate_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("mandate.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")


_NOTIFICATION: dict[str, Any] = {
    "trigger": "compute_threshold",
    "compute_flop": 2e25,
    "estimation_method": "reported by the training cluster",
    "assumptions": "dense model",
    "uncertainty": "10%",
    "trigger_date": timezone.now().date().isoformat(),
}
_NOTIFICATION_WITH_ARGUMENTS: dict[str, Any] = {
    **_NOTIFICATION,
    "arguments_text": "Below the frontier.",
    "arguments_grounds": ["capabilities"],
}


# Routes that take a multipart body (text fields and files) rather than JSON.
_MULTIPART = {
    ("POST", "/api/v1/registry/information-requests/{request_id}/answer"),
    ("POST", "/api/v1/registry/notifications/{notification_id}/documents"),
    ("POST", "/api/v1/registry/providers/{provider_id}/mandates"),
}
_NO_SAMPLE = _Sample(1, 1, (1, 1, 1), 1, 1, 1)


def _evidence(name: str = "evidence.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"benchmark results\n", content_type="text/plain")


def _samples(
    token_id: int, sample: _Sample = _NO_SAMPLE, officer_id: int = 1
) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    """One request for each route: the URL to call and the body to send (JSON, or
    multipart for the routes in _MULTIPART)."""
    model_id, version_id, notification_ids = sample.model, sample.version, sample.notifications
    return {
        ("GET", "/api/v1/registry/models.csv"): ("/api/v1/registry/models.csv", None),
        ("POST", "/api/v1/registry/models"): (
            "/api/v1/registry/models",
            {"name": "Registered by its provider"},
        ),
        ("POST", "/api/v1/registry/models/{model_id}/versions"): (
            f"/api/v1/registry/models/{model_id}/versions",
            {"label": "3", "compute_method": "reported", "training_compute_flop": 2e24},
        ),
        ("PATCH", "/api/v1/registry/versions/{version_id}"): (
            f"/api/v1/registry/versions/{version_id}",
            {"parameters": 7_000_000_000},
        ),
        ("GET", "/api/v1/registry/providers"): (
            "/api/v1/registry/providers?lacks_representative=false",
            None,
        ),
        ("GET", "/api/v1/registry/providers.csv"): ("/api/v1/registry/providers.csv", None),
        ("GET", "/api/v1/registry/providers/{provider_id}"): (
            f"/api/v1/registry/providers/{sample.provider}",
            None,
        ),
        ("POST", "/api/v1/registry/providers/{provider_id}/mandates"): (
            f"/api/v1/registry/providers/{sample.provider}/mandates",
            {
                "representative_id": sample.representative,
                "union_country": "IE",
                "tasks": ["art54_3_a", "art54_3_b"],
                "start": timezone.now().date().isoformat(),
                "mandate_document": _mandate_pdf(),
            },
        ),
        ("POST", "/api/v1/registry/mandates/{mandate_id}/terminate"): (
            f"/api/v1/registry/mandates/{sample.mandate}/terminate",
            {"reasons": "The provider acts contrary to its obligations."},
        ),
        ("GET", "/api/v1/registry/mandates/{mandate_id}/document"): (
            f"/api/v1/registry/mandates/{sample.mandate}/document",
            None,
        ),
        ("GET", "/api/v1/registry/notifications.csv"): (
            "/api/v1/registry/notifications.csv?late=false",
            None,
        ),
        ("GET", "/api/v1/registry/information-requests"): (
            "/api/v1/registry/information-requests?overdue=false",
            None,
        ),
        ("GET", "/api/v1/registry/information-requests.csv"): (
            "/api/v1/registry/information-requests.csv",
            None,
        ),
        ("GET", "/api/v1/registry/systemic-risk-models.csv"): (
            "/api/v1/registry/systemic-risk-models.csv",
            None,
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/information-requests"): (
            f"/api/v1/registry/notifications/{notification_ids[2]}/information-requests",
            {
                "questions": "Which hardware?",
                "due_on": (timezone.now().date() + timedelta(days=20)).isoformat(),
            },
        ),
        ("POST", "/api/v1/registry/information-requests/{request_id}/answer"): (
            f"/api/v1/registry/information-requests/{sample.information_request}/answer",
            {"answer": "From the cluster's accounting."},
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/documents"): (
            f"/api/v1/registry/notifications/{notification_ids[2]}/documents",
            {},
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/withdraw"): (
            f"/api/v1/registry/notifications/{notification_ids[2]}/withdraw",
            {"reasons": "Notified in error."},
        ),
        ("POST", "/api/v1/registry/reassessment-requests/{request_id}/decision"): (
            f"/api/v1/registry/reassessment-requests/{sample.reassessment_request}/decision",
            {"kind": "designation_maintained", "reasons": "The new results do not change it."},
        ),
        ("GET", "/api/v1/registry/decisions/{decision_id}/letter"): (
            f"/api/v1/registry/decisions/{sample.decision}/letter",
            None,
        ),
        ("GET", "/api/v1/status"): ("/api/v1/status", None),
        ("GET", "/api/v1/accounts/me"): ("/api/v1/accounts/me", None),
        ("GET", "/api/v1/accounts/organisations"): ("/api/v1/accounts/organisations", None),
        ("GET", "/api/v1/accounts/tokens"): ("/api/v1/accounts/tokens", None),
        ("POST", "/api/v1/accounts/tokens"): ("/api/v1/accounts/tokens", {"name": "ci"}),
        ("POST", "/api/v1/accounts/tokens/{token_id}/revoke"): (
            f"/api/v1/accounts/tokens/{token_id}/revoke",
            {},
        ),
        ("GET", "/api/v1/audit/events"): ("/api/v1/audit/events", None),
        ("POST", "/api/v1/rules/{kind}"): (
            "/api/v1/rules/compute",
            {"params": 7e10, "tokens": 1.5e13},
        ),
        ("GET", "/api/v1/rules/schema/{kind}"): ("/api/v1/rules/schema/model", None),
        ("GET", "/api/v1/registry/models"): ("/api/v1/registry/models", None),
        ("GET", "/api/v1/registry/models/{model_id}"): (
            f"/api/v1/registry/models/{model_id}",
            None,
        ),
        ("GET", "/api/v1/registry/versions"): ("/api/v1/registry/versions?page=1", None),
        ("GET", "/api/v1/registry/versions/{version_id}"): (
            f"/api/v1/registry/versions/{version_id}",
            None,
        ),
        ("POST", "/api/v1/registry/versions/{version_id}/assess"): (
            f"/api/v1/registry/versions/{version_id}/assess",
            {},
        ),
        ("GET", "/api/v1/registry/systemic-risk-models"): (
            "/api/v1/registry/systemic-risk-models",
            None,
        ),
        ("GET", "/api/v1/registry/notifications"): ("/api/v1/registry/notifications", None),
        ("GET", "/api/v1/registry/notifications/{notification_id}"): (
            f"/api/v1/registry/notifications/{notification_ids[0]}",
            None,
        ),
        ("POST", "/api/v1/registry/versions/{version_id}/notifications"): (
            f"/api/v1/registry/versions/{version_id}/notifications",
            _NOTIFICATION,
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/assign"): (
            f"/api/v1/registry/notifications/{notification_ids[0]}/assign",
            {"officer_id": officer_id},
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/hearing"): (
            f"/api/v1/registry/notifications/{notification_ids[0]}/hearing",
            {"draft_reasons": "The arguments do not show the absence of high-impact."},
        ),
        ("POST", "/api/v1/registry/notifications/{notification_id}/decisions"): (
            f"/api/v1/registry/notifications/{notification_ids[1]}/decisions",
            {"kind": "confirmed", "reasons": "No arguments were filed."},
        ),
        ("POST", "/api/v1/registry/versions/{version_id}/decisions"): (
            f"/api/v1/registry/versions/{version_id}/decisions",
            {
                "kind": "designated_annex_xiii",
                "reasons": "High-impact capabilities.",
                "annex_xiii": {"e": "Benchmarks at the frontier."},
            },
        ),
        ("POST", "/api/v1/registry/versions/{version_id}/reassessment-requests"): (
            f"/api/v1/registry/versions/{version_id}/reassessment-requests",
            {"reasons": "New benchmark results."},
        ),
    }


def test_every_route_has_a_sample_request() -> None:
    assert set(_samples(1)) == _routes()


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    sample = _registry_sample()
    who = principal(name)
    own_token = (
        services.api_token_create(actor=who.user, user=who.user, name="own").token
        if who.user is not None
        else None
    )
    officer = make_user(Role.TECHNICAL_OFFICER, "assigned-officer")
    samples = _samples(own_token.pk if own_token else 1, sample, officer.pk)
    for (method, path), (url, data) in sorted(samples.items()):
        if method == "GET":
            response = who.client.get(url)
        elif method == "PATCH":
            response = who.client.patch(url, data, content_type="application/json")
        elif (method, path) in _MULTIPART:
            response = who.client.post(url, {**(data or {}), "documents": [_evidence()]})
        else:
            response = who.client.post(url, data, content_type="application/json")
        assert response.status_code == _expected(name, method, path), (name, method, path)
        if response.status_code >= 400:
            body = response.json()
            assert set(body) >= {"code", "message"}, body


def test_anonymous_access_is_refused_unless_public_by_design(client: Client) -> None:
    public = {path for _, path in api_routes(api) if path in PUBLIC_ROUTES}
    assert public == set(PUBLIC_ROUTES), "every public route exists"
    for method, path in _routes() - {(m, p) for m, p in _routes() if p in PUBLIC_ROUTES}:
        url, _ = _samples(1)[(method, path)]
        response = client.generic(method, url)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "unauthenticated"


def test_a_valid_bearer_token_acts_for_its_user() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    new = services.api_token_create(actor=user, user=user, name="ci")
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert response.status_code == 200
    assert response.json()["username"] == "priya"
    token = ApiToken.objects.get()
    assert token.secret_hash != new.secret and new.secret not in token.secret_hash
    assert token.last_used_at is not None


def test_an_expired_token_is_refused() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    new = services.api_token_create(actor=user, user=user, name="ci")
    ApiToken.objects.filter(pk=new.token.pk).update(
        created_at=timezone.now() - timedelta(days=3), expires_at=timezone.now() - timedelta(days=1)
    )
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert response.status_code == 401


def test_a_revoked_token_is_refused() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    new = services.api_token_create(actor=user, user=user, name="ci")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {new.secret}"}
    revoked = client.post(f"/api/v1/accounts/tokens/{new.token.pk}/revoke", **auth)
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer aio_abc_def", "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_malformed_or_unknown_tokens_are_refused(header: str) -> None:
    make_user(Role.ORGANISATION_MEMBER, "priya")
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_token_with_the_right_prefix_but_a_wrong_secret_is_refused() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    new = services.api_token_create(actor=user, user=user, name="ci")
    forged = new.secret[:-4] + ("AAAA" if not new.secret.endswith("AAAA") else "BBBB")
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401


def test_the_token_secret_is_shown_once() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    client = signed_in_client(user)
    made = client.post("/api/v1/accounts/tokens", {"name": "ci"}, content_type="application/json")
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("aio_")
    listed = client.get("/api/v1/accounts/tokens").json()
    assert listed["count"] == 1
    assert "secret" not in listed["items"][0]
    assert secret not in str(listed)


def test_another_persons_token_cannot_be_revoked() -> None:
    owner = make_user(Role.ORGANISATION_MEMBER, "priya")
    token = services.api_token_create(actor=owner, user=owner, name="ci").token
    other = signed_in_client(make_user(Role.ORGANISATION_MEMBER, "dario"))
    response = other.post(f"/api/v1/accounts/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}
    token.refresh_from_db()
    assert token.revoked_at is None


def test_bad_input_names_the_field() -> None:
    client = signed_in_client(make_user(Role.ORGANISATION_MEMBER, "priya"))
    missing = client.post("/api/v1/accounts/tokens", {}, content_type="application/json")
    assert missing.status_code == 422
    body = missing.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["field"] == "name"
    assert body["message"].startswith("name:")
    too_long = client.post(
        "/api/v1/accounts/tokens",
        {"name": "ci", "expires_at": (timezone.now() + timedelta(days=4000)).isoformat()},
        content_type="application/json",
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "expires_at"
    not_json = client.post("/api/v1/accounts/tokens", "{oops", content_type="application/json")
    assert not_json.status_code in {400, 422}
    assert "code" in not_json.json()
    bad_page = client.get("/api/v1/accounts/tokens?page=0")
    assert bad_page.status_code == 422
    assert bad_page.json()["errors"][0]["field"] == "page"


def test_session_writes_need_the_csrf_token() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "ci"}, content_type="application/json"
    )
    assert response.status_code in {401, 403}
    assert not ApiToken.objects.exists()


def test_staff_see_all_organisations_others_only_their_own() -> None:
    for i in range(3):
        organisation(OrganisationKind.GPAI_PROVIDER, f"Provider {i}")
    staff = signed_in_client(make_user(Role.POLICY_OFFICER, "paula"))
    member = signed_in_client(make_user(Role.ORGANISATION_MEMBER, "priya"))
    staff_view = staff.get("/api/v1/accounts/organisations").json()
    member_view = member.get("/api/v1/accounts/organisations").json()
    assert staff_view["count"] == 5  # three providers, the AI Office and the member's own
    assert [o["name"] for o in member_view["items"]] == ["Test gpai_provider"]


def test_lists_are_paginated_with_a_pinned_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    for i in range(60):
        organisation(OrganisationKind.GPAI_PROVIDER, f"Provider {i:02d}")
    user = make_user(Role.HEAD_OF_UNIT, "hugo")
    client = signed_in_client(user)
    first = client.get("/api/v1/accounts/organisations?page_size=25").json()
    assert first["count"] == 61  # sixty providers and the AI Office
    assert len(first["items"]) == 25
    third = client.get("/api/v1/accounts/organisations?page=3&page_size=25").json()
    assert len(third["items"]) == 11
    # session, user, OTP device, roles, count, page: the same whatever the page size.
    with django_assert_num_queries(6):
        client.get("/api/v1/accounts/organisations?page_size=50")
    with django_assert_num_queries(6):
        client.get("/api/v1/audit/events?page_size=50")


def test_audit_events_by_api_for_staff_only() -> None:
    hugo = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo"))
    events = hugo.get("/api/v1/audit/events?action=accounts.user").json()
    assert events["count"] >= 1
    assert all(e["action"].startswith("accounts.user") for e in events["items"])
    panel = signed_in_client(make_user(Role.SCIENTIFIC_PANEL_MEMBER, "sven"))
    assert panel.get("/api/v1/audit/events").status_code == 403


def test_a_token_whose_random_part_contains_underscores_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: "under_score_s" + "x" * 30)
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    new = services.api_token_create(actor=user, user=user, name="ci")
    assert new.secret.count("_") == 4
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert response.status_code == 200


def test_the_rules_engine_answers_anyone_with_reasons_and_citations(client: Client) -> None:
    facts = {
        "as_of": "2026-11-25",
        "training_compute_flop": 3.8e25,
        "generates": ["text"],
        "placed_on_market": "2025-09-01",
        "provider_established_in_eu": True,
    }
    response = client.post("/api/v1/rules/model", facts, content_type="application/json")
    assert response.status_code == 200
    answer = response.json()
    assert answer["law"] == "as-amended"
    assert answer["as_of"] == "2026-11-25"
    assert answer["systemic_risk"]["status"] == "presumed"
    assert answer["systemic_risk"]["citations"]
    published = client.post(
        "/api/v1/rules/model?law=as-published&as_of=2026-01-05",
        facts,
        content_type="application/json",
    ).json()
    assert (published["law"], published["as_of"]) == ("as-published", "2026-01-05")


def test_bad_facts_for_the_rules_engine_name_the_field(client: Client) -> None:
    response = client.post(
        "/api/v1/rules/model", {"training_compute_flop": "lots"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "training_compute_flop"
    unknown = client.post("/api/v1/rules/astrology", {}, content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "kind"
    not_object = client.post("/api/v1/rules/model", [1, 2], content_type="application/json")
    assert not_object.status_code == 422


def test_the_input_schemas_are_published(client: Client) -> None:
    for kind in ("model", "system"):
        schema = client.get(f"/api/v1/rules/schema/{kind}").json()
        assert schema["type"] == "object"
        assert "as_of" in schema["properties"]


def test_a_rules_command_without_a_date_answers_for_today(client: Client) -> None:
    answer = client.post("/api/v1/rules/timeline", {}, content_type="application/json").json()
    assert answer["as_of"] == timezone.now().date().isoformat()


def test_the_drafting_rules_answer_over_the_api(client: Client) -> None:
    """Who assesses a code's adequacy on a day (COP-08) is a rules command like the others."""
    facts = {"check": "adequacy", "basis": "art56", "on": "2026-09-01", "board_opinion": False}
    answer = client.post("/api/v1/rules/drafting", facts, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["result"]["procedure"] == "amended"
    assert [p["field"] for p in body["result"]["problems"]] == ["board_opinion"]
    bad = client.post(
        "/api/v1/rules/drafting", {"check": "astrology"}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_an_address_no_route_matches_answers_in_the_api_error_format(client: Client) -> None:
    """A path parameter refused by its converter (a negative version number) or an unknown
    path under /api/ gets the API's JSON 404, never the site's HTML page."""
    for path in ("/api/v1/drafting/drafts/some-code/-1", "/api/v1/no-such-thing", "/api/v2/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Not found."}
