"""The page forms of the registry: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.accounts.models import User
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import (
    ANNEX_XIII_CRITERIA,
    DecisionKind,
    NotificationStatus,
    NotificationTrigger,
    SystemicRiskStatus,
)
from aioffice.registry.models import ModelVersion, Provider

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
        # Django's checkbox list is a kind of radio list, so the mixin gives it ECL's radio
        # class, which hides the native box without ECL's drawn one: keep it a plain box.
        self.fields["arguments_grounds"].widget.attrs["class"] = "aio-checkbox"

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


# --- staff actions on a notification (Art. 52(3)-(5), Art. 94) ------------------------------------


def _date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


_PAST_DATE_HELP = _("Leave empty for today; a past date records a step taken earlier.")


class AssignForm(EclFormMixin, forms.Form):
    """Give the notification to an officer of the AI Office."""

    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["officer"]
        field.queryset = (
            User.objects.filter(is_active=True, memberships__role__in=OFFICE_ROLES)
            .distinct()
            .order_by("username")
        )


class InformationRequestForm(EclFormMixin, forms.Form):
    """Ask the provider for more information, with a date to answer by."""

    questions = forms.CharField(
        label=_("Questions to the provider"), widget=forms.Textarea(attrs={"rows": 4})
    )
    due_on = _date_field(_("Answer due by"), required=True)


# The draft decisions a hearing may be opened on (the decisions that go against the provider).
HEARING_KINDS = (
    DecisionKind.ARGUMENTS_REJECTED,
    DecisionKind.DESIGNATED_ANNEX_XIII,
    DecisionKind.DESIGNATED_FAILURE_TO_NOTIFY,
)


class HearingForm(EclFormMixin, forms.Form):
    """Send the draft decision; the hearing period is aiact's."""

    draft_kind = forms.ChoiceField(
        label=_("Draft decision"),
        choices=[(k.value, k.label) for k in HEARING_KINDS],
        initial=DecisionKind.ARGUMENTS_REJECTED,
    )
    draft_reasons = forms.CharField(
        label=_("Reasons of the draft decision"), widget=forms.Textarea(attrs={"rows": 5})
    )
    opened_on = _date_field(_("Sent on"), help_text=_PAST_DATE_HELP)


class _AnnexXIIIMixin(forms.Form):
    """One reasons field per Annex XIII criterion (a) to (g); empty ones are left out."""

    annex_a = forms.CharField(
        label=_("Annex XIII (a): parameters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_b = forms.CharField(
        label=_("Annex XIII (b): quality or size of the data set"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_c = forms.CharField(
        label=_("Annex XIII (c): training compute"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_d = forms.CharField(
        label=_("Annex XIII (d): input and output modalities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_e = forms.CharField(
        label=_("Annex XIII (e): benchmarks and evaluations of capabilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_f = forms.CharField(
        label=_("Annex XIII (f): reach on the internal market"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    annex_g = forms.CharField(
        label=_("Annex XIII (g): registered end users"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def annex_xiii(self) -> dict[str, str]:
        """The criteria with reasons, keyed (a) to (g) as the service wants them."""
        found = {}
        for key in ANNEX_XIII_CRITERIA:
            reasons = (self.cleaned_data.get(f"annex_{key}") or "").strip()
            if reasons:
                found[key] = reasons
        return found


# The service names the criteria "annex_xiii"; its errors go on the first criterion's field.
ANNEX_XIII_ERROR_FIELD = "annex_a"


# The decisions that answer a notification (a reassessment is answered on its own page).
NOTIFICATION_DECISION_KINDS = (
    DecisionKind.ARGUMENTS_ACCEPTED,
    DecisionKind.ARGUMENTS_REJECTED,
    DecisionKind.CONFIRMED,
    DecisionKind.DESIGNATED_ANNEX_XIII,
    DecisionKind.DESIGNATED_FAILURE_TO_NOTIFY,
)


class DecisionForm(EclFormMixin, _AnnexXIIIMixin, forms.Form):
    """A decision on a notification (Art. 52(3)); the criteria only for a designation."""

    kind = forms.ChoiceField(
        label=_("Decision"), choices=[(k.value, k.label) for k in NOTIFICATION_DECISION_KINDS]
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = _date_field(_("Decided on"), help_text=_PAST_DATE_HELP)

    field_order = ["kind", "reasons", "decided_on"]


# The decisions the Office takes of its own motion on a version (Art. 52(4)).
EX_OFFICIO_KINDS = (DecisionKind.DESIGNATED_ANNEX_XIII, DecisionKind.DESIGNATED_FAILURE_TO_NOTIFY)


class DesignationForm(DecisionForm):
    """An ex officio designation of a version (Art. 52(4)) with the Annex XIII criteria."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["kind"]
        field.choices = [(k.value, k.label) for k in EX_OFFICIO_KINDS]


class ReassessmentDecisionForm(EclFormMixin, forms.Form):
    """The Office's answer to a reassessment request (Art. 52(5)): the designation is
    maintained or lifted."""

    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (k.value, k.label)
            for k in (DecisionKind.DESIGNATION_MAINTAINED, DecisionKind.DESIGNATION_LIFTED)
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = _date_field(_("Decided on"), help_text=_PAST_DATE_HELP)


# --- the provider's actions ------------------------------------------------------------------


class WithdrawForm(EclFormMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for withdrawing"), widget=forms.Textarea(attrs={"rows": 3})
    )


class InformationAnswerForm(EclFormMixin, forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))
    document = forms.FileField(label=_("Supporting document (optional)"), required=False)


class DocumentsForm(EclFormMixin, forms.Form):
    document = forms.FileField(label=_("Further evidence"))


class ReassessmentRequestForm(EclFormMixin, forms.Form):
    reasons = forms.CharField(
        label=_("New reasons for a reassessment (Art. 52(5))"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


# --- lists -----------------------------------------------------------------------------------


class ModelFilterForm(EclFormMixin, forms.Form):
    """The models list's filters (GET)."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    systemic_risk_status = forms.ChoiceField(
        label=_("Systemic-risk status"),
        required=False,
        choices=[("", _("Any status")), *SystemicRiskStatus.choices],
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), required=False, queryset=Provider.objects.none()
    )

    def __init__(self, *args: Any, providers: QuerySet[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["provider"]
        field.queryset = providers.order_by("organisation__name")
