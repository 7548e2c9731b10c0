"""Every change to the registry goes through these functions; each writes the audit trail.

Legal questions are `aiact`'s: a version's facts are checked by `aiact.ModelFacts.from_json`
and classified by `aiact.assess_model`; nothing here compares a threshold or a date.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from aiact import (
    ConflictError,
    InputError,
    Law,
    ModelAssessment,
    assess_model,
    check_notification,
    evaluate,
    load_law,
)
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Membership, Organisation
from aioffice.core import audit
from aioffice.core.dates import step_date
from aioffice.core.files import digest_upload
from aioffice.core.permissions import may_take_art52_decisions
from aioffice.registry import letters
from aioffice.registry.choices import (
    ANNEX_XIII_CRITERIA,
    PUBLIC_LIST_STATUSES,
    ComputeMethod,
    DecisionKind,
    DistributionChannel,
    LawSelection,
    MandateTask,
    NotificationStatus,
    PublicField,
)
from aioffice.registry.evidence import CapabilityEvidence
from aioffice.registry.models import (
    Assessment,
    AuthorisedRepresentative,
    Decision,
    GPAIModel,
    Hearing,
    InformationRequest,
    ModelVersion,
    Notification,
    NotificationDocument,
    Provider,
    ReassessmentRequest,
    current_mandates,
)
from aioffice.registry.selectors import (
    check_facts,
    facts_hash,
    procedures_of,
    version_facts,
    version_field_of,
)

# --- providers and representatives -----------------------------------------------------------


def provider_register(*, actor: Any, organisation: Organisation) -> Provider:
    """Enter an organisation of kind "GPAI model provider" in the registry."""
    if organisation.kind != OrganisationKind.GPAI_PROVIDER:
        raise ValidationError(
            {"organisation": f"{organisation.name} is not a GPAI model provider organisation."}
        )
    provider = Provider(organisation=organisation)
    provider.full_clean()
    with transaction.atomic():
        provider.save()
        audit.record(
            actor=actor,
            action="registry.provider.registered",
            obj=provider,
            after={"organisation": organisation.name},
        )
    return provider


def _mandate_data(mandate: AuthorisedRepresentative) -> dict[str, Any]:
    return {
        "provider": str(mandate.provider),
        "representative": str(mandate.representative),
        "union_country": mandate.union_country,
        "tasks": list(mandate.tasks),
        "start": mandate.start,
        "end": mandate.end,
        "mandate_sha256": mandate.mandate_sha256,
        "mandate_size": mandate.mandate_size,
        "terminated_at": mandate.terminated_at,
        "termination_reasons": mandate.termination_reasons,
    }


def _set_lacks_representative(*, actor: Any, provider: Provider, lacking: bool, why: str) -> None:
    if provider.lacks_representative == lacking:
        return
    before = {"lacks_representative": provider.lacks_representative}
    provider.lacks_representative = lacking
    provider.lacks_representative_since = timezone.now() if lacking else None
    provider.save(update_fields=["lacks_representative", "lacks_representative_since"])
    audit.record(
        actor=actor,
        action="registry.provider.representative_lacking"
        if lacking
        else "registry.provider.representative_restored",
        obj=provider,
        before=before,
        after={"lacks_representative": lacking, "why": why},
    )


def representative_appoint(
    *,
    actor: Any,
    provider: Provider,
    representative: Organisation,
    document: File,  # type: ignore[type-arg]  # any content
    union_country: str,
    tasks: Iterable[str],
    start: date,
    end: date | None = None,
) -> AuthorisedRepresentative:
    """Record the written mandate of an authorised representative (Art. 54(1)-(3)).

    The document is hashed (SHA-256) and measured as it is stored. A mandate in force
    today lowers the provider's "lacks a representative" flag.
    """
    if representative.kind != OrganisationKind.AUTHORISED_REPRESENTATIVE:
        raise ValidationError(
            {"representative": f"{representative.name} is not an authorised representative."}
        )
    task_list = list(dict.fromkeys(tasks))
    if not task_list:
        raise ValidationError({"tasks": "Name at least one task the mandate covers."})
    unknown = [t for t in task_list if t not in MandateTask.values]
    if unknown:
        raise ValidationError({"tasks": f"Unknown task {unknown[0]!r}."})
    found = digest_upload(document, field="mandate_document", head_bytes=0)
    sha256, size = found.sha256, found.size
    if size == 0:
        raise ValidationError({"mandate_document": "The mandate document is empty."})
    mandate = AuthorisedRepresentative(
        provider=provider,
        representative=representative,
        mandate_document=document,
        mandate_sha256=sha256,
        mandate_size=size,
        union_country=union_country.upper(),
        tasks=task_list,
        start=start,
        end=end,
    )
    mandate.full_clean()
    with transaction.atomic():
        mandate.save()
        audit.record(
            actor=actor,
            action="registry.mandate.appointed",
            obj=mandate,
            after=_mandate_data(mandate),
        )
        if mandate.is_current_on(timezone.now().date()):
            provider = Provider.objects.select_for_update().get(pk=provider.pk)
            _set_lacks_representative(
                actor=actor, provider=provider, lacking=False, why=f"mandate #{mandate.pk}"
            )
    return mandate


def representative_terminate(
    *, actor: Any, mandate: AuthorisedRepresentative, reasons: str
) -> AuthorisedRepresentative:
    """The representative ends its mandate, with reasons (Art. 54(5)).

    A provider established outside the Union that is left without a current mandate is
    flagged as lacking a representative.
    """
    if not reasons.strip():
        raise ValidationError({"reasons": "State the reasons for the termination (Art. 54(5))."})
    with transaction.atomic():
        mandate = (
            AuthorisedRepresentative.objects.select_for_update()
            .select_related("provider__organisation", "representative")
            .get(pk=mandate.pk)
        )
        if mandate.terminated_at is not None:
            when = f"{mandate.terminated_at:%Y-%m-%d}"
            raise ValidationError({"mandate": f"This mandate was already terminated on {when}."})
        before = _mandate_data(mandate)
        mandate.terminated_at = timezone.now()
        mandate.termination_reasons = reasons.strip()
        mandate.full_clean()
        mandate.save(update_fields=["terminated_at", "termination_reasons"])
        audit.record(
            actor=actor,
            action="registry.mandate.terminated",
            obj=mandate,
            before=before,
            after=_mandate_data(mandate),
        )
        provider = Provider.objects.select_for_update().get(pk=mandate.provider_id)
        others = provider.mandates.filter(current_mandates(timezone.now().date()))
        if not mandate.provider.organisation.established_in_union and not others.exists():
            _set_lacks_representative(
                actor=actor,
                provider=provider,
                lacking=True,
                why=f"mandate #{mandate.pk} terminated under Art. 54(5)",
            )
    return mandate


# --- models and versions ---------------------------------------------------------------------


def model_create(
    *, actor: Any, provider: Provider, name: str, public_description: str = ""
) -> GPAIModel:
    model = GPAIModel(provider=provider, name=name.strip(), public_description=public_description)
    model.full_clean()
    with transaction.atomic():
        model.save()
        audit.record(
            actor=actor,
            action="registry.model.created",
            obj=model,
            after={"provider": str(provider), "name": model.name},
        )
    return model


# The fields of a version that services accept; everything else is the registry's own.
VERSION_FIELDS: tuple[str, ...] = (
    "label",
    "placed_on_market",
    "generates",
    "parameters",
    "training_tokens",
    "training_compute_flop",
    "compute_method",
    "compute_gpu_hours",
    "compute_peak_flops",
    "compute_utilisation",
    "compute_uncertainty_percent",
    "compute_assumptions",
    "open_source",
    "modifies",
    "modification_compute_flop",
    "eu_business_users",
    "eu_end_users",
    "reach_counted_on",
    "distribution_channels",
    "public_fields",
)


def _version_data(version: ModelVersion) -> dict[str, Any]:
    data = {name: getattr(version, name) for name in VERSION_FIELDS if name != "modifies"}
    data["modifies"] = version.modifies_id
    return data


def _check_list(value: Any, field: str, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: "Must be a list of names."})
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValidationError({field: f"Unknown value {unknown[0]!r}."})


def _check_version(version: ModelVersion) -> None:
    """The model's own invariants, then aiact's reading of the facts (naming the field)."""
    version.full_clean()
    _check_list(version.distribution_channels, "distribution_channels", DistributionChannel.values)
    _check_list(version.public_fields, "public_fields", PublicField.values)
    try:
        check_facts(version_facts(version, law=load_law(), as_of=timezone.now().date()))
    except InputError as exc:
        raise ValidationError({version_field_of(exc.field): exc.message}) from exc


def version_create(*, actor: Any, model: GPAIModel, label: str, **fields: Any) -> ModelVersion:
    """Add a version with its facts (any of `VERSION_FIELDS`)."""
    unknown = sorted(set(fields) - set(VERSION_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "Unknown field."})
    version = ModelVersion(model=model, label=label.strip(), **fields)
    _check_version(version)
    with transaction.atomic():
        version.save()
        audit.record(
            actor=actor,
            action="registry.version.created",
            obj=version,
            after=_version_data(version),
        )
    return version


def version_update(*, actor: Any, version: ModelVersion, **changes: Any) -> ModelVersion:
    """Change facts of a version; the audit event holds the old and new values."""
    unknown = sorted(set(changes) - set(VERSION_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "Unknown field."})
    with transaction.atomic():
        version = (
            ModelVersion.objects.select_for_update(of=("self",))
            .select_related("model__provider__organisation", "modifies__current_assessment")
            .get(pk=version.pk)
        )
        before = _version_data(version)
        for name, value in changes.items():
            setattr(version, name, value)
        _check_version(version)
        version.updated_at = timezone.now()
        version.save()
        after = _version_data(version)
        changed = [name for name in after if after[name] != before[name]]
        audit.record(
            actor=actor,
            action="registry.version.updated",
            obj=version,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return version


# --- assessments -----------------------------------------------------------------------------


def _gpai_value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value).lower()  # aiact's NOT_IN_FORCE → "not_in_force"


def _outcome(answer: ModelAssessment) -> dict[str, Any]:
    return {
        "gpai": _gpai_value(answer.classification.gpai.value),
        "systemic_risk_status": answer.classification.sr_status,
        "obligations": {o.id: o.status for o in answer.obligations},
    }


def _assess(version: ModelVersion, facts: dict[str, Any], law: Law) -> ModelAssessment:
    try:
        return assess_model(check_facts(facts), law=law)
    except InputError as exc:
        raise ValidationError({version_field_of(exc.field): exc.message}) from exc
    except ConflictError as exc:
        raise ValidationError(str(exc)) from exc


def _snapshot(
    version: ModelVersion,
    facts: dict[str, Any],
    answer: ModelAssessment,
    law: Law,
    as_of: date,
    computed_at: Any,
) -> Assessment:
    outcome = _outcome(answer)
    flop = answer.classification.compute.flop
    return Assessment(
        version=version,
        facts=facts,
        facts_hash=facts_hash(facts),
        result=answer.to_json(),
        rules_version=answer.rules_version,
        law=law.selection.value,
        as_of=as_of,
        computed_at=computed_at,
        gpai=outcome["gpai"],
        systemic_risk_status=outcome["systemic_risk_status"],
        training_compute_flop=None if flop is None else float(flop),
        obligations=outcome["obligations"],
    )


def _summary(assessment: Assessment | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "assessment": assessment.pk,
        "rules_version": assessment.rules_version,
        "law": assessment.law,
        "as_of": assessment.as_of,
        **assessment.outcome(),
    }


def version_assess(
    *,
    actor: Any,
    version: ModelVersion,
    law: str = LawSelection.AS_AMENDED,
    as_of: date | None = None,
) -> Assessment:
    """Ask aiact about a version and store its answer as the version's current assessment."""
    rules = load_law(law)
    day = as_of or timezone.now().date()
    with transaction.atomic():
        ModelVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").get()
        version = ModelVersion.objects.select_related(
            "model__provider__organisation", "current_assessment", "modifies__current_assessment"
        ).get(pk=version.pk)
        previous = version.current_assessment
        facts = version_facts(version, law=rules, as_of=day)
        assessment = _snapshot(
            version, facts, _assess(version, facts, rules), rules, day, timezone.now()
        )
        assessment.save()
        version.current_assessment = assessment
        version.systemic_risk_status = assessment.systemic_risk_status
        version.save(update_fields=["current_assessment", "systemic_risk_status"])
        audit.record(
            actor=actor,
            action="registry.version.assessed",
            obj=version,
            before=_summary(previous),
            after=_summary(assessment),
        )
    return assessment


