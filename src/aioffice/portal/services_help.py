"""Writes of the portal's help for the public: literacy practices and support structures
(edited by the Office's staff; a practice may also be proposed by anyone, unpublished until
reviewed), and questions to the Office (enquiries).

Every change is one transaction with one audit event. Audit events never hold personal
data (names, addresses, questions, answers): only ids, tracking numbers and statuses, since
the trail is kept for ever while an enquiry is deleted after its retention period.
E-mails leave after the commit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aioffice.core import audit
from aioffice.portal.choices import EnquiryStatus
from aioffice.portal.models_help import Enquiry, LiteracyPractice, SupportStructure

logger = logging.getLogger(__name__)

TRACKING_PREFIX = "Q"
# What staff (and the public form) may set on a practice or a structure; `published` and
# `proposed_by_public` are set by their own services only.
PRACTICE_FIELDS = (
    "title",
    "organisation",
    "sector",
    "organisation_size",
    "member_state",
    "language",
    "description",
    "audience",
    "url",
)
STRUCTURE_FIELDS = (
    "name",
    "kind",
    "member_state",
    "city",
    "operator",
    "description",
    "url",
    "email",
    "operational",
    "active",
)


def _now() -> datetime:
    return timezone.now()


def _checked(values: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    return dict(values)


def _validated(obj: Any) -> None:
    """The model's own checks (choices, lengths, URLs, constraints), as errors naming the
    field."""
    obj.full_clean()


def _state(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return model_to_dict(obj, fields=list(fields))


def _structure_trail(structure: SupportStructure) -> dict[str, Any]:
    """A structure as the audit trail keeps it: its contact address may be a person's
    (the trail is never purged), so only whether it has one."""
    state = _state(structure, STRUCTURE_FIELDS)
    state["email"] = bool(state.get("email"))
    return state


# --- AI literacy practices -----------------------------------------------------------------


def literacy_practice_create(
    *, actor: Any, published: bool = False, **values: Any
) -> LiteracyPractice:
    """A practice entered by the Office's staff (published at once if they say so)."""
    practice = LiteracyPractice(**_checked(values, PRACTICE_FIELDS), published=published)
    _validated(practice)
    with transaction.atomic():
        practice.save()
        audit.record(
            actor=actor,
            action="portal.literacy_practice.created",
            obj=practice,
            after={**_state(practice, PRACTICE_FIELDS), "published": practice.published},
        )
    return practice


def literacy_practice_propose(*, actor: Any, **values: Any) -> LiteracyPractice:
    """A practice proposed by anyone through the public form: stored unpublished for the
    staff to review. It holds no personal data (organisation, not person). `actor` is None
    for the public (nobody's identity is tied to a proposal)."""
    practice = LiteracyPractice(
        **_checked(values, PRACTICE_FIELDS), published=False, proposed_by_public=True
    )
    _validated(practice)
    with transaction.atomic():
        practice.save()
        audit.record(
            actor=actor,
            action="portal.literacy_practice.proposed",
            obj=practice,
            after={"published": False, "sector": practice.sector},
        )
    return practice


