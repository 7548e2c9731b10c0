"""Writes of the Board and the advisory bodies: bodies, members and their terms (aiact's
"term-end" clock, one TERM_END deadline per term), the panel's size (aiact's "panel-size"
check), declarations of interests, meetings with agendas, minutes and documents, and what
the bodies adopt with their votes.

Keyword-only, `actor` first, one transaction per change with one audit event that holds
ids, kinds and statuses only (never a person's name or declaration). Bad input raises
`ValidationError({"field": ...})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aiact import InputError, evaluate, load_law
from aioffice.cooperation.choices import (
    Adoption,
    BodyDocumentKind,
    BodyKind,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
    VoteCast,
)
from aioffice.cooperation.models_bodies import (
    AgendaItem,
    Body,
    BodyDocument,
    Meeting,
    Membership,
    Opinion,
    StateVote,
)
from aioffice.core import audit
from aioffice.core.files import check_upload, file_types, removed_on_failure
from aioffice.registry.choices import MEMBER_STATE_NAMES
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.clock import close_deadlines, open_deadline
from aioffice.supervision.models import QualifiedAlert

# the roles each kind of body has (Art. 65(1), (2), (6), (8); Art. 67(2), (5), (8); Art. 68)
ROLES: dict[str, frozenset[str]] = {
    BodyKind.BOARD: frozenset(
        {
            SeatRole.REPRESENTATIVE,
            SeatRole.ALTERNATE,
            SeatRole.OBSERVER,
            SeatRole.SECRETARIAT,
            SeatRole.CHAIR,
        }
    ),
    BodyKind.BOARD_SUBGROUP: frozenset(
        {SeatRole.MEMBER, SeatRole.OBSERVER, SeatRole.CHAIR, SeatRole.SECRETARIAT}
    ),
    BodyKind.ADVISORY_FORUM: frozenset(
        {SeatRole.MEMBER, SeatRole.PERMANENT, SeatRole.CO_CHAIR, SeatRole.SECRETARIAT}
    ),
    BodyKind.FORUM_SUBGROUP: frozenset({SeatRole.MEMBER, SeatRole.CHAIR, SeatRole.SECRETARIAT}),
    BodyKind.SCIENTIFIC_PANEL: frozenset({SeatRole.EXPERT, SeatRole.CHAIR, SeatRole.SECRETARIAT}),
}
# whose term aiact counts ("term-end" clock): the body key it knows
TERM_BODY: dict[tuple[str, str], str] = {
    (BodyKind.BOARD, SeatRole.REPRESENTATIVE): "board",
    (BodyKind.ADVISORY_FORUM, SeatRole.MEMBER): "forum",
    (BodyKind.ADVISORY_FORUM, SeatRole.CO_CHAIR): "forum_cochair",
}
MEMBER_FIELDS = (
    "person_name",
    "member_state",
    "organisation",
    "category",
    "commercial",
    "expertise",
    "nationality",
    "gender",
    "declaration",
)


def _today() -> date:
    return timezone.now().date()


def _clean(value: str, field: str, *, required: bool = False, limit: int = 0) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("NUL characters are not allowed.")})
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if limit and len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


def _answer(answer: Mapping[str, Any]) -> dict[str, Any]:
    """What a row keeps of aiact's answer."""
    return {
        "rules_version": str(answer.get("rules_version", ""))[:100],
        "reasons": [str(r) for r in answer.get("reasons") or ()],
        "citations": [
            str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
            for c in answer.get("citations") or ()
        ],
    }


def _evaluate(kind: str, data: dict[str, Any], field: str) -> dict[str, Any]:
    try:
        answer: dict[str, Any] = evaluate(kind, data, law=load_law())
    except InputError as exc:
        raise ValidationError({field: str(exc)}) from None
    return answer


def term_answer(*, body_key: str, start: date, renewals: int) -> dict[str, Any]:
    """aiact's "term-end" clock: {"result": {"end", "renewable", "max_renewals"}, ...}."""
    return _evaluate(
        "clock",
        {"clock": "term-end", "from": start.isoformat(), "body": body_key, "renewals": renewals},
        "term_start",
    )


