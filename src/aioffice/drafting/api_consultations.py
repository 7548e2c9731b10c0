"""The consultations API of drafting, at /api/v1/drafting/consultations/.

Public (`auth=None`, rate limited, in `aioffice.api.PUBLIC_ROUTES`):

* `GET ""`: public consultations open now; `GET /{id}`: one consultation with the sections
  of its draft (a working-group consultation only to those who read it: 404 otherwise);
* `POST /{id}/responses`: the public's response to a public consultation (an e-mail address
  is required: a confirmation link is sent; the session is not read, so no cross-site
  request answers for someone);
* `GET /{id}/published` and `/{id}/published.csv`: the published responses (anonymous ones
  without name or organisation, confidential ones never, e-mail addresses never).

Signed in (session or token):

* `POST /{id}/my-response`, `PUT /{id}/my-response`: a signed-in person's response (working
  groups: current members of the groups consulted; one each, edited until the close);
* `GET /{id}/feedback` (+ `.csv`, `.json`): all the feedback, the Office and the chairs only;
* `POST ""` (open), `POST /{id}/close`, `POST /{id}/publish`, `POST /{id}/import`: the Office.

Every refusal of the period is a 422 naming `consultation`.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schema of the paginated route from its live annotations.

from datetime import datetime
from typing import Annotated, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.core.exports import csv_response
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.ratelimit import client_key, hit
from aioffice.drafting import permissions
from aioffice.drafting import selectors_consultations as selectors
from aioffice.drafting import services_consultations as services
from aioffice.drafting.models_consultations import (
    Audience,
    Channel,
    Confidentiality,
    Consultation,
    Feedback,
    Response,
)
from aioffice.drafting.models_drafts import Draft
from aioffice.drafting.models_projects import WorkingGroup
from aioffice.drafting.views_consultations import (
    RESPOND_LIMIT,
    RESPOND_WINDOW,
    json_stream,
    may_run,
    send_confirmation,
    viewer,
)

router = Router(tags=["drafting: consultations"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

Text = Annotated[str, Field(max_length=20000, pattern=r"^[^\x00]*$")]
Short = Annotated[str, Field(max_length=300, pattern=r"^[^\x00]*$")]
MAX_IMPORT = 10_000


# --- schemas ------------------------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    key: str
    number: str
    title: str
    kind: str
    text: str


class ConsultationOut(Schema):
    id: int
    title: str
    introduction: str
    audience: str
    project: str
    draft: int
    draft_number: int
    opens_at: datetime
    closes_at: datetime
    closed_early_at: datetime | None
    is_open: bool
    responses_published: bool
    url: str


class ConsultationDetailOut(ConsultationOut):
    working_groups: list[int]
    sections: list[SectionOut]


class OpenIn(Schema):
    draft: int = Field(ge=1, le=2**31 - 1)
    title: Short
    introduction: Text = ""
    audience: str
    working_groups: list[int] = Field(default_factory=list, max_length=100)
    opens_at: datetime
    closes_at: datetime


class ItemIn(Schema):
    section: int | None = Field(None, ge=1, le=2**31 - 1)
    position: str = Field(max_length=10)
    comment: Text = ""
    proposed_wording: Text = ""


class ResponseIn(Schema):
    name: Short
    organisation: Short = ""
    category: str = Field(max_length=30)
    email: str = Field("", max_length=254)
    confidentiality: str = Field(max_length=20)
    items: list[ItemIn] = Field(max_length=500)


class ResponseOut(Schema):
    reference: str
    identity_check: str
    confidentiality: str
    items: int


class FeedbackOut(Schema):
    id: int
    response: int
    reference: str
    name: str
    organisation: str
    email: str
    category: str
    confidentiality: str
    identity_check: str
    channel: str
    section: int | None
    section_key: str
    position: str
    comment: str
    proposed_wording: str


class FeedbackFilter(Schema):
    section: str = Field("", max_length=20)
    position: str = Field("", max_length=10)
    category: str = Field("", max_length=30)
    confidentiality: str = Field("", max_length=20)
    q: str = Field("", max_length=200)


class PublishedItemOut(Schema):
    section_number: str
    section_title: str
    position: str
    comment: str
    proposed_wording: str


class PublishedOut(Schema):
    reference: str
    submitted_at: datetime
    category: str
    confidentiality: str
    name: str
    organisation: str
    items: list[PublishedItemOut]


class ImportRow(Schema):
    respondent: Short = ""
    name: Short
    organisation: Short = ""
    category: str = Field(max_length=30)
    email: str = Field("", max_length=254)
    confidentiality: str = Field(max_length=20)
    section: str = Field("", max_length=80)
    position: str = Field(max_length=10)
    comment: Text = ""
    proposed_wording: Text = ""


class ImportIn(Schema):
    rows: list[ImportRow] = Field(max_length=MAX_IMPORT)


class ImportOut(Schema):
    responses: int
    first_reference: str
    last_reference: str


# --- helpers ------------------------------------------------------------------------------------


def _out(row: Consultation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "introduction": row.introduction,
        "audience": row.audience,
        "project": row.draft.project.title,
        "draft": row.draft_id,
        "draft_number": row.draft.number,
        "opens_at": row.opens_at,
        "closes_at": selectors.closing(row),
        "closed_early_at": row.closed_early_at,
        "is_open": services.is_open(row),
        "responses_published": row.responses_published_at is not None,
        "url": reverse("drafting:consultation", args=[row.pk]),
    }


def _reader(request: HttpRequest, consultation_id: int) -> Consultation:
    found = selectors.consultation_for(request.user, consultation_id)
    if not permissions.may_read_everything(request.user, found.draft.project):
        raise PermissionDenied("Only the Office and the project's chairs read all the feedback.")
    return found


def _runner(request: HttpRequest) -> None:
    if not may_run(request):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit do this."
        )


def _items(payload: ResponseIn) -> list[services.Item]:
    return [
        services.Item(
            section=item.section,
            position=item.position,
            comment=item.comment,
            proposed_wording=item.proposed_wording,
        )
        for item in payload.items
    ]


def _respondent(payload: ResponseIn) -> services.Respondent:
    return services.Respondent(
        name=payload.name,
        organisation=payload.organisation,
        category=payload.category,
        email=payload.email,
        confidentiality=payload.confidentiality,
    )


def _response_out(response: Response) -> dict[str, Any]:
    return {
        "reference": response.reference,
        "identity_check": response.identity_check,
        "confidentiality": response.confidentiality,
        "items": response.items.count(),
    }


def _feedback_out(item: Feedback) -> dict[str, Any]:
    response = item.response
    return {
        "id": item.pk,
        "response": response.pk,
        "reference": response.reference,
        "name": response.name,
        "organisation": response.organisation_name,
        "email": response.email,
        "category": response.category,
        "confidentiality": response.confidentiality,
        "identity_check": response.identity_check,
        "channel": response.channel,
        "section": item.section_id,
        "section_key": item.section.key if item.section is not None else "",
        "position": item.position,
        "comment": item.comment,
        "proposed_wording": item.proposed_wording,
    }


def _published_out(response: Response) -> dict[str, Any]:
    anonymous = response.confidentiality != Confidentiality.PUBLIC
    return {
        "reference": response.reference,
        "submitted_at": response.submitted_at,
        "category": response.category,
        "confidentiality": response.confidentiality,
        "name": "" if anonymous else response.name,
        "organisation": "" if anonymous else response.organisation_name,
        "items": [
            {
                "section_number": item.section.number if item.section else "",
                "section_title": item.section.title if item.section else "",
                "position": item.position,
                "comment": item.comment,
                "proposed_wording": item.proposed_wording,
            }
            for item in response.items.all()
        ],
    }


def _published(request: HttpRequest, consultation_id: int) -> Consultation:
    found = selectors.consultations().filter(pk=consultation_id).first()
    if found is None or not permissions.may_read_published_responses(viewer(request), found):
        raise Http404
    return found


# --- public -------------------------------------------------------------------------------------


@router.get(
    "",
    response=list[ConsultationOut],
    auth=None,
    throttle=_throttle,
    summary="Public consultations open now, soonest closing first",
)
@paginate(Pagination)
def open_consultations(request: HttpRequest) -> Any:
    return MappedRows(selectors.open_public(), _out)


@router.get(
    "/{consultation_id}",
    response=ConsultationDetailOut,
    auth=None,
    throttle=_throttle,
    summary="One consultation with the sections of its draft",
)
def consultation(request: HttpRequest, consultation_id: int) -> Any:
    found = selectors.consultation_for(viewer(request), consultation_id)
    return {
        **_out(found),
        "working_groups": [g.pk for g in found.working_groups.all()],
        "sections": selectors.sections_of(found),
    }


@router.post(
    "/{consultation_id}/responses",
    response={201: ResponseOut},
    auth=None,
    summary="Answer a public consultation (an e-mail address to confirm is required)",
)
def respond_public(request: HttpRequest, consultation_id: int, payload: ResponseIn) -> Any:
    found = selectors.consultations().filter(pk=consultation_id).first()
    if found is None or found.audience != Audience.PUBLIC:
        raise Http404
    if not permissions.may_read_consultation(None, found):
        raise Http404
    if not hit("drafting.respond", client_key(request), limit=RESPOND_LIMIT, window=RESPOND_WINDOW):
        raise HttpError(429, "Too many responses from your address: try again later.")
    submitted = services.response_submit(
        actor=None,
        consultation=found,
        respondent=_respondent(payload),
        items=_items(payload),
        channel=Channel.API,
    )
    send_confirmation(request, submitted.response, submitted.token)
    return Status(201, _response_out(submitted.response))


@router.get(
    "/{consultation_id}/published",
    response=list[PublishedOut],
    auth=None,
    throttle=_throttle,
    summary="The published responses (confidential ones never; anonymous ones unnamed)",
)
@paginate(Pagination)
def published(request: HttpRequest, consultation_id: int) -> Any:
    found = _published(request, consultation_id)
    return MappedRows(selectors.published_responses(found), _published_out)


@router.get(
    "/{consultation_id}/published.csv",
    auth=None,
    throttle=_throttle,
    summary="The published responses as CSV, one row per piece of feedback",
)
def published_csv(request: HttpRequest, consultation_id: int) -> StreamingHttpResponse:
    found = _published(request, consultation_id)
    return csv_response(
        f"consultation-{found.pk}-responses.csv",
        selectors.PUBLISHED_HEADER,
        selectors.published_rows(found),
    )


# --- signed in ----------------------------------------------------------------------------------


def _second_factor(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified()) if callable(verified) else False


@router.post(
    "/{consultation_id}/my-response",
    response={201: ResponseOut},
    summary="Answer as the signed-in person (working groups: their current members)",
)
def respond_signed_in(request: HttpRequest, consultation_id: int, payload: ResponseIn) -> Any:
    found = selectors.consultation_for(request.user, consultation_id)
    submitted = services.response_submit(
        actor=request.user,
        consultation=found,
        respondent=_respondent(payload),
        items=_items(payload),
        second_factor=_second_factor(request),
        channel=Channel.API,
    )
    return Status(201, _response_out(submitted.response))


@router.put(
    "/{consultation_id}/my-response",
    response=ResponseOut,
    summary="Change one's own response until the consultation closes",
)
def respond_edit(request: HttpRequest, consultation_id: int, payload: ResponseIn) -> Any:
    found = selectors.consultation_for(request.user, consultation_id)
    own = selectors.own_response(request.user, found)
    if own is None:
        raise Http404
    response = services.response_update(
        actor=request.user, response=own, respondent=_respondent(payload), items=_items(payload)
    )
    return _response_out(response)


@router.get(
    "/{consultation_id}/feedback",
    response=list[FeedbackOut],
    summary="All the feedback, confidential included (the Office and the chairs)",
)
@paginate(Pagination)
def feedback(request: HttpRequest, consultation_id: int, filters: Query[FeedbackFilter]) -> Any:
    found = _reader(request, consultation_id)
    return MappedRows(selectors.feedback(found, filters.dict()), _feedback_out)


@router.get(
    "/{consultation_id}/feedback.csv",
    summary="All the feedback as CSV, streamed (the Office and the chairs)",
)
def feedback_csv(request: HttpRequest, consultation_id: int) -> StreamingHttpResponse:
    found = _reader(request, consultation_id)
    return csv_response(
        f"consultation-{found.pk}.csv", selectors.EXPORT_HEADER, selectors.export_rows(found)
    )


@router.get(
    "/{consultation_id}/feedback.json",
    summary="All the feedback as JSON, streamed (the Office and the chairs)",
)
def feedback_json(request: HttpRequest, consultation_id: int) -> HttpResponse:
    found = _reader(request, consultation_id)
    response = StreamingHttpResponse(json_stream(found), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="consultation-{found.pk}.json"'
    return cast(HttpResponse, response)


@router.post("", response={201: ConsultationDetailOut}, summary="Open a consultation")
def open_consultation(request: HttpRequest, payload: OpenIn) -> Any:
    _runner(request)
    draft = get_object_or_404(Draft.objects.select_related("project"), pk=payload.draft)
    groups = list(WorkingGroup.objects.filter(pk__in=payload.working_groups))
    if len(groups) != len(set(payload.working_groups)):
        raise ValidationError({"working_groups": "Choose working groups of this project."})
    found = services.consultation_open(
        actor=request.user,
        draft=draft,
        title=payload.title,
        introduction=payload.introduction,
        audience=payload.audience,
        working_groups=groups,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
    )
    return Status(201, consultation(request, found.pk))


@router.post("/{consultation_id}/close", response=ConsultationOut, summary="Close it now")
def close(request: HttpRequest, consultation_id: int) -> Any:
    _runner(request)
    found = get_object_or_404(selectors.consultations(), pk=consultation_id)
    return _out(services.consultation_close(actor=request.user, consultation=found))


@router.post(
    "/{consultation_id}/publish",
    response=ConsultationOut,
    summary="Publish the non-confidential responses (after the close)",
)
def publish(request: HttpRequest, consultation_id: int) -> Any:
    _runner(request)
    found = get_object_or_404(selectors.consultations(), pk=consultation_id)
    return _out(services.responses_publish(actor=request.user, consultation=found))


@router.post(
    "/{consultation_id}/import",
    response={201: ImportOut},
    summary="Enter letters and e-mails (the Office and the chairs; the period binds them too)",
)
def import_rows(request: HttpRequest, consultation_id: int, payload: ImportIn) -> Any:
    found = _reader(request, consultation_id)
    made = services.import_feedback(
        actor=request.user, consultation=found, rows=[row.dict() for row in payload.rows]
    )
    return Status(
        201,
        {
            "responses": len(made),
            "first_reference": made[0].reference,
            "last_reference": made[-1].reference,
        },
    )
