from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aioffice.core import selectors
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import can_read_audit_trail, is_office_staff, require

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require(is_office_staff)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff home: where the Office's work starts."""
    return render(
        request,
        "core/dashboard.html",
        {"recent_events": selectors.audit_events_visible_to(request)[:10]},
    )


@require(can_read_audit_trail)
def audit_list(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events_visible_to(request)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request, "core/audit_list.html", "results", {"page": page, "action": action}
    )
