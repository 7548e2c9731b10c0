"""The adoption demo data: the demo code's version 2 adopted and open for signature, Aurora
signing every chapter and Northwind the safety and security chapter, a published adequacy
assessment under the amended procedure with the Board's opinion, Aurora's first report;
the public pages answer; loads once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.cooperation.choices import BodyKind
from aioffice.cooperation.models_bodies import Body, Opinion
from aioffice.core.testing import make_user
from aioffice.demo_data import drafting_adoption, drafting_drafts, drafting_projects
from aioffice.drafting.models_adoption import (
    AdequacyAssessment,
    Adoption,
    CodeSignature,
    ImplementationReport,
)
from aioffice.drafting.models_drafts import SectionKind
from aioffice.registry.testing import registered_provider
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

from .test_adoption_world import member_of, today

pytestmark = pytest.mark.django_db


class _Users(dict[str, User]):
    """The demo's people by username, made on first use (a person with no role)."""

    def __missing__(self, name: str) -> User:
        self[name] = make_user(None, f"demo-{name}")
        return self[name]


def test_the_demo_adoption(drafting_runner: User, drafting_media: Any, client: Any) -> None:
    Body.objects.create(kind=BodyKind.BOARD, name="Board (test)")
    aurora = registered_provider(drafting_adoption.ALL_CHAPTERS)
    northwind = registered_provider(drafting_adoption.SAFETY_ONLY)
    users = _Users(
        policy=drafting_runner,
        legal=make_user(Role.LEGAL_OFFICER, "demo-legal"),
        provider=member_of(aurora, "demo-provider"),
    )
    users["foreign-provider"] = member_of(northwind, "demo-foreign-provider")
    drafting_projects.load(users=users)
    drafting_adoption.load(users=users)  # nothing to adopt yet: no published version
    assert not Adoption.objects.exists()
    drafting_drafts.load(users=users)
    drafting_adoption.load(users=users)
    drafting_adoption.load(users=users)  # idempotent
    adoption = Adoption.objects.select_related("draft", "project").get()
    assert adoption.project.slug == drafting_projects.CODE_SLUG
    assert (adoption.draft.number, adoption.draft.status) == (2, "final")
    assert adoption.project.status == "adopted"
    opening = adoption.signature_opening
    chapters = adoption.draft.sections.filter(kind=SectionKind.CHAPTER)
    signed = CodeSignature.objects.filter(opening=opening)
    assert signed.filter(provider=aurora).count() == chapters.count() == 3
    assert [s.chapter.key for s in signed.filter(provider=northwind)] == ["safety"]
    assert all(s.registry_signature is not None for s in signed)
    assessment = AdequacyAssessment.objects.get()
    assert assessment.procedure == "amended" and assessment.published_on == today()
    assert assessment.board_opinion == Opinion.objects.get(
        subject=drafting_adoption.OPINION_SUBJECT
    )
    report = ImplementationReport.objects.get()
    assert report.provider == aurora and not report.late
    kpis = adoption.draft.sections.filter(kind=SectionKind.KPI).count()
    assert report.indicators.count() == kpis >= 3
    assert "" not in report.indicators.values_list("value", flat=True)
    open_reports = Deadline.objects.filter(
        kind=DeadlineKind.CODE_REPORT, status=DeadlineStatus.OPEN
    )
    assert open_reports.count() == 2  # Aurora's next period, Northwind's first
    slug = adoption.project.slug
    page = client.get(reverse("drafting:adoption", args=[slug]))
    assert page.status_code == 200 and b"Northwind Intelligence Inc." in page.content
    url = reverse("drafting:assessment", args=[slug, assessment.pk])
    assert client.get(url).status_code == 200
