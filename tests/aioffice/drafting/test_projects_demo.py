"""The projects demo data loads through the services, once, and shows on the public page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.demo_data import drafting_projects
from aioffice.drafting.models_projects import Declaration, Member, Project

pytestmark = pytest.mark.django_db

NAMES = ("policy", "legal", "panel", "citizen", "provider", "downstream", "foreign-provider")


def test_demo_loads_once_and_is_shown(drafting_media: Path) -> None:
    from aioffice.accounts.choices import Role

    roles = {"policy": Role.POLICY_OFFICER, "legal": Role.LEGAL_OFFICER}
    users: dict[str, User] = {n: make_user(roles.get(n), n) for n in NAMES}
    drafting_projects.load(users=users)
    drafting_projects.load(users=users)
    code = Project.objects.get(slug=drafting_projects.CODE_SLUG)
    assert code.working_groups.count() == 4
    assert Member.objects.filter(working_group__project=code).count() == 12
    assert {m.category for m in Member.objects.all()} >= {"provider", "rightholder", "observer"}
    assert Declaration.objects.filter(outcome="pending").count() == 2
    assert Project.objects.count() == 2
    html = Client().get(reverse("drafting:project", args=[code.slug])).content.decode()
    assert "Opening plenary (demo data)" in html and "Civic AI Watch (demo data)" in html
    assert "Copyright group, first sitting" not in html