def _trail(membership: Membership) -> dict[str, Any]:
    return {
        "body": membership.body_id,
        "role": membership.role,
        "member_state": membership.member_state,
        "term_end": membership.term_end.isoformat() if membership.term_end else None,
        "renewals": membership.renewals,
        "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
    }


def _label(row: Any) -> str:
    """The audit trail's name for a row: its id, never a title or subject (free text that
    may name a person)."""
    return f"{row._meta.model_name} {row.pk}"


def _admin_url(body: Body) -> str:
    return reverse("cooperation:body_admin", args=[body.pk])


# --- bodies --------------------------------------------------------------------------------


def body_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    description: str = "",
    parent: Body | None = None,
    standing: bool = False,
) -> Body:
    """A body, or a sub-group of the Board or the forum."""
    body = Body(
        kind=kind,
        name=_clean(name, "name", required=True, limit=200),
        description=_clean(description, "description"),
        parent=parent,
        standing=standing,
    )
    if parent is not None:
        parents: dict[str, str] = {
            BodyKind.BOARD_SUBGROUP: BodyKind.BOARD,
            BodyKind.FORUM_SUBGROUP: BodyKind.ADVISORY_FORUM,
        }
        expected = parents.get(kind)
        if expected is None or parent.kind != expected:
            raise ValidationError({"parent": _("A sub-group belongs to the Board or the forum.")})
    elif kind in {BodyKind.BOARD_SUBGROUP, BodyKind.FORUM_SUBGROUP}:
        raise ValidationError({"parent": _("Name the body this sub-group belongs to.")})
    if standing and kind != BodyKind.BOARD_SUBGROUP:
        raise ValidationError({"standing": _("Only the Board has standing sub-groups.")})
    body.full_clean()
    with transaction.atomic():
        try:
            with transaction.atomic():
                body.save()
        except IntegrityError:  # the same name saved meanwhile (a double submission)
            raise ValidationError({"name": _("A body with this name exists.")}) from None
        audit.record(
            actor=actor,
            action="cooperation.body.created",
            obj=body,
            object_repr=_label(body),
            after={"kind": body.kind, "parent": body.parent_id, "standing": standing},
        )
    return body


# --- members and terms ---------------------------------------------------------------------


def _check_member(body: Body, membership: Membership) -> None:
    role = membership.role
    if role not in ROLES.get(body.kind, frozenset()):
        raise ValidationError({"role": _("This role does not exist in this body.")})
    if role in {SeatRole.REPRESENTATIVE, SeatRole.ALTERNATE} and not membership.member_state:
        raise ValidationError({"member_state": _("Name the Member State represented.")})
    if body.kind == BodyKind.BOARD and role == SeatRole.CHAIR and not membership.member_state:
        raise ValidationError(
            {"member_state": _("The Board is chaired by a Member State representative.")}
        )
    if body.kind == BodyKind.ADVISORY_FORUM and role == SeatRole.MEMBER:
        if not membership.category:
            raise ValidationError({"category": _("Name the interest the member represents.")})
        if membership.commercial is None:
            raise ValidationError({"commercial": _("Say whether the interest is commercial.")})
    if role == SeatRole.EXPERT and not membership.expertise:
        raise ValidationError({"expertise": _("Name the expert's field.")})
    nationality = membership.nationality
    if nationality and not (
        len(nationality) == 2 and nationality.isascii() and nationality.isalpha()
    ):
        raise ValidationError({"nationality": _("Give a two-letter country code.")})


def _open_term_deadline(actor: Any, membership: Membership, answer: Mapping[str, Any]) -> None:
    assert membership.term_end is not None
    body = membership.body
    where = f" ({membership.member_state})" if membership.member_state else ""
    open_deadline(
        kind=DeadlineKind.TERM_END,
        source=membership,
        due_on=membership.term_end,
        title=f"End of term: {membership.get_role_display()}{where}, {body.name}",
        owner=actor if getattr(actor, "is_office_staff", False) else None,
        url=_admin_url(body),
        answer=answer,
    )


