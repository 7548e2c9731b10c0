"""The staff side of the portal's content: the portal hub and every page that edits guidance
and news, for every principal (anonymous: to the sign-in page; anyone but Office staff: 403;
staff: the page). The forms field by field, a whole publication through the pages, and the
hub showing each person the functions their role has."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.models import AuditEvent
from aioffice.core.schemas import MAX_ID
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client
from aioffice.portal import urls_content
from aioffice.portal.models_content import GuidanceDocument, GuidanceFile, NewsItem

from .test_content_services import (
    TODAY,
    document,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    news,
    pdf,
)

pytestmark = pytest.mark.django_db


def _world() -> dict[str, Any]:
    draft = document("draft", published=False, languages=("en",))
    published = document("published", languages=("en", "fr"))
    item = news("item", published_at=None)
    public_item = news("public-item")
    return {
        "draft": draft,
        "published": published,
        "version": draft.versions.get(),
        "file": GuidanceFile.objects.filter(version__document=published).first(),
        "item": item,
        "public_item": public_item,
    }


def _routes(w: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(url name, method, URL, data) for every staff route of the content."""
    d, p, i = w["draft"].pk, w["published"].pk, w["item"].pk
    return [
        ("staff_home", "GET", reverse("portal:staff_home"), None),
        ("guidance_admin_list", "GET", reverse("portal:guidance_admin_list"), None),
        ("guidance_create", "GET", reverse("portal:guidance_create"), None),
        (
            "guidance_create",
            "POST",
            reverse("portal:guidance_create"),
            {"slug": "new", "title": "New", "summary": "", "kind": "faq", "topic": "gpai"},
        ),
        ("guidance_admin", "GET", reverse("portal:guidance_admin", args=[d]), None),
        ("guidance_edit", "GET", reverse("portal:guidance_edit", args=[d]), None),
        (
            "guidance_edit",
            "POST",
            reverse("portal:guidance_edit", args=[d]),
            {"title": "Renamed", "summary": "S.", "kind": "faq", "topic": "gpai"},
        ),
        ("guidance_version_add", "GET", reverse("portal:guidance_version_add", args=[d]), None),
        (
            "guidance_version_add",
            "POST",
            reverse("portal:guidance_version_add", args=[d]),
            {
                "number": "2.0",
                "published_on": TODAY.isoformat(),
                "change_note": "Updated.",
                "file_en": pdf(),
            },
        ),
        (
            "guidance_file_add",
            "GET",
            reverse("portal:guidance_file_add", args=[d, w["version"].pk]),
            None,
        ),
        (
            "guidance_file_add",
            "POST",
            reverse("portal:guidance_file_add", args=[d, w["version"].pk]),
            {"language": "nl", "file": pdf()},
        ),
        ("guidance_publish", "POST", reverse("portal:guidance_publish", args=[d]), {}),
        ("guidance_unpublish", "POST", reverse("portal:guidance_unpublish", args=[p]), {}),
        (
            "guidance_file_admin",
            "GET",
            reverse("portal:guidance_file_admin", args=[w["file"].pk]),
            None,
        ),
        ("news_admin_list", "GET", reverse("portal:news_admin_list"), None),
        ("news_create", "GET", reverse("portal:news_create"), None),
        (
            "news_create",
            "POST",
            reverse("portal:news_create"),
            {
                "slug": "fresh",
                "language": "en",
                "title": "Fresh",
                "summary": "S.",
                "body": "B.",
                "topic": "gpai",
            },
        ),
        ("news_edit", "GET", reverse("portal:news_edit", args=[i]), None),
        (
            "news_edit",
            "POST",
            reverse("portal:news_edit", args=[i]),
            {"language": "fr", "title": "T", "summary": "S.", "body": "B.", "topic": "gpai"},
        ),
        ("news_publish", "POST", reverse("portal:news_publish", args=[i]), {}),
        (
            "news_unpublish",
            "POST",
            reverse("portal:news_unpublish", args=[w["public_item"].pk]),
            {},
        ),
    ]


STAFF_NAMES = {
    p.name for p in urls_content.urlpatterns if str(p.pattern).startswith("office/portal/")
}


def test_every_staff_route_is_in_the_matrix() -> None:
    w = _world()
    assert {name for name, *_rest in _routes(w)} == STAFF_NAMES


def _expected(name: str, method: str) -> int:
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    if name not in OFFICE_ROLES:
        return 403
    return 200 if method == "GET" else 302  # a change redirects to its page


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_staff_route_for_every_principal(name: str) -> None:
    w = _world()
    who = principal(name)
    events = AuditEvent.objects.filter(action__startswith="portal.").count()
    for route, method, url, data in _routes(w):
        response = who.client.get(url) if method == "GET" else who.client.post(url, data)
        assert response.status_code == _expected(name, method), (name, route, method)
        if name == ANONYMOUS:
            assert response["Location"].startswith("/accounts/login/?next=")
        elif response.status_code == 302:
            assert response["Location"].startswith("/office/portal/content/"), route
    if name in OFFICE_ROLES:
        assert GuidanceDocument.objects.filter(slug="new").exists()
        assert set(w["version"].files.values_list("language", flat=True)) == {"en", "nl"}
        assert NewsItem.objects.get(slug="item").published_at is not None
        assert not GuidanceDocument.objects.get(slug="published").published
        assert GuidanceDocument.objects.get(slug="draft").published
    else:
        assert AuditEvent.objects.filter(action__startswith="portal.").count() == events


