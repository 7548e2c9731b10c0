"""Forms of adoption and after; the services check the rules, these the shape of the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.models_bodies import Opinion
from aioffice.core.forms import EclFormMixin
from aioffice.drafting.models_adoption import Outcome
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.portal.choices import EU_LANGUAGES
from aioffice.registry.models import Provider

DATE = forms.DateInput(attrs={"type": "date"})


class AdoptForm(EclFormMixin, forms.Form):
    draft = forms.ModelChoiceField(
        label=_("Version adopted"),
        queryset=Draft.objects.none(),
        help_text=_("A published version; it becomes the final text."),
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, drafts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["draft"]
        field.queryset = drafts


class OpeningForm(EclFormMixin, forms.Form):
    opens_on = forms.DateField(label=_("Open for signature from"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on (optional)"), widget=DATE, required=False)
    report_every_months = forms.IntegerField(
        label=_("Signatories report every (months)"),
        min_value=1,
        max_value=60,
        help_text=_(
            "Art. 56(5): signatories report regularly on the measures they take and their "
            "outcomes, proportionately to their size. The Act sets no rhythm: the Office "
            "chooses it for this code."
        ),
    )
    first_report_due = forms.DateField(
        label=_("First report due on"),
        widget=DATE,
        help_text=_("Later reports fall due every period after this date."),
    )


class SignForm(EclFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Sign for"), queryset=Provider.objects.none())
    chapters = forms.ModelMultipleChoiceField(
        label=_("Chapters"), queryset=Section.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, providers: Any, chapters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider: Any = self.fields["provider"]
        provider.queryset = providers
        chapter: Any = self.fields["chapters"]
        chapter.queryset = chapters


class RecordSignatureForm(SignForm):
    signed_on = forms.DateField(label=_("Signed on (date on the paper)"), widget=DATE)


class WithdrawForm(EclFormMixin, forms.Form):
    reasons = forms.CharField(label=_("Reasons for the withdrawal"), widget=forms.Textarea)


class AssessmentForm(EclFormMixin, forms.Form):
    draft = forms.ModelChoiceField(label=_("Version assessed"), queryset=Draft.objects.none())
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    covers = forms.CharField(
        label=_("Provisions covered (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Left empty: the provisions the rules name for this code."),
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea)
    board_opinion = forms.ModelChoiceField(
        label=_("The Board's opinion"),
        queryset=Opinion.objects.none(),
        required=False,
        help_text=_("Required where the rules say the Board's opinion must be on record."),
    )
    board_opinion_note = forms.CharField(
        label=_("How the Board's opinion was taken into account"),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, drafts: Any, opinions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draft: Any = self.fields["draft"]
        draft.queryset = drafts
        opinion: Any = self.fields["board_opinion"]
        opinion.queryset = opinions

    def clean_covers(self) -> list[str]:
        text: str = self.cleaned_data.get("covers") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class LibraryForm(EclFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Version number in the library"), max_length=20, required=False
    )
    change_note = forms.CharField(
        label=_("What changed (from the second version on)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in EU_LANGUAGES:
            self.fields[f"file_{code}"] = forms.FileField(label=name, required=False)

    def files_by_language(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data[f"file_{code}"]
            for code, _name in EU_LANGUAGES
            if self.cleaned_data.get(f"file_{code}")
        }


class ReportForm(EclFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label=_("Report for"), queryset=Provider.objects.none())
    narrative = forms.CharField(label=_("Measures taken and their outcomes"), widget=forms.Textarea)
    file = forms.FileField(label=_("Report file (optional)"), required=False)

    def __init__(self, *args: Any, providers: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider: Any = self.fields["provider"]
        provider.queryset = providers
        self.indicators = list(indicators)
        for kpi in self.indicators:
            self.fields[f"kpi_{kpi.pk}"] = forms.CharField(
                label=f"{kpi.number} {kpi.title}".strip(), max_length=200
            )
            self.fields[f"note_{kpi.pk}"] = forms.CharField(
                label=_("Note on %(indicator)s") % {"indicator": kpi.number or kpi.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def values(self) -> dict[int, str]:
        return {k.pk: self.cleaned_data.get(f"kpi_{k.pk}", "") for k in self.indicators}

    def notes(self) -> dict[int, str]:
        return {k.pk: self.cleaned_data.get(f"note_{k.pk}", "") for k in self.indicators}
