"""The consultations demo data: a closed, published public consultation of about sixty
responses with a campaign of fifteen, a closed working-group consultation and an open public
one on the guidelines; loads once."""

from __future__ import annotations

import pytest

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.demo_data import drafting_consultations, drafting_drafts, drafting_projects
from aioffice.drafting.models_consultations import Consultation, Feedback, Response
from aioffice.drafting.services_consultations import is_open

pytestmark = pytest.mark.django_db


class _Users(dict[str, User]):
    """The demo's people by username, made on first use (a person with no role)."""

    def __missing__(self, name: str) -> User:
        self[name] = make_user(None, f"demo-{name}")
        return self[name]


def test_the_demo_consultations(drafting_runner: User) -> None:
    users = _Users(policy=drafting_runner, legal=make_user(Role.LEGAL_OFFICER, "demo-legal"))
    drafting_projects.load(users=users)
    drafting_drafts.load(users=users)
    drafting_consultations.load(users=users)
    drafting_consultations.load(users=users)  # idempotent
    public = Consultation.objects.get(title=drafting_consultations.PUBLIC_TITLE)
    groups = Consultation.objects.get(title=drafting_consultations.GROUPS_TITLE)
    assert not is_open(public) and public.responses_published_at is not None
    assert not is_open(groups) and groups.working_groups.count() == 2
    guidelines = Consultation.objects.get(title=drafting_consultations.GUIDELINES_TITLE)
    assert is_open(guidelines) and guidelines.audience == "public"
    assert 55 <= Response.objects.filter(consultation=public).count() <= 65
    campaign = Feedback.objects.filter(comment__startswith=drafting_consultations.CAMPAIGN)
    assert campaign.count() == 15
    assert set(Response.objects.values_list("confidentiality", flat=True)) == {
        "public",
        "anonymous",
        "confidential",
    }
    assert Consultation.objects.count() == 3
