"""Cases: the procedural steps of the Office's enforcement against GPAI providers, from the
opening of a case to its closure (Arts 91 to 94 and 101).

Each step is one function, one transaction: it checks who acts (`permissions`; refused
with `PermissionDenied`), asks aiact whether the step may be taken
(`aiact.procedure_check`; refused with a `ValidationError` naming the field), writes the
rows, one `CaseStep` of the timeline with aiact's rules version, reasons and citations,
the audit event, and opens or closes the deadlines of the one clock (`clock`).

Dates of steps are today by default, may be entered late (a past day), never a day to
come. The provider's own steps (answers to requests, observations on preliminary findings)
are taken by people who act for it (`permissions.acts_for_provider`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from aiact import FINE_FACTORS, ProcedureCheck, gpai_fine_ceiling, load_law, procedure_check
from aioffice.accounts.choices import OrganisationKind
from aioffice.core import audit
from aioffice.core.dates import step_date
from aioffice.core.files import removed_on_failure, store_checked
from aioffice.registry.choices import PUBLIC_LIST_STATUSES
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision import clock, decisions, evidence, permissions
from aioffice.supervision.choices import (
    OPEN_INTAKE_STATUSES,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    Culpability,
    DeadlineKind,
    DeadlineStatus,
    DecisionKind,
    FineGround,
    IntakeKind,
    IntakeStatus,
    MeasureKind,
    MeasureStatus,
    StepKind,
    TeamRole,
)
from aioffice.supervision.models import (
    Art92Evaluation,
    Case,
    CaseMember,
    CaseShare,
    CaseStep,
    Commitment,
    Deadline,
    Decision,
    DialogueMeeting,
    Document,
    Expert,
    Fine,
    InformationRequest,
    Intake,
    Measure,
    PreliminaryFindings,
)

__all__ = [
    "FineTerms",
    "case_close",
    "case_lead",
    "case_link_intake",
    "case_open",
    "case_share",
    "case_share_revoke",
    "case_team_add",
    "case_team_remove",
    "commitments_record",
    "decision_adopt",
    "decision_notify",
    "dialogue_record",
    "document_add",
    "evaluation_access_granted",
    "evaluation_link_run",
    "evaluation_open",
    "evaluation_record_findings",
    "evaluation_request_access",
    "expert_appoint",
    "findings_observe",
    "findings_send",
    "heard",
    "measure_follow_up",
    "measure_request",
    "rfi_answer",
    "rfi_send",
]


@dataclass(frozen=True, slots=True)
class FineTerms:
    """The terms of a fine under Art. 101: the ground (a)-(d), intent or negligence, the
    provider's worldwide turnover of the preceding financial year and that year, the
    amount, and the factors weighed (keys: aiact's FINE_FACTORS)."""

    ground: str
    culpability: str
    turnover_eur: Decimal
    turnover_year: int
    amount_eur: Decimal
    factors: dict[str, str]


# --- shared ------------------------------------------------------------------------------


def _today() -> date:
    """The Office's current day (UTC): the one place the case services read the clock."""
    return timezone.now().date()


def _day(day: date | None, field: str) -> date:
    """Today by default, a past day when entered late, never a day still to come."""
    return step_date(day, field, today=_today())


def _text(value: str | None, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"{what} is required."})
    return text


def _check(
    step: str,
    facts: Mapping[str, object],
    *,
    on: date,
    fields: Mapping[str, str] | None = None,
    known: Iterable[str] = (),
) -> ProcedureCheck:
    """aiact's check of a step; its problems refuse it, each under the service's name for
    the field (`fields` renames aiact's keys; a key the service does not have and that is
    not in `known` goes to the form as a whole)."""
    result = procedure_check(step, facts, on=on, law=load_law())
    if result.problems:
        raise ValidationError(_errors(result, fields or {}, known))
    return result


def _errors(
    result: ProcedureCheck, fields: Mapping[str, str], known: Iterable[str]
) -> dict[str, list[str]]:
    # "board_informed" (Art. 90(2)) concerns the case, not a field of the step: it keeps its
    # name so that the page and the API can say what to record
    allowed = set(known) | set(fields.values()) | {"board_informed"}
    errors: dict[str, list[str]] = {}
    for key, message in result.problems:
        name = fields.get(key, key)
        if name not in allowed:
            name = NON_FIELD_ERRORS
        errors.setdefault(name, []).append(message)
    return errors


def _answer(*checks: ProcedureCheck) -> dict[str, Any]:
    """What the rows of a step keep of aiact's answers."""
    reasons: list[str] = []
    citations: list[str] = []
    for check in checks:
        reasons.extend(check.reasons)
        citations.extend(c for c in check.citations if c not in citations)
    return {
        "rules_version": checks[0].rules_version if checks else "",
        "reasons": reasons,
        "citations": citations,
    }


def _subject(obj: models.Model) -> str:
    return f"{obj._meta.model_name}:{obj.pk}"


def _step(
    *,
    case: Case,
    kind: str,
    on: date,
    actor: Any,
    summary: str,
    subject: models.Model | None = None,
    visible: bool = False,
    checks: Sequence[ProcedureCheck] = (),
) -> CaseStep:
    answer = _answer(*checks)
    return CaseStep.objects.create(
        case=case,
        kind=kind,
        occurred_on=on,
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary,
        subject="" if subject is None else _subject(subject),
        visible_to_provider=visible,
        rules_version=answer["rules_version"],
        reasons=answer["reasons"],
        citations=answer["citations"],
    )


def case_lead(case: Case) -> Any:
    """The case's lead (the owner of its deadlines), or None."""
    member = CaseMember.objects.filter(case=case, role=TeamRole.LEAD).select_related("user").first()
    return None if member is None else member.user


def _reassign(case: Case) -> None:
    reassign = getattr(clock, "reassign_case", None)
    if reassign is not None:
        reassign(case)


