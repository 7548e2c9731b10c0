"""Checks of input the drafting services share: a text field, one function for all parts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def text(value: Any, field: str, what: str, *, required: bool, limit: int) -> str:
    """`value` stripped, or `ValidationError` naming `field`: not text, a NUL character
    (PostgreSQL refuses them), empty while `required`, or longer than `limit` characters.
    None stands for the empty text."""
    if value is not None and not isinstance(value, str):
        raise ValidationError({field: f"{what} must be text."})
    stripped = (value or "").strip()
    if "\x00" in stripped:  # PostgreSQL refuses NUL characters in text
        raise ValidationError({field: f"{what} contains a NUL character."})
    if required and not stripped:
        raise ValidationError({field: f"{what} is required."})
    if len(stripped) > limit:
        raise ValidationError({field: f"{what} is longer than {limit} characters."})
    return stripped
