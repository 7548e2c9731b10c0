"""The Code of Practice's page forms: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.codeofpractice.models import Chapter, ReportKind
from aioffice.registry.models import Provider

_DATE = forms.DateInput(attrs={"type": "date"})


class SignatureForm(EclFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    chapter = forms.ChoiceField(label=_("Chapter"), choices=Chapter.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=_DATE)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=500,
        help_text=_("Where the signature is published, for example the Commission's list."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class WithdrawForm(EclFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=_DATE)
    reasons = forms.CharField(
        label=_("Reasons for the withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FrameworkForm(EclFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    framework_version = forms.CharField(label=_("Framework version"), max_length=50)
    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=_DATE)
    placing_on = forms.DateField(
        label=_("Planned placing on the market"),
        required=False,
        widget=_DATE,
        help_text=_("Leave empty to use the placing date of the notified model version."),
    )
    document = forms.FileField(label=_("The Framework (PDF)"))

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()


class ModelReportForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    most_capable = forms.BooleanField(
        label=_("The model is among our most capable models on the market"), required=False
    )
    document = forms.FileField(label=_("The report (PDF)"))
