"""The forms of the calls part: they parse; the services decide (and name each bad field)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.portal.choices import ApplicationStatus, ContractType
from aioffice.portal.services_calls import (
    BRUSSELS,
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_GRADE,
    MAX_MOTIVATION,
    MAX_NAME,
    MAX_NOTE,
    MAX_PLACE,
    MAX_PROFILE,
    MAX_TITLE,
    MIN_MOTIVATION,
    cv_digest,
)


class _DescribedFormMixin(EclFormMixin):
    """Each input is described by its help text as well as by its error (screen readers
    read both; the base mixin names only the error)."""

    def _describe(self) -> None:
        errors: dict[str, Any] = getattr(self, "_errors", None) or {}
        form: Any = self  # a mixin for django.forms.Form
        for name, field in self.fields.items():
            # the bound field's id, worked out without making the bound field (which would
            # keep the help text as it is now)
            auto_id = str(form.auto_id) % form.add_prefix(name)
            ids = []
            if name in errors:
                ids.append(f"{auto_id}-error")
            if field.help_text:
                ids.append(f"{auto_id}-help")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()


class BrusselsDateTimeField(forms.DateTimeField):
    """A date and time typed as Brussels wall-clock time (where the Office sits), stored
    as the UTC moment it names; shown back in Brussels time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(BRUSSELS).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        # Django read the typed value in the current time zone; take the wall-clock value
        # it typed and read it in Brussels instead.
        return timezone.make_aware(timezone.make_naive(moment), BRUSSELS)


class CallForm(_DescribedFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=24,
        required=False,
        help_text=_("Leave empty to have the next one made, like AIO-CEI-2026-001."),
    )
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    profile = forms.CharField(label=_("Profile"), max_length=MAX_PROFILE)
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    grade = forms.CharField(
        label=_("Grade or function group"), max_length=MAX_GRADE, required=False
    )
    place = forms.CharField(label=_("Place of employment"), max_length=MAX_PLACE)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    deadline = BrusselsDateTimeField(
        label=_("Deadline (Brussels time)"),
        help_text=_("Applications are accepted until this moment; it must be in the future."),
    )

    def clean_deadline(self) -> datetime:
        """In the future (checked again by the service, with the others' errors here)."""
        deadline: datetime = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class ApplicationForm(_DescribedFormMixin, forms.Form):
    """The public application form. The CV's size limit and the retention period are
    settings, shown on the form (`cv_max_bytes`, the page's privacy statement)."""

    name = forms.CharField(label=_("Your name"), max_length=MAX_NAME)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=MAX_EMAIL,
        help_text=_("We send the confirmation with your tracking number to this address."),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        min_length=MIN_MOTIVATION,
        max_length=MAX_MOTIVATION,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    cv = forms.FileField(
        label=_("CV (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Attach your CV as a PDF file.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    consent = forms.BooleanField(
        label=_("I have read the privacy statement above."),
        required=True,
        error_messages={"required": _("Confirm that you have read the privacy statement.")},
    )

    def __init__(self, *args: Any, cv_max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # each form page its own token: sent twice, it makes one application
        self.fields["form_token"].initial = secrets.token_urlsafe(24)
        self.fields["cv"].help_text = _(
            "A PDF file of at most %(size)s. Other formats are refused."
        ) % {"size": filesizeformat(cv_max_bytes)}
        self.fields["motivation"].help_text = _("Between %(low)d and %(high)d characters.") % {
            "low": MIN_MOTIVATION,
            "high": MAX_MOTIVATION,
        }
        self._describe()  # the help texts set just now

    def clean_cv(self) -> Any:
        """The service's PDF and size checks, so that a bad CV is named with the other
        fields' errors (the service checks again)."""
        upload = self.cleaned_data.get("cv")
        try:
            cv_digest(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["cv"]) from None
        return upload


class ApplicationStatusForm(_DescribedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ApplicationStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by those who manage calls; deleted with the personal data."),
    )


class ApplicationFilterForm(_DescribedFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ApplicationStatus.choices],
        required=False,
    )