def _locked(case: Case) -> Case:
    """The case, locked for the step; a closed case takes no more steps."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.OPEN:
        raise ValidationError({"case": f"Case {locked.reference} is closed."})
    return locked


def _on_team(actor: Any, case: Case) -> None:
    if not permissions.is_on_team(actor, case):
        raise PermissionDenied("Only the case's team takes its steps.")


def _for_provider(actor: Any, case: Case) -> None:
    if not permissions.acts_for_provider(actor, case.provider):
        raise PermissionDenied("Only the provider concerned answers.")


def _not_before(day: date, earliest: date, field: str, what: str) -> None:
    if day < earliest:
        raise ValidationError({field: f"This date is before {what} ({earliest})."})


def _systemic_risk(case: Case) -> bool:
    """A model of the case (or, when the case names none, of its provider) is classified
    with systemic risk (presumed, confirmed or designated)."""
    versions = case.versions.all()
    if not versions.exists():
        versions = ModelVersion.objects.filter(model__provider=case.provider)
    return versions.filter(systemic_risk_status__in=PUBLIC_LIST_STATUSES).exists()


def heard(findings: PreliminaryFindings | None, on: date) -> bool:
    """The provider has been heard on these findings on `on`: its observations are in, or
    the period to make them has run out."""
    if findings is None:
        return False
    return findings.observed_on is not None or on > findings.answer_by


def _alert_facts(case: Case) -> dict[str, bool]:
    """Whether the case rests on a qualified alert, and whether the Board was informed of
    every such alert (Art. 90(2); aiact refuses the Office's powers before that)."""
    alerts = case.intakes.filter(kind=IntakeKind.ALERT)
    return {
        "after_alert": alerts.exists(),
        "board_informed": not alerts.filter(alert__board_informed_on__isnull=True).exists(),
    }


def _deadline_owner(case: Case) -> Any:
    return case_lead(case)


def _provider_deadline(
    case: Case, *, kind: str, source: Any, due_on: date, title: str, check: ProcedureCheck
) -> None:
    """Open the deadline of a step that waits on the provider: the case lead answers for it,
    aiact's check is what it rests on."""
    clock.open_deadline(
        kind=kind,
        source=source,
        due_on=due_on,
        title=title,
        case=case,
        provider=case.provider,
        owner=_deadline_owner(case),
        provider_to_act=True,
        answer=_answer(check),
    )


# --- the case and its team ----------------------------------------------------------------


_INTAKE_ORIGINS = {
    CaseOrigin.COMPLAINT: IntakeKind.COMPLAINT,
    CaseOrigin.ALERT: IntakeKind.ALERT,
    CaseOrigin.INCIDENT: IntakeKind.INCIDENT,
    CaseOrigin.WHISTLEBLOWER: IntakeKind.WHISTLEBLOWER,
}


def _check_intake(intake: Intake, provider: Provider, field: str) -> None:
    if intake.status == IntakeStatus.MERGED:
        raise ValidationError(
            {field: f"Report {intake.tracking_number} was merged into another report."}
        )
    if intake.provider_id is not None and intake.provider_id != provider.pk:
        raise ValidationError(
            {field: f"Report {intake.tracking_number} concerns another provider."}
        )


def case_open(
    *,
    actor: Any,
    provider: Provider,
    title: str,
    origin: str,
    versions: Iterable[ModelVersion] = (),
    intakes: Iterable[Intake] = (),
    summary: str = "",
    opened_on: date | None = None,
) -> Case:
    """Open a case on a provider (and some of its versions), from reports in the triage
    queue or ex officio; the opener leads it. The reports move to "case opened"."""
    if not permissions.may_open_cases(actor):
        raise PermissionDenied("Only policy officers, legal officers and heads of unit open cases.")
    day = _day(opened_on, "opened_on")
    title = _text(title, "title", "A title")
    if origin not in CaseOrigin.values:
        raise ValidationError({"origin": f"Choose one of {', '.join(CaseOrigin.values)}."})
    versions = list(versions)
    if any(v.model.provider_id != provider.pk for v in versions):
        raise ValidationError({"versions": "Every model version is the provider's own."})
    wanted = [i.pk for i in intakes]
    with transaction.atomic():
        found = list(Intake.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        for intake in found:
            _check_intake(intake, provider, "intakes")
            if intake.status not in OPEN_INTAKE_STATUSES:
                raise ValidationError(
                    {
                        "intakes": f"Report {intake.tracking_number} is no longer in triage "
                        f"({intake.get_status_display()})."
                    }
                )
        kind = _INTAKE_ORIGINS.get(origin)  # type: ignore[call-overload]
        if kind is not None and not any(i.kind == kind for i in found):
            raise ValidationError(
                {"intakes": f"A case with origin {origin} is opened from such a report."}
            )
        case = Case.objects.create(
            reference=f"CASE-pending-{uuid.uuid4().hex[:10]}",
            title=title,
            provider=provider,
            origin=origin,
            summary=(summary or "").strip(),
            opened_by=actor,
            opened_on=day,
        )
        case.reference = f"CASE-{case.opened_at:%Y}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        case.versions.set(versions)
        case.intakes.set(found)
        CaseMember.objects.create(case=case, user=actor, role=TeamRole.LEAD)
        for intake in found:
            before = intake.status
            intake.status = IntakeStatus.CASE_OPENED
            intake.save(update_fields=["status"])
            clock.close_deadlines(source=intake, kinds=[DeadlineKind.TRIAGE])
            audit.record(
                actor=actor,
                action="supervision.intake.case_opened",
                obj=intake,
                before={"status": before},
                after={"status": intake.status, "case": case.reference},
            )
        _step(
            case=case,
            kind=StepKind.OPENED,
            on=day,
            actor=actor,
            summary=f"Case opened ({case.get_origin_display()})"
            + (f" from {', '.join(i.tracking_number for i in found)}" if found else ""),
            subject=case,
        )
        audit.record(
            actor=actor,
            action="supervision.case.created",
            obj=case,
            after={
                "reference": case.reference,
                "provider": provider.pk,
                "origin": origin,
                "versions": [v.pk for v in versions],
                "intakes": [i.tracking_number for i in found],
                "opened_on": day,
                "lead": actor.pk,
            },
        )
        _reassign(case)
    return case


def case_team_add(*, actor: Any, case: Case, user: Any, role: str = TeamRole.MEMBER) -> CaseMember:
    """Assign a member of the Office staff to the case; a new lead replaces the old one
    (who stays on the team), and the case's deadlines follow the lead."""
    if not permissions.may_manage_team(actor, case):
        raise PermissionDenied("Only the case's lead or a head of unit changes its team.")
    if role not in TeamRole.values:
        raise ValidationError({"role": f"Choose one of {', '.join(TeamRole.values)}."})
    if not permissions.is_staff_user(user):
        raise ValidationError({"user": "Only members of the Office staff are assigned to cases."})
    with transaction.atomic():
        case = _locked(case)
        member = CaseMember.objects.select_for_update().filter(case=case, user=user).first()
        if member is not None and (member.role == role or role == TeamRole.MEMBER):
            raise ValidationError({"user": f"{user.get_username()} is already on the team."})
        if role == TeamRole.LEAD:
            CaseMember.objects.filter(case=case, role=TeamRole.LEAD).update(role=TeamRole.MEMBER)
        if member is None:
            member = CaseMember.objects.create(case=case, user=user, role=role)
        else:
            member.role = role
            member.save(update_fields=["role"])
        _step(
            case=case,
            kind=StepKind.TEAM_CHANGED,
            on=_today(),
            actor=actor,
            summary=f"{user.get_username()} joins the team as {member.get_role_display()}",
        )
        audit.record(
            actor=actor,
            action="supervision.case.team_added",
            obj=case,
            after={"user": user.pk, "role": role},
        )
        _reassign(case)
    return member


def case_team_remove(*, actor: Any, case: Case, user: Any) -> None:
    """Take someone off the case's team (not its lead: name another lead first)."""
    if not permissions.may_manage_team(actor, case):
        raise PermissionDenied("Only the case's lead or a head of unit changes its team.")
    with transaction.atomic():
        case = _locked(case)
        member = CaseMember.objects.select_for_update().filter(case=case, user=user).first()
        if member is None:
            raise ValidationError({"user": f"{user.get_username()} is not on the team."})
        if member.role == TeamRole.LEAD:
            raise ValidationError({"user": "The lead stays on the team: name another lead first."})
        member.delete()
        _step(
            case=case,
            kind=StepKind.TEAM_CHANGED,
            on=_today(),
            actor=actor,
            summary=f"{user.get_username()} leaves the team",
        )
        audit.record(
            actor=actor, action="supervision.case.team_removed", obj=case, before={"user": user.pk}
        )
        _reassign(case)


def case_share(*, actor: Any, case: Case, authority: Any, reason: str) -> CaseShare:
    """Share the case file, read-only, with a national authority (Art. 78: need to know)."""
    if not permissions.may_manage_team(actor, case):
        raise PermissionDenied("Only the case's lead or a head of unit shares it.")
    reason = _text(reason, "reason", "The reason for sharing")
    if authority.kind != OrganisationKind.NATIONAL_AUTHORITY:
        raise ValidationError({"authority": "A case is shared only with a national authority."})
    with transaction.atomic():
        case = _locked(case)
        if CaseShare.objects.filter(case=case, authority=authority, revoked_at=None).exists():
            raise ValidationError({"authority": f"The case is already shared with {authority}."})
        share = CaseShare.objects.create(
            case=case, authority=authority, reason=reason, shared_by=actor
        )
        _step(
            case=case,
            kind=StepKind.SHARED,
            on=_today(),
            actor=actor,
            summary=f"Shared with {authority}: {reason}",
            subject=share,
        )
        audit.record(
            actor=actor,
            action="supervision.case.shared",
            obj=case,
            after={"authority": authority.pk, "reason": reason},
        )
    return share


def case_share_revoke(*, actor: Any, share: CaseShare) -> CaseShare:
    if not permissions.may_manage_team(actor, share.case):
        raise PermissionDenied("Only the case's lead or a head of unit revokes a share.")
    with transaction.atomic():
        share = (
            CaseShare.objects.select_for_update()
            .select_related("case", "authority")
            .get(pk=share.pk)
        )
        if share.revoked_at is not None:
            raise ValidationError({"share": "This share is already revoked."})
        share.revoked_at = timezone.now()
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        _step(
            case=share.case,
            kind=StepKind.SHARE_REVOKED,
            on=_today(),
            actor=actor,
            summary=f"Sharing with {share.authority} revoked",
            subject=share,
        )
        audit.record(
            actor=actor,
            action="supervision.case.share_revoked",
            obj=share.case,
            before={"authority": share.authority_id},
        )
    return share


def case_link_intake(*, actor: Any, case: Case, intake: Intake) -> None:
    """Link a report to the case (it leaves the triage queue)."""
    _on_team(actor, case)
    with transaction.atomic():
        case = _locked(case)
        intake = Intake.objects.select_for_update().get(pk=intake.pk)
        _check_intake(intake, case.provider, "intake")
        if case.intakes.filter(pk=intake.pk).exists():
            raise ValidationError({"intake": "This report is already linked to the case."})
        if intake.status == IntakeStatus.NOT_PURSUED:
            raise ValidationError({"intake": "This report was not pursued."})
        case.intakes.add(intake)
        before = intake.status
        if intake.status in OPEN_INTAKE_STATUSES:
            intake.status = IntakeStatus.CASE_OPENED
            intake.save(update_fields=["status"])
            clock.close_deadlines(source=intake, kinds=[DeadlineKind.TRIAGE])
        _step(
            case=case,
            kind=StepKind.INTAKE_LINKED,
            on=_today(),
            actor=actor,
            summary=f"Report {intake.tracking_number} linked",
            subject=intake,
        )
        audit.record(
            actor=actor,
            action="supervision.case.intake_linked",
            obj=case,
            before={"intake_status": before},
            after={"intake": intake.tracking_number, "intake_status": intake.status},
        )


# --- requests for information (Art. 91) ---------------------------------------------------


def rfi_send(
    *,
    actor: Any,
    case: Case,
    legal_basis: str,
    purpose: str,
    information_required: str,
    time_limit_days: int,
    fines_notice: str,
    panel_request: str = "",
    sent_on: date | None = None,
) -> InformationRequest:
    """Send a request for information (Art. 91(4)); the provider's answer is due when the
    time limit runs out (aiact's clock), a deadline on the provider."""
    _on_team(actor, case)
    day = _day(sent_on, "sent_on")
    facts = {
        "legal_basis": legal_basis,
        "purpose": purpose,
        "information_required": information_required,
        "time_limit_days": time_limit_days,
        "fines_notice": fines_notice,
        "panel_request": panel_request,
    }
    check = _check(
        "rfi", {**facts, **_alert_facts(case)}, on=day, fields={"on": "sent_on"}, known=facts
    )
    due = check.data["due"]
    assert isinstance(due, date)
    with transaction.atomic():
        case = _locked(case)
        request = InformationRequest.objects.create(
            case=case,
            legal_basis=legal_basis,
            purpose=purpose.strip(),
            information_required=information_required.strip(),
            time_limit_days=time_limit_days,
            fines_notice=fines_notice.strip(),
            panel_request=(panel_request or "").strip(),
            sent_on=day,
            due_on=due,
            sent_by=actor,
            rules_version=check.rules_version,
        )
        _provider_deadline(
            case,
            kind=DeadlineKind.RFI_ANSWER,
            source=request,
            due_on=due,
            title=f"{case.reference}: answer to the request for information of {day}",
            check=check,
        )
        _step(
            case=case,
            kind=StepKind.RFI_SENT,
            on=day,
            actor=actor,
            summary=f"Request for information sent ({request.get_legal_basis_display()}); "
            f"answer due {due}",
            subject=request,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.rfi.sent",
            obj=request,
            after={**facts, "case": case.reference, "sent_on": day, "due_on": due},
        )
    return request


def rfi_answer(
    *,
    actor: Any,
    request: InformationRequest,
    answer: str,
    files: Iterable[File] = (),  # type: ignore[type-arg]  # any content
    answered_on: date | None = None,
) -> InformationRequest:
    """The provider answers a request, with documents (each stored with its SHA-256). An
    answer after the time limit is received and flagged late."""
    _for_provider(actor, request.case)
    day = _day(answered_on, "answered_on")
    text = _text(answer, "answer", "The answer")
    with removed_on_failure() as stored, transaction.atomic():
        case = _locked(request.case)
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if request.answered_on is not None:
            raise ValidationError(
                {"answer": f"This request was answered on {request.answered_on}."}
            )
        _not_before(day, request.sent_on, "answered_on", "the request was sent")
        request.answer = text
        request.answered_on = day
        request.answered_by = actor
        request.late = day > request.due_on
        request.save(update_fields=["answer", "answered_on", "answered_by", "late"])
        documents = [
            evidence.store_document(
                actor=actor,
                upload=upload,
                title=f"Answer to request {request.pk}",
                stored=stored,
                case=case,
                information_request=request,
                from_provider=True,
                field="files",
            )
            for upload in files
        ]
        clock.close_deadlines(source=request, kinds=[DeadlineKind.RFI_ANSWER])
        _step(
            case=case,
            kind=StepKind.RFI_ANSWERED,
            on=day,
            actor=actor,
            summary=f"Request for information answered{' late' if request.late else ''}"
            + (f", with {len(documents)} document(s)" if documents else ""),
            subject=request,
            visible=True,
        )
        audit.record(
            actor=actor,
            action="supervision.rfi.answered",
            obj=request,
            after={
                "answered_on": day,
                "late": request.late,
                "documents": [{"id": d.pk, "sha256": d.sha256} for d in documents],
            },
        )
    return request


def dialogue_record(
    *, actor: Any, case: Case, held_on: date, purpose: str, attendees: str, notes: str
) -> DialogueMeeting:
    """Record a structured dialogue meeting (Arts 91(2), 92(7), 93(2))."""
    _on_team(actor, case)
    day = _day(held_on, "held_on")
    facts = {"purpose": purpose, "attendees": attendees, "notes": notes}
    check = _check("dialogue", facts, on=day, fields={"on": "held_on"}, known=facts)
    with transaction.atomic():
        case = _locked(case)
        meeting = DialogueMeeting.objects.create(
            case=case,
            held_on=day,
            purpose=purpose.strip(),
            attendees=attendees.strip(),
            notes=notes.strip(),
            recorded_by=actor,
        )
        _step(
            case=case,
            kind=StepKind.DIALOGUE,
            on=day,
            actor=actor,
            summary=f"Structured dialogue: {meeting.purpose[:200]}",
            subject=meeting,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.dialogue.recorded",
            obj=meeting,
            after={"case": case.reference, "held_on": day, "purpose": meeting.purpose},
        )
    return meeting


# --- evaluations (Art. 92) ----------------------------------------------------------------


def evaluation_open(
    *,
    actor: Any,
    case: Case,
    ground: str,
    board_consulted_on: date | None,
    board_consultation: str,
    opened_on: date | None = None,
) -> Art92Evaluation:
    """Open an evaluation after consulting the Board (Art. 92(1)): on insufficient
    information gathered under Art. 91, or on Union-level systemic risks of a model with
    systemic risk."""
    _on_team(actor, case)
    day = _day(opened_on, "opened_on")
    consultation = _text(board_consultation, "board_consultation", "How the Board was consulted")
    facts = {
        "board_consulted_on": board_consulted_on,
        "ground": ground,
        "rfi_answered": case.information_requests.filter(answered_on__isnull=False).exists(),
        "systemic_risk": _systemic_risk(case),
        **_alert_facts(case),
    }
    check = _check(
        "evaluation",
        facts,
        on=day,
        fields={"on": "opened_on"},
        known=("board_consulted_on", "ground"),
    )
    assert board_consulted_on is not None
    with transaction.atomic():
        case = _locked(case)
        evaluation = Art92Evaluation.objects.create(
            case=case,
            ground=ground,
            board_consulted_on=board_consulted_on,
            board_consultation=consultation,
            opened_on=day,
            rules_version=check.rules_version,
        )
        _step(
            case=case,
            kind=StepKind.BOARD_CONSULTED,
            on=board_consulted_on,
            actor=actor,
            summary=f"Board consulted: {consultation[:200]}",
            subject=evaluation,
            checks=[check],
        )
        _step(
            case=case,
            kind=StepKind.EVALUATION_OPENED,
            on=day,
            actor=actor,
            summary=f"Evaluation opened ({evaluation.get_ground_display()})",
            subject=evaluation,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.evaluation.opened",
            obj=evaluation,
            after={**facts, "case": case.reference, "opened_on": day},
        )
    return evaluation


def _evaluation(actor: Any, evaluation: Art92Evaluation) -> tuple[Case, Art92Evaluation]:
    _on_team(actor, evaluation.case)
    case = _locked(evaluation.case)
    return case, Art92Evaluation.objects.select_for_update().get(pk=evaluation.pk)


def evaluation_request_access(
    *,
    actor: Any,
    evaluation: Art92Evaluation,
    legal_basis: str,
    purpose: str,
    reasons: str,
    means: str,
    time_limit_days: int,
    fines_notice: str,
    requested_on: date | None = None,
) -> Art92Evaluation:
    """Request access to the model (Art. 92(3)-(4)); access is due when the time limit
    runs out, a deadline on the provider."""
    _on_team(actor, evaluation.case)
    day = _day(requested_on, "requested_on")
    facts = {
        "legal_basis": legal_basis,
        "purpose": purpose,
        "reasons": reasons,
        "means": means,
        "time_limit_days": time_limit_days,
        "fines_notice": fines_notice,
    }
    check = _check(
        "access_request",
        {**facts, **_alert_facts(evaluation.case)},
        on=day,
        fields={"on": "requested_on"},
        known=facts,
    )
    due = check.data["due"]
    assert isinstance(due, date)
    with transaction.atomic():
        case, evaluation = _evaluation(actor, evaluation)
        if evaluation.access_granted_on is not None:
            raise ValidationError({"evaluation": "Access was already given."})
        _not_before(day, evaluation.opened_on, "requested_on", "the evaluation opened")
        evaluation.access_legal_basis = legal_basis.strip()
        evaluation.access_purpose = purpose.strip()
        evaluation.access_reasons = reasons.strip()
        evaluation.access_means = means.strip()
        evaluation.access_time_limit_days = time_limit_days
        evaluation.access_fines_notice = fines_notice.strip()
        evaluation.access_requested_on = day
        evaluation.access_due_on = due
        evaluation.rules_version = check.rules_version
        evaluation.save()
        _provider_deadline(
            case,
            kind=DeadlineKind.ACCESS,
            source=evaluation,
            due_on=due,
            title=f"{case.reference}: access for the evaluation requested on {day}",
            check=check,
        )
        _step(
            case=case,
            kind=StepKind.ACCESS_REQUESTED,
            on=day,
            actor=actor,
            summary=f"Access requested ({evaluation.access_means[:150]}); due {due}",
            subject=evaluation,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.evaluation.access_requested",
            obj=evaluation,
            after={**facts, "requested_on": day, "due_on": due},
        )
    return evaluation


def evaluation_access_granted(
    *, actor: Any, evaluation: Art92Evaluation, granted_on: date | None = None
) -> Art92Evaluation:
    """The provider gave the access requested: the deadline is met."""
    _on_team(actor, evaluation.case)
    day = _day(granted_on, "granted_on")
    with transaction.atomic():
        case, evaluation = _evaluation(actor, evaluation)
        if evaluation.access_requested_on is None:
            raise ValidationError({"evaluation": "No access has been requested."})
        if evaluation.access_granted_on is not None:
            raise ValidationError({"evaluation": "Access was already given."})
        _not_before(day, evaluation.access_requested_on, "granted_on", "access was requested")
        evaluation.access_granted_on = day
        evaluation.save(update_fields=["access_granted_on"])
        clock.close_deadlines(source=evaluation, kinds=[DeadlineKind.ACCESS])
        late = evaluation.access_due_on is not None and day > evaluation.access_due_on
        _step(
            case=case,
            kind=StepKind.ACCESS_GRANTED,
            on=day,
            actor=actor,
            summary="Access given" + (" after the time limit" if late else ""),
            subject=evaluation,
            visible=True,
        )
        audit.record(
            actor=actor,
            action="supervision.evaluation.access_granted",
            obj=evaluation,
            after={"granted_on": day, "late": late},
        )
    return evaluation


def expert_appoint(
    *,
    actor: Any,
    evaluation: Art92Evaluation,
    name: str,
    affiliation: str,
    from_scientific_panel: bool,
    declaration_of_interests: str,
    declared_on: date | None,
    conflict_of_interest: bool,
    appointed_on: date | None = None,
) -> Expert:
    """Appoint an independent expert (Art. 92(2)); a declared conflict of interest refuses
    the appointment (Art. 68(2))."""
    _on_team(actor, evaluation.case)
    day = _day(appointed_on, "appointed_on")
    name = _text(name, "name", "The expert's name")
    facts = {
        "declaration_of_interests": declaration_of_interests,
        "declared_on": declared_on,
        "conflict_of_interest": conflict_of_interest,
    }
    check = _check("expert", facts, on=day, fields={"on": "appointed_on"}, known=facts)
    assert declared_on is not None
    with transaction.atomic():
        case, evaluation = _evaluation(actor, evaluation)
        expert = Expert.objects.create(
            evaluation=evaluation,
            name=name,
            affiliation=(affiliation or "").strip(),
            from_scientific_panel=from_scientific_panel,
            declaration_of_interests=declaration_of_interests.strip(),
            declared_on=declared_on,
            conflict_of_interest=False,
            appointed_on=day,
        )
        _step(
            case=case,
            kind=StepKind.EXPERT_APPOINTED,
            on=day,
            actor=actor,
            summary=f"Expert appointed: {name}"
            + (" (scientific panel)" if from_scientific_panel else ""),
            subject=expert,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.expert.appointed",
            obj=expert,
            after={"evaluation": evaluation.pk, "name": name, "declared_on": declared_on},
        )
    return expert


def evaluation_link_run(*, actor: Any, evaluation: Art92Evaluation, run: Any) -> None:
    """Link an evaluation run (of a version of the case's provider) to the evaluation."""
    _on_team(actor, evaluation.case)
    with transaction.atomic():
        case, evaluation = _evaluation(actor, evaluation)
        if run.version.model.provider_id != case.provider_id:
            raise ValidationError({"run": "This run evaluated another provider's model."})
        if evaluation.runs.filter(pk=run.pk).exists():
            raise ValidationError({"run": "This run is already linked."})
        evaluation.runs.add(run)
        _step(
            case=case,
            kind=StepKind.RUN_LINKED,
            on=_today(),
            actor=actor,
            summary=f"Evaluation run #{run.pk} linked",
            subject=evaluation,
        )
        audit.record(
            actor=actor,
            action="supervision.evaluation.run_linked",
            obj=evaluation,
            after={"run": run.pk},
        )


def evaluation_record_findings(
    *, actor: Any, evaluation: Art92Evaluation, findings: str, serious_concern: bool
) -> Art92Evaluation:
    """Record what the evaluation found, and whether it shows serious and substantiated
    concern of Union-level systemic risk (the condition of mitigation measures, Art.
    93(1)(b))."""
    _on_team(actor, evaluation.case)
    text = _text(findings, "findings", "The findings")
    with transaction.atomic():
        case, evaluation = _evaluation(actor, evaluation)
        before = {"findings": evaluation.findings, "serious_concern": evaluation.serious_concern}
        evaluation.findings = text
        evaluation.serious_concern = bool(serious_concern)
        evaluation.save(update_fields=["findings", "serious_concern"])
        _step(
            case=case,
            kind=StepKind.EVALUATION_FINDINGS,
            on=_today(),
            actor=actor,
            summary="Evaluation findings recorded"
            + (": serious and substantiated concern of systemic risk" if serious_concern else ""),
            subject=evaluation,
        )
        audit.record(
            actor=actor,
            action="supervision.evaluation.findings",
            obj=evaluation,
            before=before,
            after={"findings": text, "serious_concern": evaluation.serious_concern},
        )
    return evaluation


# --- commitments, hearing, measures (Arts 93, 94) ----------------------------------------


def commitments_record(
    *, actor: Any, case: Case, meeting: DialogueMeeting, text: str, offered_on: date | None = None
) -> Commitment:
    """Record commitments a provider of a model with systemic risk offered in a structured
    dialogue of the case (Art. 93(3)); a decision may make them binding."""
    _on_team(actor, case)
    day = _day(offered_on, "offered_on")
    facts = {
        "systemic_risk": _systemic_risk(case),
        "in_dialogue": meeting.case_id == case.pk and meeting.held_on <= day,
        "text": text,
    }
    check = _check(
        "commitments", facts, on=day, fields={"on": "offered_on"}, known=("case", "meeting", "text")
    )
    with transaction.atomic():
        case = _locked(case)
        commitment = Commitment.objects.create(
            case=case, meeting=meeting, text=text.strip(), offered_on=day
        )
        _step(
            case=case,
            kind=StepKind.COMMITMENTS_OFFERED,
            on=day,
            actor=actor,
            summary=f"Commitments offered in the dialogue of {meeting.held_on}",
            subject=commitment,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.commitments.recorded",
            obj=commitment,
            after={"case": case.reference, "meeting": meeting.pk, "offered_on": day},
        )
    return commitment


def findings_send(
    *,
    actor: Any,
    case: Case,
    findings: str,
    measures_considered: str,
    answer_by: date | None,
    urgent: bool = False,
    urgency_grounds: str = "",
    sent_on: date | None = None,
) -> PreliminaryFindings:
    """Send preliminary findings (right to be heard, Art. 94; Reg. 2019/1020 Art. 18(3)):
    at least ten working days to answer unless urgency is recorded with its grounds."""
    _on_team(actor, case)
    day = _day(sent_on, "sent_on")
    text = _text(findings, "findings", "The preliminary findings")
    considered = _text(
        measures_considered, "measures_considered", "The measures or decision considered"
    )
    facts = {
        "sent_on": day,
        "answer_by": answer_by,
        "urgent": bool(urgent),
        "urgency_grounds": urgency_grounds or "",
    }
    check = _check(
        "hearing",
        facts,
        on=day,
        fields={"on": "sent_on"},
        known=("answer_by", "urgency_grounds", "urgent"),
    )
    assert answer_by is not None
    period_ends = check.data["minimum_period_ends"]
    assert isinstance(period_ends, date)
    with transaction.atomic():
        case = _locked(case)
        sent = PreliminaryFindings.objects.create(
            case=case,
            findings=text,
            measures_considered=considered,
            sent_on=day,
            answer_by=answer_by,
            minimum_period_ends=period_ends,
            urgent=bool(urgent),
            urgency_grounds=(urgency_grounds or "").strip() if urgent else "",
            rules_version=check.rules_version,
        )
        _provider_deadline(
            case,
            kind=DeadlineKind.HEARING,
            source=sent,
            due_on=answer_by,
            title=f"{case.reference}: observations on the preliminary findings of {day}",
            check=check,
        )
        _step(
            case=case,
            kind=StepKind.FINDINGS_SENT,
            on=day,
            actor=actor,
            summary=f"Preliminary findings sent; observations due by {answer_by}"
            + (" (urgency recorded)" if urgent else ""),
            subject=sent,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.findings.sent",
            obj=sent,
            after={**facts, "case": case.reference, "minimum_period_ends": period_ends},
        )
    return sent


def findings_observe(
    *,
    actor: Any,
    findings: PreliminaryFindings,
    observations: str,
    observed_on: date | None = None,
) -> PreliminaryFindings:
    """The provider's observations on preliminary findings (received even after the period,
    which the timeline says)."""
    _for_provider(actor, findings.case)
    day = _day(observed_on, "observed_on")
    text = _text(observations, "observations", "The observations")
    with transaction.atomic():
        case = _locked(findings.case)
        findings = PreliminaryFindings.objects.select_for_update().get(pk=findings.pk)
        if findings.observed_on is not None:
            raise ValidationError(
                {"observations": f"Observations were received on {findings.observed_on}."}
            )
        _not_before(day, findings.sent_on, "observed_on", "the findings were sent")
        findings.observations = text
        findings.observed_on = day
        findings.save(update_fields=["observations", "observed_on"])
        clock.close_deadlines(source=findings, kinds=[DeadlineKind.HEARING])
        late = day > findings.answer_by
        _step(
            case=case,
            kind=StepKind.HEARING_ANSWERED,
            on=day,
            actor=actor,
            summary="Observations received" + (" after the period" if late else ""),
            subject=findings,
            visible=True,
        )
        audit.record(
            actor=actor,
            action="supervision.findings.observed",
            obj=findings,
            after={"observed_on": day, "late": late},
        )
    return findings


def _latest_findings(case: Case) -> PreliminaryFindings | None:
    return PreliminaryFindings.objects.filter(case=case).order_by("-sent_on", "-id").first()


def measure_request(
    *,
    actor: Any,
    case: Case,
    kind: str,
    description: str,
    grounds: str,
    due_on: date | None,
    evaluation: Art92Evaluation | None = None,
    requested_on: date | None = None,
) -> Measure:
    """Request a measure under Art. 93(1), to be implemented by `due_on` (a deadline on the
    provider). A mitigation measure needs an evaluation of the case showing serious
    concern; the provider is heard first unless urgency is recorded on the findings."""
    _on_team(actor, case)
    day = _day(requested_on, "requested_on")
    text = _text(description, "description", "What the provider must do")
    if due_on is None or due_on <= day:
        raise ValidationError({"due_on": "The measure is due after the day it is requested."})
    if evaluation is not None:
        evaluation = Art92Evaluation.objects.get(pk=evaluation.pk)  # its findings as stored
        if evaluation.case_id != case.pk:
            raise ValidationError({"evaluation": "This evaluation belongs to another case."})
    findings = _latest_findings(case)
    facts = {
        "kind": kind,
        "grounds": grounds,
        "evaluation_serious_concern": evaluation is not None and evaluation.serious_concern,
        "heard": heard(findings, day),
        "urgent": findings is not None and findings.urgent,
        **_alert_facts(case),
    }
    check = _check(
        "measure",
        facts,
        on=day,
        fields={"on": "requested_on"},
        known=("kind", "grounds", "evaluation"),
    )
    with transaction.atomic():
        case = _locked(case)
        measure = Measure.objects.create(
            case=case,
            kind=kind,
            description=text,
            grounds=grounds.strip(),
            evaluation=evaluation,
            requested_on=day,
            due_on=due_on,
            rules_version=check.rules_version,
        )
        _provider_deadline(
            case,
            kind=DeadlineKind.MEASURE,
            source=measure,
            due_on=due_on,
            title=f"{case.reference}: {measure.get_kind_display()} by {due_on}",
            check=check,
        )
        _step(
            case=case,
            kind=StepKind.MEASURE_REQUESTED,
            on=day,
            actor=actor,
            summary=f"{measure.get_kind_display()}: due {due_on}",
            subject=measure,
            visible=True,
            checks=[check],
        )
        audit.record(
            actor=actor,
            action="supervision.measure.requested",
            obj=measure,
            after={**facts, "case": case.reference, "due_on": due_on, "requested_on": day},
        )
    return measure


def measure_follow_up(
    *,
    actor: Any,
    measure: Measure,
    status: str,
    follow_up: str,
    followed_up_on: date | None = None,
) -> Measure:
    """Record whether the provider complied with a measure (its deadline closes), or that
    the Office withdrew it (its deadline is no longer due)."""
    _on_team(actor, measure.case)
    day = _day(followed_up_on, "followed_up_on")
    text = _text(follow_up, "follow_up", "The follow-up")
    if status not in MeasureStatus.values or status == MeasureStatus.REQUESTED:
        choices = [s for s in MeasureStatus.values if s != MeasureStatus.REQUESTED]
        raise ValidationError({"status": f"Choose one of {', '.join(choices)}."})
    with transaction.atomic():
        case = _locked(measure.case)
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        _not_before(day, measure.requested_on, "followed_up_on", "the measure was requested")
        before = {"status": measure.status, "follow_up": measure.follow_up}
        measure.status = status
        measure.follow_up = text
        measure.followed_up_on = day
        measure.save(update_fields=["status", "follow_up", "followed_up_on"])
        clock.close_deadlines(
            source=measure,
            kinds=[DeadlineKind.MEASURE],
            status=DeadlineStatus.CANCELLED
            if status == MeasureStatus.WITHDRAWN
            else DeadlineStatus.MET,
        )
        _step(
            case=case,
            kind=StepKind.MEASURE_FOLLOWED_UP,
            on=day,
            actor=actor,
            summary=f"{measure.get_kind_display()}: {measure.get_status_display()}",
            subject=measure,
            visible=True,
        )
        audit.record(
            actor=actor,
            action="supervision.measure.followed_up",
            obj=measure,
            before=before,
            after={"status": status, "follow_up": text, "followed_up_on": day},
        )
    return measure


# --- decisions (Arts 93, 94, 101) ---------------------------------------------------------


_OPERATIVE = {
    DecisionKind.MEASURES: "The provider shall implement the measures set out below within "
    "the time limits given (Art. 93(1)).",
    DecisionKind.COMMITMENTS_BINDING: "The commitments set out below are made binding on the "
    "provider; there are no further grounds for action (Art. 93(3)).",
    DecisionKind.FINE: "A fine of EUR {amount} is imposed on the provider (Art. 101).",
    DecisionKind.NO_GROUNDS: "The proceedings are closed: there are no grounds for action.",
}


def _fine_facts(fine: FineTerms, findings: PreliminaryFindings | None, on: date) -> dict[str, Any]:
    return {
        "findings_sent": findings is not None,
        "heard": heard(findings, on),
        "ground": fine.ground,
        "culpability": fine.culpability,
        "turnover_eur": str(fine.turnover_eur),
        "amount_eur": str(fine.amount_eur),
        "factors": dict(fine.factors),
    }


def _still_undecided(
    case: Case,
    kind: str,
    findings: PreliminaryFindings | None,
    measures: Sequence[Measure],
    commitment: Commitment | None,
) -> None:
    """Under the case's lock: the measures and commitments are not decided meanwhile (by a
    decision submitted twice or by a colleague), and the findings are not already followed
    by a fine (one fine per findings: a second submission is refused, not a second fine)."""
    if (
        measures
        and Measure.objects.filter(pk__in=[m.pk for m in measures], decision__isnull=False).exists()
    ):
        raise ValidationError({"measures": "Choose measures of this case not yet decided."})
    if (
        commitment is not None
        and Commitment.objects.filter(pk=commitment.pk, decision__isnull=False).exists()
    ):
        raise ValidationError({"commitment": "Choose the commitments of this case to bind."})
    if kind == DecisionKind.FINE and findings is not None:
        earlier = Decision.objects.filter(
            case=case, kind=DecisionKind.FINE, findings=findings
        ).first()
        if earlier is not None:
            raise ValidationError(
                {
                    "findings": f"A fine was already imposed on these findings "
                    f"(decision of {earlier.adopted_on}); a new fine needs new findings."
                }
            )


def decision_adopt(
    *,
    actor: Any,
    case: Case,
    kind: str,
    reasons: str,
    remedies: str,
    findings: PreliminaryFindings | None = None,
    measures: Iterable[Measure] = (),
    commitment: Commitment | None = None,
    fine: FineTerms | None = None,
    adopted_on: date | None = None,
) -> Decision:
    """Adopt a reasoned decision, generated as a PDF kept with its SHA-256. A decision
    requesting measures follows the hearing unless urgency is recorded; a fine follows
    preliminary findings and a hearing, stays within aiact's ceiling (FINE-01) and
    records the factors weighed (FINE-02)."""
    if not permissions.may_decide(actor, case):
        raise PermissionDenied("Only a head of unit or legal officer on the team decides.")
    day = _day(adopted_on, "adopted_on")
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(DecisionKind.values)}."})
    if findings is not None and findings.case_id != case.pk:
        raise ValidationError({"findings": "These findings belong to another case."})
    # as stored now (the provider's observations may have come since the caller read them)
    findings = (
        _latest_findings(case)
        if findings is None
        else PreliminaryFindings.objects.get(pk=findings.pk)
    )
    measures = list(Measure.objects.filter(pk__in=[m.pk for m in measures]))
    if any(m.case_id != case.pk or m.decision_id is not None for m in measures):
        raise ValidationError({"measures": "Choose measures of this case not yet decided."})
    if kind == DecisionKind.MEASURES and not measures:
        raise ValidationError({"measures": "A decision requesting measures names them."})
    if commitment is not None:
        commitment = Commitment.objects.get(pk=commitment.pk)
    if kind == DecisionKind.COMMITMENTS_BINDING and (
        commitment is None or commitment.case_id != case.pk or commitment.decision_id is not None
    ):
        raise ValidationError({"commitment": "Choose the commitments of this case to bind."})
    if (kind == DecisionKind.FINE) != (fine is not None):
        raise ValidationError({"fine": "The terms of a fine go with a fine decision only."})
    facts: dict[str, Any] = {
        "kind": kind,
        "heard": heard(findings, day),
        "urgent": findings is not None and findings.urgent,
        "reasons": reasons,
        "remedies": remedies,
    }
    result = procedure_check("decision", facts, on=day, law=load_law())
    checks = [result]
    known = {"kind", "reasons", "remedies", "findings", "adopted_on"}
    renames = {"on": "adopted_on"}
    errors = _errors(result, renames, known)
    ceiling = None
    if fine is not None:
        fine_check = procedure_check(
            "fine", _fine_facts(fine, findings, day), on=day, law=load_law()
        )
        checks.append(fine_check)
        for name, messages in _errors(
            fine_check,
            renames,
            known | {"ground", "culpability", "turnover_eur", "amount_eur", "factors"},
        ).items():
            errors.setdefault(name, [])
            errors[name].extend(m for m in messages if m not in errors[name])
        this_year = day.year
        if not this_year - 2 <= fine.turnover_year < this_year:
            errors.setdefault("turnover_year", []).append(
                "The turnover is that of the preceding financial year."
            )
        if not errors:
            ceiling = gpai_fine_ceiling(turnover_eur=fine.turnover_eur, on=day, law=load_law())
    if errors:
        raise ValidationError(errors)
    answer = _answer(*checks)
    with removed_on_failure() as stored, transaction.atomic():
        case = _locked(case)
        _still_undecided(case, kind, findings, measures, commitment)
        number = Decision.objects.filter(case=case).count() + 1
        reference = f"{case.reference}/D{number}"
        stored_facts: dict[str, Any] = {
            "reference": reference,
            "kind": kind,
            "heard": facts["heard"],
            "urgent": facts["urgent"],
            "findings": None if findings is None else findings.pk,
            "measures": [m.pk for m in measures],
            "commitment": None if commitment is None else commitment.pk,
        }
        if fine is not None and ceiling is not None:
            stored_facts["fine"] = {
                **_fine_facts(fine, findings, day),
                "turnover_year": fine.turnover_year,
                "ceiling_eur": ceiling.to_json()["maximum_eur"],
                "ceiling_basis": ceiling.basis,
            }
        text = _decision_text(
            reference=reference,
            case=case,
            kind=kind,
            actor=actor,
            day=day,
            reasons=reasons.strip(),
            remedies=remedies.strip(),
            findings=findings,
            measures=measures,
            commitment=commitment,
            fine=fine,
            ceiling=ceiling,
            answer=answer,
        )
        pdf = decisions.render_pdf(text)
        decision = Decision(
            case=case,
            kind=kind,
            reasons=reasons.strip(),
            findings=findings,
            adopted_on=day,
            adopted_by=actor,
            remedies=remedies.strip(),
            facts=stored_facts,
            rules_version=answer["rules_version"],
            legal_reasons=answer["reasons"],
            citations=answer["citations"],
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
        )
        decision.document.save(f"{reference.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
        store_checked(decision.document, stored, decision.sha256, decision.size, "document")
        decision.save()
        if fine is not None and ceiling is not None:
            Fine.objects.create(
                decision=decision,
                ground=fine.ground,
                culpability=fine.culpability,
                turnover_eur=fine.turnover_eur,
                turnover_year=fine.turnover_year,
                ceiling_eur=Decimal(str(ceiling.to_json()["maximum_eur"])),
                amount_eur=fine.amount_eur,
                factors=dict(fine.factors),
            )
        if measures:
            Measure.objects.filter(pk__in=[m.pk for m in measures]).update(decision=decision)
        if commitment is not None:
            Commitment.objects.filter(pk=commitment.pk).update(decision=decision)
        _step(
            case=case,
            kind=StepKind.DECISION,
            on=day,
            actor=actor,
            summary=f"{decision.get_kind_display()} adopted ({reference})",
            subject=decision,
            checks=checks,
        )
        audit.record(
            actor=actor,
            action="supervision.decision.adopted",
            obj=decision,
            after={**stored_facts, "sha256": decision.sha256, "size": decision.size},
        )
    return decision


def _decision_text(
    *,
    reference: str,
    case: Case,
    kind: str,
    actor: Any,
    day: date,
    reasons: str,
    remedies: str,
    findings: PreliminaryFindings | None,
    measures: list[Measure],
    commitment: Commitment | None,
    fine: FineTerms | None,
    ceiling: Any,
    answer: Mapping[str, Any],
) -> decisions.DecisionText:
    operative = [_OPERATIVE[kind]]  # type: ignore[index]
    fine_text = None
    if fine is not None and ceiling is not None:
        operative = [_OPERATIVE[DecisionKind.FINE].format(amount=fine.amount_eur)]
        labels = dict(FINE_FACTORS)
        fine_text = decisions.FineText(
            ground=str(FineGround(fine.ground).label),
            culpability=str(Culpability(fine.culpability).label),
            amount_eur=fine.amount_eur,
            ceiling_eur=Decimal(str(ceiling.to_json()["maximum_eur"])),
            ceiling_basis=ceiling.basis,
            turnover_eur=fine.turnover_eur,
            turnover_year=fine.turnover_year,
            factors=[(labels.get(k, k), v) for k, v in fine.factors.items()],
        )
    hearing = None
    if findings is not None:
        hearing = decisions.HearingText(
            sent_on=findings.sent_on,
            answer_by=findings.answer_by,
            minimum_period_ends=findings.minimum_period_ends,
            urgent=findings.urgent,
            urgency_grounds=findings.urgency_grounds,
            observed_on=findings.observed_on,
            observations=findings.observations,
        )
    return decisions.DecisionText(
        reference=reference,
        case_reference=case.reference,
        case_title=case.title,
        provider=str(case.provider),
        versions=[str(v) for v in case.versions.select_related("model")],
        kind=str(DecisionKind(kind).label),
        adopted_on=day,
        adopted_by=actor.get_username(),
        operative=operative,
        reasons=reasons,
        remedies=remedies,
        legal_reasons=list(answer["reasons"]),
        citations=list(answer["citations"]),
        rules_version=str(answer["rules_version"]),
        hearing=hearing,
        fine=fine_text,
        measures=[
            {
                "kind": str(MeasureKind(m.kind).label),
                "description": m.description,
                "due_on": m.due_on,
            }
            for m in measures
        ],
        commitments="" if commitment is None else commitment.text,
    )


def decision_notify(*, actor: Any, decision: Decision, notified_on: date | None = None) -> Decision:
    """Notify an adopted decision to the provider, who sees it from now on."""
    _on_team(actor, decision.case)
    day = _day(notified_on, "notified_on")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=decision.case_id)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.notified_on is not None:
            raise ValidationError({"decision": f"Notified on {decision.notified_on}."})
        _not_before(day, decision.adopted_on, "notified_on", "the decision was adopted")
        decision.notified_on = day
        decision.save(update_fields=["notified_on"])
        _step(
            case=case,
            kind=StepKind.DECISION_NOTIFIED,
            on=day,
            actor=actor,
            summary=f"{decision.get_kind_display()} notified",
            subject=decision,
            visible=True,
        )
        CaseStep.objects.filter(
            case=case, kind=StepKind.DECISION, subject=_subject(decision)
        ).update(visible_to_provider=True)
        audit.record(
            actor=actor,
            action="supervision.decision.notified",
            obj=decision,
            after={"notified_on": day},
        )
    return decision


# --- documents, closure -------------------------------------------------------------------


def document_add(
    *,
    actor: Any,
    case: Case,
    upload: File,  # type: ignore[type-arg]  # any content
    title: str,
    visible_to_provider: bool = False,
    supersedes: Document | None = None,
) -> Document:
    """Add a document to the case file (SHA-256 read back, versions, retention date)."""
    _on_team(actor, case)
    with removed_on_failure() as stored, transaction.atomic():
        case = _locked(case)
        document = evidence.store_document(
            actor=actor,
            upload=upload,
            title=title,
            stored=stored,
            case=case,
            visible_to_provider=visible_to_provider,
            supersedes=supersedes,
        )
        _step(
            case=case,
            kind=StepKind.DOCUMENT_ADDED,
            on=_today(),
            actor=actor,
            summary=f"Document added: {document.title} (version {document.version})",
            subject=document,
            visible=document.visible_to_provider,
        )
    return document


_OUTCOME_NEEDS = {
    CaseOutcome.FINED: DecisionKind.FINE,
    CaseOutcome.COMMITMENTS_BINDING: DecisionKind.COMMITMENTS_BINDING,
    CaseOutcome.MEASURES_IMPOSED: DecisionKind.MEASURES,
}


def case_close(
    *, actor: Any, case: Case, outcome: str, reasons: str, closed_on: date | None = None
) -> Case:
    """Close the case with its outcome and reasons; its open deadlines are no longer due.
    An outcome that rests on a decision (a fine, binding commitments, measures) needs that
    decision adopted and notified."""
    if not (permissions.is_lead(actor, case) or permissions.may_decide(actor, case)):
        raise PermissionDenied("Only the case's lead, or a decider on its team, closes it.")
    day = _day(closed_on, "closed_on")
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": f"Choose one of {', '.join(CaseOutcome.values)}."})
    text = _text(reasons, "reasons", "The reasons for closing")
    needed = _OUTCOME_NEEDS.get(outcome)  # type: ignore[call-overload]
    with transaction.atomic():
        case = _locked(case)
        _not_before(day, case.opened_on, "closed_on", "the case was opened")
        if (
            needed is not None
            and not Decision.objects.filter(
                case=case, kind=needed, notified_on__isnull=False
            ).exists()
        ):
            raise ValidationError(
                {"outcome": "This outcome rests on a decision adopted and notified in the case."}
            )
        case.status = CaseStatus.CLOSED
        case.closed_on = day
        case.outcome = outcome
        case.outcome_reasons = text
        case.save(update_fields=["status", "closed_on", "outcome", "outcome_reasons"])
        cancelled = Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).update(
            status=DeadlineStatus.CANCELLED, closed_at=timezone.now()
        )
        _step(
            case=case,
            kind=StepKind.CLOSED,
            on=day,
            actor=actor,
            summary=f"Case closed: {case.get_outcome_display()}",
            subject=case,
            visible=True,
        )
        audit.record(
            actor=actor,
            action="supervision.case.closed",
            obj=case,
            before={"status": CaseStatus.OPEN},
            after={
                "status": case.status,
                "closed_on": day,
                "outcome": outcome,
                "reasons": text,
                "deadlines_cancelled": cancelled,
            },
        )
    return case
