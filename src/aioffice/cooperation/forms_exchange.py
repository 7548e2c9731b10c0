"""Forms of the information exchange: they parse; the services decide (errors come back on
the field through core.forms.add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.accounts.models import User
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_exchange import (
    AUTHORITY_KINDS,
    OFFICE_KINDS,
    Confidentiality,
    Institution,
    RequestKind,
)
from aioffice.core.forms import EclFormMixin

DATE = forms.DateInput(attrs={"type": "date"})


def _authorities() -> QuerySet[Authority]:
    return Authority.objects.filter(active=True, organisation__isnull=False).order_by(
        "member_state", "name"
    )


class DocumentForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality (Art. 78)"),
        choices=Confidentiality.choices,
        initial=Confidentiality.CONFIDENTIAL,
    )
    case = forms.CharField(
        label=_("Case reference (optional)"),
        max_length=24,
        required=False,
        help_text=_("The supervision case the document belongs to, if any."),
    )
    file = forms.FileField(label=_("File"))


class ShareForm(EclFormMixin, forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.none())
    reason = forms.CharField(label=_("Why it is shared"), widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["authority"]
        field.queryset = _authorities()


class RequestForm(EclFormMixin, forms.Form):
    """An authority's request (Art. 75(3), 75(2a), 88(2)) or the Office's (assistance,
    support from ECAT or the JRC): the kinds offered depend on who asks."""

    kind = forms.ChoiceField(label=_("Kind of request"))
    authority = forms.ModelChoiceField(
        label=_("Authority"), queryset=Authority.objects.none(), required=False
    )
    institution = forms.ChoiceField(
        label=_("Institution (support requests)"),
        choices=[("", "—"), *Institution.choices],
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    facts = forms.CharField(
        label=_("Reasons, facts and provisions concerned"), widget=forms.Textarea
    )
    operator_named = forms.CharField(
        label=_("Provider or deployer concerned"), max_length=200, required=False
    )
    case = forms.CharField(label=_("Case reference (optional)"), max_length=24, required=False)
    due_on = forms.DateField(
        label=_("Due on (the Office's requests)"),
        required=False,
        widget=DATE,
        help_text=_("Requests of authorities get their due date from the AI Act."),
    )

    def __init__(self, *args: Any, authorities: QuerySet[Authority], office: bool, **kw: Any):
        super().__init__(*args, **kw)
        kinds = OFFICE_KINDS if office else AUTHORITY_KINDS
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [(k.value, k.label) for k in RequestKind if k in kinds]
        authority_field: Any = self.fields["authority"]
        authority_field.queryset = authorities
        if not office:
            del self.fields["institution"]
            del self.fields["due_on"]
            del self.fields["case"]


class AssignForm(EclFormMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["officer"]
        field.queryset = (
            User.objects.filter(is_active=True, memberships__role__in=OFFICE_ROLES)
            .distinct()
            .order_by("username")
        )


ACTS_CHOICES = [("", "—"), ("yes", _("Yes, the Office acts under Art. 75a")), ("no", _("No"))]


class AnswerForm(EclFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea,
        help_text=_("For an Art. 75(2a) request the Office does not act on: the reasons."),
    )
    acts = forms.ChoiceField(
        label=_("Does the Office act? (Art. 75(2a) requests only)"),
        choices=ACTS_CHOICES,
        required=False,
    )
    answered_on = forms.DateField(label=_("Answered on"), required=False, widget=DATE)
    file = forms.FileField(label=_("File (optional)"), required=False)

    def acts_value(self) -> bool | None:
        value = self.cleaned_data.get("acts") or ""
        return None if value == "" else value == "yes"


class ReportForm(EclFormMixin, forms.Form):
    text = forms.CharField(label=_("Major developments"), widget=forms.Textarea)
    outcome = forms.BooleanField(label=_("This report gives the outcome"), required=False)
    no_confidential_information = forms.BooleanField(
        label=_("The report holds no confidential information"), required=False
    )
