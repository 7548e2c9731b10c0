"""Forms of the EU database: the search, a registration per section (its points from
`models_database.POINTS`), a status change, a withdrawal. They parse; the services check
the points against aiact's list and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from aioffice.cooperation.models_database import (
    ANNEX_III_POINTS,
    POINTS,
    EntryState,
    Section,
    SystemStatus,
)
from aioffice.cooperation.selectors_database import Filters
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import MEMBER_STATE_NAMES

ANY: list[tuple[str, StrOrPromise]] = [("", _("Any"))]
NO_NUL = RegexValidator(r"^[^\x00]*$", _("The text holds a NUL character."))


def _member_states() -> list[tuple[str, StrOrPromise]]:
    return sorted(((c, str(n)) for c, n in MEMBER_STATE_NAMES.items()), key=lambda x: x[1])


class SearchForm(EclFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        validators=[NO_NUL],
        help_text=_(
            "Words in the provider's or deployer's name, trade name, reference or intended purpose."
        ),
    )
    section = forms.ChoiceField(
        label=_("Section"), required=False, choices=[*ANY, *Section.choices]
    )
    annex_iii_point = forms.ChoiceField(
        label=_("Annex III area"), required=False, choices=ANY + ANNEX_III_POINTS
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[*ANY, *SystemStatus.choices]
    )
    member_state = forms.ChoiceField(label=_("Member State"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = ANY + _member_states()  # type: ignore[attr-defined]  # a ChoiceField

    def filters(self) -> Filters:
        """The search to run: none for input that is not valid (the page says so)."""
        if not self.is_valid():
            return Filters()
        return Filters(**{k: v for k, v in self.cleaned_data.items() if v})

    def query(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class AdminSearchForm(SearchForm):
    state = forms.ChoiceField(label=_("Entry"), required=False, choices=[*ANY, *EntryState.choices])


class RegistrationForm(EclFormMixin, forms.Form):
    """The points of one section; which of them are entered is aiact's answer, checked by
    the service (a point the secure section does not take is refused on its field)."""

    def __init__(
        self, *args: Any, section: str, organisations: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["organisation"] = forms.TypedChoiceField(
            label=_("Registering for"), choices=organisations, coerce=int
        )
        if section != Section.IX:
            self.fields["annex_iii_point"] = forms.ChoiceField(
                label=_("Annex III area"),
                choices=ANNEX_III_POINTS,
                help_text=_(
                    "Systems of point 2 (critical infrastructure) are registered at national level."
                ),
            )
        else:
            self.fields["annex_iii_point"] = forms.ChoiceField(
                label=_("Annex III area"), choices=ANY + ANNEX_III_POINTS, required=False
            )
        self.fields["sensitive_context"] = forms.BooleanField(
            label=_("Used in law enforcement, migration, asylum or border control"),
            required=False,
            help_text=_(
                "Entries of Annex III points 1, 6 and 7 in these areas go to the "
                "secure non-public section, with fewer points (Art. 49(4))."
            ),
        )
        if section == Section.IX:
            self.fields["publication_consent"] = forms.BooleanField(
                label=_("I agree that the test's information is published"), required=False
            )
        for spec in POINTS[section]:
            label = f"{spec.label} ({_('point')} {spec.point})"
            if spec.kind == "file":
                self.fields[spec.key] = forms.FileField(label=label, required=False)
            elif spec.key == "member_states":
                self.fields[spec.key] = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=_member_states(),
                    widget=forms.SelectMultiple(attrs={"size": 6}),
                )
            elif spec.key == "status":
                self.fields[spec.key] = forms.ChoiceField(
                    label=label, required=False, choices=[*ANY, *SystemStatus.choices]
                )
            elif spec.kind == "url":
                self.fields[spec.key] = forms.URLField(
                    label=label,
                    required=False,
                    max_length=500,
                    validators=[NO_NUL],
                    assume_scheme="https",
                )
            elif spec.key in ("intended_purpose", "components", "information_and_logic") or (
                spec.key.endswith("_summary") or spec.key in ("testing_plan", "suspension")
            ):
                self.fields[spec.key] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    validators=[NO_NUL],
                )
            else:
                self.fields[spec.key] = forms.CharField(
                    label=label, required=False, max_length=500, validators=[NO_NUL]
                )

    def point_keys(self) -> list[str]:
        return [spec.key for spec in POINTS[self.section] if spec.kind != "file"]

    def file_keys(self) -> list[str]:
        return [spec.key for spec in POINTS[self.section] if spec.kind == "file"]


class StatusForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SystemStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        validators=[NO_NUL],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(EclFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Why the entry is withdrawn"),
        max_length=2000,
        validators=[NO_NUL],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
