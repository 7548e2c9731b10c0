"""The rest of the Art. 52 procedure on the real database: requests for more information and
their answers, withdrawal, evidence added later, the decision on a reassessment request, and
the decision letters. Refusals name the field and give the reason and the date."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import (
    Decision,
    DecisionLetter,
    InformationRequest,
    ModelVersion,
    Notification,
    Provider,
)

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


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: date | str) -> None:
    """Move the Office's procedural day (sessions and tokens keep the real clock)."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    monkeypatch.setattr(services, "_today", lambda: when)


def _pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf")


@pytest.fixture
def world(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    alpha = provider_factory("Alpha AI")
    beta = provider_factory("Beta Labs")
    version = version_factory(alpha, model_name="Alpha-1")
    services.version_assess(actor=None, version=version)
    alice, alice_client = _member_of(alpha, "alice")
    bob, bob_client = _member_of(beta, "bob")
    officer = make_user(Role.TECHNICAL_OFFICER, "tess")
    legal = make_user(Role.LEGAL_OFFICER, "leo")
    return {
        "alpha": alpha,
        "version": version,
        "alice": alice,
        "alice_client": alice_client,
        "bob": bob,
        "bob_client": bob_client,
        "officer": officer,
        "officer_client": signed_in_client(officer),
        "legal": legal,
        "legal_client": signed_in_client(legal),
    }


def _notified(world: dict[str, Any], **changes: Any) -> Notification:
    return services.notification_submit(
        actor=world["alice"], version=world["version"], data=_notice(**changes)
    )


# --- the end-to-end path ----------------------------------------------------------------------


def test_notify_with_evidence_ask_answer_hear_reject_and_the_letter(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    version: ModelVersion = world["version"]
    alice: Client = world["alice_client"]
    bob: Client = world["bob_client"]
    officer: Client = world["officer_client"]
    legal: Client = world["legal_client"]

    made = alice.post(
        f"/api/v1/registry/versions/{version.pk}/notifications",
        _notice(),
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    notice = made.json()
    url = f"/api/v1/registry/notifications/{notice['id']}"
    evidence = alice.post(f"{url}/documents", {"documents": [_pdf(), _pdf("scaling.pdf")]})
    assert evidence.status_code == 201, evidence.json()
    assert [d["content_type"] for d in evidence.json()] == ["application/pdf"] * 2

    assigned = officer.post(
        f"{url}/assign", {"officer_id": world["officer"].pk}, content_type="application/json"
    )
    assert assigned.json()["status"] == "under_assessment"

    due_on = TODAY + timedelta(days=10)
    asked = officer.post(
        f"{url}/information-requests",
        {"questions": "Which benchmarks, on which date?", "due_on": due_on.isoformat()},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.json()
    request_id = asked.json()["id"]
    assert alice.get(url).json()["status"] == "more_information_requested"
    queue = officer.get("/api/v1/registry/information-requests?answered=false").json()
    assert [r["id"] for r in queue["items"]] == [request_id]
    assert queue["items"][0]["tracking_number"] == notice["tracking_number"]

    answered = alice.post(
        f"/api/v1/registry/information-requests/{request_id}/answer",
        {"answer": "The attached results, run in October.", "documents": [_pdf("bench.pdf")]},
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["late"] is False
    detail = alice.get(url).json()
    assert detail["status"] == "under_assessment"
    assert [d["information_request_id"] for d in detail["documents"]] == [
        None,
        None,
        request_id,
    ]

    hearing = officer.post(
        f"{url}/hearing",
        {"draft_reasons": "The benchmarks show high-impact capabilities."},
        content_type="application/json",
    )
    assert hearing.status_code == 201, hearing.json()
    ends_on = hearing.json()["ends_on"]
    reject = {"kind": "arguments_rejected", "reasons": "Frontier capabilities on the benchmarks."}
    _clock_at(monkeypatch, ends_on)
    early = legal.post(f"{url}/decisions", reject, content_type="application/json")
    assert early.status_code == 422
    assert early.json()["errors"] == [
        {
            "field": "hearing",
            "message": f"The hearing period runs to {ends_on}; "
            "the arguments can be rejected after that day.",
        }
    ]
    after = date.fromisoformat(ends_on) + timedelta(days=1)
    _clock_at(monkeypatch, after)
    taken = legal.post(f"{url}/decisions", reject, content_type="application/json")
    assert taken.status_code == 201, taken.json()
    decision = taken.json()
    letter = DecisionLetter.objects.get(decision_id=decision["id"])
    assert decision["letter"]["sha256"] == letter.sha256

    download = alice.get(f"/api/v1/registry/decisions/{decision['id']}/letter")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == letter.sha256 == download["X-Content-SHA256"]
    assert len(body) == letter.size
    assert download["Content-Type"] == "text/html; charset=utf-8"
    text = body.decode()
    for expected in (
        notice["tracking_number"],
        "Alpha AI",
        "Alpha-1",
        "Frontier capabilities on the benchmarks.",
        ends_on,
        letter.rules_version,
        "Art. 52(3)",
    ):
        assert expected in text, expected

    refused = alice.post(
        f"{url}/withdraw", {"reasons": "Too late."}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "notification",
            "message": f"The notification was decided on {after}: "
            "withdrawal is no longer possible.",
        }
    ]

    # Another provider sees none of it: 404 on every route, nothing in the lists.
    for method, route, data in (
        ("GET", url, None),
        ("POST", f"{url}/documents", {"documents": [_pdf()]}),
        ("POST", f"{url}/withdraw", {"reasons": "Not mine."}),
        ("POST", f"{url}/information-requests", {"questions": "?", "due_on": "2099-01-01"}),
        ("POST", f"/api/v1/registry/information-requests/{request_id}/answer", {"answer": "x"}),
        ("GET", f"/api/v1/registry/decisions/{decision['id']}/letter", None),
    ):
        if method == "GET":
            response = bob.get(route)
        elif route.endswith(("/documents", "/answer")):
            response = bob.post(route, data)
        else:
            response = bob.post(route, data, content_type="application/json")
        assert response.status_code == 404, (method, route, response.status_code)
    assert bob.get("/api/v1/registry/information-requests").json()["count"] == 0
    assert bob.get("/api/v1/registry/notifications.csv").getvalue().decode().count("\n") == 1
    assert (
        b"".join(
            bob.get("/api/v1/registry/information-requests.csv").streaming_content  # type: ignore[attr-defined]
        )
        .decode()
        .splitlines()[1:]
        == []
    )

    notification = Notification.objects.get(pk=notice["id"])
    actions = list(
        AuditEvent.objects.filter(
            object_type="registry.notification", object_id=str(notification.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "registry.notification.submitted",
        "registry.notification.documents_added",
        "registry.notification.assigned",
        "registry.notification.hearing_opened",
    ]
    assert (
        AuditEvent.objects.filter(
            action__in=[
                "registry.notification.information_requested",
                "registry.notification.information_answered",
            ]
        ).count()
        == 2
    )


# --- requests for more information -----------------------------------------------------------


def test_an_information_request_due_today_or_earlier_is_refused_with_the_date(
    world: dict[str, Any],
) -> None:
    notification = _notified(world)
    for due_on in (TODAY, TODAY - timedelta(days=3)):
        with pytest.raises(ValidationError) as refused:
            services.notification_request_information(
                actor=world["officer"], notification=notification, questions="?", due_on=due_on
            )
        assert refused.value.message_dict == {
            "due_on": [f"The answer must be due after today ({TODAY:%Y-%m-%d})."]
        }
    response = world["officer_client"].post(
        f"/api/v1/registry/notifications/{notification.pk}/information-requests",
        {"questions": "?", "due_on": "2020-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "due_on"
    missing = world["officer_client"].post(
        f"/api/v1/registry/notifications/{notification.pk}/information-requests",
        {"questions": "?"},
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "due_on"
    with pytest.raises(PermissionDenied):
        services.notification_request_information(
            actor=world["alice"],
            notification=notification,
            questions="?",
            due_on=TODAY + timedelta(days=5),
        )
    assert not InformationRequest.objects.exists()


def test_a_late_answer_is_received_and_flagged(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    notification = _notified(world)
    asked = services.notification_request_information(
        actor=world["officer"],
        notification=notification,
        questions="Which cluster?",
        due_on=TODAY + timedelta(days=2),
    )
    _clock_at(monkeypatch, TODAY + timedelta(days=5))
    overdue = world["officer_client"].get("/api/v1/registry/information-requests?overdue=true")
    # The list reads the real day: not overdue yet there; the service reads the Office's day.
    assert overdue.json()["count"] == 0
    answered = services.information_request_answer(
        actor=world["alice"], request=asked, answer="The Frankfurt cluster."
    )
    assert answered.late is True
    assert answered.answered_on == TODAY + timedelta(days=5)
    with pytest.raises(ValidationError) as twice:
        services.information_request_answer(actor=world["alice"], request=asked, answer="Again.")
    assert twice.value.message_dict == {
        "answer": [f"This request was answered on {TODAY + timedelta(days=5):%Y-%m-%d}."]
    }


def test_overdue_requests_are_filtered_for_the_staff_queue(world: dict[str, Any]) -> None:
    notification = _notified(world)
    due = services.notification_request_information(
        actor=world["officer"],
        notification=notification,
        questions="Which cluster?",
        due_on=TODAY + timedelta(days=2),
    )
    InformationRequest.objects.filter(pk=due.pk).update(due_on=TODAY - timedelta(days=1))
    staff = world["officer_client"]
    assert [
        r["id"]
        for r in staff.get("/api/v1/registry/information-requests?overdue=true").json()["items"]
    ] == [due.pk]
    assert staff.get("/api/v1/registry/information-requests?overdue=false").json()["count"] == 0
    rows = (
        b"".join(
            staff.get("/api/v1/registry/information-requests.csv?overdue=true").streaming_content  # type: ignore[attr-defined]
        )
        .decode()
        .splitlines()
    )
    assert rows[0].startswith("id,tracking_number,provider")
    assert rows[1].endswith(",false,true")


def test_only_the_providers_people_answer_and_not_after_withdrawal(
    world: dict[str, Any],
) -> None:
    notification = _notified(world)
    asked = services.notification_request_information(
        actor=world["officer"],
        notification=notification,
        questions="Which cluster?",
        due_on=TODAY + timedelta(days=2),
    )
    for stranger in (world["bob"], world["officer"], None):
        with pytest.raises(PermissionDenied):
            services.information_request_answer(actor=stranger, request=asked, answer="x")
    services.notification_withdraw(
        actor=world["alice"], notification=notification, reasons="Notified in error."
    )
    with pytest.raises(ValidationError) as closed:
        services.information_request_answer(actor=world["alice"], request=asked, answer="x")
    assert closed.value.message_dict == {
        "notification": [
            f"The notification was withdrawn on {TODAY:%Y-%m-%d}: answering is no longer possible."
        ]
    }


def test_no_information_request_while_the_hearing_is_open(world: dict[str, Any]) -> None:
    notification = _notified(world)
    hearing = services.hearing_open(
        actor=world["officer"], notification=notification, draft_reasons="Frontier."
    )
    with pytest.raises(ValidationError) as refused:
        services.notification_request_information(
            actor=world["officer"],
            notification=notification,
            questions="?",
            due_on=TODAY + timedelta(days=3),
        )
    assert refused.value.message_dict == {
        "notification": [
            f"The hearing is open (to {hearing.ends_on:%Y-%m-%d}): ask before the draft decision."
        ]
    }


def test_the_notification_is_under_assessment_again_only_when_every_request_is_answered(
    world: dict[str, Any],
) -> None:
    notification = _notified(world)
    first, second = (
        services.notification_request_information(
            actor=world["officer"],
            notification=notification,
            questions=question,
            due_on=TODAY + timedelta(days=4),
        )
        for question in ("Which cluster?", "Which data?")
    )
    services.information_request_answer(actor=world["alice"], request=first, answer="A.")
    notification.refresh_from_db()
    assert notification.status == "more_information_requested"
    services.information_request_answer(actor=world["alice"], request=second, answer="B.")
    notification.refresh_from_db()
    assert notification.status == "under_assessment"


def test_a_current_representative_answers_for_the_provider(
    world: dict[str, Any],
) -> None:
    representative = accounts.organisation_create(
        actor=None,
        name="Rep EU",
        kind="authorised_representative",
        country="IE",
        established_in_union=True,
    )
    services.representative_appoint(
        actor=None,
        provider=world["alpha"],
        representative=representative,
        document=ContentFile(b"%PDF-1.7 mandate", name="mandate.pdf"),
        union_country="IE",
        tasks=["art54_3_c"],
        start=TODAY - timedelta(days=30),
    )
    rita = make_user(None, "rita")
    accounts.membership_add(
        actor=None, user=rita, organisation=representative, role=Role.ORGANISATION_MEMBER
    )
    notification = _notified(world)
    asked = services.notification_request_information(
        actor=world["officer"],
        notification=notification,
        questions="Which cluster?",
        due_on=TODAY + timedelta(days=4),
    )
    answered = services.information_request_answer(actor=rita, request=asked, answer="A.")
    assert answered.answered_by == rita


# --- withdrawal and evidence -------------------------------------------------------------------


def test_withdrawal_needs_reasons_and_re_assesses_the_version(world: dict[str, Any]) -> None:
    notification = _notified(world)
    with pytest.raises(ValidationError) as no_reasons:
        services.notification_withdraw(actor=world["alice"], notification=notification, reasons=" ")
    assert "reasons" in no_reasons.value.message_dict
    response = world["alice_client"].post(
        f"/api/v1/registry/notifications/{notification.pk}/withdraw",
        {"reasons": "Notified in error."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    version: ModelVersion = world["version"]
    version.refresh_from_db()
    assert version.current_assessment is not None
    assert "threshold_known_on" not in version.current_assessment.facts
    again = world["alice_client"].post(
        f"/api/v1/registry/notifications/{notification.pk}/withdraw",
        {"reasons": "Twice."},
        content_type="application/json",
    )
    assert again.json()["errors"][0]["message"] == (
        f"The notification was withdrawn on {TODAY:%Y-%m-%d}: withdrawal is no longer possible."
    )


def test_evidence_files_are_checked(world: dict[str, Any], settings: Any) -> None:
    notification = _notified(world)
    url = f"/api/v1/registry/notifications/{notification.pk}/documents"
    alice = world["alice_client"]
    empty = alice.post(url, {"documents": [SimpleUploadedFile("empty.pdf", b"")]})
    assert empty.status_code == 422
    assert empty.json()["errors"] == [
        {"field": "documents", "message": "empty.pdf: the file is empty."}
    ]
    binary = alice.post(url, {"documents": [SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03\x00")]})
    assert binary.json()["errors"][0]["message"] == (
        "x.exe: not a PDF, PNG, JPEG, ZIP or UTF-8 text file."
    )
    settings.AIOFFICE_MAX_UPLOAD_BYTES = 10
    large = alice.post(url, {"documents": [SimpleUploadedFile("big.csv", b"a,b\n" * 10)]})
    assert large.json()["errors"][0]["message"] == "big.csv: larger than 10 bytes (40)."
    settings.AIOFFICE_MAX_UPLOAD_BYTES = 1000
    none = alice.post(url, {})
    assert none.status_code == 422
    assert none.json()["errors"][0]["field"] == "documents"
    ok = alice.post(url, {"documents": [SimpleUploadedFile("data.csv", b"a,b\n1,2\n")]})
    assert ok.status_code == 201
    assert ok.json()[0]["content_type"] == "text/csv"
    assert ok.json()[0]["sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    staff = world["officer_client"].post(url, {"documents": [_pdf()]})
    assert staff.status_code == 403
    assert notification.documents.count() == 1


# --- the decision on a reassessment request ---------------------------------------------------


def _designated_long_ago(world: dict[str, Any]) -> tuple[ModelVersion, Any]:
    """A version designated under Art. 52(4) a year ago, with a reassessment request today."""
    version: ModelVersion = world["version"]
    services.decision_take(
        actor=world["legal"],
        version=version,
        kind="designated_annex_xiii",
        reasons="High-impact capabilities.",
        annex_xiii={"e": "Frontier benchmarks."},
        decided_on=TODAY - timedelta(days=366),
    )
    request = services.reassessment_request(
        actor=world["alice"], version=version, reasons="New benchmark results."
    )
    return version, request


def test_a_reassessment_request_is_decided_through_the_one_decision_path(
    world: dict[str, Any],
) -> None:
    version, request = _designated_long_ago(world)
    url = f"/api/v1/registry/reassessment-requests/{request.pk}/decision"
    officer = world["officer_client"].post(
        url, {"reasons": "Maintained."}, content_type="application/json"
    )
    assert officer.status_code == 403
    ended = world["legal_client"].post(
        url, {"kind": "designation_ended", "reasons": "Ended."}, content_type="application/json"
    )
    assert ended.status_code == 422
    assert ended.json()["errors"][0]["field"] == "kind"
    early = world["legal_client"].post(
        url,
        {"reasons": "Maintained.", "decided_on": (TODAY - timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert early.json()["errors"] == [
        {
            "field": "decided_on",
            "message": f"The decision cannot precede the request ({TODAY:%Y-%m-%d}).",
        }
    ]
    taken = world["legal_client"].post(
        url,
        {"kind": "designation_maintained", "reasons": "The new results change nothing."},
        content_type="application/json",
    )
    assert taken.status_code == 201, taken.json()
    decision = Decision.objects.get(pk=taken.json()["id"])
    assert decision.reassessment_request == request
    assert decision.kind == "designation_maintained"
    assert decision.letter.sha256 == taken.json()["letter"]["sha256"]
    version.refresh_from_db()
    assert version.systemic_risk_status == "designated"
    assert version.current_assessment is not None
    assert version.current_assessment.as_of == TODAY
    # The next request waits for aiact's reassessment clock from this decision.
    earliest = evaluate(
        "clock", {"clock": "reassessment", "from": TODAY.isoformat()}, law=load_law()
    )
    with pytest.raises(ValidationError) as next_request:
        services.reassessment_request(actor=world["alice"], version=version, reasons="Newer.")
    assert next_request.value.message_dict == {
        "on": [f"A reassessment can be requested from {earliest['result']['earliest']}."]
    }
    again = world["legal_client"].post(url, {"reasons": "Twice."}, content_type="application/json")
    assert again.json()["errors"] == [
        {"field": "request", "message": f"This request was decided on {TODAY:%Y-%m-%d}."}
    ]
    letter = decision.letter.document.read().decode()
    assert "Art. 52(5)" in letter
    assert "reassessment-request" in letter
    other = world["bob_client"].post(url, {"reasons": "x"}, content_type="application/json")
    assert other.status_code == 404
    events = AuditEvent.objects.filter(object_type="registry.decision", object_id=str(decision.pk))
    assert list(events.order_by("seq").values_list("action", flat=True)) == [
        "registry.decision.taken",
        "registry.decision.letter_generated",
    ]


def test_the_information_request_list_has_a_pinned_number_of_queries(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        services.notification_request_information(
            actor=world["officer"],
            notification=_notified(world),
            questions="Which cluster?",
            due_on=TODAY + timedelta(days=4),
        )
    # session, user, OTP device, roles, count, page
    with django_assert_num_queries(6):
        staff = world["officer_client"].get("/api/v1/registry/information-requests?page_size=50")
    assert staff.json()["count"] == 3
    # session, user, roles, count, page (the provider scope is a subquery)
    with django_assert_num_queries(5):
        own = world["alice_client"].get("/api/v1/registry/information-requests")
    assert own.json()["count"] == 3


def test_the_csv_exports_stream_with_a_pinned_number_of_queries(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        services.notification_request_information(
            actor=world["officer"],
            notification=_notified(world),
            questions="Which cluster?",
            due_on=TODAY + timedelta(days=4),
        )
    staff = world["officer_client"]
    # session, user, OTP device, roles, then one query for the rows (whatever their number)
    for url, rows in (
        ("/api/v1/registry/information-requests.csv", 3),
        ("/api/v1/registry/notifications.csv", 3),
        ("/api/v1/registry/models.csv", 1),
    ):
        with django_assert_num_queries(5):
            response = staff.get(url)
            lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
        assert len(lines) == 1 + rows, url
    public = Client().get("/api/v1/registry/systemic-risk-models.csv")
    lines = b"".join(public.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("model,provider,version,systemic_risk_status")
    assert lines[1].startswith("Alpha-1,Alpha AI,1.0,presumed")


def _listed() -> set[str]:
    """The model names on the public list of Art. 52(6)."""
    return {
        row["model"] for row in Client().get("/registers/systemic-risk-models.json").json()["items"]
    }


def test_a_lifted_designation_below_the_threshold_ends_systemic_risk_and_the_listing(
    world: dict[str, Any], version_factory: Callable[..., ModelVersion]
) -> None:
    small = version_factory(world["alpha"], model_name="Alpha-Small", training_compute_flop=5e24)
    services.decision_take(
        actor=world["legal"],
        version=small,
        kind="designated_annex_xiii",
        reasons="Reach.",
        annex_xiii={"f": "Reach."},
        decided_on=TODAY - timedelta(days=366),
    )
    assert "Alpha-Small" in _listed()
    first = services.reassessment_request(actor=world["alice"], version=small, reasons="Fewer.")
    second = services.reassessment_request(actor=world["alice"], version=small, reasons="Again.")
    url = f"/api/v1/registry/reassessment-requests/{first.pk}/decision"
    lifted = world["legal_client"].post(
        url,
        {"kind": "designation_lifted", "reasons": "Reach fell below the criterion."},
        content_type="application/json",
    )
    assert lifted.status_code == 201, lifted.json()
    assert lifted.json()["kind"] == "designation_lifted"
    small.refresh_from_db()
    assert small.systemic_risk_status == "not_sr"
    assert small.current_assessment is not None
    answer = small.current_assessment.result
    assert answer["systemic_risk"]["until"] == TODAY.isoformat()
    assert answer["reassessment_earliest"] is None
    assert answer["rules_version"] == load_law().rules_version  # assessed again, by today's rules
    assert "Alpha-Small" not in _listed()
    letter = Decision.objects.get(pk=lifted.json()["id"]).letter.document.read().decode()
    assert 'data-field="lifted"' in letter
    assert f"ends on {TODAY:%Y-%m-%d}" in letter
    assert '<dd data-field="status">not_sr</dd>' in letter
    assert "an interpretation" in letter
    assert "Art. 51(1)(b)" in letter
    # The other pending request has nothing left to decide; no new request can be made.
    stale = world["legal_client"].post(
        f"/api/v1/registry/reassessment-requests/{second.pk}/decision",
        {"kind": "designation_maintained", "reasons": "Still."},
        content_type="application/json",
    )
    assert stale.status_code == 422
    assert stale.json()["errors"] == [
        {
            "field": "request",
            "message": f"The designation this request concerns was lifted on {TODAY:%Y-%m-%d}: "
            "there is nothing left to decide.",
        }
    ]
    with pytest.raises(ValidationError) as again:
        services.reassessment_request(actor=world["alice"], version=small, reasons="More.")
    assert again.value.message_dict == {
        "version": ["There is no designation of this version to reassess."]
    }


def test_a_lifted_designation_above_the_threshold_leaves_the_presumption_and_the_listing(
    world: dict[str, Any],
) -> None:
    version, request = _designated_long_ago(world)
    assert "Alpha-1" in _listed()
    services.reassessment_decide(
        actor=world["legal"],
        request=request,
        kind="designation_lifted",
        reasons="The Annex XIII criteria no longer point to high impact.",
    )
    version.refresh_from_db()
    assert version.systemic_risk_status == "presumed"
    assert "Alpha-1" in _listed()
    decision = Decision.objects.get(reassessment_request=request)
    letter = decision.letter.document.read().decode()
    assert '<dd data-field="status">presumed</dd>' in letter
    assert "Art. 51(1)(a)" in letter


def test_a_designation_is_lifted_only_on_a_reassessment_request(world: dict[str, Any]) -> None:
    version, _ = _designated_long_ago(world)
    with pytest.raises(ValidationError) as refused:
        services.decision_take(
            actor=world["legal"], version=version, kind="designation_lifted", reasons="Lifted."
        )
    assert refused.value.message_dict == {
        "kind": ["A designation is lifted on a reassessment request (Art. 52(5))."]
    }
    version.refresh_from_db()
    assert version.systemic_risk_status == "designated"
