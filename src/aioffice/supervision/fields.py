"""Form fields shared by the supervision pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from aioffice.core.schemas import MAX_ID


class IdsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # any model
    """Several rows chosen by id; an id beyond the database's range (which the database
    driver would refuse with an error, not an empty answer) is an invalid choice."""

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(item).strip())
            except ValueError:
                continue  # Django refuses it as an invalid value
            if abs(number) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)
