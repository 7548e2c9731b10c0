"""Forms of the authorities directory: the filters of the public directory and the staff's
list, a designation's editing form, and recording a resource report. They parse and
check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.selectors_authorities import member_states_by_name
from aioffice.core.forms import EclFormMixin

ANY = [("", _("Any"))]


class DirectoryFilterForm(EclFormMixin, forms.Form):
    member_state = forms.ChoiceField(label=_("Member State"), required=False, choices=())
    kind = forms.ChoiceField(
        label=_("Designated as"), required=False, choices=ANY + AuthorityKind.choices
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=ANY + AuthoritySector.choices
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the authority's name or tasks."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", str(_("Any"))),
            *member_states_by_name(),
        ]

    def filters(self) -> dict[str, str]:
        """The filters to apply: none for input that is not valid (the page says so)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class StaffFilterForm(DirectoryFilterForm):
    state = forms.ChoiceField(
        label=_("Designation"),
        required=False,
        choices=[("", _("Any")), ("active", _("Designated")), ("ended", _("Ended"))],
    )


class AuthorityForm(EclFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs
    """A designation's fields (never saved by the form: the view hands `cleaned_data` to a
    service)."""

    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )
    contact_published_on = forms.DateField(
        label=_("contact details published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Authority
        fields = [
            "member_state",
            "name",
            "kind",
            "sector",
            "tasks",
            "email",
            "phone",
            "website",
            "address",
            "contact_published_on",
            "organisation",
        ]
        help_texts = {
            "organisation": _(
                "The organisation of kind national authority whose members act for this "
                "authority in aioffice (one organisation per authority)."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", "—"),
            *member_states_by_name(),
        ]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            kind=OrganisationKind.NATIONAL_AUTHORITY
        ).order_by("name")
        self.fields["organisation"].required = False

    def validate_unique(self) -> None:
        """The service checks the directory's constraints and names the field."""

    def _post_clean(self) -> None:
        """No model validation here: the service validates (one place for the rules)."""


class ResourceReportForm(EclFormMixin, forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=_("Report due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the report the Member State owes now."),
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, ODT, ODS, DOCX, XLSX, TXT or CSV."))
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=5000, widget=forms.Textarea
    )
