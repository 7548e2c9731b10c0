"""The one clock: every due date in aioffice is a `Deadline` row, computed by aiact.

Services open a deadline in the transaction of the step that starts it (`open_deadline`)
and close it in the one that meets it (`close_deadlines`). The registry's own procedures
(notifications, information requests, hearings, reassessments, the Code of Practice's
Frameworks and Model Reports) are followed through signals (`connect_sources`), so the
registry needs no import of supervision; `sync_all` rebuilds the same rows from the
registry (idempotent), for a database that had registry rows before supervision existed.

A signal handler runs in the registry's transaction, inside its own savepoint: whatever
goes wrong in it is logged and rolled back to the savepoint, never raised into the
registry's save (a deadline is a copy; `sync_all` repairs a missed one).

The dashboards read through `deadlines_of_owner`, `deadlines_of_provider_user`,
`filtered`, `sections` and `weekly_counts`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from aioffice.supervision.choices import DeadlineKind, DeadlineStatus, TeamRole
from aioffice.supervision.models import CaseMember, Deadline

logger = logging.getLogger(__name__)

# the kinds that come from the registry's procedures (sync_all rebuilds them)
REGISTRY_KINDS: tuple[str, ...] = (
    DeadlineKind.NOTIFICATION,
    DeadlineKind.REGISTRY_RFI,
    DeadlineKind.REGISTRY_HEARING,
    DeadlineKind.REASSESSMENT,
    DeadlineKind.COP_FRAMEWORK,
    DeadlineKind.COP_MODEL_REPORT,
)
# the Code of Practice's periods: voluntary, not the law's
CODE_KINDS: tuple[str, ...] = (DeadlineKind.COP_FRAMEWORK, DeadlineKind.COP_MODEL_REPORT)
SOON_DAYS = 14  # the dashboard's "due in the next 14 days"
CHART_WEEKS = 12


def source_of(obj: models.Model) -> str:
    """The `source` key of a row: "<app_label>.<model>:<pk>"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _today() -> date:
    return timezone.now().date()


def open_deadline(
    *,
    kind: str,
    source: models.Model,
    due_on: date,
    title: str,
    case: Any = None,
    provider: Any = None,
    owner: Any = None,
    provider_to_act: bool = False,
    legal: bool = True,
    url: str = "",
    answer: Mapping[str, Any] | None = None,
) -> Deadline:
    """Open (or move) the one open deadline of `kind` for `source`, in the caller's
    transaction. `answer` is what aiact said: `rules_version`, `reasons`, `citations`
    (labels or aiact's citation objects); None keeps what an open row already has.

    Moving the due date re-arms the reminders (a new date gets its own e-mails). A case's
    deadline without a `url` links to the case file."""
    if not url and case is not None:
        url = reverse("supervision:case_detail", args=[case.pk])
    values: dict[str, Any] = {
        "title": title[:300],
        "due_on": due_on,
        "case": case,
        "provider": provider,
        "owner": owner,
        "provider_to_act": provider_to_act,
        "legal": legal,
        "url": url[:300],
    }
    if answer is not None:
        values["rules_version"] = str(answer.get("rules_version", ""))[:100]
        values["reasons"] = [str(r) for r in answer.get("reasons") or ()]
        values["citations"] = [
            str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
            for c in answer.get("citations") or ()
        ]
    existing = (
        Deadline.objects.select_for_update()
        .filter(source=source_of(source), kind=kind, status=DeadlineStatus.OPEN)
        .first()
    )
    if existing is None:
        return Deadline.objects.create(kind=kind, source=source_of(source), **values)
    if existing.due_on != due_on:
        existing.reminded_on = None
        existing.overdue_reminded_on = None
    changed = existing.due_on != due_on or existing.reminded_on is not None
    for name, value in values.items():
        attribute = f"{name}_id" if name in {"case", "provider", "owner"} else name
        current = getattr(existing, attribute)
        new = value.pk if isinstance(value, models.Model) else value
        if current != new:
            changed = True
            setattr(existing, name, value)
    if changed:
        existing.save()
    return existing


