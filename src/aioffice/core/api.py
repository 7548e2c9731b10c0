from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from aioffice.core import selectors
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import AuditEventOut

router = Router(tags=["audit"])


@router.get("/events", response=list[AuditEventOut], summary="Audit events I may see")
@paginate
def audit_event_list(request: HttpRequest, action: str = "") -> Any:
    if not is_office_staff(request):
        raise PermissionDenied("Only AI Office staff read the audit trail.")
    events = selectors.audit_events_visible_to(request)
    if action:
        events = events.filter(action__startswith=action)
    return events
