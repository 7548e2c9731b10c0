"""The one clock follows the registry's procedures through signals: a version that must be
notified, its notification, an information request, a hearing, a decision, a withdrawal,
a reassessment request; sync_all rebuilds the same rows; a failing handler never fails the
registry's save."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from aiact import load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user
from aioffice.registry import services
from aioffice.registry.models import (
    Assessment,
    Decision,
    InformationRequest,
    Notification,
    ReassessmentRequest,
)
from aioffice.registry.testing import registered_version
from aioffice.supervision import clock
from aioffice.supervision.choices import CaseOrigin, DeadlineKind, DeadlineStatus, TeamRole
from aioffice.supervision.models import Case, CaseMember, Deadline

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.now().date()


def notify(version: Any, **changes: Any) -> Notification:
    data: dict[str, Any] = {
        "trigger": "compute_threshold",
        "compute_flop": 3.8e25,
        "estimation_method": "6 x parameters x tokens",
        "assumptions": "dense transformer",
        "uncertainty": "+/- 10%",
        "trigger_date": today().isoformat(),
        "arguments_text": "Capabilities below the frontier.",
        "arguments_grounds": ["capabilities"],
    }
    return services.notification_submit(actor=None, version=version, data={**data, **changes})


def provider_member(version: Any, username: str = "pm") -> Any:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None,
        user=user,
        organisation=version.model.provider.organisation,
        role=Role.ORGANISATION_MEMBER,
    )
    return user


def open_of(obj: Any, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        source=clock.source_of(obj), kind=kind, status=DeadlineStatus.OPEN
    ).first()


def state(obj: Any, kind: str) -> str:
    return Deadline.objects.filter(source=clock.source_of(obj), kind=kind).latest("id").status


def make_case(provider: Any, lead: Any = None, reference: str = "C-2026-0001") -> Case:
    case = Case.objects.create(
        reference=reference,
        title="Case",
        provider=provider,
        origin=CaseOrigin.EX_OFFICIO,
        opened_on=today(),
    )
    if lead is not None:
        CaseMember.objects.create(case=case, user=lead, role=TeamRole.LEAD)
    return case


def assessment_saying(version: Any, due: str | None) -> Assessment:
    """A new assessment of the version whose notification finding gives `due` (what aiact
    answers once it knows when the threshold was met or known)."""
    current = version.current_assessment or services.version_assess(actor=None, version=version)
    result = copy.deepcopy(current.result)
    result["notification"]["due"] = due
    return Assessment.objects.create(
        version=version,
        facts=current.facts,
        facts_hash=current.facts_hash,
        result=result,
        rules_version=current.rules_version,
        law=current.law,
        as_of=current.as_of,
        gpai=current.gpai,
        systemic_risk_status=current.systemic_risk_status,
    )


def test_a_version_that_must_notify_is_the_providers_deadline_until_it_notifies() -> None:
    """aiact's assessment says the provider must notify (Art. 52(1)) and by when: an open
    deadline on the provider, met by the notification. The Office's assessment of the
    notification has no period in the Act and is no deadline."""
    version = registered_version(provider="Alpha AI")
    finding = services.version_assess(actor=None, version=version).result["notification"]
    # required, but aiact cannot date it before it knows when the threshold was met
    assert finding["required"] is True and finding["due"] is None
    assert open_of(version, DeadlineKind.NOTIFICATION) is None
    assessment_saying(version, "2026-12-01")
    deadline = open_of(version, DeadlineKind.NOTIFICATION)
    assert deadline is not None and deadline.due_on == date(2026, 12, 1)
    assert deadline.rules_version == load_law().rules_version
    assert deadline.reasons and deadline.citations
    assert deadline.provider_to_act and deadline.legal and deadline.owner is None
    assert deadline.provider_id == version.model.provider_id
    assert deadline.url.endswith(f"/{version.pk}/")
    notification = notify(version)
    assert state(version, DeadlineKind.NOTIFICATION) == DeadlineStatus.MET
    assert open_of(notification, DeadlineKind.NOTIFICATION) is None
    assessment_saying(version, "2026-12-01")  # notified: nothing opens again
    assert open_of(version, DeadlineKind.NOTIFICATION) is None


def test_an_assessment_that_no_longer_requires_a_notification_ends_the_deadline() -> None:
    version = registered_version(provider="Alpha AI")
    assessment_saying(version, "2026-12-01")
    assessment_saying(version, None)
    assert state(version, DeadlineKind.NOTIFICATION) == DeadlineStatus.CANCELLED


def test_a_version_below_the_threshold_has_no_notification_deadline() -> None:
    version = registered_version(provider="Alpha AI", training_compute_flop=2e24)
    assert not Deadline.objects.filter(source=clock.source_of(version)).exists()


def test_assignment_makes_the_officer_the_owner_of_the_notification_and_its_requests() -> None:
    version = registered_version(provider="Alpha AI")
    notification = notify(version)
    officer, other = make_user(Role.POLICY_OFFICER), make_user(Role.LEGAL_OFFICER)
    services.notification_assign(actor=officer, notification=notification, officer=officer)
    request = services.notification_request_information(
        actor=officer, notification=notification, questions="Why?", due_on=today() + timedelta(7)
    )
    rfi = open_of(request, DeadlineKind.REGISTRY_RFI)
    assert rfi is not None and rfi.owner == officer and rfi.provider_to_act
    assert rfi.due_on == today() + timedelta(7)
    services.notification_assign(actor=officer, notification=notification, officer=other)
    assert open_of(request, DeadlineKind.REGISTRY_RFI).owner == other  # type: ignore[union-attr]


def test_an_answered_request_is_met() -> None:
    version = registered_version(provider="Alpha AI")
    notification = notify(version)
    officer = make_user(Role.POLICY_OFFICER)
    request = services.notification_request_information(
        actor=officer, notification=notification, questions="Why?", due_on=today() + timedelta(7)
    )
    services.information_request_answer(
        actor=provider_member(version), request=request, answer="Because."
    )
    assert open_of(request, DeadlineKind.REGISTRY_RFI) is None
    assert state(request, DeadlineKind.REGISTRY_RFI) == DeadlineStatus.MET


def test_hearing_then_decision_closes_both_as_met() -> None:
    version = registered_version(provider="Alpha AI")
    notification = notify(version)
    head = make_user(Role.HEAD_OF_UNIT)
    services.notification_assign(actor=head, notification=notification, officer=head)
    hearing = services.hearing_open(
        actor=head,
        notification=notification,
        draft_reasons="Not convincing.",
        opened_on=today() - timedelta(days=40),
    )
    deadline = open_of(hearing, DeadlineKind.REGISTRY_HEARING)
    assert deadline is not None and deadline.due_on == hearing.ends_on
    assert deadline.provider_to_act and deadline.owner == head and deadline.rules_version
    services.decision_take(
        actor=head,
        kind="arguments_rejected",
        reasons="The arguments do not show it.",
        notification=notification,
    )
    assert state(hearing, DeadlineKind.REGISTRY_HEARING) == DeadlineStatus.MET
    assert not Deadline.objects.filter(status=DeadlineStatus.OPEN).exclude(
        kind__in=clock.CODE_KINDS
    )


def test_withdrawal_cancels_the_open_request() -> None:
    version = registered_version(provider="Alpha AI")
    notification = notify(version)
    officer = make_user(Role.POLICY_OFFICER)
    request = services.notification_request_information(
        actor=officer, notification=notification, questions="Why?", due_on=today() + timedelta(7)
    )
    services.notification_withdraw(
        actor=provider_member(version), notification=notification, reasons="Mistake."
    )
    assert state(request, DeadlineKind.REGISTRY_RFI) == DeadlineStatus.CANCELLED


def test_a_reassessment_request_waits_for_its_decision() -> None:
    version = registered_version(provider="Alpha AI")
    request = ReassessmentRequest.objects.create(
        version=version, requested_on=today(), reasons="New facts.", earliest=today()
    )
    deadline = open_of(request, DeadlineKind.REASSESSMENT)
    assert deadline is not None and deadline.due_on == today() and not deadline.provider_to_act
    Decision.objects.create(
        version=version,
        kind="designation_maintained",
        reasons="Still.",
        decided_on=today(),
        reassessment_request=request,
    )
    assert state(request, DeadlineKind.REASSESSMENT) == DeadlineStatus.MET


def test_a_failing_handler_never_fails_the_registrys_save(monkeypatch: Any) -> None:
    """The handler runs in a savepoint: a database error in it is rolled back to the
    savepoint and logged; the registry's transaction goes on and commits."""

    def broken(request: Any) -> None:
        Deadline.objects.create(kind="notification", source="x", title="x", due_on=None)  # type: ignore[misc]  # NOT NULL: a database error

    monkeypatch.setattr(clock, "follow_information_request", broken)
    notification = notify(registered_version(provider="Alpha AI"))
    with transaction.atomic():
        request = services.notification_request_information(
            actor=make_user(Role.POLICY_OFFICER),
            notification=notification,
            questions="Why?",
            due_on=today() + timedelta(7),
        )
        request.refresh_from_db()  # the transaction is still usable
    assert InformationRequest.objects.filter(pk=request.pk).exists()
    assert not Deadline.objects.filter(kind=DeadlineKind.REGISTRY_RFI).exists()
    monkeypatch.undo()
    report = clock.sync_all()
    assert report.rows >= 1
    assert open_of(request, DeadlineKind.REGISTRY_RFI) is not None


