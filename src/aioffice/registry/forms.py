"""The page forms of the registry: they only parse; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aiact import model_input_schema
from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind
from aioffice.accounts.models import Organisation, User
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import (
    ANNEX_XIII_CRITERIA,
    EU_MEMBER_STATES,
    ComputeMethod,
    DecisionKind,
    DistributionChannel,
    MandateTask,
    Modality,
    NotificationStatus,
    NotificationTrigger,
    PublicField,
    SystemicRiskStatus,
)
from aioffice.registry.evidence import CapabilityEvidence
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

    evidence = forms.MultipleChoiceField(
        label=_("Capability evaluations cited under criterion (e)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The results on record for this version; each is stored with the decision."),
    )

    def __init__(
        self, *args: Any, capability: Sequence[CapabilityEvidence] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["kind"]
        field.choices = [(k.value, k.label) for k in EX_OFFICIO_KINDS]
        self.capability = {item.key: item for item in capability}
        evidence: Any = self.fields["evidence"]
        evidence.choices = [(item.key, item.label) for item in capability]
        # Django's checkbox list is a kind of radio list: keep it a checkbox list in ECL
        evidence.widget.attrs["class"] = "aio-checkbox"
        if not capability:
            del self.fields["evidence"]

    def cited(self) -> list[CapabilityEvidence]:
        """The evidence items ticked, as the sources gave them."""
        return [self.capability[key] for key in self.cleaned_data.get("evidence") or ()]


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


# --- providers register their models, versions and representatives ----------------------------


class ModelRegisterForm(EclFormMixin, forms.Form):
    """A provider's person registers a model. The organisation is asked only of someone who
    acts for several providers."""

    name = forms.CharField(label=_("Name of the model"), max_length=200)
    public_description = forms.CharField(
        label=_("Public description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public list if a version of the model is placed on it."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Provider organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(v, str(v).replace("_", " ").capitalize()) for v in values]


# What aiact accepts for an open-source release, read from its published input schema.
_MODEL_SCHEMA: Any = model_input_schema()
_OPEN_SOURCE_SCHEMA = _MODEL_SCHEMA["properties"]["open_source"]
_OS_PROPERTIES = next(
    option["properties"]
    for option in _OPEN_SOURCE_SCHEMA.get("oneOf", [_OPEN_SOURCE_SCHEMA])
    if "properties" in option
)
OPEN_SOURCE_RIGHTS = _choices(_OS_PROPERTIES["rights"]["items"]["enum"])
OPEN_SOURCE_RESTRICTIONS = _choices(_OS_PROPERTIES["restrictions"]["items"]["enum"])
_OPEN_SOURCE_FLAGS = ("monetised", "weights_public", "architecture_public", "usage_info_public")


def _checkboxes(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


class VersionForm(EclFormMixin, forms.Form):
    """A version's facts, grouped as aiact reads them. Nothing is required but the label:
    which facts are missing or inconsistent is for the service (and aiact) to say."""

    label = forms.CharField(label=_("Version"), max_length=100)
    placed_on_market = _date_field(
        _("Placed on the market"),
        help_text=_(
            "aiact uses the date to tell which obligations apply and from when (Art. 113), "
            "and whether a model placed before the rules applied has the longer period."
        ),
    )
    generates = _checkboxes(
        _("Modalities generated"),
        Modality.choices,
        _("aiact uses the modalities for the indicative criterion of generality (Guidelines)."),
    )
    distribution_channels = _checkboxes(
        _("Distribution channels"),
        DistributionChannel.choices,
        _("Recorded for the Office's monitoring; aiact does not use them."),
    )
    compute_method = forms.ChoiceField(
        label=_("How the training compute was obtained"),
        required=False,
        choices=[("", _("Not stated")), *ComputeMethod.choices],
        help_text=_(
            "Reported: give the training compute. 6·P·D: give parameters and tokens, aiact "
            "estimates. Hardware: give accelerator hours, peak FLOP/s and utilisation."
        ),
    )
    training_compute_flop = forms.FloatField(
        label=_("Training compute (FLOP)"),
        required=False,
        min_value=0,
        help_text=_(
            "aiact compares it with the thresholds for a GPAI model and for the presumption "
            "of systemic risk (Art. 51(2)). For example 3.8e25."
        ),
    )
    compute_gpu_hours = forms.DecimalField(
        label=_("Accelerator hours"), required=False, min_value=0, max_digits=20, decimal_places=2
    )
    compute_peak_flops = forms.FloatField(
        label=_("Peak FLOP/s per accelerator"), required=False, min_value=0
    )
    compute_utilisation = forms.DecimalField(
        label=_("Utilisation"),
        required=False,
        max_digits=5,
        decimal_places=4,
        help_text=_("A ratio above 0 and at most 1, for the hardware estimate."),
    )
    compute_uncertainty_percent = forms.DecimalField(
        label=_("Uncertainty (± %)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("aiact tells whether the estimate's band reaches the threshold."),
    )
    compute_assumptions = forms.CharField(
        label=_("Estimation assumptions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parameters = forms.IntegerField(
        label=_("Parameters"),
        required=False,
        min_value=0,
        help_text=_("aiact uses them for the 6·P·D estimate and the criteria of generality."),
    )
    training_tokens = forms.IntegerField(
        label=_("Training tokens"),
        required=False,
        min_value=0,
        help_text=_("aiact uses them for the 6·P·D estimate."),
    )
    os_released = forms.BooleanField(
        label=_("Released under a free and open-source licence"),
        required=False,
        help_text=_(
            "aiact checks whether the release exempts the model from Art. 53(1)(a)-(b) and "
            "Art. 54 (Art. 53(2)); it never does for a model with systemic risk."
        ),
    )
    os_rights = _checkboxes(_("The licence allows"), OPEN_SOURCE_RIGHTS)
    os_restrictions = _checkboxes(_("The licence restricts"), OPEN_SOURCE_RESTRICTIONS)
    os_monetised = forms.BooleanField(label=_("The model is monetised"), required=False)
    os_weights_public = forms.BooleanField(label=_("The weights are public"), required=False)
    os_architecture_public = forms.BooleanField(
        label=_("Information on the architecture is public"), required=False
    )
    os_usage_info_public = forms.BooleanField(
        label=_("Information on the model's use is public"), required=False
    )
    modifies = forms.ModelChoiceField(
        label=_("Model version it modifies"),
        queryset=ModelVersion.objects.none(),
        required=False,
        help_text=_(
            "For a fine-tuned or otherwise modified model: aiact compares the compute of the "
            "modification with the original's to tell whether the modifier becomes a provider."
        ),
    )
    modification_compute_flop = forms.FloatField(
        label=_("Compute of the modification (FLOP)"), required=False, min_value=0
    )
    eu_business_users = forms.IntegerField(
        label=_("Registered business users in the Union"),
        required=False,
        min_value=0,
        help_text=_("aiact uses the reach for the Annex XIII criteria."),
    )
    eu_end_users = forms.IntegerField(
        label=_("Registered end users in the Union"), required=False, min_value=0
    )
    reach_counted_on = _date_field(
        _("Users counted on"), help_text=_("Required when users are given.")
    )
    public_fields = _checkboxes(
        _("Facts shown on the public list"),
        PublicField.choices,
        _("If the model is on the public list (Art. 52(6)), only these facts are shown."),
    )

    FIELDSETS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("Market"), ("label", "placed_on_market", "generates", "distribution_channels")),
        (
            _("Training compute"),
            (
                "compute_method",
                "training_compute_flop",
                "compute_gpu_hours",
                "compute_peak_flops",
                "compute_utilisation",
                "compute_uncertainty_percent",
                "compute_assumptions",
            ),
        ),
        (_("Size"), ("parameters", "training_tokens")),
        (
            _("Open-source licence"),
            (
                "os_released",
                "os_rights",
                "os_restrictions",
                "os_monetised",
                "os_weights_public",
                "os_architecture_public",
                "os_usage_info_public",
            ),
        ),
        (_("Lineage"), ("modifies", "modification_compute_flop")),
        (_("Reach"), ("eu_business_users", "eu_end_users", "reach_counted_on")),
        (_("Publication"), ("public_fields",)),
    )

    def __init__(self, *args: Any, versions: QuerySet[ModelVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["modifies"]
        field.queryset = versions.order_by("model__name", "label", "id")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "aio-checkbox"  # as in NotificationForm

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    @staticmethod
    def initial_of(version: ModelVersion) -> dict[str, Any]:
        """The form's values for a stored version."""
        initial = {name: getattr(version, name) for name in VERSION_FORM_FACTS}
        initial["modifies"] = version.modifies_id
        release = version.open_source
        if release is not None:
            initial["os_released"] = True
            initial["os_rights"] = release.get("rights") or []
            initial["os_restrictions"] = release.get("restrictions") or []
            for flag in _OPEN_SOURCE_FLAGS:
                initial[f"os_{flag}"] = bool(release.get(flag))
        return initial

    def facts(self) -> dict[str, Any]:
        """The service's keyword arguments (`services.VERSION_FIELDS`)."""
        data = self.cleaned_data
        facts = {name: data.get(name) for name in VERSION_FORM_FACTS}
        for name in ("generates", "distribution_channels", "public_fields"):
            facts[name] = list(data.get(name) or [])
        facts["compute_method"] = data.get("compute_method") or ""
        facts["compute_assumptions"] = data.get("compute_assumptions") or ""
        facts["open_source"] = None
        if data.get("os_released"):
            facts["open_source"] = {
                "rights": list(data.get("os_rights") or []),
                "restrictions": list(data.get("os_restrictions") or []),
                **{flag: bool(data.get(f"os_{flag}")) for flag in _OPEN_SOURCE_FLAGS},
            }
        return facts