def member_add(
    *,
    actor: Any,
    body: Body,
    role: str,
    person_name: str,
    term_start: date | None = None,
    user: Any = None,
    **values: Any,
) -> Membership:
    """Seat a person in a body. The Board has one representative per Member State at a
    time; the forum at most two co-chairs; the panel at most as many experts as aiact's
    "panel-size" check allows. A term the law counts (Board representatives, forum members
    and co-chairs) ends when aiact's "term-end" clock says, and is a TERM_END deadline."""
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not a member field: {', '.join(sorted(unknown))}")
    for name in ("organisation", "expertise", "gender", "declaration", "nationality"):
        values[name] = _clean(values.get(name, ""), name)
    values["nationality"] = values["nationality"].upper()
    membership = Membership(
        body=body,
        role=role,
        person_name=_clean(person_name, "person_name", required=True, limit=200),
        user=user,
        term_start=term_start,
        **values,
    )
    if membership.declaration:
        membership.declaration_updated_at = timezone.now()
    _check_member(body, membership)
    key = TERM_BODY.get((body.kind, role))
    with transaction.atomic():
        locked = Body.objects.select_for_update().get(pk=body.pk)
        active = locked.memberships.filter(ended_on__isnull=True)
        if (
            role == SeatRole.REPRESENTATIVE
            and active.filter(role=role, member_state=membership.member_state).exists()
        ):
            raise ValidationError(
                {"member_state": _("This Member State already has a representative.")}
            )
        if role == SeatRole.CO_CHAIR:
            cochairs = _evaluate(
                "cooperation",
                {"check": "forum-cochairs", "cochairs": active.filter(role=role).count() + 1},
                "role",
            )
            if not cochairs["result"]["within_cap"]:
                raise ValidationError(
                    {
                        "role": _("The forum has %(cap)s co-chairs already (Art. 67).")
                        % {"cap": cochairs["result"]["cap"]}
                    }
                )
        answer: dict[str, Any] | None = None
        if role == SeatRole.EXPERT:
            size = _evaluate(
                "cooperation",
                {"check": "panel-size", "members": active.filter(role=role).count() + 1},
                "body",
            )
            if not size["result"]["within_cap"]:
                raise ValidationError(
                    {
                        "body": _("The panel has its %(cap)s members already.")
                        % {"cap": size["result"]["cap"]}
                    }
                )
            answer = size
        if key is not None:
            if term_start is None:
                raise ValidationError({"term_start": _("Give the day the term starts.")})
            answer = term_answer(body_key=key, start=term_start, renewals=0)
            membership.term_end = date.fromisoformat(str(answer["result"]["end"]))
            membership.renewable = bool(answer["result"]["renewable"])
        if answer is not None:
            for name, value in _answer(answer).items():
                setattr(membership, name, value)
        membership.full_clean()
        membership.save()
        if key is not None:
            _open_term_deadline(actor, membership, answer or {})
        audit.record(
            actor=actor,
            action="cooperation.membership.added",
            obj=membership,
            object_repr=_label(membership),
            after=_trail(membership),
        )
    return membership


