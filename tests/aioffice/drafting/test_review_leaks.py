"""Review: every GET page and API route of drafting, with every id of the world in its
path, for people who may not read what is private: never a 500, and never a confidential
response's text, a respondent's e-mail address, an anonymous respondent's name, a member's
name, a declaration or an implementation report in what they get."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from aioffice.api import api
from aioffice.core.testing import api_routes, make_user, signed_in_client
from aioffice.drafting import services_projects
from aioffice.drafting.choices import StakeholderCategory
from aioffice.drafting.models_consultations import Consultation
from aioffice.drafting.models_drafts import Section
from aioffice.drafting.models_projects import (
    Declaration,
    Member,
    Project,
    ProjectRole,
    RoleKind,
    WorkingGroup,
)
from aioffice.drafting.urls import urlpatterns

from .consultations_world import build_world

SECRETS = (
    "Text of the confidential respondent",
    "confidential@example.org",
    "public@example.org",
    "anonymous@example.org",
    "Name anonymous",
    "Org anonymous",
    "Name confidential",
    "Hidden Member Name",
    "Interests kept private (review)",
)


@dataclass
class Ids:
    values: dict[str, list[Any]]


def _world(project: Project, group: WorkingGroup, runner: Any, member: Any) -> Ids:
    build_world(project, group, runner, member)
    Member.objects.filter(user=member).update(name="Hidden Member Name")
    row = Member.objects.get(user=member)
    services_projects.declaration_submit(
        actor=member, member=row, interests="Interests kept private (review)"
    )
    other = Project.objects.create(
        slug="other-code",
        title="Another code (review)",
        kind=project.kind,
        legal_basis=project.legal_basis,
        citation="Art. 56",
        summary="Another code.",
        status=project.status,
        public=True,
        created_by=runner,
    )
    WorkingGroup.objects.create(project=project, number=2, name="Group two", mandate="M.")
    pks = sorted(
        {
            *Member.objects.values_list("pk", flat=True),
            *ProjectRole.objects.values_list("pk", flat=True),
            *Declaration.objects.values_list("pk", flat=True),
        }
    )
    return Ids(
        {
            "slug": [project.slug, other.slug],
            "number": [1, 2],
            "other": [1, 2],
            "pk": pks,
            "consultation_id": list(Consultation.objects.values_list("pk", flat=True)),
            "key": list(Section.objects.values_list("key", flat=True).distinct()),
            "of": ["member", "role"],
        }
    )


def _outsiders(project: Project) -> dict[str, Client]:
    """Anonymous, a signed-in person without a role, a member of another working group, a
    chair of another project."""
    other_member = make_user(None, "review-group-two")
    Member.objects.create(
        working_group=WorkingGroup.objects.get(project=project, number=2),
        user=other_member,
        name="Other Member",
        category=StakeholderCategory.ACADEMIA,
        admitted_on=datetime.date(2026, 9, 1),
    )
    other_chair = make_user(None, "review-other-chair")
    ProjectRole.objects.create(
        project=Project.objects.get(slug="other-code"),
        user=other_chair,
        kind=RoleKind.CHAIR,
        affiliation="Elsewhere",
        independence_statement="None (review).",
        appointed_on=datetime.date(2026, 9, 1),
    )
    return {
        "anonymous": Client(),
        "no role": signed_in_client(make_user(None, "review-nobody")),
        "member of group 2": signed_in_client(other_member),
        "chair of another project": signed_in_client(other_chair),
    }


def _page_patterns() -> list[URLPattern]:
    out: list[URLPattern] = []
    for entry in urlpatterns:
        if isinstance(entry, URLResolver):  # pragma: no cover (none today)
            continue
        out.append(entry)
    return out


def _paths(ids: Ids) -> list[str]:
    found: list[str] = []
    for pattern in _page_patterns():
        names = list(pattern.pattern.converters)
        if "token" in names or "document_pk" in names:
            continue
        route = str(pattern.pattern)
        pks = ids.values["consultation_id" if route.startswith("consultations/") else "pk"]
        choices = [pks if n == "pk" else ids.values.get(n, pks) for n in names]
        for combo in itertools.product(*choices):
            try:
                found.append(
                    reverse(f"drafting:{pattern.name}", kwargs=dict(zip(names, combo, strict=True)))
                )
            except Exception:  # noqa: BLE001,S112  (a value its converter refuses)
                continue
    for method, route in _api_routes():
        if method != "GET":
            continue
        names = [part[1:-1] for part in route.split("/") if part.startswith("{")]
        choices = [ids.values.get(n, ids.values["pk"]) for n in names]
        for combo in itertools.product(*choices):
            path = route
            for name, value in zip(names, combo, strict=True):
                path = path.replace("{" + name + "}", str(value))
            found.append(path)
    return found


def _api_routes() -> list[tuple[str, str]]:
    return sorted(api_routes(api, "/api/v1/drafting/"))


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["anonymous", "no role", "member of group 2", "chair of another project"]
)
def test_no_outsider_reads_private_feedback_names_or_declarations(
    who: str,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_runner: Any,
    drafting_member: Any,
    drafting_media: Any,
) -> None:
    ids = _world(drafting_project, drafting_group, drafting_runner, drafting_member)
    paths = _paths(ids)
    assert len(paths) > 100
    problems: list[str] = []
    client = _outsiders(drafting_project)[who]
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
            continue
        body = _body(response)
        problems.extend(f"{path}: {s!r}" for s in SECRETS if s in body)
    assert problems == []


@pytest.mark.django_db
def test_the_crawl_sees_the_secrets_as_the_office(
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_runner: Any,
    drafting_member: Any,
    drafting_media: Any,
) -> None:
    """The crawl can fail: the Office reads every secret somewhere among the same paths."""
    ids = _world(drafting_project, drafting_group, drafting_runner, drafting_member)
    client = signed_in_client(drafting_runner)
    seen: set[str] = set()
    for path in _paths(ids):
        body = _body(client.get(path))
        seen |= {s for s in SECRETS if s in body}
    assert seen == set(SECRETS)
