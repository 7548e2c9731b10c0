"""The registry's pages.

The public list of GPAI models with systemic risk (Art. 52(6)): a page, JSON and CSV.
Public by design: anyone may read it, and it shows only the model and provider names,
the status and the fields marked public.

The Art. 52 notification pages: the provider's form and the status page (the provider's
people and staff, through `selectors`), and the staff queue. They parse, call one service
or selector, and render.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require
from aioffice.registry import selectors, services
from aioffice.registry.choices import PublicField, SystemicRiskStatus
from aioffice.registry.forms import NotificationFilterForm, NotificationForm
from aioffice.registry.models import Decision, Hearing, Notification

_FIELD_LABELS = dict(PublicField.choices)
_STATUS_LABELS = dict(SystemicRiskStatus.choices)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


@require_GET
def systemic_risk_models(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.systemic_risk_versions(), 50).get_page(request.GET.get("page"))
    rows = []
    for version in page.object_list:
        entry = selectors.public_entry(version)
        rows.append(
            {
                **entry,
                "status_label": _STATUS_LABELS.get(entry["systemic_risk_status"], ""),
                "facts": [
                    (_FIELD_LABELS[name], _cell(value)) for name, value in entry["fields"].items()
                ],
            }
        )
    return render_page_or_fragment(
        request, "registry/systemic_risk_models.html", "results", {"page": page, "rows": rows}
    )


@require_GET
def systemic_risk_models_json(request: HttpRequest) -> JsonResponse:
    items = [selectors.public_entry(v) for v in selectors.systemic_risk_versions()]
    return JsonResponse({"count": len(items), "items": items}, encoder=DjangoJSONEncoder)


CSV_COLUMNS = ("model", "provider", "version", "systemic_risk_status", *selectors.PUBLIC_COLUMNS)


@require_GET
def systemic_risk_models_csv(request: HttpRequest) -> HttpResponse:
    """One row per version; a field not marked public is an empty cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="systemic-risk-models.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for version in selectors.systemic_risk_versions():
        entry = selectors.public_entry(version)
        fields = entry["fields"]
        writer.writerow(
            [entry["model"], entry["provider"], entry["version"], entry["systemic_risk_status"]]
            + [_cell(fields.get(name)) for name in selectors.PUBLIC_COLUMNS]
        )
    return response


# --- notifications (Art. 52) --------------------------------------------------------------------


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    """The service's errors next to their field; evidence errors on the file; others on top."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = "evidence" if name == "documents" else name
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def notification_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    """The provider (or its current representative) notifies under Art. 52(1)."""
    versions = selectors.versions_visible_to(request)
    version = get_object_or_404(versions, pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied
    form = NotificationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        versions=versions,
    )
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data.get("evidence")
        try:
            notification = services.notification_submit(
                actor=request.user,
                version=version,
                data=form.notification_data(),
                documents=[evidence] if evidence else (),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification was received."))
            return redirect("registry:notification_detail", notification.tracking_number)
    return render(request, "registry/notification_form.html", {"form": form, "version": version})


def _timeline(notification: Notification) -> list[tuple[Any, str]]:
    """The steps of the procedure, oldest first: receipt, hearings, decisions."""
    steps: list[tuple[Any, str]] = [
        (notification.submitted_on, _("Notification received (Art. 52(1))"))
    ]
    for hearing in notification.hearings.all():
        steps.append((hearing.opened_on, _("Draft decision sent; hearing opened (Art. 94)")))
        steps.append((hearing.ends_on, _("End of the hearing period")))
    for decision in notification.decisions.all():
        steps.append((decision.decided_on, _("Decision: %s") % decision.get_kind_display()))
    return sorted(steps, key=lambda step: step[0])


@login_required
@require_GET
def notification_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """A notification's status: the provider's people and AI Office staff only."""
    notifications = (
        selectors.notifications_visible_to(request)
        .defer(None)
        .prefetch_related(
            "documents",
            Prefetch("hearings", queryset=Hearing.objects.order_by("opened_on", "id")),
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "id")),
        )
    )
    notification = get_object_or_404(notifications, tracking_number=tracking_number)
    arguments = (notification.aiact_check or {}).get("arguments") or {}
    hearings = list(notification.hearings.all())
    return render(
        request,
        "registry/notification_detail.html",
        {
            "notification": notification,
            "arguments_filed": notification.has_arguments,
            "arguments_receivable": bool(arguments.get("admissible")),
            "hearing_ends_on": hearings[-1].ends_on if hearings else None,
            "decisions": list(notification.decisions.all()),
            "timeline": _timeline(notification),
        },
    )


@require(is_office_staff)
@require_GET
def notification_queue(request: HttpRequest) -> HttpResponse:
    """AI Office staff: every notification, newest first, filtered by status and lateness."""
    form = NotificationFilterForm(request.GET or None)
    notifications = selectors.notifications_visible_to(request).order_by("-submitted_at", "-id")
    query = ""
    if form.is_valid():
        status = form.cleaned_data.get("status")
        late = form.cleaned_data.get("late")
        if status:
            notifications = notifications.filter(status=status)
        if late:
            notifications = notifications.filter(late=late == "yes")
        query = urlencode({k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "registry/notification_queue.html",
        "results",
        {"form": form, "page": page, "query": query},
    )