def close_deadlines(
    *,
    source: models.Model,
    kinds: Iterable[str] | None = None,
    status: str = DeadlineStatus.MET,
) -> int:
    """Close the open deadlines of `source` (of `kinds`, or all): met or no longer due."""
    rows = Deadline.objects.filter(source=source_of(source), status=DeadlineStatus.OPEN)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(status=status, closed_at=timezone.now())


def reassign_case(case: Any) -> int:
    """Give a case's open deadlines to its lead (none when the case has no lead); the case
    services call this when the team changes."""
    lead = CaseMember.objects.filter(case=case, role=TeamRole.LEAD).values("user_id").first()
    owner_id = None if lead is None else lead["user_id"]
    return (
        Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN)
        .exclude(owner_id=owner_id)
        .update(owner_id=owner_id)
    )


# --- the registry's procedures ---------------------------------------------------------------


def _notification_url(notification: Any) -> str:
    return reverse("registry:notification_detail", args=[notification.tracking_number])


def _officer_of(notification: Any, fallback: Any = None) -> Any:
    return notification.assigned_officer or fallback


def follow_notification(notification: Any) -> None:
    """A notification meets its version's Art. 52(1) deadline (the provider's: see
    `follow_assessment`); decided or withdrawn, it closes the deadlines of its requests and
    hearings, and a withdrawal puts the version's notification deadline back if aiact still
    requires one. The Office's assessment of a notification has no period in the Act, so it
    is not a deadline."""
    from aioffice.registry.choices import NotificationStatus

    withdrawn = notification.status == NotificationStatus.WITHDRAWN
    if not withdrawn:
        close_deadlines(source=notification.version, kinds=[DeadlineKind.NOTIFICATION])
    related = [source_of(r) for r in notification.information_requests.all()] + [
        source_of(h) for h in notification.hearings.all()
    ]
    if withdrawn or notification.status == NotificationStatus.DECIDED:
        Deadline.objects.filter(source__in=related, status=DeadlineStatus.OPEN).update(
            status=DeadlineStatus.CANCELLED, closed_at=timezone.now()
        )
        if withdrawn and notification.version.current_assessment_id is not None:
            follow_assessment(notification.version.current_assessment)
        return
    # the officer assigned answers for the requests and hearings
    if notification.assigned_officer_id is not None and related:
        Deadline.objects.filter(source__in=related, status=DeadlineStatus.OPEN).exclude(
            owner_id=notification.assigned_officer_id
        ).update(owner_id=notification.assigned_officer_id)


def follow_assessment(assessment: Any) -> None:
    """aiact's assessment of a version says whether the provider must notify it under
    Art. 52(1) and by when: an open deadline on the provider until a notification is
    submitted (met); no longer due when aiact no longer requires one."""
    from aioffice.registry.choices import NotificationStatus

    version = assessment.version
    result = assessment.result if isinstance(assessment.result, dict) else {}
    finding = result.get("notification") or {}
    due = finding.get("due") if finding.get("required") is True else None
    notified = version.notifications.exclude(status=NotificationStatus.WITHDRAWN).exists()
    if notified:
        close_deadlines(source=version, kinds=[DeadlineKind.NOTIFICATION])
        return
    if not isinstance(due, str):
        close_deadlines(
            source=version, kinds=[DeadlineKind.NOTIFICATION], status=DeadlineStatus.CANCELLED
        )
        return
    open_deadline(
        kind=DeadlineKind.NOTIFICATION,
        source=version,
        due_on=date.fromisoformat(due),
        title=f"Art. 52(1) notification of {version.model.name} {version.label}",
        provider=version.model.provider,
        provider_to_act=True,
        url=reverse("registry:version_detail", args=[version.pk]),
        answer={
            "rules_version": assessment.rules_version,
            "reasons": finding.get("reasons") or (),
            "citations": finding.get("citations") or (),
        },
    )


