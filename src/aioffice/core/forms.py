"""The form base every page form uses: Europa Component Library classes on the widgets,
and error messages tied to their field for screen readers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

_ECL_CLASS = {
    forms.Select: "ecl-select",
    forms.SelectMultiple: "ecl-select",
    forms.Textarea: "ecl-text-area",
    # Not ECL's "ecl-checkbox__input" either: ECL clips that input to 1 px for the box its own
    # label markup draws, which core/form.html does not render; the native box stays visible.
    forms.CheckboxInput: "aio-checkbox",
    # Not ECL's "ecl-radio__input": it hides the native control for a box drawn by ECL's own
    # label markup, which Django's radio and checkbox lists (CheckboxSelectMultiple is a
    # RadioSelect) do not render; on their wrapper it hid the whole list from sighted users.
    forms.RadioSelect: "aio-choice",
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
            mark_invalid(self, name)


def mark_invalid(form: Any, name: str) -> None:
    """Mark a field in error for assistive technology: aria-invalid, and aria-describedby
    naming the id its message gets in core/form.html (the bound field's id, which carries the
    form's prefix; a checkbox list has no id_for_label)."""
    if name not in form.fields:
        return
    attrs = form.fields[name].widget.attrs
    attrs["aria-invalid"] = "true"
    attrs["aria-describedby"] = f"{form[name].auto_id}-error"


def add_service_errors(
    form: Any, exc: ValidationError, renames: dict[str, str] | None = None
) -> None:
    """A service's errors next to the field they name (`renames` maps a service's name to
    the form's), marked like the form's own errors; the others on top of the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = (renames or {}).get(name, name)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
        mark_invalid(form, field)


def form_saved(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    message: str,
    then: Callable[[Any], HttpResponse],
    add_errors: Callable[[Any, ValidationError], None] = add_service_errors,
) -> HttpResponse | None:
    """A form posted to a service: when it is a valid POST, `save(cleaned_data)`, then the
    success `message` and `then(what save returned)` (a redirect). None when there is
    nothing to save or the service refused it (its errors on the form, by `add_errors`):
    the caller shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    messages.success(request, message)
    return then(result)
