"""The filters of the compliance lists (GET); they only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.monitoring.selectors import (
    OBLIGATION_TITLES,
    OBLIGATIONS,
    STATUSES,
    GapFilter,
    obligation_label,
)


class GapFilterForm(EclFormMixin, forms.Form):
    """Obligation, status, provider (staff only) and systemic risk only."""

    obligation = forms.ChoiceField(
        label=_("Obligation"),
        required=False,
        choices=[
            ("", _("Any obligation")),
            *[(o, f"{obligation_label(o)} {OBLIGATION_TITLES[o]}") for o in OBLIGATIONS],
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *STATUSES.items()]
    )
    # A number, set by the links of the table of providers: a list of every provider would
    # be thousands of options on every page.
    provider = forms.IntegerField(
        label=_("Provider number"), required=False, min_value=1, max_value=2**63 - 1
    )
    systemic_risk = forms.BooleanField(label=_("Models with systemic risk only"), required=False)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["provider"]

    def gap_filter(self) -> GapFilter:
        """The filter the form holds (nothing filtered when it is not valid)."""
        if not self.is_valid():
            return GapFilter()
        data = self.cleaned_data
        return GapFilter(
            obligation=data.get("obligation") or None,
            status=data.get("status") or None,
            provider=data.get("provider"),
            systemic_risk=bool(data.get("systemic_risk")),
        )
