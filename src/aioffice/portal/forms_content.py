"""Forms of the portal's content: the public filters of the guidance library and the news,
and the staff forms that edit guidance and news. They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.portal.choices import EU_LANGUAGES, GuidanceKind, Topic
from aioffice.portal.selectors_content import LANGUAGE_NAMES


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class GuidanceFilterForm(EclFormMixin, forms.Form):
    q = forms.CharField(label=_("Search titles and summaries"), required=False, max_length=200)
    meaning = forms.BooleanField(
        label=_("Search by meaning, the closest first"),
        required=False,
        help_text=_("Finds documents that say the same in other words."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(_("All kinds")) + list(GuidanceKind.choices)
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=_any(_("All topics")) + list(Topic.choices)
    )
    language = forms.ChoiceField(
        label=_("Available in"),
        required=False,
        choices=_any(_("Any language")) + list(EU_LANGUAGES),
    )


class NewsFilterForm(EclFormMixin, forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=_any(_("All topics")) + list(Topic.choices)
    )


# --- staff: guidance ---------------------------------------------------------------------------


class GuidanceDocumentForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences in plain language: what the document is for, for whom."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=GuidanceKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)


class GuidanceDocumentCreateForm(GuidanceDocumentForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        help_text=_(
            "The last part of the page's address, e.g. gpai-guidelines: lower-case letters, "
            "digits and hyphens. It never changes once the document exists."
        ),
    )
    field_order = ["slug", "title", "summary", "kind", "topic"]


def _file_help() -> str:
    limit = settings.DOCUMENTATION_MAX_UPLOAD_BYTES
    return str(
        _("%(types)s; at most %(size)s MiB.")
        % {
            "types": ", ".join(settings.DOCUMENTATION_CONTENT_TYPES),
            "size": f"{limit / (1024 * 1024):g}",
        }
    )


class GuidanceVersionForm(EclFormMixin, forms.Form):
    """A version with one file field for each language of the site and one more for any
    other official language."""

    number = forms.CharField(
        label=_("Version number"), max_length=20, help_text=_("For example 1.0 or 2025-1.")
    )
    published_on = forms.DateField(
        label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required from the second version on."),
    )
    other_language = forms.ChoiceField(
        label=_("Another official language"),
        required=False,
        choices=_any(_("None")) + list(EU_LANGUAGES),
    )
    other_file = forms.FileField(label=_("File in that language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.now().date()
        site = [code for code, _name in settings.LANGUAGES]
        for code in site:
            self.fields[f"file_{code}"] = forms.FileField(
                label=_("File: %(language)s") % {"language": LANGUAGE_NAMES.get(code, code)},
                required=False,
                help_text=_file_help(),
            )
        self.fields["other_file"].help_text = _file_help()
        self.site_languages = site
        self.order_fields(
            ["number", "published_on", "change_note"]
            + [f"file_{c}" for c in site]
            + ["other_language", "other_file"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other, other_file = data.get("other_language"), data.get("other_file")
        if other_file and not other:
            self.add_error("other_language", _("Choose the language of this file."))
        if other and not other_file:
            self.add_error("other_file", _("Choose the file in this language."))
        if other and other in self.site_languages and data.get(f"file_{other}"):
            self.add_error("other_language", _("This language has its own field above."))
        if not self.files_by_language(data) and not self.errors:
            # next to the first file field, where the reader starts
            self.add_error(
                f"file_{self.site_languages[0]}", _("Add the file in at least one language.")
            )
        return data

    def files_by_language(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data if data is None else data
        files = {c: data[f"file_{c}"] for c in self.site_languages if data.get(f"file_{c}")}
        if data.get("other_language") and data.get("other_file"):
            files[data["other_language"]] = data["other_file"]
        return files


class GuidanceFileForm(EclFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=EU_LANGUAGES)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


# --- staff: news -------------------------------------------------------------------------------


class NewsItemForm(EclFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=EU_LANGUAGES, initial="en")
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in lists, on the home page and in the feed."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)


class NewsItemCreateForm(NewsItemForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        help_text=_(
            "The last part of the page's address: lower-case letters, digits and hyphens. "
            "It never changes once the item exists."
        ),
    )
    field_order = ["slug", "language", "title", "summary", "body", "topic"]


class NewsPublishForm(EclFormMixin, forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publish at (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Leave empty to publish now; a later time schedules the item."),
    )
