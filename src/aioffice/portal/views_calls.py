"""Pages of the calls for expression of interest: the public list and call pages with the
application form, and the call managers' pages (calls, applications, CVs).

They parse, call one service or selector, and render. The application form closes at the
deadline: the service re-reads the call under its lock, so a form loaded before the
deadline and sent after it is refused (410).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core import ratelimit
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.forms import add_service_errors as _add_errors
from aioffice.core.forms import form_saved
from aioffice.core.permissions import require
from aioffice.portal import selectors_calls as selectors
from aioffice.portal import services_calls as services
from aioffice.portal.choices import CallStatus
from aioffice.portal.forms_calls import (
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationStatusForm,
    CallForm,
)
from aioffice.portal.models_calls import Application, Call
from aioffice.portal.permissions import can_manage_calls

PAGE_SIZE = 20
APPLIED_SESSION_KEY = "portal_calls_applied"  # the tracking numbers this browser sent
RATE_SCOPE = "portal.calls.apply"
CALL_ACTIONS = {
    "publish": services.call_publish,
    "close": services.call_close,
    "cancel": services.call_cancel,
}


# --- the public pages ----------------------------------------------------------------------


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    """Open calls first (nearest deadline first), then those closed, each paginated."""
    now = timezone.now()
    open_page = Paginator(selectors.calls_open(now), PAGE_SIZE).get_page(request.GET.get("open"))
    closed_page = Paginator(selectors.calls_closed(now), PAGE_SIZE).get_page(
        request.GET.get("closed")
    )
    return render(
        request,
        "portal/calls/list.html",
        {"open_page": open_page, "closed_page": closed_page},
    )


def _privacy(call: Call) -> dict[str, Any]:
    retain_until = services.retention_until(call)
    return {
        "retention_days": settings.PORTAL_APPLICATION_RETENTION_DAYS,
        "deletion_date": services.deletion_date(retain_until),
        "cv_max_bytes": settings.PORTAL_CV_MAX_BYTES,
    }


def _call_page(
    request: HttpRequest, call: Call, form: ApplicationForm | None, status: int = 200
) -> HttpResponse:
    is_open = services.is_open(call)
    if is_open and form is None:
        form = ApplicationForm(cv_max_bytes=settings.PORTAL_CV_MAX_BYTES)
    return render(
        request,
        "portal/calls/detail.html",
        {"call": call, "is_open": is_open, "form": form if is_open else None, **_privacy(call)},
        status=status,
    )


@require_GET
def call_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A published call, with the application form while it is open."""
    return _call_page(request, selectors.call_public(reference), None)