VERSION_FORM_FACTS: tuple[str, ...] = (
    "label",
    "placed_on_market",
    "generates",
    "parameters",
    "training_tokens",
    "training_compute_flop",
    "compute_method",
    "compute_gpu_hours",
    "compute_peak_flops",
    "compute_utilisation",
    "compute_uncertainty_percent",
    "compute_assumptions",
    "modifies",
    "modification_compute_flop",
    "eu_business_users",
    "eu_end_users",
    "reach_counted_on",
    "distribution_channels",
    "public_fields",
)


class MandateForm(EclFormMixin, forms.Form):
    """The written mandate of an authorised representative (Art. 54(1)-(4))."""

    representative = forms.ModelChoiceField(
        label=_("Authorised representative"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.AUTHORISED_REPRESENTATIVE),
    )
    union_country = forms.ChoiceField(
        label=_("Member State where the representative is established"),
        choices=[(code, code) for code in EU_MEMBER_STATES],
    )
    tasks = _checkboxes(_("Tasks the mandate covers"), MandateTask.choices)
    start = _date_field(_("Start"), required=True)
    end = _date_field(_("End"), help_text=_("Leave empty for a mandate without an end date."))
    mandate_document = forms.FileField(label=_("The written mandate (PDF)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].widget.attrs["class"] = "aio-checkbox"


class TerminationForm(EclFormMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for the termination (Art. 54(5))"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ProviderFilterForm(EclFormMixin, forms.Form):
    """The staff list of providers (GET)."""

    lacks_representative = forms.ChoiceField(
        label=_("Authorised representative"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("Lacking a representative")),
            ("no", _("Not lacking one")),
        ],
    )
