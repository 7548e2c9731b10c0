"""Consultations: every change, one function each.

Keyword-only, `actor` first; one transaction per state change with the changed row locked;
one audit event each (ids, kinds, statuses and dates only: never a name, an e-mail address
or a comment). Bad input raises `ValidationError` naming the field; an actor without the
right raises `PermissionDenied`.

* `consultation_open`: a published draft opened to chosen working groups or the public from
  `opens_at` to `closes_at` (both set by the staff); the closing day is a deadline on the one
  clock (`DeadlineKind.CONSULTATION_CLOSE`, not a legal one, owned by whoever opened it).
* `consultation_close`: closes it now (early), or records the end of a period that has run
  out; the deadline is closed either way.
* `response_submit` / `response_update`: an answer per section (support, oppose, comment,
  proposed wording) plus a general comment. THE PERIOD IS ENFORCED: before `opens_at` or
  from the close on, nothing is accepted (an error naming `consultation`), whatever the
  channel (page, API, import). The identity check made is recorded: signed in with or
  without a second factor, or an e-mail address whose confirmation link (only its SHA-256 is
  kept) turns `email_unconfirmed` into `email_confirmed` when opened.
* `import_feedback`: the Office enters letters and e-mails in bulk (bulk_create).
* `responses_publish`: after the close, the non-confidential responses are published.
* `close_elapsed`: the worker closes the clock deadlines of the periods that ran out.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from aioffice.core import audit
from aioffice.drafting import permissions, validation
from aioffice.drafting.choices import StakeholderCategory, Visibility
from aioffice.drafting.models_consultations import (
    Audience,
    Channel,
    Confidentiality,
    Consultation,
    Feedback,
    IdentityCheck,
    Position,
    Response,
)
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.drafting.models_projects import Member, WorkingGroup
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

__all__ = [
    "Item",
    "Respondent",
    "Submitted",
    "close_elapsed",
    "consultation_close",
    "consultation_open",
    "import_feedback",
    "is_open",
    "member_of",
    "response_confirm",
    "response_submit",
    "response_update",
    "responses_publish",
    "token_sha256",
]

MAX_TITLE = 300
MAX_TEXT = 20000
MAX_NAME = 200
MAX_ORGANISATION = 300
MAX_IMPORT_ROWS = 200_000
REFERENCE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Respondent:
    """Who answers, as they give it."""

    name: str
    organisation: str = ""
    category: str = ""
    email: str = ""
    confidentiality: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of feedback: on a section (its id), or general where `section` is None."""

    section: int | None
    position: str
    comment: str = ""
    proposed_wording: str = ""


@dataclass(frozen=True, slots=True)
class Submitted:
    response: Response
    token: str  # the e-mail confirmation token ("" when none is needed): send it, never store it


