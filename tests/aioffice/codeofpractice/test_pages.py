"""The public register of signatories, the staff and provider pages, and documents served
only through an access check."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user, organisation, signed_in_client
from aioffice.registry.codeofpractice import services, views
from aioffice.registry.codeofpractice.models import Chapter, FrameworkSubmission, Signature

from .conftest import make_provider, make_version, pdf, provider_of

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
REGISTER = "/registers/code-of-practice-signatories/"


def _signatories() -> None:
    alpha = make_provider("Alpha AI")
    beta = make_provider("Beta AI")
    for chapter in Chapter.values:
        services.signature_add(
            actor=None, provider=alpha, chapter=chapter, signed_on=date(2025, 8, 1)
        )
    withdrawn = services.signature_add(
        actor=None,
        provider=beta,
        chapter=Chapter.SAFETY_AND_SECURITY,
        signed_on=date(2025, 8, 4),
        source="=HYPERLINK(evil)",
    )
    services.signature_withdraw(
        actor=None, signature=withdrawn, withdrawn_on=date(2025, 12, 1), reasons="Confidential."
    )


def test_the_public_register_per_chapter_without_login(
    client: Client, django_assert_num_queries: object
) -> None:
    _signatories()
    with django_assert_num_queries(2):  # type: ignore[operator]  # count and one page
        response = client.get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    for chapter in Chapter.values:
        assert f'data-testid="signatories-{chapter}"' in html
    assert "Beta AI" in html and "2025-12-01" in html
    assert "Confidential." not in html  # the reasons are not public
    only = client.get(REGISTER, {"chapter": "copyright"}).content.decode()
    assert "Alpha AI" in only and "Beta AI" not in only


def test_the_register_as_json_and_csv(
    client: Client, django_assert_num_queries: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    _signatories()
    monkeypatch.setattr(views, "PUBLIC_PAGE_SIZE", 3)
    with django_assert_num_queries(2):  # type: ignore[operator]  # count and one page
        second = client.get("/registers/code-of-practice-signatories.json?page=2").json()
    assert (second["count"], second["page"], second["pages"], len(second["items"])) == (4, 2, 2, 1)
    monkeypatch.setattr(views, "PUBLIC_PAGE_SIZE", 100)
    data = client.get("/registers/code-of-practice-signatories.json?page=x").json()
    assert data["count"] == 4 and data["page"] == 1
    beta = next(item for item in data["items"] if item["provider"] == "Beta AI")
    assert beta["withdrawn_on"] == "2025-12-01"
    assert "withdrawal_reasons" not in beta
    response = client.get("/registers/code-of-practice-signatories.csv?chapter=safety_and_security")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["provider", "chapter", "signed_on", "withdrawn_on", "source"]
    assert len(rows) == 3
    assert rows[2][4] == "'=HYPERLINK(evil)"  # formula neutralised


def test_the_public_api_list_is_paginated_with_pinned_queries(
    client: Client, django_assert_num_queries: object
) -> None:
    _signatories()
    with django_assert_num_queries(2):  # type: ignore[operator]
        response = client.get("/api/v1/code-of-practice/signatories?page_size=2")
    assert response.json()["count"] == 4 and len(response.json()["items"]) == 2


def test_staff_record_a_signature_and_a_withdrawal_on_the_pages() -> None:
    provider = make_provider("Alpha AI")
    staff = signed_in_client(make_user(Role.POLICY_OFFICER))
    page = staff.get("/code-of-practice/signatures/")
    assert page.status_code == 200
    made = staff.post(
        "/code-of-practice/signatures/",
        {"provider": provider.pk, "chapter": "copyright", "signed_on": "2025-08-01"},
    )
    assert made.status_code == 302
    signature = Signature.objects.get()
    again = staff.post(
        "/code-of-practice/signatures/",
        {"provider": provider.pk, "chapter": "copyright", "signed_on": "2025-09-01"},
    )
    assert again.status_code == 200
    assert "withdraw that signature first" in again.content.decode()
    url = f"/code-of-practice/signatures/{signature.pk}/withdraw/"
    early = staff.post(url, {"withdrawn_on": "2025-07-01", "reasons": "Left."})
    assert early.status_code == 200 and "before it was made" in early.content.decode()
    assert staff.post(url, {"withdrawn_on": "2025-10-01", "reasons": "Left."}).status_code == 302
    signature.refresh_from_db()
    assert signature.withdrawn_on == date(2025, 10, 1)


def test_staff_pages_are_refused_to_providers_and_anonymous(client: Client) -> None:
    member = signed_in_client(make_user(Role.ORGANISATION_MEMBER))
    assert member.get("/code-of-practice/signatures/").status_code == 403
    assert client.get("/code-of-practice/signatures/").status_code == 302  # to sign in


def test_a_provider_submits_its_framework_and_report_and_only_it_reads_them(
    django_assert_num_queries: object,
) -> None:
    provider = provider_of(organisation(OrganisationKind.GPAI_PROVIDER))
    version = make_version(provider, placed_on_market=TODAY + timedelta(days=60))
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=TODAY
    )
    member = signed_in_client(make_user(Role.ORGANISATION_MEMBER))
    bad = member.post(
        "/code-of-practice/frameworks/submit/",
        {
            "provider": provider.pk,
            "framework_version": "1",
            "confirmed_on": TODAY.isoformat(),
            "document": pdf("x.pdf", b"not a pdf"),
        },
    )
    assert bad.status_code == 200 and "must be a PDF" in bad.content.decode()
    assert not FrameworkSubmission.objects.exists()
    good = member.post(
        "/code-of-practice/frameworks/submit/",
        {
            "provider": provider.pk,
            "framework_version": "1",
            "confirmed_on": TODAY.isoformat(),
            "document": pdf(),
        },
    )
    assert good.status_code == 302
    report = member.post(
        f"/code-of-practice/versions/{version.pk}/model-reports/submit/",
        {"kind": "full", "most_capable": "on", "document": pdf("report.pdf")},
    )
    assert report.status_code == 302
    deadlines = member.get("/code-of-practice/deadlines/")
    assert deadlines.status_code == 200
    assert 'data-status="met"' in deadlines.content.decode()
    assert member.get("/code-of-practice/submissions/").status_code == 200
    framework = FrameworkSubmission.objects.get()
    url = f"/code-of-practice/frameworks/{framework.pk}/document"
    download = member.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    staff = signed_in_client(make_user(Role.LEGAL_OFFICER))
    assert staff.get(url).status_code == 200
    assert staff.get("/code-of-practice/frameworks/submit/").status_code == 403
    other_org = organisation(OrganisationKind.GPAI_PROVIDER, "Other provider")
    other = make_user(None, "other-member")
    accounts.membership_add(
        actor=None, user=other, organisation=other_org, role=Role.ORGANISATION_MEMBER
    )
    outsider = signed_in_client(other)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.get(f"/code-of-practice/versions/{version.pk}/model-reports/submit/").status_code
        == 404
    )
    assert provider.name not in outsider.get("/code-of-practice/deadlines/").content.decode()