@dataclass(frozen=True)
class OutcomeChange:
    """A version whose outcome differs from its previous assessment."""

    version_id: int
    name: str
    old_status: str
    new_status: str
    obligations: tuple[tuple[str, str, str], ...]  # (id, old status, new status)


@dataclass
class ReassessReport:
    rules_version: str
    law: str
    as_of: date
    checked: int = 0
    stored: int = 0
    first: int = 0
    changes: list[OutcomeChange] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)


def _change(version: ModelVersion, old: dict[str, Any], new: dict[str, Any]) -> OutcomeChange:
    old_ob, new_ob = old["obligations"], new["obligations"]
    return OutcomeChange(
        version_id=version.pk,
        name=f"{version.model.provider} — {version.model.name} {version.label}",
        old_status=old["systemic_risk_status"],
        new_status=new["systemic_risk_status"],
        obligations=tuple(
            (oid, old_ob.get(oid, "—"), new_ob.get(oid, "—"))
            for oid in sorted(set(old_ob) | set(new_ob))
            if old_ob.get(oid) != new_ob.get(oid)
        ),
    )


def _move_pointers(snapshots: list[Assessment]) -> None:
    """Each version points at its new snapshot and takes its status, in one UPDATE joined to
    a VALUES list (UPDATE … FROM: PostgreSQL, and SQLite from 3.33), instead of a
    correlated subquery per version."""
    table = connection.ops.quote_name(ModelVersion._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(snapshots))
    params: list[Any] = []
    for snapshot in snapshots:
        params += [snapshot.version_id, snapshot.pk, snapshot.systemic_risk_status]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved (version_id, assessment_id, status) AS (VALUES {values}) "  # noqa: S608  (placeholders only)
            f"UPDATE {table} SET current_assessment_id = moved.assessment_id, "
            f"systemic_risk_status = moved.status FROM moved WHERE {table}.id = moved.version_id",
            params,
        )


