"""Intake: complaints (Art. 89(2)), qualified alerts (Art. 90), serious-incident reports
(Art. 55(1)(c) and the Code's timelines, COP-02/03) and whistleblower reports, and their
triage by the Office.

Every function is one transaction with one audit event (or a few, for attached documents).
Admissibility is aiact's (`procedure_check("complaint"|"alert")`); the incident deadlines
are aiact's too (`evaluate("incident")`, `evaluate("clock", "cop-followups")`), kept as
Code of Practice periods (`Deadline.legal=False`): the legal duty is to report without
undue delay (Art. 55(1)(c)), which has no number of days (open question 10).

A whistleblower is never identified: no account, no address, no request id, no time finer
than a day is stored with their report, their messages or their audit events; their secret
reply key is kept only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from aiact import InputError, ProcedureCheck, evaluate, load_law, procedure_check
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core import audit
from aioffice.core.files import removed_on_failure
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision import clock, evidence
from aioffice.supervision.choices import (
    OPEN_INTAKE_STATUSES,
    TRACKING_PREFIX,
    AlertGround,
    DeadlineKind,
    DeadlineStatus,
    IncidentReportKind,
    IncidentType,
    IntakeKind,
    IntakeStatus,
    MessageDirection,
)
from aioffice.supervision.models import (
    Complaint,
    Incident,
    IncidentReport,
    Intake,
    QualifiedAlert,
    WhistleblowerMessage,
    WhistleblowerReport,
)
from aioffice.supervision.permissions import acts_for_provider, is_staff_user

__all__ = [
    "INCIDENT_REPORT_FIELDS",
    "REQUIRED_REPORT_FIELDS",
    "alert_board_informed",
    "alert_submit",
    "complaint_submit",
    "incident_report_add",
    "incident_submit",
    "intake_link",
    "intake_link_versions",
    "intake_merge",
    "intake_not_pursued",
    "intake_triage",
    "intake_unlink",
    "is_downstream_provider",
    "is_panel_member",
    "secret_digest",
    "whistleblower_office_reply",
    "whistleblower_reply",
    "whistleblower_submit",
]

# Items (2)-(9) of Measure 9.2 (the dates, item (1), are the incident's own fields).
INCIDENT_REPORT_FIELDS = (
    "harm",
    "chain_of_events",
    "model_involvement",
    "response",
    "recommendations",
    "root_cause",
    "related_patterns",
)
# Every report states items (2)-(6); the final report adds the root cause analysis (8).
REQUIRED_REPORT_FIELDS: dict[str, tuple[str, ...]] = {
    IncidentReportKind.INITIAL: ("harm", "chain_of_events", "model_involvement", "response"),
    IncidentReportKind.INTERMEDIATE: ("harm", "chain_of_events", "model_involvement", "response"),
    IncidentReportKind.FINAL: (
        "harm",
        "chain_of_events",
        "model_involvement",
        "response",
        "root_cause",
    ),
}
MAX_TITLE = 200
MAX_MESSAGE = 20_000


# --- helpers ---------------------------------------------------------------------------


def _now() -> datetime:
    """The one place intake reads the clock."""
    return timezone.now()


def _today() -> date:
    """The Office's current day (UTC)."""
    return _now().date()


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_downstream_provider(user: Any) -> bool:
    """A member of an organisation registered as a downstream provider (Art. 3(68))."""
    if not _active(user):
        return False
    return bool(
        user.memberships.filter(
            organisation__kind=OrganisationKind.DOWNSTREAM_PROVIDER,
            role=Role.ORGANISATION_MEMBER,
        ).exists()
    )


def is_panel_member(user: Any) -> bool:
    """A member of the scientific panel (Art. 68)."""
    if not _active(user):
        return False
    return bool(user.has_role(Role.SCIENTIFIC_PANEL_MEMBER))


