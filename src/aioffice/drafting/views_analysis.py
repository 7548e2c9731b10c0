"""Pages of the AI tools, for the Office and the project's chairs, vice-chairs and drafters
(selectors_analysis decides who sees what; anyone else gets a 404).

* `analysis`: a consultation's runs and a form to start one (it runs in the background),
  the search box, the general comments with their suggested section, section summaries.
* `analysis_run`: a run's status and progress (the page refreshes itself while the run is
  queued or running), its themes with counts as a horizontal bar chart, its campaigns; a
  `.csv` twin of its groups.
* `analysis_group`: a theme or campaign with its quotes, members and summaries.
* `analysis_search`, `feedback_similar`: the consultation's feedback closest in meaning.
* `summary_new` (POST): ask the configured LLM endpoint for a summary.
* `feedback_accept_section` (POST): file a general comment under its suggested section.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core import llm
from aioffice.core.exports import csv_response
from aioffice.core.forms import add_service_errors
from aioffice.core.permissions import login_required
from aioffice.drafting import permissions
from aioffice.drafting import selectors_analysis as selectors
from aioffice.drafting import services_analysis as services
from aioffice.drafting.forms_analysis import RunForm, SearchForm, SectionSummaryForm
from aioffice.drafting.models_analysis import GroupKind, RunStatus
from aioffice.drafting.models_consultations import Confidentiality, Consultation

PER_PAGE = 25
REFRESH_SECONDS = 3


def _errors(exc: ValidationError) -> list[str]:
    return [message for messages_ in exc.message_dict.values() for message in messages_]


def _overview(
    request: HttpRequest,
    consultation: Consultation,
    run_form: RunForm,
    summary_form: SectionSummaryForm,
    *,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    project = consultation.draft.project
    runs = Paginator(selectors.runs_of(consultation), PER_PAGE).get_page(request.GET.get("page"))
    suggestions = Paginator(selectors.suggestions_of(consultation), PER_PAGE).get_page(
        request.GET.get("suggestions")
    )
    return render(
        request,
        "drafting/analysis/home.html",
        {
            "consultation": consultation,
            "project": project,
            "runs": runs,
            "latest": selectors.latest_done(consultation),
            "run_form": run_form,
            "search_form": SearchForm(),
            "summary_form": summary_form,
            "summaries": selectors.section_summaries(consultation)[:20],
            "suggestions": suggestions,
            "may_sort": permissions.may_sort_feedback(user, project),
            "llm_configured": llm.configured(),
        },
        status=status,
    )


def _section_summary_form(consultation: Consultation, data: Any = None) -> SectionSummaryForm:
    return SectionSummaryForm(data, sections=selectors.sections_of(consultation))


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, consultation_id)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_request(
                actor=request.user, consultation=consultation, params=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The analysis is queued; this page shows its progress."))
            return redirect("drafting:analysis_run", run.pk)
    status = 422 if request.method == "POST" else 200
    return _overview(
        request, consultation, form, _section_summary_form(consultation), status=status
    )


@login_required
@require_GET
def analysis_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    themes = list(selectors.themes_of(run))
    biggest = max((theme.size for theme in themes), default=0)
    for theme in themes:
        theme.bar = round(100 * theme.size / biggest) if biggest else 0  # type: ignore[attr-defined]
    working = run.status in {RunStatus.QUEUED, RunStatus.RUNNING}
    return render(
        request,
        "drafting/analysis/run.html",
        {
            "run": run,
            "consultation": run.consultation,
            "themes": themes,
            "campaigns": Paginator(selectors.campaigns_of(run), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "refresh": REFRESH_SECONDS if working else None,
        },
    )


@login_required
@require_GET
def analysis_run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for(request.user, run_id)
    rows = (
        (
            group.kind,
            group.position + 1,
            group.label,
            " ".join(group.keywords or []),
            group.size,
            group.respondents,
            group.section_id,
            str(group.section or ""),
            group.positions.get("support", 0),
            group.positions.get("oppose", 0),
            group.positions.get("comment", 0),
        )
        for group in run.groups.select_related("section").order_by("kind", "position").iterator()
    )
    header = [
        "kind", "position", "label", "keywords", "size", "respondents", "section_id",
        "section", "support", "oppose", "comment",
    ]  # fmt: skip
    download = csv_response(f"analysis-{run.pk}-groups.csv", header, rows)
    return cast(HttpResponse, download)  # streamed; login_required types views as HttpResponse


@login_required
@require_GET
def analysis_group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_for(request.user, group_id)
    page = Paginator(selectors.members_of(group), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/analysis/group.html",
        {
            "group": group,
            "run": group.run,
            "consultation": group.run.consultation,
            "quotes": selectors.quotes_of(group),
            "page": page,
            "summaries": selectors.summaries_of_group(group),
            "llm_configured": llm.configured(),
            "confidential": Confidentiality.CONFIDENTIAL,
            "is_theme": group.kind == GroupKind.THEME,
        },
    )


@login_required
@require_GET
def analysis_search(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, consultation_id)
    form = SearchForm(request.GET or None)
    results: list[selectors.Found] = []
    if form.is_valid():
        results = selectors.search(consultation, form.cleaned_data["q"])
    return render(
        request,
        "drafting/analysis/search.html",
        {
            "consultation": consultation,
            "form": form,
            "results": results,
            "searched": form.is_valid(),
            "confidential": Confidentiality.CONFIDENTIAL,
        },
    )


@login_required
@require_GET
def feedback_similar(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, feedback_id)
    return render(
        request,
        "drafting/analysis/similar.html",
        {
            "feedback": feedback,
            "consultation": feedback.response.consultation,
            "results": selectors.similar(feedback),
            "confidential": Confidentiality.CONFIDENTIAL,
        },
    )


@login_required
@require_POST
def feedback_accept_section(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = selectors.feedback_for(request.user, feedback_id)
    consultation = feedback.response.consultation
    try:
        services.suggestion_accept(actor=request.user, feedback=feedback)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The comment is filed under the suggested section."))
    return redirect(reverse("drafting:analysis", args=[consultation.pk]) + "#suggestions")


@login_required
@require_POST
def summary_new(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, consultation_id)
    group = None
    if request.POST.get("group"):
        try:
            group = selectors.group_for(request.user, int(request.POST["group"]))
        except ValueError:
            group = None
        if group is None or group.run.consultation_id != consultation.pk:
            messages.error(request, _("Choose a theme or campaign of this consultation."))
            return redirect("drafting:analysis", consultation.pk)
        try:
            services.summary_request(actor=request.user, consultation=consultation, group=group)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The machine-written summary is stored below."))
        return redirect(reverse("drafting:analysis_group", args=[group.pk]) + "#summaries")
    form = _section_summary_form(consultation, request.POST)
    if form.is_valid():
        try:
            services.summary_request(
                actor=request.user,
                consultation=consultation,
                section=form.cleaned_data["section"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, renames={"summary": "section"})
        else:
            messages.success(request, _("The machine-written summary is stored below."))
            return redirect(reverse("drafting:analysis", args=[consultation.pk]) + "#summaries")
    return _overview(request, consultation, RunForm(), form, status=422)