def follow_information_request(request: Any) -> None:
    """An unanswered request is the provider's move by its due date; answered, it is met;
    on a decided or withdrawn notification it is no longer due."""
    from aioffice.registry.choices import NotificationStatus

    notification = request.notification
    if request.answered_on is not None:
        close_deadlines(source=request, kinds=[DeadlineKind.REGISTRY_RFI])
        return
    if notification.status in {NotificationStatus.DECIDED, NotificationStatus.WITHDRAWN}:
        close_deadlines(
            source=request, kinds=[DeadlineKind.REGISTRY_RFI], status=DeadlineStatus.CANCELLED
        )
        return
    open_deadline(
        kind=DeadlineKind.REGISTRY_RFI,
        source=request,
        due_on=request.due_on,
        title=f"Answer to the information request on {notification.tracking_number}",
        provider=notification.provider,
        owner=_officer_of(notification, request.asked_by),
        provider_to_act=True,
        url=_notification_url(notification),
        answer={},  # a date the Office sets, not a period of the Act
    )


def _rules_version() -> str:
    from aiact import load_law

    return str(load_law().rules_version)


def follow_hearing(hearing: Any, *, created: bool = False) -> None:
    """A hearing's period (aiact's hearing clock): the provider's observations by its end;
    met by the decision, no longer due when the notification is withdrawn."""
    from aioffice.registry.choices import NotificationStatus

    notification = hearing.notification
    if hearing.decisions.exists():
        close_deadlines(source=hearing, kinds=[DeadlineKind.REGISTRY_HEARING])
        return
    if notification.status in {NotificationStatus.DECIDED, NotificationStatus.WITHDRAWN}:
        close_deadlines(
            source=hearing, kinds=[DeadlineKind.REGISTRY_HEARING], status=DeadlineStatus.CANCELLED
        )
        return
    open_deadline(
        kind=DeadlineKind.REGISTRY_HEARING,
        source=hearing,
        due_on=hearing.ends_on,
        title=f"Hearing on {notification.tracking_number}: observations on the draft decision",
        provider=notification.provider,
        owner=_officer_of(notification, hearing.opened_by),
        provider_to_act=True,
        url=_notification_url(notification),
        # the period was counted by aiact's hearing clock just now, under these rules
        answer={"rules_version": _rules_version()} if created else None,
    )


def follow_reassessment(request: Any) -> None:
    """A provider's reassessment request (Art. 52(5)) waits for the Office's decision from
    the day it was made (the Act sets no period for the decision); decided, it is met."""
    from aioffice.registry.models import Decision, Notification

    if Decision.objects.filter(reassessment_request=request).exists():
        close_deadlines(source=request, kinds=[DeadlineKind.REASSESSMENT])
        return
    version = request.version
    notification = (
        Notification.objects.filter(version_id=version.pk, assigned_officer__isnull=False)
        .select_related("assigned_officer")
        .order_by("-submitted_at", "-id")
        .first()
    )
    open_deadline(
        kind=DeadlineKind.REASSESSMENT,
        source=request,
        due_on=request.requested_on,
        title=f"Reassessment request for {version.model.name} {version.label} (Art. 52(5))",
        provider=version.model.provider,
        owner=None if notification is None else notification.assigned_officer,
        url=reverse("registry:version_detail", args=[version.pk]),
        answer=None,
    )


def follow_decision(decision: Any) -> None:
    """A decision meets its hearing's period and the reassessment request it answers."""
    if decision.hearing_id is not None:
        close_deadlines(source=decision.hearing, kinds=[DeadlineKind.REGISTRY_HEARING])
    if decision.reassessment_request_id is not None:
        close_deadlines(source=decision.reassessment_request, kinds=[DeadlineKind.REASSESSMENT])


