"""What the consultations tests build on: a published draft with three sections, and
consultations opened on it through the service (a fixed period around now)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
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


def responses_for(consultation: Consultation, runner: Any) -> list[Any]:
    """Three imported responses: public, anonymous and confidential, each with feedback on
    the transparency section and a general comment."""
    rows = []
    for kind in ("public", "anonymous", "confidential"):
        for where in ("transparency", ""):
            rows.append(
                {
                    "respondent": kind,
                    "name": f"Name {kind}",
                    "organisation": f"Org {kind}",
                    "category": "civil_society",
                    "email": f"{kind}@example.org",
                    "confidentiality": kind,
                    "section": where,
                    "position": "support" if where else "comment",
                    "comment": f"Text of the {kind} respondent on {where or 'the draft'}.",
                }
            )
    return services.import_feedback(actor=runner, consultation=consultation, rows=rows)


def close_in_the_past(consultation: Consultation) -> Consultation:
    """Move a consultation's period into the past (as if its time had run out)."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=1)
    )
    consultation.refresh_from_db()
    return consultation


@dataclass
class World:
    project: Project
    group: WorkingGroup
    runner: Any
    member: Any
    draft: Draft
    wg_draft: Draft
    public: Consultation  # open, three responses
    to_close: Consultation  # open, nothing in it
    closed: Consultation  # its period over, not published
    done: Consultation  # closed and published, three responses
    wg: Consultation  # open to working group 1

    def ids(self) -> dict[str, int]:
        return {
            "pub": self.public.pk,
            "to_close": self.to_close.pk,
            "closed": self.closed.pk,
            "done": self.done.pk,
            "wg": self.wg.pk,
            "draft": self.draft.pk,
            "group": self.group.pk,
        }


def build_world(project: Project, group: WorkingGroup, runner: Any, member: Any) -> World:
    draft = published_draft(project, runner)
    wg_draft = published_draft(project, runner, number=2, visibility=Visibility.WORKING_GROUPS)
    public = open_consultation(draft, runner)
    responses_for(public, runner)
    to_close = open_consultation(draft, runner)
    closed = close_in_the_past(open_consultation(draft, runner))
    done = open_consultation(draft, runner)
    responses_for(done, runner)
    done = close_in_the_past(done)
    services.responses_publish(actor=runner, consultation=done)
    done.refresh_from_db()
    wg = open_consultation(wg_draft, runner, audience=Audience.WORKING_GROUPS, groups=[group])
    return World(
        project, group, runner, member, draft, wg_draft, public, to_close, closed, done, wg
    )
