"""Forms of real-world testing: registration and the steps of a test, the public filter.
They parse and check; `services_rwt` decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import RwtScope
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import MEMBER_STATE_CHOICES

POINTS = [("", _("Not an Annex III system")), *[(str(i), str(i)) for i in range(1, 9)]]
MAX_TEXT = 20000


class NoNulCharField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if isinstance(text, str) and "\x00" in text:
            raise forms.ValidationError(_("The text contains a NUL character."))
        return text


class RegisterForm(EclFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Organisation.objects.none())
    legal_representative = forms.ModelChoiceField(
        label=_("Legal representative in the Union"),
        required=False,
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.AUTHORISED_REPRESENTATIVE, established_in_union=True
        ),
        help_text=_("Required when the provider is not established in the Union."),
    )
    provider_contact = NoNulCharField(
        label=_("Provider's contact details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )
    deployers = NoNulCharField(
        label=_("Deployers involved (names and contact details)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )
    system_name = NoNulCharField(label=_("AI system"), max_length=200)
    description = NoNulCharField(
        label=_("Brief description, intended purpose and identification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=RwtScope.choices)
    annex_iii_point = forms.ChoiceField(label=_("Annex III point"), choices=POINTS, required=False)
    sensitive_context = forms.BooleanField(
        label=_("Used in law enforcement, migration, asylum or border control"), required=False
    )
    plan_summary = NoNulCharField(
        label=_("Summary of the main characteristics of the testing plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )
    member_states = forms.MultipleChoiceField(
        label=_("Member States of testing"), choices=MEMBER_STATE_CHOICES
    )
    authority = forms.ModelChoiceField(
        label=_("Market surveillance authority the plan is submitted to"),
        queryset=Authority.objects.filter(kind="market_surveillance", active=True),
    )
    plan = forms.FileField(label=_("Testing plan (PDF, ODT or DOCX)"))
    publication_consent = forms.BooleanField(
        label=_("I consent to the publication of this test's information (Art. 71(4))"),
        required=False,
    )

    def __init__(self, *args: Any, providers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers


class DecisionForm(EclFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve the plan")), ("no", _("Refuse the plan"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reasons = NoNulCharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to refuse."),
        max_length=MAX_TEXT,
    )


class ConditionsForm(EclFormMixin, forms.Form):
    transfer_safeguards = forms.BooleanField(
        label=_("Transfers to third countries only with Union-law safeguards (e)"),
        required=False,
    )
    vulnerable_protected = forms.BooleanField(
        label=_("Vulnerable subjects protected (g)"), required=False
    )
    deployers_informed = forms.BooleanField(
        label=_("Deployers informed and instructed, roles agreed in writing (h)"), required=False
    )
    informed_consent = forms.BooleanField(
        label=_("Informed consent of the subjects (i)"), required=False
    )
    oversight = forms.BooleanField(
        label=_("Effective oversight by qualified persons (j)"), required=False
    )
    reversible = forms.BooleanField(
        label=_("Outputs can be reversed and disregarded (k)"), required=False
    )


class StartForm(EclFormMixin, forms.Form):
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExtensionForm(EclFormMixin, forms.Form):
    justification = NoNulCharField(
        label=_("Justification of the extension"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )


class ReasonsForm(EclFormMixin, forms.Form):
    reasons = NoNulCharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )


class EmptyForm(EclFormMixin, forms.Form):
    pass


class OutcomeForm(EclFormMixin, forms.Form):
    outcome = NoNulCharField(
        label=_("Final outcome"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )


class ConsentForm(EclFormMixin, forms.Form):
    participants = forms.IntegerField(
        label=_("Number of participants in this batch"), min_value=1, max_value=10_000_000
    )
    recorded_on = forms.DateField(
        label=_("Recorded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nature = forms.BooleanField(
        label=_("Informed of the nature, objectives and possible inconvenience (a)"),
        required=False,
    )
    conditions = forms.BooleanField(
        label=_("Informed of the conditions and expected duration (b)"), required=False
    )
    rights = forms.BooleanField(
        label=_("Informed of their rights, including to refuse and withdraw (c)"), required=False
    )
    reversal = forms.BooleanField(
        label=_("Informed how to request reversal or disregard of outputs (d)"), required=False
    )
    identification = forms.BooleanField(
        label=_("Given the identification number and contact details (e)"), required=False
    )
    dated = forms.BooleanField(label=_("Consent dated"), required=False)
    documented = forms.BooleanField(label=_("Consent documented"), required=False)
    copy_given = forms.BooleanField(label=_("Copy given to the subject"), required=False)
    before_participation = forms.BooleanField(
        label=_("Obtained before participation"), required=False
    )


class PublicationForm(EclFormMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("I consent to the publication of this test's information (Art. 71(4))"),
        required=False,
    )


class PublicFilterForm(EclFormMixin, forms.Form):
    q = NoNulCharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the system's or provider's name, or the number."),
    )
    member_state = forms.ChoiceField(
        label=_("Member State"), required=False, choices=[("", _("Any")), *MEMBER_STATE_CHOICES]
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
