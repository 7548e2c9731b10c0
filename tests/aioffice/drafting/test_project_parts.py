"""The project page links to the other parts: the versions the viewer reads, the
consultations they may read (the AI tools only for the Office and the chairs)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from tests.aioffice.drafting.consultations_world import open_consultation, published_draft

from aioffice.core.testing import signed_in_client
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_consultations import Audience
from aioffice.drafting.models_projects import Project, WorkingGroup


def _parts(client: Client, project: Project) -> str:
    response = client.get(reverse("drafting:project", args=[project.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="project-parts"')
    return html[start : html.index("</ul>", start)]


def test_the_public_sees_the_public_text_and_consultation_not_the_tools(
    drafting_project: Project, drafting_runner: Any, drafting_group: WorkingGroup
) -> None:
    draft = published_draft(drafting_project, drafting_runner)
    public = open_consultation(draft, drafting_runner)
    members_only = open_consultation(
        draft, drafting_runner, audience=Audience.WORKING_GROUPS, groups=[drafting_group]
    )
    parts = _parts(Client(), drafting_project)
    assert reverse("drafting:draft", args=[drafting_project.slug, 1]) in parts
    assert reverse("drafting:consultation", args=[public.pk]) in parts
    assert reverse("drafting:consultation", args=[members_only.pk]) not in parts
    assert reverse("drafting:analysis", args=[public.pk]) not in parts


def test_a_member_sees_the_group_consultation_and_the_staff_see_the_tools(
    drafting_project: Project,
    drafting_runner: Any,
    drafting_group: WorkingGroup,
    drafting_member: Any,
) -> None:
    draft = published_draft(drafting_project, drafting_runner, visibility=Visibility.WORKING_GROUPS)
    members_only = open_consultation(
        draft, drafting_runner, audience=Audience.WORKING_GROUPS, groups=[drafting_group]
    )
    assert reverse("drafting:consultation", args=[members_only.pk]) not in _parts(
        Client(), drafting_project
    )
    member = _parts(signed_in_client(drafting_member), drafting_project)
    assert reverse("drafting:consultation", args=[members_only.pk]) in member
    assert reverse("drafting:analysis", args=[members_only.pk]) not in member
    staff = _parts(signed_in_client(drafting_runner), drafting_project)
    assert reverse("drafting:analysis", args=[members_only.pk]) in staff
    assert reverse("drafting:consultation_feedback", args=[members_only.pk]) in staff


def test_the_consultation_page_leads_the_office_to_the_ai_tools(
    drafting_project: Project, drafting_runner: Any
) -> None:
    consultation = open_consultation(
        published_draft(drafting_project, drafting_runner), drafting_runner
    )
    page = reverse("drafting:consultation", args=[consultation.pk])
    tools = reverse("drafting:analysis", args=[consultation.pk])
    assert tools not in Client().get(page).content.decode()
    staff = signed_in_client(drafting_runner)
    assert tools in staff.get(page).content.decode()
    feedback = reverse("drafting:consultation_feedback", args=[consultation.pk])
    assert tools in staff.get(feedback).content.decode()