def secret_digest(secret: str) -> str:
    """What is stored of a whistleblower's reply key: its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _title(title: Any) -> str:
    text = _text(title)
    if not text:
        raise ValidationError({"title": "Give the report a short title."})
    if len(text) > MAX_TITLE:
        raise ValidationError({"title": f"At most {MAX_TITLE} characters."})
    return text


def _not_in_future(day: date | None, field: str, *, required: bool = True) -> date | None:
    if day is None:
        if required:
            raise ValidationError({field: "This date is required."})
        return None
    if not isinstance(day, date):
        raise ValidationError({field: "Give a date."})
    today = _today()
    if day > today:
        raise ValidationError({field: f"This date cannot be after today ({today})."})
    return day


def _raise_problems(problems: Iterable[tuple[str, str]]) -> None:
    errors: dict[str, list[str]] = {}
    for name, message in problems:
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _labels(citations: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for c in citations:
        label = str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
        if label and label not in out:
            out.append(label)
    return out


def _tracking(intake: Intake) -> str:
    return f"{TRACKING_PREFIX[intake.kind]}-{intake.received_at:%Y}-{intake.pk:06d}"


def _new_intake(**values: Any) -> Intake:
    """An intake with its tracking number ("C-2026-000123"), made in the caller's
    transaction from the row's id."""
    values.setdefault("received_at", _now())
    intake = Intake.objects.create(tracking_number=f"pending-{secrets.token_hex(8)}", **values)
    intake.tracking_number = _tracking(intake)
    intake.save(update_fields=["tracking_number"])
    return intake


def _versions(provider: Provider | None, versions: Iterable[ModelVersion]) -> list[ModelVersion]:
    chosen = list(versions)
    if not chosen:
        return chosen
    ids = [v.pk for v in chosen]
    found = ModelVersion.objects.select_related("model").filter(pk__in=ids)
    if provider is not None and any(v.model.provider_id != provider.pk for v in found):
        raise ValidationError({"versions": "Each model version is one of the provider's."})
    if len({*ids}) != found.count():
        raise ValidationError({"versions": "No such model version."})
    return list(found)


def _sender_organisation(user: Any, kind: str) -> Any:
    membership = (
        user.memberships.select_related("organisation")
        .filter(organisation__kind=kind)
        .order_by("id")
        .first()
    )
    return membership.organisation if membership is not None else None


def _store_files(
    *, actor: Any, intake: Intake, files: Sequence[File[Any]], stored: list[Any], **extra: Any
) -> list[Any]:
    return [
        evidence.store_document(
            actor=actor, upload=f, title="", stored=stored, intake=intake, field="files", **extra
        )
        for f in files
    ]


def _intake_data(intake: Intake) -> dict[str, Any]:
    return {
        "tracking_number": intake.tracking_number,
        "kind": intake.kind,
        "status": intake.status,
        "title": intake.title,
        "provider": intake.provider_id,
    }


# --- complaints and alerts -----------------------------------------------------------------


def _submit_checked(
    *,
    actor: Any,
    kind: str,
    detail: type[Complaint] | type[QualifiedAlert],
    sender_kind: str,
    title: str,
    provider: Provider | None,
    versions: Iterable[ModelVersion],
    content: dict[str, str],
    check: ProcedureCheck,
    files: Sequence[File[Any]],
) -> Intake:
    """Store a complaint or an alert that aiact admitted: the intake, its content, the files
    and the audit event, in one transaction (the files removed if it fails)."""
    chosen = _versions(provider, versions)
    files = list(files)
    with removed_on_failure() as stored, transaction.atomic():
        intake = _new_intake(
            kind=kind,
            title=title,
            submitted_by=actor,
            organisation=_sender_organisation(actor, sender_kind),
            provider=provider,
            rules_version=check.rules_version,
            reasons=list(check.reasons),
            citations=list(check.citations),
        )
        intake.versions.set(chosen)
        detail.objects.create(intake=intake, **content)
        audit.record(
            actor=actor,
            action="supervision.intake.submitted",
            obj=intake,
            after=_intake_data(intake),
        )
        _store_files(actor=actor, intake=intake, files=files, stored=stored)
    return intake


