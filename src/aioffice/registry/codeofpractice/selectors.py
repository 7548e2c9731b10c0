"""Reads of the Code of Practice records: the signatories (public), who may see which
submissions (the registry's `provider_scope`), and where each model version stands with
its Framework and Model Report on a day (COP-04, COP-05 through `rules`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from aioffice.registry.choices import PUBLIC_LIST_STATUSES, NotificationStatus
from aioffice.registry.codeofpractice.models import (
    Chapter,
    FrameworkSubmission,
    ModelReportSubmission,
    ReportKind,
    SignatoryStatus,
    Signature,
    current_on,
)
from aioffice.registry.codeofpractice.rules import framework_clock, model_report_clock
from aioffice.registry.documentation.choices import DocumentType, SubmissionStatus
from aioffice.registry.documentation.models import DocumentSubmission
from aioffice.registry.models import ModelVersion, Notification, Provider
from aioffice.registry.selectors import provider_scope

# --- signatories (COP-01) ---------------------------------------------------------------------


def statuses_of(provider_ids: Iterable[int], on: date) -> dict[int, dict[str, str]]:
    """COP-01 for every chapter and each provider on `on`, in one query.

    A chapter is "signed" while a signature of it is in force; "opted_out" when the
    provider is in force as a signatory of another chapter but not of this one (partial
    signature, AI-ACT.md §6.2; Art. 56(7)); otherwise "not_signed".
    """
    ids = list(provider_ids)
    signed: dict[int, set[str]] = {pk: set() for pk in ids}
    rows = Signature.objects.filter(current_on(on), provider_id__in=ids).values_list(
        "provider_id", "chapter"
    )
    for provider_id, chapter in rows:
        signed[provider_id].add(chapter)
    out: dict[int, dict[str, str]] = {}
    for pk, chapters in signed.items():
        out[pk] = {
            chapter: SignatoryStatus.SIGNED
            if chapter in chapters
            else SignatoryStatus.OPTED_OUT
            if chapters
            else SignatoryStatus.NOT_SIGNED
            for chapter in Chapter.values
        }
    return out


def signatory_status(provider: Provider, chapter: str, on: date) -> str:
    """COP-01 `signatory_status(provider, chapter, date)`: signed, not_signed or opted_out."""
    return statuses_of([provider.pk], on)[provider.pk][chapter]


def public_signatures(chapter: str | None = None) -> QuerySet[Signature]:
    """Every signature with its dates, withdrawn ones included: public by design (the
    withdrawal reasons and notes are not shown to the public)."""
    signatures = Signature.objects.select_related("provider__organisation").order_by(
        "chapter", "provider__organisation__name", "signed_on", "id"
    )
    return signatures if chapter is None else signatures.filter(chapter=chapter)


def public_signature(signature: Signature) -> dict[str, Any]:
    """What the public register shows of a signature."""
    return {
        "provider": signature.provider.organisation.name,
        "chapter": signature.chapter,
        "signed_on": signature.signed_on,
        "withdrawn_on": signature.withdrawn_on,
        "source": signature.source,
    }


# --- who may see what ---------------------------------------------------------------------------


def _scoped(request: HttpRequest, queryset: Any, provider_path: str) -> Any:
    scope = provider_scope(request)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{provider_path}__in": Provider.objects.filter(scope).values("pk")})


def signatures_visible_to(request: HttpRequest) -> QuerySet[Signature]:
    """With reasons and notes: staff see all, a provider its own."""
    return _scoped(request, public_signatures(), "provider")  # type: ignore[no-any-return]


def frameworks_visible_to(request: HttpRequest) -> QuerySet[FrameworkSubmission]:
    frameworks = FrameworkSubmission.objects.select_related("provider__organisation").order_by(
        "-submitted_on", "-id"
    )
    return _scoped(request, frameworks, "provider")  # type: ignore[no-any-return]


def reports_visible_to(request: HttpRequest) -> QuerySet[ModelReportSubmission]:
    reports = ModelReportSubmission.objects.select_related(
        "version__model__provider__organisation"
    ).order_by("-submitted_on", "-id")
    return _scoped(request, reports, "version__model__provider")  # type: ignore[no-any-return]


def sr_versions() -> QuerySet[ModelVersion]:
    """Versions whose current assessment finds systemic risk."""
    return ModelVersion.objects.filter(
        current_assessment__systemic_risk_status__in=PUBLIC_LIST_STATUSES
    )


def sr_versions_visible_to(request: HttpRequest) -> QuerySet[ModelVersion]:
    versions = (
        sr_versions()
        .select_related("model__provider__organisation", "current_assessment")
        .defer("current_assessment__facts", "current_assessment__result")
        .order_by("model__provider__organisation__name", "model__name", "label", "id")
    )
    return _scoped(request, versions, "model__provider")  # type: ignore[no-any-return]


# --- deadlines (COP-04, COP-05) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one document stands on a day: met, incomplete (an interim report only),
    overdue or pending; `due` is aiact's date where there is one."""

    status: str  # "met", "incomplete", "overdue", "pending"
    due: date | None
    detail: str
    submission_id: int | None = None


