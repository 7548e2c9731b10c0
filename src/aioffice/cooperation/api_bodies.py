"""The API of the Board and the advisory bodies, mounted at /api/v1/cooperation/bodies by
`aioffice.cooperation.api`.

Public GETs (`auth=None`, rate-limited, listed in `aioffice.api.PUBLIC_ROUTES`) show what the
public pages show: bodies, current members with their declarations, published meetings (with
their agendas, public documents and published minutes) and published opinions. Writes are
the Office editors' (policy officers, heads of unit, administrators).
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.cooperation import selectors_bodies as selectors
from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import (
    Adoption,
    BodyKind,
    ForumCategory,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
    VoteCast,
)
from aioffice.cooperation.permissions_bodies import can_edit_bodies
from aioffice.core.exports import csv_response
from aioffice.supervision.models import QualifiedAlert

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

MAX_PAGE = 1_000_000
MAX_ID = 2**31 - 1
NO_NUL = r"^[^\x00]*$"


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class BodyFilter(Schema):
    body: int | None = Field(None, ge=1, le=MAX_ID)


class BodyOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    parent: int | None = Field(None, alias="parent_id")
    standing: bool
    members: int


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    sha256: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("cooperation:body_document_download", args=[obj.pk])


def _public_documents(obj: Any) -> list[Any]:
    """The public documents the selector prefetched, or (after a write) the row's own."""
    found = getattr(obj, "public_documents", None)
    if found is None:
        found = [d for d in obj.documents.all() if d.public]
    return list(found)


class MemberOut(Schema):
    id: int
    person_name: str
    role: str
    member_state: str
    organisation: str
    category: str
    commercial: bool | None
    expertise: str
    nationality: str
    declaration: str
    term_start: date | None
    term_end: date | None
    renewals: int
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return _public_documents(obj)


class AgendaItemOut(Schema):
    position: int
    title: str
    description: str


class MeetingOut(Schema):
    id: int
    body: int = Field(alias="body_id")
    title: str
    date: date
    place: str
    online: bool
    status: str
    agenda: list[AgendaItemOut]
    documents: list[DocumentOut]
    minutes: str | None

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return _public_documents(obj)

    @staticmethod
    def resolve_agenda(obj: Any) -> list[Any]:
        return list(obj.items.all())

    @staticmethod
    def resolve_minutes(obj: Any) -> str | None:
        return obj.minutes if obj.minutes_published else None


class StateVoteOut(Schema):
    member_state: str
    vote: str


