"""Review: a NUL character in a filter of the feedback list (page and API) is refused or
ignored, never a 500 (PostgreSQL refuses NUL characters in a query's parameters)."""

from __future__ import annotations

from typing import Any

import pytest

from aioffice.core.testing import signed_in_client
from aioffice.drafting.models_projects import Project, WorkingGroup

from .consultations_world import build_world


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["q", "category", "section", "position", "confidentiality"])
def test_a_nul_in_a_feedback_filter_is_not_a_server_error(
    name: str,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_runner: Any,
    drafting_member: Any,
) -> None:
    world = build_world(drafting_project, drafting_group, drafting_runner, drafting_member)
    client = signed_in_client(drafting_runner)
    pk = world.public.pk
    for url in (
        f"/consultations/{pk}/feedback/",
        f"/api/v1/drafting/consultations/{pk}/feedback",
    ):
        response = client.get(url, {name: "a\x00b"})
        assert response.status_code in (200, 422), (url, response.status_code)