def versions_reassess(
    *,
    actor: Any,
    law: str = LawSelection.AS_AMENDED,
    as_of: date | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> ReassessReport:
    """Re-assess every version under the current rules; store a snapshot only where the
    rules version, the law selection, the facts or the outcome changed.

    Reads go in keyset batches of `batch_size` versions by id (one query each, with their
    provider, current assessment and the version they modify joined in, the stored answers
    deferred) rather than one long `iterator()` cursor: each batch is then written in its
    own transaction while no read is open, which SQLite and PostgreSQL both allow. Each
    batch that stores anything is one transaction: a `bulk_create` of the snapshots, one
    UPDATE of the versions' current assessment and status (`_move_pointers`), and **one
    audit event per batch** ("registry.versions.reassessed") listing the versions
    re-assessed and those whose outcome changed. A modification is assessed with what this
    run found for the version it modifies when that came earlier in the run.
    """
    rules = load_law(law)
    day = as_of or timezone.now().date()
    report = ReassessReport(rules_version=rules.rules_version, law=rules.selection.value, as_of=day)
    found: dict[int, tuple[float | None, bool]] = {}
    versions = (
        ModelVersion.objects.select_related(
            "model__provider__organisation", "current_assessment", "modifies__current_assessment"
        )
        .defer(
            # Neither the stored answers nor the columns a reassessment does not read: at
            # 100,000 versions, building the rows is most of the time when nothing changed.
            "created_at",
            "updated_at",
            "model__created_at",
            "model__public_description",
            "model__provider__created_at",
            "model__provider__organisation__created_at",
            "current_assessment__facts",
            "current_assessment__result",
            "current_assessment__computed_at",
            "modifies__created_at",
            "modifies__updated_at",
            "modifies__current_assessment__facts",
            "modifies__current_assessment__result",
            "modifies__current_assessment__computed_at",
        )
        .order_by("id")
    )
    last_id = 0
    while True:
        batch = list(versions.filter(id__gt=last_id)[:batch_size])
        if not batch:
            break
        last_id = batch[-1].pk
        now = timezone.now()
        procedures = procedures_of([v.pk for v in batch])
        snapshots: list[Assessment] = []
        changed: list[int] = []
        for version in batch:
            report.checked += 1
            original = found.get(version.modifies_id) if version.modifies_id else None
            try:
                facts = version_facts(
                    version,
                    law=rules,
                    as_of=day,
                    original=original,
                    procedure=procedures[version.pk],
                )
            except (InputError, ConflictError) as exc:
                report.failures.append((version.pk, str(exc)))
                continue
            current = version.current_assessment
            hashed = facts_hash(facts)
            if (
                current is not None
                and current.as_of == day
                and current.rules_version == rules.rules_version
                and current.law == rules.selection.value
                and current.facts_hash == hashed
            ):
                # Assessed on this day, under these rules, on these facts: aiact is a pure
                # function of them, so its answer is the stored one; nothing to ask or store.
                found[version.pk] = (
                    current.training_compute_flop,
                    current.systemic_risk_status in PUBLIC_LIST_STATUSES,
                )
                continue
            try:
                answer = assess_model(check_facts(facts), law=rules)
            except (InputError, ConflictError) as exc:
                report.failures.append((version.pk, str(exc)))
                continue
            outcome = _outcome(answer)
            flop = answer.classification.compute.flop
            found[version.pk] = (
                None if flop is None else float(flop),
                outcome["systemic_risk_status"] in PUBLIC_LIST_STATUSES,
            )
            if (
                current is not None
                and current.rules_version == rules.rules_version
                and current.law == rules.selection.value
                and current.facts_hash == hashed
                and current.outcome() == outcome
            ):
                continue
            if current is None:
                report.first += 1
            elif current.outcome() != outcome:
                report.changes.append(_change(version, current.outcome(), outcome))
                changed.append(version.pk)
            snapshots.append(_snapshot(version, facts, answer, rules, day, now))
        if snapshots:
            with transaction.atomic():
                Assessment.objects.bulk_create(snapshots, batch_size=500)
                _move_pointers(snapshots)
                audit.record(
                    actor=actor,
                    action="registry.versions.reassessed",
                    object_type="registry.modelversion",
                    object_id=f"{batch[0].pk}-{last_id}",
                    object_repr=f"versions {batch[0].pk} to {last_id}",
                    after={
                        "rules_version": rules.rules_version,
                        "law": rules.selection.value,
                        "as_of": day,
                        "versions": [s.version_id for s in snapshots],
                        "outcome_changed": changed,
                    },
                )
            report.stored += len(snapshots)
        if progress is not None:
            progress(report.checked)
    return report


# --- notifications (Art. 52(1)-(2)) ------------------------------------------------------------

# The fields a notification takes from the provider; aiact names the same fields, except
# `modified_model` (here `modified_version`) and the arguments (here `arguments_*`).
NOTIFICATION_FIELDS: tuple[str, ...] = (
    "trigger",
    "compute_flop",
    "estimation_method",
    "assumptions",
    "uncertainty",
    "trigger_date",
    "modified_version",
    "modification_compute_flop",
    "arguments_text",
    "arguments_grounds",
)


def notification_field_of(aiact_field: str) -> str:
    """The notification field behind one that aiact names."""
    head = re.split(r"[.\[]", aiact_field, maxsplit=1)[0]
    if head == "modified_model":
        return "modified_version"
    if head == "arguments":
        return "arguments_grounds"
    return head


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _notification_input(notification: Notification) -> dict[str, Any]:
    """aiact's `check_notification` input for a notification."""
    data: dict[str, Any] = {
        "trigger": notification.trigger,
        "compute_flop": notification.compute_flop,
        "estimation_method": notification.estimation_method,
        "assumptions": notification.assumptions,
        "uncertainty": notification.uncertainty,
        "trigger_date": _iso(notification.trigger_date),
        "submitted_on": _iso(notification.submitted_on),
    }
    if notification.modified_version is not None:
        data["modified_model"] = str(notification.modified_version)
    if notification.modification_compute_flop is not None:
        data["modification_compute_flop"] = notification.modification_compute_flop
    if notification.arguments_grounds:
        data["arguments"] = {
            "grounds": list(notification.arguments_grounds),
            "filed_on": _iso(notification.submitted_on),
        }
    return {k: v for k, v in data.items() if v not in (None, "")}


def _notification_data(notification: Notification) -> dict[str, Any]:
    return {
        "tracking_number": notification.tracking_number,
        "version": notification.version_id,
        "status": notification.status,
        "trigger": notification.trigger,
        "compute_flop_2sf": notification.compute_flop_2sf,
        "trigger_date": notification.trigger_date,
        "due": notification.due,
        "late": notification.late,
        "arguments_grounds": list(notification.arguments_grounds),
        "documents": [
            {"name": d.document.name, "sha256": d.sha256, "size": d.size}
            for d in notification.documents.all()
        ],
        "assigned_officer": notification.assigned_officer_id,
    }


def notification_submit(
    *,
    actor: Any,
    version: ModelVersion,
    data: dict[str, Any],
    documents: Iterable[File] = (),  # type: ignore[type-arg]  # any content
    on: date | None = None,
) -> Notification:
    """Receive a provider's notification for a version (GPAI-PROC-01, 02, 03).

    aiact checks it: an incomplete notification is refused with an error for every
    missing item, keyed by its field. A complete one is stored with its tracking number,
    aiact's answer (due date, late flag, compute to two significant figures, whether the
    arguments are receivable), its evidence documents, an audit event; a version with no
    training compute yet takes the notified figure as reported (`version_update`); and the
    version is re-assessed with the trigger date as the date the threshold was known.
    """
    unknown = sorted(set(data) - set(NOTIFICATION_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: "Unknown field."})
    documents = list(documents)
    checked = _checked_documents(documents)
    with transaction.atomic():
        version = ModelVersion.objects.select_related("model__provider").get(pk=version.pk)
        notification = Notification(
            tracking_number=f"N-pending-{uuid.uuid4().hex[:10]}",
            provider=version.model.provider,
            version=version,
            submitted_by=actor,
            submitted_on=on or timezone.now().date(),
            **data,
        )
        if notification.arguments_grounds is None:
            notification.arguments_grounds = []
        if documents and not notification.arguments_grounds:
            raise ValidationError(
                {"documents": "Evidence goes with arguments: give their grounds (Art. 52(2))."}
            )
        try:
            check = check_notification(_notification_input(notification), law=load_law())
        except InputError as exc:
            raise ValidationError({notification_field_of(exc.field): exc.message}) from exc
        if not check.complete:
            errors: dict[str, list[str]] = {}
            for problem in check.problems:
                errors.setdefault(notification_field_of(problem.field), []).append(problem.message)
            raise ValidationError(errors)
        notification.aiact_check = {
            **{k: v for k, v in check.to_json().items() if k != "citations"},
            "rules_version": load_law().rules_version,
        }
        notification.due = check.due
        notification.late = bool(check.late)
        notification.compute_flop_2sf = check.compute_flop_2sf or ""
        notification.full_clean()
        notification.save()
        notification.tracking_number = f"N-{notification.submitted_at:%Y}-{notification.pk:06d}"
        notification.save(update_fields=["tracking_number"])
        _store_documents(actor=actor, notification=notification, checked=checked)
        audit.record(
            actor=actor,
            action="registry.notification.submitted",
            obj=notification,
            after=_notification_data(notification),
        )
        if (
            notification.compute_flop is not None
            and version.training_compute_flop is None
            and not version.compute_method
        ):
            # The version had no compute yet: the notified figure becomes its reported one.
            version_update(
                actor=actor,
                version=version,
                training_compute_flop=notification.compute_flop,
                compute_method=ComputeMethod.REPORTED,
            )
        version_assess(actor=actor, version=version)
    return notification


def notification_assign(*, actor: Any, notification: Notification, officer: Any) -> Notification:
    """Give a notification to an officer of the AI Office; it is then under assessment."""
    if officer is None or not officer.is_active or not officer.is_office_staff:
        raise ValidationError({"officer": "Only AI Office staff can be assigned."})
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        before = {"assigned_officer": notification.assigned_officer_id}
        notification.assigned_officer = officer
        if notification.status == NotificationStatus.SUBMITTED:
            notification.status = NotificationStatus.UNDER_ASSESSMENT
        notification.save(update_fields=["assigned_officer", "status"])
        audit.record(
            actor=actor,
            action="registry.notification.assigned",
            obj=notification,
            before=before,
            after={"assigned_officer": officer.pk, "status": notification.status},
        )
    return notification


# --- hearings and decisions (Art. 52(3)-(5), Art. 94) -------------------------------------------


def _clock(name: str, start: date) -> date:
    """The date an aiact clock gives (`hearing`: end of the period; `reassessment`: the
    earliest request)."""
    answer = evaluate("clock", {"clock": name, "from": start.isoformat()}, law=load_law())
    result: Any = answer["result"]
    return date.fromisoformat(str(result.get("period_ends") or result.get("earliest")))


def _today() -> date:
    """The Office's current day (UTC): the one place procedural steps read the clock."""
    return timezone.now().date()


def _not_in_future(day: date | None, field: str) -> date:
    """The date a step is recorded on (`core.dates.step_date` on the registry's clock)."""
    return step_date(day, field, today=_today())


def hearing_open(
    *,
    actor: Any,
    notification: Notification,
    draft_reasons: str,
    draft_kind: str = DecisionKind.ARGUMENTS_REJECTED,
    opened_on: date | None = None,
) -> Hearing:
    """Send the draft decision to the provider: the hearing runs to the end of aiact's
    hearing clock (Art. 94; at least ten working days)."""
    if not draft_reasons.strip():
        raise ValidationError({"draft_reasons": "State the reasons of the draft decision."})
    if draft_kind not in DecisionKind.values:
        raise ValidationError({"draft_kind": f"Unknown decision {draft_kind!r}."})
    day = _not_in_future(opened_on, "opened_on")
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status in {NotificationStatus.DECIDED, NotificationStatus.WITHDRAWN}:
            raise ValidationError({"notification": f"This notification is {notification.status}."})
        if draft_kind == DecisionKind.ARGUMENTS_REJECTED and not notification.has_arguments:
            raise ValidationError({"draft_kind": "No arguments were filed to reject."})
        hearing = Hearing.objects.create(
            notification=notification,
            draft_kind=draft_kind,
            draft_reasons=draft_reasons.strip(),
            opened_by=actor,
            opened_on=day,
            ends_on=_clock("hearing", day),
        )
        notification.status = NotificationStatus.HEARING
        notification.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="registry.notification.hearing_opened",
            obj=notification,
            after={
                "hearing": hearing.pk,
                "draft_kind": hearing.draft_kind,
                "opened_on": hearing.opened_on,
                "ends_on": hearing.ends_on,
            },
        )
    return hearing