def test_staff_without_the_second_factor_are_sent_to_it() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER, "paula"), second_factor=False)
    response = client.get(reverse("portal:guidance_admin_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor")


def test_changes_answer_only_to_post_and_unknown_objects_are_404() -> None:
    _world()
    client = principal(Role.TECHNICAL_OFFICER).client
    for name in ("guidance_publish", "guidance_unpublish", "news_publish", "news_unpublish"):
        assert client.get(reverse(f"portal:{name}", args=[1])).status_code == 405, name
    for url in (
        "/office/portal/content/guidance/999999/",
        f"/office/portal/content/guidance/{MAX_ID + 1}/",
        f"/office/portal/content/guidance/{MAX_ID + 1}/edit/",
        f"/office/portal/content/files/{MAX_ID + 1}/",
        f"/office/portal/content/news/{MAX_ID + 1}/",
        "/office/portal/content/guidance/1/versions/999999/files/new/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/office/portal/content/news/{MAX_ID + 1}/publish/").status_code == 404


# --- the hub ----------------------------------------------------------------------------------


def _functions(client: Client) -> list[str]:
    html = client.get(reverse("portal:staff_home")).content.decode()
    return re.findall(r'data-function="(\w+)"', html)


@pytest.mark.parametrize(
    ("role", "sends", "calls"),
    [
        (Role.POLICY_OFFICER, True, False),
        (Role.TECHNICAL_OFFICER, False, False),
        (Role.LEGAL_OFFICER, False, False),
        (Role.HEAD_OF_UNIT, True, True),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_the_hub_lists_the_functions_of_the_role(role: str, sends: bool, calls: bool) -> None:
    functions = _functions(principal(role).client)
    assert functions[:4] == [
        "guidance_admin_list",
        "news_admin_list",
        "literacy_admin_list",
        "support_admin_list",
    ]
    assert ("bulletin_list" in functions) is sends
    assert ("call_admin_list" in functions) is calls
    try:
        reverse("portal:enquiry_admin_list")
    except Exception:  # noqa: BLE001  (another part of the portal, maybe not built yet)
        assert "enquiry_admin_list" not in functions
    else:
        assert "enquiry_admin_list" in functions


# --- the forms --------------------------------------------------------------------------------


@pytest.fixture
def staff() -> Client:
    return principal(Role.POLICY_OFFICER).client


def _form_errors(html: str) -> dict[str, str]:
    """Each field's error as the page shows it next to the field."""
    return dict(re.findall(r'id="id_([\w-]+)-error">([^<]+)<', html))


def _post(client: Client, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code  # the form again, with errors
    html = str(response.content.decode())
    assert 'data-testid="error-summary"' in html
    return html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "Not a slug"}, "slug"),
        ({"slug": "taken"}, "slug"),
        ({"title": ""}, "title"),
        ({"kind": "novel"}, "kind"),
        ({"topic": ""}, "topic"),
        ({"summary": "nul\x00"}, "summary"),
    ],
)
def test_the_document_form_names_the_bad_field(
    staff: Client, data: dict[str, Any], field: str
) -> None:
    document("taken", versions=0, published=False)
    good = {"slug": "fine", "title": "T", "summary": "", "kind": "faq", "topic": "gpai"}
    html = _post(staff, reverse("portal:guidance_create"), {**good, **data})
    errors = _form_errors(html)
    assert list(errors) == [field]
    assert f'aria-describedby="id_{field}-error"' in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert not GuidanceDocument.objects.filter(slug="fine").exists()


def _version_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "2.0",
        "published_on": TODAY.isoformat(),
        "change_note": "Updated.",
        "file_en": pdf("en.pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "1.0"}, "number"),
        ({"number": "a b"}, "number"),
        ({"published_on": "2999-01-01"}, "published_on"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"change_note": ""}, "change_note"),
        (
            {"file_en": SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-dosexec")},
            "file_en",
        ),
        (
            {"file_fr": SimpleUploadedFile("f.pdf", b"not a pdf", content_type="application/pdf")},
            "file_fr",
        ),
        ({"other_language": "it"}, "other_file"),
        ({"other_file": pdf("it.pdf")}, "other_language"),
        ({"other_language": "en", "other_file": pdf("it.pdf")}, "other_language"),
        (
            {
                "other_language": "it",
                "other_file": SimpleUploadedFile("i.pdf", b"", content_type="application/pdf"),
            },
            "other_file",
        ),
    ],
)
def test_the_version_form_names_the_bad_field(
    staff: Client, changes: dict[str, Any], field: str
) -> None:
    doc = document("doc", languages=("en",), published=False)
    html = _post(
        staff, reverse("portal:guidance_version_add", args=[doc.pk]), _version_data(**changes)
    )
    assert field in _form_errors(html), _form_errors(html)
    assert doc.versions.count() == 1