def _now() -> datetime:
    """The one place these services read the clock (tests move it to a period's edges)."""
    return timezone.now()


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _text(
    value: Any, field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    return validation.text(value, field, what, required=required, limit=limit)


def _aware(value: Any, field: str, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError({field: f"{what} must be a date and time."})
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _runner(actor: Any) -> None:
    if not permissions.may_run_projects(actor):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit do this."
        )


# --- the period ---------------------------------------------------------------------------------


def closes_at(consultation: Consultation) -> datetime:
    """When it closes (closed): the end of its period, or the early close."""
    if consultation.closed_early_at is not None:
        return min(consultation.closed_early_at, consultation.closes_at)
    return consultation.closes_at


def is_open(consultation: Consultation, now: datetime | None = None) -> bool:
    """Open from `opens_at` (included) until the close (excluded)."""
    now = now or _now()
    if now < consultation.opens_at:
        return False
    return now < closes_at(consultation)


def is_closed(consultation: Consultation, now: datetime | None = None) -> bool:
    return (now or _now()) >= closes_at(consultation)


def _accepting(consultation: Consultation) -> None:
    now = _now()
    if now < consultation.opens_at:
        raise ValidationError({"consultation": "The consultation is not open yet."})
    if not is_open(consultation, now):
        raise ValidationError(
            {"consultation": "The consultation is closed: no response is accepted any more."}
        )


# --- opening and closing ------------------------------------------------------------------------


def _audience_groups(draft: Draft, audience: str, groups: Sequence[Any]) -> list[WorkingGroup]:
    project = draft.project
    if audience == Audience.PUBLIC:
        if draft.visibility != Visibility.PUBLIC:
            raise ValidationError(
                {"audience": "Only a draft shown to everyone can be opened to the public."}
            )
        if not project.public:
            raise ValidationError(
                {"audience": "The project is not shown on the public pages: publish it first."}
            )
        return []
    if audience != Audience.WORKING_GROUPS:
        raise ValidationError({"audience": "Choose who is consulted."})
    chosen = list(groups or ())
    if not chosen:
        raise ValidationError({"working_groups": "Choose at least one working group."})
    for group in chosen:
        if not isinstance(group, WorkingGroup) or group.project_id != project.pk:
            raise ValidationError(
                {"working_groups": "Choose working groups of this draft's project."}
            )
    if draft.visibility == Visibility.OFFICE:
        raise ValidationError(
            {
                "working_groups": (
                    "The draft is shown to the Office and the chairs only: the working "
                    "groups could not read it."
                )
            }
        )
    return chosen


def consultation_open(
    *,
    actor: Any,
    draft: Draft,
    title: str,
    audience: str,
    opens_at: Any,
    closes_at: Any,
    working_groups: Sequence[Any] = (),
    introduction: str = "",
) -> Consultation:
    """Open a published draft to consultation for the period the staff set."""
    _runner(actor)
    title = _text(title, "title", "The title", limit=MAX_TITLE)
    introduction = _text(introduction, "introduction", "The introduction", required=False)
    opens = _aware(opens_at, "opens_at", "The opening")
    closes = _aware(closes_at, "closes_at", "The closing")
    if closes <= opens:
        raise ValidationError({"closes_at": "The consultation must close after it opens."})
    if closes <= _now():
        raise ValidationError({"closes_at": "The closing date and time is already past."})
    with transaction.atomic():
        draft = Draft.objects.select_for_update().select_related("project").get(pk=draft.pk)
        if draft.status != DraftStatus.PUBLISHED:
            raise ValidationError({"draft": "Only a published draft is consulted on."})
        groups = _audience_groups(draft, audience, working_groups)
        consultation = Consultation.objects.create(
            draft=draft,
            title=title,
            introduction=introduction,
            audience=audience,
            opens_at=opens,
            closes_at=closes,
            created_by=actor,
        )
        consultation.working_groups.set(groups)
        clock.open_deadline(
            kind=DeadlineKind.CONSULTATION_CLOSE,
            source=consultation,
            due_on=timezone.localdate(closes),
            title=f"Consultation {consultation.pk} closes",
            owner=actor,
            legal=False,
            url=reverse("drafting:consultation", args=[consultation.pk]),
        )
        audit.record(
            actor=actor,
            action="drafting.consultation.opened",
            obj=consultation,
            after={
                "draft": draft.pk,
                "audience": audience,
                "working_groups": sorted(g.pk for g in groups),
                "opens_at": opens,
                "closes_at": closes,
            },
        )
    return consultation


def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    """Close now: early while it is open; after its period it records the end (the clock's
    deadline is closed either way)."""
    _runner(actor)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = _now()
        if consultation.closed_early_at is not None:
            raise ValidationError({"consultation": "The consultation is already closed."})
        early = now < consultation.closes_at
        if early:
            consultation.closed_early_at = now
            consultation.save(update_fields=["closed_early_at"])
        clock.close_deadlines(
            source=consultation,
            kinds=[DeadlineKind.CONSULTATION_CLOSE],
            status=DeadlineStatus.MET,
        )
        audit.record(
            actor=actor,
            action="drafting.consultation.closed",
            obj=consultation,
            after={"early": early, "closed_at": closes_at(consultation)},
        )
    return consultation


def responses_publish(*, actor: Any, consultation: Consultation) -> Consultation:
    """Publish the responses whose authors allowed it (confidential ones never)."""
    _runner(actor)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not is_closed(consultation):
            raise ValidationError(
                {"consultation": "Responses are published only after the consultation closes."}
            )
        if consultation.responses_published_at is not None:
            raise ValidationError({"consultation": "The responses are already published."})
        consultation.responses_published_at = _now()
        consultation.save(update_fields=["responses_published_at"])
        clock.close_deadlines(
            source=consultation,
            kinds=[DeadlineKind.CONSULTATION_CLOSE],
            status=DeadlineStatus.MET,
        )
        counts = {
            value: consultation.responses.filter(confidentiality=value).count()
            for value in Confidentiality.values
        }
        audit.record(
            actor=actor,
            action="drafting.consultation.responses_published",
            obj=consultation,
            after={"published_at": consultation.responses_published_at, "counts": counts},
        )
    return consultation


# --- responses ----------------------------------------------------------------------------------


def _respondent(
    respondent: Respondent, *, email_required: bool, prefix: str = ""
) -> dict[str, str]:
    name = _text(respondent.name, f"{prefix}name", "The name", limit=MAX_NAME)
    organisation = _text(
        respondent.organisation,
        f"{prefix}organisation",
        "The organisation",
        required=False,
        limit=MAX_ORGANISATION,
    )
    category = (respondent.category or "").strip()
    if category not in StakeholderCategory.values:
        raise ValidationError({f"{prefix}category": "Choose the category you answer as."})
    confidentiality = (respondent.confidentiality or "").strip()
    if confidentiality not in Confidentiality.values:
        raise ValidationError(
            {f"{prefix}confidentiality": "Choose whether and how your response is published."}
        )
    email = _text(
        respondent.email, f"{prefix}email", "The e-mail address", required=email_required, limit=254
    )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({f"{prefix}email": "Enter a valid e-mail address."}) from None
    return {
        "name": name,
        "organisation_name": organisation,
        "category": category,
        "email": email,
        "confidentiality": confidentiality,
    }


def _items(
    consultation: Consultation, items: Iterable[Item], *, prefix: str = "items"
) -> list[Feedback]:
    sections = set(
        Section.objects.filter(draft_id=consultation.draft_id).values_list("id", flat=True)
    )
    rows: list[Feedback] = []
    seen: set[int | None] = set()
    for index, item in enumerate(items):
        field = f"{prefix}[{index}]"
        if item.section is not None and item.section not in sections:
            raise ValidationError({f"{field}.section": "Choose a section of the draft consulted."})
        if item.section in seen:
            raise ValidationError({f"{field}.section": "One answer per section."})
        seen.add(item.section)
        if item.position not in Position.values:
            raise ValidationError({f"{field}.position": "Choose support, oppose or comment."})
        comment = _text(item.comment, f"{field}.comment", "The comment", required=False)
        wording = _text(
            item.proposed_wording, f"{field}.proposed_wording", "The wording", required=False
        )
        if item.position == Position.COMMENT and not comment and not wording:
            raise ValidationError({f"{field}.comment": "Write the comment."})
        rows.append(
            Feedback(
                section_id=item.section,
                position=item.position,
                comment=comment,
                proposed_wording=wording,
            )
        )
    if not rows:
        raise ValidationError({prefix: "Give your view on at least one section or in general."})
    return rows


def _next_number(consultation: Consultation) -> int:
    """Under the consultation's lock: responses are never deleted (PROTECT)."""
    return int(Response.objects.filter(consultation_id=consultation.pk).count()) + 1


def _reference(consultation: Consultation, number: int) -> str:
    return f"C{consultation.pk}-{number:06d}"


def member_of(actor: Any, consultation: Consultation) -> Member | None:
    """The person's current membership of a working group consulted (None: not one)."""
    if not _signed_in(actor):
        return None
    today = timezone.localdate()
    groups = consultation.working_groups.values_list("id", flat=True)
    return (
        Member.objects.filter(user=actor, working_group_id__in=list(groups))
        .exclude(left_on__isnull=False, left_on__lte=today)
        .order_by("id")
        .first()
    )


def _signed_in(actor: Any) -> bool:
    if actor is None:
        return False
    if not actor.is_authenticated:
        return False
    return bool(actor.is_active)


def response_submit(
    *,
    actor: Any,
    consultation: Consultation,
    respondent: Respondent,
    items: Sequence[Item],
    second_factor: bool = False,
    channel: str = Channel.WEB,
) -> Submitted:
    """Answer a consultation. `actor` is the signed-in person or None (the public: an
    e-mail address is then required and a confirmation token is returned, to send)."""
    if channel not in (Channel.WEB, Channel.API):
        raise ValidationError({"channel": "Answer through the page or the API."})
    signed_in = _signed_in(actor)
    member: Member | None = None
    if consultation.audience == Audience.WORKING_GROUPS:
        if not signed_in:
            raise PermissionDenied("Sign in to answer a working-group consultation.")
        member = member_of(actor, consultation)
        if member is None:
            raise PermissionDenied("Only members of the working groups consulted answer.")
    values = _respondent(respondent, email_required=not signed_in)
    feedback = _items(consultation, items)
    token = ""
    if signed_in:
        identity = IdentityCheck.ACCOUNT_SECOND_FACTOR if second_factor else IdentityCheck.ACCOUNT
    else:
        identity = IdentityCheck.EMAIL_UNCONFIRMED
        token = secrets.token_urlsafe(32)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _accepting(consultation)
        if signed_in and Response.objects.filter(consultation=consultation, user=actor).exists():
            raise ValidationError(
                {
                    "consultation": (
                        "You have already answered this consultation: edit your response "
                        "instead (until it closes)."
                    )
                }
            )
        response = Response.objects.create(
            consultation=consultation,
            reference=_reference(consultation, _next_number(consultation)),
            user=actor if signed_in else None,
            member=member,
            identity_check=identity,
            confirm_token_hash=token_sha256(token) if token else "",
            channel=channel,
            **values,
        )
        for row in feedback:
            row.response = response
        Feedback.objects.bulk_create(feedback)
        audit.record(
            actor=actor if signed_in else None,
            action="drafting.response.submitted",
            obj=response,
            after={
                "consultation": consultation.pk,
                "identity_check": identity,
                "confidentiality": response.confidentiality,
                "channel": channel,
                "items": len(feedback),
            },
        )
    return Submitted(response, token)


def response_update(
    *,
    actor: Any,
    response: Response,
    respondent: Respondent,
    items: Sequence[Item],
) -> Response:
    """A signed-in respondent edits their own response while the consultation is open
    (its items are replaced)."""
    if not _signed_in(actor) or response.user_id != actor.pk:
        raise PermissionDenied("Only its author edits a response.")
    consultation = response.consultation
    if consultation.audience == Audience.WORKING_GROUPS and member_of(actor, consultation) is None:
        raise PermissionDenied("Only members of the working groups consulted answer.")
    values = _respondent(respondent, email_required=False)
    feedback = _items(consultation, items)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _accepting(locked)
        response = Response.objects.select_for_update().get(pk=response.pk)
        for name, value in values.items():
            setattr(response, name, value)
        response.save(update_fields=[*values])
        response.items.all().delete()
        for row in feedback:
            row.response = response
        Feedback.objects.bulk_create(feedback)
        audit.record(
            actor=actor,
            action="drafting.response.edited",
            obj=response,
            after={
                "consultation": locked.pk,
                "confidentiality": response.confidentiality,
                "items": len(feedback),
            },
        )
    return response


def response_confirm(*, token: str) -> Response | None:
    """The respondent opened the link sent to their e-mail address: the address is
    confirmed (at any time, also after the close). None for an unknown token."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        return None
    with transaction.atomic():
        response = (
            Response.objects.select_for_update()
            .filter(confirm_token_hash=token_sha256(token))
            .first()
        )
        if response is None:
            return None
        if response.identity_check == IdentityCheck.EMAIL_CONFIRMED:
            return response
        response.identity_check = IdentityCheck.EMAIL_CONFIRMED
        response.email_confirmed_at = _now()
        response.save(update_fields=["identity_check", "email_confirmed_at"])
        audit.record(
            actor=None,
            action="drafting.response.email_confirmed",
            obj=response,
            after={"identity_check": response.identity_check},
        )
    return response


# --- the Office's import ------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "respondent",
    "name",
    "organisation",
    "category",
    "email",
    "confidentiality",
    "section",
    "position",
    "comment",
    "proposed_wording",
)


def _import_section(value: Any, keys: Mapping[str, int], ids: set[int], field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, Section):
        value = value.pk
    if isinstance(value, int) and not isinstance(value, bool):
        if value in ids:
            return value
    elif isinstance(value, str) and value.strip() in keys:
        return keys[value.strip()]
    raise ValidationError({field: "No section of the draft consulted has this key."})


def import_feedback(
    *,
    actor: Any,
    consultation: Consultation,
    rows: Iterable[Mapping[str, Any]],
) -> list[Response]:
    """Enter feedback received by letter or e-mail (identity check: Office import).

    Each row is a mapping with the columns of `IMPORT_COLUMNS`: `section` is a section's
    key or id (empty: general), `position` support, oppose or comment. Rows with the same
    non-empty `respondent` value are one response (its first row gives the name,
    organisation, category, e-mail and confidentiality); a row without one is a response
    of its own. All or nothing: a bad row refuses the import, naming `rows[<n>].<column>`.
    The consultation must be open (the closing date binds the Office too)."""
    if not permissions.may_import_feedback(actor, consultation.draft.project):
        raise PermissionDenied("Only the Office and the project's chairs enter feedback.")
    sections = list(Section.objects.filter(draft_id=consultation.draft_id).values_list("id", "key"))
    keys = {key: pk for pk, key in sections}
    ids = {pk for pk, _ in sections}
    grouped: dict[str, tuple[dict[str, str], list[Feedback]]] = {}
    order: list[str] = []
    for index, row in enumerate(rows):
        if index >= MAX_IMPORT_ROWS:
            raise ValidationError({"rows": f"At most {MAX_IMPORT_ROWS} rows at once."})
        if not isinstance(row, Mapping):
            raise ValidationError({f"rows[{index}]": "Each row must be a mapping of columns."})
        field = f"rows[{index}]"
        key = str(row.get("respondent") or "").strip() or f"\x00{index}"
        if key not in grouped:
            values = _respondent(
                Respondent(
                    name=row.get("name", ""),
                    organisation=row.get("organisation", ""),
                    category=row.get("category", ""),
                    email=row.get("email", ""),
                    confidentiality=row.get("confidentiality", ""),
                ),
                email_required=False,
                prefix=f"{field}.",
            )
            grouped[key] = (values, [])
            order.append(key)
        position = str(row.get("position") or "").strip()
        if position not in Position.values:
            raise ValidationError({f"{field}.position": "Choose support, oppose or comment."})
        comment = _text(row.get("comment"), f"{field}.comment", "The comment", required=False)
        wording = _text(
            row.get("proposed_wording"), f"{field}.proposed_wording", "The wording", required=False
        )
        if not comment and not wording and position == Position.COMMENT:
            raise ValidationError({f"{field}.comment": "Write the comment."})
        grouped[key][1].append(
            Feedback(
                section_id=_import_section(row.get("section"), keys, ids, f"{field}.section"),
                position=position,
                comment=comment,
                proposed_wording=wording,
            )
        )
    if not order:
        raise ValidationError({"rows": "There is nothing to import."})
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _accepting(consultation)
        first = _next_number(consultation)
        now = _now()
        responses = [
            Response(
                consultation=consultation,
                reference=_reference(consultation, first + offset),
                identity_check=IdentityCheck.OFFICE_IMPORT,
                channel=Channel.IMPORT,
                submitted_at=now,
                **grouped[key][0],
            )
            for offset, key in enumerate(order)
        ]
        try:
            with transaction.atomic():
                Response.objects.bulk_create(responses, batch_size=1000)
        except IntegrityError:
            raise ValidationError(
                {"consultation": "Responses arrived at the same moment: import again."}
            ) from None
        if any(r.pk is None for r in responses):  # a backend without RETURNING (none of ours)
            by_reference = dict(
                Response.objects.filter(
                    consultation=consultation, reference__in=[r.reference for r in responses]
                ).values_list("reference", "id")
            )
            for response in responses:
                response.pk = by_reference[response.reference]
        items: list[Feedback] = []
        for response, key in zip(responses, order, strict=True):
            for item in grouped[key][1]:
                item.response = response
                items.append(item)
        Feedback.objects.bulk_create(items, batch_size=2000)
        audit.record(
            actor=actor,
            action="drafting.response.imported",
            obj=consultation,
            after={
                "responses": len(responses),
                "items": len(items),
                "first_response": responses[0].pk,
                "last_response": responses[-1].pk,
            },
        )
    return responses


# --- periods that ran out -----------------------------------------------------------------------


def close_elapsed(now: datetime | None = None) -> int:
    """Close the clock deadlines (met) of the consultations whose period has run out, for the
    worker's periodic round and `aioffice drafting consultation close-elapsed`.

    The consultations and their responses are left as they are (a period's end needs no
    record of its own: `closes_at` is it); only the one clock learns that the closing day
    came. One transaction, one audit event (by the system) with the count and the ids; safe
    to run again: a second run finds nothing."""
    now = now or _now()
    prefix = f"{Consultation._meta.label_lower}:"
    with transaction.atomic():
        deadlines = Deadline.objects.select_for_update().filter(
            kind=DeadlineKind.CONSULTATION_CLOSE,
            status=DeadlineStatus.OPEN,
            source__startswith=prefix,
        )
        by_id = {
            int(source.removeprefix(prefix)): source
            for source in deadlines.values_list("source", flat=True)
        }
        elapsed = sorted(
            Consultation.objects.filter(pk__in=by_id, closes_at__lte=now).values_list(
                "pk", flat=True
            )
        )
        if not elapsed:
            return 0
        count = deadlines.filter(source__in=[by_id[pk] for pk in elapsed]).update(
            status=DeadlineStatus.MET, closed_at=timezone.now()
        )
        audit.record(
            actor=None,
            action="drafting.consultation.period_ended",
            object_type=Consultation._meta.label_lower,
            after={"count": count, "consultations": elapsed, "at": now},
        )
    return count
