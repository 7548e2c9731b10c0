"""The form base every page form uses: Europa Component Library classes on the widgets,
and error messages tied to their field for screen readers."""

from __future__ import annotations

from typing import Any

from django import forms

_ECL_CLASS = {
    forms.Select: "ecl-select",
    forms.SelectMultiple: "ecl-select",
    forms.Textarea: "ecl-text-area",
    forms.CheckboxInput: "ecl-checkbox__input",
    forms.RadioSelect: "ecl-radio__input",
}


class EclFormMixin:
    """Gives each widget its ECL class; marks fields with errors `aria-invalid`."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (name for kind, name in _ECL_CLASS.items() if isinstance(widget, kind)),
                "ecl-text-input",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin for django.forms.Form
        errors: dict[str, Any] = getattr(self, "_errors", None) or {}
        for name in errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                # the id the error message gets in core/form.html (the bound field's id,
                # which carries the form's prefix; a checkbox list has no id_for_label)
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"  # type: ignore[index]
