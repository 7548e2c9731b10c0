"""Every change to the Code of Practice records goes through these functions; each is one
transaction that writes the audit trail. Deadlines are aiact's (COP-04, COP-05, through
`rules`); nothing here counts a period."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from aioffice.core import audit
from aioffice.core.files import digest_upload, removed_on_failure, store_checked
from aioffice.registry.choices import NotificationStatus
from aioffice.registry.codeofpractice.models import (
    Chapter,
    FrameworkSubmission,
    ModelReportSubmission,
    ReportKind,
    SignatoryStatus,
    Signature,
)
from aioffice.registry.codeofpractice.rules import framework_clock, model_report_clock
from aioffice.registry.codeofpractice.selectors import signatory_status, sr_versions
from aioffice.registry.models import ModelVersion, Notification, Provider

# What a Framework or a Model Report may be: a PDF, recognised by its first bytes.
DOCUMENT_TYPES: dict[bytes, str] = {b"%PDF-": "application/pdf"}
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a storage limit of ours, not a legal one


def _today() -> date:
    """The Office's current day (UTC)."""
    return timezone.now().date()


def _not_in_future(day: date, field: str) -> date:
    today = _today()
    if day > today:
        raise ValidationError({field: f"Cannot be after today ({today:%Y-%m-%d})."})
    return day


