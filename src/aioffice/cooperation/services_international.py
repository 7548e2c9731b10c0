"""Writes of international cooperation: partners, agreements and dialogues, their status
history, documents and rounds.

Every change is one transaction with one audit event (ids, kinds, statuses, dates; never a
partner's contact point). Bad input raises `ValidationError` naming the field; a change of
status that is not one is refused. Documents: a PDF or a text file up to
`DOCUMENTATION_MAX_UPLOAD_BYTES`, its first bytes fitting its type, stored with the SHA-256
read back from storage; a failed change removes the file it stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from aioffice.cooperation.models_international import (
    COUNTRY_CODE,
    Agreement,
    AgreementDocument,
    AgreementMemberState,
    AgreementStatus,
    AgreementStatusChange,
    DialogueRound,
    Partner,
)
from aioffice.core import audit
from aioffice.core.files import MARKDOWN, PDF, TEXT, check_upload, removed_on_failure
from aioffice.registry.choices import MEMBER_STATE_NAMES

PARTNER_FIELDS = (
    "name",
    "country",
    "kind",
    "website",
    "description",
    "status",
    "contact_point",
    "published",
)
AGREEMENT_FIELDS = (
    "title",
    "kind",
    "signed_on",
    "in_force_from",
    "ends_on",
    "summary",
    "member_state_support",
    "published",
)
# Free text (it may name a person): the audit trail says that it changed, never what it is.
PARTNER_TEXT = ("name", "website", "description", "contact_point")
AGREEMENT_TEXT = ("title", "summary", "member_state_support")
# What a document may be (its first bytes checked).
DOCUMENT_TYPES = (PDF, TEXT, MARKDOWN)


def _today() -> date:
    return timezone.now().date()


def _checked(values: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    return dict(values)


def _storable(values: Mapping[str, Any]) -> None:
    """Text the databases can store (PostgreSQL refuses NUL characters), naming the field."""
    for name, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({name: _("Text cannot contain NUL characters.")})


def _partner_trail(partner: Partner) -> dict[str, Any]:
    """A partner as the audit trail keeps it: codes and flags, never its free text."""
    return model_to_dict(partner, fields=[f for f in PARTNER_FIELDS if f not in PARTNER_TEXT])


def _agreement_trail(agreement: Agreement) -> dict[str, Any]:
    """An agreement as the audit trail keeps it: kind, dates, status, partners' ids and
    Member States, never its title or texts."""
    state = model_to_dict(agreement, fields=["kind", "signed_on", "in_force_from"])
    state.update(
        ends_on=agreement.ends_on,
        published=agreement.published,
        status=agreement.status,
        partners=sorted(agreement.partners.values_list("pk", flat=True)),
        member_states=sorted(agreement.member_states.values_list("member_state", flat=True)),
    )
    return state


def _texts(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def _mark_text_changes(
    before: dict[str, Any], row: Any, old: dict[str, Any], new: dict[str, Any]
) -> None:
    """Which free-text fields changed (their names only, never what they were or are)."""
    for name, value in before.items():
        if getattr(row, name) != value:
            old[name], new[name] = "changed", "changed"


def _save_partner(partner: Partner) -> None:
    """Save; a name another request took meanwhile (a double submission) is a refusal
    naming the field, never a server error."""
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError:
        raise ValidationError({"name": _("A partner with this name exists.")}) from None


def _label(row: Any) -> str:
    """The audit trail's name for a row (its id, never its title)."""
    return f"{row._meta.model_name} {row.pk}"


def _check_country(partner: Partner) -> None:
    if isinstance(partner.country, str):
        partner.country = partner.country.strip().upper()
    if not re.fullmatch(COUNTRY_CODE, str(partner.country or "")):
        raise ValidationError({"country": _("Give the country as a two-letter ISO code.")})


def _check_dates(agreement: Agreement) -> None:
    """The dates in order, each error on its field (the constraints say the same)."""
    signed, start, end = agreement.signed_on, agreement.in_force_from, agreement.ends_on
    if isinstance(signed, date) and isinstance(start, date) and start < signed:
        raise ValidationError({"in_force_from": _("It cannot be in force before it is signed.")})
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise ValidationError({"ends_on": _("It cannot end before it is in force.")})


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