def test_sync_all_rebuilds_the_same_rows_and_is_idempotent() -> None:
    version = registered_version(provider="Alpha AI")
    notification = notify(version)
    officer = make_user(Role.POLICY_OFFICER)
    services.notification_assign(actor=officer, notification=notification, officer=officer)
    services.notification_request_information(
        actor=officer, notification=notification, questions="Why?", due_on=today() + timedelta(7)
    )
    columns = ("kind", "source", "due_on", "owner_id", "status", "provider_to_act", "legal")
    before = sorted(Deadline.objects.values_list(*columns))
    Deadline.objects.all().delete()
    steps: list[str] = []
    clock.sync_all(progress=lambda step, n: steps.append(step))
    assert sorted(Deadline.objects.values_list(*columns)) == before
    assert "notifications" in steps and clock.sync_total() == len(steps)
    ids = sorted(Deadline.objects.values_list("id", "due_on", "status"))
    clock.sync_all()
    assert sorted(Deadline.objects.values_list("id", "due_on", "status")) == ids


def test_moving_a_due_date_rearms_the_reminders() -> None:
    version = registered_version(provider="Alpha AI")
    assessment_saying(version, "2026-12-01")
    deadline = open_of(version, DeadlineKind.NOTIFICATION)
    assert deadline is not None
    Deadline.objects.filter(pk=deadline.pk).update(reminded_on=today())
    clock.open_deadline(
        kind=DeadlineKind.NOTIFICATION,
        source=version,
        due_on=deadline.due_on + timedelta(days=3),
        title="moved",
    )
    deadline.refresh_from_db()
    assert deadline.reminded_on is None and deadline.title == "moved"
    assert deadline.rules_version  # no answer given: what aiact said is kept


def test_reassign_case_gives_open_deadlines_to_the_lead() -> None:
    version = registered_version(provider="Alpha AI")
    first, second = make_user(Role.POLICY_OFFICER), make_user(Role.LEGAL_OFFICER)
    case = make_case(version.model.provider, lead=first)
    deadline = clock.open_deadline(
        kind=DeadlineKind.MEASURE,
        source=case,
        due_on=today(),
        title="Measure",
        case=case,
        owner=first,
    )
    closed = clock.open_deadline(
        kind=DeadlineKind.HEARING, source=case, due_on=today(), title="H", case=case, owner=first
    )
    clock.close_deadlines(source=case, kinds=[DeadlineKind.HEARING])
    CaseMember.objects.filter(case=case).update(role=TeamRole.MEMBER)
    CaseMember.objects.create(case=case, user=second, role=TeamRole.LEAD)
    assert clock.reassign_case(case) == 1
    deadline.refresh_from_db()
    closed.refresh_from_db()
    assert deadline.owner == second and closed.owner == first
    CaseMember.objects.filter(case=case, user=second).delete()
    clock.reassign_case(case)
    deadline.refresh_from_db()
    assert deadline.owner is None
