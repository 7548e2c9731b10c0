"""Reads of the sandboxes part, permissions first (permissions_sandboxes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from aioffice.cooperation import permissions_sandboxes as rules
from aioffice.cooperation.law_sandboxes import law_answer
from aioffice.cooperation.models_sandboxes import (
    PARTICIPATING,
    ApplicationStatus,
    ExitReport,
    Sandbox,
    SandboxApplication,
    SandboxLevel,
    SandboxReport,
    SandboxStatus,
)
from aioffice.cooperation.permissions import authorities_of, is_staff_user
from aioffice.core.schemas import MAX_ID
from aioffice.registry.choices import MEMBER_STATE_NAMES


def _row(queryset: QuerySet[Any], pk: int) -> Any:
    if not 1 <= pk <= MAX_ID:
        raise Http404
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- the public list (Art. 57(15)) -----------------------------------------------------------


def sandboxes_published(*, member_state: str = "", status: str = "") -> QuerySet[Sandbox]:
    """The published sandboxes, by Member State (the Union-level one first), then name."""
    queryset = Sandbox.objects.filter(published=True).select_related("operating_authority")
    if member_state:
        queryset = queryset.filter(member_state=member_state)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("member_state", "name", "id")


@dataclass(frozen=True, slots=True)
class NationalDeadline:
    """SBX-01: by when each Member State has at least one national sandbox operational."""

    deadline: date
    rules_version: str
    reasons: list[str]
    citations: list[str]


def national_deadline(on: date) -> NationalDeadline:
    answer = law_answer("cooperation", {"check": "national-sandbox", "on": on.isoformat()})
    return NationalDeadline(
        deadline=date.fromisoformat(str(answer.result["deadline"])),
        rules_version=answer.rules_version,
        reasons=answer.reasons,
        citations=answer.citations,
    )


@dataclass(frozen=True, slots=True)
class StateRow:
    """One Member State on the public list: its published sandboxes and whether one is
    operational (a joint sandbox counts for each of its Member States, Art. 57(1))."""

    code: str
    name: str
    planned: int
    operational: int
    operational_by_deadline: bool


def member_state_overview(deadline: date) -> list[StateRow]:
    """The 27, in one query: counts of published national sandboxes and whether one was
    operational on or before the deadline (established_on)."""
    rows = Sandbox.objects.filter(published=True, level=SandboxLevel.NATIONAL).values_list(
        "member_state", "joint_member_states", "status", "established_on"
    )
    planned: dict[str, int] = {}
    operational: dict[str, int] = {}
    in_time: set[str] = set()
    for state, joint, status, established in rows:
        for code in {state, *(joint or [])}:
            if status == SandboxStatus.PLANNED:
                planned[code] = planned.get(code, 0) + 1
            elif status == SandboxStatus.OPERATIONAL:
                operational[code] = operational.get(code, 0) + 1
                if established is not None and established <= deadline:
                    in_time.add(code)
    return [
        StateRow(
            code,
            str(name),
            planned.get(code, 0),
            operational.get(code, 0),
            code in in_time,
        )
        for code, name in sorted(MEMBER_STATE_NAMES.items())
    ]


def sandbox_published(pk: int) -> Sandbox:
    return _row(sandboxes_published(), pk)  # type: ignore[no-any-return]


def published_reports(sandbox: Sandbox) -> QuerySet[SandboxReport]:
    return sandbox.reports.only("id", "sandbox_id", "kind", "submitted_on", "abstract")


def published_exit_reports(sandbox: Sandbox) -> QuerySet[ExitReport]:
    return ExitReport.objects.filter(
        application__sandbox=sandbox,
        provider_agrees_publication=True,
        authority_agrees_publication=True,
    ).select_related("application")


# --- the working pages -----------------------------------------------------------------------


def sandboxes_visible_to(user: Any) -> QuerySet[Sandbox]:
    """Office staff: all; an authority's members: the sandboxes their authority operates."""
    queryset = Sandbox.objects.select_related("operating_authority").annotate(
        pending=Count("applications", filter=Q(applications__status=ApplicationStatus.PENDING)),
        participants=Count("applications", filter=Q(applications__status__in=PARTICIPATING)),
    )
    if is_staff_user(user):
        return queryset.order_by("member_state", "name", "id")
    authorities = authorities_of(user).values("pk")
    return queryset.filter(operating_authority_id__in=authorities).order_by(
        "member_state", "name", "id"
    )


def sandbox_for(user: Any, pk: int) -> Sandbox:
    sandbox: Sandbox = _row(Sandbox.objects.select_related("operating_authority"), pk)
    if not rules.may_read_sandbox(user, sandbox):
        raise PermissionDenied
    return sandbox


def applications_of_sandbox(sandbox: Sandbox) -> QuerySet[SandboxApplication]:
    return sandbox.applications.select_related("applicant").order_by("-applied_on", "-id")


def applications_mine(user: Any) -> QuerySet[SandboxApplication]:
    """The applications of the organisations a person applies for."""
    organisations = rules.applicant_organisations(user).values("pk")
    return (
        SandboxApplication.objects.filter(applicant_id__in=organisations)
        .select_related("sandbox", "applicant")
        .order_by("-applied_on", "-id")
    )


def applications_visible_to(user: Any) -> QuerySet[SandboxApplication]:
    """Staff: all; an authority: those to its sandboxes; a provider: its own."""
    queryset = SandboxApplication.objects.select_related("sandbox", "applicant").order_by(
        "-applied_on", "-id"
    )
    if is_staff_user(user):
        return queryset
    authorities = authorities_of(user).values("pk")
    organisations = rules.applicant_organisations(user).values("pk")
    return queryset.filter(
        Q(sandbox__operating_authority_id__in=authorities) | Q(applicant_id__in=organisations)
    )


def suspensions_for_office() -> QuerySet[SandboxApplication]:
    """Art. 57(11): the suspensions and terminations the authorities informed the Office of."""
    return (
        SandboxApplication.objects.filter(suspended_on__isnull=False)
        .select_related("sandbox", "applicant")
        .order_by("-suspended_on", "-id")
    )


def application_for(user: Any, pk: int) -> SandboxApplication:
    application: SandboxApplication = _row(
        SandboxApplication.objects.select_related("sandbox__operating_authority", "applicant"),
        pk,
    )
    if not rules.may_read_application(user, application):
        raise PermissionDenied
    return application


def exit_report_for(user: Any, pk: int) -> ExitReport:
    report: ExitReport = _row(ExitReport.objects.select_related("application__sandbox"), pk)
    if not rules.may_read_exit_report(user, report):
        raise PermissionDenied
    return report


def report_for(user: Any, pk: int) -> SandboxReport:
    report: SandboxReport = _row(SandboxReport.objects.select_related("sandbox"), pk)
    if not rules.may_read_sandbox(user, report.sandbox):
        raise PermissionDenied
    return report
