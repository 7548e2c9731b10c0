"""The analysis demo data: a finished run of the demo's public consultation, made with the
embedder the settings give (lexical in tests), with the planted campaign of fifteen
letters and themes; loads once."""

from __future__ import annotations

import pytest

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.demo_data import (
    drafting,
    drafting_analysis,
    drafting_consultations,
    drafting_drafts,
    drafting_projects,
)
from aioffice.drafting.models_analysis import AnalysisRun, GroupKind, RunStatus
from aioffice.drafting.models_consultations import Consultation

pytestmark = pytest.mark.django_db


class _Users(dict[str, User]):
    """The demo's people by username, made on first use (a person with no role)."""

    def __missing__(self, name: str) -> User:
        self[name] = make_user(None, f"demo-{name}")
        return self[name]


def test_the_demo_analysis(drafting_runner: User) -> None:
    assert drafting.PARTS.index(drafting_analysis.load) == (
        drafting.PARTS.index(drafting_consultations.load) + 1
    )
    users = _Users(policy=drafting_runner, legal=make_user(Role.LEGAL_OFFICER, "demo-legal"))
    drafting_analysis.load(users=users)  # nothing to analyse yet: nothing happens
    assert not AnalysisRun.objects.exists()
    drafting_projects.load(users=users)
    drafting_drafts.load(users=users)
    drafting_consultations.load(users=users)
    drafting_analysis.load(users=users)
    drafting_analysis.load(users=users)  # idempotent
    public = Consultation.objects.get(title=drafting_consultations.PUBLIC_TITLE)
    run = AnalysisRun.objects.get()
    assert run.consultation == public and run.status == RunStatus.DONE
    assert run.model == "lexical-hash-v1" and run.params["campaign_min_size"] == 3
    # the planted campaign is the largest (the demo's combined comments repeat each other's
    # words, which the lexical embedder counts as smaller campaigns too)
    largest = run.groups.filter(kind=GroupKind.CAMPAIGN).order_by("-size", "position").first()
    assert largest is not None and largest.size == 15 and largest.respondents == 15
    assert drafting_consultations.CAMPAIGN[:40] in largest.label
    assert run.groups.filter(kind=GroupKind.THEME).count() >= 2
