"""The forms of the projects pages (the services check; the forms only carry)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.drafting.choices import (
    MEMBER_CATEGORIES,
    LegalBasis,
    ProjectKind,
    ProjectStatus,
    Visibility,
)
from aioffice.drafting.models_projects import DeclarationOutcome, MeetingKind, RoleKind


class ProjectForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the title when left empty."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    citation = forms.CharField(label=_("Provision"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    public = forms.BooleanField(label=_("Shown on the public pages"), required=False)
    gpai_code = forms.BooleanField(label=_("This is the GPAI Code of Practice"), required=False)


class ProjectEditForm(ProjectForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["slug"]


class StatusForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in ProjectStatus.choices if v != ProjectStatus.ADOPTED],
    )


class RoleForm(EclFormMixin, forms.Form):
    user = forms.CharField(label=_("Username or e-mail"), max_length=254)
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    working_group = forms.TypedChoiceField(
        label=_("Working group (vice-chairs of one group)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=300, required=False)
    independence_statement = forms.CharField(
        label=_("Statement of independence"), widget=forms.Textarea, required=False
    )
    appointed_on = forms.DateField(label=_("Appointed on (YYYY-MM-DD)"), required=False)

    def __init__(self, *args: object, groups: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["working_group"]
        field.choices = [("", _("The whole project")), *groups]  # type: ignore[attr-defined]


class GroupForm(EclFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(label=_("Mandate"), widget=forms.Textarea, required=False)


class MemberForm(EclFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=MEMBER_CATEGORIES)
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("The user's name if empty.")
    )
    user = forms.CharField(
        label=_("Username or e-mail (if they sign in here)"), max_length=254, required=False
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    admitted_on = forms.DateField(label=_("Admitted on (YYYY-MM-DD)"), required=False)


class DeclarationForm(EclFormMixin, forms.Form):
    interests = forms.CharField(label=_("Interests declared"), widget=forms.Textarea)
    file = forms.FileField(label=_("Signed declaration (optional)"), required=False)


class ReviewForm(EclFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (v, label) for v, label in DeclarationOutcome.choices if v != DeclarationOutcome.PENDING
        ],
    )
    review_note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class MeetingForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at (YYYY-MM-DD HH:MM)"))
    ends_at = forms.DateTimeField(label=_("Ends at (YYYY-MM-DD HH:MM)"), required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    working_group = forms.TypedChoiceField(
        label=_("Working group"), coerce=int, required=False, empty_value=None
    )
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: object, groups: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["working_group"]
        field.choices = [("", _("None (all groups)")), *groups]  # type: ignore[attr-defined]


class DocumentForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.CharField(label=_("Language (two letters)"), max_length=2, initial="en")
    file = forms.FileField(label=_("File"))
