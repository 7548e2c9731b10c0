"""The drafts' forms. The services check everything again; these give labels, help and
the first errors."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_drafts import SectionKind

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def parse_document(raw: bytes, name: str = "") -> Any:
    """A structured document from JSON or YAML bytes; ValidationError on `document`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError({"document": _("The file is not UTF-8 text.")}) from None
    try:
        if name.lower().endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)  # JSON is YAML too
    except (ValueError, RecursionError, yaml.YAMLError):  # nested too deep: RecursionError
        raise ValidationError(
            {"document": _("The file is neither valid YAML nor valid JSON.")}
        ) from None


class NewDraftForm(EclFormMixin, forms.Form):
    how = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            ("copy", _("A copy of the latest version (the same sections, to edit)")),
            ("import", _("A structured document (YAML or JSON file)")),
        ],
        widget=forms.RadioSelect,
        initial="copy",
    )
    document = forms.FileField(
        label=_("Structured document"),
        required=False,
        help_text=_(
            "YAML or JSON: a title, an explanation and sections, each with key, kind, number, "
            "title, text and children (the same structure the export gives)."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to keep the document's or the previous version's title."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == "import":
            upload = data.get("document")
            if upload is None:
                self.add_error("document", _("Attach the structured document."))
            elif upload.size > MAX_DOCUMENT_BYTES:
                self.add_error("document", _("The file is larger than 2 MB."))
            else:
                try:
                    data["parsed"] = parse_document(upload.read(), upload.name or "")
                except ValidationError as exc:
                    self.add_error("document", exc.message_dict["document"])
        return data


class DraftForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    explanation = forms.CharField(
        label=_("What changed and why (the whole draft)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SectionForm(EclFormMixin, forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=80,
        help_text=_("Stays the same from one version to the next: versions are compared by it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SectionKind.choices)
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    explanation = forms.CharField(
        label=_("What changed and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    registry_chapter = forms.ChoiceField(
        label=_("Registry chapter (GPAI Code chapters only)"),
        required=False,
        choices=[
            ("", _("None")),
            ("transparency", _("Transparency")),
            ("copyright", _("Copyright")),
            ("safety_and_security", _("Safety and security")),
        ],
    )
    parent = forms.ChoiceField(label=_("Under"), required=False)
    index = forms.IntegerField(
        label=_("Place among the sections there"),
        required=False,
        min_value=1,
        help_text=_("1 for the first; leave empty for the last."),
    )

    def __init__(self, *args: Any, parents: list[tuple[str, str]], editing: bool, **kw: Any):
        super().__init__(*args, **kw)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [("", _("The top level")), *parents]
        if editing:
            self.fields["key"].disabled = True
            self.fields["key"].required = False


class PublishForm(EclFormMixin, forms.Form):
    visibility = forms.ChoiceField(label=_("Visible to"), choices=Visibility.choices)
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        help_text=_("YYYY-MM-DD; today when left empty."),
    )

    def __init__(self, *args: Any, published: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if published:
            del self.fields["published_on"]
        else:
            self.fields["published_on"].initial = timezone.now().date()