def member_renew(*, actor: Any, membership: Membership) -> Membership:
    """A new term from the end of the current one, if aiact says the term may be renewed
    again (Board: once; forum: up to four more years; co-chairs: once)."""
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
        )
        key = TERM_BODY.get((current.body.kind, current.role))
        if current.ended_on is not None:
            raise ValidationError({"membership": _("This person is no longer a member.")})
        if key is None or current.term_start is None or current.term_end is None:
            raise ValidationError({"membership": _("This seat has no term to renew.")})
        now = term_answer(body_key=key, start=current.term_start, renewals=current.renewals)
        if not now["result"]["renewable"]:
            raise ValidationError(
                {
                    "renewals": _("The term cannot be renewed again (at most %(n)s renewals).")
                    % {"n": now["result"]["max_renewals"]}
                }
            )
        before = _trail(current)
        start = current.term_end
        answer = term_answer(body_key=key, start=start, renewals=current.renewals + 1)
        current.term_start = start
        current.term_end = date.fromisoformat(str(answer["result"]["end"]))
        current.renewals += 1
        current.renewable = bool(answer["result"]["renewable"])
        for name, value in _answer(answer).items():
            setattr(current, name, value)
        current.save()
        _open_term_deadline(actor, current, answer)
        audit.record(
            actor=actor,
            action="cooperation.membership.renewed",
            obj=current,
            object_repr=_label(current),
            before=before,
            after=_trail(current),
        )
    return current


def member_end(*, actor: Any, membership: Membership, on: date | None = None) -> Membership:
    """The person leaves the body (term over, resignation, replacement)."""
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.ended_on is not None:
            raise ValidationError({"membership": _("This person has already left.")})
        current.ended_on = on or _today()
        current.save(update_fields=["ended_on", "updated_at"])
        close_deadlines(
            source=current, kinds=[DeadlineKind.TERM_END], status=DeadlineStatus.CANCELLED
        )
        audit.record(
            actor=actor,
            action="cooperation.membership.ended",
            obj=current,
            object_repr=_label(current),
            after=_trail(current),
        )
    return current


def declaration_update(*, actor: Any, membership: Membership, declaration: str) -> Membership:
    """A member's public declaration of interests (Art. 68(4)); the text is public, the
    audit trail says only that it changed."""
    text = _clean(declaration, "declaration", required=True)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.ended_on is not None:
            raise ValidationError({"declaration": _("This person is no longer a member.")})
        current.declaration = text
        current.declaration_updated_at = timezone.now()
        current.save(update_fields=["declaration", "declaration_updated_at", "updated_at"])
        audit.record(
            actor=actor,
            action="cooperation.membership.declaration_updated",
            obj=current,
            object_repr=_label(current),
            after={"body": current.body_id},
        )
    return current


# --- meetings ------------------------------------------------------------------------------


def meeting_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    date: date,
    place: str = "",
    online: bool = False,
    published: bool = False,
) -> Meeting:
    meeting = Meeting(
        body=body,
        title=_clean(title, "title", required=True, limit=200),
        date=date,
        place=_clean(place, "place", limit=200),
        online=online,
        published=published,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        audit.record(
            actor=actor,
            action="cooperation.meeting.created",
            obj=meeting,
            object_repr=_label(meeting),
            after={"body": body.pk, "date": meeting.date.isoformat(), "published": published},
        )
    return meeting


def meeting_update(
    *, actor: Any, meeting: Meeting, status: str | None = None, published: bool | None = None
) -> Meeting:
    """A meeting held or cancelled; published or taken back."""
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = {"status": current.status, "published": current.published}
        if status is not None:
            if status not in MeetingStatus.values:
                raise ValidationError({"status": _("Not a status of a meeting.")})
            if current.status == MeetingStatus.CANCELLED and status != current.status:
                raise ValidationError({"status": _("A cancelled meeting stays cancelled.")})
            current.status = status
        if published is not None:
            current.published = published
        current.save(update_fields=["status", "published", "updated_at"])
        audit.record(
            actor=actor,
            action="cooperation.meeting.updated",
            obj=current,
            object_repr=_label(current),
            before=before,
            after={"status": current.status, "published": current.published},
        )
    return current


def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str, description: str = ""
) -> AgendaItem:
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = current.items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem(
            meeting=current,
            position=last + 1,
            title=_clean(title, "title", required=True, limit=300),
            description=_clean(description, "description"),
        )
        item.save()
        audit.record(
            actor=actor,
            action="cooperation.agenda_item.added",
            obj=item,
            object_repr=_label(item),
            after={"meeting": current.pk, "position": item.position},
        )
    return item


