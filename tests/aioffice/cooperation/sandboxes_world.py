"""A world for the sandboxes tests: a French market surveillance authority whose staff are
the national-authority principal's organisation, an operational published sandbox it
operates, the Union-level sandbox (published, planned), and applications of the
organisation-member principal's organisation in each state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.cooperation import services_sandboxes as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models import Authority
from aioffice.cooperation.models_sandboxes import (
    ApplicationStatus,
    ExitReport,
    Sandbox,
    SandboxApplication,
    SandboxLevel,
    SandboxPlan,
    SandboxReport,
    SandboxStatus,
)
from aioffice.core.testing import make_user, organisation


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def today() -> date:
    return timezone.now().date()


def upload(name: str = "report.pdf", content: bytes = b"%PDF-1.7 sandbox report") -> Any:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def user(role: str | None, username: str) -> User:
    found = User.objects.filter(username=username).first()
    return found or make_user(role, username)


def keeper() -> User:
    """A policy officer: keeps the list and runs the Union-level sandbox."""
    return user(Role.POLICY_OFFICER, "sbx-keeper")


def authority(name: str = "Autorité test (FR)", member_state: str = "FR") -> Authority:
    """The authority of the national-authority principal's organisation."""
    found = Authority.objects.filter(name=name).first()
    if found is not None:
        return found
    return Authority.objects.create(
        member_state=member_state,
        name=name,
        kind=AuthorityKind.MARKET_SURVEILLANCE,
        sector=AuthoritySector.GENERAL,
        organisation=organisation(OrganisationKind.NATIONAL_AUTHORITY),
    )


def operator() -> User:
    authority()
    return user(Role.NATIONAL_AUTHORITY_MEMBER, "sbx-operator")


def provider_org() -> Organisation:
    return organisation(OrganisationKind.GPAI_PROVIDER)


def provider() -> User:
    provider_org()
    return user(Role.ORGANISATION_MEMBER, "sbx-provider")


def sandbox(**fields: Any) -> Sandbox:
    values: dict[str, Any] = {
        "name": "Bac à sable IA (test)",
        "member_state": "FR",
        "operating_authority": authority(),
        "status": SandboxStatus.OPERATIONAL,
        "established_on": today() - timedelta(days=100),
        "capacity": 10,
        "published": True,
        **fields,
    }
    return services.sandbox_create(actor=keeper(), **values)


def union_sandbox() -> Sandbox:
    return services.sandbox_create(
        actor=keeper(),
        name="Union-level AI regulatory sandbox (test)",
        level=SandboxLevel.UNION,
        published=True,
    )


def application(box: Sandbox, status: str = ApplicationStatus.PENDING, **fields: Any) -> Any:
    """An application in a given state, set up directly (the services are tested apart)."""
    made = SandboxApplication.objects.create(
        sandbox=box,
        applicant=provider_org(),
        project=fields.pop("project", f"Project {status}"),
        system_description="An AI system for triage.",
        applied_on=today() - timedelta(days=10),
        decision_due_on=today() + timedelta(days=80),
        status=status,
        decided_on=None if status == ApplicationStatus.PENDING else today(),
        **fields,
    )
    return made


@dataclass
class World:
    sandbox: Sandbox
    union: Sandbox
    pending: SandboxApplication
    accepted: SandboxApplication
    to_exit: SandboxApplication
    suspended: SandboxApplication
    exited: SandboxApplication
    plan: SandboxPlan
    exit_report: ExitReport
    report: SandboxReport

    def ids(self) -> dict[str, int]:
        return {
            "sandbox": self.sandbox.pk,
            "union": self.union.pk,
            "pending": self.pending.pk,
            "accepted": self.accepted.pk,
            "to_exit": self.to_exit.pk,
            "suspended": self.suspended.pk,
            "exited": self.exited.pk,
            "plan": self.plan.pk,
            "report": self.report.pk,
            "applicant": provider_org().pk,
            "authority": authority().pk,
        }


def build_world() -> World:
    box = sandbox()
    union = union_sandbox()
    suspended = application(
        box, ApplicationStatus.SUSPENDED, suspended_on=today(), suspension_reasons="Risk."
    )
    plan = services.plan_propose(
        actor=operator(),
        application=suspended,
        objectives="Validate.",
        starts_on=today(),
        ends_on=today() + timedelta(days=90),
        terms="Terms.",
        safeguards="Safeguards.",
    )
    exited = application(box, ApplicationStatus.ACCEPTED, project="Exited project")
    exit_report = services.exit_report_add(
        actor=operator(), application=exited, upload=upload("exit.pdf"), summary="It went well."
    )
    services.exit_report_consent(actor=provider(), report=exit_report, access=True)
    report = services.report_add(
        actor=operator(),
        sandbox=box,
        kind="annual",
        upload=upload(),
        abstract="A year of testing.",
    )
    return World(
        sandbox=Sandbox.objects.get(pk=box.pk),
        union=union,
        pending=application(box),
        accepted=application(box, ApplicationStatus.ACCEPTED),
        to_exit=application(box, ApplicationStatus.ACCEPTED, project="To exit"),
        suspended=suspended,
        exited=exited,
        plan=plan,
        exit_report=ExitReport.objects.get(pk=exit_report.pk),
        report=report,
    )
