"""The registry: GPAI providers and their representatives, models, versions and the
assessments of each version by `aiact`.

Numbers: parameter and token counts are exact integers. FLOP values (training compute, a
modification's compute, an accelerator's peak FLOP/s) are floats: they reach 1e27, past
any integer column, and the Guidelines ask for two significant figures where a double
keeps fifteen. Ratios and percentages are decimals. No money is stored here.
"""

from __future__ import annotations

import json
import zlib
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.registry.choices import (
    EU_MEMBER_STATES,
    ComputeMethod,
    DecisionKind,
    LawSelection,
    NotificationStatus,
    NotificationTrigger,
    SystemicRiskStatus,
)


class Provider(models.Model):
    """A provider of general-purpose AI models (Art. 3(3)), as the registry knows it.

    One per organisation of kind "GPAI model provider". `lacks_representative` is raised
    when the last current mandate of a provider established outside the Union ends by
    termination (Art. 54(5)); appointing a representative lowers it.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="gpai_provider"
    )
    lacks_representative = models.BooleanField(
        _("lacks an authorised representative"), default=False
    )
    lacks_representative_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lacks_representative=False, lacks_representative_since__isnull=True)
                | Q(lacks_representative=True, lacks_representative_since__isnull=False),
                name="registry_provider_lacks_representative_since",
                violation_error_message=_(
                    "A provider lacking a representative records since when, and only then."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name


def _mandate_path(instance: AuthorisedRepresentative, filename: str) -> str:
    return f"registry/mandates/{timezone.now():%Y/%m}/{filename}"


class AuthorisedRepresentative(models.Model):
    """The written mandate by which a provider established outside the Union appoints a
    representative established in the Union (Art. 54(1)-(3)).

    The mandate document is stored with its SHA-256 and size, computed on upload. The
    representative terminates the mandate with reasons when the provider acts contrary to
    its obligations (Art. 54(5)).
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="mandates")
    representative = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="representative_mandates"
    )
    mandate_document = models.FileField(_("mandate document"), upload_to=_mandate_path)
    mandate_sha256 = models.CharField(max_length=64, editable=False)
    mandate_size = models.PositiveBigIntegerField(editable=False)
    union_country = models.CharField(
        _("Member State of establishment"),
        max_length=2,
        choices=[(code, code) for code in EU_MEMBER_STATES],
    )
    tasks = models.JSONField(_("tasks covered"), default=list)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    termination_reasons = models.TextField(_("reasons for termination"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="registry_mandate_end_after_start",
                violation_error_message=_("A mandate cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_at__isnull=True) | ~Q(termination_reasons=""),
                name="registry_mandate_termination_has_reasons",
                violation_error_message=_("A terminated mandate states the reasons (Art. 54(5))."),
            ),
            models.CheckConstraint(
                condition=Q(mandate_sha256__regex=r"^[0-9a-f]{64}$"),
                name="registry_mandate_sha256",
                violation_error_message=_("The mandate's SHA-256 must be 64 hexadecimal digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} for {self.provider} from {self.start}"

    def is_current_on(self, day: date) -> bool:
        if self.terminated_at is not None:
            return False
        if self.start > day:
            return False
        return self.end is None or self.end >= day


def current_mandates(day: date) -> Q:
    """The mandates in force on `day`: started, not ended, not terminated."""
    return Q(terminated_at__isnull=True, start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


class GPAIModel(models.Model):
    """A general-purpose AI model (Art. 3(63)) of one provider; its facts live in versions."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(_("name"), max_length=200)
    public_description = models.TextField(_("public description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "GPAI model"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"],
                name="registry_model_unique_name_per_provider",
                violation_error_message=_("This provider already has a model of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ModelVersion(models.Model):
    """One version of a GPAI model, with the facts `aiact` needs to classify it.

    `current_assessment` points at the latest `Assessment` of the version; only the
    services move it (and `systemic_risk_status`, its copy), in the transaction that stores
    the assessment. `public_fields` lists
    the facts (`choices.PublicField`) shown on the public list; none by default.
    """

    model = models.ForeignKey(GPAIModel, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("version"), max_length=100)
    placed_on_market = models.DateField(_("placed on the market"), null=True, blank=True)
    generates = models.JSONField(_("modalities generated"), default=list, blank=True)
    parameters = models.PositiveBigIntegerField(_("parameters"), null=True, blank=True)
    training_tokens = models.PositiveBigIntegerField(_("training tokens"), null=True, blank=True)
    # FLOP: a float (see the module docstring).
    training_compute_flop = models.FloatField(_("training compute (FLOP)"), null=True, blank=True)
    compute_method = models.CharField(
        _("compute estimation method"), max_length=20, choices=ComputeMethod.choices, blank=True
    )
    compute_gpu_hours = models.DecimalField(
        _("accelerator hours"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    # FLOP/s per accelerator: a float (see the module docstring).
    compute_peak_flops = models.FloatField(_("peak FLOP/s per accelerator"), null=True, blank=True)
    compute_utilisation = models.DecimalField(
        _("utilisation"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    compute_uncertainty_percent = models.DecimalField(
        _("uncertainty (± %)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    compute_assumptions = models.TextField(_("estimation assumptions"), blank=True)
    open_source = models.JSONField(
        _("open-source licence facts"),
        null=True,
        blank=True,
        help_text=_("As aiact's open_source input: rights, restrictions, monetised, …"),
    )
    modifies = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="modifications",
        null=True,
        blank=True,
        verbose_name=_("modifies"),
    )
    # FLOP: a float (see the module docstring).
    modification_compute_flop = models.FloatField(
        _("compute of the modification (FLOP)"), null=True, blank=True
    )
    eu_business_users = models.PositiveIntegerField(
        _("registered business users in the Union"), null=True, blank=True
    )
    eu_end_users = models.PositiveBigIntegerField(
        _("registered end users in the Union"), null=True, blank=True
    )
    reach_counted_on = models.DateField(_("users counted on"), null=True, blank=True)
    distribution_channels = models.JSONField(_("distribution channels"), default=list, blank=True)
    public_fields = models.JSONField(_("public fields"), default=list, blank=True)
    current_assessment = models.ForeignKey(
        "Assessment",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    # A copy of the current assessment's status, moved with `current_assessment` by the
    # services, so that lists filter and count versions by status without reading the
    # assessments (docs/design/registry.md, "Performance"). None before the first one.
    systemic_risk_status = models.CharField(  # noqa: DJ001  (None: not assessed yet, as the API says)
        max_length=30, choices=SystemicRiskStatus.choices, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["model__name", "label", "id"]
        indexes = [
            # The version list by status, newest first; the public list by status.
            models.Index(fields=["systemic_risk_status", "-id"], name="registry_version_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "label"],
                name="registry_version_unique_label",
                violation_error_message=_("This model already has a version with this label."),
            ),
            models.CheckConstraint(
                condition=Q(eu_business_users__isnull=True, eu_end_users__isnull=True)
                | Q(reach_counted_on__isnull=False),
                name="registry_version_reach_has_date",
                violation_error_message=_("Give the date on which the users were counted."),
            ),
            models.CheckConstraint(
                condition=~Q(compute_method=ComputeMethod.REPORTED)
                | Q(training_compute_flop__isnull=False),
                name="registry_version_reported_compute",
                violation_error_message=_("Reported compute needs the training compute."),
            ),
            models.CheckConstraint(
                condition=~Q(compute_method=ComputeMethod.SIX_PD)
                | Q(parameters__isnull=False, training_tokens__isnull=False),
                name="registry_version_six_pd_inputs",
                violation_error_message=_("6·P·D needs the parameters and the training tokens."),
            ),
            models.CheckConstraint(
                condition=~Q(compute_method=ComputeMethod.HARDWARE)
                | Q(
                    compute_gpu_hours__isnull=False,
                    compute_peak_flops__isnull=False,
                    compute_utilisation__isnull=False,
                ),
                name="registry_version_hardware_inputs",
                violation_error_message=_(
                    "A hardware estimate needs accelerator hours, peak FLOP/s and utilisation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(compute_utilisation__isnull=True)
                | Q(compute_utilisation__gt=0, compute_utilisation__lte=1),
                name="registry_version_utilisation_ratio",
                violation_error_message=_("Utilisation is a ratio above 0 and at most 1."),
            ),
            models.CheckConstraint(
                condition=Q(modification_compute_flop__isnull=True) | Q(modifies__isnull=False),
                name="registry_version_modification_compute_needs_original",
                violation_error_message=_(
                    "The compute of a modification needs the model it modifies."
                ),
            ),
            models.CheckConstraint(
                condition=Q(modifies__isnull=True) | ~Q(modifies=F("id")),
                name="registry_version_not_modifying_itself",
                violation_error_message=_("A version cannot modify itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model.name} {self.label}"


# The stored answer: aiact's JSON as compact UTF-8 text, compressed with zlib (level 3).
# About 17 kB of text becomes about 2.8 kB; level 3 costs about 0.1 ms a snapshot.
ANSWER_COMPRESSION_LEVEL = 3


def encode_answer(answer: Any) -> bytes:
    """aiact's answer as stored: compact JSON text (keys in aiact's order), zlib-compressed."""
    text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
    return zlib.compress(text.encode(), ANSWER_COMPRESSION_LEVEL)


def decode_answer(stored: bytes | memoryview) -> Any:
    """The answer exactly as aiact gave it (zlib checks the bytes with its Adler-32)."""
    return json.loads(zlib.decompress(bytes(stored)))


class CompressedJSONField(models.BinaryField):  # type: ignore[type-arg]  # any JSON value
    """A JSON value stored as zlib-compressed JSON text (`encode_answer`), read back as the
    value. Unlike a JSON column it cannot be queried inside: for what lists never filter on,
    such as aiact's full answer. Numbers come back exactly as written, on every database."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else decode_answer(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):  # a serialised fixture (`value_to_string`)
            return json.loads(value)
        if isinstance(value, bytes | memoryview):
            return decode_answer(value)
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or isinstance(value, bytes | memoryview):
            return super().get_db_prep_value(value, connection, prepared)
        return super().get_db_prep_value(encode_answer(value), connection, prepared)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))


class Assessment(models.Model):
    """A snapshot of `aiact`'s answer for one version: the facts sent, the answer, the
    rules version and law selection, and when. Never changed after it is stored.

    The answer (about 17 kB of JSON with every reason and citation) is stored compressed
    (`CompressedJSONField`) and read back whole; lists defer it (docs/design/registry.md,
    "Performance"). A few values are copied out of the answer
    into columns for lists and for comparing outcomes: whether it is a GPAI model, the
    systemic-risk status, the training compute used, and each obligation's status.
    """

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="assessments")
    facts = models.JSONField(editable=False)
    facts_hash = models.CharField(max_length=64, editable=False)
    result = CompressedJSONField(editable=False)  # aiact's to_json(), compressed
    rules_version = models.CharField(max_length=64, editable=False)
    law = models.CharField(max_length=20, choices=LawSelection.choices, editable=False)
    as_of = models.DateField(editable=False)
    computed_at = models.DateTimeField(default=timezone.now, editable=False)
    gpai = models.CharField(max_length=20, editable=False)  # "true", "false", "not_in_force"
    systemic_risk_status = models.CharField(
        max_length=30, choices=SystemicRiskStatus.choices, db_index=True, editable=False
    )
    # FLOP: a float (see the module docstring).
    training_compute_flop = models.FloatField(null=True, editable=False)
    obligations = models.JSONField(default=dict, editable=False)  # {id: status}

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["version", "-computed_at"], name="registry_assess_version")]

    def __str__(self) -> str:
        return f"assessment #{self.pk} of version {self.version_id}: {self.systemic_risk_status}"

    def outcome(self) -> dict[str, Any]:
        """What a reassessment compares: classification and each obligation's status."""
        return {
            "gpai": self.gpai,
            "systemic_risk_status": self.systemic_risk_status,
            "obligations": self.obligations,
        }