def complaint_submit(
    *,
    actor: Any,
    provider: Provider | None,
    versions: Iterable[ModelVersion] = (),
    title: str,
    provider_contact_point: str,
    facts: str,
    provisions: str,
    reasons: str,
    other_information: str = "",
    files: Sequence[File[Any]] = (),
) -> Intake:
    """A downstream provider's complaint (Art. 89(2)): aiact checks that it comes from a
    downstream provider and is duly reasoned (ENF-01); each missing item is an error keyed
    by its field. Stored with its tracking number and aiact's reasons and citations."""
    if not _active(actor):
        raise PermissionDenied("Sign in to lodge a complaint.")
    title = _title(title)
    today = _today()
    content = {
        "provider_contact_point": _text(provider_contact_point),
        "facts": _text(facts),
        "provisions": _text(provisions),
        "reasons": _text(reasons),
        "other_information": _text(other_information),
    }
    check = procedure_check(
        "complaint",
        {"complainant_is_downstream_provider": is_downstream_provider(actor), **content},
        on=today,
        law=load_law(),
    )
    _raise_problems(check.problems)
    return _submit_checked(
        actor=actor,
        kind=IntakeKind.COMPLAINT,
        detail=Complaint,
        sender_kind=OrganisationKind.DOWNSTREAM_PROVIDER,
        title=title,
        provider=provider,
        versions=versions,
        content=content,
        check=check,
        files=files,
    )


def alert_submit(
    *,
    actor: Any,
    provider: Provider | None,
    versions: Iterable[ModelVersion] = (),
    title: str,
    ground: str,
    provider_contact_point: str,
    facts: str,
    reasons: str,
    other_information: str = "",
    files: Sequence[File[Any]] = (),
) -> Intake:
    """A qualified alert of the scientific panel (Art. 90): aiact checks the sender, the
    ground and the content of Art. 90(3) (ENF-02). The Board is to be informed before the
    Office uses its powers on it (`alert_board_informed`)."""
    if not _active(actor):
        raise PermissionDenied("Sign in to send a qualified alert.")
    title = _title(title)
    content = {
        "ground": ground if ground in AlertGround.values else _text(ground),
        "provider_contact_point": _text(provider_contact_point),
        "facts": _text(facts),
        "reasons": _text(reasons),
        "other_information": _text(other_information),
    }
    check = procedure_check(
        "alert",
        {"sender_is_panel_member": is_panel_member(actor), **content},
        on=_today(),
        law=load_law(),
    )
    _raise_problems(check.problems)
    return _submit_checked(
        actor=actor,
        kind=IntakeKind.ALERT,
        detail=QualifiedAlert,
        sender_kind=OrganisationKind.SCIENTIFIC_PANEL,
        title=title,
        provider=provider,
        versions=versions,
        content=content,
        check=check,
        files=files,
    )


def alert_board_informed(*, actor: Any, intake: Intake, informed_on: date | None = None) -> Intake:
    """Record that the Board was informed of a qualified alert (Art. 90(2))."""
    _staff(actor)
    day = _not_in_future(informed_on or _today(), "informed_on")
    with transaction.atomic():
        intake = _locked(intake)
        if intake.kind != IntakeKind.ALERT:
            raise ValidationError({"intake": "Only a qualified alert is put to the Board."})
        alert = QualifiedAlert.objects.select_for_update().get(intake=intake)
        if day is not None and day < intake.received_at.date():
            raise ValidationError({"informed_on": "The Board cannot be informed before receipt."})
        before = alert.board_informed_on
        alert.board_informed_on = day
        alert.save(update_fields=["board_informed_on"])
        audit.record(
            actor=actor,
            action="supervision.alert.board_informed",
            obj=intake,
            before={"board_informed_on": before},
            after={"board_informed_on": day},
        )
    return intake


# --- serious incidents ---------------------------------------------------------------------


def _report_content(kind: str, report: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(report) - set(INCIDENT_REPORT_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "Unknown field of an incident report."})
    content = {name: _text(report.get(name)) for name in INCIDENT_REPORT_FIELDS}
    missing = {
        name: ["This item of the report is required (Code of Practice, S&S Measure 9.2)."]
        for name in REQUIRED_REPORT_FIELDS[kind]
        if not content[name]
    }
    if missing:
        raise ValidationError(missing)
    return content