@dataclass(frozen=True, slots=True)
class VersionDeadlines:
    version: ModelVersion
    signed: bool  # the provider is a signatory of the safety and security chapter on the day
    framework: Standing | None  # None when the chapter does not apply (no signature)
    model_report: Standing | None
    rules_version: str = ""


@dataclass(frozen=True, slots=True)
class Filed:
    """A Framework or Model Report filed through the documentation app (its `framework` or
    `model_report` document type) rather than through the Code of Practice's form. The same
    document whichever way it came in, so the deadlines count it too (design note: "One
    document, two ways in"). A filed Model Report counts as a full report."""

    number: int
    submitted_on: date
    kind: str = ReportKind.FULL
    refresh_by: date | None = None
    rules_version: str = ""
    pk: None = None


def _filed_framework_standing(
    filed: Filed, notified_on: date | None, placing_on: date | None
) -> tuple[Standing, str]:
    detail = _("Framework filed with the documentation (#%(n)s) on %(s)s") % {
        "n": filed.number,
        "s": filed.submitted_on,
    }
    due, rules_version = None, ""
    if notified_on is not None:
        try:
            clock = framework_clock(notified_on, placing_on)
        except ValidationError:
            clock = None
        if clock is not None:
            due, rules_version = clock["ai_office_access_by"], clock.rules_version
    if due is not None and filed.submitted_on > due:
        detail += " " + _("(late)")
    return Standing("met", due, detail), rules_version


def _filed_report(version: ModelVersion, number: int, submitted_on: date) -> Filed:
    """A Model Report filed with the documentation, with COP-05's refresh date (as for a
    full report submitted on that day, the provider not flagged as most capable)."""
    if version.placed_on_market is None:
        return Filed(number, submitted_on)
    try:
        clock = model_report_clock(version.placed_on_market, submitted_on, False)
    except ValidationError:
        return Filed(number, submitted_on)
    return Filed(
        number, submitted_on, refresh_by=clock["refresh_by"], rules_version=clock.rules_version
    )


def _framework_standing(
    latest: FrameworkSubmission | None,
    notified_on: date | None,
    placing_on: date | None,
    on: date,
    filed: Filed | None = None,
) -> tuple[Standing, str]:
    if latest is None and filed is not None:
        return _filed_framework_standing(filed, notified_on, placing_on)
    if latest is not None:
        detail = _("Framework %(v)s confirmed on %(c)s, submitted on %(s)s") % {
            "v": latest.framework_version,
            "c": latest.confirmed_on,
            "s": latest.submitted_on,
        }
        if latest.late:
            detail += " " + _("(late)")
        return Standing("met", latest.access_by, detail, latest.pk), latest.rules_version
    if notified_on is None:
        return Standing(
            "pending", None, _("No Art. 52(1) notification: COP-04 gives no date yet.")
        ), ""
    try:
        clock = framework_clock(notified_on, placing_on)
    except ValidationError:
        return Standing("pending", None, _("The rules cannot count from these dates.")), ""
    due = clock["ai_office_access_by"]
    assert due is not None
    detail = _("Confirm by %(c)s; AI Office access by %(a)s") % {
        "c": clock["confirm_by"],
        "a": due,
    }
    return Standing("overdue" if on > due else "pending", due, detail), clock.rules_version


