"""Forms of international cooperation: the filters of the lists and the staff's forms.
They parse and check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.models_international import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Partner,
    PartnerKind,
    PartnerStatus,
)
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import MEMBER_STATE_NAMES

ANY = [("", _("Any"))]
_country = RegexValidator(r"^[A-Za-z]{2}$", _("Give the country as a two-letter ISO code."))


def _member_states() -> list[tuple[str, str]]:
    return sorted(((c, str(n)) for c, n in MEMBER_STATE_NAMES.items()), key=lambda x: x[1])


class _Filters(EclFormMixin, forms.Form):
    def filters(self) -> dict[str, str]:
        """The filters to apply: none for input that is not valid (the page says so)."""
        if not self.is_valid():
            return {}
        return {
            k: str(v).upper() if k == "country" else v for k, v in self.cleaned_data.items() if v
        }


class PartnerFilterForm(_Filters):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + PartnerKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + PartnerStatus.choices
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        validators=[_country],
        help_text=_("Two-letter ISO code, e.g. JP."),
    )


class AgreementFilterForm(_Filters):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + AgreementKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + AgreementStatus.choices
    )
    country = forms.CharField(
        label=_("A partner's country"),
        required=False,
        max_length=2,
        validators=[_country],
        help_text=_("Two-letter ISO code, e.g. JP."),
    )
    member_state = forms.ChoiceField(label=_("Member State involved"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [("", str(_("Any"))), *_member_states()]  # type: ignore[attr-defined]  # a ChoiceField


class PartnerForm(EclFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "country",
            "kind",
            "website",
            "description",
            "status",
            "contact_point",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "contact_point": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def _post_clean(self) -> None:
        """The model's own checks run in the service (which names the field)."""


class AgreementForm(EclFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.order_by("name", "id"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    member_states = forms.MultipleChoiceField(
        label=_("Member States involved"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Their authorities' staff see it even before it is published."),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "signed_on",
            "in_force_from",
            "ends_on",
            "summary",
            "member_state_support",
            "published",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "in_force_from": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "member_state_support": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_states"].choices = _member_states()  # type: ignore[attr-defined]  # a ChoiceField

    def _post_clean(self) -> None:
        """The model's own checks run in the service (which names the field)."""

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["partners"] = [p.pk for p in data.get("partners") or []]
        data["member_states"] = list(data.get("member_states") or [])
        return data


class AgreementNewForm(AgreementForm):
    """A new agreement also says its first status and since when."""

    status = forms.ChoiceField(
        label=_("Status"), choices=AgreementStatus.choices, initial=AgreementStatus.EXPLORATORY
    )
    status_on = forms.DateField(
        label=_("Status since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today if left empty."),
    )


class StatusChangeForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("A PDF or a text file."))
    public = forms.BooleanField(
        label=_("Public (shown once the agreement is published)"), required=False
    )


class RoundForm(EclFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.BooleanField(label=_("Public"), required=False)
