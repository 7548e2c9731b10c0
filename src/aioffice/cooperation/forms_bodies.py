"""Forms of the Board and the advisory bodies: they parse and check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.choices import (
    Adoption,
    BodyDocumentKind,
    BodyKind,
    ForumCategory,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
)
from aioffice.cooperation.models_bodies import Body
from aioffice.core.forms import EclFormMixin
from aioffice.registry.choices import MEMBER_STATE_CHOICES

NONE = [("", _("None"))]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_("NUL characters are not allowed."))
    return value


class Text(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [_no_nul])
        super().__init__(**kwargs)


class BodyForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = Text(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Sub-group of"), queryset=Body.objects.none(), required=False
    )
    standing = forms.BooleanField(label=_("Standing sub-group of the Board"), required=False)
    description = Text(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Body.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            kind__in=[BodyKind.BOARD, BodyKind.ADVISORY_FORUM]
        )


class MemberForm(EclFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices)
    person_name = Text(label=_("Name"), max_length=200)
    member_state = forms.ChoiceField(
        label=_("Member State"), choices=NONE + MEMBER_STATE_CHOICES, required=False
    )
    organisation = Text(label=_("Organisation"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Category (forum)"), choices=NONE + ForumCategory.choices, required=False
    )
    commercial = forms.NullBooleanField(
        label=_("Commercial interest (forum)"),
        required=False,
        widget=forms.Select(choices=[("", _("Not said")), ("true", _("Yes")), ("false", _("No"))]),
    )
    expertise = Text(label=_("Expertise (panel)"), max_length=300, required=False)
    nationality = Text(label=_("Nationality (panel, country code)"), max_length=2, required=False)
    gender = Text(label=_("Gender (optional, totals only)"), max_length=20, required=False)
    term_start = forms.DateField(
        label=_("Term starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Board representatives, forum members and co-chairs: the end follows."),
    )
    declaration = Text(
        label=_("Declaration of interests (public)"), required=False, widget=forms.Textarea
    )
    username = Text(
        label=_("aioffice account (username)"),
        max_length=150,
        required=False,
        help_text=_("A member with an account updates their own declaration of interests."),
    )


class DeclarationForm(EclFormMixin, forms.Form):
    declaration = Text(label=_("Declaration of interests (public)"), widget=forms.Textarea)


class MeetingForm(EclFormMixin, forms.Form):
    title = Text(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = Text(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    published = forms.BooleanField(label=_("Published"), required=False)


class MeetingStatusForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    published = forms.BooleanField(label=_("Published"), required=False)


class AgendaItemForm(EclFormMixin, forms.Form):
    title = Text(label=_("Agenda item"), max_length=300)
    description = Text(label=_("Description"), required=False, widget=forms.Textarea)


class MinutesForm(EclFormMixin, forms.Form):
    minutes = Text(label=_("Minutes"), widget=forms.Textarea)
    status = forms.ChoiceField(
        label=_("Minutes are"),
        choices=[
            (MinutesStatus.DRAFT, MinutesStatus.DRAFT.label),
            (MinutesStatus.APPROVED, MinutesStatus.APPROVED.label),
        ],
    )
    published = forms.BooleanField(label=_("Published"), required=False)


class DocumentForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyDocumentKind.choices)
    title = Text(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))
    public = forms.BooleanField(label=_("Public"), required=False)


class OpinionForm(EclFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OpinionKind.choices)
    subject = Text(label=_("Subject"), max_length=300)
    text = Text(label=_("Text"), required=False, widget=forms.Textarea)
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    adoption = forms.ChoiceField(label=_("Adopted"), choices=Adoption.choices)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    majority_numerator = forms.IntegerField(
        label=_("Majority required: numerator"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_(
            "Only for a vote whose majority the law does not set: the majority for the "
            "Board's rules of procedure comes from the law (Art. 65(4))."
        ),
    )
    majority_denominator = forms.IntegerField(
        label=_("Majority required: denominator"), min_value=1, max_value=1000, required=False
    )
    majority_citation = Text(
        label=_("Provision requiring the majority"), max_length=200, required=False
    )
    entitled_to_vote = forms.IntegerField(
        label=_("Number entitled to vote"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_(
            "For the Board's rules of procedure: the Member State representatives entitled to vote."
        ),
    )
    alert = forms.IntegerField(
        label=_("Qualified alert (intake number, Art. 66(n))"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
    )
    published = forms.BooleanField(label=_("Published"), required=False)
