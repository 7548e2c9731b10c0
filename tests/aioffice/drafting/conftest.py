"""Fixtures shared by the drafting tests (each part adds its own, named after the part).

The projects fixtures: a code-of-practice project in drafting with one working group, an
Office project runner, a chair (not Office staff) and a working-group member with a
sign-in. Everything else a part needs it builds on top of these."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.drafting.choices import (
    LegalBasis,
    ProjectKind,
    ProjectStatus,
    StakeholderCategory,
)
from aioffice.drafting.models_projects import Member, Project, ProjectRole, RoleKind, WorkingGroup

APPOINTED = datetime.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _drafting_fresh_cache() -> Iterator[None]:
    """Rate limits of public routes and kept pages live in the process-wide cache: each
    test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drafting_media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files of the test go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def drafting_runner(db: None) -> User:
    """An Office policy officer (may_run_projects). Clients: core.testing.signed_in_client."""
    return make_user(Role.POLICY_OFFICER, "drafting-runner")


@pytest.fixture
def drafting_project(drafting_runner: User) -> Project:
    """A public code of practice under Art. 56, in drafting."""
    return Project.objects.create(
        slug="test-code",
        title="Test code of practice for general-purpose AI models",
        kind=ProjectKind.CODE_OF_PRACTICE,
        legal_basis=LegalBasis.ART56,
        citation="Art. 56",
        summary="A code written for the tests.",
        status=ProjectStatus.DRAFTING,
        public=True,
        gpai_code=True,
        created_by=drafting_runner,
    )


@pytest.fixture
def drafting_group(drafting_project: Project) -> WorkingGroup:
    """Working group 1 of drafting_project."""
    return WorkingGroup.objects.create(
        project=drafting_project, number=1, name="Transparency (test)", mandate="Test mandate."
    )


@pytest.fixture
def drafting_chair(drafting_project: Project) -> User:
    """A person with no Office role who is a current chair of drafting_project."""
    user = make_user(None, "drafting-chair")
    ProjectRole.objects.create(
        project=drafting_project,
        user=user,
        kind=RoleKind.CHAIR,
        affiliation="Test University",
        independence_statement="I hold no interest in any provider (test).",
        appointed_on=APPOINTED,
    )
    return user


@pytest.fixture
def drafting_member(drafting_group: WorkingGroup) -> User:
    """A person with no Office role who is a current (academic) member of drafting_group."""
    user = make_user(None, "drafting-member")
    Member.objects.create(
        working_group=drafting_group,
        user=user,
        name="Test Member",
        organisation_name="Test Institute",
        category=StakeholderCategory.ACADEMIA,
        admitted_on=APPOINTED,
    )
    return user


@pytest.fixture
def analysis_world(drafting_project: Project, drafting_runner: User) -> Any:
    """The analysis part's consultation (tests/aioffice/drafting/analysis_world.py): a
    campaign, two themes, general comments, a confidential response."""
    from .analysis_world import build

    return build(drafting_project, drafting_runner)