def _report_standing(
    version: ModelVersion, reports: Sequence[ModelReportSubmission | Filed], on: date
) -> tuple[Standing, str]:
    fulls = [r for r in reports if r.kind == ReportKind.FULL]
    if fulls:
        last = fulls[-1]
        detail = _("Model Report of %(d)s") % {"d": last.submitted_on}
        if isinstance(last, Filed):
            detail += " " + _("(filed with the documentation, #%(n)s)") % {"n": last.number}
        if last.refresh_by is not None and on > last.refresh_by:
            return Standing(
                "overdue", last.refresh_by, detail + "; " + _("refresh overdue"), last.pk
            ), last.rules_version
        return Standing("met", last.refresh_by, detail, last.pk), last.rules_version
    if version.placed_on_market is None:
        return Standing("pending", None, _("No placing date: COP-05 gives no date yet.")), ""
    try:
        clock = model_report_clock(version.placed_on_market, None, False)
    except ValidationError:
        return Standing("pending", None, _("The rules cannot count from these dates.")), ""
    report_by = clock["report_by"]
    assert report_by is not None
    interim = next((r for r in reports if r.submitted_on <= report_by), None)
    if interim is not None:
        due = clock["report_by_with_interim"]
        assert due is not None
        detail = _("Interim report of %(d)s; Model Report due by %(due)s") % {
            "d": interim.submitted_on,
            "due": due,
        }
        status = "overdue" if on > due else "incomplete"
        return Standing(status, due, detail, interim.pk), clock.rules_version
    detail = _("Model Report due by %(due)s (placing on the market)") % {"due": report_by}
    return Standing(
        "overdue" if on > report_by else "pending", report_by, detail
    ), clock.rules_version


