"""The watch-list's page forms: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.registry.watchlist.choices import Band, Field, Reason
from aioffice.registry.watchlist.models import WatchlistImport


class ImportUploadForm(EclFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 text; a header row first."))
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("The dataset the figures come from.")
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=500, assume_scheme="https"
    )
    retrieved_on = forms.DateField(
        label=_("Retrieved on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MappingForm(EclFormMixin, forms.Form):
    """One choice per field of ours among the columns of the file's header."""

    def __init__(self, *args: Any, watchlist_import: WatchlistImport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("(not in the file)"))] + [(c, c) for c in watchlist_import.header]
        for value, label in Field.choices:
            self.fields[value] = forms.ChoiceField(
                label=label,
                choices=columns,
                required=False,
                initial=watchlist_import.mapping.get(value, ""),
            )
            self.fields[value].widget.attrs["class"] = "ecl-select"  # made after the mixin ran

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class RowFilterForm(EclFormMixin, forms.Form):
    band = forms.ChoiceField(
        label=_("Band on the import's day"),
        choices=[("", _("Any")), *list(Band.choices)],
        required=False,
    )
    with_errors = forms.ChoiceField(
        label=_("Cells that could not be read"),
        choices=[("", _("Any")), ("yes", _("With errors")), ("no", _("Without errors"))],
        required=False,
    )


class EntryFilterForm(EclFormMixin, forms.Form):
    import_id = forms.TypedChoiceField(label=_("Import"), coerce=int, required=False)
    on = forms.ChoiceField(
        label=_("Threshold of"),
        choices=[("today", _("Today")), ("import", _("The import's day"))],
        required=False,
    )
    reason = forms.ChoiceField(
        label=_("Why listed"), choices=[("", _("Any")), *list(Reason.choices)], required=False
    )
    band = forms.ChoiceField(
        label=_("Band"),
        choices=[("", _("Any")), (Band.ABOVE, Band.ABOVE.label), (Band.NEAR, Band.NEAR.label)],
        required=False,
    )

    def __init__(self, *args: Any, imports: list[WatchlistImport], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["import_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("The latest"))] + [(i.pk, str(i)) for i in imports]


class ManualMatchForm(EclFormMixin, forms.Form):
    """Match a row by hand: its number and the id of a model or of a version."""

    row = forms.IntegerField(label=_("Row"), min_value=1)
    model_id = forms.IntegerField(label=_("Model id"), min_value=1, required=False)
    version_id = forms.IntegerField(label=_("Version id"), min_value=1, required=False)