def follow_code_of_practice(provider_id: int, on: date | None = None) -> None:
    """The Code of Practice's Framework (per provider, COP-04) and Model Report (per version
    with systemic risk, COP-05) as the Code's own deadlines view reckons them (aiact's
    clocks): pending, incomplete or overdue → open; met → met, with the next refresh open
    when there is one; the chapter not signed or no systemic risk any more → no longer due."""
    from aioffice.registry.codeofpractice.selectors import deadlines_of, sr_versions
    from aioffice.registry.models import Provider

    day = on or _today()
    provider = Provider.objects.select_related("organisation").get(pk=provider_id)
    versions = list(
        sr_versions()
        .filter(model__provider_id=provider_id)
        .select_related("model__provider__organisation")
        .order_by("id")
    )
    found = deadlines_of(versions, day) if versions else []
    cop_url = reverse("codeofpractice:deadlines")
    framework = next((d.framework for d in found if d.framework is not None), None)
    framework_version = next((d.rules_version for d in found if d.framework is not None), "")
    if framework is None:
        close_deadlines(
            source=provider, kinds=[DeadlineKind.COP_FRAMEWORK], status=DeadlineStatus.CANCELLED
        )
    elif framework.status == "met" or framework.due is None:
        close_deadlines(source=provider, kinds=[DeadlineKind.COP_FRAMEWORK])
    else:
        open_deadline(
            kind=DeadlineKind.COP_FRAMEWORK,
            source=provider,
            due_on=framework.due,
            title=f"Safety and Security Framework of {provider.name} (AI Office access)",
            provider=provider,
            provider_to_act=True,
            legal=False,
            url=cop_url,
            answer={"rules_version": framework_version, "reasons": [str(framework.detail)]},
        )
    kept: list[str] = []
    for item in found:
        version, standing = item.version, item.model_report
        if standing is None:
            continue
        title = f"Model Report for {version.model.name} {version.label}"
        if standing.status == "met":
            # the report is in; a refresh (most capable models) is the next one due
            answered = Deadline.objects.filter(
                source=source_of(version),
                kind=DeadlineKind.COP_MODEL_REPORT,
                status=DeadlineStatus.OPEN,
            )
            if standing.due is not None:
                answered = answered.exclude(due_on=standing.due)
            answered.update(status=DeadlineStatus.MET, closed_at=timezone.now())
            if standing.due is None or standing.due < day:
                continue
            title = f"Model Report refresh for {version.model.name} {version.label}"
        elif standing.due is None:
            continue
        assert standing.due is not None
        kept.append(source_of(version))
        open_deadline(
            kind=DeadlineKind.COP_MODEL_REPORT,
            source=version,
            due_on=standing.due,
            title=title,
            provider=provider,
            provider_to_act=True,
            legal=False,
            url=cop_url,
            answer={"rules_version": item.rules_version, "reasons": [str(standing.detail)]},
        )
    Deadline.objects.filter(
        provider=provider, kind=DeadlineKind.COP_MODEL_REPORT, status=DeadlineStatus.OPEN
    ).exclude(source__in=kept).update(status=DeadlineStatus.CANCELLED, closed_at=timezone.now())


# --- signals -----------------------------------------------------------------------------------


