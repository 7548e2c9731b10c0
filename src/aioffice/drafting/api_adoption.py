"""The adoption API of drafting, at /api/v1/drafting/adoption/.

* public: `GET /{slug}` (the final version, signatories per chapter, published
  assessments), `GET /{slug}/signatories` (paginated) and its `.csv` twin.
* signatories: `POST /{slug}/signatures` (sign chapters for one's provider),
  `POST /{slug}/reports` (the next period's report, values by KPI section id).
* the Office: `GET /{slug}/reports` (paginated; a signatory gets its own).

Access: the public routes answer everyone for a public project (404 otherwise); the others
401 without a session or token, 403 without the right; bad input is a 422 naming the field.
"""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.drafting import selectors_adoption as selectors
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import CodeSignature, ImplementationReport
from aioffice.drafting.models_drafts import Section
from aioffice.registry.models import Provider

router = Router(tags=["drafting: adoption"])

Text = Annotated[str, Field(max_length=20000)]
Value = Annotated[str, Field(max_length=200)]


class ChapterOut(Schema):
    id: int
    key: str
    number: str
    title: str
    signatories: list[str]


class AssessmentOut(Schema):
    id: int
    draft: int
    assessed_on: date
    procedure: str
    outcome: str
    covers: list[str]
    published_on: date | None
    rules_version: str


class AdoptionOut(Schema):
    project: str
    title: str
    draft: int
    version: int
    adopted_on: date
    reference: str
    library_slug: str
    published_languages: list[str]
    open_for_signature_from: date | None
    chapters: list[ChapterOut]
    assessments: list[AssessmentOut]


class SignatureOut(Schema):
    id: int
    chapter: int
    chapter_title: str
    provider: str
    signed_on: date


class SignIn(Schema):
    provider: Id
    chapters: list[Id] = Field(..., max_length=50)


class ReportIn(Schema):
    provider: Id
    narrative: Text
    values: dict[str, Value] = Field(..., max_length=200)


class ReportOut(Schema):
    id: int
    provider: str
    due_on: date
    period_start: date
    period_end: date
    late: bool
    indicators: dict[str, str] | None = None


def _signature_out(s: CodeSignature) -> dict[str, Any]:
    return {
        "id": s.pk,
        "chapter": s.chapter_id,
        "chapter_title": str(s.chapter),
        "provider": s.provider.organisation.name,
        "signed_on": s.signed_on,
    }


def _report_out(r: ImplementationReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "provider": r.provider.organisation.name,
        "due_on": r.due_on,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "late": r.late,
    }


def _provider(request: HttpRequest, pk: int) -> Provider:
    found = selectors.my_providers(request).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied("You do not act for this provider.")
    return found


def _opening(request: HttpRequest, slug: str) -> Any:
    opening = selectors.opening_of(selectors.adoption_for(request, slug))
    if opening is None:
        raise Http404
    return opening


@router.get("/{slug}", response=AdoptionOut, auth=None, summary="An adopted code")
def adoption_detail(request: HttpRequest, slug: str) -> Any:
    row = selectors.adoption_for(request, slug)
    opening = selectors.opening_of(row)
    return {
        "project": row.project.slug,
        "title": row.project.title,
        "draft": row.draft_id,
        "version": row.draft.number,
        "adopted_on": row.adopted_on,
        "reference": row.reference,
        "library_slug": row.library_slug,
        "published_languages": row.published_languages,
        "open_for_signature_from": None if opening is None else opening.opens_on,
        "chapters": [
            {
                "id": item["chapter"].pk,
                "key": item["chapter"].key,
                "number": item["chapter"].number,
                "title": item["chapter"].title,
                "signatories": [s.provider.organisation.name for s in item["signatures"]],
            }
            for item in selectors.signatories_by_chapter(row)
        ],
        "assessments": list(selectors.assessments_for(request, row.project)),
    }


@router.get(
    "/{slug}/signatories",
    response=list[SignatureOut],
    auth=None,
    summary="Current signatories per chapter",
)
@paginate(Pagination)
def signatory_list(request: HttpRequest, slug: str) -> Any:
    opening = _opening(request, slug)
    return MappedRows(selectors.current_signatures(opening), _signature_out)


@router.get("/{slug}/signatories.csv", auth=None, summary="Current signatories (CSV)")
def signatory_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    row = selectors.adoption_for(request, slug)
    return csv_response(
        f"{row.project.slug}-signatories.csv",
        selectors.SIGNATORY_COLUMNS,
        selectors.signatory_rows(row),
    )


@router.post(
    "/{slug}/signatures",
    response={201: list[SignatureOut]},
    summary="Sign chapters for my provider",
)
def signature_create(request: HttpRequest, slug: str, payload: SignIn) -> Any:
    opening = _opening(request, slug)
    provider = _provider(request, payload.provider)
    chapters = list(Section.objects.filter(pk__in=payload.chapters))
    if len(chapters) != len(set(payload.chapters)):
        raise ValidationError({"chapters": "Not a chapter of the adopted code."})
    made = services.sign(actor=request.user, opening=opening, provider=provider, chapters=chapters)
    return Status(201, [_signature_out(s) for s in made])


@router.get("/{slug}/reports", response=list[ReportOut], summary="Implementation reports")
@paginate(Pagination)
def report_list(request: HttpRequest, slug: str) -> Any:
    opening = _opening(request, slug)
    if not (selectors.is_staff(request) or selectors.my_providers(request).exists()):
        raise PermissionDenied("The Office and the signatories read reports.")
    return MappedRows(selectors.reports_visible_to(request, opening), _report_out)


@router.post("/{slug}/reports", response={201: ReportOut}, summary="Submit my next report")
def report_create(request: HttpRequest, slug: str, payload: ReportIn) -> Any:
    opening = _opening(request, slug)
    provider = _provider(request, payload.provider)
    values: dict[int, str] = {}
    for key, value in payload.values.items():
        if not key.isdigit():
            raise ValidationError({"values": "Name each indicator by its section id."})
        values[int(key)] = value
    report = services.report_submit(
        actor=request.user,
        opening=opening,
        provider=provider,
        narrative=payload.narrative,
        values=values,
    )
    out = _report_out(report)
    out["indicators"] = {str(v.indicator_id): v.value for v in report.indicators.all()}
    return Status(201, out)
