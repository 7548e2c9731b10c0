"""Case services: every procedural guard refuses with its reason, every service refuses
whoever may not take the step, and each step writes its timeline entry, audit event and
deadlines. Real database, real files, real PDF."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, organisation
from aioffice.evaluations.choices import TargetKind
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry.choices import SystemicRiskStatus
from aioffice.registry.models import ModelVersion
from aioffice.registry.testing import registered_version
from aioffice.supervision import clock
from aioffice.supervision import services_cases as services
from aioffice.supervision.choices import (
    AlertGround,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    DeadlineKind,
    DeadlineStatus,
    DecisionKind,
    IntakeKind,
    IntakeStatus,
    MeasureKind,
    MeasureStatus,
    StepKind,
    TeamRole,
)
from aioffice.supervision.models import (
    Case,
    CaseStep,
    Complaint,
    Deadline,
    Decision,
    Intake,
    PreliminaryFindings,
    QualifiedAlert,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.now(UTC).date()
BEFORE = date(2026, 8, 1)  # the day before Chapter IX and Art. 101 apply
PROVIDER = "Casebook Labs"
OTHER = "Elsewhere AI"
FACTORS = {
    "nature": "Incomplete documentation of training data.",
    "gravity": "Downstream providers could not assess the model.",
    "duration": "Four months.",
    "proportionality": "A fine well below the ceiling suffices.",
    "commitments": "No commitments under Art. 93(3); signatory of the Code.",
}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# --- builders (the end-to-end test imports them) ------------------------------------------


def staff(role: str, username: str) -> User:
    return User.objects.filter(username=username).first() or make_user(role, username)


def provider_member(version: ModelVersion, username: str = "pat") -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = make_user(None, username)
    accounts.membership_add(
        actor=None,
        user=user,
        organisation=version.model.provider.organisation,
        role=Role.ORGANISATION_MEMBER,
    )
    return user


def sr_version(provider: str = PROVIDER, label: str = "1.0") -> ModelVersion:
    version = registered_version(provider=provider, label=label)
    ModelVersion.objects.filter(pk=version.pk).update(
        systemic_risk_status=SystemicRiskStatus.PRESUMED
    )
    version.refresh_from_db()
    return version


def plain_version(provider: str = PROVIDER, label: str = "small") -> ModelVersion:
    version = registered_version(provider=provider, label=label, training_compute_flop=1e22)
    ModelVersion.objects.filter(pk=version.pk).update(
        systemic_risk_status=SystemicRiskStatus.NOT_SR
    )
    version.refresh_from_db()
    return version


def complaint_intake(version: ModelVersion, number: str = "C-2026-000001") -> Intake:
    intake = Intake.objects.create(
        kind=IntakeKind.COMPLAINT,
        tracking_number=number,
        title="Annex XII information refused",
        provider=version.model.provider,
    )
    intake.versions.add(version)
    Complaint.objects.create(
        intake=intake,
        provider_contact_point="legal@casebook.example",
        facts="Asked twice for the Annex XII information, refused.",
        provisions="Art. 53(1)(b)",
        reasons="Without it the downstream system cannot comply.",
    )
    return intake


def open_case(
    version: ModelVersion, *, lead: User | None = None, opened_on: date | None = None
) -> Case:
    return services.case_open(
        actor=lead or staff(Role.LEGAL_OFFICER, "lena"),
        provider=version.model.provider,
        title="Documentation for downstream providers",
        origin=CaseOrigin.EX_OFFICIO,
        versions=[version],
        opened_on=opened_on or TODAY - timedelta(days=80),
    )


RFI = {
    "legal_basis": "art91_1",
    "purpose": "Assess compliance with Art. 53(1)(b).",
    "information_required": "The Annex XII information and its distribution log.",
    "time_limit_days": 14,
    "fines_notice": "Incorrect, incomplete or misleading information: fines under Art. 101(1)(b).",
}


def send_rfi(case: Case, actor: User, **changes: Any) -> Any:
    return services.rfi_send(actor=actor, case=case, **{**RFI, **changes})


def send_findings(case: Case, actor: User, sent_on: date, **changes: Any) -> PreliminaryFindings:
    data: dict[str, Any] = {
        "findings": "The provider did not give the Annex XII information.",
        "measures_considered": "A fine under Art. 101(1)(a).",
        "answer_by": sent_on + timedelta(days=14),
        "sent_on": sent_on,
    }
    return services.findings_send(actor=actor, case=case, **{**data, **changes})


def fine_terms(**changes: Any) -> services.FineTerms:
    data: dict[str, Any] = {
        "ground": "infringement",
        "culpability": "negligence",
        "turnover_eur": Decimal("2000000000.00"),
        "turnover_year": TODAY.year - 1,
        "amount_eur": Decimal("1500000.00"),
        "factors": dict(FACTORS),
    }
    return services.FineTerms(**{**data, **changes})


def errors(info: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return info.value.message_dict


def actions(obj: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def upload(content: bytes = b"%PDF-1.4 answer", name: str = "answer.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def lena() -> User:
    """A legal officer: opens cases, leads them, decides."""
    return staff(Role.LEGAL_OFFICER, "lena")


@pytest.fixture
def case(lena: User) -> Case:
    return open_case(sr_version(), lead=lena)


# --- opening a case -------------------------------------------------------------------------


def test_case_open_from_a_complaint(lena: User) -> None:
    version = sr_version()
    intake = complaint_intake(version)
    case = services.case_open(
        actor=lena,
        provider=version.model.provider,
        title="Complaint on Annex XII",
        origin=CaseOrigin.COMPLAINT,
        versions=[version],
        intakes=[intake],
    )
    assert case.reference == f"CASE-{case.opened_at:%Y}-{case.pk:06d}"
    assert services.case_lead(case) == lena
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CASE_OPENED
    assert list(case.steps.values_list("kind", flat=True)) == [StepKind.OPENED]
    assert "supervision.case.created" in actions(case)
    assert "supervision.intake.case_opened" in actions(intake)


def test_case_open_refusals(lena: User) -> None:
    version = sr_version()
    provider = version.model.provider
    base: dict[str, Any] = {"actor": lena, "provider": provider, "title": "T"}
    for role in (Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR, Role.ORGANISATION_MEMBER, None):
        with pytest.raises(PermissionDenied):
            services.case_open(
                **{**base, "actor": make_user(role, f"u-{role}")}, origin=CaseOrigin.EX_OFFICIO
            )
    with pytest.raises(ValidationError) as info:
        services.case_open(**base, origin=CaseOrigin.COMPLAINT)
    assert "intakes" in errors(info)  # a complaint case needs its complaint
    with pytest.raises(ValidationError) as info:
        services.case_open(**base, origin="rumour")
    assert "origin" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.case_open(**{**base, "title": " "}, origin=CaseOrigin.EX_OFFICIO)
    assert "title" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.case_open(
            **base, origin=CaseOrigin.EX_OFFICIO, opened_on=TODAY + timedelta(days=1)
        )
    assert "after today" in errors(info)["opened_on"][0]
    other = registered_version(provider=OTHER)
    with pytest.raises(ValidationError) as info:
        services.case_open(**base, origin=CaseOrigin.EX_OFFICIO, versions=[other])
    assert "versions" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.case_open(
            **base, origin=CaseOrigin.COMPLAINT, intakes=[complaint_intake(other, "C-2")]
        )
    assert "another provider" in errors(info)["intakes"][0]
    merged_into = complaint_intake(version, "C-3")
    merged = complaint_intake(version, "C-4")
    Intake.objects.filter(pk=merged.pk).update(status=IntakeStatus.MERGED, merged_into=merged_into)
    with pytest.raises(ValidationError) as info:
        services.case_open(**base, origin=CaseOrigin.COMPLAINT, intakes=[merged])
    assert "merged" in errors(info)["intakes"][0]
    done = complaint_intake(version, "C-5")
    Intake.objects.filter(pk=done.pk).update(status=IntakeStatus.NOT_PURSUED)
    with pytest.raises(ValidationError) as info:
        services.case_open(**base, origin=CaseOrigin.COMPLAINT, intakes=[done])
    assert "no longer in triage" in errors(info)["intakes"][0]
    assert not Case.objects.exists()


def test_team_share_and_links(case: Case, lena: User) -> None:
    paul = staff(Role.POLICY_OFFICER, "paul")
    tess = staff(Role.TECHNICAL_OFFICER, "tess")
    outsider = staff(Role.POLICY_OFFICER, "otto")
    with pytest.raises(PermissionDenied):
        services.case_team_add(actor=outsider, case=case, user=paul)
    services.case_team_add(actor=lena, case=case, user=tess)
    with pytest.raises(PermissionDenied):  # a member who is not the lead
        services.case_team_add(actor=tess, case=case, user=paul)
    with pytest.raises(ValidationError) as info:
        services.case_team_add(actor=lena, case=case, user=tess)
    assert "already on the team" in errors(info)["user"][0]
    with pytest.raises(ValidationError) as info:
        services.case_team_add(actor=lena, case=case, user=make_user(None, "nobody"))
    assert "user" in errors(info)
    with pytest.raises(ValidationError):
        services.case_team_add(actor=lena, case=case, user=paul, role="boss")
    rfi = send_rfi(case, lena)
    deadline = Deadline.objects.get(source=clock.source_of(rfi))
    assert deadline.owner == lena
    services.case_team_add(actor=lena, case=case, user=paul, role=TeamRole.LEAD)
    assert services.case_lead(case) == paul
    deadline.refresh_from_db()
    assert deadline.owner == paul  # the deadlines follow the lead
    with pytest.raises(ValidationError) as info:
        services.case_team_remove(actor=paul, case=case, user=paul)
    assert "lead" in errors(info)["user"][0]
    services.case_team_remove(actor=paul, case=case, user=tess)
    with pytest.raises(ValidationError):
        services.case_team_remove(actor=paul, case=case, user=tess)
    with pytest.raises(PermissionDenied):
        services.case_team_remove(actor=outsider, case=case, user=lena)

    authority = organisation(OrganisationKind.NATIONAL_AUTHORITY, "Autorité")
    with pytest.raises(PermissionDenied):
        services.case_share(actor=lena, case=case, authority=authority, reason="r")  # no lead
    with pytest.raises(ValidationError) as info:
        services.case_share(
            actor=paul,
            case=case,
            authority=organisation(OrganisationKind.GPAI_PROVIDER, "Rival"),
            reason="r",
        )
    assert "authority" in errors(info)
    with pytest.raises(ValidationError):
        services.case_share(actor=paul, case=case, authority=authority, reason=" ")
    share = services.case_share(actor=paul, case=case, authority=authority, reason="Art. 75(2)")
    with pytest.raises(ValidationError):
        services.case_share(actor=paul, case=case, authority=authority, reason="again")
    with pytest.raises(PermissionDenied):
        services.case_share_revoke(actor=lena, share=share)
    services.case_share_revoke(actor=paul, share=share)
    with pytest.raises(ValidationError):
        services.case_share_revoke(actor=paul, share=share)

    intake = complaint_intake(case.versions.get(), "C-9")
    with pytest.raises(PermissionDenied):
        services.case_link_intake(actor=outsider, case=case, intake=intake)
    services.case_link_intake(actor=lena, case=case, intake=intake)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CASE_OPENED
    with pytest.raises(ValidationError):
        services.case_link_intake(actor=lena, case=case, intake=intake)
    skipped = complaint_intake(case.versions.get(), "C-10")
    Intake.objects.filter(pk=skipped.pk).update(status=IntakeStatus.NOT_PURSUED)
    with pytest.raises(ValidationError):
        services.case_link_intake(actor=lena, case=case, intake=skipped)
    kinds = list(case.steps.values_list("kind", flat=True))
    for kind in (StepKind.TEAM_CHANGED, StepKind.SHARED, StepKind.SHARE_REVOKED):
        assert kind in kinds
    assert kinds[-1] == StepKind.INTAKE_LINKED


# --- requests for information -------------------------------------------------------------


def test_rfi_refused_without_legal_basis_and_before_2_august_2026(case: Case, lena: User) -> None:
    with pytest.raises(ValidationError) as info:
        send_rfi(case, lena, legal_basis="")
    assert "legal basis" in errors(info)["legal_basis"][0]
    for field in ("purpose", "information_required", "fines_notice"):
        with pytest.raises(ValidationError) as info:
            send_rfi(case, lena, **{field: ""})
        assert field in errors(info)
    with pytest.raises(ValidationError) as info:
        send_rfi(case, lena, time_limit_days=0)
    assert "time_limit_days" in errors(info)
    with pytest.raises(ValidationError) as info:
        send_rfi(case, lena, legal_basis="art91_3")
    assert "panel_request" in errors(info)
    with pytest.raises(ValidationError) as info:
        send_rfi(case, lena, sent_on=BEFORE)
    assert errors(info)["sent_on"] == [
        "A request for information under Art. 91 applies from 2 August 2026 (2026-08-02); "
        "this step is dated 2026-08-01."
    ]
    assert not case.information_requests.exists()
    request = send_rfi(case, lena, sent_on=date(2026, 8, 2))
    assert request.due_on == date(2026, 8, 16)


def test_rfi_answer_by_the_provider_only_late_flagged(case: Case, lena: User) -> None:
    version = case.versions.get()
    request = send_rfi(case, lena, sent_on=TODAY - timedelta(days=20))
    deadline = Deadline.objects.get(source=clock.source_of(request), kind=DeadlineKind.RFI_ANSWER)
    assert (deadline.status, deadline.provider_to_act, deadline.provider) == (
        DeadlineStatus.OPEN,
        True,
        case.provider,
    )
    assert deadline.reasons and deadline.rules_version
    for who in (lena, provider_member(registered_version(provider=OTHER), "rival")):
        with pytest.raises(PermissionDenied):
            services.rfi_answer(actor=who, request=request, answer="a")
    pat = provider_member(version)
    with pytest.raises(ValidationError) as info:
        services.rfi_answer(actor=pat, request=request, answer=" ")
    assert "answer" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.rfi_answer(
            actor=pat, request=request, answer="a", answered_on=TODAY - timedelta(days=30)
        )
    assert "answered_on" in errors(info)
    services.rfi_answer(actor=pat, request=request, answer="Here it is.", files=[upload()])
    request.refresh_from_db()
    assert request.late is True and request.answered_by == pat
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    with pytest.raises(ValidationError):
        services.rfi_answer(actor=pat, request=request, answer="again")


# --- evaluations --------------------------------------------------------------------------


def test_evaluation_guards(case: Case, lena: User) -> None:
    base: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "ground": "insufficient_information",
        "board_consulted_on": TODAY - timedelta(days=5),
        "board_consultation": "Written procedure.",
    }
    with pytest.raises(ValidationError) as info:
        services.evaluation_open(**base)
    assert "Art. 91" in errors(info)["ground"][0]  # no answered request yet
    with pytest.raises(ValidationError) as info:
        services.evaluation_open(**{**base, "board_consulted_on": None})
    assert "board_consulted_on" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.evaluation_open(**{**base, "board_consultation": ""})
    assert "board_consultation" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.evaluation_open(**{**base, "ground": "systemic_risk"}, opened_on=BEFORE)
    assert "2 August 2026" in errors(info)["opened_on"][0]
    with pytest.raises(PermissionDenied):
        services.evaluation_open(**{**base, "actor": staff(Role.HEAD_OF_UNIT, "hugo")})
    evaluation = services.evaluation_open(**{**base, "ground": "systemic_risk"})
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds[-2:] == [StepKind.BOARD_CONSULTED, StepKind.EVALUATION_OPENED]

    plain = open_case(plain_version(), lead=lena)
    with pytest.raises(ValidationError) as info:
        services.evaluation_open(**{**base, "case": plain, "ground": "systemic_risk"})
    assert "systemic risk" in errors(info)["ground"][0]

    access: dict[str, Any] = {
        "legal_basis": "Art. 92(3)",
        "purpose": "Evaluate the systemic risks.",
        "reasons": "Qualified alert.",
        "means": "API access without rate limits.",
        "time_limit_days": 10,
        "fines_notice": "Art. 101(1)(d).",
    }
    with pytest.raises(ValidationError) as info:
        services.evaluation_access_granted(actor=lena, evaluation=evaluation)
    assert "evaluation" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.evaluation_request_access(
            actor=lena, evaluation=evaluation, **{**access, "means": ""}
        )
    assert "means" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.evaluation_request_access(
            actor=lena, evaluation=evaluation, **access, requested_on=TODAY - timedelta(days=90)
        )
    assert "requested_on" in errors(info)  # before the evaluation opened
    services.evaluation_request_access(actor=lena, evaluation=evaluation, **access)
    assert Deadline.objects.get(
        source=clock.source_of(evaluation), kind=DeadlineKind.ACCESS
    ).due_on == TODAY + timedelta(days=10)

    expert: dict[str, Any] = {
        "name": "Dr Ada Example",
        "affiliation": "University",
        "from_scientific_panel": True,
        "declaration_of_interests": "No interests in AI providers.",
        "declared_on": TODAY - timedelta(days=2),
        "conflict_of_interest": True,
    }
    with pytest.raises(ValidationError) as info:
        services.expert_appoint(actor=lena, evaluation=evaluation, **expert)
    assert "not independent" in errors(info)["conflict_of_interest"][0]
    with pytest.raises(ValidationError) as info:
        services.expert_appoint(
            actor=lena,
            evaluation=evaluation,
            **{**expert, "conflict_of_interest": False, "declaration_of_interests": ""},
        )
    assert "declaration_of_interests" in errors(info)
    assert not evaluation.experts.exists()

    rival_run = _run(registered_version(provider=OTHER, label="r"), lena)
    with pytest.raises(ValidationError) as info:
        services.evaluation_link_run(actor=lena, evaluation=evaluation, run=rival_run)
    assert "run" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.evaluation_record_findings(
            actor=lena, evaluation=evaluation, findings=" ", serious_concern=True
        )
    assert "findings" in errors(info)


def _run(version: ModelVersion, actor: User) -> EvaluationRun:
    target = EvaluationTarget.objects.create(
        version=version, name=f"mock-{version.pk}", kind=TargetKind.MOCK, created_by=actor
    )
    return EvaluationRun.objects.create(version=version, target=target, tasks=["mmlu"])


# --- measures, commitments, hearing -------------------------------------------------------


def test_mitigation_measure_needs_an_evaluation_showing_serious_concern(
    case: Case, lena: User
) -> None:
    findings = send_findings(case, lena, TODAY - timedelta(days=30))
    assert services.heard(findings, TODAY)
    evaluation = services.evaluation_open(
        actor=lena,
        case=case,
        ground="systemic_risk",
        board_consulted_on=TODAY - timedelta(days=40),
        board_consultation="Board meeting.",
        opened_on=TODAY - timedelta(days=35),
    )
    data: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": MeasureKind.MITIGATION,
        "description": "Add refusal training.",
        "grounds": "Serious concern of systemic risk.",
        "due_on": TODAY + timedelta(days=30),
        "evaluation": evaluation,
    }
    with pytest.raises(ValidationError) as info:
        services.measure_request(**data)
    assert "serious and substantiated concern" in errors(info)["evaluation"][0]
    with pytest.raises(ValidationError) as info:
        services.measure_request(**{**data, "evaluation": None})
    assert "evaluation" in errors(info)
    services.evaluation_record_findings(
        actor=lena, evaluation=evaluation, findings="Uplift found.", serious_concern=True
    )
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.measure_request(**data, requested_on=BEFORE)
    assert "2 August 2026" in errors(info)["requested_on"][0]
    with pytest.raises(ValidationError) as info:
        services.measure_request(**{**data, "due_on": TODAY})
    assert "due_on" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.measure_request(**{**data, "kind": "ban"})
    assert "kind" in errors(info)
    measure = services.measure_request(**data)
    deadline = Deadline.objects.get(source=clock.source_of(measure))
    assert (deadline.kind, deadline.due_on, deadline.provider_to_act) == (
        DeadlineKind.MEASURE,
        TODAY + timedelta(days=30),
        True,
    )
    with pytest.raises(ValidationError) as info:
        services.measure_follow_up(
            actor=lena, measure=measure, status=MeasureStatus.REQUESTED, follow_up="x"
        )
    assert "status" in errors(info)
    services.measure_follow_up(
        actor=lena, measure=measure, status=MeasureStatus.COMPLIED, follow_up="Done."
    )
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    withdrawn = services.measure_request(**{**data, "kind": MeasureKind.COMPLIANCE})
    services.measure_follow_up(
        actor=lena, measure=withdrawn, status=MeasureStatus.WITHDRAWN, follow_up="Not needed."
    )
    assert (
        Deadline.objects.get(source=clock.source_of(withdrawn)).status == DeadlineStatus.CANCELLED
    )


def test_measure_without_a_hearing_is_refused_unless_urgent(case: Case, lena: User) -> None:
    data: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": MeasureKind.RECALL,
        "description": "Recall the model.",
        "grounds": "Imminent risk.",
        "due_on": TODAY + timedelta(days=3),
    }
    with pytest.raises(ValidationError) as info:
        services.measure_request(**data)
    assert "heard before a measure" in errors(info)[NON_FIELD_ERRORS][0]
    send_findings(
        case,
        lena,
        TODAY,
        answer_by=TODAY + timedelta(days=2),
        urgent=True,
        urgency_grounds="Imminent risk to health.",
    )
    assert services.measure_request(**data).kind == MeasureKind.RECALL


def test_hearing_under_ten_working_days_without_urgency_is_refused(case: Case, lena: User) -> None:
    sent = date(2026, 11, 20)  # a Friday: ten working days run to 4 December
    with pytest.raises(ValidationError) as info:
        send_findings(case, lena, sent, answer_by=date(2026, 12, 3))
    assert errors(info)["answer_by"] == [
        "The provider has at least ten working days to be heard: observations may be due on "
        "2026-12-04 at the earliest, unless urgency is recorded with its grounds."
    ]
    with pytest.raises(ValidationError) as info:
        send_findings(case, lena, sent, answer_by=date(2026, 12, 3), urgent=True)
    assert "urgency_grounds" in errors(info)
    with pytest.raises(ValidationError) as info:
        send_findings(case, lena, BEFORE)
    assert "Art. 94 applies from 2 August 2026" in errors(info)["sent_on"][0]
    for field in ("findings", "measures_considered"):
        with pytest.raises(ValidationError) as info:
            send_findings(case, lena, sent, **{field: ""})
        assert field in errors(info)
    urgent = send_findings(
        case, lena, sent, answer_by=date(2026, 11, 25), urgent=True, urgency_grounds="Harm."
    )
    assert urgent.minimum_period_ends == date(2026, 12, 4)
    findings = send_findings(case, lena, sent, answer_by=date(2026, 12, 4))
    assert Deadline.objects.get(source=clock.source_of(findings)).kind == DeadlineKind.HEARING
    pat = provider_member(case.versions.get())
    with pytest.raises(PermissionDenied):
        services.findings_observe(actor=lena, findings=findings, observations="x")
    with pytest.raises(ValidationError) as info:
        services.findings_observe(actor=pat, findings=findings, observations="")
    assert "observations" in errors(info)
    services.findings_observe(actor=pat, findings=findings, observations="We disagree.")
    with pytest.raises(ValidationError):
        services.findings_observe(actor=pat, findings=findings, observations="again")
    assert Deadline.objects.get(source=clock.source_of(findings)).status == DeadlineStatus.MET


def test_commitments_by_a_provider_without_a_systemic_risk_model_are_refused(
    lena: User,
) -> None:
    plain = open_case(plain_version(), lead=lena)
    meeting = services.dialogue_record(
        actor=lena,
        case=plain,
        held_on=TODAY - timedelta(days=3),
        purpose="Mitigations",
        attendees="Office; provider",
        notes="Commitments discussed.",
    )
    with pytest.raises(ValidationError) as info:
        services.commitments_record(actor=lena, case=plain, meeting=meeting, text="We commit.")
    assert "model with systemic risk" in errors(info)["case"][0]

    case = open_case(sr_version(label="2.0"), lead=lena)
    with pytest.raises(ValidationError) as info:  # the meeting of another case
        services.commitments_record(actor=lena, case=case, meeting=meeting, text="We commit.")
    assert "structured dialogue" in errors(info)["meeting"][0]
    own = services.dialogue_record(
        actor=lena,
        case=case,
        held_on=TODAY - timedelta(days=2),
        purpose="Mitigations",
        attendees="Office; provider",
        notes="Offered.",
    )
    with pytest.raises(ValidationError) as info:
        services.commitments_record(actor=lena, case=case, meeting=own, text=" ")
    assert "text" in errors(info)
    commitment = services.commitments_record(actor=lena, case=case, meeting=own, text="We commit.")
    assert commitment.case == case
    with pytest.raises(ValidationError) as info:
        services.dialogue_record(
            actor=lena, case=case, held_on=BEFORE, purpose="p", attendees="a", notes="n"
        )
    assert "Art. 91 applies from 2 August 2026" in errors(info)["held_on"][0]
    with pytest.raises(ValidationError) as info:
        services.dialogue_record(
            actor=lena, case=case, held_on=TODAY, purpose="p", attendees="", notes="n"
        )
    assert "attendees" in errors(info)


# --- decisions ----------------------------------------------------------------------------


def test_fine_without_a_hearing_is_refused(case: Case, lena: User) -> None:
    hugo = staff(Role.HEAD_OF_UNIT, "hugo")
    data: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": DecisionKind.FINE,
        "reasons": "Negligent infringement of Art. 53(1)(b).",
        "remedies": "An action before the Court of Justice within two months.",
        "fine": fine_terms(),
    }
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**data)
    assert errors(info)["findings"] == [
        "There is no fine decision without preliminary findings and a hearing (Art. 101(2))."
    ]
    findings = send_findings(case, lena, TODAY - timedelta(days=3))  # period still running
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**data, findings=findings)
    assert "findings" in errors(info)
    with pytest.raises(PermissionDenied):  # a head of unit not on the team
        services.decision_adopt(**{**data, "actor": hugo})
    services.case_team_add(actor=lena, case=case, user=staff(Role.POLICY_OFFICER, "paul"))
    with pytest.raises(PermissionDenied):  # a policy officer on the team does not decide
        services.decision_adopt(**{**data, "actor": staff(Role.POLICY_OFFICER, "paul")})
    assert not Decision.objects.exists()


def test_fine_terms_are_checked(case: Case, lena: User) -> None:
    findings = send_findings(case, lena, TODAY - timedelta(days=40))
    base: dict[str, Any] = {
        "actor": lena,
        "case": case,
        "kind": DecisionKind.FINE,
        "reasons": "r",
        "remedies": "CJEU",
        "findings": findings,
    }
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**base, fine=fine_terms(amount_eur=Decimal("60000000.01")))
    assert "ceiling of EUR 60000000.00" in errors(info)["amount_eur"][0]
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**base, fine=fine_terms(factors={"nature": "x"}))
    assert "not weighed: its gravity" in errors(info)["factors"][0]
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**base, fine=fine_terms(turnover_year=TODAY.year))
    assert "turnover_year" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**base, fine=fine_terms(), adopted_on=BEFORE)
    assert "Art. 101 applies from 2 August 2026" in errors(info)["adopted_on"][0]
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**base)
    assert "fine" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**{**base, "kind": DecisionKind.MEASURES})
    assert "measures" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**{**base, "kind": DecisionKind.COMMITMENTS_BINDING})
    assert "commitment" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**{**base, "kind": "warning"})
    assert "kind" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**{**base, "kind": DecisionKind.NO_GROUNDS, "reasons": " "})
    assert "reasons" in errors(info)
    other = open_case(sr_version(label="3.0"), lead=lena)
    with pytest.raises(ValidationError) as info:
        services.decision_adopt(**{**base, "case": other}, fine=fine_terms())
    assert "another case" in errors(info)["findings"][0]
    assert not Decision.objects.exists()
    decision = services.decision_adopt(**base, fine=fine_terms(amount_eur=Decimal("60000000")))
    assert decision.fine.amount_eur == decision.fine.ceiling_eur == Decimal("60000000.00")
    with decision.document.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == decision.sha256


def _streams_inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) appended, inflated."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:  # not a Flate stream (an image, a font): nothing to read in it
            continue
    return b"".join(inflated)


def test_the_decision_document_is_a_tagged_pdf(case: Case, lena: User) -> None:
    """PDF/UA-1 (EN 301 549 clause 10): a structure tree that screen readers follow, marked
    as tagged, with the document's language and its title shown."""
    decision = services.decision_adopt(
        actor=lena,
        case=case,
        kind=DecisionKind.NO_GROUNDS,
        reasons="The documentation was complete.",
        remedies="An action before the Court of Justice.",
    )
    with decision.document.open("rb") as handle:
        pdf = _streams_inflated(handle.read())
    for mark in (b"/StructTreeRoot", b"/MarkInfo", b"pdfuaid:part", b"/Lang", b"/DisplayDocTitle"):
        assert mark in pdf, mark


