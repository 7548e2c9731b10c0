"""The intake forms: they only parse; the services (and aiact) decide. Nearly every field
is optional here so that the service names each missing item next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import PUBLIC_LIST_STATUSES
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision.choices import (
    AlertGround,
    IncidentReportKind,
    IncidentType,
    IntakeKind,
    IntakeStatus,
)
from aioffice.supervision.fields import IdsChoiceField

_TEXT = {"rows": 4}
_DATE = forms.DateInput(attrs={"type": "date"})


def _text(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def providers() -> QuerySet[Provider]:
    return Provider.objects.select_related("organisation").order_by("organisation__name", "id")


def public_versions() -> QuerySet[ModelVersion]:
    """Versions a sender may name: those on the public list of models with systemic risk
    (others are linked by the Office in triage)."""
    return (
        ModelVersion.objects.filter(systemic_risk_status__in=PUBLIC_LIST_STATUSES)
        .select_related("model__provider__organisation")
        .order_by("model__name", "label", "id")
    )


class _VersionChoice(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.model.provider.organisation.name}: {obj.model.name} {obj.label}"


class _ProviderChoice(forms.ModelChoiceField):  # type: ignore[type-arg]  # any model
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation.name)


class _ConcernsForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    provider = _ProviderChoice(
        label=_("Provider of the model concerned"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Leave empty if the provider is not in the register."),
    )
    versions = _VersionChoice(
        label=_("Model versions concerned"),
        queryset=ModelVersion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Versions on the public list; the Office links others."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers()  # type: ignore[attr-defined]
        self.fields["versions"].queryset = public_versions()  # type: ignore[attr-defined]


class ComplaintForm(_ConcernsForm):
    """Art. 89(2): (a) the provider's point of contact; (b) the facts, the provisions and
    why it is an infringement; (c) other relevant information."""

    provider_contact_point = _text(
        _("Point of contact of the provider concerned (Art. 89(2)(a))"), rows=2
    )
    facts = _text(_("Relevant facts (Art. 89(2)(b))"))
    provisions = _text(_("Provisions concerned (Art. 89(2)(b))"), rows=2)
    reasons = _text(_("Why you consider it an infringement (Art. 89(2)(b))"))
    other_information = _text(
        _("Other relevant information (Art. 89(2)(c))"),
        _("Including information you gathered on your own initiative."),
    )
    attachment = forms.FileField(label=_("Supporting document"), required=False)


class AlertForm(_ConcernsForm):
    """Art. 90(1), (3): the ground, the provider's point of contact, facts and reasons,
    other relevant information."""

    ground = forms.ChoiceField(
        label=_("Ground (Art. 90(1))"),
        choices=[("", "—"), *AlertGround.choices],
        required=False,
    )
    provider_contact_point = _text(
        _("Point of contact of the provider concerned (Art. 90(3)(a))"), rows=2
    )
    facts = _text(_("Relevant facts (Art. 90(3)(b))"))
    reasons = _text(_("Reasons for the alert (Art. 90(3)(b))"))
    other_information = _text(
        _("Other relevant information (Art. 90(3)(c))"),
        _("Including information the panel gathered on its own initiative."),
    )
    attachment = forms.FileField(label=_("Supporting document"), required=False)


class _IncidentReportFields(EclFormMixin, forms.Form):
    harm = _text(_("Resulting harm and the persons or group affected (M9.2 (2))"))
    chain_of_events = _text(_("Chain of events (M9.2 (3))"))
    model_involvement = _text(
        _("The model involved and material describing its involvement (M9.2 (4)-(5))")
    )
    response = _text(_("Your intended or actual response (M9.2 (6))"))
    recommendations = _text(_("Recommendations to the AI Office (M9.2 (7))"))
    root_cause = _text(
        _("Root cause analysis (M9.2 (8))"),
        _("Required in the final report: outputs, inputs, failed or circumvented mitigations."),
    )
    related_patterns = _text(_("Related patterns from post-market monitoring (M9.2 (9))"))
    attachment = forms.FileField(label=_("Supporting document"), required=False)

    REPORT_FIELDS = (
        "harm",
        "chain_of_events",
        "model_involvement",
        "response",
        "recommendations",
        "root_cause",
        "related_patterns",
    )

    def report(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.REPORT_FIELDS}


class IncidentForm(_IncidentReportFields):
    """The initial report of a serious incident (Code of Practice, S&S Measures 9.2-9.3)."""

    version = forms.ModelChoiceField(
        label=_("Model version"), queryset=ModelVersion.objects.none(), required=True
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    types = forms.MultipleChoiceField(
        label=_("Incident type(s)"),
        choices=IncidentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occurred_on = forms.DateField(label=_("The incident started on"), required=False, widget=_DATE)
    ended_on = forms.DateField(
        label=_("The incident ended on"),
        required=False,
        widget=_DATE,
        help_text=_("Leave empty if it has not ended; a best estimate is fine."),
    )
    aware_on = forms.DateField(
        label=_("You became aware of the model's involvement on"), required=False, widget=_DATE
    )
    causal_link_on = forms.DateField(
        label=_("You established or suspected a causal link on"), required=False, widget=_DATE
    )
    field_order = [
        "version",
        "title",
        "types",
        "occurred_on",
        "ended_on",
        "aware_on",
        "causal_link_on",
    ]

    def __init__(self, *args: Any, versions: QuerySet[ModelVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.order_fields(self.field_order)


class IncidentReportForm(_IncidentReportFields):
    """An intermediate or final report."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[
            (IncidentReportKind.INTERMEDIATE, IncidentReportKind.INTERMEDIATE.label),
            (IncidentReportKind.FINAL, IncidentReportKind.FINAL.label),
        ],
    )
    resolved_on = forms.DateField(
        label=_("The incident was resolved on"),
        required=False,
        widget=_DATE,
        help_text=_("Required with the final report."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "resolved_on"])


class WhistleblowerForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = _text(_("Your report"), rows=10)
    provider = _ProviderChoice(
        label=_("Provider concerned (optional)"), queryset=Provider.objects.none(), required=False
    )
    attachment = forms.FileField(
        label=_("Document (optional)"),
        required=False,
        help_text=_("Files can carry their author's name and other metadata: remove it first."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers()  # type: ignore[attr-defined]


class WhistleblowerKeyForm(EclFormMixin, forms.Form):
    secret = forms.CharField(
        label=_("Your secret key"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
    )


class WhistleblowerReplyForm(WhistleblowerKeyForm):
    body = _text(_("Your answer"), rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["secret"].widget = forms.HiddenInput()


# --- staff -------------------------------------------------------------------------------------


class IntakeFilterForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *IntakeKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *IntakeStatus.choices], required=False
    )


class TriageForm(EclFormMixin, forms.Form):
    note = _text(_("Triage note (for the Office only)"), rows=3)


class NotPursuedForm(EclFormMixin, forms.Form):
    reasons = _text(_("Why the report is not pursued (shown to its sender)"), rows=3)


class LinkVersionsForm(EclFormMixin, forms.Form):
    versions = IdsChoiceField(
        label=_("Model versions"),
        queryset=ModelVersion.objects.none(),
        required=False,
        widget=forms.SelectMultiple,
    )

    def __init__(self, *args: Any, versions: QuerySet[ModelVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].queryset = versions  # type: ignore[attr-defined]


class OtherIntakeForm(EclFormMixin, forms.Form):
    other = forms.CharField(
        label=_("Tracking number of the other report"), max_length=24, required=False
    )


class BoardInformedForm(EclFormMixin, forms.Form):
    informed_on = forms.DateField(
        label=_("The Board was informed on"), required=False, widget=_DATE
    )


class OfficeReplyForm(EclFormMixin, forms.Form):
    body = _text(_("Message to the reporter"), rows=5)