def test_the_version_form_needs_a_file(staff: Client) -> None:
    doc = document("doc", versions=0, published=False)
    html = _post(
        staff, reverse("portal:guidance_version_add", args=[doc.pk]), _version_data(file_en=None)
    )
    assert _form_errors(html) == {"file_en": "Add the file in at least one language."}
    assert not doc.versions.exists()


def test_an_oversized_file_is_refused_with_the_limit(staff: Client, settings: Any) -> None:
    settings.DOCUMENTATION_MAX_UPLOAD_BYTES = 1000
    doc = document("doc", versions=0, published=False)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000, content_type="application/pdf")
    html = _post(
        staff, reverse("portal:guidance_version_add", args=[doc.pk]), _version_data(file_en=big)
    )
    assert "1000 bytes" in _form_errors(html)["file_en"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "feed"}, "slug"),
        ({"slug": "taken"}, "slug"),
        ({"language": "xx"}, "language"),
        ({"summary": ""}, "summary"),
        ({"body": ""}, "body"),
    ],
)
def test_the_news_form_names_the_bad_field(staff: Client, data: dict[str, Any], field: str) -> None:
    news("taken")
    good = {
        "slug": "fine",
        "language": "en",
        "title": "T",
        "summary": "S.",
        "body": "B.",
        "topic": "gpai",
    }
    html = _post(staff, reverse("portal:news_create"), {**good, **data})
    assert list(_form_errors(html)) == [field]


def test_a_bad_publication_time_is_named(staff: Client) -> None:
    item = news("item", published_at=None)
    response = staff.post(
        reverse("portal:news_publish", args=[item.pk]), {"publish-published_at": "soon"}
    )
    assert response.status_code == 200
    assert "publish-published_at" in _form_errors(response.content.decode())
    item.refresh_from_db()
    assert item.published_at is None


def test_a_document_is_published_through_the_pages(staff: Client) -> None:
    response = staff.post(
        reverse("portal:guidance_create"),
        {
            "slug": "cop-faq",
            "title": "Questions and answers on the Code of Practice",
            "summary": "Short answers.",
            "kind": "faq",
            "topic": "code_of_practice",
        },
    )
    doc = GuidanceDocument.objects.get(slug="cop-faq")
    assert response["Location"] == reverse("portal:guidance_admin", args=[doc.pk])
    publish = reverse("portal:guidance_publish", args=[doc.pk])
    page = staff.post(publish, follow=True).content.decode()
    assert "Add a version with at least one file before publishing." in page
    assert Client().get("/guidance/cop-faq/").status_code == 404
    staff.post(
        reverse("portal:guidance_version_add", args=[doc.pk]),
        {
            "number": "1.0",
            "published_on": TODAY.isoformat(),
            "file_en": pdf("en.pdf", "english"),
            "other_language": "pl",
            "other_file": pdf("pl.pdf", "polski"),
        },
    )
    assert sorted(GuidanceFile.objects.values_list("language", flat=True)) == ["en", "pl"]
    staff_page = staff.get(reverse("portal:guidance_admin", args=[doc.pk])).content.decode()
    assert "Draft: not shown to the public" in staff_page
    staff.post(publish)
    public = Client().get("/guidance/cop-faq/")
    assert public.status_code == 200
    assert '<span lang="pl">polski</span>' in public.content.decode()
    staff.post(reverse("portal:guidance_unpublish", args=[doc.pk]))
    assert Client().get("/guidance/cop-faq/").status_code == 404
    assert Client().get("/guidance/cop-faq/1.0/en/").status_code == 404
    # staff still reach the withdrawn document's file
    record = GuidanceFile.objects.get(language="en")
    download = staff.get(reverse("portal:guidance_file_admin", args=[record.pk]))
    assert download.status_code == 200
    assert download["X-Content-SHA256"] == record.sha256


def test_an_empty_post_is_a_form_with_errors(staff: Client) -> None:
    doc = document("doc", versions=0, published=False)
    for url in (
        reverse("portal:guidance_create"),
        reverse("portal:guidance_edit", args=[doc.pk]),
        reverse("portal:guidance_version_add", args=[doc.pk]),
        reverse("portal:news_create"),
    ):
        html = _post(staff, url, {})
        assert _form_errors(html), url


@pytest.mark.parametrize("page", ["guidance_admin_list", "news_admin_list"])
def test_the_staff_lists_page_with_a_pinned_number_of_queries(
    staff: Client, page: str, django_assert_num_queries: Any
) -> None:
    staff.get(reverse(f"portal:{page}"))  # the session is warm
    for n in range(25):
        document(f"doc-{n:02}", versions=1 if n % 2 else 0, published=False, languages=("en",))
        news(f"item-{n:02}", published_at=None if n % 2 else "now")
    with django_assert_num_queries(6):  # session, user, OTP device, roles; count, page
        html = staff.get(reverse(f"portal:{page}")).content.decode()
    assert html.count('class="ecl-table__row"') == 21  # the header and 20 rows
    second = staff.get(reverse(f"portal:{page}") + "?page=2").content.decode()
    assert second.count('class="ecl-table__row"') == 6
