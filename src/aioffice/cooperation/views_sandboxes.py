"""Pages of AI regulatory sandboxes: the public list the AI Office publishes (Art. 57(15))
with each Member State's national deadline (SBX-01) and its CSV twin, a published sandbox
with its reports' abstracts; a provider's applications; the working pages of Office staff
and of the operating authorities (records, decisions, plans, suspensions, immunity, exit
and annual reports). They parse, call one service or selector, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.cooperation import permissions_sandboxes as rules
from aioffice.cooperation import selectors_sandboxes as selectors
from aioffice.cooperation import services_sandboxes as services
from aioffice.cooperation.api_sandboxes import CSV_COLUMNS, sandbox_csv_rows
from aioffice.cooperation.forms_sandboxes import (
    ApplicationForm,
    ConsentForm,
    DecisionForm,
    ExitReportForm,
    ImmunityForm,
    PlanForm,
    ReportForm,
    SandboxFilterForm,
    SandboxForm,
    SuspensionForm,
)
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_sandboxes import (
    PARTICIPATING,
    ApplicationStatus,
    ExitReport,
    Sandbox,
    SandboxApplication,
)
from aioffice.cooperation.permissions import authorities_of, is_staff_user
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.forms import add_service_errors
from aioffice.core.permissions import login_required
from aioffice.core.schemas import MAX_ID

PAGE_SIZE = 50


def _user(request: HttpRequest) -> Any:
    return request.user


# --- public -------------------------------------------------------------------------------


@require_GET
def sandbox_list(request: HttpRequest) -> HttpResponse:
    """The list of planned and existing sandboxes, per Member State, with whether each
    Member State had one operational by the national deadline (SBX-01)."""
    form = SandboxFilterForm(request.GET or None)
    filters = form.filters()
    sandboxes = selectors.sandboxes_published(**filters)
    page = Paginator(sandboxes, PAGE_SIZE).get_page(request.GET.get("page"))
    deadline = selectors.national_deadline(timezone.now().date())
    return render(
        request,
        "cooperation/sandboxes/list.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(filters),
            "deadline": deadline,
            "overview": selectors.member_state_overview(deadline.deadline),
            "applies": bool(rules.applicant_organisations(_user(request)).exists()),
        },
    )


@require_GET
def sandbox_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = SandboxFilterForm(request.GET or None)
    return csv_response(
        "ai-regulatory-sandboxes.csv", CSV_COLUMNS, sandbox_csv_rows(**form.filters())
    )


@require_GET
def sandbox_public(request: HttpRequest, pk: int) -> HttpResponse:
    sandbox = selectors.sandbox_published(pk)
    return render(
        request,
        "cooperation/sandboxes/public.html",
        {
            "sandbox": sandbox,
            "reports": selectors.published_reports(sandbox),
            "exit_reports": selectors.published_exit_reports(sandbox),
            "applies": bool(rules.applicant_organisations(_user(request)).exists()),
        },
    )


# --- providers ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_apply(request: HttpRequest, pk: int) -> HttpResponse:
    sandbox = selectors.sandbox_published(pk)
    organisations = rules.applicant_organisations(_user(request))
    if not organisations.exists():
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=_user(request), sandbox=sandbox, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"sandbox": "applicant"})
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("cooperation:sandbox_application", pk=application.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "cooperation/sandboxes/apply.html",
        {"sandbox": sandbox, "form": form},
        status=status,
    )


@login_required
@require_GET
def sandbox_applications_mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not rules.applicant_organisations(user).exists():
        raise PermissionDenied
    rows = selectors.applications_mine(user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cooperation/sandboxes/mine.html", {"page": page, "query": ""})


# --- one application --------------------------------------------------------------------------


def _application_context(
    request: HttpRequest, application: SandboxApplication, **forms: Any
) -> dict[str, Any]:
    user = _user(request)
    operator = rules.may_operate(user, application.sandbox)
    provider = rules.acts_for_applicant(user, application)
    report = ExitReport.objects.filter(application=application).first()
    participating = application.status in PARTICIPATING
    context: dict[str, Any] = {
        "application": application,
        "plans": list(application.plans.all()),
        "exit_report": report,
        "may_read_exit_report": report is not None and rules.may_read_exit_report(user, report),
        "operator": operator,
        "provider": provider,
        "pending": application.status == ApplicationStatus.PENDING,
        "participating": participating,
        "suspended": application.status == ApplicationStatus.SUSPENDED,
    }
    if operator and context["pending"]:
        context["decision_form"] = forms.get("decide") or DecisionForm(auto_id="decide_%s")
    if operator and participating:
        context["suspension_form"] = forms.get("suspend") or SuspensionForm(auto_id="suspend_%s")
    if operator and application.status not in (
        ApplicationStatus.PENDING,
        ApplicationStatus.REFUSED,
        ApplicationStatus.WITHDRAWN,
    ):
        context["immunity_form"] = forms.get("immunity") or ImmunityForm(auto_id="immunity_%s")
    if (operator or provider) and participating:
        context["plan_form"] = forms.get("plan") or PlanForm(auto_id="plan_%s")
    if (
        operator
        and report is None
        and application.status
        in (
            *PARTICIPATING,
            ApplicationStatus.TERMINATED,
        )
    ):
        context["exit_form"] = forms.get("exit") or ExitReportForm(auto_id="exit_%s")
    if report is not None and (operator or provider):
        context["consent_form"] = forms.get("consent") or ConsentForm(
            provider=provider,
            auto_id="consent_%s",
            initial={
                "publication": report.provider_agrees_publication
                if provider
                else report.authority_agrees_publication,
                "access": report.provider_agrees_access,
            },
        )
    return context


@login_required
@require_GET
def sandbox_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(_user(request), pk)
    return render(
        request,
        "cooperation/sandboxes/application.html",
        _application_context(request, application),
    )


Action = Callable[[HttpRequest, SandboxApplication], Any]


def _form_action(
    form_class: Callable[..., Any],
    call: Callable[[Any, SandboxApplication, dict[str, Any]], Any],
    message: str,
    **form_kwargs: Callable[[HttpRequest, SandboxApplication], Any],
) -> Callable[[HttpRequest, SandboxApplication, str], HttpResponse]:
    def run(request: HttpRequest, application: SandboxApplication, name: str) -> HttpResponse:
        extra = {key: make(request, application) for key, make in form_kwargs.items()}
        form = form_class(request.POST, request.FILES, auto_id=f"{name}_%s", **extra)
        if form.is_valid():
            try:
                call(_user(request), application, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc, {"status": "__all__", "accept": "accept"})
            else:
                messages.success(request, message)
                return redirect("cooperation:sandbox_application", pk=application.pk)
        context = _application_context(request, application, **{name: form})
        return render(request, "cooperation/sandboxes/application.html", context, status=422)

    return run


def _plan_agree(request: HttpRequest, application: SandboxApplication, name: str) -> HttpResponse:
    plan = application.plans.order_by("-version").first()
    if plan is None:
        raise Http404
    try:
        services.plan_agree(actor=_user(request), plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You agreed to the plan."))
    return redirect("cooperation:sandbox_application", pk=application.pk)


def _simple(
    call: Callable[..., Any], message: str
) -> Callable[[HttpRequest, SandboxApplication, str], HttpResponse]:
    def run(request: HttpRequest, application: SandboxApplication, name: str) -> HttpResponse:
        try:
            call(actor=_user(request), application=application)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
        return redirect("cooperation:sandbox_application", pk=application.pk)

    return run


def _exit_report(actor: Any, a: SandboxApplication, data: dict[str, Any]) -> Any:
    return services.exit_report_add(
        actor=actor,
        application=a,
        upload=data["file"],
        summary=data["summary"],
        authority_agrees_publication=data["authority_agrees_publication"],
    )


def _consent(actor: Any, a: SandboxApplication, data: dict[str, Any]) -> Any:
    report = ExitReport.objects.filter(application=a).first()
    if report is None:
        raise Http404
    return services.exit_report_consent(
        actor=actor, report=report, publication=data["publication"], access=data.get("access")
    )


ACTIONS: dict[str, Callable[[HttpRequest, SandboxApplication, str], HttpResponse]] = {
    "decide": _form_action(
        DecisionForm,
        lambda actor, a, data: services.application_decide(actor=actor, application=a, **data),
        _("The decision was recorded."),
    ),
    "suspend": _form_action(
        SuspensionForm,
        lambda actor, a, data: services.participation_suspend(actor=actor, application=a, **data),
        _("The suspension was recorded and the AI Office informed."),
    ),
    "immunity": _form_action(
        ImmunityForm,
        lambda actor, a, data: services.immunity_record(actor=actor, application=a, **data),
        _("The finding was recorded."),
    ),
    "plan": _form_action(
        PlanForm,
        lambda actor, a, data: services.plan_propose(actor=actor, application=a, **data),
        _("The new version of the plan was proposed."),
    ),
    "exit": _form_action(ExitReportForm, _exit_report, _("The exit report was given.")),
    "consent": _form_action(
        ConsentForm,
        _consent,
        _("Your agreement was recorded."),
        provider=lambda request, a: rules.acts_for_applicant(_user(request), a),
    ),
    "agree": _plan_agree,
    "withdraw": _simple(services.application_withdraw, _("Your application was withdrawn.")),
    "resume": _simple(services.participation_resume, _("The participation resumed.")),
}


@login_required
@require_POST
def sandbox_application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    application = selectors.application_for(_user(request), pk)
    return ACTIONS[action](request, application, action)


@login_required
@require_GET
def sandbox_exit_report(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(_user(request), pk)
    report = ExitReport.objects.filter(application=application).first()
    if report is None:
        raise Http404
    selectors.exit_report_for(_user(request), report.pk)
    response: Any = download_row(report)
    return response  # type: ignore[no-any-return]


# --- the working pages of Office staff and authorities ----------------------------------------


def _may_open_admin(request: HttpRequest) -> None:
    if not rules.may_open_admin(_user(request)):
        raise PermissionDenied


def _authorities_for_form(user: Any) -> Any:
    if rules.may_keep_sandbox_list(user):
        return Authority.objects.filter(active=True).order_by("member_state", "name")
    return authorities_of(user).order_by("member_state", "name")


@login_required
@require_GET
def sandbox_admin(request: HttpRequest) -> HttpResponse:
    """Office staff: every sandbox and the suspensions the authorities reported
    (Art. 57(11)); an authority's members: the sandboxes their authority operates."""
    _may_open_admin(request)
    user = _user(request)
    page = Paginator(selectors.sandboxes_visible_to(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    staff = is_staff_user(user)
    return render(
        request,
        "cooperation/sandboxes/admin.html",
        {
            "page": page,
            "query": "",
            "staff": staff,
            "suspensions": selectors.suspensions_for_office()[:50] if staff else [],
            "may_register": rules.may_keep_sandbox_list(user) or authorities_of(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_create(request: HttpRequest) -> HttpResponse:
    _may_open_admin(request)
    user = _user(request)
    keeper = rules.may_keep_sandbox_list(user)
    authorities = _authorities_for_form(user)
    if not keeper and not authorities.exists():
        raise PermissionDenied
    form = SandboxForm(request.POST or None, authorities=authorities, keeper=keeper)
    if request.method == "POST" and form.is_valid():
        try:
            sandbox = services.sandbox_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sandbox was registered."))
            return redirect("cooperation:sandbox_detail", pk=sandbox.pk)
    return render(
        request,
        "cooperation/sandboxes/edit.html",
        {"form": form, "sandbox": None},
        status=422 if request.method == "POST" else 200,
    )


def _sandbox_context(request: HttpRequest, sandbox: Sandbox, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    operator = rules.may_operate(user, sandbox)
    keeper = rules.may_keep_sandbox_list(user)
    context: dict[str, Any] = {
        "sandbox": sandbox,
        "applications": selectors.applications_of_sandbox(sandbox)[:200],
        "reports": sandbox.reports.all(),
        "operator": operator,
    }
    if operator or keeper:
        initial = {
            name: getattr(sandbox, name)
            for name in (
                "name",
                "level",
                "member_state",
                "joint_member_states",
                "status",
                "established_on",
                "closed_on",
                "capacity",
                "focus_sectors",
                "website",
                "description",
                "published",
            )
        }
        initial["operating_authority"] = sandbox.operating_authority_id
        context["edit_form"] = forms.get("edit") or SandboxForm(
            auto_id="edit_%s",
            initial=initial,
            authorities=_authorities_for_form(user),
            keeper=keeper,
        )
    if operator:
        context["report_form"] = forms.get("report") or ReportForm(auto_id="report_%s")
    return context


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    sandbox = selectors.sandbox_for(user, pk)
    template = "cooperation/sandboxes/detail.html"
    if request.method == "GET":
        return render(request, template, _sandbox_context(request, sandbox))
    keeper = rules.may_keep_sandbox_list(user)
    if not (rules.may_operate(user, sandbox) or keeper):
        raise PermissionDenied
    if request.POST.get("form") == "report":
        report_form = ReportForm(request.POST, request.FILES, auto_id="report_%s")
        if report_form.is_valid():
            try:
                services.report_add(
                    actor=user,
                    sandbox=sandbox,
                    kind=report_form.cleaned_data["kind"],
                    upload=report_form.cleaned_data["file"],
                    abstract=report_form.cleaned_data["abstract"],
                )
            except ValidationError as exc:
                add_service_errors(report_form, exc)
            else:
                messages.success(request, _("The report was sent to the AI Office and the Board."))
                return redirect("cooperation:sandbox_detail", pk=sandbox.pk)
        context = _sandbox_context(request, sandbox, report=report_form)
        return render(request, template, context, status=422)
    form = SandboxForm(
        request.POST, auto_id="edit_%s", authorities=_authorities_for_form(user), keeper=keeper
    )
    if form.is_valid():
        changes = dict(form.cleaned_data)
        if changes.get("operating_authority") == sandbox.operating_authority:
            changes.pop("operating_authority")
        if changes.get("level") == sandbox.level:
            changes.pop("level")
        try:
            services.sandbox_update(actor=user, sandbox=sandbox, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sandbox's record was saved."))
            return redirect("cooperation:sandbox_detail", pk=sandbox.pk)
    context = _sandbox_context(request, sandbox, edit=form)
    return render(request, template, context, status=422)


@login_required
@require_GET
def sandbox_report_download(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    if not 1 <= report_id <= MAX_ID:
        raise Http404
    report = selectors.report_for(_user(request), report_id)
    if report.sandbox_id != pk:
        raise Http404
    response: Any = download_row(report)
    return response  # type: ignore[no-any-return]
