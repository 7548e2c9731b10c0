"""Reads of the calls part: what the public sees (calls once published, never drafts) and
what call managers see (every call with its count of applications, the applications)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from aioffice.portal.choices import CallStatus
from aioffice.portal.models_calls import Application, ApplicationStatusChange, Call

MAX_KEY = 40  # the longest reference or tracking number a row can have


def _key(value: str) -> str:
    """A reference or tracking number from a path, or 404 for one no row can have (a NUL
    character, which PostgreSQL refuses in a query, or one longer than the column)."""
    if "\x00" in value or len(value) > MAX_KEY:
        raise Http404
    return value


def calls_public() -> QuerySet[Call]:
    """Every call the public may read: those once published (open, closed, or cancelled
    after publication), never a draft, nor a draft cancelled before it was published."""
    return Call.objects.exclude(status=CallStatus.DRAFT).filter(published_at__isnull=False)


def calls_open(now: datetime | None = None) -> QuerySet[Call]:
    """Calls taking applications now, the nearest deadline first."""
    return (
        calls_public()
        .filter(status=CallStatus.PUBLISHED, deadline__gt=now or timezone.now())
        .order_by("deadline", "reference")
    )


def calls_closed(now: datetime | None = None) -> QuerySet[Call]:
    """Published calls that no longer take applications (deadline passed, closed early or
    cancelled), the latest first."""
    moment = now or timezone.now()
    return (
        calls_public()
        .exclude(status=CallStatus.PUBLISHED, deadline__gt=moment)
        .order_by("-deadline", "-reference")
    )


def call_public(reference: str) -> Call:
    """A call the public may read, by its reference; 404 for a draft or an unknown one."""
    call = calls_public().filter(reference=_key(reference)).first()
    if call is None:
        raise Http404
    return call


def calls_for_managers() -> QuerySet[Call]:
    """Every call with its count of applications (one query), the latest first."""
    return Call.objects.annotate(applications_count=Count("applications")).order_by(
        "-created_at", "-id"
    )


def call_for_managers(reference: str) -> Call:
    call = (
        Call.objects.annotate(applications_count=Count("applications"))
        .filter(reference=_key(reference))
        .first()
    )
    if call is None:
        raise Http404
    return call


def applications_of(call: Call, status: str = "") -> QuerySet[Application]:
    """A call's applications, the latest first, optionally of one status."""
    rows = Application.objects.filter(call=call).order_by("-submitted_at", "-id")
    if status:
        rows = rows.filter(status=status)
    return rows


def application_for_managers(tracking_number: str) -> Application:
    application = (
        Application.objects.select_related("call")
        .filter(tracking_number=_key(tracking_number))
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_history(application: Application) -> QuerySet[ApplicationStatusChange]:
    return application.status_changes.select_related("changed_by").order_by("changed_at", "id")
