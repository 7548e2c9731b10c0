"""Pages of adoption and after (selectors_adoption decides who sees what; the services who
does what).

* public: `adoption` (the final version, signatories per chapter, published assessments,
  the library entry), `signatories_csv`, `assessment` (once published; staff always).
* the Office: `adopt`, `signature_opening_new`, `signature_record`, `assessment_new`,
  `assessment_publish`, `publish_library`, `reports` (and `reports_csv`, the indicators).
* signatories: `sign` (and `signature_withdraw`), `report_new`, `report`, `report_file`.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation.choices import BodyKind
from aioffice.cooperation.models_bodies import Opinion
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.forms import form_saved
from aioffice.core.permissions import login_required, require
from aioffice.drafting import selectors_adoption as selectors
from aioffice.drafting import services_adoption as services
from aioffice.drafting.forms_adoption import (
    AdoptForm,
    AssessmentForm,
    LibraryForm,
    OpeningForm,
    RecordSignatureForm,
    ReportForm,
    SignForm,
    WithdrawForm,
)
from aioffice.drafting.models_adoption import Adoption, SignatureOpening
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section
from aioffice.registry.models import Provider

PER_PAGE = 25


def _summary(adoption: Adoption) -> HttpResponse:
    return redirect("drafting:adoption", adoption.project.slug)


def _opening(adoption: Adoption) -> SignatureOpening:
    opening = selectors.opening_of(adoption)
    if opening is None:
        raise Http404
    return opening


def _chapters(adoption: Adoption) -> Any:
    ids = [c.pk for c in services.chapters_of(adoption.draft)]
    return Section.objects.filter(pk__in=ids).order_by("position")


# --- public ------------------------------------------------------------------------------------


@require_GET
def adoption(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    opening = selectors.opening_of(row)
    assessments = list(selectors.assessments_for(request, row.project))
    questions = {a.pk: selectors.open_question(a) for a in assessments}
    return render(
        request,
        "drafting/adoption/summary.html",
        {
            "adoption": row,
            "project": row.project,
            "opening": opening,
            "chapters": selectors.signatories_by_chapter(row),
            "assessments": [(a, questions[a.pk]) for a in assessments],
            "staff": selectors.is_staff(request),
            "may_run": selectors.may_run(request),
            "may_assess": selectors.may_assess(request),
        },
    )


@require_GET
def signatories_csv(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    return cast(
        HttpResponse,
        csv_response(
            f"{row.project.slug}-signatories.csv",
            selectors.SIGNATORY_COLUMNS,
            selectors.signatory_rows(row),
        ),
    )


@require_GET
def assessment(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    project = selectors.project_for(request, slug)
    row = selectors.assessment_for(request, project, assessment_id)
    return render(
        request,
        "drafting/adoption/assessment.html",
        {
            "project": project,
            "assessment": row,
            "open_question": selectors.open_question(row),
            "may_assess": selectors.may_assess(request),
        },
    )


# --- the Office --------------------------------------------------------------------------------


@require(selectors.may_run)
@require_http_methods(["GET", "POST"])
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_for(request, slug)
    if Adoption.objects.filter(project=project).exists():
        return redirect("drafting:adoption", project.slug)
    drafts = Draft.objects.filter(project=project, status=DraftStatus.PUBLISHED).order_by("-number")
    form = AdoptForm(request.POST or None, drafts=drafts)
    done = form_saved(
        request,
        form,
        lambda d: services.adopt(
            actor=request.user,
            draft=d["draft"],
            adopted_on=d["adopted_on"],
            reference=d["reference"],
            note=d["note"],
        ),
        message=str(_("The code is adopted: the version chosen is its final text.")),
        then=_summary,
    )
    return done or render(
        request,
        "drafting/adoption/form.html",
        {"form": form, "project": project, "heading": _("Adopt the final version")},
        status=422 if form.errors else 200,
    )


@require(selectors.may_run)
@require_http_methods(["GET", "POST"])
def signature_opening_new(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    form = OpeningForm(request.POST or None)
    done = form_saved(
        request,
        form,
        lambda d: services.opening_create(actor=request.user, adoption=row, **d),
        message=str(_("The code is open for signature.")),
        then=lambda o: _summary(row),
    )
    return done or render(
        request,
        "drafting/adoption/form.html",
        {"form": form, "project": row.project, "heading": _("Open for signature")},
        status=422 if form.errors else 200,
    )


@require(selectors.may_run)
@require_http_methods(["GET", "POST"])
def signature_record(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    opening = _opening(row)
    form = RecordSignatureForm(
        request.POST or None,
        providers=Provider.objects.select_related("organisation").order_by("organisation__name"),
        chapters=_chapters(row),
    )
    done = form_saved(
        request,
        form,
        lambda d: services.signature_record(
            actor=request.user,
            opening=opening,
            provider=d["provider"],
            chapters=list(d["chapters"]),
            signed_on=d["signed_on"],
        ),
        message=str(_("The signature received on paper is recorded.")),
        then=lambda s: _summary(row),
    )
    return done or render(
        request,
        "drafting/adoption/form.html",
        {"form": form, "project": row.project, "heading": _("Record a signature on paper")},
        status=422 if form.errors else 200,
    )


@require(selectors.may_assess)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_for(request, slug)
    drafts = Draft.objects.filter(project=project).exclude(status=DraftStatus.WORKING)
    opinions = Opinion.objects.filter(body__kind=BodyKind.BOARD).order_by("-adopted_on", "-id")
    form = AssessmentForm(request.POST or None, drafts=drafts, opinions=opinions)
    done = form_saved(
        request,
        form,
        lambda d: services.assessment_create(actor=request.user, **d),
        message=str(_("The assessment is recorded; publish it when it is ready.")),
        then=lambda a: redirect("drafting:assessment", project.slug, a.pk),
    )
    return done or render(
        request,
        "drafting/adoption/form.html",
        {"form": form, "project": project, "heading": _("Record an adequacy assessment")},
        status=422 if form.errors else 200,
    )


@require(selectors.may_assess)
@require_POST
def assessment_publish(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    project = selectors.project_for(request, slug)
    row = selectors.assessment_for(request, project, assessment_id)
    try:
        services.assessment_publish(actor=request.user, assessment=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(_("The assessment is published.")))
    return redirect("drafting:assessment", project.slug, row.pk)


@require(selectors.may_run)
@require_http_methods(["GET", "POST"])
def publish_library(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    form = LibraryForm(request.POST or None, request.FILES or None)
    done = form_saved(
        request,
        form,
        lambda d: services.publish_library(
            actor=request.user,
            adoption=row,
            files=form.files_by_language(),
            number=d["number"],
            change_note=d["change_note"],
        ),
        message=str(_("The final text is in the library.")),
        then=_summary,
    )
    return done or render(
        request,
        "drafting/adoption/form.html",
        {
            "form": form,
            "project": row.project,
            "heading": _("Publish in the library"),
            "multipart": True,
        },
        status=422 if form.errors else 200,
    )


@require(selectors.is_staff)
@require_GET
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    opening = _opening(row)
    kpis, table = selectors.indicator_table(opening)
    page = Paginator(table, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/adoption/reports.html",
        {"adoption": row, "project": row.project, "kpis": kpis, "page": page},
    )


@require(selectors.is_staff)
@require_GET
def reports_csv(request: HttpRequest, slug: str) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    header, lines = selectors.indicator_csv_rows(_opening(row))
    return cast(HttpResponse, csv_response(f"{row.project.slug}-indicators.csv", header, lines))


# --- signatories -------------------------------------------------------------------------------


def _signatory(request: HttpRequest) -> None:
    if not selectors.my_providers(request).exists():
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    _signatory(request)
    row = selectors.adoption_for(request, slug)
    opening = _opening(row)
    form = SignForm(
        request.POST or None, providers=selectors.my_providers(request), chapters=_chapters(row)
    )
    done = form_saved(
        request,
        form,
        lambda d: services.sign(
            actor=request.user,
            opening=opening,
            provider=d["provider"],
            chapters=list(d["chapters"]),
        ),
        message=str(_("Signed. Your first implementation report is on your deadlines.")),
        then=lambda s: redirect("drafting:sign", row.project.slug),
    )
    return done or render(
        request,
        "drafting/adoption/sign.html",
        {
            "form": form,
            "adoption": row,
            "project": row.project,
            "opening": opening,
            "signatures": list(selectors.my_signatures(request, opening)),
            "withdraw_form": WithdrawForm(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def signature_withdraw(request: HttpRequest, slug: str, signature_id: int) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    opening = _opening(row)
    signature = selectors.my_signatures(request, opening).filter(pk=signature_id).first()
    if signature is None:
        raise Http404
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.signature_withdraw(
                actor=request.user, signature=signature, reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, str(_("The signature is withdrawn.")))
    else:
        messages.error(request, str(_("State the reasons for the withdrawal.")))
    return redirect("drafting:sign", row.project.slug)


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    _signatory(request)
    row = selectors.adoption_for(request, slug)
    opening = _opening(row)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        providers=selectors.my_providers(request),
        indicators=services.indicators_of(row.draft),
    )
    done = form_saved(
        request,
        form,
        lambda d: services.report_submit(
            actor=request.user,
            opening=opening,
            provider=d["provider"],
            narrative=d["narrative"],
            values=form.values(),
            notes=form.notes(),
            upload=d.get("file"),
        ),
        message=str(_("The report is submitted; the next one is on your deadlines.")),
        then=lambda r: redirect("drafting:report", row.project.slug, r.pk),
    )
    return done or render(
        request,
        "drafting/adoption/report_new.html",
        {"form": form, "project": row.project},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def report(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    found = selectors.report_for(request, _opening(row), report_id)
    return render(
        request,
        "drafting/adoption/report.html",
        {"project": row.project, "report": found, "indicators": list(found.indicators.all())},
    )


@login_required
@require_GET
def report_file(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    row = selectors.adoption_for(request, slug)
    found = selectors.report_for(request, _opening(row), report_id)
    if not found.file:
        raise Http404
    return cast(
        HttpResponse,
        download(
            found.file,
            filename=found.file.name.rsplit("/", 1)[-1],
            content_type=found.content_type,
            sha256=found.sha256,
            size=found.size or 0,
        ),
    )
