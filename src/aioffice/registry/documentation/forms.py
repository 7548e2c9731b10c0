"""The page forms of documentation: one form class built from a document type's schema.

Forms only parse: every field is optional here (a draft may be partial); the schema's
checks run in `services.submission_save_draft`, and its errors come back next to the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.documentation.choices import FieldType
from aioffice.registry.documentation.doctypes import DocField, DocType


def _label(f: DocField) -> str:
    required = " *" if f.required else ""
    return f"{f.label} ({f.answers}){required}"


def _form_field(f: DocField) -> forms.Field:
    common: dict[str, Any] = {"label": _label(f), "help_text": f.help, "required": False}
    if f.type == FieldType.NUMBER:
        return forms.CharField(max_length=60, **common)  # "3.8e25": parsed by the service
    if f.type == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if f.type == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in f.choices]], **common)
    if f.type == FieldType.LIST:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if f.type == FieldType.FILE:
        accept = ",".join(f.content_types)
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": accept}), **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)


class DocumentFormBase(EclFormMixin, forms.Form):
    doctype: DocType

    def initial_from(self, content: dict[str, Any]) -> None:
        for f in self.doctype.fields:
            value = content.get(f.key)
            if value is None or f.type == FieldType.FILE:
                continue
            self.initial[f.key] = "\n".join(value) if f.type == FieldType.LIST else value

    def content(self) -> dict[str, Any]:
        """The answers by field key, files left out (they are attachments)."""
        out: dict[str, Any] = {}
        for f in self.doctype.fields:
            if f.type == FieldType.FILE:
                continue
            value = self.cleaned_data.get(f.key)
            if value not in (None, ""):
                out[f.key] = value
        return out

    def uploads(self) -> list[tuple[str, Any]]:
        return [
            (f.key, self.cleaned_data[f.key])
            for f in self.doctype.file_fields
            if self.cleaned_data.get(f.key)
        ]


def form_for(doctype: DocType) -> type[DocumentFormBase]:
    """One Django form class for a document type, its fields in the schema's order."""
    attrs: dict[str, Any] = {f.key: _form_field(f) for f in doctype.fields}
    attrs["doctype"] = doctype
    name = "".join(part.title() for part in doctype.type.split("_")) + "Form"
    return type(name, (DocumentFormBase,), attrs)


class AnnexXIIRequestForm(EclFormMixin, forms.Form):
    message = forms.CharField(
        label=_("What do you need, and for which AI system?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AnswerForm(EclFormMixin, forms.Form):
    submission = forms.TypedChoiceField(label=_("Annex XII document"), coerce=int)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, documents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = documents  # type: ignore[attr-defined]


class TrainingSummarySearchForm(EclFormMixin, forms.Form):
    """The search of the public index of training-content summaries (GET)."""

    q = forms.CharField(
        label=_("Provider or model"),
        help_text=_("Part of the provider's or the model's name."),
        max_length=200,
        required=False,
    )
