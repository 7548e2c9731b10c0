"""The intake pages: the forms of each kind of report, the sender's status pages and list,
the whistleblower's anonymous form and secret inbox, and the Office's triage queue.

They parse, call one service or selector, and render. The whistleblower pages set no
session, are never cached, send no referrer to other sites, and keep nothing of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.registry.models import ModelVersion
from aioffice.registry.selectors import versions_visible_to
from aioffice.supervision import selectors_intake as selectors
from aioffice.supervision import services_intake as services
from aioffice.supervision import similar
from aioffice.supervision.choices import (
    OPEN_INTAKE_STATUSES,
    DeadlineStatus,
    IncidentReportKind,
    IntakeKind,
)
from aioffice.supervision.clock import source_of
from aioffice.supervision.forms_intake import (
    AlertForm,
    BoardInformedForm,
    ComplaintForm,
    IncidentForm,
    IncidentReportForm,
    IntakeFilterForm,
    LinkVersionsForm,
    NotPursuedForm,
    OfficeReplyForm,
    OtherIntakeForm,
    TriageForm,
    WhistleblowerForm,
    WhistleblowerKeyForm,
    WhistleblowerReplyForm,
)
from aioffice.supervision.models import Deadline, Intake, WhistleblowerMessage
from aioffice.supervision.permissions import acts_for_provider

PAGE_SIZE = 25


def _add_errors(form: Any, exc: ValidationError, renames: dict[str, str] | None = None) -> None:
    """The service's errors next to their field; the others on top."""
    renames = {"files": "attachment", **(renames or {})}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = renames.get(name, name)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def _files(form: Any) -> list[Any]:
    upload = form.cleaned_data.get("attachment")
    return [upload] if upload else []


# --- the sender's pages --------------------------------------------------------------------


@require(selectors.may_have_reports)
@require_GET
def intake_mine(request: HttpRequest) -> HttpResponse:
    """The reports I sent (and my provider's incidents), newest first."""
    page = Paginator(selectors.own_intakes(request), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/intake/mine.html",
        {
            "page": page,
            "may_complain": selectors.may_complain(request),
            "may_alert": selectors.may_alert(request),
            "may_report_incidents": selectors.may_report_incidents(request),
        },
    )