def minutes_save(
    *,
    actor: Any,
    meeting: Meeting,
    minutes: str,
    status: str = MinutesStatus.DRAFT,
    published: bool = False,
) -> Meeting:
    """Draft or approved minutes; only approved minutes of a held meeting are published."""
    text = _clean(minutes, "minutes", required=True)
    if status not in {MinutesStatus.DRAFT, MinutesStatus.APPROVED}:
        raise ValidationError({"status": _("Minutes are a draft or approved.")})
    if published and status != MinutesStatus.APPROVED:
        raise ValidationError({"published": _("Only approved minutes are published.")})
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status != MeetingStatus.HELD:
            raise ValidationError({"minutes": _("Minutes are kept for a meeting held.")})
        before = {"minutes": current.minutes_status, "published": current.minutes_published}
        current.minutes = text
        current.minutes_status = status
        current.minutes_published = published
        current.save(update_fields=["minutes", "minutes_status", "minutes_published", "updated_at"])
        audit.record(
            actor=actor,
            action="cooperation.meeting.minutes_saved",
            obj=current,
            object_repr=_label(current),
            before=before,
            after={"minutes": status, "published": published},
        )
    return current


# --- documents -----------------------------------------------------------------------------


def document_add(
    *,
    actor: Any,
    body: Body,
    kind: str,
    upload: File,  # type: ignore[type-arg]  # any content
    title: str = "",
    public: bool = False,
    meeting: Meeting | None = None,
    membership: Membership | None = None,
    opinion: Opinion | None = None,
) -> BodyDocument:
    """A file of a body, a meeting, a member (declaration of interests) or an opinion,
    stored with the SHA-256 of the stored bytes; type, size and content checked."""
    if kind not in BodyDocumentKind.values:
        raise ValidationError({"kind": _("Not a kind of document.")})
    for owner in (meeting, membership, opinion):
        if owner is not None and owner.body_id != body.pk:
            raise ValidationError({"file": _("The document and its owner are in other bodies.")})
    found = check_upload(
        upload,
        field="file",
        allowed=file_types(settings.DOCUMENTATION_CONTENT_TYPES),
        max_bytes=int(settings.DOCUMENTATION_MAX_UPLOAD_BYTES),
    )
    document = BodyDocument(
        body=body,
        kind=kind,
        meeting=meeting,
        membership=membership,
        opinion=opinion,
        title=_clean(title, "title", limit=200) or found.filename[:200],
        filename=found.filename,
        content_type=found.content_type,
        sha256=found.sha256,
        size=found.size,
        public=public,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    with removed_on_failure() as stored, transaction.atomic():
        found.store(document.file, stored)
        document.save()
        audit.record(
            actor=actor,
            action="cooperation.body_document.stored",
            obj=document,
            object_repr=_label(document),
            after={
                "body": body.pk,
                "kind": kind,
                "meeting": document.meeting_id,
                "membership": document.membership_id,
                "opinion": document.opinion_id,
                "sha256": document.sha256,
                "size": document.size,
                "public": public,
            },
        )
    return document


def document_publish(*, actor: Any, document: BodyDocument, public: bool) -> BodyDocument:
    with transaction.atomic():
        current = BodyDocument.objects.select_for_update().get(pk=document.pk)
        if current.public == public:
            return current
        current.public = public
        current.save(update_fields=["public"])
        audit.record(
            actor=actor,
            action="cooperation.body_document." + ("published" if public else "withdrawn"),
            obj=current,
            object_repr=_label(current),
            before={"public": not public},
            after={"public": public},
        )
    return current


# --- opinions and votes --------------------------------------------------------------------


def _check_votes(
    body: Body,
    adoption: str,
    counts: dict[str, int | None],
    state_votes: Mapping[str, str] | None,
) -> dict[str, int | None]:
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": _("Adopted by consensus or by vote.")})
    if adoption == Adoption.CONSENSUS:
        if state_votes or any(v is not None for v in counts.values()):
            raise ValidationError({"adoption": _("A consensus has no votes to count.")})
        return counts
    if state_votes:
        if body.kind != BodyKind.BOARD:
            raise ValidationError(
                {"state_votes": _("Member States vote in the Board (Art. 65(1)).")}
            )
        for state, cast in state_votes.items():
            if state not in MEMBER_STATE_NAMES:
                raise ValidationError(
                    {"state_votes": _("%(s)s is not a Member State.") % {"s": state}}
                )
            if cast not in VoteCast.values:
                raise ValidationError({"state_votes": _("A vote is for, against or abstain.")})
        tally = {
            "votes_for": sum(1 for v in state_votes.values() if v == VoteCast.FOR),
            "votes_against": sum(1 for v in state_votes.values() if v == VoteCast.AGAINST),
            "abstentions": sum(1 for v in state_votes.values() if v == VoteCast.ABSTAIN),
        }
        for name, value in counts.items():
            if value is not None and value != tally[name]:
                raise ValidationError({name: _("The count differs from the Member States' votes.")})
        return dict(tally)
    for name, value in counts.items():
        if value is None:
            raise ValidationError({name: _("Give the count of the vote.")})
        if value < 0:
            raise ValidationError({name: _("A count is zero or more.")})
    return counts


def _staff_majority(
    adoption: str,
    numerator: int | None,
    denominator: int | None,
    entitled: int | None,
    citation: str,
) -> None:
    """A majority staff record with a vote where the law sets none: a fraction, its
    citation and the number entitled to vote, all or nothing."""
    majority = (numerator, denominator, entitled)
    if all(v is None for v in majority):
        return
    if adoption != Adoption.VOTE:
        raise ValidationError({"majority_numerator": _("A majority is for a vote.")})
    if numerator is None or denominator is None or entitled is None:
        raise ValidationError(
            {"majority_numerator": _("Give the majority and the number entitled to vote.")}
        )
    if denominator <= 0 or not 0 < numerator <= denominator:
        raise ValidationError({"majority_denominator": _("Not a fraction of the votes.")})
    if not citation:
        raise ValidationError({"majority_citation": _("Cite the provision of the majority.")})


# aiact's "board-vote" fields → the opinion's
_BOARD_VOTE_FIELDS = {"in_favour": "votes_for", "entitled": "entitled_to_vote"}


def board_majority(*, in_favour: int, entitled: int, on: date) -> dict[str, Any]:
    """aiact's "board-vote" check for the Board's rules of procedure (Art. 65(4)):
    {"result": {"required": "2/3", "met": bool}, "rules_version", "reasons", "citations"}."""
    data = {
        "check": "board-vote",
        "in_favour": in_favour,
        "entitled": entitled,
        "subject": "rules_of_procedure",
        "on": on.isoformat(),
    }
    try:
        answer: dict[str, Any] = evaluate("cooperation", data, law=load_law())
    except InputError as exc:
        field = _BOARD_VOTE_FIELDS.get(exc.field, "entitled_to_vote")
        raise ValidationError({field: str(exc)}) from None
    return answer


def opinion_create(
    *,
    actor: Any,
    body: Body,
    kind: str,
    subject: str,
    adopted_on: date,
    adoption: str,
    text: str = "",
    meeting: Meeting | None = None,
    alert: QualifiedAlert | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    state_votes: Mapping[str, str] | None = None,
    majority_numerator: int | None = None,
    majority_denominator: int | None = None,
    majority_citation: str = "",
    entitled_to_vote: int | None = None,
    published: bool = False,
) -> Opinion:
    """Record what a body adopted. An opinion on a qualified alert is the Board's and names
    the alert (Art. 66(n)). A vote keeps its counts (from each Member State's vote where
    recorded). The Board's rules of procedure adopted by vote take their majority from aiact
    (Art. 65(4): the "board-vote" check on the votes for and the number of representatives
    entitled to vote), stored with its rules version, reasons and citations; staff do not
    enter it. For another vote, staff may record the majority it needed (a fraction with its
    citation and the number entitled to vote) and whether it was met is computed from it."""
    if kind not in OpinionKind.values:
        raise ValidationError({"kind": _("Not a kind of opinion.")})
    if kind == OpinionKind.ALERT_OPINION:
        if body.kind != BodyKind.BOARD:
            raise ValidationError({"kind": _("The Board gives opinions on qualified alerts.")})
        if alert is None:
            raise ValidationError({"alert": _("Name the qualified alert.")})
    elif alert is not None:
        raise ValidationError({"alert": _("Only an opinion on a qualified alert names one.")})
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("The meeting is another body's.")})
    counts = _check_votes(
        body,
        adoption,
        {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions},
        state_votes,
    )
    citation = _clean(majority_citation, "majority_citation", limit=200)
    majority_met: bool | None = None
    kept: dict[str, Any] = {}
    if (
        body.kind == BodyKind.BOARD
        and kind == OpinionKind.RULES_OF_PROCEDURE
        and adoption == Adoption.VOTE
    ):
        if majority_numerator is not None or majority_denominator is not None or citation:
            raise ValidationError(
                {
                    "majority_numerator": _(
                        "The law sets the majority for the Board's rules of procedure "
                        "(Art. 65(4)): it is not entered."
                    )
                }
            )
        if entitled_to_vote is None:
            raise ValidationError(
                {"entitled_to_vote": _("Give the number of representatives entitled to vote.")}
            )
        answer = board_majority(
            in_favour=counts["votes_for"] or 0, entitled=entitled_to_vote, on=adopted_on
        )
        required = Fraction(str(answer["result"]["required"]))
        majority_numerator, majority_denominator = required.numerator, required.denominator
        kept = _answer(answer)
        citation = "; ".join(dict.fromkeys(kept["citations"]))[:200]
        majority_met = bool(answer["result"]["met"])
    else:
        _staff_majority(
            adoption, majority_numerator, majority_denominator, entitled_to_vote, citation
        )
        if majority_numerator is not None and majority_denominator is not None:
            assert entitled_to_vote is not None and counts["votes_for"] is not None
            majority_met = counts["votes_for"] * majority_denominator >= (
                majority_numerator * entitled_to_vote
            )
    opinion = Opinion(
        body=body,
        meeting=meeting,
        kind=kind,
        subject=_clean(subject, "subject", required=True, limit=300),
        text=_clean(text, "text"),
        alert=alert,
        adopted_on=adopted_on,
        adoption=adoption,
        majority_numerator=majority_numerator,
        majority_denominator=majority_denominator,
        majority_citation=citation,
        entitled_to_vote=entitled_to_vote,
        majority_met=majority_met,
        published=published,
        **kept,
        **counts,
    )
    opinion.full_clean()
    with transaction.atomic():
        opinion.save()
        StateVote.objects.bulk_create(
            StateVote(opinion=opinion, member_state=state, vote=cast)
            for state, cast in sorted((state_votes or {}).items())
        )
        audit.record(
            actor=actor,
            action="cooperation.opinion.adopted",
            obj=opinion,
            object_repr=_label(opinion),
            after={
                "body": body.pk,
                "kind": kind,
                "adoption": adoption,
                "alert": opinion.alert_id,
                **counts,
                "majority_met": opinion.majority_met,
                "rules_version": opinion.rules_version,
                "published": published,
            },
        )
    return opinion


def opinion_publish(*, actor: Any, opinion: Opinion, published: bool) -> Opinion:
    with transaction.atomic():
        current = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if current.published == published:
            return current
        current.published = published
        current.save(update_fields=["published", "updated_at"])
        audit.record(
            actor=actor,
            action="cooperation.opinion." + ("published" if published else "withdrawn"),
            obj=current,
            object_repr=_label(current),
            before={"published": not published},
            after={"published": published},
        )
    return current
