"""Review: bad input to the drafting forms never gets a 500 (deeply nested or malformed
structured documents, a consultation that closes before it opens, NUL characters, dates out
of range, a CSV import that is not CSV)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.core.testing import signed_in_client
from aioffice.drafting.models_drafts import Draft
from aioffice.drafting.models_projects import Project, WorkingGroup

from .consultations_world import build_world

DOCUMENTS = {
    "nested.json": b"[" * 50000 + b"]" * 50000,
    "nested.yaml": b"[" * 50000 + b"]" * 50000,
    "list.yaml": b"- a\n- b\n",
    "scalar.json": b"3",
    "nul.yaml": b"title: a\x00b\nsections: []\n",
    "bad.yaml": b"title: [unclosed\n",
    "latin1.yaml": "title: caf\u00e9".encode("latin-1"),
    "aliases.yaml": b"a: &a ['x','x','x','x','x','x','x','x','x']\n"
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nsections: *d\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_bad_structured_document_is_a_form_error(
    name: str, drafting_project: Project, drafting_runner: Any
) -> None:
    client = signed_in_client(drafting_runner)
    response = client.post(
        f"/codes/{drafting_project.slug}/drafts/new/",
        {"how": "import", "title": "", "document": SimpleUploadedFile(name, DOCUMENTS[name])},
    )
    assert response.status_code in (200, 422), response.status_code
    assert not Draft.objects.filter(project=drafting_project).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"closes_at": "2026-12-01T10:00", "opens_at": "2026-12-20T10:00"},
        {"opens_at": "9999-12-31T23:59", "closes_at": "9999-12-31T23:59"},
        {"opens_at": "0001-01-01T00:00", "closes_at": "0001-01-02T00:00"},
        {"title": "a\x00b"},
        {"title": "x" * 100000},
        {"audience": "nobody"},
        {"audience": "working_groups", "working_groups": ["999999", "-1", "abc"]},
    ],
)
def test_opening_a_consultation_with_bad_input_is_a_form_error(
    changes: dict[str, Any],
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_runner: Any,
    drafting_member: Any,
) -> None:
    world = build_world(drafting_project, drafting_group, drafting_runner, drafting_member)
    before = world.draft.consultations.count()
    data = {
        "title": "Review",
        "introduction": "Tell us (review).",
        "audience": "public",
        "opens_at": "2026-12-01T10:00",
        "closes_at": "2026-12-20T10:00",
        **changes,
    }
    client = signed_in_client(drafting_runner)
    response = client.post(f"/codes/{drafting_project.slug}/drafts/1/consult/", data)
    assert response.status_code in (200, 422), response.status_code
    assert world.draft.consultations.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x00", b'a,b\n"unclosed\n', b"respondent\x00,name\nx\x00,y\n", b"", b"x" * 5000],
)
def test_a_bad_csv_import_is_a_form_error(
    content: bytes,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_runner: Any,
    drafting_member: Any,
) -> None:
    world = build_world(drafting_project, drafting_group, drafting_runner, drafting_member)
    client = signed_in_client(drafting_runner)
    response = client.post(
        f"/consultations/{world.closed.pk}/import/",
        {"file": SimpleUploadedFile("rows.csv", content, content_type="text/csv")},
    )
    assert response.status_code in (200, 302, 422), response.status_code