class Notification(models.Model):
    """A provider's notification under Art. 52(1), with its optional Art. 52(2) arguments.

    `aiact_check` is aiact's answer on receipt (`check_notification(...).to_json()` without the
    free text); `due`, `late` and `compute_flop_2sf` are copied out of it for lists.
    The tracking number is made by `services.notification_submit` in its transaction.
    """

    tracking_number = models.CharField("tracking number", max_length=20, unique=True)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="notifications")
    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="notifications"
    )
    trigger = models.CharField("trigger", max_length=40, choices=NotificationTrigger.choices)
    # FLOP: a float (see the module docstring).
    compute_flop = models.FloatField("training compute (FLOP)", null=True, blank=True)
    estimation_method = models.TextField("estimation method", blank=True)
    assumptions = models.TextField("assumptions", blank=True)
    uncertainty = models.CharField("uncertainty", max_length=200, blank=True)
    trigger_date = models.DateField("trigger date", null=True, blank=True)
    modified_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="modified model version",
    )
    # FLOP: a float (see the module docstring).
    modification_compute_flop = models.FloatField(
        "compute of the modification (FLOP)", null=True, blank=True
    )
    arguments_text = models.TextField("arguments (Art. 52(2))", blank=True)
    arguments_grounds = models.JSONField("grounds of the arguments", default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_on = models.DateField(editable=False)
    status = models.CharField(
        max_length=30,
        choices=NotificationStatus.choices,
        default=NotificationStatus.SUBMITTED,
        db_index=True,
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    aiact_check = models.JSONField(editable=False, default=dict)
    due = models.DateField(null=True, editable=False)
    late = models.BooleanField(default=False, editable=False)
    compute_flop_2sf = models.CharField(max_length=20, blank=True, editable=False)
    withdrawn_on = models.DateField("withdrawn on", null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    withdrawal_reasons = models.TextField("reasons for the withdrawal", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def has_arguments(self) -> bool:
        return bool(self.arguments_grounds)


def _evidence_path(instance: NotificationDocument, filename: str) -> str:
    return f"registry/notifications/{timezone.now():%Y/%m}/{filename}"


class NotificationDocument(models.Model):
    """Evidence for the Art. 52(2) arguments, stored with its SHA-256 and size."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="documents"
    )
    document = models.FileField("document", upload_to=_evidence_path)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    # Set when the document answers a request for more information.
    information_request = models.ForeignKey(
        "InformationRequest",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.document.name)


class Hearing(models.Model):
    """The right to be heard before a rejection (Art. 94, Reg. 2019/1020 Art. 18(3)): the
    draft decision sent to the provider and the end of the period aiact's clock gives."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="hearings"
    )
    draft_kind = models.CharField(max_length=40, choices=DecisionKind.choices)
    draft_reasons = models.TextField("draft reasons")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    opened_on = models.DateField("opened on")
    ends_on = models.DateField("period ends on")

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"hearing on {self.notification} to {self.ends_on}"


class Decision(models.Model):
    """A Commission decision under Art. 52(3)-(5) on a version (and the notification it
    answers, if any). Every decision is a fact of the version for aiact."""

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="decisions")
    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True
    )
    kind = models.CharField("decision", max_length=40, choices=DecisionKind.choices)
    annex_xiii = models.JSONField("Annex XIII criteria", default=dict, blank=True)
    # the capability evaluations on record that an Annex XIII designation cites under
    # criterion (e): key, label, detail, url and SHA-256 of each, as they were when decided
    evidence = models.JSONField("evidence cited", default=list, blank=True)
    reasons = models.TextField("reasons")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    decided_on = models.DateField("decided on")
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True
    )
    # The Art. 52(5) request this decision answers, if any.
    reassessment_request = models.OneToOneField(
        "ReassessmentRequest",
        on_delete=models.PROTECT,
        related_name="decision",
        null=True,
        blank=True,
    )
    # aiact's assessment of the version as of the decision, stored in the decision's
    # transaction: the facts the decision rests on, aiact's reasons and citations, the rules
    # version. Empty only for decisions recorded before this link existed.
    assessment = models.ForeignKey(
        "Assessment",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reasons=""),
                name="registry_decision_has_reasons",
                violation_error_message="A decision states its reasons.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.decided_on}"