@require_POST
def call_apply(request: HttpRequest, reference: str) -> HttpResponse:
    call = selectors.call_public(reference)
    if not services.is_open(call):
        return _call_page(request, call, None, status=410)
    form = ApplicationForm(request.POST, request.FILES, cv_max_bytes=settings.PORTAL_CV_MAX_BYTES)
    if not ratelimit.hit(
        RATE_SCOPE,
        ratelimit.client_key(request),
        limit=settings.PORTAL_FORM_RATE,
        window=3600,
    ):
        form.is_valid()  # keep what was typed, with its errors
        form.add_error(
            None, _("Too many applications from your address: please try again in an hour.")
        )
        return _call_page(request, call, form, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_submit(
                call=call,
                name=data["name"],
                email=data["email"],
                motivation=data["motivation"],
                cv=data["cv"],
                consent=data["consent"],
                form_token=data["form_token"],
            )
        except services.CallClosed:
            call.refresh_from_db()
            return _call_page(request, call, None, status=410)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            sent = list(request.session.get(APPLIED_SESSION_KEY, []))[-9:]
            if application.tracking_number not in sent:
                sent.append(application.tracking_number)
            request.session[APPLIED_SESSION_KEY] = sent
            return redirect("portal:call_applied", call.reference, application.tracking_number)
    return _call_page(request, call, form)


@require_GET
def call_applied(request: HttpRequest, reference: str, tracking_number: str) -> HttpResponse:
    """The confirmation, for the browser that sent the application only (the tracking
    number is kept in its session): the tracking number and the deletion date."""
    if tracking_number not in request.session.get(APPLIED_SESSION_KEY, []):
        raise Http404
    application = (
        Application.objects.select_related("call")
        .filter(tracking_number=tracking_number, call__reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    return render(
        request,
        "portal/calls/applied.html",
        {
            "application": application,
            "call": application.call,
            "deletion_date": services.deletion_date(application.retain_until),
            "retention_days": settings.PORTAL_APPLICATION_RETENTION_DAYS,
        },
    )


# --- the call managers' pages --------------------------------------------------------------


@require(can_manage_calls)
@require_GET
def call_admin_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.calls_for_managers(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/calls/admin_list.html", {"page": page, "now": timezone.now()})


def _call_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "profile": data["profile"],
        "contract_type": data["contract_type"],
        "grade": data["grade"],
        "place": data["place"],
        "description": data["description"],
        "deadline": data["deadline"],
    }


@require(can_manage_calls)
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    form = CallForm(
        request.POST if request.method == "POST" else None, initial={"place": "Brussels"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(
                actor=request.user,
                reference=form.cleaned_data["reference"],
                **_call_values(form.cleaned_data),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Call %(reference)s drafted.") % {"reference": call.reference}
            )
            return redirect("portal:call_admin_detail", call.reference)
    return render(request, "portal/calls/admin_form.html", {"form": form, "call": None})


@require(can_manage_calls)
@require_GET
def call_admin_detail(request: HttpRequest, reference: str) -> HttpResponse:
    call = selectors.call_for_managers(reference)
    return render(
        request,
        "portal/calls/admin_detail.html",
        {
            "call": call,
            "is_open": services.is_open(call),
            "editable": call.status in (CallStatus.DRAFT, CallStatus.PUBLISHED),
            "may_publish": call.status == CallStatus.DRAFT,
            "may_close": call.status == CallStatus.PUBLISHED,
            "may_cancel": call.status in (CallStatus.DRAFT, CallStatus.PUBLISHED),
        },
    )


@require(can_manage_calls)
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, reference: str) -> HttpResponse:
    call = selectors.call_for_managers(reference)
    if request.method == "POST":
        form = CallForm(request.POST)
    else:
        form = CallForm(
            initial={
                "reference": call.reference,
                "title": call.title,
                "profile": call.profile,
                "contract_type": call.contract_type,
                "grade": call.grade,
                "place": call.place,
                "description": call.description,
                "deadline": call.deadline,
            }
        )
    if call.status != CallStatus.DRAFT:
        form.fields["reference"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_update(
                actor=request.user,
                call=call,
                reference=form.cleaned_data["reference"]
                if call.status == CallStatus.DRAFT
                else None,
                **_call_values(form.cleaned_data),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Call %(reference)s saved.") % {"reference": call.reference}
            )
            return redirect("portal:call_admin_detail", call.reference)
    return render(request, "portal/calls/admin_form.html", {"form": form, "call": call})


@require(can_manage_calls)
@require_POST
def call_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Publish, close early or cancel a call; back to the call's page with the outcome."""
    service = CALL_ACTIONS.get(action)
    if service is None:
        raise Http404
    call = selectors.call_for_managers(reference)
    try:
        service(actor=request.user, call=call)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        done = {
            "publish": _("Call %(reference)s published."),
            "close": _("Call %(reference)s closed."),
            "cancel": _("Call %(reference)s cancelled."),
        }[action]
        messages.success(request, done % {"reference": call.reference})
    return redirect("portal:call_admin_detail", call.reference)


def _filtered_applications(request: HttpRequest, call: Call) -> tuple[ApplicationFilterForm, Any]:
    form = ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return form, selectors.applications_of(call, status)


@require(can_manage_calls)
@require_GET
def application_list(request: HttpRequest, reference: str) -> HttpResponse:
    call = selectors.call_for_managers(reference)
    form, rows = _filtered_applications(request, call)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    status = form.cleaned_data.get("status", "") if form.is_bound else ""
    query = urlencode({"status": status}) if status else ""
    return render(
        request,
        "portal/calls/applications.html",
        {"call": call, "form": form, "page": page, "query": query},
    )


@require(can_manage_calls)
@require_GET
def application_list_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """The applications as CSV (the same filter, every page); no CV, no motivation. The
    export is recorded in the audit trail (who, which call, how many rows)."""
    call = selectors.call_for_managers(reference)
    form, rows = _filtered_applications(request, call)
    status = form.cleaned_data.get("status", "") if form.is_bound and form.is_valid() else ""
    services.applications_exported(actor=request.user, call=call, status=status, count=rows.count())

    def lines() -> Iterator[list[Any]]:
        for application in rows.iterator(chunk_size=500):
            yield [
                application.tracking_number,
                application.status,
                application.submitted_at,
                application.retain_until,
                application.purged_at,
                application.name,
                application.email,
                application.cv_size,
            ]

    return cast(
        HttpResponse,
        csv_response(
            f"{call.reference}-applications.csv",
            [
                "tracking_number",
                "status",
                "submitted_at",
                "kept_until",
                "purged_at",
                "name",
                "email",
                "cv_size",
            ],
            lines(),
        ),
    )


def _application_page(
    request: HttpRequest, application: Application, form: ApplicationStatusForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "portal/calls/application.html",
        {
            "application": application,
            "call": application.call,
            "history": selectors.application_history(application),
            "form": form,
            "deletion_date": services.deletion_date(application.retain_until),
        },
        status=status,
    )


@require(can_manage_calls)
@require_GET
def application_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    application = selectors.application_for_managers(tracking_number)
    form = ApplicationStatusForm(initial={"status": application.status})
    return _application_page(request, application, form)


@require(can_manage_calls)
@require_POST
def application_status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    application = selectors.application_for_managers(tracking_number)
    form = ApplicationStatusForm(request.POST)
    done = form_saved(
        request,
        form,
        lambda data: services.application_status_change(
            actor=request.user, application=application, status=data["status"], note=data["note"]
        ),
        message=_("Status saved."),
        then=lambda _changed: redirect("portal:application_detail", application.tracking_number),
    )
    return done or _application_page(request, application, form)


@require(can_manage_calls)
@require_GET
def application_cv(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The CV as a download (never shown inline), after its checksum was verified."""
    application = selectors.application_for_managers(tracking_number)
    try:
        cv = services.application_cv_open(actor=request.user, application=application)
    except services.CvUnavailable as exc:
        if exc.reason == "purged":
            return render(
                request,
                "portal/calls/cv_gone.html",
                {"application": application, "altered": False},
                status=410,
            )
        if exc.reason == "altered":
            return render(
                request,
                "portal/calls/cv_gone.html",
                {"application": application, "altered": True},
                status=409,
            )
        raise Http404 from None
    return cast(
        HttpResponse,
        download(
            cv,
            filename=f"{application.tracking_number}.pdf",
            content_type="application/pdf",
            sha256=application.cv_sha256,
            size=application.cv_size,
        ),
    )
