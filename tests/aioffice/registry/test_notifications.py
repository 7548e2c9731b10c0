"""The Art. 52 procedure end to end, on the real database: a provider notifies, an officer
hears and decides, the model goes on the public list; refusals name the field and date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import Decision, ModelVersion, Notification, Provider

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


def _member_of(provider: Provider, username: str) -> tuple[Any, Client]:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return user, signed_in_client(user)


def _notice(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "trigger": "compute_threshold",
        "compute_flop": 3.79e25,
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
    services.version_assess(actor=None, version=version)
    alice, alice_client = _member_of(alpha, "alice")
    _, bob_client = _member_of(beta, "bob")
    return {
        "alpha": alpha,
        "version": version,
        "alice": alice,
        "alice_client": alice_client,
        "bob_client": bob_client,
        "officer": signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess")),
        "legal": signed_in_client(make_user(Role.LEGAL_OFFICER, "leo")),
    }


def _actions(obj_type: str, obj_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj_type, object_id=str(obj_id))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Move the Office's procedural day to ``day``: the hearing period passes (sessions and
    tokens keep the real clock)."""
    monkeypatch.setattr(services, "_today", lambda: date.fromisoformat(day))


def test_notify_hear_reject_and_the_model_is_on_the_public_list(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    version: ModelVersion = world["version"]
    alice: Client = world["alice_client"]
    assert version.assessments.get().systemic_risk_status == "not_sr"

    made = alice.post(
        f"/api/v1/registry/versions/{version.pk}/notifications",
        _notice(),
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    notice = made.json()
    assert notice["tracking_number"] == f"N-{TODAY:%Y}-{notice['id']:06d}"
    assert notice["status"] == "submitted"
    assert notice["compute_flop_2sf"] == "3.8e25"
    assert notice["late"] is False
    assert notice["aiact_check"]["arguments"] == {"admissible": True, "filed_late": False}
    version.refresh_from_db()
    assert version.systemic_risk_status == "presumed"
    assert version.current_assessment is not None
    assert version.current_assessment.facts["threshold_known_on"] == TODAY.isoformat()

    url = f"/api/v1/registry/notifications/{notice['id']}"
    early = world["legal"].post(
        f"{url}/decisions",
        {"kind": "arguments_rejected", "reasons": "Frontier capabilities."},
        content_type="application/json",
    )
    assert early.status_code == 422
    would_end = evaluate("clock", {"clock": "hearing", "from": TODAY.isoformat()}, law=load_law())
    assert early.json()["errors"] == [
        {
            "field": "hearing",
            "message": "Send the draft decision and hear the provider first (Art. 94): a "
            f"hearing opened on {TODAY} would run to {would_end['result']['period_ends']}.",
        }
    ]

    hearing = world["officer"].post(
        f"{url}/hearing",
        {"draft_reasons": "The benchmarks show high-impact capabilities."},
        content_type="application/json",
    )
    assert hearing.status_code == 201, hearing.json()
    ends_on = hearing.json()["ends_on"]
    expected = evaluate("clock", {"clock": "hearing", "from": TODAY.isoformat()}, law=load_law())
    assert ends_on == expected["result"]["period_ends"]
    assert alice.get(url).json()["status"] == "hearing"

    reject = {"kind": "arguments_rejected", "reasons": "Frontier capabilities."}
    future = world["legal"].post(
        f"{url}/decisions", {**reject, "decided_on": ends_on}, content_type="application/json"
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "decided_on"
    _clock_at(monkeypatch, ends_on)
    during = world["legal"].post(f"{url}/decisions", reject, content_type="application/json")
    assert during.status_code == 422
    assert during.json()["errors"] == [
        {
            "field": "hearing",
            "message": f"The hearing period runs to {ends_on}; "
            "the arguments can be rejected after that day.",
        }
    ]
    not_a_decider = world["officer"].post(
        f"{url}/decisions", reject, content_type="application/json"
    )
    assert not_a_decider.status_code == 403

    after = (date.fromisoformat(ends_on) + timedelta(days=1)).isoformat()
    _clock_at(monkeypatch, after)
    taken = world["legal"].post(f"{url}/decisions", reject, content_type="application/json")
    assert taken.status_code == 201, taken.json()
    assert taken.json()["hearing_id"] == hearing.json()["id"]

    detail = alice.get(url).json()
    assert detail["status"] == "decided"
    assert [d["kind"] for d in detail["decisions"]] == ["arguments_rejected"]
    version.refresh_from_db()
    assert version.systemic_risk_status == "confirmed"
    listed = Client().get("/registers/systemic-risk-models.json").json()
    assert [(e["model"], e["provider"], e["systemic_risk_status"]) for e in listed["items"]] == [
        ("Alpha-1", "Alpha AI", "confirmed")
    ]

    notification = Notification.objects.get(pk=notice["id"])
    assert _actions("registry.notification", notification.pk) == [
        "registry.notification.submitted",
        "registry.notification.hearing_opened",
    ]
    decision = Decision.objects.get()
    assert _actions("registry.decision", decision.pk) == [
        "registry.decision.taken",
        "registry.decision.letter_generated",
    ]
    assessed = _actions("registry.modelversion", version.pk)
    assert assessed.count("registry.version.assessed") == 3  # first, notified, decided


def test_an_incomplete_notification_is_refused_naming_each_field(world: dict[str, Any]) -> None:
    version: ModelVersion = world["version"]
    response = world["alice_client"].post(
        f"/api/v1/registry/versions/{version.pk}/notifications",
        _notice(estimation_method="", uncertainty=""),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["estimation_method", "uncertainty"]
    assert not Notification.objects.exists()
    bad_ground = world["alice_client"].post(
        f"/api/v1/registry/versions/{version.pk}/notifications",
        _notice(arguments_grounds=["vibes"]),
        content_type="application/json",
    )
    assert bad_ground.status_code == 422
    assert bad_ground.json()["errors"][0]["field"] == "arguments_grounds"


def test_a_late_notification_is_flagged(world: dict[str, Any]) -> None:
    law = load_law()
    long_ago = TODAY - timedelta(days=365)
    due = evaluate("clock", {"clock": "notification", "from": long_ago.isoformat()}, law=law)
    notification = services.notification_submit(
        actor=world["alice"],
        version=world["version"],
        data=_notice(trigger_date=long_ago, arguments_grounds=[], arguments_text=""),
    )
    assert notification.late is True
    assert notification.due is not None
    assert notification.due.isoformat() in str(due["result"].values())


def test_evidence_documents_are_stored_with_their_digest(world: dict[str, Any]) -> None:
    notification = services.notification_submit(
        actor=world["alice"],
        version=world["version"],
        data=_notice(trigger_date=TODAY),
        documents=[ContentFile(b"benchmarks", name="evidence.pdf")],
    )
    document = notification.documents.get()
    assert document.size == len(b"benchmarks")
    assert len(document.sha256) == 64
    detail = world["alice_client"].get(f"/api/v1/registry/notifications/{notification.pk}")
    assert detail.json()["documents"][0]["name"].startswith("evidence")


def test_a_reassessment_too_early_is_refused_with_the_earliest_date(
    world: dict[str, Any],
) -> None:
    version: ModelVersion = world["version"]
    decider = make_user(Role.HEAD_OF_UNIT, "hugo")
    services.decision_take(
        actor=decider,
        version=version,
        kind="designated_annex_xiii",
        reasons="High-impact capabilities.",
        annex_xiii={"e": "Frontier benchmarks.", "g": "Reach in the Union."},
        decided_on=TODAY,
    )
    version.refresh_from_db()
    assert version.systemic_risk_status == "designated"
    earliest = evaluate(
        "clock", {"clock": "reassessment", "from": TODAY.isoformat()}, law=load_law()
    )["result"]["earliest"]
    response = world["alice_client"].post(
        f"/api/v1/registry/versions/{version.pk}/reassessment-requests",
        {"reasons": "New benchmark results."},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "on", "message": f"A reassessment can be requested from {earliest}."}
    ]
    with pytest.raises(ValidationError) as no_reasons:
        services.reassessment_request(actor=world["alice"], version=version, reasons=" ")
    assert "reasons" in no_reasons.value.message_dict
    made = services.reassessment_request(
        actor=world["alice"],
        version=version,
        reasons="New benchmark results.",
        on=date.fromisoformat(earliest),
    )
    assert _actions("registry.reassessmentrequest", made.pk) == ["registry.reassessment.requested"]


def test_designation_records_the_annex_xiii_criteria(world: dict[str, Any]) -> None:
    decider = make_user(Role.LEGAL_OFFICER, "lena")
    with pytest.raises(ValidationError) as missing:
        services.decision_take(
            actor=decider, version=world["version"], kind="designated_annex_xiii", reasons="x"
        )
    assert "annex_xiii" in missing.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.decision_take(
            actor=decider,
            version=world["version"],
            kind="designated_annex_xiii",
            reasons="x",
            annex_xiii={"h": "no such point"},
        )
    assert "annex_xiii" in unknown.value.message_dict


def test_another_provider_gets_404_on_every_new_route(world: dict[str, Any]) -> None:
    version: ModelVersion = world["version"]
    notification = services.notification_submit(
        actor=world["alice"], version=version, data=_notice()
    )
    bob: Client = world["bob_client"]
    n = f"/api/v1/registry/notifications/{notification.pk}"
    v = f"/api/v1/registry/versions/{version.pk}"
    routes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", n, None),
        ("POST", f"{v}/notifications", _notice()),
        ("POST", f"{n}/hearing", {"draft_reasons": "x"}),
        ("POST", f"{n}/decisions", {"kind": "arguments_rejected", "reasons": "x"}),
        ("POST", f"{v}/decisions", {"kind": "designated_failure_to_notify", "reasons": "x"}),
        ("POST", f"{v}/reassessment-requests", {"reasons": "x"}),
    ]
    for method, url, body in routes:
        if method == "GET":
            response = bob.get(url)
        else:
            response = bob.post(url, body, content_type="application/json")
        assert response.status_code == 404, (method, url)
    assert bob.get("/api/v1/registry/notifications").json() == {"items": [], "count": 0}
    assert Notification.objects.count() == 1


def test_staff_cannot_notify_for_a_provider(world: dict[str, Any]) -> None:
    version: ModelVersion = world["version"]
    response = world["officer"].post(
        f"/api/v1/registry/versions/{version.pk}/notifications",
        _notice(),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_notification_list_has_a_pinned_number_of_queries(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        services.notification_submit(actor=world["alice"], version=world["version"], data=_notice())
    alice: Client = world["alice_client"]
    assert alice.get("/api/v1/registry/notifications").json()["count"] == 5
    # session, user, roles, count, page (the member's providers are a subquery).
    with django_assert_num_queries(5):
        assert alice.get("/api/v1/registry/notifications?page_size=50").json()["count"] == 5
    # session, user, OTP device, roles, count, page.
    with django_assert_num_queries(6):
        assert world["officer"].get("/api/v1/registry/notifications").json()["count"] == 5
    queue = world["officer"].get("/api/v1/registry/notifications?status=submitted&late=false")
    assert queue.json()["count"] == 5
    bad = world["officer"].get("/api/v1/registry/notifications?status=lost")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"


def test_an_officer_is_assigned_and_the_notification_is_under_assessment(
    world: dict[str, Any],
) -> None:
    notification = services.notification_submit(
        actor=world["alice"], version=world["version"], data=_notice()
    )
    officer = make_user(Role.POLICY_OFFICER, "paula")
    url = f"/api/v1/registry/notifications/{notification.pk}/assign"
    assigned = world["officer"].post(
        url, {"officer_id": officer.pk}, content_type="application/json"
    )
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["status"] == "under_assessment"
    notification.refresh_from_db()
    assert notification.assigned_officer == officer
    not_staff = world["officer"].post(
        url, {"officer_id": world["alice"].pk}, content_type="application/json"
    )
    assert not_staff.status_code == 422
    assert not_staff.json()["errors"][0]["field"] == "officer_id"
    refused = world["alice_client"].post(
        url, {"officer_id": officer.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert _actions("registry.notification", notification.pk) == [
        "registry.notification.submitted",
        "registry.notification.assigned",
    ]


def test_only_a_head_of_unit_or_legal_officer_decides(world: dict[str, Any]) -> None:
    for role in (Role.TECHNICAL_OFFICER, Role.ORGANISATION_MEMBER):
        with pytest.raises(PermissionDenied):
            services.decision_take(
                actor=make_user(role, f"user-{role}"),
                version=world["version"],
                kind="designated_failure_to_notify",
                reasons="Not notified.",
            )
    with pytest.raises(PermissionDenied):
        services.decision_take(
            actor=None, version=world["version"], kind="designated_failure_to_notify", reasons="x"
        )
    assert not Decision.objects.exists()


def test_no_hearing_on_a_rejection_when_no_arguments_were_filed(world: dict[str, Any]) -> None:
    notification = services.notification_submit(
        actor=world["alice"],
        version=world["version"],
        data=_notice(arguments_grounds=[], arguments_text=""),
    )
    with pytest.raises(ValidationError) as refused:
        services.hearing_open(actor=None, notification=notification, draft_reasons="x")
    assert "draft_kind" in refused.value.message_dict
