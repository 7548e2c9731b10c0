"""The projects services: each state change, its audit event (ids and statuses only), the
refusals naming the field, and who may act."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.drafting import permissions
from aioffice.drafting import services_projects as services
from aioffice.drafting.choices import (
    MEMBER_CATEGORIES,
    ProjectStatus,
    StakeholderCategory,
    Visibility,
)
from aioffice.drafting.models_projects import (
    DeclarationOutcome,
    MeetingKind,
    Project,
    ProjectRole,
    RoleKind,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


def _field(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()  # type: ignore[return-value]


def test_create_a_project_and_its_audit(drafting_runner: User) -> None:
    project = services.project_create(
        actor=drafting_runner,
        title="Code on labelling generated content (test)",
        kind="code_of_practice",
        legal_basis="art50_7",
        summary="Our own words.",
    )
    assert project.slug == "code-on-labelling-generated-content-test"
    assert project.status == ProjectStatus.PREPARING
    event = _last("drafting.project.created")
    assert event.object_id == str(project.pk)
    assert "Our own words" not in (event.after_json or "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "poem"}, "kind"),
        ({"legal_basis": "art99"}, "legal_basis"),
        ({"legal_basis": "other"}, "citation"),
        ({"kind": "guidelines", "legal_basis": "art56"}, "legal_basis"),
        ({"legal_basis": "art50_7", "gpai_code": True}, "gpai_code"),
        ({"title": "x\x00y"}, "title"),
        ({"slug": "---"}, "slug"),
    ],
)
def test_bad_project_input_names_the_field(
    drafting_runner: User, values: dict[str, object], field: str
) -> None:
    given: dict[str, object] = {
        "title": "A code (test)",
        "kind": "code_of_practice",
        "legal_basis": "art56",
    }
    given.update(values)
    with pytest.raises(ValidationError) as exc:
        services.project_create(actor=drafting_runner, **given)  # type: ignore[arg-type]
    assert field in _field(exc)


def test_slug_taken_and_second_gpai_code_refused(
    drafting_runner: User, drafting_project: Project
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=drafting_runner,
            title="Another",
            slug=drafting_project.slug,
            kind="guidelines",
            legal_basis="other",
            citation="Art. 96",
        )
    assert _field(exc) == {"slug"}
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=drafting_runner,
            title="Second GPAI code",
            kind="code_of_practice",
            legal_basis="art56",
            gpai_code=True,
        )
    assert _field(exc) == {"gpai_code"}


@pytest.mark.parametrize(
    "role", [None, Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR, Role.ORGANISATION_MEMBER]
)
def test_only_runners_create(role: str | None) -> None:
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=make_user(role, "someone"),
            title="A code",
            kind="code_of_practice",
            legal_basis="art56",
        )


def test_update_and_status_steps(drafting_runner: User, drafting_project: Project) -> None:
    services.project_update(actor=drafting_runner, project=drafting_project, public=False)
    drafting_project.refresh_from_db()
    assert drafting_project.public is False
    with pytest.raises(ValidationError) as exc:
        services.project_update(actor=drafting_runner, project=drafting_project, status="closed")
    assert _field(exc) == {"status"}
    with pytest.raises(ValidationError) as exc:
        services.project_set_status(
            actor=drafting_runner, project=drafting_project, status="adopted"
        )
    assert _field(exc) == {"status"}
    with pytest.raises(ValidationError):
        services.project_set_status(
            actor=drafting_runner, project=drafting_project, status="preparing"
        )
    row = services.project_set_status(
        actor=drafting_runner, project=drafting_project, status="closed"
    )
    assert row.status == ProjectStatus.CLOSED
    assert _last("drafting.project.status").after_json == '{"status":"closed"}'


def test_roles_appointed_and_ended(
    drafting_runner: User, drafting_project: Project, drafting_group: WorkingGroup
) -> None:
    person = make_user(None, "vice-one")
    role = services.role_appoint(
        actor=drafting_runner,
        project=drafting_project,
        user="VICE-ONE@test.example",
        kind="vice_chair",
        working_group=drafting_group,
        affiliation="A university",
        independence_statement="No financial interest.",
    )
    assert role.user == person
    assert permissions.is_drafter(person, drafting_project)
    assert "A university" not in (_last("drafting.role.appointed").after_json or "")
    with pytest.raises(ValidationError) as exc:
        services.role_appoint(
            actor=drafting_runner,
            project=drafting_project,
            user=person,
            kind="vice_chair",
            working_group=drafting_group,
            affiliation="A university",
            independence_statement="Again.",
        )
    assert _field(exc) == {"user"}
    services.role_end(actor=drafting_runner, role=role)
    assert not permissions.is_drafter(person, drafting_project)
    with pytest.raises(ValidationError) as exc:
        services.role_end(actor=drafting_runner, role=role)
    assert _field(exc) == {"ended_on"}


@pytest.mark.parametrize(
    ("user", "kind", "extra", "field"),
    [
        ("nobody-here", "chair", {}, "user"),
        ("no-role", "drafter", {}, "user"),
        ("no-role", "chair", {"affiliation": ""}, "affiliation"),
        ("no-role", "chair", {"independence_statement": ""}, "independence_statement"),
        ("no-role", "boss", {}, "kind"),
    ],
)
def test_bad_role_input_names_the_field(
    drafting_runner: User,
    drafting_project: Project,
    user: str,
    kind: str,
    extra: dict[str, str],
    field: str,
) -> None:
    make_user(None)
    values: dict[str, Any] = {"affiliation": "Somewhere", "independence_statement": "x"}
    values.update(extra)
    with pytest.raises(ValidationError) as exc:
        services.role_appoint(
            actor=drafting_runner, project=drafting_project, user=user, kind=kind, **values
        )
    assert field in _field(exc)


def test_a_drafter_is_office_staff(drafting_runner: User, drafting_project: Project) -> None:
    officer = make_user(Role.LEGAL_OFFICER, "drafting-legal")
    role = services.role_appoint(
        actor=drafting_runner, project=drafting_project, user=officer, kind="drafter"
    )
    assert role.kind == RoleKind.DRAFTER


def test_groups_and_members(drafting_runner: User, drafting_project: Project) -> None:
    first = services.group_create(actor=drafting_runner, project=drafting_project, name="One")
    second = services.group_create(actor=drafting_runner, project=drafting_project, name="Two")
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            actor=drafting_runner, project=drafting_project, name="Three", number=2
        )
    assert _field(exc) == {"number"}
    person = make_user(None, "wg-person")
    member = services.member_admit(
        actor=drafting_runner, working_group=first, category="civil_society", user="wg-person"
    )
    assert member.name == "wg-person"
    assert permissions.member_group_ids(person, drafting_project) == {first.pk}
    with pytest.raises(ValidationError) as exc:
        services.member_admit(
            actor=drafting_runner, working_group=first, category="academia", user=person
        )
    assert _field(exc) == {"user"}
    with pytest.raises(ValidationError) as exc:
        services.member_admit(actor=drafting_runner, working_group=first, category="individual")
    assert _field(exc) == {"category"}
    with pytest.raises(ValidationError) as exc:
        services.member_admit(actor=drafting_runner, working_group=first, category="academia")
    assert _field(exc) == {"name"}
    services.member_leave(actor=drafting_runner, member=member)
    assert permissions.member_group_ids(person, drafting_project) == set()
    event = _last("drafting.member.admitted")
    assert event.object_repr == f"member {member.pk}"
    assert "wg-person" not in (event.after_json or "")


def test_declarations_with_file_and_review(
    drafting_runner: User,
    drafting_group: WorkingGroup,
    drafting_member: User,
    drafting_media: Path,
) -> None:
    member = drafting_group.members.get(user=drafting_member)
    content = b"%PDF-1.7\n% signed declaration (test)\n%%EOF\n"
    declaration = services.declaration_submit(
        actor=drafting_member,
        member=member,
        interests="Consulting for no one (test).",
        upload=SimpleUploadedFile("decl.pdf", content, "application/pdf"),
    )
    assert declaration.outcome == DeclarationOutcome.PENDING
    assert declaration.size == len(content)
    assert Path(declaration.file.path).read_bytes() == content
    assert declaration.sha256 == hashlib.sha256(content).hexdigest()
    with pytest.raises(PermissionDenied):
        services.declaration_review(
            actor=drafting_member, declaration=declaration, outcome="no_conflict"
        )
    with pytest.raises(ValidationError) as exc:
        services.declaration_review(
            actor=drafting_runner, declaration=declaration, outcome="excluded"
        )
    assert _field(exc) == {"review_note"}
    row = services.declaration_review(
        actor=drafting_runner, declaration=declaration, outcome="excluded", note="Item 3."
    )
    assert row.outcome == DeclarationOutcome.EXCLUDED and row.reviewed_by == drafting_runner


def test_declaration_refusals(
    drafting_runner: User,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_member: User,
    drafting_chair: User,
    drafting_media: Path,
) -> None:
    member = drafting_group.members.get(user=drafting_member)
    with pytest.raises(PermissionDenied):
        services.declaration_submit(actor=drafting_chair, member=member, interests="Not mine.")
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(actor=drafting_member, member=member, interests=" ")
    assert _field(exc) == {"interests"}
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(
            actor=drafting_member,
            member=member,
            interests="Fine.",
            upload=SimpleUploadedFile("x.exe", b"MZ...", "application/octet-stream"),
        )
    assert _field(exc) == {"file"}
    role = ProjectRole.objects.get(user=drafting_chair)
    assert services.declaration_submit(actor=drafting_chair, role=role, interests="None.").role
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(actor=drafting_runner, interests="Whose?")
    assert _field(exc) == {"member"}


def test_meetings_minutes_and_documents(
    drafting_runner: User,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_media: Path,
) -> None:
    starts = timezone.now() - datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=drafting_runner,
            project=drafting_project,
            kind="working_group",
            title="WG meeting",
            starts_at=starts,
        )
    assert _field(exc) == {"working_group"}
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=drafting_runner,
            project=drafting_project,
            kind="plenary",
            title="Plenary",
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
        )
    assert _field(exc) == {"ends_at"}
    meeting = services.meeting_create(
        actor=drafting_runner,
        project=drafting_project,
        kind=MeetingKind.PLENARY,
        title="First plenary (test)",
        starts_at=starts,
        agenda="1. Opening",
        visibility=Visibility.PUBLIC,
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_publish_minutes(actor=drafting_runner, meeting=meeting)
    assert _field(exc) == {"minutes"}
    services.meeting_update(actor=drafting_runner, meeting=meeting, minutes="Agreed things.")
    row = services.meeting_publish_minutes(actor=drafting_runner, meeting=meeting)
    assert row.minutes_published_on == timezone.now().date()
    assert permissions.may_see_meeting(None, row)
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(actor=drafting_runner, meeting=row, minutes="")
    assert _field(exc) == {"minutes"}
    document = services.meeting_document_add(
        actor=drafting_runner,
        meeting=row,
        upload=SimpleUploadedFile("agenda.txt", b"agenda\n", "text/plain"),
        title="Agenda",
    )
    assert document.size == 7 and len(document.sha256) == 64
    with pytest.raises(ValidationError) as exc:
        services.meeting_document_add(
            actor=drafting_runner, meeting=row, upload=None, title="Nothing"
        )
    assert _field(exc) == {"file"}


def test_member_categories_exclude_individuals() -> None:
    values = {v for v, _ in MEMBER_CATEGORIES}
    assert StakeholderCategory.INDIVIDUAL not in values
