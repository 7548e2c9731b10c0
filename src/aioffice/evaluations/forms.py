"""The evaluation pages' forms: they only parse; the services decide (bounds, which fields a
kind of target needs, which tasks a run may have), and their errors are shown next to the
field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aioffice.core.forms import EclFormMixin
from aioffice.core.schemas import MAX_ID
from aioffice.evaluations.choices import RunStatus, TargetKind
from aioffice.evaluations.models import EvaluationTarget
from gpai_evals.catalogue import CATALOGUE, SUITES, Offline, RiskArea

# gpai_evals has no Django and no translations: the words the pages show for its values.
RISK_AREA_LABELS: dict[str, Any] = {
    RiskArea.CBRN: _("CBRN"),
    RiskArea.CYBER_OFFENCE: _("Cyber offence"),
    RiskArea.HARMFUL_MANIPULATION: _("Harmful manipulation"),
    RiskArea.LOSS_OF_CONTROL: _("Loss of control"),
    RiskArea.GENERAL_CAPABILITY: _("General capability"),
    RiskArea.SAFEGUARDS: _("Safeguards"),
}
OFFLINE_LABELS: dict[str, Any] = {
    Offline.READY: _("Runs offline"),
    Offline.LOCAL_DATA: _("Offline with a local copy of the data"),
    Offline.NO: _("Needs a network or a sandbox"),
}
ENDPOINT_KINDS = (TargetKind.OPENAI_COMPATIBLE, TargetKind.VLLM)


def _plain_checkboxes(field: forms.Field) -> None:
    """Django's checkbox list is a kind of radio list, so EclFormMixin gives it ECL's radio
    class, which hides the native box without drawing ECL's: keep it a plain box (as
    registry.forms.NotificationForm does)."""
    field.widget.attrs["class"] = "aio-checkbox"


class CatalogueFilterForm(EclFormMixin, forms.Form):
    risk_area = forms.ChoiceField(
        label=_("Risk area"),
        choices=[("", _("Any")), *RISK_AREA_LABELS.items()],
        required=False,
    )


class TargetForm(EclFormMixin, forms.Form):
    """A new target of a model version. Each kind uses some of the fields; the service says
    which one is missing or does not belong."""

    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("Letters, digits, hyphens and underscores; runs and the CLI use it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TargetKind.choices)
    base_url = forms.CharField(
        label=_("Base URL"),
        max_length=500,
        required=False,
        help_text=_("Endpoints only: the address before /chat/completions, e.g. …/v1."),
    )
    model_name = forms.CharField(
        label=_("Model name"),
        max_length=200,
        required=False,
        help_text=_("Endpoints: the model the server serves (needed). Others: optional."),
    )
    api_key = forms.CharField(
        label=_("API key"),
        max_length=4000,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Endpoints only. Stored encrypted; never shown again, only its last four."),
    )
    model_path = forms.CharField(
        label=_("Model directory"),
        max_length=500,
        required=False,
        help_text=_("Local Transformers only: an absolute path on the worker's machine."),
    )
    mock_answer = forms.CharField(
        label=_("Mock answer"),
        max_length=2000,
        required=False,
        help_text=_("Mock model only: the text it answers to every prompt (default ANSWER: A)."),
    )

    FIELDSETS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("Target"), ("name", "kind")),
        (
            _("OpenAI-compatible endpoint or vLLM server"),
            ("base_url", "model_name", "api_key"),
        ),
        (_("Local Transformers directory"), ("model_path",)),
        (_("Inspect mock model"), ("mock_answer",)),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mock_answer") and data.get("kind") != TargetKind.MOCK:
            self.add_error("mock_answer", _("Only a mock target takes an answer."))
        return data

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def target_data(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = self.cleaned_data
        answer = data.get("mock_answer") or ""
        return {
            "name": data["name"],
            "kind": data["kind"],
            "base_url": data.get("base_url") or "",
            "model_name": data.get("model_name") or "",
            "model_path": data.get("model_path") or "",
            "api_key": data.get("api_key") or "",
            "model_args": {"answer": answer} if answer else None,
        }


class TargetKeyForm(EclFormMixin, forms.Form):
    """Replace an endpoint target's API key, or remove it (the button pressed says which)."""

    api_key = forms.CharField(
        label=_("New API key"),
        max_length=4000,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        choices=[("set", _("Set")), ("remove", _("Remove"))], widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "set" and not data.get("api_key"):
            self.add_error("api_key", _("Enter the new key, or remove the key."))
        return data

    def new_key(self) -> str:
        return "" if self.cleaned_data["action"] == "remove" else self.cleaned_data["api_key"]


def task_choices() -> list[tuple[str, str]]:
    """Every catalogue task, with its risk area and whether it runs offline."""
    return [
        (
            entry.name,
            f"{entry.name} — {RISK_AREA_LABELS[entry.risk_area]} — {OFFLINE_LABELS[entry.offline]}"
            + (f" — {_('needs a second model')}" if entry.roles else ""),
        )
        for entry in CATALOGUE
    ]


class RunForm(EclFormMixin, forms.Form):
    """Queue a run of a version through one of its targets."""

    target = forms.ModelChoiceField(label=_("Target"), queryset=EvaluationTarget.objects.none())
    suite = forms.ChoiceField(label=_("Suite"), required=False)
    tasks = forms.MultipleChoiceField(
        label=_("Tasks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A suite, tasks, or both: the run takes each task once."),
    )
    epochs = forms.IntegerField(label=_("Epochs"), initial=1)
    temperature = forms.FloatField(label=_("Temperature"), required=False)
    max_tokens = forms.IntegerField(label=_("Maximum output tokens"), required=False)
    token_limit = forms.IntegerField(label=_("Token limit per sample"), required=False)
    time_limit = forms.IntegerField(label=_("Time limit per sample (seconds)"), required=False)
    seed = forms.IntegerField(label=_("Seed"), required=False)
    max_connections = forms.IntegerField(label=_("Concurrency"), initial=8)
    sample_limit = forms.IntegerField(
        label=_("Samples per task"),
        required=False,
        help_text=_("Leave empty for every sample of each task."),
    )
    notes = forms.CharField(
        label=_("Purpose and notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, targets: QuerySet[EvaluationTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.queryset = targets
        suite: Any = self.fields["suite"]
        suite.choices = [("", _("(none)"))] + [
            (name, f"{name} ({', '.join(names)})") for name, names in SUITES.items()
        ]
        tasks: Any = self.fields["tasks"]
        tasks.choices = task_choices()
        _plain_checkboxes(tasks)

    def run_data(self) -> dict[str, Any]:
        """The service's keyword arguments (the target separately)."""
        data = dict(self.cleaned_data)
        data.pop("target")
        data["suite"] = data.get("suite") or None
        return data


class RunFilterForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *RunStatus.choices], required=False
    )
    version = forms.IntegerField(
        label=_("Model version id"), min_value=1, max_value=MAX_ID, required=False
    )
