"""Forms of the portal's help for the public: the filters of the practices, the directory
and the enquiry queue; the public forms (a question, a practice to share); the staff's
editing forms. They parse and check; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.portal.choices import (
    EU_LANGUAGES,
    EnquiryStatus,
    OrganisationSize,
    Sector,
    SupportKind,
)
from aioffice.portal.models_help import Enquiry, LiteracyPractice, SupportStructure
from aioffice.portal.selectors_help import member_states_by_name

ANY = [("", _("Any"))]


def _member_state_choices() -> list[tuple[str, str]]:
    return [("", str(_("Any"))), *member_states_by_name()]


class LiteracyFilterForm(EclFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words in the title, the organisation or the description."),
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=ANY + Sector.choices)
    organisation_size = forms.ChoiceField(
        label=_("Organisation size"), required=False, choices=ANY + OrganisationSize.choices
    )
    member_state = forms.ChoiceField(label=_("Member State"), required=False, choices=())
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + list(EU_LANGUAGES)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = _member_state_choices()  # type: ignore[attr-defined]  # a ChoiceField

    def filters(self) -> dict[str, str]:
        """The filters to apply: none for input that is not valid (the page says so)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class LiteracyAdminFilterForm(LiteracyFilterForm):
    """The staff's filters: also published or not."""

    state = forms.ChoiceField(
        label=_("Publication"),
        required=False,
        choices=[("", _("Any")), ("waiting", _("Not published")), ("published", _("Published"))],
    )


class SupportFilterForm(EclFormMixin, forms.Form):
    member_state = forms.ChoiceField(label=_("Member State"), required=False, choices=())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + SupportKind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = _member_state_choices()  # type: ignore[attr-defined]  # a ChoiceField

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class EnquiryFilterForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + EnquiryStatus.choices
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


def _url_field(label: Any) -> forms.URLField:
    """A web page address; one typed without a scheme is taken as https."""
    return forms.URLField(label=label, required=False, max_length=200, assume_scheme="https")


class PracticeForm(EclFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs
    """A practice's fields, for the staff and for the public's proposal (never saved by the
    form: the view hands `cleaned_data` to a service)."""

    url = _url_field(_("web page"))

    class Meta:
        model = LiteracyPractice
        fields = [
            "title",
            "organisation",
            "sector",
            "organisation_size",
            "member_state",
            "language",
            "description",
            "audience",
            "url",
        ]
        help_texts = {
            "description": _(
                "What the organisation does so that its staff, and others who operate or "
                "use AI systems for it, understand them: training, guidance, practice."
            ),
            "audience": _("For example: all staff, developers, case handlers, managers."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", "—"),
            *member_states_by_name(),
        ]


class SupportStructureForm(EclFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs
    url = _url_field(_("web page"))

    class Meta:
        model = SupportStructure
        fields = [
            "name",
            "kind",
            "member_state",
            "city",
            "operator",
            "description",
            "url",
            "email",
            "operational",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", "—"),
            *member_states_by_name(),
        ]


class EnquiryForm(EclFormMixin, forms.Form):
    """A question to the Office. The consent text names the retention period."""

    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=Enquiry._meta.get_field("name").max_length,
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The link to follow your question, and the answer, are sent there."),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=Enquiry._meta.get_field("subject").max_length
    )
    message = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=_("Do not include personal data that the question does not need."),
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"),
        choices=EU_LANGUAGES,
        help_text=_("The Office answers in any official language of the Union."),
    )
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (get_language() or settings.LANGUAGE_CODE)[:2]
        codes = {code for code, _name in EU_LANGUAGES}
        self.fields["language"].initial = current if current in codes else "en"
        self.fields["consent"].label = _(
            "I agree that the AI Office keeps my question, my name and my e-mail address to "
            "answer me, for %(days)d days after I send it; then they are deleted."
        ) % {"days": settings.PORTAL_ENQUIRY_RETENTION_DAYS}
        self.fields["consent"].error_messages["required"] = _(
            "Tick this box to send the question: the Office cannot answer without keeping it."
        )


class EnquiryAnswerForm(EclFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
        help_text=_("Sent by e-mail to the sender and shown on the question's status page."),
    )


class EnquiryCloseForm(EclFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing without answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2_000,
        help_text=_("Shown on the question's status page."),
    )
    notify = forms.BooleanField(label=_("Tell the sender by e-mail"), required=False, initial=True)
