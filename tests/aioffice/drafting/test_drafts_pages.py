"""The drafts' pages: who reads which version (public, working groups, Office, working
drafts), the drafters' editing pages, the comparison side by side (escaped), the exports,
and a 200-section draft in a fixed number of queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft, DraftStatus
from aioffice.drafting.models_projects import Project

from .drafts_world import DOCUMENT, document, keys_in_order, published_pair

pytestmark = pytest.mark.django_db


def url(name: str, project: Project, *args: Any) -> str:
    return reverse(f"drafting:{name}", args=[project.slug, *args])


def test_who_reads_which_version(
    client: Any,
    drafting_runner: User,
    drafting_project: Project,
    drafting_chair: User,
    drafting_member: User,
) -> None:
    first, second = published_pair(drafting_runner, drafting_project, visibility="working_groups")
    services.draft_set_visibility(actor=drafting_runner, draft=first, visibility="public")
    third = services.draft_next(actor=drafting_chair, project=drafting_project)
    outsider = signed_in_client(make_user(Role.ORGANISATION_MEMBER))
    member = signed_in_client(drafting_member)
    chair = signed_in_client(drafting_chair)
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    unverified = signed_in_client(make_user(Role.LEGAL_OFFICER), second_factor=False)
    expected = {
        # (anonymous, outsider, member, chair, staff, staff without the second factor)
        1: (200, 200, 200, 200, 200, 200),
        2: (404, 404, 200, 200, 200, 404),
        3: (404, 404, 404, 200, 200, 404),
    }
    for number, codes in expected.items():
        got = tuple(
            c.get(url("draft", drafting_project, number)).status_code
            for c in (client, outsider, member, chair, staff, unverified)
        )
        assert got == codes, number
    listed = client.get(url("drafts", drafting_project))
    assert listed.status_code == 200
    assert [d.number for d in listed.context["page"].object_list] == [1]
    assert [d.number for d in member.get(url("drafts", drafting_project)).context["page"]] == [
        2,
        1,
    ]
    assert [d.number for d in chair.get(url("drafts", drafting_project)).context["page"]] == [
        3,
        2,
        1,
    ]
    # comparing needs both versions readable
    assert client.get(url("draft_compare", drafting_project, 1, 2)).status_code == 404
    assert member.get(url("draft_compare", drafting_project, 2, 1)).status_code == 200
    assert third.status == DraftStatus.WORKING
    assert second.visibility == "working_groups"


def test_a_private_project_hides_its_drafts(
    client: Any, drafting_runner: User, drafting_project: Project
) -> None:
    published_pair(drafting_runner, drafting_project)
    drafting_project.public = False
    drafting_project.save()
    assert client.get(url("draft", drafting_project, 1)).status_code == 404
    assert client.get(url("drafts", drafting_project)).status_code == 404
    assert client.get(url("draft", drafting_project, 99)).status_code == 404


def test_the_draft_page_shows_the_tree_and_escapes(
    client: Any, drafting_runner: User, drafting_project: Project
) -> None:
    doc = document()
    doc["sections"][0]["text"] = "Keep <script>alert(1)</script> out."
    draft = services.draft_import(actor=drafting_runner, project=drafting_project, document=doc)
    services.draft_publish(actor=drafting_runner, draft=draft, visibility="public")
    page = client.get(url("draft", drafting_project, 1))
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<h2 class="ecl-u-type-heading-2">1 Transparency chapter' in html
    assert '<h5 class="ecl-u-type-heading-5">KPI 1 Forms complete' in html
    assert "Publish this version" not in html


def test_a_drafter_writes_the_next_version_on_the_pages(
    drafting_project: Project, drafting_chair: User
) -> None:
    chair = signed_in_client(drafting_chair)
    upload = SimpleUploadedFile(
        "draft.yaml", yaml.safe_dump(DOCUMENT).encode(), content_type="application/yaml"
    )
    response = chair.post(
        url("draft_new", drafting_project), {"how": "import", "document": upload, "title": ""}
    )
    assert response.status_code == 302
    draft = Draft.objects.get(project=drafting_project, number=1)
    assert response["Location"] == url("draft", drafting_project, 1)
    assert draft.title == DOCUMENT["title"]
    # a section is edited, explained and moved to the top
    response = chair.post(
        url("section_edit", drafting_project, 1, "copyright"),
        {
            "kind": "chapter",
            "number": "2",
            "title": "Copyright",
            "text": "Providers respect copyright.",
            "explanation": "Shorter.",
            "registry_chapter": "copyright",
            "parent": "",
            "index": "1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert keys_in_order(draft)[0] == "copyright"
    response = chair.post(
        url("section_new", drafting_project, 1),
        {"key": "c-kpi", "kind": "kpi", "title": "Policies published", "parent": "c-measure-1"},
    )
    assert response.status_code == 302
    # a mistake is shown on the field
    response = chair.post(
        url("section_new", drafting_project, 1),
        {"key": "c-kpi-2", "kind": "kpi", "title": "Orphan", "parent": ""},
    )
    assert response.status_code == 200
    assert "sits under a measure" in str(response.context["form"].errors["kind"])
    response = chair.post(url("section_remove", drafting_project, 1, "t-measure-2"))
    assert response.status_code == 302
    assert "t-measure-2" not in keys_in_order(draft)
    response = chair.post(
        url("draft_edit", drafting_project, 1), {"title": "Renamed", "explanation": "First."}
    )
    assert response.status_code == 302
    response = chair.post(
        url("draft_publish", drafting_project, 1),
        {"visibility": "public", "published_on": "2026-11-20"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.title, str(draft.published_on)) == (
        "published",
        "Renamed",
        "2026-11-20",
    )
    # frozen: the editing pages refuse with the reason
    response = chair.post(
        url("draft_edit", drafting_project, 1), {"title": "Again", "explanation": ""}
    )
    assert response.status_code == 200
    assert "frozen" in response.content.decode()
    response = chair.post(url("draft_new", drafting_project), {"how": "copy", "title": ""})
    assert response.status_code == 302
    assert keys_in_order(Draft.objects.get(project=drafting_project, number=2)) == keys_in_order(
        draft
    )


def test_a_bad_document_is_explained_on_the_form(
    drafting_project: Project, drafting_chair: User
) -> None:
    chair = signed_in_client(drafting_chair)
    doc = document()
    doc["sections"][1]["key"] = "transparency"
    for name, body, says in (
        ("draft.json", json.dumps(doc).encode(), "sections.1.key: The key 'transparency'"),
        ("draft.yaml", b"sections: [unclosed", "neither valid YAML nor valid JSON"),
        ("draft.yaml", b"\xff\xfe", "not UTF-8"),
        ("draft.yaml", b"- a list", "must be a mapping"),
    ):
        upload = SimpleUploadedFile(name, body)
        response = chair.post(
            url("draft_new", drafting_project), {"how": "import", "document": upload}
        )
        assert response.status_code == 200
        assert says in " ".join(response.context["form"].errors["document"])
    assert not Draft.objects.exists()


def test_editing_pages_need_the_right(
    client: Any, drafting_runner: User, drafting_project: Project, drafting_member: User
) -> None:
    services.draft_import(actor=drafting_runner, project=drafting_project, document=DOCUMENT)
    member = signed_in_client(drafting_member)
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    for name, args in (
        ("draft_new", ()),
        ("draft_edit", (1,)),
        ("section_new", (1,)),
        ("section_edit", (1, "copyright")),
        ("draft_publish", (1,)),
    ):
        target = url(name, drafting_project, *args)
        assert client.get(target).status_code == 302  # to sign in
        assert member.get(target).status_code in (403, 404)
        assert staff.get(target).status_code == 403  # reads, does not write
    assert member.post(url("section_remove", drafting_project, 1, "copyright")).status_code == 404
    assert staff.post(url("section_remove", drafting_project, 1, "copyright")).status_code == 403


def test_comparison_page(client: Any, drafting_runner: User, drafting_project: Project) -> None:
    published_pair(drafting_runner, drafting_project)
    page = client.get(url("draft_compare", drafting_project, 2, 1))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["counts"] == {
        "added": 1,
        "removed": 1,
        "changed": 1,
        "unchanged": 6,
        "moved": 1,
    }
    assert "<ins> at least</ins>" in html
    assert "<ins> &lt;on the market&gt;</ins>" in html
    assert "The drafters set a floor, as many respondents asked." in html
    assert 'data-status="removed"' in html
    same = client.get(url("draft_compare", drafting_project, 1, 2))
    assert same.context["old"].number == 1  # older on the left, whichever is named first
    only = client.get(url("draft_compare", drafting_project, 2, 1) + "?changed=1")
    statuses = [(r.status, r.moved) for r in only.context["rows"]]
    assert ("unchanged", False) not in statuses
    assert len(statuses) == 4


def test_exports(client: Any, drafting_runner: User, drafting_project: Project) -> None:
    first, _second = published_pair(drafting_runner, drafting_project)
    as_json = client.get(url("draft_export", drafting_project, 1) + "?format=json")
    assert as_json["Content-Type"].startswith("application/json")
    data = json.loads(as_json.content)
    assert data["sections"] == DOCUMENT["sections"]
    as_yaml = client.get(url("draft_export", drafting_project, 1) + "?format=yaml")
    assert yaml.safe_load(as_yaml.content)["sections"] == DOCUMENT["sections"]
    printable = client.get(url("draft_export", drafting_project, 1))
    assert printable.status_code == 200
    assert "Transparency chapter" in printable.content.decode()
    # what is exported imports again into another project
    other = Project.objects.create(
        slug="other",
        title="Other",
        kind=drafting_project.kind,
        legal_basis=drafting_project.legal_basis,
        gpai_code=True,
        created_by=drafting_runner,
    )
    copy = services.draft_import(actor=drafting_runner, project=other, document=data)
    assert keys_in_order(copy) == keys_in_order(first)


def _long_document(chapters: int, per_chapter: int) -> dict[str, Any]:
    sections = []
    for c in range(chapters):
        children = [
            {
                "key": f"c{c}-m{m}",
                "kind": "measure",
                "number": f"{c + 1}.{m + 1}",
                "title": f"Measure {m + 1}",
                "text": "Words of the measure. " * 5,
                "children": [{"key": f"c{c}-m{m}-kpi", "kind": "kpi", "title": "Indicator"}],
            }
            for m in range(per_chapter)
        ]
        sections.append(
            {"key": f"c{c}", "kind": "chapter", "title": f"Chapter {c}", "children": children}
        )
    return {"title": "Long", "sections": sections}


def test_a_long_draft_renders_in_a_fixed_number_of_queries(
    drafting_runner: User,
    drafting_project: Project,
    drafting_chair: User,
    django_assert_max_num_queries: Any,
) -> None:
    big = _long_document(4, 49)  # 4 + 4 * 49 * 2 = 396 sections
    draft = services.draft_import(actor=drafting_runner, project=drafting_project, document=big)
    assert draft.sections.count() == 396
    chair = signed_in_client(drafting_chair)
    with django_assert_max_num_queries(14):
        page = chair.get(url("draft", drafting_project, 1))
    assert page.status_code == 200
    assert len(page.context["outline"]) == 396
    services.draft_publish(actor=drafting_runner, draft=draft, visibility="public")
    services.draft_next(actor=drafting_runner, project=drafting_project)
    with django_assert_max_num_queries(14):
        assert chair.get(url("draft_compare", drafting_project, 2, 1)).status_code == 200
    with django_assert_max_num_queries(14):
        assert chair.get(url("draft_export", drafting_project, 1)).status_code == 200