def _check_annex_xiii(criteria: Any) -> dict[str, str]:
    if not isinstance(criteria, dict) or not criteria:
        raise ValidationError(
            {"annex_xiii": "Record the Annex XIII criteria (a) to (g) the designation rests on."}
        )
    unknown = sorted(set(criteria) - set(ANNEX_XIII_CRITERIA))
    if unknown:
        raise ValidationError({"annex_xiii": f"Unknown criterion {unknown[0]!r}: (a) to (g)."})
    for key, reasons in criteria.items():
        if not isinstance(reasons, str) or not reasons.strip():
            raise ValidationError({"annex_xiii": f"Give the reasons for criterion ({key})."})
    return {key: criteria[key].strip() for key in sorted(criteria)}


def _decision_record(
    *,
    actor: Any,
    version: ModelVersion,
    kind: str,
    reasons: str,
    day: date,
    notification: Notification | None = None,
    hearing: Hearing | None = None,
    criteria: dict[str, str] | None = None,
    reassessment: ReassessmentRequest | None = None,
    evidence: list[dict[str, str]] | None = None,
) -> Decision:
    """The one path by which every decision changes a version's status: store it, close
    the notification, audit, re-assess the version as of the decision's date, and write
    the decision letter. The caller holds the transaction and has checked the law."""
    decision = Decision(
        version=version,
        notification=notification,
        kind=kind,
        annex_xiii=criteria or {},
        evidence=evidence or [],
        reasons=reasons.strip(),
        decided_by=actor,
        decided_on=day,
        hearing=hearing,
        reassessment_request=reassessment,
    )
    decision.full_clean()
    decision.save()
    if notification is not None:
        notification.status = NotificationStatus.DECIDED
        notification.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="registry.decision.taken",
        obj=decision,
        after={
            "version": version.pk,
            "notification": None if notification is None else notification.tracking_number,
            "reassessment_request": None if reassessment is None else reassessment.pk,
            "kind": kind,
            "decided_on": day,
            "hearing": None if hearing is None else hearing.pk,
            "annex_xiii": decision.annex_xiii,
            "evidence": decision.evidence,
            "reasons": decision.reasons,
        },
    )
    decision.assessment = version_assess(actor=actor, version=version, as_of=day)
    decision.save(update_fields=["assessment"])
    rules = load_law()
    version = ModelVersion.objects.select_related(
        "model__provider__organisation", "modifies__current_assessment"
    ).get(pk=version.pk)
    answer = _assess(version, version_facts(version, law=rules, as_of=day), rules)
    letter = letters.letter_generate(decision=decision, answer=answer.to_json())
    audit.record(
        actor=actor,
        action="registry.decision.letter_generated",
        obj=decision,
        after={"sha256": letter.sha256, "size": letter.size, "rules_version": letter.rules_version},
    )
    return decision


