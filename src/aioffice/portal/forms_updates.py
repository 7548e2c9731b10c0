"""Forms of the updates part: they parse; the services decide (and name the field at fault)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import Topic
from aioffice.portal.services_updates import BODY_MAX, SUBJECT_MAX


def _topics_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one topic."),
            "invalid_choice": _("Choose topics from the list."),
        },
    )


class SignupForm(forms.Form):
    """The public sign-up: an address, topics, and consent to the text shown with it."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, like name@example.org."),
        },
    )
    topics = _topics_field(_("Topics"))
    consent = forms.BooleanField(
        label=_("I agree to the consent text above"),
        error_messages={
            "required": _(
                "Tick the box to give your consent: without it we cannot send you updates."
            )
        },
    )


class TopicsForm(forms.Form):
    """A subscriber's topics, changed from their own link."""

    topics = _topics_field(_("Topics"))


class BulletinForm(forms.Form):
    """A message to subscribers, written by staff (plain text)."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX,
        error_messages={"required": _("Write a subject.")},
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text. Each subscriber's own unsubscribe link is added at the end."),
        error_messages={"required": _("Write the text of the message.")},
    )
    topics = _topics_field(_("Sent to the subscribers of"))