def _guarded(follow: Callable[[Any, bool], None]) -> Callable[..., None]:
    """A post_save receiver that runs `follow` in a savepoint of the registry's transaction
    and never lets it fail the registry's save (logged; `sync_all` repairs)."""

    def receiver(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # fixtures: no side effects
        try:
            with transaction.atomic():
                follow(instance, created)
        except Exception:
            logger.exception(
                "deadline not updated for %s (run `aioffice supervision deadlines sync`)",
                source_of(instance),
            )

    return receiver


def _on_notification(notification: Any, created: bool) -> None:
    follow_notification(notification)
    if created:
        follow_code_of_practice(notification.provider_id)


def _on_assessment(assessment: Any, created: bool) -> None:
    follow_assessment(assessment)


def _on_information_request(request: Any, created: bool) -> None:
    follow_information_request(request)


def _on_hearing(hearing: Any, created: bool) -> None:
    follow_hearing(hearing, created=created)


def _on_decision(decision: Any, created: bool) -> None:
    follow_decision(decision)


def _on_reassessment(request: Any, created: bool) -> None:
    follow_reassessment(request)


def _on_cop_provider_row(row: Any, created: bool) -> None:
    follow_code_of_practice(row.provider_id)


def _on_cop_report(report: Any, created: bool) -> None:
    follow_code_of_practice(report.version.model.provider_id)


# the receivers, kept referenced (signals hold weak references) and connected once
_RECEIVERS: dict[str, Callable[..., None]] = {}


def connect_sources() -> None:
    """Follow the registry's procedures through their models' post_save signals."""
    from aioffice.registry.codeofpractice.models import (
        FrameworkSubmission,
        ModelReportSubmission,
        Signature,
    )
    from aioffice.registry.models import (
        Assessment,
        Decision,
        Hearing,
        InformationRequest,
        Notification,
        ReassessmentRequest,
    )

    wiring: list[tuple[type[models.Model], Callable[[Any, bool], None]]] = [
        (Assessment, _on_assessment),
        (Notification, _on_notification),
        (InformationRequest, _on_information_request),
        (Hearing, _on_hearing),
        (Decision, _on_decision),
        (ReassessmentRequest, _on_reassessment),
        (Signature, _on_cop_provider_row),
        (FrameworkSubmission, _on_cop_provider_row),
        (ModelReportSubmission, _on_cop_report),
    ]
    for model, follow in wiring:
        uid = f"supervision.clock.{model._meta.label_lower}"
        receiver = _RECEIVERS.setdefault(uid, _guarded(follow))
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)


@dataclass(frozen=True, slots=True)
class SyncReport:
    rows: int  # registry rows followed
    open: int  # open registry deadlines afterwards


def _sync_steps() -> list[tuple[str, QuerySet[Any], Callable[[Any], None]]]:
    from aioffice.registry.models import (
        Assessment,
        Hearing,
        InformationRequest,
        ModelVersion,
        Notification,
        Provider,
        ReassessmentRequest,
    )

    return [
        (
            "assessments",
            Assessment.objects.filter(pk__in=ModelVersion.objects.values("current_assessment"))
            .select_related("version__model__provider")
            .order_by("id"),
            follow_assessment,
        ),
        (
            "notifications",
            Notification.objects.select_related("version__current_assessment").order_by("id"),
            follow_notification,
        ),
        (
            "information requests",
            InformationRequest.objects.select_related(
                "notification__provider", "notification__assigned_officer", "asked_by"
            ).order_by("id"),
            follow_information_request,
        ),
        (
            "hearings",
            Hearing.objects.select_related(
                "notification__provider", "notification__assigned_officer", "opened_by"
            ).order_by("id"),
            lambda h: follow_hearing(h),
        ),
        (
            "reassessment requests",
            ReassessmentRequest.objects.select_related("version__model__provider").order_by("id"),
            follow_reassessment,
        ),
        (
            "Code of Practice",
            Provider.objects.order_by("id"),
            lambda p: follow_code_of_practice(p.pk),
        ),
    ]


def sync_total() -> int:
    return sum(queryset.count() for _, queryset, _ in _sync_steps())


def sync_all(progress: Callable[[str, int], None] | None = None) -> SyncReport:
    """Rebuild the registry's deadlines from the registry (idempotent: a second run changes
    nothing). `progress(step, rows done)` is called after each row. One transaction per
    row, so a long sync holds no lock for long."""
    done = 0
    for step, queryset, follow in _sync_steps():
        for row in queryset.iterator(chunk_size=500):
            with transaction.atomic():
                follow(row)
            done += 1
            if progress is not None:
                progress(step, done)
    still_open = Deadline.objects.filter(kind__in=REGISTRY_KINDS, status=DeadlineStatus.OPEN)
    return SyncReport(rows=done, open=still_open.count())


# --- what the dashboards read ------------------------------------------------------------------


