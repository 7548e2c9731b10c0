"""The documentation API beyond the role matrix: the downstream provider's side, audience
filtering, errors by field, CSV siblings, pinned query counts of the lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user, organisation, signed_in_client
from aioffice.registry.documentation import services

from .conftest import ANNEX_XII, downstream, make_provider, make_version, member_of, provider_of

pytestmark = pytest.mark.django_db

API = "/api/v1/documentation/"


def _provider_client() -> Any:
    provider = provider_of(organisation(OrganisationKind.GPAI_PROVIDER))
    return provider, signed_in_client(make_user(Role.ORGANISATION_MEMBER, "prov-member"))


def test_a_provider_files_a_document_through_the_api_and_the_gaps_are_listed() -> None:
    provider, client = _provider_client()
    version = make_version(provider)
    overview = client.get(f"{API}versions/{version.pk}").json()
    needed = [t["doc_type"] for t in overview["types"] if t["required"]]
    assert "annex_xi_2" in needed and "framework" in needed
    created = client.post(
        f"{API}versions/{version.pk}/submissions",
        {"doc_type": "annex_xii", "content": {**ANNEX_XII, "licence": ""}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["complete"] is None
    assert [m["answers"] for m in body["missing"]] == ["Annex XII 1(h)"]
    guide = SimpleUploadedFile("guide.md", b"# Integration\n", "text/markdown")
    attached = client.post(
        f"{API}submissions/{body['id']}/attachments", {"field": "integration_guide", "file": guide}
    )
    assert attached.status_code == 201, attached.content
    assert attached.json()["attachments"][0]["sha256"]
    submitted = client.post(f"{API}submissions/{body['id']}/submit").json()
    assert submitted["complete"] is False and submitted["missing_count"] == 1
    changed = client.put(
        f"{API}submissions/{body['id']}", {"content": {}}, content_type="application/json"
    )
    assert changed.status_code == 422 and changed.json()["errors"][0]["field"] == "status"
    overview = client.get(f"{API}versions/{version.pk}").json()
    row = next(t for t in overview["types"] if t["doc_type"] == "annex_xii")
    assert row["current_id"] == body["id"] and row["current_complete"] is False
    assert row["missing"][0]["answers"] == "Annex XII 1(h)"


def test_bad_input_is_a_422_naming_the_field() -> None:
    provider, client = _provider_client()
    version = make_version(provider)
    response = client.post(
        f"{API}versions/{version.pk}/submissions",
        {"doc_type": "annex_xi_1", "content": {"parameters": "lots", "wings": 2}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"parameters", "wings"}
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xi_1", content={}
    )
    exe = SimpleUploadedFile("x.exe", b"MZ\x90", "application/x-msdownload")
    response = client.post(
        f"{API}submissions/{draft.pk}/attachments", {"field": "supporting_documents", "file": exe}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    response = client.get(f"{API}submissions?doc_type=memo")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "doc_type"


def test_the_audience_filter_shows_only_that_audiences_fields() -> None:
    provider, client = _provider_client()
    version = make_version(provider)
    draft = services.submission_save_draft(
        actor=None,
        version=version,
        doc_type="copyright_policy",
        content={"policy_summary": "We honour opt-outs.", "responsibilities": "Legal team."},
    )
    public = client.get(f"{API}submissions/{draft.pk}?audience=public").json()
    assert public["content"] == {"policy_summary": "We honour opt-outs."}
    whole = client.get(f"{API}submissions/{draft.pk}").json()
    assert set(whole["content"]) == {"policy_summary", "responsibilities"}


def test_a_downstream_provider_asks_and_sees_only_the_downstream_fields_of_the_answer() -> None:
    provider, provider_client = _provider_client()
    version = make_version(provider)
    integrator = downstream()
    client = signed_in_client(member_of(integrator, "integrator"))
    asked = client.post(
        f"{API}versions/{version.pk}/requests",
        {"message": "We integrate it in a hiring tool."},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    made = asked.json()
    assert made["requester"] == integrator.name and made["overdue"] is False
    assert made["period_status"] == "CODE" and made["answer_content"] is None
    assert client.get(f"{API}versions/{version.pk}").status_code == 404
    assert client.get(f"{API}requests").json()["count"] == 1
    assert provider_client.get(f"{API}requests").json()["count"] == 1
    # The provider answers with a submitted Annex XII document carrying a guide.
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
    )
    guide = services.attachment_add(
        actor=None,
        submission=draft,
        field_key="integration_guide",
        upload=SimpleUploadedFile("guide.txt", b"Use the SDK.", "text/plain"),
    )
    submitted = services.submission_submit(actor=None, submission=draft)
    forbidden = client.post(
        f"{API}requests/{made['id']}/answer",
        {"submission_id": submitted.pk},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    answered = provider_client.post(
        f"{API}requests/{made['id']}/answer",
        {"submission_id": submitted.pk, "note": "Welcome."},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    seen = client.get(f"{API}requests/{made['id']}").json()
    assert seen["answer_content"]["io_max_size"] == ANNEX_XII["io_max_size"]
    assert [a["name"] for a in seen["answer_attachments"]] == ["guide.txt"]
    assert client.get(seen["answer_attachments"][0]["url"]).status_code == 200
    assert client.get(f"{API}submissions/{submitted.pk}").status_code == 404
    # Another downstream provider sees none of it.
    other = signed_in_client(member_of(downstream("Other Integrator"), "other-integrator"))
    assert other.get(f"{API}requests/{made['id']}").status_code == 404
    assert other.get(f"/documentation/attachments/{guide.pk}/").status_code == 404


def test_csv_siblings_have_the_same_rows_as_the_lists() -> None:
    provider, client = _provider_client()
    version = make_version(provider)
    for doc_type in ("annex_xi_1", "annex_xii"):
        services.submission_save_draft(actor=None, version=version, doc_type=doc_type, content={})
    services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="=HYPERLINK(1)"
    )
    response = client.get(f"{API}submissions.csv?doc_type=annex_xii")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,provider,model") and len(lines) == 2
    response = client.get(f"{API}requests.csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2


def test_lists_have_a_pinned_number_of_queries(django_assert_num_queries: Any) -> None:
    provider, client = _provider_client()
    staff = signed_in_client(make_user(Role.POLICY_OFFICER, "officer"))
    other = make_provider("Other")
    for i, owner in enumerate([provider] * 6 + [other] * 6):
        version = make_version(owner, f"v{i}")
        for doc_type in ("annex_xi_1", "annex_xii", "training_summary"):
            services.submission_save_draft(
                actor=None, version=version, doc_type=doc_type, content={}
            )
        services.annex_xii_request_create(
            actor=None, requester=downstream(), version=version, message="Please."
        )
    assert client.get(f"{API}submissions?page_size=50").json()["count"] == 18
    assert staff.get(f"{API}submissions?page_size=50").json()["count"] == 36
    # session, user, roles, count, page (staff: and the OTP device), whatever the page size.
    with django_assert_num_queries(5):
        client.get(f"{API}submissions?page_size=50")
    with django_assert_num_queries(5):
        client.get(f"{API}requests?page_size=50")
    with django_assert_num_queries(6):
        staff.get(f"{API}submissions?page_size=50")
    with django_assert_num_queries(6):
        staff.get(f"{API}requests?page_size=50&overdue=false")


def test_a_version_not_on_the_market_cannot_be_asked_about_page_or_api() -> None:
    """Art. 78: a downstream provider learns nothing of a version not yet placed on the
    market (a 404, as for an id that does not exist), through the API or the page."""
    provider, _client = _provider_client()
    unreleased = make_version(provider, "2.0")
    unreleased.placed_on_market = None
    unreleased.save(update_fields=["placed_on_market"])
    client = signed_in_client(member_of(downstream(), "integrator"))
    asked = client.post(
        f"{API}versions/{unreleased.pk}/requests",
        {"message": "What is it?"},
        content_type="application/json",
    )
    assert asked.status_code == 404
    assert (
        client.get(f"/documentation/versions/{unreleased.pk}/annex-xii-request/").status_code == 404
    )


@pytest.mark.parametrize(
    ("content", "field"),
    [({"parameters": "1e400"}, "parameters"), ({"intended_tasks": "\ud800"}, "intended_tasks")],
)
def test_a_number_beyond_json_or_a_lone_surrogate_is_a_422_naming_the_field(
    content: dict[str, Any], field: str
) -> None:
    provider, client = _provider_client()
    version = make_version(provider)
    response = client.post(
        f"{API}versions/{version.pk}/submissions",
        {"doc_type": "annex_xii", "content": content},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
