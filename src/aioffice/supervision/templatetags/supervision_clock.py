"""`{% deadline_counts as dc %}`: the signed-in officer's overdue and soon-due deadlines, for
pages outside supervision (the Office dashboard includes `supervision/clock/_counts.html`
by name, so core needs no import of supervision)."""

from __future__ import annotations

from typing import Any

from django import template

from aioffice.core.permissions import is_office_staff
from aioffice.supervision import clock

register = template.Library()


@register.simple_tag(takes_context=True)
def deadline_counts(context: Any) -> dict[str, int] | None:
    request = context.get("request")
    if request is None or not is_office_staff(request):
        return None
    return clock.counts_of(request.user)
