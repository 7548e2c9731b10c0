"""Reads of adoption and after, with who may see what (drafting/permissions decides).

* Everyone: a public project's adoption (final version, signatories per chapter, published
  assessments, the library entry).
* Office staff (after the second factor): everything, unpublished assessments and every
  implementation report.
* A provider's organisation members: their provider's signatures and reports only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from aioffice.core.permissions import is_office_staff
from aioffice.drafting import permissions, services_adoption
from aioffice.drafting.models_adoption import (
    AdequacyAssessment,
    Adoption,
    CodeSignature,
    ImplementationReport,
    IndicatorValue,
    SignatureOpening,
)
from aioffice.drafting.models_projects import Project
from aioffice.drafting.services_adoption import chapters_of, indicators_of
from aioffice.registry.models import Provider
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

# what a signatory lists and its CSV columns
SIGNATORY_COLUMNS = ("chapter_number", "chapter", "provider", "signed_on")
REPORT_COLUMNS = ("provider", "due_on", "period_start", "period_end", "submitted_on", "late")


def is_staff(request: HttpRequest) -> bool:
    return is_office_staff(request)


def may_run(request: HttpRequest) -> bool:
    return is_office_staff(request) and permissions.may_run_projects(request.user)


def may_assess(request: HttpRequest) -> bool:
    return is_office_staff(request) and permissions.may_assess(request.user)


def project_for(request: HttpRequest, slug: str) -> Project:
    """A project the person may read (404 otherwise: a hidden project does not exist)."""
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise Http404
    if is_staff(request):
        return project
    if not project.public:
        raise Http404
    return project


def adoption_for(request: HttpRequest, slug: str) -> Adoption:
    project = project_for(request, slug)
    adoption = Adoption.objects.select_related("project", "draft").filter(project=project).first()
    if adoption is None:
        raise Http404
    return adoption


def opening_of(adoption: Adoption) -> SignatureOpening | None:
    return SignatureOpening.objects.filter(adoption=adoption).first()


def current_signatures(opening: SignatureOpening) -> QuerySet[CodeSignature]:
    return (
        CodeSignature.objects.filter(opening=opening, withdrawn_on__isnull=True)
        .select_related("provider__organisation", "chapter")
        .order_by("chapter__position", "provider__organisation__name", "id")
    )


def signatories_by_chapter(adoption: Adoption) -> list[dict[str, Any]]:
    """Each chapter to sign with its current signatories (two queries)."""
    opening = opening_of(adoption)
    chapters = chapters_of(adoption.draft)
    rows: dict[int, list[CodeSignature]] = {c.pk: [] for c in chapters}
    if opening is not None:
        for signature in current_signatures(opening):
            rows.setdefault(signature.chapter_id, []).append(signature)
    whole = len(chapters) == 1 and chapters[0].kind != "chapter"
    return [{"chapter": c, "whole": whole, "signatures": rows[c.pk]} for c in chapters]


def signatory_rows(adoption: Adoption) -> Iterator[list[Any]]:
    opening = opening_of(adoption)
    if opening is None:
        return
    for s in current_signatures(opening).iterator(chunk_size=500):
        yield [s.chapter.number, s.chapter.title, s.provider.organisation.name, s.signed_on]


def assessments_for(request: HttpRequest, project: Project) -> QuerySet[AdequacyAssessment]:
    rows = AdequacyAssessment.objects.filter(project=project).select_related(
        "draft", "board_opinion"
    )
    if is_staff(request):
        return rows
    return rows.filter(published_on__isnull=False)


def assessment_for(request: HttpRequest, project: Project, pk: int) -> AdequacyAssessment:
    row = assessments_for(request, project).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def my_providers(request: HttpRequest) -> QuerySet[Provider]:
    rows: QuerySet[Provider] = permissions.signing_providers(request.user)
    return rows.select_related("organisation").order_by("organisation__name")


def my_signatures(request: HttpRequest, opening: SignatureOpening) -> QuerySet[CodeSignature]:
    return current_signatures(opening).filter(provider__in=my_providers(request))


def reports_visible_to(
    request: HttpRequest, opening: SignatureOpening
) -> QuerySet[ImplementationReport]:
    """The Office sees every report; a signatory its own."""
    rows = ImplementationReport.objects.filter(opening=opening).select_related(
        "provider__organisation"
    )
    if is_staff(request):
        return rows.order_by("-due_on", "provider__organisation__name", "-id")
    return rows.filter(provider__in=my_providers(request)).order_by("-due_on", "-id")


def report_for(request: HttpRequest, opening: SignatureOpening, pk: int) -> ImplementationReport:
    row = (
        reports_visible_to(request, opening)
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=IndicatorValue.objects.select_related("indicator").order_by(
                    "indicator__position"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


def indicator_table(opening: SignatureOpening) -> tuple[list[Any], list[dict[str, Any]]]:
    """The Office's table: one row per report, one column per KPI of the final text."""
    kpis = indicators_of(opening.adoption.draft)
    reports = list(
        ImplementationReport.objects.filter(opening=opening)
        .select_related("provider__organisation")
        .order_by("-due_on", "provider__organisation__name", "id")
    )
    values: dict[tuple[int, int], str] = {
        (v["report_id"], v["indicator_id"]): v["value"]
        for v in IndicatorValue.objects.filter(report__opening=opening).values(
            "report_id", "indicator_id", "value"
        )
    }
    rows = [{"report": r, "values": [values.get((r.pk, k.pk), "") for k in kpis]} for r in reports]
    return kpis, rows


def indicator_csv_rows(opening: SignatureOpening) -> tuple[list[str], Iterator[list[Any]]]:
    kpis, rows = indicator_table(opening)
    header = [*REPORT_COLUMNS, *(f"{k.number} {k.title}".strip() for k in kpis)]

    def lines() -> Iterator[list[Any]]:
        for row in rows:
            r = row["report"]
            yield [
                r.provider.organisation.name,
                r.due_on,
                r.period_start,
                r.period_end,
                timezone.localdate(r.submitted_at),
                r.late,
                *row["values"],
            ]

    return header, lines()


def open_question(assessment: AdequacyAssessment, on: date | None = None) -> str | None:
    """Open question 12 where aiact raises it: an assessment under the original procedure
    relied on after the amendment (today, unless `on` is given)."""
    return services_adoption.open_question_of(
        assessment=assessment, used_on=on or timezone.now().date()
    )


def reports_due(project: Project | None = None) -> list[tuple[Deadline, CodeSignature]]:
    """The open implementation-report deadlines of the adopted codes (of one project if
    given), soonest first, each with the signature it hangs on (three queries)."""
    prefix = f"{CodeSignature._meta.label_lower}:"
    deadlines = list(
        Deadline.objects.filter(
            kind=DeadlineKind.CODE_REPORT, status=DeadlineStatus.OPEN, source__startswith=prefix
        ).order_by("due_on", "id")
    )
    ids = {int(d.source.removeprefix(prefix)) for d in deadlines}
    anchors = CodeSignature.objects.filter(pk__in=ids).select_related(
        "provider__organisation", "opening__adoption__project"
    )
    if project is not None:
        anchors = anchors.filter(opening__adoption__project=project)
    by_id = {a.pk: a for a in anchors}
    return [
        (d, by_id[int(d.source.removeprefix(prefix))])
        for d in deadlines
        if int(d.source.removeprefix(prefix)) in by_id
    ]
