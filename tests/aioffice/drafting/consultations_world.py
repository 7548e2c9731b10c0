"""What the consultations tests build on: a published draft with three sections, and
consultations opened on it through the service (a fixed period around now)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from aioffice.drafting import services_consultations as services
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_consultations import Audience, Consultation
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project, WorkingGroup

SECTION_KEYS = ("transparency", "documentation", "copyright")


def published_draft(
    project: Project, runner: Any, *, visibility: str = Visibility.PUBLIC, number: int = 1
) -> Draft:
    draft = Draft.objects.create(
        project=project,
        number=number,
        title=f"Draft {number} (test)",
        status=DraftStatus.PUBLISHED,
        visibility=visibility,
        published_on=datetime.date(2026, 10, 1),
        created_by=runner,
    )
    for position, key in enumerate(SECTION_KEYS, start=1):
        Section.objects.create(
            draft=draft,
            key=key,
            kind=SectionKind.COMMITMENT,
            number=str(position),
            title=f"{key.title()} commitment",
            text=f"The signatories keep their {key} promises (test text).",
            position=position,
        )
    return draft


def open_consultation(
    draft: Draft,
    runner: Any,
    *,
    audience: str = Audience.PUBLIC,
    groups: list[WorkingGroup] | None = None,
    days: int = 30,
) -> Consultation:
    now = timezone.now()
    return services.consultation_open(
        actor=runner,
        draft=draft,
        title="Consultation on the test draft",
        introduction="Tell us what you think (test).",
        audience=audience,
        working_groups=groups or [],
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=days),
    )


def section(draft: Draft, key: str) -> Section:
    return Section.objects.get(draft=draft, key=key)
