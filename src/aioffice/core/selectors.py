"""Reads that need care: who may see which audit events."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from aioffice.core.models import AuditEvent
from aioffice.core.permissions import can_read_audit_trail, is_office_staff


def audit_events_visible_to(request: HttpRequest) -> QuerySet[AuditEvent]:
    """Audit readers see the whole trail; other staff see what they did themselves."""
    events = AuditEvent.objects.select_related("actor").order_by("-seq")
    if can_read_audit_trail(request):
        return events
    if is_office_staff(request):
        return events.filter(actor_id=request.user.pk)
    return events.none()