def _types(types: Any) -> list[str]:
    chosen = list(dict.fromkeys(types or ()))
    if not chosen:
        raise ValidationError({"types": "Give at least one incident type."})
    for t in chosen:
        if t not in IncidentType.values:
            raise ValidationError({"types": f"Unknown incident type: {t}."})
    return chosen


def _initial_due(types: list[str], aware_on: date) -> dict[str, Any]:
    law = load_law()
    try:
        return evaluate(
            "incident",
            {"regime": "gpai-code", "types": types, "aware_on": aware_on.isoformat()},
            law=law,
        )
    except InputError as exc:  # pragma: no cover  # the types and date are checked above
        raise ValidationError({"types" if exc.field == "type" else exc.field: exc.message}) from exc


def _followups(initial_on: date, resolved_on: date | None, incident_on: date) -> dict[str, Any]:
    data: dict[str, Any] = {"clock": "cop-followups", "from": initial_on.isoformat()}
    if resolved_on is not None:
        data["resolved"] = resolved_on.isoformat()
        data["incident"] = incident_on.isoformat()
    try:
        return evaluate("clock", data, law=load_law())
    except InputError as exc:
        raise ValidationError({"resolved_on": exc.message}) from exc


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _incident_url(intake: Intake) -> str:
    from django.urls import reverse

    return reverse("supervision:intake_status", args=[intake.tracking_number])


def incident_submit(
    *,
    actor: Any,
    version: ModelVersion,
    title: str,
    types: Sequence[str],
    occurred_on: date | None,
    ended_on: date | None = None,
    aware_on: date | None,
    causal_link_on: date | None = None,
    report: Mapping[str, Any],
    files: Sequence[File[Any]] = (),
) -> Intake:
    """The initial report of a serious incident by (someone acting for) the version's
    provider. aiact gives the Code's initial-report period from the day of awareness
    (COP-02) and the first intermediate report four weeks after this one (COP-03); a report
    after the period is accepted and flagged late. The dates of the incident, of awareness
    and of the causal link, and the day of submission are kept (open question 11)."""
    version = ModelVersion.objects.select_related("model__provider").get(pk=version.pk)
    provider = version.model.provider
    if not acts_for_provider(actor, provider):
        raise PermissionDenied("Only the model's provider reports its serious incidents.")
    title = _title(title)
    chosen = _types(types)
    occurred = _not_in_future(occurred_on, "occurred_on")
    aware = _not_in_future(aware_on, "aware_on")
    ended = _not_in_future(ended_on, "ended_on", required=False)
    causal = _not_in_future(causal_link_on, "causal_link_on", required=False)
    assert occurred is not None and aware is not None
    if ended is not None and ended < occurred:
        raise ValidationError({"ended_on": "The incident cannot end before it started."})
    if aware < occurred:
        raise ValidationError({"aware_on": "Awareness cannot come before the incident started."})
    if causal is not None and causal < occurred:
        raise ValidationError({"causal_link_on": "The causal link follows the incident's start."})
    content = _report_content(IncidentReportKind.INITIAL, report)
    today = _today()
    answer = _initial_due(chosen, aware)
    initial_due = _day(answer["initial_report_due"])
    followups = _followups(today, None, occurred)
    next_due = _day(followups["result"]["next_intermediate"])
    files = list(files)
    with removed_on_failure() as stored, transaction.atomic():
        intake = _new_intake(
            kind=IntakeKind.INCIDENT,
            title=title,
            submitted_by=actor,
            organisation=_acting_organisation(actor, provider),
            provider=provider,
            rules_version=str(answer["rules_version"]),
            reasons=list(answer["reasons"]),
            citations=_labels(answer["citations"]),
        )
        intake.versions.set([version])
        incident = Incident.objects.create(
            intake=intake,
            types=chosen,
            occurred_on=occurred,
            ended_on=ended,
            aware_on=aware,
            causal_link_on=causal,
            initial_due=initial_due,
            rules_version=str(answer["rules_version"]),
            reasons=[*answer["reasons"], *followups["reasons"]],
            citations=_labels([*answer["citations"], *followups["citations"]]),
        )
        initial = IncidentReport.objects.create(
            incident=incident,
            kind=IncidentReportKind.INITIAL,
            submitted_at=intake.received_at,
            submitted_by=actor,
            due_on=initial_due,
            late=today > initial_due,
            **content,
        )
        url = _incident_url(intake)
        clock.open_deadline(
            kind=DeadlineKind.INCIDENT_INITIAL,
            source=incident,
            due_on=initial_due,
            title=f"{intake.tracking_number}: initial serious-incident report (Code of Practice)",
            provider=provider,
            provider_to_act=True,
            legal=False,
            url=url,
            answer=answer,
        )
        clock.close_deadlines(source=incident, kinds=[DeadlineKind.INCIDENT_INITIAL])
        clock.open_deadline(
            kind=DeadlineKind.INCIDENT_INTERMEDIATE,
            source=incident,
            due_on=next_due,
            title=f"{intake.tracking_number}: intermediate serious-incident report "
            "(Code of Practice)",
            provider=provider,
            provider_to_act=True,
            legal=False,
            url=url,
            answer=followups,
        )
        audit.record(
            actor=actor,
            action="supervision.intake.submitted",
            obj=intake,
            after={
                **_intake_data(intake),
                "types": chosen,
                "occurred_on": occurred,
                "aware_on": aware,
                "causal_link_on": causal,
                "initial_due": initial_due,
                "late": initial.late,
                "next_intermediate_due": next_due,
            },
        )
        _store_files(actor=actor, intake=intake, files=files, stored=stored, from_provider=True)
    return intake


