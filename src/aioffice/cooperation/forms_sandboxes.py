"""Forms of the sandboxes part: they parse and check; the services write
(services_sandboxes), and a service's refusal is shown on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_sandboxes import ReportKind, SandboxLevel, SandboxStatus
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import MEMBER_STATE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"})
ANY = [("", _("Any"))]
TEXT = 20000


class SandboxFilterForm(EclFormMixin, forms.Form):
    member_state = forms.ChoiceField(
        label=_("Member State"), required=False, choices=ANY + list(MEMBER_STATE_CHOICES)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + SandboxStatus.choices
    )

    def filters(self) -> dict[str, str]:
        """The filters to apply: none for input that is not valid."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class SandboxForm(EclFormMixin, forms.Form):
    """Register a sandbox or change its record. An authority's members choose among their
    own authorities; the list's keepers among all, and they alone publish."""

    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=SandboxLevel.choices)
    member_state = forms.ChoiceField(
        label=_("Member State"),
        required=False,
        choices=[("", _("None (Union level)")), *MEMBER_STATE_CHOICES],
    )
    joint_member_states = forms.MultipleChoiceField(
        label=_("Joint with the Member States"),
        required=False,
        choices=MEMBER_STATE_CHOICES,
        help_text=_("For a joint sandbox: the other Member States (Art. 57(1))."),
    )
    operating_authority = forms.ModelChoiceField(
        label=_("Operating authority"),
        required=False,
        queryset=Authority.objects.none(),
        help_text=_("None for the Union-level sandbox, which the AI Office runs."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=SandboxStatus.choices)
    established_on = forms.DateField(label=_("Established on"), required=False, widget=DATE)
    closed_on = forms.DateField(label=_("Closed on"), required=False, widget=DATE)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, max_value=100000, help_text=_("Participants at a time.")
    )
    focus_sectors = forms.CharField(label=_("Focus sectors"), max_length=300, required=False)
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"), max_length=TEXT, required=False, widget=forms.Textarea
    )
    published = forms.BooleanField(
        label=_("Published on the AI Office's list (Art. 57(15))"), required=False
    )

    def __init__(
        self, *args: Any, authorities: QuerySet[Authority], keeper: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operating_authority"].queryset = authorities  # type: ignore[attr-defined]  # a ModelChoiceField
        if not keeper:
            del self.fields["published"]
            self.fields["level"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
                (SandboxLevel.NATIONAL.value, SandboxLevel.NATIONAL.label)
            ]


class ApplicationForm(EclFormMixin, forms.Form):
    applicant = forms.ModelChoiceField(
        label=_("Applying organisation"), queryset=Organisation.objects.none()
    )
    project = forms.CharField(label=_("Project"), max_length=200)
    system_description = forms.CharField(
        label=_("The AI system: intended purpose, what it does, stage of development"),
        max_length=TEXT,
        widget=forms.Textarea,
    )
    sme = forms.BooleanField(
        label=_("We are an SME, a start-up or a small mid-cap"),
        required=False,
        help_text=_("Participation is free for SMEs and start-ups (Art. 58(2)(d))."),
    )
    real_world_testing_planned = forms.BooleanField(
        label=_("We plan to test the system in real-world conditions in the sandbox"),
        required=False,
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = organisations  # type: ignore[attr-defined]  # a ModelChoiceField


class DecisionForm(EclFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Accept")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=TEXT, widget=forms.Textarea)


class SuspensionForm(EclFormMixin, forms.Form):
    reasons = forms.CharField(label=_("Reasons"), max_length=TEXT, widget=forms.Textarea)
    permanent = forms.BooleanField(
        label=_("End the participation (not a temporary suspension)"), required=False
    )


class ImmunityForm(EclFormMixin, forms.Form):
    followed_plan = forms.BooleanField(
        label=_("The participant observed the sandbox plan and the terms of participation"),
        required=False,
    )
    good_faith = forms.BooleanField(
        label=_("The participant followed the authority's guidance in good faith"),
        required=False,
    )


class PlanForm(EclFormMixin, forms.Form):
    objectives = forms.CharField(label=_("Objectives"), max_length=TEXT, widget=forms.Textarea)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    terms = forms.CharField(label=_("Terms and conditions"), max_length=TEXT, widget=forms.Textarea)
    safeguards = forms.CharField(label=_("Safeguards"), max_length=TEXT, widget=forms.Textarea)
    real_world_testing_included = forms.BooleanField(
        label=_("The plan includes a real-world testing plan"), required=False
    )
    real_world_testing_plan = forms.CharField(
        label=_("Real-world testing plan"), max_length=TEXT, required=False, widget=forms.Textarea
    )


class ExitReportForm(EclFormMixin, forms.Form):
    file = forms.FileField(label=_("Exit report (PDF, OpenDocument, Word or plain text)"))
    summary = forms.CharField(label=_("Summary"), max_length=TEXT, widget=forms.Textarea)
    authority_agrees_publication = forms.BooleanField(
        label=_("The authority agrees to publish it"), required=False
    )


class ConsentForm(EclFormMixin, forms.Form):
    publication = forms.BooleanField(label=_("I agree to publish the exit report"), required=False)
    access = forms.BooleanField(
        label=_("The Commission and the Board may read the exit report (Art. 57(8))"),
        required=False,
    )

    def __init__(self, *args: Any, provider: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not provider:
            del self.fields["access"]


class ReportForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    file = forms.FileField(label=_("Report (PDF, OpenDocument, Word or plain text)"))
    abstract = forms.CharField(
        label=_("Abstract (published)"), max_length=TEXT, widget=forms.Textarea
    )
