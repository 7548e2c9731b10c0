"""Forms of the AI tools: they parse; the services decide (errors come back on the field
through core.forms.add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.drafting.models_drafts import Section

OFFICE_SETTING = _("Leave empty for the Office's setting for the embedding model in use.")


class RunForm(EclFormMixin, forms.Form):
    """The thresholds of a new analysis run (empty: the Office's settings)."""

    campaign_threshold = forms.FloatField(
        label=_("Similarity at which two texts count as copies (0.5 to 1)"),
        required=False,
        help_text=OFFICE_SETTING,
    )
    campaign_min_size = forms.IntegerField(
        label=_("Distinct responses that make a campaign"), required=False, initial=3
    )
    theme_threshold = forms.FloatField(
        label=_("Similarity that joins a text to a theme (0.1 to 0.99)"),
        required=False,
        help_text=OFFICE_SETTING,
    )
    theme_min_size = forms.IntegerField(
        label=_("Smallest theme"), required=False, help_text=OFFICE_SETTING
    )


class SearchForm(EclFormMixin, forms.Form):
    q = forms.CharField(label=_("Search the feedback by meaning"), max_length=500)


class SectionSummaryForm(EclFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())

    def __init__(self, *args: Any, sections: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sections is not None:
            field = self.fields["section"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = sections