def decision_take(
    *,
    actor: Any,
    kind: str,
    reasons: str,
    notification: Notification | None = None,
    version: ModelVersion | None = None,
    decided_on: date | None = None,
    annex_xiii: dict[str, str] | None = None,
    evidence: Sequence[CapabilityEvidence] = (),
) -> Decision:
    """Take a decision under Art. 52(3)-(5) on a notification or, ex officio, a version.

    An Annex XIII designation may cite capability evaluations on record for the version
    (``evidence``, from `registry.evidence.capability_evidence`) under criterion (e); they
    are stored with the decision as they were when it was taken.

    Only a head of unit or a legal officer decides. A rejection of the arguments needs a
    hearing whose period (aiact's clock) has ended. The decision, its audit event and
    the re-assessment of the version (the decision added to aiact's `decisions`, as of
    the decision's date) are one transaction.
    """
    if not may_take_art52_decisions(actor):
        raise PermissionDenied("Only a head of unit or a legal officer takes Art. 52 decisions.")
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": f"Unknown decision {kind!r}."})
    if kind == DecisionKind.DESIGNATION_LIFTED:
        raise ValidationError(
            {"kind": "A designation is lifted on a reassessment request (Art. 52(5))."}
        )
    if not reasons.strip():
        raise ValidationError({"reasons": "State the reasons for the decision."})
    if notification is None and version is None:
        raise ValidationError({"version": "Name the version or the notification decided on."})
    day = _not_in_future(decided_on, "decided_on")
    criteria = _check_annex_xiii(annex_xiii) if kind == DecisionKind.DESIGNATED_ANNEX_XIII else {}
    cited = _check_evidence(evidence, kind, criteria)
    with transaction.atomic():
        hearing: Hearing | None = None
        if notification is not None:
            notification = Notification.objects.select_for_update().get(pk=notification.pk)
            if notification.status in {NotificationStatus.DECIDED, NotificationStatus.WITHDRAWN}:
                raise ValidationError(
                    {"notification": f"This notification is {notification.status}."}
                )
            version = notification.version
            argued = kind in {DecisionKind.ARGUMENTS_ACCEPTED, DecisionKind.ARGUMENTS_REJECTED}
            if argued and not notification.has_arguments:
                raise ValidationError(
                    {"kind": "No arguments were filed: the decision is a confirmation."}
                )
            if kind == DecisionKind.CONFIRMED and notification.has_arguments:
                raise ValidationError(
                    {"kind": "Arguments were filed: accept or reject them (Art. 52(3))."}
                )
            hearing = notification.hearings.order_by("-opened_on", "-id").first()
        elif kind in {
            DecisionKind.ARGUMENTS_ACCEPTED,
            DecisionKind.ARGUMENTS_REJECTED,
            DecisionKind.CONFIRMED,
        }:
            raise ValidationError({"notification": "This decision answers a notification."})
        if kind == DecisionKind.ARGUMENTS_REJECTED:
            if hearing is None:
                raise ValidationError(
                    {
                        "hearing": "Send the draft decision and hear the provider first "
                        f"(Art. 94): a hearing opened on {day:%Y-%m-%d} would run to "
                        f"{_clock('hearing', day):%Y-%m-%d}."
                    }
                )
            if not day > hearing.ends_on:
                raise ValidationError(
                    {
                        "hearing": f"The hearing period runs to {hearing.ends_on:%Y-%m-%d}; "
                        "the arguments can be rejected after that day."
                    }
                )
        assert version is not None
        decision = _decision_record(
            actor=actor,
            version=version,
            kind=kind,
            reasons=reasons,
            day=day,
            notification=notification,
            hearing=hearing,
            criteria=criteria,
            evidence=cited,
        )
    return decision