def deadlines_of(versions: Sequence[ModelVersion], on: date) -> list[VersionDeadlines]:
    """For each version (with its model and provider loaded): whether the provider signed
    the safety and security chapter on `on` and, if the version has systemic risk, where
    its Framework and Model Report stand, counting those filed through the Code of
    Practice's form and those filed as documentation (`Filed`). Five queries whatever the
    number of versions."""
    provider_ids = {v.model.provider_id for v in versions}
    version_ids = [v.pk for v in versions]
    signed = set(
        Signature.objects.filter(
            current_on(on),
            provider_id__in=provider_ids,
            chapter=Chapter.SAFETY_AND_SECURITY,
        ).values_list("provider_id", flat=True)
    )
    latest_framework: dict[int, FrameworkSubmission] = {}
    for submitted in FrameworkSubmission.objects.filter(
        provider_id__in=signed, submitted_on__lte=on
    ).order_by("submitted_on", "id"):
        latest_framework[submitted.provider_id] = submitted
    # The provider's first Art. 52(1) notification starts the Framework's clock, with the
    # notified version's placing on the market.
    first_notification: dict[int, tuple[date, date | None]] = {}
    for provider_id, submitted_on, placing_on in (
        Notification.objects.filter(provider_id__in=signed)
        .exclude(status=NotificationStatus.WITHDRAWN)
        .order_by("-submitted_on", "-id")
        .values_list("provider_id", "submitted_on", "version__placed_on_market")
    ):
        first_notification[provider_id] = (submitted_on, placing_on)
    reports: dict[int, list[ModelReportSubmission | Filed]] = {pk: [] for pk in version_ids}
    for received in ModelReportSubmission.objects.filter(
        version_id__in=version_ids, submitted_on__lte=on
    ).order_by("submitted_on", "id"):
        reports[received.version_id].append(received)
    # The same documents filed through the documentation app (one query): the provider's
    # latest `framework` document (of any of its versions), each version's `model_report`.
    by_id = {v.pk: v for v in versions}
    filed_framework: dict[int, Filed] = {}
    filed_documents = (
        DocumentSubmission.objects.filter(
            Q(doc_type=DocumentType.FRAMEWORK, version__model__provider_id__in=signed)
            | Q(doc_type=DocumentType.MODEL_REPORT, version_id__in=version_ids),
            status=SubmissionStatus.SUBMITTED,
            submitted_at__date__lte=on,
        )
        .order_by("submitted_at", "id")
        .values_list(
            "doc_type", "version_id", "version__model__provider_id", "number", "submitted_at"
        )
    )
    for doc_type, version_id, provider_id, number, submitted_at in filed_documents:
        day = timezone.localdate(submitted_at)
        if doc_type == DocumentType.FRAMEWORK:
            filed_framework[provider_id] = Filed(number, day)
        elif version_id in by_id:
            reports[version_id].append(_filed_report(by_id[version_id], number, day))
    for received_reports in reports.values():
        received_reports.sort(key=lambda r: r.submitted_on)
    out: list[VersionDeadlines] = []
    for version in versions:
        provider_id = version.model.provider_id
        assessment = version.current_assessment
        sr = assessment is not None and assessment.systemic_risk_status in PUBLIC_LIST_STATUSES
        if provider_id not in signed or not sr:
            out.append(VersionDeadlines(version, provider_id in signed, None, None))
            continue
        notified_on, placing_on = first_notification.get(provider_id, (None, None))
        framework, rv1 = _framework_standing(
            latest_framework.get(provider_id),
            notified_on,
            placing_on,
            on,
            filed_framework.get(provider_id),
        )
        report, rv2 = _report_standing(version, reports[version.pk], on)
        out.append(VersionDeadlines(version, True, framework, report, rv2 or rv1))
    return out


DEADLINE_COLUMNS: tuple[str, ...] = (
    "version_id",
    "provider",
    "model",
    "version",
    "signed_safety_and_security",
    "framework_status",
    "framework_due",
    "framework_detail",
    "model_report_status",
    "model_report_due",
    "model_report_detail",
    "rules_version",
)


def deadline_row(entry: VersionDeadlines) -> dict[str, Any]:
    """One version's deadlines as a flat row (API, CSV, pages)."""
    version = entry.version
    framework, report = entry.framework, entry.model_report
    return {
        "version_id": version.pk,
        "provider": version.model.provider.organisation.name,
        "model": version.model.name,
        "version": version.label,
        "signed_safety_and_security": entry.signed,
        "framework_status": None if framework is None else framework.status,
        "framework_due": None if framework is None else framework.due,
        "framework_detail": "" if framework is None else framework.detail,
        "model_report_status": None if report is None else report.status,
        "model_report_due": None if report is None else report.due,
        "model_report_detail": "" if report is None else report.detail,
        "rules_version": entry.rules_version,
    }


class DeadlineRows:
    """Versions seen through `deadlines_of`, page by page: counted and sliced like the
    queryset, each slice costing the slice's query and `deadlines_of`'s four."""

    def __init__(self, versions: QuerySet[ModelVersion], on: date) -> None:
        self.versions = versions
        self.on = on

    def count(self) -> int:
        return int(self.versions.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [deadline_row(e) for e in deadlines_of(list(self.versions[index]), self.on)]

    def iterate(self, batch: int = 500) -> Iterable[dict[str, Any]]:
        """Every row, `batch` versions at a time (for the CSV export)."""
        start = 0
        while True:
            rows = self[start : start + batch]
            if not rows:
                return
            yield from rows
            start += batch
