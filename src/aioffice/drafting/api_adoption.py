"""The adoption API of drafting, at /api/v1/drafting/adoption/.

* public: `GET /{slug}` (the final version, signatories per chapter, published
  assessments), `GET /{slug}/signatories` (paginated) and its `.csv` twin.
* signatories: `POST /{slug}/signatures` (sign chapters for one's provider),
  `POST /{slug}/reports` (the next period's report, values by KPI section id).
* signatories and the Office: `POST /{slug}/signatures/{signature_id}/withdraw` (a
  provider's members withdraw its signature; the Office on its behalf).
* the Office: `GET /{slug}/reports` (paginated; a signatory gets its own); the project
  runners' `POST /{slug}/adopt` (a published version becomes the final text),
  `POST /{slug}/opening` (open for signature with the reporting rhythm),
  `POST /{slug}/signatures/record` (a signature received on paper) and `POST /{slug}/library`
  (multipart: `language` and `file` repeated in pairs, `number`, `change_note`); the
  assessors' `POST /{slug}/assessments` and `POST /{slug}/assessments/{assessment_id}/publish`.

Access: the public routes answer everyone for a public project (404 otherwise); the others
401 without a session or token, 403 without the right (checked before anything is looked
up); bad input is a 422 naming the field.
"""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.cooperation.choices import BodyKind
from aioffice.cooperation.models_bodies import Opinion
from aioffice.core.exports import csv_response
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.drafting import selectors_adoption as selectors
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import (
    AdequacyAssessment,
    Adoption,
    CodeSignature,
    ImplementationReport,
)
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.portal.choices import EU_LANGUAGES
from aioffice.registry.models import Provider

router = Router(tags=["drafting: adoption"])

LANGUAGES = frozenset(code for code, _name in EU_LANGUAGES)
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
    withdrawn_on: date | None = None


class AdoptIn(Schema):
    draft: Id
    adopted_on: date
    reference: Annotated[str, Field(max_length=100)] = ""
    note: Text = ""


class AdoptedOut(Schema):
    id: int
    project: str
    draft: int
    version: int
    adopted_on: date
    reference: str
    library_slug: str
    published_languages: list[str]
    published_on: date | None


class OpeningIn(Schema):
    opens_on: date
    closes_on: date | None = None
    report_every_months: int
    first_report_due: date


class OpeningOut(Schema):
    id: int
    opens_on: date
    closes_on: date | None
    report_every_months: int
    first_report_due: date


class RecordIn(Schema):
    provider: Id
    chapters: list[Id] = Field(..., max_length=50)
    signed_on: date


class WithdrawIn(Schema):
    reasons: Text
    withdrawn_on: date | None = None


class AssessmentIn(Schema):
    draft: Id
    assessed_on: date
    outcome: Annotated[str, Field(max_length=20)]
    reasons: Text
    covers: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=100)
    board_opinion: Id | None = None
    board_opinion_note: Text = ""


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
        "withdrawn_on": s.withdrawn_on,
    }


def _adopted_out(a: Adoption) -> dict[str, Any]:
    return {
        "id": a.pk,
        "project": a.project.slug,
        "draft": a.draft_id,
        "version": a.draft.number,
        "adopted_on": a.adopted_on,
        "reference": a.reference,
        "library_slug": a.library_slug,
        "published_languages": a.published_languages,
        "published_on": a.published_on,
    }


def _assessment_out(a: AdequacyAssessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "draft": a.draft_id,
        "assessed_on": a.assessed_on,
        "procedure": a.procedure,
        "outcome": a.outcome,
        "covers": a.covers,
        "published_on": a.published_on,
        "rules_version": a.rules_version,
    }


def _runner(request: HttpRequest) -> None:
    """The Office's project runners (after the second factor)."""
    if not selectors.may_run(request):
        raise PermissionDenied("Only the Office's policy, legal officers and heads of unit.")


def _assessor(request: HttpRequest) -> None:
    if not selectors.may_assess(request):
        raise PermissionDenied("Only the Office's legal officers and heads of unit assess.")


def _chapters(ids: list[int]) -> list[Section]:
    chapters = list(Section.objects.filter(pk__in=ids))
    if len(chapters) != len(set(ids)):
        raise ValidationError({"chapters": "Not a chapter of the adopted code."})
    return chapters


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
        "assessments": [
            _assessment_out(a) for a in selectors.assessments_for(request, row.project)
        ],
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
    chapters = _chapters(payload.chapters)
    made = services.sign(actor=request.user, opening=opening, provider=provider, chapters=chapters)
    return Status(201, [_signature_out(s) for s in made])


@router.post(
    "/{slug}/signatures/{signature_id}/withdraw",
    response=SignatureOut,
    summary="Withdraw a chapter signature (its provider's members; the Office)",
)
def signature_withdraw(
    request: HttpRequest, slug: str, signature_id: Id, payload: WithdrawIn
) -> Any:
    office = selectors.may_run(request)
    if not (office or selectors.my_providers(request).exists()):
        raise PermissionDenied("Only the provider's organisation members or the Office do this.")
    opening = _opening(request, slug)
    rows = CodeSignature.objects.filter(opening=opening).select_related(
        "provider__organisation", "chapter"
    )
    if not office:
        rows = rows.filter(provider__in=selectors.my_providers(request))
    signature = rows.filter(pk=signature_id).first()
    if signature is None:
        raise Http404
    row = services.signature_withdraw(
        actor=request.user,
        signature=signature,
        withdrawn_on=payload.withdrawn_on,
        reasons=payload.reasons,
    )
    return _signature_out(row)


