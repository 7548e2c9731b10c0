"""The case pages' forms: they only parse; the services (services_cases) decide what the law
asks of each step, and their errors are shown next to the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind
from aioffice.accounts.models import Organisation, User
from aioffice.core.forms import EclFormMixin
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision.choices import (
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    Culpability,
    DecisionKind,
    EvaluationGround,
    FineGround,
    IntakeStatus,
    MeasureKind,
    MeasureStatus,
    RfiLegalBasis,
    TeamRole,
)
from aioffice.supervision.fields import IdsChoiceField
from aioffice.supervision.models import (
    Art92Evaluation,
    Case,
    CaseShare,
    Commitment,
    Decision,
    DialogueMeeting,
    Document,
    Intake,
    Measure,
    PreliminaryFindings,
)

# The factors Art. 101(1) second subparagraph has the Commission weigh in fixing a fine
# (FINE-02; the keys are aiact's FINE_FACTORS): each recorded in its own words.
FINE_FACTORS: tuple[tuple[str, Any], ...] = (
    ("nature", _("Nature of the infringement")),
    ("gravity", _("Gravity of the infringement")),
    ("duration", _("Duration of the infringement")),
    ("proportionality", _("Proportionality and appropriateness")),
    (
        "commitments",
        _("Commitments made under Art. 93(3) or in codes of practice under Art. 56"),
    ),
)

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


def _date(label: Any, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _text(label: Any, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=TEXT, help_text=help_text)


LATE_HELP = _("Today unless entered late; never a future date.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the answer to a request, with its documents)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CaseFilterForm(EclFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *CaseStatus.choices], required=False
    )
    origin = forms.ChoiceField(
        label=_("Origin"), choices=[("", _("Any")), *CaseOrigin.choices], required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.select_related("organisation").order_by("organisation__name"),
        required=False,
        empty_label=_("Any"),
    )


class CaseForm(EclFormMixin, forms.Form):
    """A new case: its subject, origin and the reports it comes from."""

    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.select_related("organisation").order_by("organisation__name"),
    )
    versions = IdsChoiceField(
        label=_("Model versions concerned"),
        queryset=ModelVersion.objects.select_related("model__provider__organisation").order_by(
            "model__name", "label"
        ),
        required=False,
        help_text=_("Versions of the provider's models; the service refuses others."),
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=CaseOrigin.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _text(_("Summary"), required=False)
    intakes = IdsChoiceField(
        label=_("Reports it comes from"),
        queryset=Intake.objects.exclude(status=IntakeStatus.MERGED).order_by("-received_at"),
        required=False,
    )
    opened_on = _date(_("Opened on"), help_text=LATE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].label_from_instance = _version_label  # type: ignore[attr-defined]
        self.fields["intakes"].label_from_instance = _intake_label  # type: ignore[attr-defined]


def _version_label(version: ModelVersion) -> str:
    return f"{version.model.provider.organisation.name} — {version.model.name} {version.label}"


def _intake_label(intake: Intake) -> str:
    return f"{intake.tracking_number} — {intake.title}"


# --- steps in a case -------------------------------------------------------------------


class StepForm(EclFormMixin, forms.Form):
    """A step's form, bound to its case (choices limited to the case's rows)."""

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)


class TeamAddForm(StepForm):
    user = forms.ModelChoiceField(label=_("Member of staff"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__role__in=OFFICE_ROLES)
            .exclude(case_memberships__case=self.case)
            .distinct()
            .order_by("username")
        )


class TeamRemoveForm(StepForm):
    user = forms.ModelChoiceField(label=_("Member of the team"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            case_memberships__case=self.case
        ).order_by("username")


class ShareForm(StepForm):
    authority = forms.ModelChoiceField(
        label=_("National authority"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.NATIONAL_AUTHORITY).order_by(
            "name"
        ),
    )
    reason = _text(_("Why it is shared"))


class ShareRevokeForm(StepForm):
    share = forms.ModelChoiceField(label=_("Share"), queryset=CaseShare.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = CaseShare.objects.filter(  # type: ignore[attr-defined]
            case=self.case, revoked_at__isnull=True
        ).select_related("authority")
        self.fields["share"].label_from_instance = lambda s: s.authority.name  # type: ignore[attr-defined]


class LinkIntakeForm(StepForm):
    intake = forms.ModelChoiceField(label=_("Report"), queryset=Intake.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intake"].queryset = (  # type: ignore[attr-defined]
            Intake.objects.exclude(status=IntakeStatus.MERGED)
            .exclude(cases=self.case)
            .order_by("-received_at")
        )
        self.fields["intake"].label_from_instance = _intake_label  # type: ignore[attr-defined]


class RfiForm(StepForm):
    """Art. 91(4): legal basis, purpose, information required, time limit, fines notice."""

    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=RfiLegalBasis.choices)
    purpose = _text(_("Purpose of the request"))
    information_required = _text(_("Information required"))
    time_limit_days = forms.IntegerField(label=_("Time limit (days)"), min_value=1, max_value=365)
    fines_notice = _text(
        _("Notice of the fines of Art. 101 for incorrect, incomplete or misleading information")
    )
    panel_request = _text(
        _("The scientific panel's substantiated request (Art. 91(3))"), required=False
    )
    sent_on = _date(_("Sent on"), help_text=LATE_HELP)


class DialogueForm(StepForm):
    held_on = _date(_("Held on"), required=True)
    purpose = _text(_("Purpose"))
    attendees = _text(_("Attendees"))
    notes = _text(_("Notes"))


class EvaluationForm(StepForm):
    ground = forms.ChoiceField(label=_("Ground (Art. 92(1))"), choices=EvaluationGround.choices)
    board_consulted_on = _date(_("Board consulted on"), required=True)
    board_consultation = _text(_("How the Board was consulted"))
    opened_on = _date(_("Opened on"), help_text=LATE_HELP)


class _EvaluationStepForm(StepForm):
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation"), queryset=Art92Evaluation.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Art92Evaluation.objects.filter(  # type: ignore[attr-defined]
            case=self.case
        )


class AccessRequestForm(_EvaluationStepForm):
    """Art. 92(3)-(4): the access request and its contents."""

    legal_basis = _text(_("Legal basis"))
    purpose = _text(_("Purpose"))
    reasons = _text(_("Reasons"))
    means = _text(_("Access requested (APIs, source code ...)"))
    time_limit_days = forms.IntegerField(label=_("Time limit (days)"), min_value=1, max_value=365)
    fines_notice = _text(_("Notice of the fines of Art. 101"))
    requested_on = _date(_("Requested on"), help_text=LATE_HELP)


class AccessGrantedForm(_EvaluationStepForm):
    granted_on = _date(_("Access granted on"), help_text=LATE_HELP)


class ExpertForm(_EvaluationStepForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    from_scientific_panel = forms.BooleanField(
        label=_("Member of the scientific panel"), required=False
    )
    declaration_of_interests = _text(_("Declaration of interests"))
    declared_on = _date(_("Declared on"), required=True)
    conflict_of_interest = forms.BooleanField(
        label=_("The declaration shows a conflict of interest"), required=False
    )
    appointed_on = _date(_("Appointed on"), help_text=LATE_HELP)


class LinkRunForm(_EvaluationStepForm):
    run = forms.ModelChoiceField(label=_("Evaluation run"), queryset=EvaluationRun.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (  # type: ignore[attr-defined]
            EvaluationRun.objects.filter(version__in=self.case.versions.all())
            .select_related("version__model")
            .order_by("-id")
        )
        self.fields["run"].label_from_instance = _run_label  # type: ignore[attr-defined]


def _run_label(run: EvaluationRun) -> str:
    return f"#{run.pk} {run.version.model.name} {run.version.label} ({run.status})"


class EvaluationFindingsForm(_EvaluationStepForm):
    findings = _text(_("Findings"))
    serious_concern = forms.BooleanField(
        label=_("Shows serious and substantiated concern of Union-level systemic risk"),
        required=False,
    )


class CommitmentsForm(StepForm):
    meeting = forms.ModelChoiceField(
        label=_("Dialogue meeting"), queryset=DialogueMeeting.objects.none()
    )
    text = _text(_("Commitments"))
    offered_on = _date(_("Offered on"), help_text=LATE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = DialogueMeeting.objects.filter(  # type: ignore[attr-defined]
            case=self.case
        )


class FindingsForm(StepForm):
    """The right to be heard: at least ten working days unless urgency with its grounds."""

    findings = _text(_("Preliminary findings"))
    measures_considered = _text(_("Measures or decision considered"))
    answer_by = _date(_("Observations due by"), required=True)
    urgent = forms.BooleanField(label=_("Urgency"), required=False)
    urgency_grounds = _text(_("Grounds of urgency"), required=False)
    sent_on = _date(_("Sent on"), help_text=LATE_HELP)


class MeasureForm(StepForm):
    kind = forms.ChoiceField(label=_("Measure (Art. 93(1))"), choices=MeasureKind.choices)
    description = _text(_("What the provider must do"))
    grounds = _text(_("Grounds"))
    due_on = _date(_("To be implemented by"), required=True)
    evaluation = forms.ModelChoiceField(
        label=_("Evaluation it rests on"), queryset=Art92Evaluation.objects.none(), required=False
    )
    requested_on = _date(_("Requested on"), help_text=LATE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = Art92Evaluation.objects.filter(  # type: ignore[attr-defined]
            case=self.case
        )


class MeasureFollowUpForm(StepForm):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    follow_up = _text(_("Follow-up"))
    followed_up_on = _date(_("Followed up on"), help_text=LATE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(case=self.case)  # type: ignore[attr-defined]


class DecisionForm(StepForm):
    """A reasoned decision; a fine decision also has the terms of Art. 101."""

    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    reasons = _text(_("Reasons"))
    remedies = _text(_("Remedies and time limits"))
    findings = forms.ModelChoiceField(
        label=_("Preliminary findings it follows"),
        queryset=PreliminaryFindings.objects.none(),
        required=False,
    )
    measures = IdsChoiceField(
        label=_("Measures it imposes"), queryset=Measure.objects.none(), required=False
    )
    commitment = forms.ModelChoiceField(
        label=_("Commitments it makes binding"),
        queryset=Commitment.objects.none(),
        required=False,
    )
    adopted_on = _date(_("Adopted on"), help_text=LATE_HELP)
    fine_ground = forms.ChoiceField(
        label=_("Fine: ground (Art. 101(1))"),
        choices=[("", "—"), *FineGround.choices],
        required=False,
    )
    fine_culpability = forms.ChoiceField(
        label=_("Fine: intentionally or negligently"),
        choices=[("", "—"), *Culpability.choices],
        required=False,
    )
    turnover_eur = forms.DecimalField(
        label=_("Fine: total worldwide annual turnover of the preceding financial year (EUR)"),
        min_value=0,
        max_digits=20,
        decimal_places=2,
        required=False,
    )
    turnover_year = forms.IntegerField(
        label=_("Fine: financial year of that turnover"),
        min_value=2000,
        max_value=2100,
        required=False,
    )
    amount_eur = forms.DecimalField(
        label=_("Fine: amount (EUR)"), min_value=0, max_digits=20, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = PreliminaryFindings.objects.filter(case=self.case)  # type: ignore[attr-defined]
        self.fields["measures"].queryset = Measure.objects.filter(case=self.case)  # type: ignore[attr-defined]
        self.fields["commitment"].queryset = Commitment.objects.filter(  # type: ignore[attr-defined]
            case=self.case, decision__isnull=True
        )
        for name, label in FINE_FACTORS:
            self.fields[f"factor_{name}"] = _text(
                _("Fine, factor weighed: %(factor)s") % {"factor": label}, required=False
            )

    def is_fine(self) -> bool:
        return bool(self.cleaned_data.get("kind") == DecisionKind.FINE)

    def factors(self) -> dict[str, str]:
        return {
            name: str(self.cleaned_data.get(f"factor_{name}") or "").strip()
            for name, _label in FINE_FACTORS
            if str(self.cleaned_data.get(f"factor_{name}") or "").strip()
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DecisionKind.FINE:
            for name in ("fine_ground", "fine_culpability", "turnover_eur", "turnover_year"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("A fine decision states this."))
            if data.get("amount_eur") in (None, ""):
                self.add_error("amount_eur", _("A fine decision states this."))
        return data


class NotifyForm(StepForm):
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none())
    notified_on = _date(_("Notified on"), help_text=LATE_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
            case=self.case, notified_on__isnull=True
        )


class DocumentForm(StepForm):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    visible_to_provider = forms.BooleanField(label=_("The provider may see it"), required=False)
    supersedes = forms.ModelChoiceField(
        label=_("New version of"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            case=self.case, superseded_by__isnull=True
        )


class CloseForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    reasons = _text(_("Reasons"))
    closed_on = _date(_("Closed on"), help_text=LATE_HELP)


# --- the provider's side ------------------------------------------------------------------


class RfiAnswerForm(EclFormMixin, forms.Form):
    answer = _text(_("Your answer"))
    documents = MultipleFileField(label=_("Documents"), required=False)
    answered_on = _date(_("Answered on"), help_text=LATE_HELP)

    def uploads(self) -> Sequence[UploadedFile]:
        return list(self.cleaned_data.get("documents") or [])


class ObservationsForm(EclFormMixin, forms.Form):
    observations = _text(_("Your observations"))
    observed_on = _date(_("Sent on"), help_text=LATE_HELP)