class OpinionOut(Schema):
    id: int
    body: int = Field(alias="body_id")
    meeting: int | None = Field(None, alias="meeting_id")
    kind: str
    subject: str
    text: str
    adopted_on: date
    adoption: str
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    majority_numerator: int | None
    majority_denominator: int | None
    majority_citation: str
    entitled_to_vote: int | None
    majority_met: bool | None
    rules_version: str = Field(description="aiact's, where the law set the majority")
    reasons: list[str]
    citations: list[str]
    state_votes: list[StateVoteOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return _public_documents(obj)

    @staticmethod
    def resolve_state_votes(obj: Any) -> list[Any]:
        return list(obj.state_votes.all())


# --- public ----------------------------------------------------------------------------------


@router.get(
    "/bodies",
    response=list[BodyOut],
    auth=None,
    throttle=_throttle,
    summary="The Board, its sub-groups, the advisory forum and the scientific panel",
)
@paginate(Pagination)
def bodies(request: HttpRequest) -> Any:
    return selectors.bodies()


@router.get(
    "/bodies/{body_id}",
    response=BodyOut,
    auth=None,
    throttle=_throttle,
    summary="One body",
)
def body(request: HttpRequest, body_id: int) -> Any:
    return selectors.body(body_id)


@router.get(
    "/bodies/{body_id}/members",
    response=list[MemberOut],
    auth=None,
    throttle=_throttle,
    summary="A body's current members, with the panel's declarations of interests",
)
@paginate(Pagination)
def members(request: HttpRequest, body_id: int) -> Any:
    return selectors.members_public(selectors.body(body_id))


@router.get(
    "/meetings",
    response=list[MeetingOut],
    auth=None,
    throttle=_throttle,
    summary="Published meetings with their agendas, public documents and published minutes",
)
@paginate(Pagination)
def meetings(request: HttpRequest, filters: Query[BodyFilter]) -> Any:
    of = selectors.body(filters.body) if filters.body else None
    return selectors.meetings_public(of)


@router.get(
    "/opinions",
    response=list[OpinionOut],
    auth=None,
    throttle=_throttle,
    summary="Published opinions and recommendations, with their votes",
)
@paginate(Pagination)
def opinions(request: HttpRequest, filters: Query[BodyFilter]) -> Any:
    of = selectors.body(filters.body) if filters.body else None
    return selectors.opinions_public(of)


# --- CSV twins of the public lists (same filters, same access, not paginated) ---------------


@router.get("/bodies.csv", auth=None, throttle=_throttle, summary="The bodies as CSV")
def bodies_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = (
        (b.id, b.kind, b.name, b.parent_id, b.standing, getattr(b, "members", 0))
        for b in selectors.bodies().iterator()
    )
    header = ("id", "kind", "name", "parent", "standing", "members")
    return csv_response("bodies.csv", header, rows)


@router.get(
    "/bodies/{body_id}/members.csv",
    auth=None,
    throttle=_throttle,
    summary="A body's current members as CSV",
)
def members_csv(request: HttpRequest, body_id: int) -> StreamingHttpResponse:
    of = selectors.body(body_id)
    header = (
        "id",
        "person_name",
        "role",
        "member_state",
        "organisation",
        "category",
        "commercial",
        "expertise",
        "nationality",
        "term_start",
        "term_end",
        "renewals",
        "declaration",
    )
    rows = (
        tuple(getattr(m, name) for name in header)
        for m in selectors.members_public(of).prefetch_related(None).iterator()
    )
    return csv_response(f"body-{of.pk}-members.csv", header, rows)


@router.get("/meetings.csv", auth=None, throttle=_throttle, summary="Published meetings as CSV")
def meetings_csv(request: HttpRequest, filters: Query[BodyFilter]) -> StreamingHttpResponse:
    of = selectors.body(filters.body) if filters.body else None
    header = ("id", "body", "title", "date", "place", "online", "status", "minutes_published")
    rows = (
        (m.id, m.body_id, m.title, m.date, m.place, m.online, m.status, m.minutes_published)
        for m in selectors.meetings_public(of).prefetch_related(None).iterator()
    )
    return csv_response("meetings.csv", header, rows)


@router.get("/opinions.csv", auth=None, throttle=_throttle, summary="Published opinions as CSV")
def opinions_csv(request: HttpRequest, filters: Query[BodyFilter]) -> StreamingHttpResponse:
    of = selectors.body(filters.body) if filters.body else None
    header = (
        "id",
        "body",
        "meeting",
        "kind",
        "subject",
        "adopted_on",
        "adoption",
        "votes_for",
        "votes_against",
        "abstentions",
        "majority_met",
    )
    rows = (
        (
            o.id,
            o.body_id,
            o.meeting_id,
            o.kind,
            o.subject,
            o.adopted_on,
            o.adoption,
            o.votes_for,
            o.votes_against,
            o.abstentions,
            o.majority_met,
        )
        for o in selectors.opinions_public(of).prefetch_related(None).iterator()
    )
    return csv_response("opinions.csv", header, rows)


# --- the Office's writes ---------------------------------------------------------------------


def _editor(request: HttpRequest) -> Any:
    if not can_edit_bodies(request):
        raise PermissionDenied
    return request.user


class BodyIn(Schema):
    kind: BodyKind
    name: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    description: str = Field("", max_length=10_000, pattern=NO_NUL)
    parent: int | None = Field(None, ge=1, le=MAX_ID)
    standing: bool = False


@router.post("/bodies", response={201: BodyOut}, summary="Add a body or a sub-group")
def body_create(request: HttpRequest, payload: BodyIn) -> Any:
    actor = _editor(request)
    parent = selectors.body(payload.parent) if payload.parent else None
    created = services.body_create(
        actor=actor,
        kind=payload.kind,
        name=payload.name,
        description=payload.description,
        parent=parent,
        standing=payload.standing,
    )
    return 201, selectors.body(created.pk)


class MemberIn(Schema):
    role: SeatRole
    person_name: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    member_state: str = Field("", max_length=2, pattern=NO_NUL)
    organisation: str = Field("", max_length=200, pattern=NO_NUL)
    category: ForumCategory | None = None
    commercial: bool | None = None
    expertise: str = Field("", max_length=300, pattern=NO_NUL)
    nationality: str = Field("", max_length=2, pattern=NO_NUL)
    gender: str = Field("", max_length=20, pattern=NO_NUL)
    declaration: str = Field("", max_length=20_000, pattern=NO_NUL)
    term_start: date | None = None
    username: str = Field(
        "", max_length=150, pattern=NO_NUL, description="The member's aioffice account, if any"
    )


@router.post(
    "/bodies/{body_id}/members", response={201: MemberOut}, summary="Seat a person in a body"
)
def member_add(request: HttpRequest, payload: MemberIn, body_id: int) -> Any:
    actor = _editor(request)
    data = payload.dict()
    data["category"] = data["category"] or ""
    data["user"] = selectors.account(data.pop("username"))
    return 201, services.member_add(actor=actor, body=selectors.body(body_id), **data)


@router.post(
    "/members/{member_id}/renew",
    response=MemberOut,
    summary="Renew a member's term where the law allows (aiact)",
)
def member_renew(request: HttpRequest, member_id: int) -> Any:
    actor = _editor(request)
    return services.member_renew(actor=actor, membership=selectors.membership(member_id))


class EndIn(Schema):
    on: date | None = None


@router.post("/members/{member_id}/end", response=MemberOut, summary="A member leaves the body")
def member_end(request: HttpRequest, payload: EndIn, member_id: int) -> Any:
    actor = _editor(request)
    return services.member_end(
        actor=actor, membership=selectors.membership(member_id), on=payload.on
    )


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    date: date
    place: str = Field("", max_length=200, pattern=NO_NUL)
    online: bool = False
    published: bool = False


@router.post("/bodies/{body_id}/meetings", response={201: MeetingOut}, summary="Add a meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn, body_id: int) -> Any:
    actor = _editor(request)
    created = services.meeting_create(actor=actor, body=selectors.body(body_id), **payload.dict())
    return 201, selectors.meeting(created.pk)


class MeetingUpdateIn(Schema):
    status: MeetingStatus | None = None
    published: bool | None = None


@router.post(
    "/meetings/{meeting_id}", response=MeetingOut, summary="A meeting held, cancelled, published"
)
def meeting_update(request: HttpRequest, payload: MeetingUpdateIn, meeting_id: int) -> Any:
    actor = _editor(request)
    services.meeting_update(
        actor=actor,
        meeting=selectors.meeting(meeting_id),
        status=payload.status,
        published=payload.published,
    )
    return selectors.meeting(meeting_id)


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)
    description: str = Field("", max_length=10_000, pattern=NO_NUL)


@router.post(
    "/meetings/{meeting_id}/agenda", response={201: AgendaItemOut}, summary="Add an agenda item"
)
def agenda_item_add(request: HttpRequest, payload: AgendaItemIn, meeting_id: int) -> Any:
    actor = _editor(request)
    return 201, services.agenda_item_add(
        actor=actor, meeting=selectors.meeting(meeting_id), **payload.dict()
    )


class MinutesIn(Schema):
    minutes: str = Field(..., min_length=1, max_length=200_000, pattern=NO_NUL)
    status: MinutesStatus = MinutesStatus.DRAFT
    published: bool = False


@router.post(
    "/meetings/{meeting_id}/minutes", response=MeetingOut, summary="Write or approve the minutes"
)
def minutes_save(request: HttpRequest, payload: MinutesIn, meeting_id: int) -> Any:
    actor = _editor(request)
    services.minutes_save(actor=actor, meeting=selectors.meeting(meeting_id), **payload.dict())
    return selectors.meeting(meeting_id)


class OpinionIn(Schema):
    body: int = Field(..., ge=1, le=MAX_ID)
    meeting: int | None = Field(None, ge=1, le=MAX_ID)
    kind: OpinionKind
    subject: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)
    text: str = Field("", max_length=200_000, pattern=NO_NUL)
    alert: int | None = Field(None, ge=1, le=MAX_ID, description="The alert's intake id")
    adopted_on: date
    adoption: Adoption
    votes_for: int | None = Field(None, ge=0, le=1000)
    votes_against: int | None = Field(None, ge=0, le=1000)
    abstentions: int | None = Field(None, ge=0, le=1000)
    state_votes: dict[str, VoteCast] | None = None
    majority_numerator: int | None = Field(
        None,
        ge=1,
        le=1000,
        description="Only where the law sets none: the Board's rules of procedure take aiact's",
    )
    majority_denominator: int | None = Field(None, ge=1, le=1000)
    majority_citation: str = Field("", max_length=200, pattern=NO_NUL)
    entitled_to_vote: int | None = Field(
        None, ge=0, le=1000, description="For the Board's rules of procedure: required"
    )
    published: bool = False


@router.post("/opinions", response={201: OpinionOut}, summary="Record an opinion and its vote")
def opinion_create(request: HttpRequest, payload: OpinionIn) -> Any:
    actor = _editor(request)
    data = payload.dict()
    of = selectors.body(data.pop("body"))
    meeting_id = data.pop("meeting")
    meeting = selectors.meeting(meeting_id) if meeting_id else None
    alert_id = data.pop("alert")
    alert = None
    if alert_id is not None:
        alert = QualifiedAlert.objects.filter(intake_id=alert_id).first()
        if alert is None:
            raise ValidationError({"alert": "No qualified alert has this number."})
    created = services.opinion_create(actor=actor, body=of, meeting=meeting, alert=alert, **data)
    return 201, selectors.opinions_all(of).get(pk=created.pk)


class PublishIn(Schema):
    published: bool


@router.post("/opinions/{opinion_id}/publish", response=OpinionOut, summary="Publish or withdraw")
def opinion_publish(request: HttpRequest, payload: PublishIn, opinion_id: int) -> Any:
    actor = _editor(request)
    found = services.opinion_publish(
        actor=actor, opinion=selectors.opinion(opinion_id), published=payload.published
    )
    return selectors.opinions_all(found.body).get(pk=found.pk)