# --- the Office --------------------------------------------------------------------------------


@router.post("/{slug}/adopt", response={201: AdoptedOut}, summary="Adopt a published version")
def adopt(request: HttpRequest, slug: str, payload: AdoptIn) -> Any:
    _runner(request)
    project = selectors.project_for(request, slug)
    draft = Draft.objects.filter(project=project, pk=payload.draft).first()
    if draft is None:
        raise ValidationError({"draft": "Not a version of this code."})
    row = services.adopt(
        actor=request.user,
        draft=draft,
        adopted_on=payload.adopted_on,
        reference=payload.reference,
        note=payload.note,
    )
    return Status(201, _adopted_out(row))


@router.post(
    "/{slug}/opening",
    response={201: OpeningOut},
    summary="Open the adopted code for signature, with the reporting rhythm",
)
def opening_create(request: HttpRequest, slug: str, payload: OpeningIn) -> Any:
    _runner(request)
    row = services.opening_create(
        actor=request.user,
        adoption=selectors.adoption_for(request, slug),
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        report_every_months=payload.report_every_months,
        first_report_due=payload.first_report_due,
    )
    return Status(
        201,
        {
            "id": row.pk,
            "opens_on": row.opens_on,
            "closes_on": row.closes_on,
            "report_every_months": row.report_every_months,
            "first_report_due": row.first_report_due,
        },
    )


@router.post(
    "/{slug}/signatures/record",
    response={201: list[SignatureOut]},
    summary="Record a signature received on paper",
)
def signature_record(request: HttpRequest, slug: str, payload: RecordIn) -> Any:
    _runner(request)
    opening = _opening(request, slug)
    provider = Provider.objects.select_related("organisation").filter(pk=payload.provider).first()
    if provider is None:
        raise ValidationError({"provider": "No such provider in the registry."})
    made = services.signature_record(
        actor=request.user,
        opening=opening,
        provider=provider,
        chapters=_chapters(payload.chapters),
        signed_on=payload.signed_on,
    )
    return Status(201, [_signature_out(s) for s in made])


@router.post(
    "/{slug}/assessments",
    response={201: AssessmentOut},
    summary="Record the adequacy assessment of a version",
)
def assessment_create(request: HttpRequest, slug: str, payload: AssessmentIn) -> Any:
    _assessor(request)
    project = selectors.project_for(request, slug)
    draft = Draft.objects.filter(project=project, pk=payload.draft).first()
    if draft is None:
        raise ValidationError({"draft": "Not a version of this code."})
    opinion = None
    if payload.board_opinion is not None:
        opinion = (
            Opinion.objects.select_related("body")
            .filter(pk=payload.board_opinion, body__kind=BodyKind.BOARD)
            .first()
        )
        if opinion is None:
            raise ValidationError({"board_opinion": "Not an opinion of the Board."})
    row = services.assessment_create(
        actor=request.user,
        draft=draft,
        assessed_on=payload.assessed_on,
        outcome=payload.outcome,
        reasons=payload.reasons,
        covers=payload.covers,
        board_opinion=opinion,
        board_opinion_note=payload.board_opinion_note,
    )
    return Status(201, _assessment_out(row))


@router.post(
    "/{slug}/assessments/{assessment_id}/publish",
    response=AssessmentOut,
    summary="Publish an assessment (shown on the public pages from today)",
)
def assessment_publish(request: HttpRequest, slug: str, assessment_id: Id) -> Any:
    _assessor(request)
    project = selectors.project_for(request, slug)
    row = selectors.assessment_for(request, project, assessment_id)
    return _assessment_out(services.assessment_publish(actor=request.user, assessment=row))


@router.post(
    "/{slug}/library",
    response={201: AdoptedOut},
    summary="Publish the final text in the library (multipart: language and file in pairs)",
)
def publish_library(
    request: HttpRequest,
    slug: str,
    language: Form[list[str]],
    file: File[list[UploadedFile]],
    number: Form[str] = "",
    change_note: Form[str] = "",
) -> Any:
    _runner(request)
    row = selectors.adoption_for(request, slug)
    if len(language) != len(file):
        raise ValidationError({"language": "Give one language for each file, in order."})
    if len(set(language)) != len(language):
        raise ValidationError({"language": "One file per language."})
    unknown = sorted(set(language) - LANGUAGES)
    if unknown:
        raise ValidationError({"language": f"Not an official language of the Union: {unknown[0]}."})
    if len(number) > 20:
        raise ValidationError({"number": "At most 20 characters."})
    done = services.publish_library(
        actor=request.user,
        adoption=row,
        files=dict(zip(language, file, strict=True)),
        number=number,
        change_note=change_note,
    )
    return Status(201, _adopted_out(done))


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