def _acting_organisation(user: Any, provider: Provider) -> Any:
    membership = (
        user.memberships.select_related("organisation")
        .filter(organisation_id=provider.organisation_id)
        .first()
    )
    if membership is None:
        membership = user.memberships.select_related("organisation").order_by("id").first()
    return membership.organisation if membership is not None else None


def incident_report_add(
    *,
    actor: Any,
    incident: Incident,
    kind: str,
    report: Mapping[str, Any],
    resolved_on: date | None = None,
    files: Sequence[File[Any]] = (),
) -> IncidentReport:
    """An intermediate or final report on an incident. An intermediate report is due four
    weeks after the last report while the incident is unresolved; the final report within
    60 days of resolution (COP-03, computed by aiact). A report after its date is accepted
    and flagged late. Giving the day of resolution (required with the final report) ends
    the intermediate reports and sets the final report's date and how long the incident's
    documentation is kept."""
    if kind not in (IncidentReportKind.INTERMEDIATE, IncidentReportKind.FINAL):
        raise ValidationError({"kind": "An added report is intermediate or final."})
    provider = Provider.objects.get(intakes=incident.intake_id)
    if not acts_for_provider(actor, provider):
        raise PermissionDenied("Only the model's provider reports on its serious incidents.")
    errors: dict[str, list[str]] = {}
    content: dict[str, str] = {}
    resolved: date | None = None
    try:
        content = _report_content(kind, report)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        resolved = _not_in_future(
            resolved_on, "resolved_on", required=kind == IncidentReportKind.FINAL
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    files = list(files)
    today = _today()
    with removed_on_failure() as stored, transaction.atomic():
        incident = Incident.objects.select_for_update().select_related("intake").get(pk=incident.pk)
        intake = incident.intake
        reports = list(incident.reports.order_by("submitted_at", "id"))
        if any(r.kind == IncidentReportKind.FINAL for r in reports):
            raise ValidationError({"kind": "The final report on this incident was submitted."})
        if resolved is not None and resolved < incident.occurred_on:
            raise ValidationError({"resolved_on": "Resolution cannot come before the incident."})
        initial_on = reports[0].submitted_at.date()
        last_on = reports[-1].submitted_at.date()
        before = {"resolved_on": incident.resolved_on, "final_due": incident.final_due}
        if resolved is not None:
            answer = _followups(initial_on, resolved, incident.ended_on or incident.occurred_on)
            incident.resolved_on = resolved
            incident.final_due = _day(answer["result"]["final_report_due"])
            incident.keep_until = _day(answer["result"]["keep_until"])
        if kind == IncidentReportKind.FINAL:
            assert incident.final_due is not None
            due_on = incident.final_due
        else:
            due_on = _day(
                _followups(last_on, None, incident.occurred_on)["result"]["next_intermediate"]
            )
        added = IncidentReport.objects.create(
            incident=incident,
            kind=kind,
            submitted_at=_now(),
            submitted_by=actor,
            due_on=due_on,
            late=today > due_on,
            **content,
        )
        incident.save(update_fields=["resolved_on", "final_due", "keep_until"])
        url = _incident_url(intake)
        if kind == IncidentReportKind.FINAL:
            clock.close_deadlines(source=incident, kinds=[DeadlineKind.INCIDENT_FINAL])
            clock.close_deadlines(
                source=incident,
                kinds=[DeadlineKind.INCIDENT_INTERMEDIATE],
                status=DeadlineStatus.CANCELLED,
            )
        elif incident.resolved_on is not None:
            clock.close_deadlines(source=incident, kinds=[DeadlineKind.INCIDENT_INTERMEDIATE])
        else:
            clock.close_deadlines(source=incident, kinds=[DeadlineKind.INCIDENT_INTERMEDIATE])
            followups = _followups(today, None, incident.occurred_on)
            clock.open_deadline(
                kind=DeadlineKind.INCIDENT_INTERMEDIATE,
                source=incident,
                due_on=_day(followups["result"]["next_intermediate"]),
                title=f"{intake.tracking_number}: intermediate serious-incident report "
                "(Code of Practice)",
                provider=provider,
                provider_to_act=True,
                legal=False,
                url=url,
                answer=followups,
            )
        if kind != IncidentReportKind.FINAL and incident.final_due is not None:
            final_answer = _followups(
                initial_on, incident.resolved_on, incident.ended_on or incident.occurred_on
            )
            clock.open_deadline(
                kind=DeadlineKind.INCIDENT_FINAL,
                source=incident,
                due_on=incident.final_due,
                title=f"{intake.tracking_number}: final serious-incident report (Code of Practice)",
                provider=provider,
                provider_to_act=True,
                legal=False,
                url=url,
                answer=final_answer,
            )
        audit.record(
            actor=actor,
            action=f"supervision.incident.{kind}_report",
            obj=intake,
            before=before,
            after={
                "report": added.pk,
                "kind": kind,
                "due_on": due_on,
                "late": added.late,
                "resolved_on": incident.resolved_on,
                "final_due": incident.final_due,
                "keep_until": incident.keep_until,
            },
        )
        _store_files(
            actor=actor,
            intake=intake,
            files=files,
            stored=stored,
            from_provider=True,
            retain_until=incident.keep_until,
        )
    return added


# --- whistleblowers --------------------------------------------------------------------------


def _message_body(body: Any) -> str:
    text = _text(body)
    if not text:
        raise ValidationError({"body": "Write your message."})
    if len(text) > MAX_MESSAGE:
        raise ValidationError({"body": f"At most {MAX_MESSAGE} characters."})
    return text


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def whistleblower_submit(
    *, title: str, body: str, provider: Provider | None = None, files: Sequence[File[Any]] = ()
) -> tuple[Intake, str]:
    """An anonymous report. Returns it with the reporter's secret reply key, which is
    never stored (only its SHA-256): whoever loses it loses access to the exchange.
    Nothing identifying is kept: no account, no address, only the day of receipt."""
    title = _title(title)
    text = _message_body(body)
    files = list(files)
    secret = secrets.token_urlsafe(32)
    today = _today()
    with removed_on_failure() as stored, transaction.atomic():
        intake = _new_intake(
            kind=IntakeKind.WHISTLEBLOWER,
            title=title,
            provider=provider,
            received_at=_midnight(today),
        )
        report = WhistleblowerReport.objects.create(
            intake=intake, secret_sha256=secret_digest(secret)
        )
        WhistleblowerMessage.objects.create(
            report=report, direction=MessageDirection.FROM_REPORTER, body=text, sent_on=today
        )
        audit.record(
            actor=None,
            action="supervision.intake.submitted",
            obj=intake,
            after=_intake_data(intake),
            anonymous=True,
        )
        documents = _store_files(actor=None, intake=intake, files=files, stored=stored)
        _coarsen_documents(documents, today)
    return intake, secret


def _coarsen_documents(documents: list[Any], today: date) -> None:
    """A whistleblower's file keeps the day it came, not the moment."""
    from aioffice.supervision.models import Document

    if documents:
        Document.objects.filter(pk__in=[d.pk for d in documents]).update(
            uploaded_at=_midnight(today), scanned_at=_midnight(today)
        )


def whistleblower_reply(*, secret: str, body: str) -> WhistleblowerMessage:
    """The reporter answers, through their secret key."""
    text = _message_body(body)
    today = _today()
    with transaction.atomic():
        report = (
            WhistleblowerReport.objects.select_for_update()
            .select_related("intake")
            .filter(secret_sha256=secret_digest(secret or ""))
            .first()
        )
        if report is None:
            raise ValidationError({"secret": "This key opens no report."})
        message = WhistleblowerMessage.objects.create(
            report=report, direction=MessageDirection.FROM_REPORTER, body=text, sent_on=today
        )
        audit.record(
            actor=None,
            action="supervision.whistleblower.reporter_replied",
            obj=report.intake,
            after={"message": message.pk},
            anonymous=True,
        )
    return message


def whistleblower_office_reply(*, actor: Any, intake: Intake, body: str) -> WhistleblowerMessage:
    """A member of the Office writes to the reporter (who reads it through their key)."""
    _staff(actor)
    text = _message_body(body)
    with transaction.atomic():
        intake = _locked(intake)
        if intake.kind != IntakeKind.WHISTLEBLOWER:
            raise ValidationError({"intake": "Only a whistleblower report has an exchange."})
        message = WhistleblowerMessage.objects.create(
            report=intake.whistleblower,
            direction=MessageDirection.FROM_OFFICE,
            body=text,
            sent_on=_today(),
            author=actor,
        )
        audit.record(
            actor=actor,
            action="supervision.whistleblower.office_replied",
            obj=intake,
            after={"message": message.pk},
        )
    return message


# --- triage ------------------------------------------------------------------------------------


def _staff(actor: Any) -> None:
    if not is_staff_user(actor):
        raise PermissionDenied("Only the Office's staff triage reports.")


def _locked(intake: Intake) -> Intake:
    return Intake.objects.select_for_update().get(pk=intake.pk)


def _open(intake: Intake, field: str = "intake") -> None:
    if intake.status not in OPEN_INTAKE_STATUSES:
        raise ValidationError(
            {field: f"{intake.tracking_number} is {intake.get_status_display().lower()}."}
        )


def intake_triage(*, actor: Any, intake: Intake, note: str = "") -> Intake:
    """Take a report into triage (a note may be added, or changed later)."""
    _staff(actor)
    with transaction.atomic():
        intake = _locked(intake)
        _open(intake)
        before = {"status": intake.status, "triage_note": intake.triage_note}
        intake.status = IntakeStatus.IN_TRIAGE
        intake.triaged_by = actor
        if _text(note):
            intake.triage_note = _text(note)
        intake.save(update_fields=["status", "triaged_by", "triage_note"])
        audit.record(
            actor=actor,
            action="supervision.intake.triaged",
            obj=intake,
            before=before,
            after={"status": intake.status, "triage_note": intake.triage_note},
        )
    return intake


def intake_link_versions(*, actor: Any, intake: Intake, versions: Iterable[ModelVersion]) -> Intake:
    """Link a report to the model versions it concerns (added to those linked). A report
    without a provider takes the versions' provider; the versions share one provider."""
    _staff(actor)
    chosen = list(versions)
    if not chosen:
        raise ValidationError({"versions": "Choose at least one model version."})
    with transaction.atomic():
        intake = _locked(intake)
        found = list(
            ModelVersion.objects.select_related("model").filter(pk__in=[v.pk for v in chosen])
        )
        providers = {v.model.provider_id for v in found}
        if intake.provider_id is not None:
            providers.add(intake.provider_id)
        if len(providers) > 1:
            raise ValidationError({"versions": "The versions are of the report's one provider."})
        before = sorted(intake.versions.values_list("pk", flat=True))
        intake.versions.add(*found)
        if intake.provider_id is None:
            intake.provider_id = found[0].model.provider_id
            intake.save(update_fields=["provider"])
        after = sorted(intake.versions.values_list("pk", flat=True))
        audit.record(
            actor=actor,
            action="supervision.intake.versions_linked",
            obj=intake,
            before={"versions": before},
            after={"versions": after, "provider": intake.provider_id},
        )
    return intake


def intake_link(*, actor: Any, intake: Intake, other: Intake) -> Intake:
    """Link two reports (both ways)."""
    _staff(actor)
    if intake.pk == other.pk:
        raise ValidationError({"other": "A report is not linked to itself."})
    with transaction.atomic():
        intake = _locked(intake)
        other = _locked(other)
        intake.related.add(other)
        audit.record(
            actor=actor,
            action="supervision.intake.linked",
            obj=intake,
            after={"other": other.tracking_number},
        )
    return intake


def intake_unlink(*, actor: Any, intake: Intake, other: Intake) -> Intake:
    """Remove the link between two reports."""
    _staff(actor)
    with transaction.atomic():
        intake = _locked(intake)
        if not intake.related.filter(pk=other.pk).exists():
            raise ValidationError({"other": "These reports are not linked."})
        intake.related.remove(other)
        audit.record(
            actor=actor,
            action="supervision.intake.unlinked",
            obj=intake,
            before={"other": other.tracking_number},
        )
    return intake


def intake_merge(*, actor: Any, duplicate: Intake, into: Intake) -> Intake:
    """Merge a duplicate into another report of the same kind: the duplicate is closed as
    merged and points to it; its versions and links pass to it. The sender of the duplicate
    still sees their report and what it was merged into."""
    _staff(actor)
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "A report is not merged into itself."})
    with transaction.atomic():
        first, second = sorted([duplicate.pk, into.pk])
        locked = {
            i.pk: i for i in Intake.objects.select_for_update().filter(pk__in=[first, second])
        }
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        _open(duplicate, "duplicate")
        if into.status == IntakeStatus.MERGED:
            raise ValidationError({"into": f"{into.tracking_number} was itself merged."})
        if duplicate.kind != into.kind:
            raise ValidationError({"into": "Only reports of the same kind are merged."})
        if (
            duplicate.provider_id is not None
            and into.provider_id is not None
            and duplicate.provider_id != into.provider_id
        ):
            raise ValidationError({"into": "The reports concern different providers."})
        before = {"status": duplicate.status}
        duplicate.status = IntakeStatus.MERGED
        duplicate.merged_into = into
        duplicate.save(update_fields=["status", "merged_into"])
        into.versions.add(*duplicate.versions.all())
        others = [o for o in duplicate.related.all() if o.pk != into.pk]
        into.related.add(*others)
        into.related.add(duplicate)
        if into.provider_id is None and duplicate.provider_id is not None:
            into.provider_id = duplicate.provider_id
            into.save(update_fields=["provider"])
        audit.record(
            actor=actor,
            action="supervision.intake.merged",
            obj=duplicate,
            before=before,
            after={"status": duplicate.status, "merged_into": into.tracking_number},
        )
    return duplicate


def intake_not_pursued(*, actor: Any, intake: Intake, reasons: str) -> Intake:
    """Close a report as not pursued, with the reasons (shown to its sender)."""
    _staff(actor)
    text = _text(reasons)
    if not text:
        raise ValidationError({"reasons": "Give the reasons for not pursuing the report."})
    with transaction.atomic():
        intake = _locked(intake)
        _open(intake)
        before = {"status": intake.status}
        intake.status = IntakeStatus.NOT_PURSUED
        intake.outcome_reasons = text
        intake.triaged_by = actor
        intake.save(update_fields=["status", "outcome_reasons", "triaged_by"])
        audit.record(
            actor=actor,
            action="supervision.intake.not_pursued",
            obj=intake,
            before=before,
            after={"status": intake.status, "reasons": text},
        )
    return intake
