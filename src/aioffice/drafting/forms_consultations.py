"""Forms of consultations: they parse; the services decide (errors come back on the field
through core.forms.add_service_errors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.drafting.choices import StakeholderCategory
from aioffice.drafting.models_consultations import Audience, Confidentiality, Position
from aioffice.drafting.models_drafts import Section
from aioffice.drafting.models_projects import WorkingGroup
from aioffice.drafting.services_consultations import Item, Respondent

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
POSITION_CHOICES = [("", _("No view on this section")), *Position.choices]
GENERAL = "general"


class ConsultationForm(EclFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    introduction = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    audience = forms.ChoiceField(
        label=_("Open to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    working_groups = forms.ModelMultipleChoiceField(
        label=_("Working groups consulted"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a working-group consultation: their current members answer."),
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=DATETIME,
        help_text=_("Nothing is accepted from this moment on, whatever the channel."),
    )

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["working_groups"]
        field.queryset = groups if groups is not None else WorkingGroup.objects.none()


class RespondForm(EclFormMixin, forms.Form):
    """Who answers, then one position, comment and proposed wording per section and a
    general comment. `website` is a honeypot: people do not see it, robots fill it."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation (if you answer for one)"), max_length=300, required=False
    )
    category = forms.ChoiceField(
        label=_("You answer as"), choices=[("", "—"), *StakeholderCategory.choices]
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "We send a link to confirm it. It is never published; the Office uses it only "
            "about this consultation."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Publication of your response"),
        choices=Confidentiality.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "After the consultation closes, the Office publishes the responses: with your "
            "name and organisation, without them, or not at all (then only the Office and "
            "the chairs read it). Your e-mail address is never published."
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        sections: Sequence[Section] = (),
        email_required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.email_field_required = email_required
        self.fields["email"].required = email_required
        self.section_rows: list[tuple[str, Section | None]] = []
        for section in [*sections, None]:
            key = str(section.pk) if section is not None else GENERAL
            self.fields[f"s{key}-position"] = forms.ChoiceField(
                label=_("Your position"), choices=POSITION_CHOICES, required=False
            )
            self.fields[f"s{key}-comment"] = forms.CharField(
                label=_("Comment"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=20000,
            )
            self.fields[f"s{key}-wording"] = forms.CharField(
                label=_("Proposed wording"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=20000,
            )
            self.section_rows.append((key, section))
        # EclFormMixin gave its classes in super().__init__; the fields added since need them
        for name, field in self.fields.items():
            if name.startswith("s") and "class" not in field.widget.attrs:
                css = "ecl-select" if isinstance(field.widget, forms.Select) else "ecl-text-area"
                field.widget.attrs["class"] = css

    def respondent_fields(self) -> list[Any]:
        return [self[name] for name in ("name", "organisation", "category", "email")]

    def section_fields(self) -> list[tuple[Section | None, list[Any]]]:
        return [
            (
                section,
                [self[f"s{key}-position"], self[f"s{key}-comment"], self[f"s{key}-wording"]],
            )
            for key, section in self.section_rows
        ]

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def respondent(self) -> Respondent:
        data = self.cleaned_data
        return Respondent(
            name=data["name"],
            organisation=data["organisation"],
            category=data["category"],
            email=data["email"],
            confidentiality=data["confidentiality"],
        )

    def items(self) -> list[Item]:
        data = self.cleaned_data
        found: list[Item] = []
        for key, section in self.section_rows:
            position = data.get(f"s{key}-position") or ""
            comment = data.get(f"s{key}-comment") or ""
            wording = data.get(f"s{key}-wording") or ""
            if not position and (comment.strip() or wording.strip()):
                position = Position.COMMENT
            if not position:
                continue
            found.append(
                Item(
                    section=section.pk if section is not None else None,
                    position=position,
                    comment=comment,
                    proposed_wording=wording,
                )
            )
        return found

    @staticmethod
    def initial_from(response: Any) -> dict[str, Any]:
        """The form's initial values from a respondent's own response (to edit it)."""
        initial: dict[str, Any] = {
            "name": response.name,
            "organisation": response.organisation_name,
            "category": response.category,
            "email": response.email,
            "confidentiality": response.confidentiality,
        }
        for item in response.items.all():
            key = str(item.section_id) if item.section_id is not None else GENERAL
            initial[f"s{key}-position"] = item.position
            initial[f"s{key}-comment"] = item.comment
            initial[f"s{key}-wording"] = item.proposed_wording
        return initial


class FeedbackFilterForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), required=False)
    position = forms.ChoiceField(
        label=_("Position"), choices=[("", _("All")), *Position.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All")), *StakeholderCategory.choices],
        required=False,
    )
    confidentiality = forms.ChoiceField(
        label=_("Publication"),
        choices=[("", _("All")), *Confidentiality.choices],
        required=False,
    )
    q = forms.CharField(label=_("Text"), max_length=200, required=False)

    def __init__(self, *args: Any, sections: Sequence[Section] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["section"]
        field.choices = [
            ("", _("All")),
            (GENERAL, _("General comments")),
            *[(str(s.pk), f"{s.number} {s.title}".strip()) for s in sections],
        ]
        for name, item in self.fields.items():
            css = "ecl-select" if isinstance(item.widget, forms.Select) else "ecl-text-input"
            item.widget.attrs["class"] = css
            item.widget.attrs["id"] = f"filter-{name}"


class ImportForm(EclFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: respondent, name, organisation, category, email, confidentiality, "
            "section (its key; empty for a general comment), position, comment, "
            "proposed_wording. Rows with the same respondent form one response."
        ),
    )