def _check_evidence(
    evidence: Sequence[CapabilityEvidence], kind: str, criteria: dict[str, str]
) -> list[dict[str, str]]:
    """Evaluation results are cited under Annex XIII(e), so only by a designation that
    gives reasons for criterion (e)."""
    if not evidence:
        return []
    if kind != DecisionKind.DESIGNATED_ANNEX_XIII:
        raise ValidationError(
            {"evidence": "Evaluation results are cited by an Annex XIII designation only."}
        )
    if "e" not in criteria:
        raise ValidationError(
            {"evidence": "Give the reasons for criterion (e) when citing evaluation results."}
        )
    return [asdict(item) for item in evidence]


def reassessment_request(
    *, actor: Any, version: ModelVersion, reasons: str, on: date | None = None
) -> ReassessmentRequest:
    """A provider asks for its designated model to be reassessed (Art. 52(5)): not before
    aiact's earliest date, and with new reasons."""
    if not reasons.strip():
        raise ValidationError({"reasons": "State the new reasons for the request (Art. 52(5))."})
    day = on or timezone.now().date()
    with transaction.atomic():
        version = ModelVersion.objects.select_related(
            "model__provider__organisation", "modifies__current_assessment"
        ).get(pk=version.pk)
        rules = load_law()
        answer = _assess(version, version_facts(version, law=rules, as_of=day), rules)
        earliest = answer.to_json().get("reassessment_earliest")
        if not earliest:
            raise ValidationError(
                {"version": "There is no designation of this version to reassess."}
            )
        earliest_day = date.fromisoformat(str(earliest))
        if day < earliest_day:
            raise ValidationError(
                {"on": f"A reassessment can be requested from {earliest_day:%Y-%m-%d}."}
            )
        request = ReassessmentRequest(
            version=version,
            requested_by=actor,
            requested_on=day,
            reasons=reasons.strip(),
            earliest=earliest_day,
        )
        request.full_clean()
        request.save()
        audit.record(
            actor=actor,
            action="registry.reassessment.requested",
            obj=request,
            after={"version": version.pk, "requested_on": day, "earliest": earliest_day},
        )
    return request


# --- the rest of the procedure: information, withdrawal, evidence, reassessment decisions -----

# Evidence the registry accepts, by what the file's first bytes show (not by its name or the
# type the browser declared): PDF, PNG, JPEG, ZIP containers (office documents, archives)
# and UTF-8 text (plain, CSV, JSON, Markdown).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
)
_TEXT_TYPES = {".csv": "text/csv", ".json": "application/json", ".md": "text/markdown"}
# The largest evidence file, in bytes (settings.AIOFFICE_MAX_UPLOAD_BYTES overrides it).
_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _content_type(head: bytes, name: str) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return None
    return _TEXT_TYPES.get(Path(name).suffix.lower(), "text/plain")


def _checked_documents(
    documents: Sequence[File],  # type: ignore[type-arg]  # any content
    field: str = "documents",
) -> list[tuple[File, str, str, int, str]]:  # type: ignore[type-arg]
    """Each file with its name, SHA-256, size and sniffed type; a refusal names the file."""
    limit = int(getattr(settings, "AIOFFICE_MAX_UPLOAD_BYTES", _MAX_UPLOAD_BYTES))
    checked = []
    for document in documents:
        name = Path(str(document.name or "document")).name[:150] or "document"
        found = digest_upload(document, field=field, head_bytes=4096)
        sha256, size = found.sha256, found.size
        if size == 0:
            raise ValidationError({field: f"{name}: the file is empty."})
        if size > limit:
            raise ValidationError({field: f"{name}: larger than {limit} bytes ({size})."})
        kind = _content_type(found.head, name)
        if kind is None:
            raise ValidationError({field: f"{name}: not a PDF, PNG, JPEG, ZIP or UTF-8 text file."})
        checked.append((document, name, sha256, size, kind))
    return checked


def _store_documents(
    *,
    actor: Any,
    notification: Notification,
    checked: list[tuple[File, str, str, int, str]],  # type: ignore[type-arg]
    information_request: InformationRequest | None = None,
) -> list[NotificationDocument]:
    stored = []
    for document, name, sha256, size, kind in checked:
        stored.append(
            NotificationDocument.objects.create(
                notification=notification,
                document=File(document, name=name),
                sha256=sha256,
                size=size,
                content_type=kind,
                information_request=information_request,
                uploaded_by=actor,
            )
        )
    return stored