def open_deadlines() -> QuerySet[Deadline]:
    """Open deadlines with what a row of a dashboard shows, and nothing else."""
    return (
        Deadline.objects.filter(status=DeadlineStatus.OPEN)
        .select_related("provider__organisation", "owner", "case")
        .only(
            "id",
            "kind",
            "title",
            "due_on",
            "url",
            "legal",
            "provider_to_act",
            "rules_version",
            "provider__id",
            "provider__organisation__id",
            "provider__organisation__name",
            "owner__id",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "case__id",
            "case__reference",
        )
        .order_by("due_on", "id")
    )


def deadlines_of_owner(user: Any) -> QuerySet[Deadline]:
    return open_deadlines().filter(owner_id=user.pk)


def providers_of(user: Any) -> list[int]:
    """The providers a person acts for (its organisation's, or represented under a mandate
    current today)."""
    from aioffice.registry.models import Provider
    from aioffice.registry.services import provider_organisations_of

    organisations = [o.pk for o in provider_organisations_of(user)]
    if not organisations:
        return []
    return list(
        Provider.objects.filter(organisation_id__in=organisations).values_list("pk", flat=True)
    )


def deadlines_of_provider_user(user: Any) -> QuerySet[Deadline]:
    """The deadlines where it is the provider's move, for the providers a person acts for."""
    return open_deadlines().filter(provider_id__in=providers_of(user), provider_to_act=True)


@dataclass(frozen=True, slots=True)
class Filters:
    kind: str = ""
    provider: int | None = None
    basis: str = ""  # "legal", "code" or ""
    move: str = ""  # "provider", "office" or ""


def filtered(queryset: QuerySet[Deadline], filters: Filters) -> QuerySet[Deadline]:
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.provider is not None:
        queryset = queryset.filter(provider_id=filters.provider)
    if filters.basis == "legal":
        queryset = queryset.filter(legal=True)
    elif filters.basis == "code":
        queryset = queryset.filter(legal=False)
    if filters.move == "provider":
        queryset = queryset.filter(provider_to_act=True)
    elif filters.move == "office":
        queryset = queryset.filter(provider_to_act=False)
    return queryset


def sections(queryset: QuerySet[Deadline], today: date) -> dict[str, QuerySet[Deadline]]:
    """Overdue (before today), due in the next 14 days (today included), later."""
    soon = today + timedelta(days=SOON_DAYS)
    return {
        "overdue": queryset.filter(due_on__lt=today),
        "soon": queryset.filter(due_on__gte=today, due_on__lt=soon),
        "later": queryset.filter(due_on__gte=soon),
    }


@dataclass(frozen=True, slots=True)
class Week:
    starts_on: date
    count: int
    percent: int  # of the busiest week, for the bar's length

    # the bar in the dashboard's SVG (bars stand on y = 130, at most 110 high)
    @property
    def height(self) -> int:
        return round(110 * self.percent / 100)

    @property
    def y(self) -> int:
        return 130 - self.height

    @property
    def label_y(self) -> int:
        return self.y - 3


def weekly_counts(
    queryset: QuerySet[Deadline], today: date, weeks: int = CHART_WEEKS
) -> list[Week]:
    """Open deadlines per week for the next `weeks` weeks from today: one query, grouped by
    day in the database and by week here."""
    end = today + timedelta(weeks=weeks)
    per_day = (
        queryset.filter(due_on__gte=today, due_on__lt=end)
        .order_by()
        .values("due_on")
        .annotate(n=Count("id"))
    )
    counts = [0] * weeks
    for row in per_day:
        counts[(row["due_on"] - today).days // 7] += row["n"]
    busiest = max(counts) or 1
    return [
        Week(today + timedelta(weeks=i), n, round(100 * n / busiest)) for i, n in enumerate(counts)
    ]


def counts_of(user: Any, today: date | None = None) -> dict[str, int]:
    """A person's open deadlines: overdue and due in the next 14 days (one query)."""
    day = today or _today()
    soon = day + timedelta(days=SOON_DAYS)
    return Deadline.objects.filter(owner_id=user.pk, status=DeadlineStatus.OPEN).aggregate(
        overdue=Count("id", filter=Q(due_on__lt=day)),
        soon=Count("id", filter=Q(due_on__gte=day, due_on__lt=soon)),
    )