def test_no_grounds_decision_needs_no_hearing_and_closing(case: Case, lena: User) -> None:
    decision = services.decision_adopt(
        actor=lena,
        case=case,
        kind=DecisionKind.NO_GROUNDS,
        reasons="The documentation was complete.",
        remedies="An action before the Court of Justice.",
    )
    assert decision.document.name.endswith(".pdf") and decision.size > 1000
    assert not hasattr(decision, "fine")
    step = case.steps.get(kind=StepKind.DECISION)
    assert not step.visible_to_provider and step.rules_version and step.reasons
    with pytest.raises(ValidationError):
        services.decision_notify(actor=lena, decision=decision, notified_on=BEFORE)
    with pytest.raises(PermissionDenied):
        services.decision_notify(actor=staff(Role.POLICY_OFFICER, "otto"), decision=decision)
    services.decision_notify(actor=lena, decision=decision)
    step.refresh_from_db()
    assert step.visible_to_provider
    with pytest.raises(ValidationError):
        services.decision_notify(actor=lena, decision=decision)
    request = send_rfi(case, lena)
    with pytest.raises(ValidationError) as info:
        services.case_close(actor=lena, case=case, outcome=CaseOutcome.FINED, reasons="r")
    assert "outcome" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.case_close(actor=lena, case=case, outcome=CaseOutcome.NO_INFRINGEMENT, reasons="")
    assert "reasons" in errors(info)
    with pytest.raises(ValidationError):
        services.case_close(actor=lena, case=case, outcome="won", reasons="r")
    with pytest.raises(PermissionDenied):
        services.case_close(
            actor=staff(Role.HEAD_OF_UNIT, "hugo"),
            case=case,
            outcome=CaseOutcome.NO_INFRINGEMENT,
            reasons="r",
        )
    services.case_close(
        actor=lena, case=case, outcome=CaseOutcome.NO_INFRINGEMENT, reasons="Complete."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY
    assert Deadline.objects.get(source=clock.source_of(request)).status == (
        DeadlineStatus.CANCELLED
    )
    with pytest.raises(ValidationError) as info:
        send_rfi(case, lena)
    assert "closed" in errors(info)["case"][0]


def test_documents_of_the_case_file(case: Case, lena: User) -> None:
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=staff(Role.POLICY_OFFICER, "otto"), case=case, upload=upload(), title="t"
        )
    first = services.document_add(
        actor=lena, case=case, upload=upload(b"v1"), title="Note", visible_to_provider=False
    )
    second = services.document_add(
        actor=lena, case=case, upload=upload(b"v2"), title="Note", supersedes=first
    )
    assert (second.version, second.sha256) == (2, hashlib.sha256(b"v2").hexdigest())
    assert CaseStep.objects.filter(case=case, kind=StepKind.DOCUMENT_ADDED).count() == 2
    with pytest.raises(ValidationError):
        services.document_add(actor=lena, case=case, upload=upload(b""), title="empty")


