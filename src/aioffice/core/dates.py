"""The date a procedural step is recorded on, shared by the apps that record steps."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError


def step_date(day: date | None, field: str, *, today: date) -> date:
    """Today by default, a past day when the step is entered late, never a day still to
    come (refused naming `field`). Each app passes its own `today` (its one clock)."""
    if day is None:
        return today
    if day > today:
        raise ValidationError({field: f"A step cannot be dated after today ({today})."})
    return day
