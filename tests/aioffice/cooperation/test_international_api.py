"""The international cooperation API (/api/v1/cooperation/international): every route for
every principal (ALL_PRINCIPALS and an authority's staff), the samples covering the routes
exactly; the public routes listed in PUBLIC_ROUTES show published items only and never a
contact point; filters, pages and CSV; bad input named with 422, unknown and huge ids 404;
the status history through the API; pinned query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.cooperation.api_international import CHOICES
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    PartnerKind,
    PartnerStatus,
)
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client

from .test_international_services import (
    PDF,
    agreement,
    authority_user,
    document,
    partner,
    upload,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/cooperation/international"
P = PREFIX
EDITORS = {Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}
AUTHORITY_USER = "authority_user"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _world() -> dict[str, int]:
    shown = partner()
    hidden = partner(name="Unpublished partner (demo)", country="SG", published=False)
    item = agreement(partners=[shown.pk, hidden.pk], member_states=["FR"])
    doc = document(item)
    internal = document(item, public=False, title="Internal note")
    return {
        "partner": shown.pk,
        "hidden": hidden.pk,
        "agreement": item.pk,
        "document": doc.pk,
        "internal": internal.pk,
    }


Body = Callable[[dict[str, int]], Any]
# (method, route as the OpenAPI document names it) -> (URL, how the body is sent, body)
SAMPLES: dict[tuple[str, str], tuple[str, str, Body]] = {
    ("GET", P + "/partners"): (
        "{P}/partners?kind=safety_institute&country=jp",
        "none",
        lambda i: None,
    ),
    ("GET", P + "/partners.csv"): ("{P}/partners.csv?status=active", "none", lambda i: None),
    ("GET", P + "/partners/{partner_id}"): ("{P}/partners/{partner}", "none", lambda i: None),
    ("GET", P + "/agreements"): ("{P}/agreements?member_state=FR", "none", lambda i: None),
    ("GET", P + "/agreements.csv"): ("{P}/agreements.csv?country=JP", "none", lambda i: None),
    ("GET", P + "/agreements/{agreement_id}"): (
        "{P}/agreements/{agreement}",
        "none",
        lambda i: None,
    ),
    ("GET", P + "/agreements/{agreement_id}/documents/{document_id}"): (
        "{P}/agreements/{agreement}/documents/{document}",
        "none",
        lambda i: None,
    ),
    ("GET", P + "/staff/partners"): ("{P}/staff/partners", "none", lambda i: None),
    ("POST", P + "/staff/partners"): (
        "{P}/staff/partners",
        "json",
        lambda i: {"name": "New institute (demo)", "country": "KR", "kind": "regulator"},
    ),
    ("GET", P + "/staff/partners/{partner_id}"): (
        "{P}/staff/partners/{hidden}",
        "none",
        lambda i: None,
    ),
    ("PATCH", P + "/staff/partners/{partner_id}"): (
        "{P}/staff/partners/{partner}",
        "json",
        lambda i: {"status": "dormant"},
    ),
    ("GET", P + "/staff/agreements"): ("{P}/staff/agreements", "none", lambda i: None),
    ("POST", P + "/staff/agreements"): (
        "{P}/staff/agreements",
        "json",
        lambda i: {"title": "New dialogue (demo)", "kind": "dialogue", "partners": [i["partner"]]},
    ),
    ("GET", P + "/staff/agreements/{agreement_id}"): (
        "{P}/staff/agreements/{agreement}",
        "none",
        lambda i: None,
    ),
    ("PATCH", P + "/staff/agreements/{agreement_id}"): (
        "{P}/staff/agreements/{agreement}",
        "json",
        lambda i: {"summary": "Changed."},
    ),
    ("POST", P + "/staff/agreements/{agreement_id}/status"): (
        "{P}/staff/agreements/{agreement}/status",
        "json",
        lambda i: {"status": "under_negotiation", "on": timezone.now().date().isoformat()},
    ),
    ("POST", P + "/staff/agreements/{agreement_id}/documents"): (
        "{P}/staff/agreements/{agreement}/documents",
        "multipart",
        lambda i: {"file": upload(), "title": "Text", "public": "true"},
    ),
    ("GET", P + "/staff/agreements/{agreement_id}/documents/{document_id}"): (
        "{P}/staff/agreements/{agreement}/documents/{internal}",
        "none",
        lambda i: None,
    ),
    ("POST", P + "/staff/agreements/{agreement_id}/rounds"): (
        "{P}/staff/agreements/{agreement}/rounds",
        "json",
        lambda i: {"held_on": "2026-09-01", "summary": "First round."},
    ),
}


def expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    if path in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    if name not in OFFICE_ROLES:
        return 403
    if method == "GET":
        return 200
    if name not in EDITORS:
        return 403
    return 200 if method == "PATCH" else 201


def _send(client: Client, method: str, url: str, kind: str, body: Any) -> Any:
    if kind == "json":
        return client.generic(
            method, url, data=__import__("json").dumps(body), content_type="application/json"
        )
    if kind == "multipart":
        return client.post(url, data=body)
    return client.generic(method, url)


def test_the_samples_cover_every_route_and_the_public_ones_are_listed() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)
    public = {path for _, path in SAMPLES if not path.startswith(P + "/staff/")}
    assert public <= PUBLIC_ROUTES
    assert not {path for _, path in SAMPLES if path.startswith(P + "/staff/")} & PUBLIC_ROUTES


def test_the_api_accepts_exactly_the_models_choices() -> None:
    assert {
        "partner_kind": PartnerKind.values,
        "partner_status": PartnerStatus.values,
        "agreement_kind": AgreementKind.values,
        "agreement_status": AgreementStatus.values,
    } == CHOICES


@pytest.mark.parametrize("name", [*ALL_PRINCIPALS, AUTHORITY_USER])
def test_every_principal_on_every_route(name: str, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    if name == AUTHORITY_USER:
        client = signed_in_client(authority_user())
    else:
        client = principal(name).client
    ids = _world()
    for (method, path), (template, kind, body) in SAMPLES.items():
        url = template.format(P=P, **ids)
        response = _send(client, method, url, kind, body(ids))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, url, response.content[:300])


def _csv(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _items(client: Client, url: str, **query: Any) -> list[dict[str, Any]]:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return list(response.json()["items"])


def test_the_public_sees_published_items_only_and_never_a_contact_point() -> None:
    ids = _world()
    agreement(title="Draft arrangement (demo)", published=False, member_states=["FR"])
    client = Client()
    partners = _items(client, P + "/partners")
    assert [p["name"] for p in partners] == ["Test AI Safety Institute (demo)"]
    assert "contact_point" not in partners[0]
    assert [a["title"] for a in _items(client, P + "/agreements")] == [
        "Test dialogue on evaluations (demo)"
    ]
    assert client.get(f"{P}/partners/{ids['hidden']}").status_code == 404
    draft = Agreement.objects.get(published=False)
    assert client.get(f"{P}/agreements/{draft.pk}").status_code == 404
    detail = client.get(f"{P}/agreements/{ids['agreement']}").json()
    assert [d["title"] for d in detail["documents"]] == ["The text"]
    assert [s["to_status"] for s in detail["history"]] == ["exploratory"]
    internal = f"{P}/agreements/{ids['agreement']}/documents/{ids['internal']}"
    assert client.get(internal).status_code == 404
    public = client.get(f"{P}/agreements/{ids['agreement']}/documents/{ids['document']}")
    assert b"".join(public.streaming_content) == PDF
    assert public["X-Content-SHA256"] == detail["documents"][0]["sha256"]
    body = _csv(client, P + "/partners.csv")
    assert "Ms Example" not in body and "Unpublished" not in body
    # an authority's staff get no more from the public API than anyone (pages show more)
    authority = signed_in_client(authority_user())
    assert len(_items(authority, P + "/agreements")) == 1


def test_filters_pages_and_csv() -> None:
    japan = partner()
    uk = partner(name="UK AI Security Institute (test)", country="GB", kind="safety_institute")
    oecd = partner(name="OECD (test)", country="FR", kind="international_organisation")
    agreement(title="A (demo)", partners=[japan.pk], kind="dialogue", member_states=["DE"])
    agreement(title="B (demo)", partners=[uk.pk], kind="memorandum", status="signed")
    agreement(title="C (demo)", partners=[oecd.pk, uk.pk], kind="network_membership")
    client = Client()

    def titles(**query: Any) -> list[str]:
        return [a["title"] for a in _items(client, P + "/agreements", **query)]

    assert titles() == ["A (demo)", "B (demo)", "C (demo)"]
    assert titles(country="gb") == ["B (demo)", "C (demo)"]
    assert titles(kind="memorandum") == ["B (demo)"]
    assert titles(status="signed") == ["B (demo)"]
    assert titles(member_state="DE") == ["A (demo)"]
    assert titles(partner=uk.pk) == ["B (demo)", "C (demo)"]
    assert titles(page_size=1, page=3) == ["C (demo)"]
    names = [p["name"] for p in _items(client, P + "/partners", kind="international_organisation")]
    assert names == ["OECD (test)"]
    rows = list(csv.reader(io.StringIO(_csv(client, P + "/agreements.csv?country=GB"))))
    assert rows[0][:4] == ["id", "title", "kind", "status"]
    assert [r[1] for r in rows[1:]] == ["B (demo)", "C (demo)"]
    assert rows[2][4] == "OECD (test); UK AI Security Institute (test)"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (P + "/partners?kind=club", "kind"),
        (P + "/partners?country=JPN", "country"),
        (P + "/partners?status=x", "status"),
        (P + "/agreements?member_state=UK", "member_state"),
        (P + "/agreements?status=%00", "status"),
        (P + "/agreements?page=0", "page"),
        (P + "/agreements.csv?kind=treaty", "kind"),
        (P + "/agreements?partner=0", "partner"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(url: str, field: str) -> None:
    response = Client().get(url)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("number", ["0", "99999999", str(2**63), str(10**30)])
def test_unknown_and_huge_ids_are_404(number: str) -> None:
    client = Client()
    assert client.get(f"{P}/partners/{number}").status_code == 404
    assert client.get(f"{P}/agreements/{number}").status_code == 404
    assert client.get(f"{P}/agreements/{number}/documents/{number}").status_code == 404
    staff = principal(Role.POLICY_OFFICER).client
    assert staff.get(f"{P}/staff/agreements/{number}").status_code == 404
    response = staff.post(
        f"{P}/staff/agreements/{number}/status",
        data={"status": "signed", "on": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 404


def _post(client: Client, url: str, body: dict[str, Any], method: str = "POST") -> Any:
    import json

    return client.generic(method, url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "country": "Japan", "kind": "regulator"}, "country"),
        ({"name": "X", "country": "JP", "kind": "club"}, "kind"),
        ({"name": "X\x00", "country": "JP", "kind": "regulator"}, "name"),
        ({"name": "X", "country": "JP", "kind": "regulator", "website": "nope"}, "website"),
        ({"name": "X", "country": "JP", "kind": "regulator", "published": "maybe"}, "published"),
        ({"country": "JP", "kind": "regulator"}, "name"),
    ],
)
def test_a_bad_partner_is_a_422_naming_the_field(body: dict[str, Any], field: str) -> None:
    staff = principal(Role.POLICY_OFFICER).client
    response = _post(staff, P + "/staff/partners", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_agreements_through_the_api_with_their_status_history_and_wrong_states() -> None:
    staff = principal(Role.HEAD_OF_UNIT).client
    japan = partner()
    made = _post(
        staff,
        P + "/staff/agreements",
        {
            "title": "Memorandum (demo)",
            "kind": "memorandum",
            "partners": [japan.pk],
            "member_states": ["FR", "IT"],
            "status": "under_negotiation",
            "status_on": "2026-01-10",
        },
    )
    assert made.status_code == 201, made.content
    item = made.json()
    assert item["member_states"] == ["FR", "IT"] and item["published"] is False
    url = f"{P}/staff/agreements/{item['id']}"
    signed = _post(staff, url + "/status", {"status": "signed", "on": "2026-02-01", "note": "ok"})
    assert signed.status_code == 201 and signed.json()["from_status"] == "under_negotiation"
    again = _post(staff, url + "/status", {"status": "signed", "on": "2026-02-02"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "status"
    earlier = _post(staff, url + "/status", {"status": "in_force", "on": "2026-01-01"})
    assert earlier.status_code == 422 and earlier.json()["errors"][0]["field"] == "on"
    bad = _post(staff, url + "/status", {"status": "asleep", "on": "2026-03-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    detail = staff.get(url).json()
    assert [s["to_status"] for s in detail["history"]] == ["under_negotiation", "signed"]
    assert detail["signed_on"] == "2026-02-01"
    patched = _post(staff, url, {"ends_on": "2025-01-01", "in_force_from": "2026-03-01"}, "PATCH")
    assert patched.status_code == 422 and patched.json()["errors"][0]["field"] == "ends_on"
    unknown = _post(staff, url, {"partners": [10**6]}, "PATCH")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "partners"
    published = _post(staff, url, {"published": True}, "PATCH")
    assert published.status_code == 200 and published.json()["published"] is True
    assert Client().get(f"{P}/agreements/{item['id']}").status_code == 200


def test_a_bad_document_is_a_422_naming_the_file(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = principal(Role.ADMINISTRATOR).client
    item = agreement()
    url = f"{P}/staff/agreements/{item.pk}/documents"
    response = staff.post(url, {"file": upload("x.pdf", b"MZ not a pdf")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    missing = staff.post(url, {"title": "no file"})
    assert missing.status_code == 422


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_counts_are_pinned(rows: int, django_assert_max_num_queries: Any) -> None:
    for n in range(rows):
        shown = partner(name=f"Partner {n:02d} (demo)")
        agreement(title=f"Agreement {n:02d} (demo)", partners=[shown.pk], member_states=["FR"])
    client = Client()
    with django_assert_max_num_queries(2):  # count, page
        assert client.get(P + "/partners").status_code == 200
    with django_assert_max_num_queries(4):  # count, page, partners, Member States
        assert client.get(P + "/agreements").status_code == 200
    staff = principal(Role.TECHNICAL_OFFICER).client
    with django_assert_max_num_queries(12):  # session, user, roles, second factor, and the list
        assert staff.get(P + "/staff/agreements").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(P + "/agreements.csv").status_code == 200
