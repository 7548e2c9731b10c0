"""The adoption tests' world: a published version of the test code with two chapters (one
the registry's transparency chapter, one its safety and security chapter) and two KPIs,
two providers with an organisation member each, the Office's legal officer, the Board
with an opinion. Imported by the other test_adoption_* modules (no tests here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.cooperation.choices import Adoption as HowAdopted
from aioffice.cooperation.choices import BodyKind, OpinionKind
from aioffice.cooperation.models_bodies import Body, Opinion
from aioffice.core.testing import make_user
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import Adoption, SignatureOpening
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project
from aioffice.registry.models import Provider
from aioffice.registry.testing import registered_provider


def today() -> datetime.date:
    return timezone.now().date()


@dataclass
class AdoptionWorld:
    project: Project
    draft: Draft
    transparency: Section
    safety: Section
    kpis: list[Section]
    runner: User
    assessor: User
    alpha: Provider
    beta: Provider
    alpha_member: User
    beta_member: User
    opinion: Opinion


def _section(draft: Draft, key: str, kind: str, position: int, **extra: Any) -> Section:
    return Section.objects.create(
        draft=draft,
        key=key,
        kind=kind,
        number=extra.pop("number", ""),
        title=extra.pop("title", key.replace("-", " ").capitalize()),
        text="Words written for the tests.",
        position=position,
        **extra,
    )


def member_of(provider: Provider, username: str) -> User:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return user


def build(project: Project, runner: User) -> AdoptionWorld:
    published = today() - datetime.timedelta(days=40)
    draft = Draft.objects.create(
        project=project,
        number=1,
        title="Version one (test)",
        status=DraftStatus.PUBLISHED,
        visibility="public",
        published_on=published,
        created_by=runner,
    )
    transparency = _section(
        draft, "transparency", SectionKind.CHAPTER, 1, number="1", registry_chapter="transparency"
    )
    safety = _section(
        draft, "safety", SectionKind.CHAPTER, 2, number="2", registry_chapter="safety_and_security"
    )
    kpis = [
        _section(draft, "kpi-incidents", SectionKind.KPI, 3, number="2.1", parent=safety),
        _section(draft, "kpi-evaluations", SectionKind.KPI, 4, number="2.2", parent=safety),
    ]
    board = Body.objects.create(kind=BodyKind.BOARD, name="Test Board")
    opinion = Opinion.objects.create(
        body=board,
        kind=OpinionKind.OPINION,
        subject="Opinion on the test code",
        adopted_on=today() - datetime.timedelta(days=10),
        adoption=HowAdopted.CONSENSUS,
    )
    alpha = registered_provider("Alpha Models (test)")
    beta = registered_provider("Beta Models (test)")
    return AdoptionWorld(
        project=project,
        draft=draft,
        transparency=transparency,
        safety=safety,
        kpis=kpis,
        runner=runner,
        assessor=make_user(Role.LEGAL_OFFICER, "adoption-legal"),
        alpha=alpha,
        beta=beta,
        alpha_member=member_of(alpha, "alpha-member"),
        beta_member=member_of(beta, "beta-member"),
        opinion=opinion,
    )


def adopted(world: AdoptionWorld) -> Adoption:
    return services.adopt(
        actor=world.runner,
        draft=world.draft,
        adopted_on=today() - datetime.timedelta(days=30),
        reference="C(2026) test",
    )


def opened(world: AdoptionWorld, adoption: Adoption | None = None) -> SignatureOpening:
    adoption = adoption or adopted(world)
    return services.opening_create(
        actor=world.runner,
        adoption=adoption,
        opens_on=today() - datetime.timedelta(days=20),
        report_every_months=6,
        first_report_due=today() + datetime.timedelta(days=60),
    )


@pytest.fixture
def adoption_world(
    drafting_project: Project, drafting_runner: User, drafting_media: Path
) -> AdoptionWorld:
    return build(drafting_project, drafting_runner)