def _as_date(value: Any, field: str) -> date:
    """A date, or its ISO text (as data files give it)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError({field: "Give a date as YYYY-MM-DD."}) from None
    if not isinstance(value, date):
        raise ValidationError({field: "Give a date."})
    return value


def check_document(document: File, field: str = "document") -> tuple[str, int, str]:  # type: ignore[type-arg]
    """SHA-256, size and content type of an upload; refuses an empty, oversized or
    non-PDF file, naming `field`."""
    found = digest_upload(document, field=field, max_bytes=MAX_DOCUMENT_BYTES, head_bytes=8)
    if found.size == 0:
        raise ValidationError({field: "The file is empty."})
    head = found.head
    content_type = next((t for magic, t in DOCUMENT_TYPES.items() if head.startswith(magic)), None)
    declared = getattr(document, "content_type", None)
    if content_type is None or (declared and declared != content_type):
        raise ValidationError({field: "The document must be a PDF file."})
    return found.sha256, found.size, content_type


# --- signatures ----------------------------------------------------------------------------------


def _signature_data(signature: Signature) -> dict[str, Any]:
    return {
        "provider": str(signature.provider),
        "chapter": signature.chapter,
        "signed_on": signature.signed_on,
        "withdrawn_on": signature.withdrawn_on,
        "withdrawal_reasons": signature.withdrawal_reasons,
        "source": signature.source,
        "notes": signature.notes,
    }


def _no_nul(**texts: str) -> None:
    """PostgreSQL refuses NUL characters in text: refused here, naming the field."""
    for field, text in texts.items():
        if "\x00" in (text or ""):
            raise ValidationError({field: "Text cannot contain NUL characters."})


def signature_add(
    *,
    actor: Any,
    provider: Provider,
    chapter: str,
    signed_on: date,
    source: str = "",
    notes: str = "",
) -> Signature:
    """Record that a provider signed one chapter of the Code on `signed_on` (staff record
    it from the Commission's list). Refused while a signature of the chapter is current,
    and before the end of an earlier one."""
    if chapter not in Chapter.values:
        raise ValidationError({"chapter": f"Must be one of {', '.join(Chapter.values)}."})
    _no_nul(source=source, notes=notes)
    signed_on = _as_date(signed_on, "signed_on")
    _not_in_future(signed_on, "signed_on")
    with transaction.atomic():
        provider = Provider.objects.select_for_update().get(pk=provider.pk)
        earlier = list(
            Signature.objects.filter(provider=provider, chapter=chapter).order_by("signed_on")
        )
        for other in earlier:
            if other.withdrawn_on is None:
                raise ValidationError(
                    {
                        "chapter": f"{provider} signed this chapter on {other.signed_on:%Y-%m-%d}; "
                        "withdraw that signature first."
                    }
                )
            if signed_on < other.withdrawn_on:
                raise ValidationError(
                    {
                        "signed_on": "An earlier signature of this chapter was in force until "
                        f"{other.withdrawn_on:%Y-%m-%d}."
                    }
                )
        signature = Signature(
            provider=provider,
            chapter=chapter,
            signed_on=signed_on,
            source=source.strip(),
            notes=notes.strip(),
            recorded_by=actor,
        )
        signature.full_clean()
        signature.save()
        audit.record(
            actor=actor,
            action="codeofpractice.signature.added",
            obj=signature,
            after=_signature_data(signature),
        )
    return signature


def signature_withdraw(
    *, actor: Any, signature: Signature, withdrawn_on: date, reasons: str
) -> Signature:
    """Record the withdrawal of a signature, dated, with reasons."""
    if not reasons.strip():
        raise ValidationError({"reasons": "State the reasons for the withdrawal."})
    _no_nul(reasons=reasons)
    withdrawn_on = _as_date(withdrawn_on, "withdrawn_on")
    _not_in_future(withdrawn_on, "withdrawn_on")
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .select_related("provider__organisation")
            .get(pk=signature.pk)
        )
        if signature.withdrawn_on is not None:
            raise ValidationError(
                {"signature": f"Already withdrawn on {signature.withdrawn_on:%Y-%m-%d}."}
            )
        if withdrawn_on < signature.signed_on:
            raise ValidationError(
                {
                    "withdrawn_on": "A signature cannot be withdrawn before it was made "
                    f"({signature.signed_on:%Y-%m-%d})."
                }
            )
        before = _signature_data(signature)
        signature.withdrawn_on = withdrawn_on
        signature.withdrawal_reasons = reasons.strip()
        signature.full_clean()
        signature.save(update_fields=["withdrawn_on", "withdrawal_reasons"])
        audit.record(
            actor=actor,
            action="codeofpractice.signature.withdrawn",
            obj=signature,
            before=before,
            after=_signature_data(signature),
        )
    return signature


# --- Frameworks and Model Reports ---------------------------------------------------------------


def _require_safety_signatory(provider: Provider, on: date, field: str) -> None:
    status = signatory_status(provider, Chapter.SAFETY_AND_SECURITY, on)
    if status != SignatoryStatus.SIGNED:
        raise ValidationError(
            {
                field: f"{provider} is not a signatory of the safety and security chapter on "
                f"{on:%Y-%m-%d} ({status}); the chapter concerns models with systemic risk "
                "and binds only its signatories."
            }
        )


def _submission_data(submission: Any) -> dict[str, Any]:
    fields = (
        "sha256",
        "size",
        "content_type",
        "submitted_on",
        "confirm_by",
        "access_by",
        "confirmed_on",
        "framework_version",
        "notified_on",
        "placing_on",
        "kind",
        "most_capable",
        "previous_report_on",
        "report_by",
        "report_by_with_interim",
        "refresh_by",
        "due",
        "late",
        "rules_version",
        "reasons",
        "citations",
    )
    data = {name: getattr(submission, name) for name in fields if hasattr(submission, name)}
    data["document"] = submission.document.name
    return data


def framework_submit(
    *,
    actor: Any,
    provider: Provider,
    document: File,  # type: ignore[type-arg]  # any content
    framework_version: str,
    confirmed_on: date,
    placing_on: date | None = None,
    on: date | None = None,
) -> FrameworkSubmission:
    """A signatory of the safety and security chapter with a model with systemic risk gives
    the AI Office its confirmed Framework (S&S Measures 1.1, 1.4).

    The deadline is aiact's COP-04 from the provider's first Art. 52(1) notification and
    the planned placing on the market (`placing_on`, by default the notified version's);
    it is stored with the rules version and reasons, and `late` says whether it was missed.
    """
    day = _not_in_future(on or _today(), "submitted_on")
    if not framework_version.strip():
        raise ValidationError({"framework_version": "Name the version of the Framework."})
    _no_nul(framework_version=framework_version)
    if not isinstance(confirmed_on, date):
        raise ValidationError({"confirmed_on": "Give the date the Framework was confirmed."})
    if confirmed_on > day:
        raise ValidationError({"confirmed_on": "Confirm the Framework before submitting it."})
    _require_safety_signatory(provider, day, "provider")
    if not sr_versions().filter(model__provider=provider).exists():
        raise ValidationError(
            {"provider": f"{provider} has no model with systemic risk: no Framework is due."}
        )
    sha256, size, content_type = check_document(document)
    with removed_on_failure() as stored, transaction.atomic():
        provider = Provider.objects.select_for_update().get(pk=provider.pk)
        notification = (
            Notification.objects.filter(provider=provider)
            .exclude(status=NotificationStatus.WITHDRAWN)
            .select_related("version")
            .order_by("submitted_on", "id")
            .first()
        )
        submission = FrameworkSubmission(
            provider=provider,
            framework_version=framework_version.strip(),
            document=File(document, name=Path(str(document.name)).name),
            sha256=sha256,
            size=size,
            content_type=content_type,
            confirmed_on=confirmed_on,
            submitted_on=day,
            submitted_by=actor,
            notification=notification,
            placing_on=placing_on,
        )
        if notification is not None:
            submission.notified_on = notification.submitted_on
            if submission.placing_on is None:
                submission.placing_on = notification.version.placed_on_market
            clock = framework_clock(notification.submitted_on, submission.placing_on)
            submission.confirm_by = clock["confirm_by"]
            submission.access_by = clock["ai_office_access_by"]
            submission.rules_version = clock.rules_version
            submission.reasons = list(clock.reasons)
            submission.citations = list(clock.citations)
            assert submission.confirm_by is not None and submission.access_by is not None
            submission.late = confirmed_on > submission.confirm_by or day > submission.access_by
        else:
            clock = framework_clock(day, None)
            submission.rules_version = clock.rules_version
            submission.reasons = ["No Art. 52(1) notification: COP-04 gives no deadline."]
            submission.citations = list(clock.citations)
        submission.full_clean()
        store_checked(submission.document, stored, sha256, size, "document")
        submission.save()
        audit.record(
            actor=actor,
            action="codeofpractice.framework.submitted",
            obj=submission,
            after=_submission_data(submission),
        )
    return submission


def model_report_submit(
    *,
    actor: Any,
    version: ModelVersion,
    document: File,  # type: ignore[type-arg]  # any content
    kind: str = ReportKind.FULL,
    most_capable: bool = False,
    on: date | None = None,
) -> ModelReportSubmission:
    """A signatory of the safety and security chapter gives the AI Office the Model Report
    (or an interim report) of a version with systemic risk (S&S Commitment 7).

    aiact's COP-05 gives the dates from the version's placing on the market, the previous
    Model Report and the most-capable flag; the date this submission answered (`due`), its
    lateness and the next refresh (`refresh_by`) are stored with the rules version.
    """
    day = _not_in_future(on or _today(), "submitted_on")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": f"Must be one of {', '.join(ReportKind.values)}."})
    version = ModelVersion.objects.select_related("model__provider__organisation").get(
        pk=version.pk
    )
    provider = version.model.provider
    _require_safety_signatory(provider, day, "version")
    if not sr_versions().filter(pk=version.pk).exists():
        raise ValidationError(
            {"version": "This version has no systemic risk: no Model Report is due."}
        )
    if version.placed_on_market is None:
        raise ValidationError(
            {
                "version": "Record the version's placing on the market first: the Model "
                "Report's dates count from it (COP-05)."
            }
        )
    sha256, size, content_type = check_document(document)
    with removed_on_failure() as stored, transaction.atomic():
        ModelVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").get()
        earlier = list(
            ModelReportSubmission.objects.filter(version=version).order_by("submitted_on", "id")
        )
        previous = next((r for r in reversed(earlier) if r.kind == ReportKind.FULL), None)
        full = kind == ReportKind.FULL
        clock = model_report_clock(
            version.placed_on_market, day if full else None, most_capable and full
        )
        report_by = clock["report_by"]
        with_interim = clock["report_by_with_interim"]
        assert report_by is not None and with_interim is not None
        if previous is not None:
            due = previous.refresh_by
        elif full and any(r.submitted_on <= report_by for r in earlier):
            due = with_interim
        else:
            due = report_by
        submission = ModelReportSubmission(
            version=version,
            kind=kind,
            most_capable=most_capable,
            document=File(document, name=Path(str(document.name)).name),
            sha256=sha256,
            size=size,
            content_type=content_type,
            submitted_on=day,
            submitted_by=actor,
            placing_on=version.placed_on_market,
            previous_report_on=None if previous is None else previous.submitted_on,
            report_by=report_by,
            report_by_with_interim=with_interim,
            refresh_by=clock["refresh_by"] if full else None,
            due=due,
            late=due is not None and day > due,
            rules_version=clock.rules_version,
            reasons=list(clock.reasons),
            citations=list(clock.citations),
        )
        submission.full_clean()
        store_checked(submission.document, stored, sha256, size, "document")
        submission.save()
        audit.record(
            actor=actor,
            action="codeofpractice.model_report.submitted",
            obj=submission,
            after=_submission_data(submission),
        )
    return submission