def speaks_for_provider(actor: Any, provider: Provider, day: date | None = None) -> bool:
    """A member of the provider, or of its representative under a mandate current on
    `day`: the people who act for the provider in the procedure."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    own = Membership.objects.filter(user=actor).values("organisation_id")
    if provider.organisation_id in {row["organisation_id"] for row in own}:
        return True
    return AuthorisedRepresentative.objects.filter(
        current_mandates(day or _today()), provider=provider, representative_id__in=own
    ).exists()


def _refuse_if_closed(notification: Notification, action: str) -> None:
    """A decided or withdrawn notification takes no further step; the refusal says when."""
    if notification.status == NotificationStatus.WITHDRAWN:
        raise ValidationError(
            {
                "notification": f"The notification was withdrawn on "
                f"{notification.withdrawn_on:%Y-%m-%d}: {action} is no longer possible."
            }
        )
    if notification.status == NotificationStatus.DECIDED:
        decided = notification.decisions.order_by("-decided_on").first()
        when = f" on {decided.decided_on:%Y-%m-%d}" if decided is not None else ""
        raise ValidationError(
            {"notification": f"The notification was decided{when}: {action} is no longer possible."}
        )


def _information_data(request: InformationRequest) -> dict[str, Any]:
    return {
        "notification": request.notification.tracking_number,
        "due_on": request.due_on,
        "asked_on": request.asked_on,
        "answered_on": request.answered_on,
        "late": request.late,
        "documents": [d.sha256 for d in request.documents.all()],
    }


def notification_request_information(
    *, actor: Any, notification: Notification, questions: str, due_on: date
) -> InformationRequest:
    """The Office asks the notifying provider for more information by `due_on` (a day
    after today); the notification waits for the answer."""
    if actor is None or not getattr(actor, "is_office_staff", False):
        raise PermissionDenied("Only AI Office staff ask for more information.")
    if not questions.strip():
        raise ValidationError({"questions": "State the questions."})
    today = _today()
    if not isinstance(due_on, date) or due_on <= today:
        raise ValidationError({"due_on": f"The answer must be due after today ({today:%Y-%m-%d})."})
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        _refuse_if_closed(notification, "asking for information")
        if notification.status == NotificationStatus.HEARING:
            hearing = notification.hearings.order_by("-opened_on", "-id").first()
            ends = f" (to {hearing.ends_on:%Y-%m-%d})" if hearing is not None else ""
            raise ValidationError(
                {"notification": f"The hearing is open{ends}: ask before the draft decision."}
            )
        request = InformationRequest(
            notification=notification,
            questions=questions.strip(),
            due_on=due_on,
            asked_by=actor,
            asked_on=today,
        )
        request.full_clean()
        request.save()
        before = {"status": notification.status}
        notification.status = NotificationStatus.MORE_INFORMATION_REQUESTED
        notification.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="registry.notification.information_requested",
            obj=request,
            before=before,
            after={**_information_data(request), "status": notification.status},
        )
    return request


def information_request_answer(
    *,
    actor: Any,
    request: InformationRequest,
    answer: str,
    documents: Sequence[File] = (),  # type: ignore[type-arg]  # any content
) -> InformationRequest:
    """The provider (or its current representative) answers; an answer after the due date
    is received and flagged late. When no request is left open the notification is back
    under assessment."""
    if not answer.strip():
        raise ValidationError({"answer": "Write the answer."})
    checked = _checked_documents(list(documents))
    with transaction.atomic():
        request = InformationRequest.objects.select_for_update().get(pk=request.pk)
        notification = Notification.objects.select_for_update().get(pk=request.notification_id)
        if not speaks_for_provider(actor, notification.provider):
            raise PermissionDenied("Only the provider or its representative answers.")
        _refuse_if_closed(notification, "answering")
        if request.answered_on is not None:
            raise ValidationError(
                {"answer": f"This request was answered on {request.answered_on:%Y-%m-%d}."}
            )
        today = _today()
        request.answer = answer.strip()
        request.answered_by = actor
        request.answered_on = today
        request.answered_at = timezone.now()
        request.late = today > request.due_on
        request.full_clean()
        request.save()
        _store_documents(
            actor=actor, notification=notification, checked=checked, information_request=request
        )
        before = {"status": notification.status}
        still_open = notification.information_requests.filter(answered_on__isnull=True).exists()
        if notification.status == NotificationStatus.MORE_INFORMATION_REQUESTED and not still_open:
            notification.status = NotificationStatus.UNDER_ASSESSMENT
            notification.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="registry.notification.information_answered",
            obj=request,
            before=before,
            after={**_information_data(request), "status": notification.status},
        )
    return request


def notification_withdraw(*, actor: Any, notification: Notification, reasons: str) -> Notification:
    """The provider withdraws its notification before any decision on it; the version is
    re-assessed (a withdrawn notification's trigger date no longer counts)."""
    if not reasons.strip():
        raise ValidationError({"reasons": "State why the notification is withdrawn."})
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if not speaks_for_provider(actor, notification.provider):
            raise PermissionDenied("Only the provider or its representative withdraws.")
        _refuse_if_closed(notification, "withdrawal")
        before = {"status": notification.status}
        notification.status = NotificationStatus.WITHDRAWN
        notification.withdrawn_on = _today()
        notification.withdrawn_by = actor
        notification.withdrawal_reasons = reasons.strip()
        notification.save(
            update_fields=["status", "withdrawn_on", "withdrawn_by", "withdrawal_reasons"]
        )
        audit.record(
            actor=actor,
            action="registry.notification.withdrawn",
            obj=notification,
            before=before,
            after={
                "status": notification.status,
                "withdrawn_on": notification.withdrawn_on,
                "reasons": notification.withdrawal_reasons,
            },
        )
        version_assess(actor=actor, version=notification.version)
    return notification


def notification_add_documents(
    *,
    actor: Any,
    notification: Notification,
    documents: Sequence[File],  # type: ignore[type-arg]  # any content
) -> list[NotificationDocument]:
    """The provider adds evidence to a notification that is still open."""
    documents = list(documents)
    if not documents:
        raise ValidationError({"documents": "Attach at least one document."})
    checked = _checked_documents(documents)
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if not speaks_for_provider(actor, notification.provider):
            raise PermissionDenied("Only the provider or its representative adds evidence.")
        _refuse_if_closed(notification, "adding documents")
        stored = _store_documents(actor=actor, notification=notification, checked=checked)
        audit.record(
            actor=actor,
            action="registry.notification.documents_added",
            obj=notification,
            after={"documents": [{"sha256": d.sha256, "size": d.size} for d in stored]},
        )
    return stored


# The outcomes of a reassessment (Art. 52(5)), both aiact decision types: the designation
# is maintained, or lifted (aiact then decides the status again without it; see
# docs/aiact/open-questions.md, "designation lifted").
REASSESSMENT_OUTCOMES: frozenset[str] = frozenset(
    {DecisionKind.DESIGNATION_MAINTAINED, DecisionKind.DESIGNATION_LIFTED}
)


def reassessment_decide(
    *,
    actor: Any,
    request: ReassessmentRequest,
    kind: str,
    reasons: str,
    decided_on: date | None = None,
) -> Decision:
    """Decide on a provider's reassessment request (Art. 52(5)): a head of unit or legal
    officer maintains the designation or lifts it; the decision answers the request and
    goes through the same path as every other decision (status, audit, re-assessment,
    letter). A request whose designation another decision lifted meanwhile is refused."""
    if not may_take_art52_decisions(actor):
        raise PermissionDenied("Only a head of unit or a legal officer takes Art. 52 decisions.")
    if kind not in REASSESSMENT_OUTCOMES:
        raise ValidationError(
            {
                "kind": "After a reassessment the designation is maintained "
                "(designation_maintained) or lifted (designation_lifted)."
            }
        )
    if not reasons.strip():
        raise ValidationError({"reasons": "State the reasons for the decision."})
    day = _not_in_future(decided_on, "decided_on")
    with transaction.atomic():
        request = ReassessmentRequest.objects.select_for_update().get(pk=request.pk)
        taken = Decision.objects.filter(reassessment_request=request).first()
        if taken is not None:
            raise ValidationError(
                {"request": f"This request was decided on {taken.decided_on:%Y-%m-%d}."}
            )
        if day < request.requested_on:
            raise ValidationError(
                {
                    "decided_on": "The decision cannot precede the request "
                    f"({request.requested_on:%Y-%m-%d})."
                }
            )
        version = ModelVersion.objects.select_for_update().get(pk=request.version_id)
        lifted = (
            Decision.objects.filter(
                version=version,
                kind=DecisionKind.DESIGNATION_LIFTED,
                decided_on__gte=request.requested_on,
            )
            .order_by("decided_on")
            .first()
        )
        if lifted is not None:
            raise ValidationError(
                {
                    "request": "The designation this request concerns was lifted on "
                    f"{lifted.decided_on:%Y-%m-%d}: there is nothing left to decide."
                }
            )
        decision = _decision_record(
            actor=actor,
            version=version,
            kind=kind,
            reasons=reasons,
            day=day,
            reassessment=request,
        )
    return decision


# --- providers register their models, versions and representatives themselves ----------------


def provider_organisations_of(actor: Any) -> list[Organisation]:
    """The GPAI provider organisations a person acts for: those they are a member of, and
    those their organisation represents under a mandate current today (Art. 54)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    own = Membership.objects.filter(user=actor).values("organisation_id")
    represented = AuthorisedRepresentative.objects.filter(
        current_mandates(_today()), representative_id__in=own
    ).values("provider__organisation_id")
    return list(
        Organisation.objects.filter(kind=OrganisationKind.GPAI_PROVIDER)
        .filter(Q(pk__in=own) | Q(pk__in=represented))
        .order_by("name", "id")
    )


def model_register(
    *, actor: Any, organisation: Organisation, name: str, public_description: str = ""
) -> GPAIModel:
    """A provider's person registers a model; the organisation is entered in the registry
    as a provider the first time (`provider_register`). One transaction: no provider
    without the model that brought it."""
    try:
        with transaction.atomic():
            provider = Provider.objects.filter(organisation=organisation).first()
            if provider is None:
                provider = provider_register(actor=actor, organisation=organisation)
            return model_create(
                actor=actor, provider=provider, name=name, public_description=public_description
            )
    except ValidationError as exc:
        raise _by_field(exc, GPAIModel) from exc


# The field each of a version's check constraints is about, so that its message goes next
# to that field rather than on top of the form.
_CONSTRAINT_FIELDS = {
    "registry_version_reach_has_date": "reach_counted_on",
    "registry_version_reported_compute": "training_compute_flop",
    "registry_version_six_pd_inputs": "parameters",
    "registry_version_hardware_inputs": "compute_gpu_hours",
    "registry_version_utilisation_ratio": "compute_utilisation",
    "registry_version_modification_compute_needs_original": "modifies",
    "registry_version_not_modifying_itself": "modifies",
    "registry_model_unique_name_per_provider": "name",
    "registry_version_unique_label": "label",
    "registry_mandate_end_after_start": "end",
}


def _by_field(exc: ValidationError, model: Any = ModelVersion) -> ValidationError:
    """A record's constraint errors moved from the whole record to their field."""
    if not hasattr(exc, "error_dict") or NON_FIELD_ERRORS not in exc.error_dict:
        return exc
    fields = {
        str(c.violation_error_message): _CONSTRAINT_FIELDS[c.name]
        for c in model._meta.constraints
        if c.name in _CONSTRAINT_FIELDS
    }
    errors: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        for message in messages:
            target = fields.get(message, name) if name == NON_FIELD_ERRORS else name
            errors.setdefault(target, []).append(message)
    return ValidationError(errors)


def version_create_assessed(
    *, actor: Any, model: GPAIModel, label: str, **fields: Any
) -> ModelVersion:
    """`version_create`, then aiact's assessment of the new version, in one transaction."""
    try:
        with transaction.atomic():
            version = version_create(actor=actor, model=model, label=label, **fields)
            version_assess(actor=actor, version=version)
    except ValidationError as exc:
        raise _by_field(exc) from exc
    return ModelVersion.objects.get(pk=version.pk)


def version_update_assessed(*, actor: Any, version: ModelVersion, **changes: Any) -> ModelVersion:
    """`version_update`, then a new assessment on the changed facts, in one transaction."""
    try:
        with transaction.atomic():
            version = version_update(actor=actor, version=version, **changes)
            version_assess(actor=actor, version=version)
    except ValidationError as exc:
        raise _by_field(exc) from exc
    return ModelVersion.objects.get(pk=version.pk)


def mandate_record(
    *,
    actor: Any,
    provider: Provider,
    representative: Organisation,
    document: File,  # type: ignore[type-arg]  # any content
    union_country: str,
    tasks: Iterable[str],
    start: date,
    end: date | None = None,
) -> AuthorisedRepresentative:
    """`representative_appoint` for a written mandate sent as a PDF file (its first bytes
    are checked, whatever its name says)."""
    name = Path(str(document.name or "mandate")).name
    head = digest_upload(document, field="mandate_document", head_bytes=8).head
    if _content_type(head, name) != "application/pdf":
        raise ValidationError({"mandate_document": f"{name}: the written mandate must be a PDF."})
    try:
        return representative_appoint(
            actor=actor,
            provider=provider,
            representative=representative,
            document=document,
            union_country=union_country,
            tasks=tasks,
            start=start,
            end=end,
        )
    except ValidationError as exc:
        raise _by_field(exc, AuthorisedRepresentative) from exc