def literacy_practice_update(
    *, actor: Any, practice: LiteracyPractice, **values: Any
) -> LiteracyPractice:
    changes = _checked(values, PRACTICE_FIELDS)
    with transaction.atomic():
        current = LiteracyPractice.objects.select_for_update().get(pk=practice.pk)
        before = _state(current, PRACTICE_FIELDS)
        for name, value in changes.items():
            setattr(current, name, value)
        _validated(current)
        current.save()
        after = _state(current, PRACTICE_FIELDS)
        audit.record(
            actor=actor,
            action="portal.literacy_practice.updated",
            obj=current,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return current


def literacy_practice_publish(
    *, actor: Any, practice: LiteracyPractice, published: bool
) -> LiteracyPractice:
    """Publish a practice, or take it back from the public pages."""
    with transaction.atomic():
        current = LiteracyPractice.objects.select_for_update().get(pk=practice.pk)
        if current.published == published:
            return current
        current.published = published
        current.save(update_fields=["published", "updated_at"])
        audit.record(
            actor=actor,
            action="portal.literacy_practice." + ("published" if published else "withdrawn"),
            obj=current,
            before={"published": not published},
            after={"published": published},
        )
    return current


# --- support structures --------------------------------------------------------------------


def support_structure_create(*, actor: Any, **values: Any) -> SupportStructure:
    structure = SupportStructure(**_checked(values, STRUCTURE_FIELDS))
    _validated(structure)
    with transaction.atomic():
        structure.save()
        audit.record(
            actor=actor,
            action="portal.support_structure.created",
            obj=structure,
            after=_structure_trail(structure),
        )
    return structure


def support_structure_update(
    *, actor: Any, structure: SupportStructure, **values: Any
) -> SupportStructure:
    changes = _checked(values, STRUCTURE_FIELDS)
    with transaction.atomic():
        current = SupportStructure.objects.select_for_update().get(pk=structure.pk)
        before = _structure_trail(current)
        address = current.email
        for name, value in changes.items():
            setattr(current, name, value)
        _validated(current)
        current.save()
        after = _structure_trail(current)
        changed = {k for k, v in after.items() if before[k] != v}
        if current.email != address:  # that it changed, never what it was or is
            changed.add("email")
        audit.record(
            actor=actor,
            action="portal.support_structure.updated",
            obj=current,
            before={k: before[k] for k in sorted(changed)},
            after={k: after[k] for k in sorted(changed)},
        )
    return current


# --- questions to the Office ---------------------------------------------------------------


def key_digest(key: str) -> str:
    """The stored form of an enquiry's secret key."""
    return hashlib.sha256(key.encode()).hexdigest()


def _tracking(enquiry: Enquiry) -> str:
    return f"{TRACKING_PREFIX}-{enquiry.submitted_at:%Y}-{enquiry.pk:06d}"


def status_path(tracking_number: str, key: str) -> str:
    return reverse("portal:enquiry_status", args=[tracking_number, key])


def _language(code: str) -> str:
    """The language an e-mail is written in: the sender's if the site speaks it."""
    spoken = {c for c, _name in settings.LANGUAGES}
    return code if code in spoken else settings.LANGUAGE_CODE


def _mail(to: str, language: str, subject: Any, template: str, context: dict[str, Any]) -> None:
    """Send one message after the commit; a mail server that refuses it is logged (without
    the address), never shown to the visitor as an error."""

    def send() -> None:
        with translation.override(_language(language)):
            body = render_to_string(template, context)
            title = str(subject % context)
        try:
            send_mail(title, body, None, [to])
        except OSError:  # smtplib.SMTPException and connection errors
            logger.warning("portal: the e-mail about %s was not sent", context.get("number"))

    transaction.on_commit(send)


@dataclass(frozen=True)
class SubmittedEnquiry:
    """A new enquiry and the link to its status page (the key is known only here and in
    the e-mail sent to the sender)."""

    enquiry: Enquiry
    key: str
    status_url: str


def enquiry_submit(
    *,
    actor: Any,
    name: str,
    email: str,
    language: str,
    subject: str,
    message: str,
    base_url: str,
    now: datetime | None = None,
) -> SubmittedEnquiry:
    """A question from anyone. It gets a tracking number ("Q-2026-000123") and a secret
    key; the link to its status page (`base_url` + the page's path) is e-mailed to the
    sender. Only the key's SHA-256 is stored. `actor` is None for the public: the audit
    event names no one (the question is deleted after its retention period; the trail is
    not)."""
    submitted_at = now or _now()
    key = secrets.token_urlsafe(32)
    enquiry = Enquiry(
        tracking_number=f"pending-{secrets.token_hex(8)}",
        key_sha256=key_digest(key),
        name=name.strip(),
        email=email.strip(),
        language=language,
        subject=subject.strip(),
        message=message.strip(),
        submitted_at=submitted_at,
        retain_until=(submitted_at + timedelta(days=settings.PORTAL_ENQUIRY_RETENTION_DAYS)).date(),
    )
    _validated(enquiry)
    with transaction.atomic():
        enquiry.save()
        enquiry.tracking_number = _tracking(enquiry)
        enquiry.save(update_fields=["tracking_number"])
        audit.record(
            actor=actor,
            action="portal.enquiry.received",
            obj=enquiry,
            after={"status": enquiry.status, "language": enquiry.language},
        )
        link = base_url.rstrip("/") + status_path(enquiry.tracking_number, key)
        _mail(
            enquiry.email,
            enquiry.language,
            gettext_lazy("Your question to the AI Office: %(number)s"),
            "portal/help/email/enquiry_received.txt",
            {
                "number": enquiry.tracking_number,
                "link": link,
                "retain_until": enquiry.retain_until,
                "retention_days": settings.PORTAL_ENQUIRY_RETENTION_DAYS,
            },
        )
    return SubmittedEnquiry(enquiry=enquiry, key=key, status_url=link)


def _open_enquiry(enquiry: Enquiry, field: str) -> Enquiry:
    current = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if current.status != EnquiryStatus.RECEIVED:
        raise ValidationError(
            {
                field: _("%(number)s is already %(status)s.")
                % {"number": current.tracking_number, "status": current.get_status_display()}
            }
        )
    return current


def enquiry_answer(*, actor: Any, enquiry: Enquiry, answer: str) -> Enquiry:
    """The Office's answer: stored, shown on the status page and e-mailed to the sender."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        current = _open_enquiry(enquiry, "answer")
        current.status = EnquiryStatus.ANSWERED
        current.answer = answer
        current.answered_by = actor
        current.answered_at = _now()
        current.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        audit.record(
            actor=actor,
            action="portal.enquiry.answered",
            obj=current,
            before={"status": EnquiryStatus.RECEIVED},
            after={"status": current.status},
        )
        _mail(
            current.email,
            current.language,
            gettext_lazy("The AI Office's answer to your question %(number)s"),
            "portal/help/email/enquiry_answered.txt",
            {"number": current.tracking_number, "answer": answer},
        )
    return current


def enquiry_close(*, actor: Any, enquiry: Enquiry, reason: str, notify: bool) -> Enquiry:
    """Close a question without answer (out of scope, a duplicate, abusive...), with the
    reason shown on the status page; the sender is told by e-mail if `notify`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the question is closed without answer.")})
    with transaction.atomic():
        current = _open_enquiry(enquiry, "reason")
        current.status = EnquiryStatus.CLOSED
        current.close_reason = reason
        current.closed_at = _now()
        current.save(update_fields=["status", "close_reason", "closed_at"])
        audit.record(
            actor=actor,
            action="portal.enquiry.closed",
            obj=current,
            before={"status": EnquiryStatus.RECEIVED},
            after={"status": current.status, "sender_told": notify},
        )
        if notify:
            _mail(
                current.email,
                current.language,
                gettext_lazy("Your question to the AI Office %(number)s was closed"),
                "portal/help/email/enquiry_closed.txt",
                {"number": current.tracking_number, "reason": reason},
            )
    return current


def enquiries_purge(*, now: datetime | None = None) -> int:
    """Delete the enquiries whose retention period is over (`retain_until` before today):
    they hold personal data, so the whole row goes. One audit event names the tracking
    numbers deleted. Returns how many were deleted."""
    today = (now or _now()).date()
    with transaction.atomic():
        expired = Enquiry.objects.select_for_update().filter(retain_until__lt=today)
        numbers = sorted(expired.values_list("tracking_number", flat=True))
        if not numbers:
            return 0
        Enquiry.objects.filter(tracking_number__in=numbers).delete()
        audit.record(
            actor=None,
            action="portal.enquiry.purged",
            object_type="portal.enquiry",
            object_repr=f"{len(numbers)} enquiries past their retention period",
            after={"count": len(numbers), "tracking_numbers": numbers},
        )
    return len(numbers)