# --- partners ------------------------------------------------------------------------------


def partner_create(*, actor: Any, **values: Any) -> Partner:
    values = _checked(values, PARTNER_FIELDS)
    _storable(values)
    partner = Partner(**values)
    _check_country(partner)
    partner.full_clean()
    with transaction.atomic():
        _save_partner(partner)
        audit.record(
            actor=actor,
            action="cooperation.partner.created",
            obj=partner,
            object_repr=_label(partner),
            after=_partner_trail(partner),
        )
    return partner


def partner_update(*, actor: Any, partner: Partner, **values: Any) -> Partner:
    changes = _checked(values, PARTNER_FIELDS)
    _storable(changes)
    with transaction.atomic():
        current = Partner.objects.select_for_update().get(pk=partner.pk)
        before = _partner_trail(current)
        texts = _texts(current, PARTNER_TEXT)
        for name, value in changes.items():
            setattr(current, name, value)
        _check_country(current)
        current.full_clean()
        _save_partner(current)
        old, new = _diff(before, _partner_trail(current))
        _mark_text_changes(texts, current, old, new)
        audit.record(
            actor=actor,
            action="cooperation.partner.updated",
            obj=current,
            object_repr=_label(current),
            before=old,
            after=new,
        )
    return current


# --- agreements and dialogues ---------------------------------------------------------------


def _member_states(codes: Iterable[str]) -> list[str]:
    found = sorted(set(codes))
    for code in found:
        if code not in MEMBER_STATE_NAMES:
            raise ValidationError(
                {"member_states": _("Not a Member State: %(code)s.") % {"code": code}}
            )
    return found