@require(selectors.may_complain)
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake = services.complaint_submit(
                actor=request.user,
                provider=data["provider"],
                versions=data["versions"],
                title=data["title"],
                provider_contact_point=data["provider_contact_point"],
                facts=data["facts"],
                provisions=data["provisions"],
                reasons=data["reasons"],
                other_information=data["other_information"],
                files=_files(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your complaint was received."))
            return redirect("supervision:intake_status", intake.tracking_number)
    return render(request, "supervision/intake/complaint_form.html", {"form": form})


@require(selectors.may_alert)
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    form = AlertForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake = services.alert_submit(
                actor=request.user,
                provider=data["provider"],
                versions=data["versions"],
                title=data["title"],
                ground=data["ground"],
                provider_contact_point=data["provider_contact_point"],
                facts=data["facts"],
                reasons=data["reasons"],
                other_information=data["other_information"],
                files=_files(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your qualified alert was received."))
            return redirect("supervision:intake_status", intake.tracking_number)
    return render(request, "supervision/intake/alert_form.html", {"form": form})


@require(selectors.may_report_incidents)
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    versions = versions_visible_to(request).order_by("model__name", "label", "id")
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        versions=versions,
        initial={"version": request.GET.get("version")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake = services.incident_submit(
                actor=request.user,
                version=data["version"],
                title=data["title"],
                types=data["types"],
                occurred_on=data["occurred_on"],
                ended_on=data["ended_on"],
                aware_on=data["aware_on"],
                causal_link_on=data["causal_link_on"],
                report=form.report(),
                files=_files(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your serious-incident report was received."))
            return redirect("supervision:intake_status", intake.tracking_number)
    return render(request, "supervision/intake/incident_form.html", {"form": form})


def _deadlines(intake: Intake) -> list[Deadline]:
    if intake.kind != IntakeKind.INCIDENT:
        return []
    return list(Deadline.objects.filter(source=source_of(intake.incident)).order_by("due_on", "id"))


def _status_context(intake: Intake) -> dict[str, Any]:
    context: dict[str, Any] = {
        "intake": intake,
        "documents": list(intake.documents.order_by("uploaded_at", "id")),
        "versions": list(intake.versions.select_related("model").order_by("model__name", "label")),
        "deadlines": _deadlines(intake),
        "open_deadlines": [],
    }
    if intake.kind == IntakeKind.INCIDENT:
        incident = intake.incident
        context["incident"] = incident
        context["reports"] = list(incident.reports.select_related("submitted_by"))
        context["open_deadlines"] = [
            d for d in context["deadlines"] if d.status == DeadlineStatus.OPEN
        ]
        context["final_sent"] = any(r.kind == IncidentReportKind.FINAL for r in context["reports"])
    return context


@login_required
@require_GET
def intake_status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The sender's page of one report: its tracking number, status, dates; for an
    incident, its reports and the Code's deadlines beside the legal duty."""
    intake = selectors.intake_for_sender(request, tracking_number)
    context = _status_context(intake)
    context["may_add_report"] = (
        intake.kind == IntakeKind.INCIDENT
        and not context.get("final_sent")
        and acts_for_provider(request.user, intake.provider)
    )
    return render(request, "supervision/intake/status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def incident_report_new(request: HttpRequest, tracking_number: str) -> HttpResponse:
    intake = selectors.intake_for_sender(request, tracking_number)
    if intake.kind != IntakeKind.INCIDENT or not acts_for_provider(request.user, intake.provider):
        raise PermissionDenied
    form = IncidentReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind", IncidentReportKind.INTERMEDIATE)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.incident_report_add(
                actor=request.user,
                incident=intake.incident,
                kind=data["kind"],
                report=form.report(),
                resolved_on=data["resolved_on"],
                files=_files(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your report was received."))
            return redirect("supervision:intake_status", intake.tracking_number)
    context = _status_context(intake)
    context["form"] = form
    return render(request, "supervision/intake/incident_report_form.html", context)


@login_required
@require_GET
def intake_document(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.intake_document_for(request, document_id)
    return cast(
        HttpResponse,
        download(
            document.file,
            filename=document.filename,
            content_type=document.content_type,
            sha256=document.sha256,
            size=document.size,
        ),
    )


# --- whistleblowers -------------------------------------------------------------------------

View = Callable[..., HttpResponse]


def anonymous_page(view: View) -> View:
    """A page for someone who must stay unidentified: never cached, no referrer sent to other
    sites, not indexed; the session is left untouched (a signed-in person's stays as it was
    and none is made).

    "same-origin", not "no-referrer": with no-referrer a browser posts the page's form with
    "Origin: null", which the CSRF check refuses, so the report could not be sent at all.
    The secret key of the inbox is after "#" in its link and never leaves the browser in a
    referrer either way."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


@anonymous_page
@csrf_protect
@require_http_methods(["GET", "POST"])
def whistleblower_new(request: HttpRequest) -> HttpResponse:
    """Anyone, without signing in: the report, and once sent its secret key."""
    form = WhistleblowerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intake, secret = services.whistleblower_submit(
                title=data["title"],
                body=data["body"],
                provider=data["provider"],
                files=_files(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            inbox = request.build_absolute_uri(reverse("supervision:whistleblower_inbox"))
            return render(
                request,
                "supervision/intake/whistleblower_sent.html",
                {"intake": intake, "secret": secret, "link": f"{inbox}#k={secret}"},
            )
    return render(request, "supervision/intake/whistleblower_form.html", {"form": form})


def _inbox(request: HttpRequest, secret: str, reply: WhistleblowerReplyForm) -> HttpResponse:
    report = selectors.whistleblower_by_secret(secret)
    if report is None:
        form = WhistleblowerKeyForm(request.POST)
        form.add_error(
            "secret", _("This key opens no report. Check it; a lost key cannot be replaced.")
        )
        return render(request, "supervision/intake/whistleblower_inbox.html", {"form": form})
    thread = list(report.messages.order_by("id"))
    return render(
        request,
        "supervision/intake/whistleblower_inbox.html",
        {"report": report, "intake": report.intake, "thread": thread, "reply": reply},
    )


@anonymous_page
@csrf_protect
@require_http_methods(["GET", "POST"])
def whistleblower_inbox(request: HttpRequest) -> HttpResponse:
    """The reporter's side of the exchange, opened with the secret key (sent in the body of
    a POST, never in an address, so no log holds it)."""
    if request.method == "GET":
        return render(
            request,
            "supervision/intake/whistleblower_inbox.html",
            {"form": WhistleblowerKeyForm()},
        )
    secret = str(request.POST.get("secret", ""))[:200].strip()
    if "body" not in request.POST:
        return _inbox(request, secret, WhistleblowerReplyForm(initial={"secret": secret}))
    reply = WhistleblowerReplyForm(request.POST)
    if reply.is_valid():
        try:
            services.whistleblower_reply(secret=secret, body=reply.cleaned_data["body"])
        except ValidationError as exc:
            _add_errors(reply, exc)
        else:
            reply = WhistleblowerReplyForm(initial={"secret": secret})
            response = _inbox(request, secret, reply)
            return response
    return _inbox(request, secret, reply)


# --- the Office's triage queue -------------------------------------------------------------


def _query(form: IntakeFilterForm) -> str:
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


def _filtered(request: HttpRequest, form: IntakeFilterForm) -> Any:
    kind = status = None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or None
        status = form.cleaned_data["status"] or None
    return selectors.intake_queue(request, kind=kind, status=status)


def case_new_url() -> str:
    """The case form of the cases' pages, if it is there (coordinated by URL name)."""
    try:
        return reverse("supervision:case_new")
    except NoReverseMatch:  # pragma: no cover  # the cases' pages are installed
        return ""


@require(is_office_staff)
@require_GET
def intake_queue(request: HttpRequest) -> HttpResponse:
    """All reports of every kind, newest first; untriaged ones are "received"."""
    form = IntakeFilterForm(request.GET or None)
    page = Paginator(_filtered(request, form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "supervision/intake/queue.html",
        "results",
        {"form": form, "page": page, "query": _query(form), "case_new_url": case_new_url()},
    )


@require(is_office_staff)
@require_GET
def intake_queue_csv(request: HttpRequest) -> HttpResponse:
    form = IntakeFilterForm(request.GET or None)
    rows = (
        (
            i.tracking_number,
            i.kind,
            i.status,
            i.title,
            i.provider.organisation.name if i.provider else "",
            i.received_at.date(),
            i.merged_into.tracking_number if i.merged_into else "",
            i.incident.initial_due if i.kind == IntakeKind.INCIDENT else None,
        )
        for i in _filtered(request, form).iterator(chunk_size=500)
    )
    return cast(HttpResponse, csv_response("reports.csv", selectors.QUEUE_CSV_COLUMNS, rows))


FORMS: dict[str, type[Any]] = {
    "triage": TriageForm,
    "not_pursued": NotPursuedForm,
    "link": OtherIntakeForm,
    "unlink": OtherIntakeForm,
    "merge": OtherIntakeForm,
    "board_informed": BoardInformedForm,
    "reply": OfficeReplyForm,
}


def _link_versions_form(intake: Intake, data: Any = None) -> LinkVersionsForm:
    versions = ModelVersion.objects.select_related("model__provider__organisation").order_by(
        "model__provider__organisation__name", "model__name", "label", "id"
    )
    if intake.provider_id is not None:
        versions = versions.filter(model__provider_id=intake.provider_id)
    return LinkVersionsForm(data, versions=versions, prefix="link_versions")


def _detail(request: HttpRequest, intake: Intake, bound: dict[str, Any] | None = None) -> Any:
    forms = {name: cls(prefix=name) for name, cls in FORMS.items()}
    forms["link_versions"] = _link_versions_form(intake)
    forms.update(bound or {})
    context = _status_context(intake)
    context.update(
        {
            "forms": forms,
            "related": list(intake.related.order_by("-received_at", "-id")),
            "duplicates": list(intake.duplicates.order_by("id")),
            "cases": list(intake.cases.order_by("-opened_at")),
            "is_open": intake.status in OPEN_INTAKE_STATUSES,
            "case_new_url": case_new_url(),
        }
    )
    if intake.kind == IntakeKind.WHISTLEBLOWER:
        context["thread"] = list(
            WhistleblowerMessage.objects.filter(report__intake=intake)
            .select_related("author")
            .order_by("id")
        )
    if intake.kind == IntakeKind.COMPLAINT:
        context["content"] = intake.complaint
    if similar.has_similar(intake):  # the staff's page only (intake_detail requires staff)
        context["similar"] = similar.similar_reports(request, intake)
    if intake.kind == IntakeKind.ALERT:
        context["content"] = intake.alert
    status = 422 if bound else 200
    return render(request, "supervision/intake/detail.html", context, status=status)


@require(is_office_staff)
@require_GET
def intake_detail(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = selectors.intake_for_staff(request, intake_id)
    return cast(HttpResponse, _detail(request, intake))


def _other(form: Any) -> Intake:
    number = (form.cleaned_data.get("other") or "").strip()
    found = Intake.objects.filter(tracking_number=number).first()
    if found is None:
        raise ValidationError({"other": _("No report has this tracking number.")})
    return found


@require(is_office_staff)
@require_POST
def intake_action(request: HttpRequest, intake_id: int, action: str) -> HttpResponse:
    """One triage action on a report (each calls one service)."""
    intake = selectors.intake_for_staff(request, intake_id)
    if action == "link_versions":
        form: Any = _link_versions_form(intake, request.POST)
    elif action in FORMS:
        form = FORMS[action](request.POST, prefix=action)
    else:
        raise PermissionDenied
    if form.is_valid():
        try:
            _act(request.user, intake, action, form)
        except ValidationError as exc:
            _add_errors(form, exc, {"into": "other", "duplicate": "other", "intake": "other"})
        else:
            messages.success(request, _("Done."))
            return redirect("supervision:intake_detail", intake.pk)
    return cast(HttpResponse, _detail(request, intake, {action: form}))


def _act(actor: Any, intake: Intake, action: str, form: Any) -> None:
    data = form.cleaned_data
    if action == "triage":
        services.intake_triage(actor=actor, intake=intake, note=data["note"])
    elif action == "not_pursued":
        services.intake_not_pursued(actor=actor, intake=intake, reasons=data["reasons"])
    elif action == "link":
        services.intake_link(actor=actor, intake=intake, other=_other(form))
    elif action == "unlink":
        services.intake_unlink(actor=actor, intake=intake, other=_other(form))
    elif action == "merge":
        services.intake_merge(actor=actor, duplicate=intake, into=_other(form))
    elif action == "board_informed":
        services.alert_board_informed(actor=actor, intake=intake, informed_on=data["informed_on"])
    elif action == "reply":
        services.whistleblower_office_reply(actor=actor, intake=intake, body=data["body"])
    else:  # link_versions
        services.intake_link_versions(actor=actor, intake=intake, versions=data["versions"])


ACTIONS = ("link_versions", *FORMS)
