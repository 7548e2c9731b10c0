"""The analysis API of drafting, at /api/v1/drafting/analysis/: the AI tools on a
consultation, for the Office and the project's chairs, vice-chairs and drafters. No public
route.

* `POST /consultations/{id}/runs`: queue an analysis (thresholds optional: the Office's
  settings otherwise); `GET /consultations/{id}/runs`: its runs, newest first.
* `GET /runs/{id}`: a run's status, progress, model, settings and groups (campaigns and
  themes with counts, keywords, dominant section, positions and representative quotes).
* `GET /groups/{id}/members`: a group's feedback, closest to its centre first.
* `GET /consultations/{id}/search?q=`: the consultation's feedback closest in meaning.
* `GET /feedback/{id}/similar`: the feedback of the same consultation closest to one item.
* `POST /feedback/{id}/accept-section`: file a general comment under its suggested section.
* `POST /consultations/{id}/summaries`: a machine-written summary of a group or a section
  (the configured LLM endpoint; 422 naming `summary` when there is none or it fails).

Access: 401 without a session or token; 404 for a consultation, run, group or feedback the
person may not analyse (its existence is not confirmed); 403 for an action they may not
take on one they may read. Bad input is a 422 naming the field.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.drafting import selectors_analysis as selectors
from aioffice.drafting import services_analysis as services
from aioffice.drafting.models_analysis import AnalysisRun, Group, GroupMember, Summary
from aioffice.drafting.models_consultations import Confidentiality, Feedback

router = Router(tags=["drafting: analysis"])

Query500 = Annotated[str, Field(min_length=1, max_length=selectors.QUERY_MAX)]
K = Annotated[int, Field(ge=1, le=selectors.SEARCH_MAX)]


# --- schemas -----------------------------------------------------------------------------------


class RunIn(Schema):
    campaign_threshold: float | None = None
    campaign_min_size: int | None = None
    theme_threshold: float | None = None
    theme_min_size: int | None = None
    max_themes: int | None = None
    quotes: int | None = None
    keywords: int | None = None


class FeedbackOut(Schema):
    id: int
    response: int
    reference: str
    confidential: bool
    section: int | None
    suggested_section: int | None
    suggested_score: float | None
    position: str
    comment: str
    proposed_wording: str


class GroupOut(Schema):
    id: int
    kind: str
    position: int
    label: str
    keywords: list[str]
    size: int
    respondents: int
    section: int | None
    positions: dict[str, int]
    quotes: list[FeedbackOut]


class RunOut(Schema):
    id: int
    consultation: int
    status: str
    progress: int
    step: str
    model: str
    params: dict[str, Any]
    feedback_count: int
    error: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RunDetailOut(RunOut):
    groups: list[GroupOut]


class MemberOut(Schema):
    similarity: float
    feedback: FeedbackOut


class FoundOut(Schema):
    score: float
    feedback: FeedbackOut


class SearchQuery(Schema):
    q: Query500
    k: K = 20


class SimilarQuery(Schema):
    k: K = 10


class SummaryIn(Schema):
    group: Id | None = None
    section: Id | None = None


class SummaryOut(Schema):
    id: int
    consultation: int
    group: int | None
    section: int | None
    endpoint: str
    model: str
    prompt: str
    text: str
    requested_at: datetime
    received_at: datetime
    machine_written: bool = True


# --- serialisers -------------------------------------------------------------------------------


def _feedback_out(row: Feedback) -> dict[str, Any]:
    return {
        "id": row.pk,
        "response": row.response_id,
        "reference": row.response.reference,
        "confidential": row.response.confidentiality == Confidentiality.CONFIDENTIAL,
        "section": row.section_id,
        "suggested_section": row.suggested_section_id,
        "suggested_score": row.suggested_score,
        "position": row.position,
        "comment": row.comment,
        "proposed_wording": row.proposed_wording,
    }


def _run_out(run: AnalysisRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "consultation": run.consultation_id,
        "status": run.status,
        "progress": run.progress,
        "step": run.step,
        "model": run.model,
        "params": run.params or {},
        "feedback_count": run.feedback_count,
        "error": run.error,
        "requested_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def _group_out(group: Group, quotes: dict[int, Feedback]) -> dict[str, Any]:
    return {
        "id": group.pk,
        "kind": group.kind,
        "position": group.position,
        "label": group.label,
        "keywords": list(group.keywords or []),
        "size": group.size,
        "respondents": group.respondents,
        "section": group.section_id,
        "positions": dict(group.positions or {}),
        "quotes": [
            _feedback_out(quotes[int(pk)])
            for pk in group.representatives or []
            if int(pk) in quotes
        ],
    }


def _run_detail_out(run: AnalysisRun) -> dict[str, Any]:
    groups = list(run.groups.order_by("kind", "position", "id"))
    wanted = {int(pk) for group in groups for pk in group.representatives or []}
    quotes = {
        row.pk: row for row in Feedback.objects.select_related("response").filter(pk__in=wanted)
    }
    return {**_run_out(run), "groups": [_group_out(group, quotes) for group in groups]}


def _member_out(member: GroupMember) -> dict[str, Any]:
    return {"similarity": member.similarity, "feedback": _feedback_out(member.feedback)}


def _found_out(found: selectors.Found) -> dict[str, Any]:
    return {"score": found.score, "feedback": _feedback_out(found.feedback)}


def _summary_out(row: Summary) -> dict[str, Any]:
    return {
        "id": row.pk,
        "consultation": row.consultation_id,
        "group": row.group_id,
        "section": row.section_id,
        "endpoint": row.endpoint,
        "model": row.model,
        "prompt": row.prompt,
        "text": row.text,
        "requested_at": row.requested_at,
        "received_at": row.received_at,
    }


# --- routes ------------------------------------------------------------------------------------


@router.post(
    "/consultations/{consultation_id}/runs",
    response={201: RunOut},
    summary="Queue an analysis of a consultation's feedback",
)
def run_request(request: HttpRequest, consultation_id: Id, payload: RunIn) -> Any:
    consultation = selectors.consultation_for(request.user, consultation_id)
    params = {k: v for k, v in payload.dict().items() if v is not None}
    run = services.run_request(actor=request.user, consultation=consultation, params=params)
    return Status(201, _run_out(run))


@router.get(
    "/consultations/{consultation_id}/runs",
    response=list[RunOut],
    summary="A consultation's analysis runs, newest first",
)
@paginate(Pagination)
def run_list(request: HttpRequest, consultation_id: Id) -> Any:
    consultation = selectors.consultation_for(request.user, consultation_id)
    return MappedRows(selectors.runs_of(consultation), _run_out)


@router.get("/runs/{run_id}", response=RunDetailOut, summary="An analysis run and its groups")
def run_detail(request: HttpRequest, run_id: Id) -> Any:
    return _run_detail_out(selectors.run_for(request.user, run_id))


@router.get(
    "/groups/{group_id}/members",
    response=list[MemberOut],
    summary="A theme's or campaign's feedback, closest to its centre first",
)
@paginate(Pagination)
def group_members(request: HttpRequest, group_id: Id) -> Any:
    group = selectors.group_for(request.user, group_id)
    return MappedRows(selectors.members_of(group), _member_out)


@router.get(
    "/consultations/{consultation_id}/search",
    response=list[FoundOut],
    summary="The consultation's feedback closest in meaning to a query",
)
def search(request: HttpRequest, consultation_id: Id, filters: Query[SearchQuery]) -> Any:
    consultation = selectors.consultation_for(request.user, consultation_id)
    return [_found_out(found) for found in selectors.search(consultation, filters.q, k=filters.k)]


@router.get(
    "/feedback/{feedback_id}/similar",
    response=list[FoundOut],
    summary="The feedback of the same consultation closest in meaning to one item",
)
def similar(request: HttpRequest, feedback_id: Id, filters: Query[SimilarQuery]) -> Any:
    feedback = selectors.feedback_for(request.user, feedback_id)
    return [_found_out(found) for found in selectors.similar(feedback, k=filters.k)]


@router.post(
    "/feedback/{feedback_id}/accept-section",
    response=FeedbackOut,
    summary="File a general comment under the section the analysis suggested",
)
def accept_section(request: HttpRequest, feedback_id: Id) -> Any:
    feedback = selectors.feedback_for(request.user, feedback_id)
    services.suggestion_accept(actor=request.user, feedback=feedback)
    return _feedback_out(selectors.feedback_for(request.user, feedback_id))


@router.post(
    "/consultations/{consultation_id}/summaries",
    response={201: SummaryOut},
    summary="A machine-written summary of a theme, a campaign or a section's feedback",
)
def summary_request(request: HttpRequest, consultation_id: Id, payload: SummaryIn) -> Any:
    consultation = selectors.consultation_for(request.user, consultation_id)
    group = None
    section = None
    if payload.group is not None:
        group = selectors.group_for(request.user, payload.group)
    if payload.section is not None:
        section = selectors.sections_of(consultation).filter(pk=payload.section).first()
        if section is None:
            raise ValidationError({"section": "No such section in the consulted draft."})
    summary = services.summary_request(
        actor=request.user, consultation=consultation, group=group, section=section
    )
    return Status(201, _summary_out(summary))