def _partners(ids: Iterable[int]) -> list[Partner]:
    wanted = sorted({int(i) for i in ids})
    found = list(Partner.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {p.pk for p in found})
        raise ValidationError(
            {"partners": _("No such partner: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    return found


def _set_member_states(agreement: Agreement, codes: list[str]) -> None:
    AgreementMemberState.objects.filter(agreement=agreement).exclude(
        member_state__in=codes
    ).delete()
    have = set(agreement.member_states.values_list("member_state", flat=True))
    AgreementMemberState.objects.bulk_create(
        AgreementMemberState(agreement=agreement, member_state=code)
        for code in codes
        if code not in have
    )


def agreement_create(
    *,
    actor: Any,
    partners: Iterable[int] = (),
    member_states: Iterable[str] = (),
    status: str = AgreementStatus.EXPLORATORY,
    status_on: date | None = None,
    **values: Any,
) -> Agreement:
    """A new agreement or dialogue, with its first status (dated `status_on`, today by
    default) as the first step of its history."""
    values = _checked(values, AGREEMENT_FIELDS)
    _storable(values)
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Not a status: %(status)s.") % {"status": status}})
    agreement = Agreement(**values, status=status)
    _check_dates(agreement)
    agreement.full_clean()
    chosen = _partners(partners)
    codes = _member_states(member_states)
    with transaction.atomic():
        agreement.save()
        agreement.partners.set(chosen)
        _set_member_states(agreement, codes)
        AgreementStatusChange.objects.create(
            agreement=agreement,
            from_status="",
            to_status=status,
            on=status_on or _today(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="cooperation.agreement.created",
            obj=agreement,
            object_repr=_label(agreement),
            after=_agreement_trail(agreement),
        )
    return agreement


def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    partners: Iterable[int] | None = None,
    member_states: Iterable[str] | None = None,
    **values: Any,
) -> Agreement:
    """Change an agreement's facts, partners, Member States or publication (its status
    changes through `agreement_status_change`)."""
    changes = _checked(values, AGREEMENT_FIELDS)
    _storable(changes)
    chosen = _partners(partners) if partners is not None else None
    codes = _member_states(member_states) if member_states is not None else None
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        before = _agreement_trail(current)
        texts = _texts(current, AGREEMENT_TEXT)
        for name, value in changes.items():
            setattr(current, name, value)
        _check_dates(current)
        current.full_clean()
        current.save()
        if chosen is not None:
            current.partners.set(chosen)
        if codes is not None:
            _set_member_states(current, codes)
        old, new = _diff(before, _agreement_trail(current))
        _mark_text_changes(texts, current, old, new)
        audit.record(
            actor=actor,
            action="cooperation.agreement.updated",
            obj=current,
            object_repr=_label(current),
            before=old,
            after=new,
        )
    return current


def agreement_status_change(
    *, actor: Any, agreement: Agreement, status: str, on: date, note: str = ""
) -> AgreementStatusChange:
    """Move an agreement to another status on a date, kept in its history. An ended one
    stays ended; a date before the last step is refused. Signing and entry into force fill
    `signed_on` and `in_force_from` when they are empty."""
    _storable({"note": note})
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Not a status: %(status)s.") % {"status": status}})
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status == AgreementStatus.ENDED:
            raise ValidationError({"status": _("It has ended: its status no longer changes.")})
        if current.status == status:
            raise ValidationError(
                {
                    "status": _("It is already %(status)s.")
                    % {"status": current.get_status_display()}
                }
            )
        last = current.history.order_by("-on", "-id").first()
        if last is not None and on < last.on:
            raise ValidationError(
                {
                    "on": _("The last change was on %(date)s: this one cannot be earlier.")
                    % {"date": last.on}
                }
            )
        previous = current.status
        current.status = status
        fields = ["status", "updated_at"]
        if status == AgreementStatus.SIGNED and current.signed_on is None:
            current.signed_on = on
            fields.append("signed_on")
        if status == AgreementStatus.IN_FORCE and current.in_force_from is None:
            current.in_force_from = on
            fields.append("in_force_from")
        _check_dates(current)
        current.full_clean()
        current.save(update_fields=fields)
        step = AgreementStatusChange.objects.create(
            agreement=current,
            from_status=previous,
            to_status=status,
            on=on,
            note=note.strip(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="cooperation.agreement.status_changed",
            obj=current,
            object_repr=_label(current),
            before={"status": previous},
            after={"status": status, "on": on},
        )
    return step


# --- documents and rounds -------------------------------------------------------------------


def agreement_document_add(
    *,
    actor: Any,
    agreement: Agreement,
    upload: File,  # type: ignore[type-arg]  # any content
    title: str = "",
    public: bool = False,
) -> AgreementDocument:
    """Store one document of an agreement (public, or internal to the Office)."""
    field = "file"
    _storable({"title": title})
    found = check_upload(
        upload,
        field=field,
        allowed=DOCUMENT_TYPES,
        max_bytes=int(settings.DOCUMENTATION_MAX_UPLOAD_BYTES),
    )
    document = AgreementDocument(
        agreement=agreement,
        title=(title.strip() or found.filename)[:200],
        filename=found.filename,
        content_type=found.content_type,
        sha256=found.sha256,
        size=found.size,
        public=public,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    with removed_on_failure() as stored, transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        found.store(document.file, stored)
        document.save()
        audit.record(
            actor=actor,
            action="cooperation.agreement_document.stored",
            obj=document,
            object_repr=_label(document),
            after={
                "agreement": agreement.pk,
                "sha256": document.sha256,
                "size": document.size,
                "content_type": found.content_type,
                "public": public,
            },
        )
    return document


def dialogue_round_add(
    *,
    actor: Any,
    agreement: Agreement,
    held_on: date,
    summary: str,
    place: str = "",
    public: bool = False,
) -> DialogueRound:
    """Record a meeting or round of a dialogue or an agreement's work."""
    values = {"summary": summary.strip(), "place": place.strip()}
    _storable(values)
    meeting = DialogueRound(agreement=agreement, held_on=held_on, public=public, **values)
    meeting.full_clean()
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        meeting.save()
        audit.record(
            actor=actor,
            action="cooperation.dialogue_round.recorded",
            obj=meeting,
            object_repr=_label(meeting),
            after={"agreement": agreement.pk, "held_on": held_on, "public": public},
        )
    return meeting
