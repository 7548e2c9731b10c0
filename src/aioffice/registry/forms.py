"""The page forms of the registry: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import NotificationStatus, NotificationTrigger
from aioffice.registry.models import ModelVersion

# What Art. 52(2) arguments may rest on (aiact's list; aiact refuses any other).
ARGUMENT_GROUNDS: tuple[tuple[str, Any], ...] = (
    ("capabilities", _("Capabilities")),
    ("benchmarks", _("Benchmarks")),
    ("scaling_forecast", _("Scaling forecast")),
    ("architecture", _("Architecture")),
    ("parameters", _("Number of parameters")),
    ("training_data", _("Training data")),
    ("training_techniques", _("Training techniques")),
    ("modalities", _("Modalities")),
    ("tool_use", _("Tool use")),
    ("context_length", _("Context length")),
    ("mitigations", _("Mitigations")),
    ("other", _("Other")),
)


class NotificationForm(EclFormMixin, forms.Form):
    """A notification under Art. 52(1), with optional Art. 52(2) arguments and evidence.

    Completeness is aiact's to judge (`services.notification_submit`): nothing is required
    here beyond the trigger, so that every missing item is named by the service."""

    trigger = forms.ChoiceField(label=_("Trigger"), choices=NotificationTrigger.choices)
    compute_flop = forms.FloatField(
        label=_("Training compute (FLOP)"), required=False, help_text=_("For example 3.8e25.")
    )
    estimation_method = forms.CharField(
        label=_("Estimation method"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assumptions = forms.CharField(
        label=_("Assumptions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    uncertainty = forms.CharField(label=_("Uncertainty"), required=False, max_length=200)
    trigger_date = forms.DateField(
        label=_("Date the condition was met or known"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    modified_version = forms.ModelChoiceField(
        label=_("Modified model version"), queryset=ModelVersion.objects.none(), required=False
    )
    modification_compute_flop = forms.FloatField(
        label=_("Compute of the modification (FLOP)"), required=False
    )
    arguments_text = forms.CharField(
        label=_("Arguments (Art. 52(2))"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    arguments_grounds = forms.MultipleChoiceField(
        label=_("Grounds of the arguments"),
        choices=ARGUMENT_GROUNDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)

    def __init__(self, *args: Any, versions: QuerySet[ModelVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["modified_version"]
        field.queryset = versions.order_by("model__name", "label", "id")

    def notification_data(self) -> dict[str, Any]:
        """The service's `data`: every notification field, without the evidence."""
        return {k: v for k, v in self.cleaned_data.items() if k != "evidence"}


class NotificationFilterForm(EclFormMixin, forms.Form):
    """The staff queue's filters (GET)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *NotificationStatus.choices],
    )
    late = forms.ChoiceField(
        label=_("Late"),
        required=False,
        choices=[("", _("Late or not")), ("yes", _("Late")), ("no", _("Not late"))],
    )
