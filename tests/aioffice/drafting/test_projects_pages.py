"""The projects pages and the doors: what each viewer sees, the Office's forms, the
downloads' access checks and the lists' query counts."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting import services_projects as services
from aioffice.drafting.choices import ProjectStatus, Visibility
from aioffice.drafting.models_projects import (
    Declaration,
    Meeting,
    MeetingKind,
    Member,
    Project,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    drafting_runner: User,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_chair: User,
    drafting_member: User,
    drafting_media: Path,
) -> dict[str, Any]:
    other = services.group_create(actor=drafting_runner, project=drafting_project, name="Other")
    outsider = services.member_admit(
        actor=drafting_runner,
        working_group=other,
        category="rightholder",
        name="Secret Person",
        organisation_name="Hidden Org",
    )
    past = timezone.now() - datetime.timedelta(days=2)
    public = services.meeting_create(
        actor=drafting_runner,
        project=drafting_project,
        kind=MeetingKind.PLENARY,
        title="Opening plenary",
        starts_at=past,
        agenda="Item one",
        visibility=Visibility.PUBLIC,
    )
    services.meeting_update(actor=drafting_runner, meeting=public, minutes="Minutes text here")
    services.meeting_publish_minutes(actor=drafting_runner, meeting=public)
    paper = services.meeting_document_add(
        actor=drafting_runner,
        meeting=public,
        upload=SimpleUploadedFile("slides.txt", b"slides\n", "text/plain"),
        title="Slides",
    )
    wg_meeting = services.meeting_create(
        actor=drafting_runner,
        project=drafting_project,
        kind=MeetingKind.WORKING_GROUP,
        working_group=other,
        title="Other group sitting",
        starts_at=past,
    )
    member = Member.objects.get(user=drafting_member)
    declaration = services.declaration_submit(
        actor=drafting_member,
        member=member,
        interests="Nothing to declare",
        upload=SimpleUploadedFile("d.txt", b"signed\n", "text/plain"),
    )
    return {
        "other": other,
        "outsider": outsider,
        "public": public,
        "paper": paper,
        "wg_meeting": wg_meeting,
        "declaration": declaration,
    }


def _page(client: Client, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_public_see_chairs_counts_and_public_minutes(
    world: dict[str, Any], drafting_project: Project
) -> None:
    html = _page(Client(), "drafting:project", drafting_project.slug)
    assert "Test University" in html  # the chair's affiliation
    assert "Secret Person" not in html and "Test Member" not in html
    assert "Opening plenary" in html
    assert "Other group sitting" not in html
    group = _page(Client(), "drafting:group", drafting_project.slug, 2)
    assert "Rightholder: 1" in group and "Secret Person" not in group
    meeting = _page(Client(), "drafting:meeting", drafting_project.slug, world["public"].pk)
    assert "Minutes text here" in meeting
    url = reverse(
        "drafting:meeting_document",
        args=[drafting_project.slug, world["public"].pk, world["paper"].pk],
    )
    response = Client().get(url)
    assert response.status_code == 200 and response["X-Content-SHA256"] == world["paper"].sha256
    hidden = reverse("drafting:meeting", args=[drafting_project.slug, world["wg_meeting"].pk])
    assert Client().get(hidden).status_code == 404
    file_url = reverse(
        "drafting:declaration_file", args=[drafting_project.slug, world["declaration"].pk]
    )
    assert Client().get(file_url).status_code == 302  # sign in first


def test_a_member_sees_own_group_only(
    world: dict[str, Any], drafting_project: Project, drafting_member: User
) -> None:
    client = signed_in_client(drafting_member)
    own = _page(client, "drafting:group", drafting_project.slug, 1)
    assert "Test Member" in own
    other = _page(client, "drafting:group", drafting_project.slug, 2)
    assert "Secret Person" not in other
    hidden = reverse("drafting:meeting", args=[drafting_project.slug, world["wg_meeting"].pk])
    assert client.get(hidden).status_code == 404
    file_url = reverse(
        "drafting:declaration_file", args=[drafting_project.slug, world["declaration"].pk]
    )
    assert client.get(file_url).status_code == 200  # their own
    assert "flagged" not in own


def test_chairs_and_staff_see_members_and_flags(
    world: dict[str, Any], drafting_project: Project, drafting_chair: User
) -> None:
    for user in (drafting_chair, make_user(Role.TECHNICAL_OFFICER, "tech-reader")):
        client = signed_in_client(user)
        other = _page(client, "drafting:group", drafting_project.slug, 2)
        assert "Secret Person" in other and 'data-testid="flagged"' in other
        assert "Other group sitting" in _page(client, "drafting:project", drafting_project.slug)
        file_url = reverse(
            "drafting:declaration_file", args=[drafting_project.slug, world["declaration"].pk]
        )
        assert client.get(file_url).status_code == 200


def test_a_private_project_is_a_404_to_outsiders(
    drafting_runner: User, drafting_project: Project
) -> None:
    services.project_update(actor=drafting_runner, project=drafting_project, public=False)
    url = reverse("drafting:project", args=[drafting_project.slug])
    assert Client().get(url).status_code == 404
    assert signed_in_client(make_user(None, "stranger")).get(url).status_code == 404
    assert signed_in_client(drafting_runner).get(url).status_code == 200
    assert drafting_project.title not in _page(Client(), "drafting:public_home")


def test_the_office_creates_a_project_and_a_meeting_through_the_forms(
    drafting_runner: User,
) -> None:
    client = signed_in_client(drafting_runner)
    response = client.post(
        reverse("drafting:project_new"),
        {"title": "Guidelines on something (test)", "kind": "guidelines", "legal_basis": "other"},
    )
    assert response.status_code == 200
    assert "Name the provision" in response.content.decode()
    response = client.post(
        reverse("drafting:project_new"),
        {
            "title": "Guidelines on something (test)",
            "kind": "guidelines",
            "legal_basis": "other",
            "citation": "Art. 96",
        },
    )
    project = Project.objects.get(title="Guidelines on something (test)")
    assert response.status_code == 302 and response["Location"].endswith(f"/{project.slug}/")
    response = client.post(
        reverse("drafting:project_status", args=[project.slug]), {"status": "drafting"}
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFTING
    response = client.post(
        reverse("drafting:meeting_new", args=[project.slug]),
        {
            "kind": "plenary",
            "title": "Kick-off",
            "starts_at": "2026-12-01 10:00",
            "visibility": "working_groups",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(project=project, title="Kick-off").exists()


@pytest.mark.parametrize(
    "role", [None, Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR, Role.ORGANISATION_MEMBER]
)
def test_others_may_not_use_the_office_forms(role: str | None, drafting_project: Project) -> None:
    client = signed_in_client(make_user(role, "not-a-runner"))
    for name, args in (
        ("drafting:project_new", []),
        ("drafting:project_edit", [drafting_project.slug]),
        ("drafting:group_new", [drafting_project.slug]),
        ("drafting:meeting_new", [drafting_project.slug]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_review_a_declaration(
    world: dict[str, Any], drafting_runner: User, drafting_project: Project
) -> None:
    url = reverse(
        "drafting:declaration_review", args=[drafting_project.slug, world["declaration"].pk]
    )
    client = signed_in_client(drafting_runner)
    assert "Nothing to declare" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "managed", "review_note": ""})
    assert response.status_code == 200 and "aria-invalid" in response.content.decode()
    client.post(url, {"outcome": "managed", "review_note": "Leaves item 2."})
    assert Declaration.objects.get(pk=world["declaration"].pk).outcome == "managed"


def test_doors(
    world: dict[str, Any],
    drafting_project: Project,
    drafting_member: User,
    drafting_runner: User,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(30):
        Project.objects.create(
            slug=f"p{n}",
            title=f"Project {n}",
            kind="guidelines",
            legal_basis="other",
            citation="Art. 96",
            public=True,
            created_by=drafting_runner,
        )
    with django_assert_max_num_queries(8):
        html = _page(Client(), "drafting:public_home")
    assert "Project 29" in html and "page=2" in html
    staff = signed_in_client(drafting_runner)
    with django_assert_max_num_queries(14):
        html = _page(staff, "drafting:staff_home")
    assert "New drafting project" in html
    html = staff.get(reverse("drafting:staff_home") + "?kind=code_of_practice").content.decode()
    assert drafting_project.title in html and "Project 3" not in html
    mine = _page(signed_in_client(drafting_member), "drafting:my_home")
    assert "Transparency (test)" in mine
    assert signed_in_client(make_user(None, "nobody")).get("/drafting/").status_code == 403