@pytest.mark.parametrize(
    "role",
    [
        Role.POLICY_OFFICER,
        Role.HEAD_OF_UNIT,
        Role.NATIONAL_AUTHORITY_MEMBER,
        Role.ORGANISATION_MEMBER,
        Role.SCIENTIFIC_PANEL_MEMBER,
        None,
    ],
)
def test_no_step_for_anyone_off_the_team(case: Case, role: str | None) -> None:
    someone = make_user(role, f"someone-{role}")
    findings = PreliminaryFindings(case=case)
    steps: list[Callable[[], object]] = [
        lambda: send_rfi(case, someone),
        lambda: services.dialogue_record(
            actor=someone, case=case, held_on=TODAY, purpose="p", attendees="a", notes="n"
        ),
        lambda: services.evaluation_open(
            actor=someone,
            case=case,
            ground="systemic_risk",
            board_consulted_on=TODAY,
            board_consultation="b",
        ),
        lambda: send_findings(case, someone, TODAY),
        lambda: services.measure_request(
            actor=someone,
            case=case,
            kind="compliance",
            description="d",
            grounds="g",
            due_on=TODAY + timedelta(days=9),
        ),
        lambda: services.decision_adopt(
            actor=someone, case=case, kind="no_grounds", reasons="r", remedies="r"
        ),
        lambda: services.case_close(actor=someone, case=case, outcome="complied", reasons="r"),
        lambda: services.case_team_add(actor=someone, case=case, user=someone),
        lambda: services.findings_observe(actor=someone, findings=findings, observations="o"),
    ]
    for step in steps:
        if role == Role.HEAD_OF_UNIT and step is steps[7]:
            continue  # a head of unit manages any case's team
        with pytest.raises(PermissionDenied):
            step()
    assert case.steps.count() == 1


