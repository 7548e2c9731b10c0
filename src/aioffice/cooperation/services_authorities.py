"""Writes of the authorities directory (Art. 70; GOV-01): designations, the single point of
contact, the link to the organisation an authority's staff sign in with, and the Member
States' resource reports (Art. 70(6)) with their one open deadline on the clock.

Every change is one transaction with one audit event (ids, kinds, statuses; never a
person's name or contact details). Bad input raises `ValidationError` naming the field,
never an `IntegrityError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.cooperation.choices import AuthorityKind
from aioffice.cooperation.models_authorities import Authority, MemberState, ResourceReport
from aioffice.core import audit
from aioffice.core.files import (
    CSV,
    DOCX,
    ODS,
    ODT,
    PDF,
    TEXT,
    XLSX,
    check_upload,
    removed_on_failure,
)
from aioffice.registry.choices import EU_MEMBER_STATES, MEMBER_STATE_NAMES
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind

# What the directory's editors set on a designation; `active` and the single point of
# contact have their own services (ending a designation, naming the contact point).
AUTHORITY_FIELDS = (
    "member_state",
    "name",
    "kind",
    "sector",
    "tasks",
    "email",
    "phone",
    "website",
    "address",
    "contact_published_on",
    "organisation",
)
# The files a resource report may be: documents and spreadsheets (their first bytes checked).
REPORT_TYPES = (PDF, ODT, ODS, DOCX, XLSX, TEXT, CSV)


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(AUTHORITY_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    return dict(values)


def _trail(authority: Authority) -> dict[str, Any]:
    """A designation as the trail keeps it: ids, codes and flags, whether contact details
    are there (they may name a person), never the details."""
    return {
        "member_state": authority.member_state,
        "kind": authority.kind,
        "sector": authority.sector,
        "single_point_of_contact": authority.single_point_of_contact,
        "organisation": authority.organisation_id,
        "active": authority.active,
        "contact_published_on": (
            None
            if authority.contact_published_on is None
            else authority.contact_published_on.isoformat()
        ),
        "has_email": bool(authority.email),
        "has_phone": bool(authority.phone),
        "has_website": bool(authority.website),
        "has_address": bool(authority.address),
    }


def _validate(authority: Authority) -> None:
    """The directory's rules, each naming its field, then the model's own checks."""
    errors: dict[str, str] = {}
    if authority.member_state not in EU_MEMBER_STATES:
        errors["member_state"] = "Choose one of the 27 Member States."
    organisation = authority.organisation
    if organisation is not None:
        if organisation.kind != OrganisationKind.NATIONAL_AUTHORITY:
            errors["organisation"] = "The organisation must be of the kind national authority."
        elif (
            Authority.objects.filter(organisation_id=organisation.pk)
            .exclude(pk=authority.pk)
            .exists()
        ):
            errors["organisation"] = "This organisation is already linked to another authority."
    if authority.single_point_of_contact and authority.kind != AuthorityKind.MARKET_SURVEILLANCE:
        errors["kind"] = (
            "This authority is its Member State's single point of contact, which must be a "
            "market surveillance authority (Art. 70(2)); name another one first."
        )
    name = (authority.name or "").strip()
    authority.name = name
    # compared here, not with `iexact`: SQLite folds the case of ASCII letters only
    others = Authority.objects.filter(member_state=authority.member_state).exclude(pk=authority.pk)
    if name and name.casefold() in {n.casefold() for n in others.values_list("name", flat=True)}:
        errors["name"] = "This Member State already has an authority of that name."
    if errors:
        raise ValidationError(errors)
    authority.full_clean()


def _saved(authority: Authority) -> None:
    """Save; a constraint another request beat us to is a refusal naming the field."""
    try:
        with transaction.atomic():
            authority.save()
    except IntegrityError as exc:
        text = str(exc)
        if "spoc" in text:
            raise ValidationError(
                {
                    "single_point_of_contact": "The Member State already has a single point of "
                    "contact; try again."
                }
            ) from None
        if "organisation" in text:
            raise ValidationError(
                {"organisation": "This organisation is already linked to another authority."}
            ) from None
        raise ValidationError(
            {"name": "This Member State already has an authority of that name."}
        ) from None


def authority_create(*, actor: Any, **values: Any) -> Authority:
    """A designation the Member State communicated (Art. 70(2)): designated (active) from
    now, not the single point of contact until named so."""
    authority = Authority(**_checked(values))
    _validate(authority)
    with transaction.atomic():
        _saved(authority)
        audit.record(
            actor=actor,
            action="cooperation.authority.created",
            obj=authority,
            after=_trail(authority),
        )
    return authority


def authority_update(*, actor: Any, authority: Authority, **values: Any) -> Authority:
    changes = _checked(values)
    with transaction.atomic():
        current = Authority.objects.select_for_update().get(pk=authority.pk)
        before = _trail(current)
        if (
            "member_state" in changes
            and changes["member_state"] != current.member_state
            and current.single_point_of_contact
            and current.active
        ):
            raise ValidationError(
                {
                    "member_state": "The single point of contact stays in its Member State; "
                    "name another one first."
                }
            )
        for name, value in changes.items():
            setattr(current, name, value)
        _validate(current)
        _saved(current)
        after = _trail(current)
        audit.record(
            actor=actor,
            action="cooperation.authority.updated",
            obj=current,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return current


def authority_end(*, actor: Any, authority: Authority) -> Authority:
    """The designation ended: kept for history, no longer public, nobody acts for it."""
    with transaction.atomic():
        current = Authority.objects.select_for_update().get(pk=authority.pk)
        if not current.active:
            raise ValidationError({"active": "This designation has already ended."})
        current.active = False
        current.save(update_fields=["active", "updated_at"])
        audit.record(
            actor=actor,
            action="cooperation.authority.ended",
            obj=current,
            before={"active": True},
            after={"active": False},
        )
    return current


def authority_set_single_point_of_contact(*, actor: Any, authority: Authority) -> Authority:
    """Name a designated market surveillance authority its Member State's single point of
    contact (Art. 70(2)); the one named before is no longer it."""
    with transaction.atomic():
        # lock the Member State's designations: two editors naming two contact points at
        # once wait for each other
        rows = list(
            Authority.objects.select_for_update()
            .filter(member_state=authority.member_state)
            .order_by("pk")
        )
        current = next((a for a in rows if a.pk == authority.pk), None)
        if current is None:
            raise ValidationError({"member_state": "The authority changed Member State."})
        if not current.active:
            raise ValidationError(
                {"single_point_of_contact": "This designation has ended: it cannot be named."}
            )
        if current.kind != AuthorityKind.MARKET_SURVEILLANCE:
            raise ValidationError(
                {
                    "single_point_of_contact": "The single point of contact is a market "
                    "surveillance authority (Art. 70(2))."
                }
            )
        if current.single_point_of_contact:
            return current
        previous = [a for a in rows if a.single_point_of_contact and a.active]
        for other in previous:
            other.single_point_of_contact = False
            other.save(update_fields=["single_point_of_contact", "updated_at"])
        current.single_point_of_contact = True
        _saved(current)
        audit.record(
            actor=actor,
            action="cooperation.authority.single_point_of_contact",
            obj=current,
            before={"single_point_of_contact": [a.pk for a in previous]},
            after={"single_point_of_contact": [current.pk]},
        )
    return current


# --- resource reports (Art. 70(6)) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportStanding:
    """Where a Member State stands with its resource reports on a day: the report it owes
    now (the earliest not received) and whether that one is overdue."""

    due_on: date
    overdue: bool


def _today() -> date:
    return timezone.now().date()


def resource_report_clock(on: date) -> dict[str, Any]:
    """aiact's answer: the report due on or after `on`, and the one before it."""
    return evaluate("clock", {"clock": "resource-report", "from": on.isoformat()}, law=load_law())


