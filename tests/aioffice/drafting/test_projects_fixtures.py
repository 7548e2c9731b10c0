"""The shared fixtures say what they promise (other parts' tests build on them)."""

from __future__ import annotations

import pytest

from aioffice.accounts.models import User
from aioffice.drafting import permissions
from aioffice.drafting.models_projects import Project, WorkingGroup

pytestmark = pytest.mark.django_db


def test_fixtures_give_chair_and_member_their_rights(
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_chair: User,
    drafting_member: User,
    drafting_runner: User,
) -> None:
    assert permissions.is_drafter(drafting_chair, drafting_project)
    assert not permissions.is_drafter(drafting_member, drafting_project)
    assert permissions.member_group_ids(drafting_member, drafting_project) == {drafting_group.pk}
    assert not permissions.is_member(drafting_chair, drafting_project)
    assert permissions.may_run_projects(drafting_runner)
    assert not permissions.may_run_projects(drafting_chair)
