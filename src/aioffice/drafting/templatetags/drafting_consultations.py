"""`{% open_consultations door user as rows %}`: the consultations a door lists (the
public's: public ones open now; the participants': also their working groups' open ones;
the Office's: every one open now)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q
from django.utils import timezone

from aioffice.drafting import selectors_consultations as selectors

register = template.Library()
LIMIT = 20


@register.simple_tag
def open_consultations(door: str, user: Any) -> list[Any]:
    if door == "office":
        now = timezone.now()
        rows = (
            selectors.consultations()
            .filter(opens_at__lte=now, closes_at__gt=now, closed_early_at__isnull=True)
            .order_by("closes_at", "id")
        )
        return list(rows[:LIMIT])
    public = list(selectors.open_public()[:LIMIT])
    if door != "participant" or user is None or not user.is_authenticated:
        return public
    mine = list(selectors.open_for_member(user).filter(~Q(pk__in=[c.pk for c in public]))[:LIMIT])
    return [*mine, *public]