def _kept(answer: Mapping[str, Any]) -> dict[str, Any]:
    """What a row keeps of aiact's answer: its rules' version, reasons and citations (each
    citation once: several parameters of one rule cite the same article)."""
    labels = [
        str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
        for c in answer.get("citations") or ()
    ]
    return {
        "rules_version": str(answer.get("rules_version", ""))[:100],
        "reasons": [str(r) for r in answer.get("reasons") or ()],
        "citations": list(dict.fromkeys(labels)),
    }


def _due(answer: Mapping[str, Any], key: str = "due") -> date | None:
    value = answer["result"].get(key)
    return None if value is None else date.fromisoformat(str(value))


def resource_report_dates(on: date) -> list[date]:
    """Every report due date up to the first on or after `on`, oldest first (aiact's clock:
    the first date and the interval are law, not ours)."""
    answer = resource_report_clock(on)
    due = _due(answer)
    assert due is not None  # the clock always gives the next one
    found = [due]
    previous = _due(answer, "previous")
    while previous is not None:
        found.append(previous)
        previous = _due(resource_report_clock(previous), "previous")
    return sorted(found)


def standing(received: set[date], dates: list[date], today: date) -> ReportStanding:
    """The earliest report not received among `dates` (the due dates up to the next one,
    `resource_report_dates(today)`); when all came in, the one after."""
    due = next((d for d in dates if d not in received), None)
    if due is None:
        due = dates[-1]
        while due in received:
            next_due = _due(resource_report_clock(due + timedelta(days=1)))
            assert next_due is not None
            due = next_due
    return ReportStanding(due_on=due, overdue=due < today)