def test_after_a_qualified_alert_the_board_is_informed_first(lena: User) -> None:
    """Art. 90(2): on a case opened from a qualified alert, the Office's powers (here a
    request for information) wait until the Board is informed of the alert."""
    version = sr_version()
    intake = Intake.objects.create(
        kind=IntakeKind.ALERT,
        tracking_number="A-2026-000001",
        title="Concrete risk at Union level",
        provider=version.model.provider,
    )
    QualifiedAlert.objects.create(
        intake=intake,
        ground=AlertGround.UNION_RISK,
        provider_contact_point="safety@casebook.example",
        facts="The model gives working synthesis routes.",
        reasons="Uplift shown in the panel's own tests.",
    )
    case = services.case_open(
        actor=lena,
        provider=version.model.provider,
        title="Alert on synthesis routes",
        origin=CaseOrigin.ALERT,
        versions=[version],
        intakes=[intake],
        opened_on=TODAY - timedelta(days=10),
    )
    with pytest.raises(ValidationError) as refused:
        send_rfi(case, lena)
    assert "Art. 90(2)" in " ".join(errors(refused)["board_informed"])
    assert not case.information_requests.exists()
    QualifiedAlert.objects.filter(intake=intake).update(board_informed_on=TODAY)
    request = send_rfi(case, lena)
    assert request.case_id == case.pk