class ReassessmentRequest(models.Model):
    """A provider's reasoned request to reassess a designation (Art. 52(5))."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="reassessment_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    requested_on = models.DateField("requested on")
    reasons = models.TextField("new reasons")
    earliest = models.DateField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"reassessment request for version {self.version_id} on {self.requested_on}"


class InformationRequest(models.Model):
    """The Office asks the notifying provider for more information, by a date it sets.

    An answer after `due_on` is accepted and flagged `late`; documents sent with the
    answer are the notification's documents pointing here.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="information_requests"
    )
    questions = models.TextField("questions")
    due_on = models.DateField("answer due on", db_index=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    asked_on = models.DateField("asked on")
    asked_at = models.DateTimeField(default=timezone.now, editable=False)
    answer = models.TextField("answer", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_on = models.DateField("answered on", null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField("answered late", default=False)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(questions=""),
                name="registry_information_request_has_questions",
                violation_error_message="A request for information states its questions.",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | ~Q(answer=""),
                name="registry_information_request_answer_has_text",
                violation_error_message="An answer has a text.",
            ),
        ]

    def __str__(self) -> str:
        return f"information request on {self.notification_id} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    def overdue_on(self, day: date) -> bool:
        """Still unanswered after its due date."""
        return self.answered_on is None and day > self.due_on


def _letter_path(instance: DecisionLetter, filename: str) -> str:
    return f"registry/letters/{timezone.now():%Y/%m}/{filename}"


class DecisionLetter(models.Model):
    """The letter that notifies a decision, generated in the decision's transaction
    (`registry.letters`): a self-contained, printable HTML document."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    document = models.FileField("letter", upload_to=_letter_path)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    generated_at = models.DateTimeField(default=timezone.now, editable=False)
    rules_version = models.CharField(max_length=100, editable=False)

    def __str__(self) -> str:
        return f"letter for decision {self.decision_id}"
