"""The documentation pages: overview, the form built from the schema, the submission page
with its gaps and audience filter, downloads, and the Annex XII request pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services as registry
from aioffice.registry.documentation import services
from aioffice.registry.documentation.models import AnnexXIIRequest, DocumentSubmission

from .conftest import ANNEX_XII, downstream, make_provider, make_version, member_of

pytestmark = pytest.mark.django_db


def _setup() -> tuple[Any, Any, Any]:
    provider = make_provider("Prov")
    version = make_version(provider)
    client = signed_in_client(member_of(provider.organisation, "prov"))
    return provider, version, client


def test_the_overview_lists_the_needed_documents_with_their_state() -> None:
    _, version, client = _setup()
    services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
        ),
    )
    page = client.get(f"/documentation/versions/{version.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-type="annex_xi_2" data-required="true"' in html
    assert 'data-type="framework" data-required="true"' in html
    assert "Complete" in html and html.count("Missing") >= 1


def test_the_form_saves_a_draft_with_a_file_then_submits_with_gaps() -> None:
    _, version, client = _setup()
    url = f"/documentation/versions/{version.pk}/copyright_policy/edit/"
    assert client.get(url).status_code == 200
    policy = SimpleUploadedFile("policy.txt", b"Our policy.", "text/plain")
    response = client.post(
        url, {"policy_summary": "We follow robots.txt.", "policy_document": policy, "save": "1"}
    )
    draft = DocumentSubmission.objects.get()
    assert response.status_code == 302 and draft.is_draft
    assert draft.attachments.get().original_name == "policy.txt"
    page = client.get(f"/documentation/submissions/{draft.pk}/").content.decode()
    assert "CoP Copyright M1.1" in page and "Still missing" in page
    response = client.post(url, {"policy_summary": "We follow robots.txt.", "submit": "1"})
    draft.refresh_from_db()
    assert response.status_code == 302 and not draft.is_draft
    assert {m["key"] for m in draft.missing} == {
        "responsibilities",
        "rights_reservations",
        "lawful_access",
        "output_safeguards",
        "point_of_contact",
    }
    # The attachment is downloaded through the access-checked view.
    attachment = draft.attachments.get()
    download = client.get(f"/documentation/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"Our policy."
    stranger = signed_in_client(member_of(make_provider("Other").organisation, "other"))
    assert stranger.get(f"/documentation/attachments/{attachment.pk}/").status_code == 404
    assert stranger.get(f"/documentation/submissions/{draft.pk}/").status_code == 404
    # A record whose file is gone (a restore, a storage fault) is a 404, not a 500.
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/documentation/attachments/{attachment.pk}/").status_code == 404


def test_form_errors_are_shown_next_to_their_field() -> None:
    _, version, client = _setup()
    url = f"/documentation/versions/{version.pk}/annex_xi_1/edit/"
    exe = SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")
    response = client.post(url, {"parameters": "many", "supporting_documents": exe, "save": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "parameters" in form.errors
    assert not DocumentSubmission.objects.exists()
    response = client.post(url, {"parameters": "7e10", "supporting_documents": exe, "save": "1"})
    assert response.status_code == 200
    assert "supporting_documents" in response.context["form"].errors


def test_the_audience_filter_hides_the_other_fields() -> None:
    _, version, client = _setup()
    draft = services.submission_save_draft(
        actor=None,
        version=version,
        doc_type="annex_xi_1",
        content={"intended_tasks": "Chat.", "design_specifications": "Secret sauce."},
    )
    html = client.get(f"/documentation/submissions/{draft.pk}/?audience=downstream_providers")
    assert b"Chat." in html.content and b"Secret sauce." not in html.content
    assert b"Secret sauce." in client.get(f"/documentation/submissions/{draft.pk}/").content


def test_staff_read_but_do_not_file() -> None:
    _, version, _client = _setup()
    staff = signed_in_client(make_user(Role.LEGAL_OFFICER, "lo"))
    assert staff.get(f"/documentation/versions/{version.pk}/").status_code == 200
    assert staff.get(f"/documentation/versions/{version.pk}/annex_xii/edit/").status_code == 403
    anonymous = signed_in_client(make_user(None, "nobody"))
    assert anonymous.get(f"/documentation/versions/{version.pk}/").status_code == 404


def test_a_downstream_provider_asks_through_the_page_and_the_provider_answers() -> None:
    _, version, provider_client = _setup()
    client = signed_in_client(member_of(downstream(), "integrator"))
    url = f"/documentation/versions/{version.pk}/annex-xii-request/"
    assert client.get(url).status_code == 200
    assert provider_client.get(url).status_code == 403
    response = client.post(url, {"message": ""})
    assert response.status_code == 200 and "message" in response.context["form"].errors
    response = client.post(url, {"message": "For our hiring assistant."})
    made = AnnexXIIRequest.objects.get()
    assert response.status_code == 302
    page = provider_client.get(f"/documentation/requests/{made.pk}/").content.decode()
    assert "Submit an Annex XII document" in page
    submitted = services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
        ),
    )
    assert client.post(f"/documentation/requests/{made.pk}/", {}).status_code == 403
    response = provider_client.post(
        f"/documentation/requests/{made.pk}/", {"submission": submitted.pk, "note": "Here."}
    )
    assert response.status_code == 302
    page = client.get(f"/documentation/requests/{made.pk}/").content.decode()
    assert ANNEX_XII["io_max_size"] in page and 'data-testid="overdue"' not in page
    listing = client.get("/documentation/requests/").content.decode()
    assert f"#{made.pk}" in listing


def test_the_request_list_page_has_a_pinned_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    provider, version, client = _setup()
    for i in range(5):
        other = make_version(provider, f"v{i}")
        services.annex_xii_request_create(
            actor=None, requester=downstream(), version=other, message="Please."
        )
    services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="Please."
    )
    # session, user, roles, count, page (requests joined to requester, version, provider).
    with django_assert_num_queries(5):
        page = client.get("/documentation/requests/")
    assert page.content.decode().count('href="/documentation/requests/') == 6


def test_the_training_summary_is_published_with_its_public_fields_only() -> None:
    from django.test import Client

    _, version, _client = _setup()
    anonymous = Client()
    url = f"/registers/training-summaries/{version.pk}/"
    draft = services.submission_save_draft(
        actor=None, version=version, doc_type="training_summary", content={"user_data": "None."}
    )
    domains = services.attachment_add(
        actor=None,
        submission=draft,
        field_key="top_domains",
        upload=SimpleUploadedFile("domains.csv", b"domain\nexample.org\n", "text/csv"),
    )
    assert anonymous.get(url).status_code == 404  # a draft is not published
    assert anonymous.get(f"/registers/training-summaries/files/{domains.pk}/").status_code == 404
    first = services.submission_submit(actor=None, submission=draft)
    services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type="training_summary", content={"user_data": "Some."}
        ),
    )
    page = anonymous.get(url).content.decode()
    assert "Some." in page and "?number=1" in page
    assert "None." in anonymous.get(f"{url}?number={first.number}").content.decode()
    download = anonymous.get(f"/registers/training-summaries/files/{domains.pk}/")
    assert download.status_code == 200
    policy = services.submission_save_draft(
        actor=None, version=version, doc_type="copyright_policy", content={}
    )
    private = services.attachment_add(
        actor=None,
        submission=policy,
        field_key="policy_document",
        upload=SimpleUploadedFile("p.txt", b"Policy.", "text/plain"),
    )
    services.submission_submit(actor=None, submission=policy)
    assert anonymous.get(f"/registers/training-summaries/files/{private.pk}/").status_code == 404


# --- the public index of training-content summaries (Art. 53(1)(d)) ---------------------------


def _summary(version: Any, text: str = "Public web data.") -> DocumentSubmission:
    return services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type="training_summary", content={"user_data": text}
        ),
    )


def _named_version(provider: Any, model: str, label: str = "1.0") -> Any:
    return registry.version_create(
        actor=None,
        model=registry.model_create(actor=None, provider=provider, name=model),
        label=label,
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=1e24,
    )


def _index_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="ecl-table__row" data-version="(\d+)">', html)


def test_the_public_index_lists_the_current_summary_of_each_version() -> None:
    alpha = make_provider("Alpha Labs")
    beta = make_provider("Beta Intelligence")
    kestrel = _named_version(alpha, "Kestrel")
    osprey = _named_version(beta, "Osprey", "2.1")
    _summary(kestrel, "First.")
    _summary(kestrel, "Second.")  # the current one: listed once
    _summary(osprey)
    drafted = _named_version(beta, "Draft only")
    services.submission_save_draft(
        actor=None, version=drafted, doc_type="training_summary", content={"user_data": "x"}
    )
    services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=drafted, doc_type="copyright_policy", content={}
        ),
    )
    response = Client().get("/registers/training-summaries/")
    assert response.status_code == 200
    html = response.content.decode()
    # by provider, then model: a draft or another document type is not published
    assert _index_rows(html) == [str(kestrel.pk), str(osprey.pk)]
    assert f'href="/registers/training-summaries/{kestrel.pk}/"' in html
    assert "Alpha Labs" in html and "Beta Intelligence" in html and ">2.1<" in html
    assert "2 model versions with a published summary" in html
    assert 'class="aio-table-scroll" role="region"' in html
    # linked from the home page's registers and from every page's footer
    home = Client().get("/").content.decode()
    registers = home.split('data-testid="public-registers"')[1].split("</ul>")[0]
    assert 'href="/registers/training-summaries/"' in registers
    footer = home.split('data-testid="footer-links"')[1].split("</ul>")[0]
    assert 'href="/registers/training-summaries/"' in footer


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", ["Kestrel", "Osprey"]),
        ("alpha", ["Kestrel"]),  # the provider, in any case
        ("OSPR", ["Osprey"]),  # the model
        ("  beta  ", ["Osprey"]),
        ("nothing like it", []),
    ],
)
def test_the_public_index_is_searched_by_provider_or_model(query: str, found: list[str]) -> None:
    versions = {
        "Kestrel": _named_version(make_provider("Alpha Labs"), "Kestrel"),
        "Osprey": _named_version(make_provider("Beta Intelligence"), "Osprey"),
    }
    for version in versions.values():
        _summary(version)
    html = Client().get("/registers/training-summaries/", {"q": query}).content.decode()
    assert _index_rows(html) == [str(versions[name].pk) for name in found]
    if not found:
        assert 'data-testid="no-summary"' in html and "No summary matches" in html


@pytest.mark.parametrize("query", ["a\x00b", "x" * 201])
def test_a_bad_search_of_the_public_index_says_so_next_to_the_field(query: str) -> None:
    _summary(make_version(make_provider("Alpha Labs")))
    response = Client().get("/registers/training-summaries/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_q-error"' in html
    assert 'data-testid="error-summary"' in html
    assert len(_index_rows(html)) == 1  # the whole index, under the error


def test_the_public_index_pages_with_a_pinned_number_of_queries(
    django_assert_num_queries: Any,
) -> None:
    provider = make_provider("Alpha Labs")
    for n in range(30):
        _summary(_named_version(provider, f"Model {n:02}"))
    client = Client()
    for page, rows in ((1, 25), (2, 5)):
        with django_assert_num_queries(2):  # count, the page (joined to its version and names)
            html = client.get("/registers/training-summaries/", {"q": "model", "page": page})
        assert len(_index_rows(html.content.decode())) == rows
    assert (
        "?page=2&amp;q=model"
        in client.get("/registers/training-summaries/", {"q": "model"}).content.decode()
    )


def test_the_public_index_is_public_and_read_only() -> None:
    assert Client().get("/registers/training-summaries/").status_code == 200
    assert Client().head("/registers/training-summaries/").status_code == 200
    assert Client().post("/registers/training-summaries/").status_code == 405