def member_state_row(code: str) -> MemberState:
    if code not in EU_MEMBER_STATES:
        raise ValidationError({"member_state": "Choose one of the 27 Member States."})
    row, _created = MemberState.objects.get_or_create(code=code)
    return row


def follow_resource_reports(member_state: MemberState, *, today: date | None = None) -> date:
    """Keep the Member State's one open resource-report deadline on the report it owes now:
    a received report meets the open one (closed as met), and the next one owed opens. In
    the caller's transaction. Returns the due date now open."""
    day = today or _today()
    received = set(member_state.resource_reports.values_list("due_on", flat=True))
    owed = standing(received, resource_report_dates(day), day).due_on
    open_row = clock.open_deadlines().filter(
        source=clock.source_of(member_state), kind=DeadlineKind.RESOURCE_REPORT
    )
    if open_row.filter(due_on__in=received).exists():
        clock.close_deadlines(source=member_state, kinds=[DeadlineKind.RESOURCE_REPORT])
    name = str(MEMBER_STATE_NAMES[member_state.code])
    clock.open_deadline(
        kind=DeadlineKind.RESOURCE_REPORT,
        source=member_state,
        due_on=owed,
        title=f"Report of {name} on its national competent authorities' resources (Art. 70(6))",
        url=reverse("cooperation:authority_member_state", args=[member_state.code]),
        answer=_kept(resource_report_clock(owed)),
    )
    return owed


def sync_deadlines(progress: Callable[[str, int], None] | None = None) -> int:
    """Open (or move) the resource-report deadline of each of the 27 Member States; one
    transaction per Member State. Safe to run again. Returns how many were followed."""
    done = 0
    for code in EU_MEMBER_STATES:
        with transaction.atomic():
            row = member_state_row(code)
            MemberState.objects.select_for_update().get(pk=row.pk)
            follow_resource_reports(row)
        done += 1
        if progress is not None:
            progress(code, done)
    return done


def resource_report_record(
    *,
    actor: Any,
    member_state: str,
    received_on: date,
    upload: File,  # type: ignore[type-arg]  # any content
    summary: str = "",
    due_on: date | None = None,
    today: date | None = None,
) -> ResourceReport:
    """Record a Member State's report on its authorities' resources (Art. 70(6)): the
    report it owes now unless `due_on` names another due date; the file stored with its
    SHA-256 (never public). The report meets its deadline and the next one opens."""
    day = today or _today()
    code = member_state
    if code not in EU_MEMBER_STATES:
        raise ValidationError({"member_state": "Choose one of the 27 Member States."})
    if received_on > day:
        raise ValidationError({"received_on": "A report cannot be received in the future."})
    if "\x00" in summary:
        raise ValidationError({"summary": "Remove the null characters."})
    found = check_upload(
        upload,
        field="file",
        allowed=REPORT_TYPES,
        max_bytes=int(getattr(settings, "SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
        default_name="report",
    )
    dates = resource_report_dates(day)
    with removed_on_failure() as stored, transaction.atomic():
        row = member_state_row(code)
        MemberState.objects.select_for_update().get(pk=row.pk)
        received = set(row.resource_reports.values_list("due_on", flat=True))
        if due_on is None:
            due_on = standing(received, dates, day).due_on
        elif _due(resource_report_clock(due_on)) != due_on:
            raise ValidationError(
                {"due_on": "No report is due on that date (Art. 70(6): see the due dates)."}
            )
        elif due_on > standing(received, dates, day).due_on and due_on > dates[-1]:
            raise ValidationError({"due_on": "That report is not owed yet."})
        if due_on in received:
            raise ValidationError(
                {"due_on": f"The report due on {due_on.isoformat()} is already recorded."}
            )
        answer = _kept(resource_report_clock(due_on))
        report = ResourceReport(
            member_state=row,
            due_on=due_on,
            received_on=received_on,
            summary=summary.strip(),
            filename=found.filename,
            content_type=found.content_type,
            sha256=found.sha256,
            size=found.size,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            **answer,
        )
        found.store(report.file, stored)
        report.save()
        audit.record(
            actor=actor,
            action="cooperation.resource_report.recorded",
            obj=report,
            after={
                "member_state": code,
                "due_on": due_on.isoformat(),
                "received_on": received_on.isoformat(),
                "sha256": report.sha256,
                "size": report.size,
            },
        )
        follow_resource_reports(row, today=day)
    return report


def authority_values(authority: Authority) -> dict[str, Any]:
    """A designation's editable values (a form's initial data)."""
    return model_to_dict(authority, fields=list(AUTHORITY_FIELDS))


def organisation_for(pk: int | None, field: str = "organisation") -> Organisation | None:
    """The organisation named by id (API bodies), or a refusal naming the field."""
    if pk is None:
        return None
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: "No such organisation."})
    return found
