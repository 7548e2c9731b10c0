"""The authorities API (/api/v1/cooperation/authorities): every route for every principal
(ALL_PRINCIPALS) and the extra users (an Art. 74(8) authority's member, a public-body
deployer); the public routes listed in PUBLIC_ROUTES and showing designated authorities
only; filters, pages, CSV, bad input named with 422, unknown ids 404, pinned query counts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.cooperation.models_authorities import Authority, ResourceReport
from aioffice.cooperation.permissions import DIRECTORY_EDITORS
from aioffice.core.schemas import MAX_ID
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal

from .authorities_world import build_world, signed_in_client
from .test_authorities_services import PDF, authority, media_root, pdf  # noqa: F401

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/cooperation/authorities"
P = PREFIX
Body = Callable[[dict[str, Any]], Any]

# One request per route: (URL template, how the body is sent, the body from the world's ids).
SAMPLES: dict[tuple[str, str], tuple[str, str, Body]] = {
    ("GET", P): ("{P}?member_state=ES&kind=market_surveillance&page=1", "none", lambda ids: None),
    ("GET", P + "/directory.csv"): ("{P}/directory.csv?member_state=FR", "none", lambda ids: None),
    ("GET", P + "/member-states"): ("{P}/member-states", "none", lambda ids: None),
    ("GET", P + "/{authority_id}"): ("{P}/{fr}", "none", lambda ids: None),
    ("POST", P): (
        "{P}",
        "json",
        lambda ids: {
            "member_state": "NL",
            "name": "Toezichthouder (test)",
            "kind": "market_surveillance",
            "sector": "financial",
        },
    ),
    ("PATCH", P + "/{authority_id}"): ("{P}/{es_notifying}", "json", lambda ids: {"tasks": "T"}),
    ("POST", P + "/{authority_id}/end"): ("{P}/{de}/end", "json", lambda ids: {}),
    ("POST", P + "/{authority_id}/single-point-of-contact"): (
        "{P}/{es_general}/single-point-of-contact",
        "json",
        lambda ids: {},
    ),
    ("POST", P + "/member-states/{code}/resource-reports"): (
        "{P}/member-states/FR/resource-reports",
        "multipart",
        lambda ids: {"received_on": ids["today"], "file": pdf(), "summary": "S"},
    ),
    ("GET", P + "/member-states/{code}/resource-reports/{report_id}/file"): (
        "{P}/member-states/FR/resource-reports/{report}/file",
        "none",
        lambda ids: None,
    ),
}
PUBLIC = {
    ("GET", P),
    ("GET", P + "/directory.csv"),
    ("GET", P + "/member-states"),
    ("GET", P + "/{authority_id}"),
}
EDITING = {
    ("POST", P): 201,
    ("PATCH", P + "/{authority_id}"): 200,
    ("POST", P + "/{authority_id}/end"): 200,
    ("POST", P + "/{authority_id}/single-point-of-contact"): 200,
}
STAFF = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
RECORD = ("POST", P + "/member-states/{code}/resource-reports")
FILE = ("GET", P + "/member-states/{code}/resource-reports/{report_id}/file")
# the national-authority principal acts for the French authority; `dpa` for a Spanish one
FRENCH = Role.NATIONAL_AUTHORITY_MEMBER


def expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    route = (method, path)
    if route in PUBLIC:
        return 200
    if name == ANONYMOUS:
        return 401
    if route in EDITING:
        return EDITING[route] if name in DIRECTORY_EDITORS else 403
    if route == RECORD:
        return 201 if name in DIRECTORY_EDITORS or name == FRENCH else 403
    if route == FILE:
        return 200 if name in STAFF or name == FRENCH else 403
    raise AssertionError(route)


def send(client: Client, method: str, url: str, encoding: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if encoding == "multipart":
        return client.post(url, body)
    return client.generic(
        method, url, json.dumps(body, default=str), content_type="application/json"
    )


def world_ids() -> dict[str, Any]:
    world = build_world()
    ids: dict[str, Any] = dict(world.ids())
    ids["today"] = world.report.received_on.isoformat()
    return ids


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)


def test_the_public_routes_are_listed_and_no_other() -> None:
    listed = {path for path in PUBLIC_ROUTES if path.startswith(PREFIX)}
    assert listed == {path for _method, path in PUBLIC}


def check(name: str, client: Client) -> None:
    ids = world_ids()
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(client, method, url, encoding, body(ids))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
        elif path.endswith("/file"):
            assert response["X-Content-SHA256"] == ResourceReport.objects.get().sha256


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    check(name, principal(name).client)


@pytest.mark.parametrize("username", ["dpa", "city"])
def test_every_route_for_the_extra_users(username: str) -> None:
    """A Spanish Art. 74(8) authority's member and a public-body deployer: the public routes
    only; neither records France's report nor reads its file."""
    ids = world_ids()
    from aioffice.accounts.models import User

    client = signed_in_client(User.objects.get(username=username))
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(client, method, url, encoding, body(ids))
        want = 200 if (method, path) in PUBLIC else 403
        assert response.status_code == want, (username, method, path, response.content[:300])


def test_the_spanish_authority_records_its_own_report() -> None:
    build_world()
    from aioffice.accounts.models import User

    client = signed_in_client(User.objects.get(username="dpa"))
    response = client.post(
        f"{P}/member-states/ES/resource-reports",
        {"received_on": "2025-08-01", "file": pdf(), "due_on": ""},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["member_state"] == "ES" and data["sha256"] and data["filename"] == "report.pdf"
    file = client.get(f"{P}/member-states/ES/resource-reports/{data['id']}/file")
    assert file.status_code == 200 and b"".join(file.streaming_content) == PDF


def test_only_designated_authorities_are_public() -> None:
    world = build_world()
    client = Client()
    names = {a["name"] for a in client.get(P, {"page_size": 100}).json()["items"]}
    assert world.it_ended.name not in names and world.fr.name in names
    assert client.get(f"{P}/{world.it_ended.pk}").status_code == 404
    rows = list(csv.reader(io.StringIO(b"".join(client.get(f"{P}/directory.csv")).decode())))
    assert rows[0][:3] == ["id", "member_state", "name"]
    assert world.it_ended.name not in {row[2] for row in rows[1:]}
    assert len(rows) == 1 + Authority.objects.filter(active=True).count()


def test_filters_and_the_public_detail() -> None:
    world = build_world()
    client = Client()

    def names(**query: Any) -> list[str]:
        response = client.get(P, query)
        assert response.status_code == 200, response.content
        return [item["name"] for item in response.json()["items"]]

    assert names(member_state="ES", kind="notifying") == [world.es_notifying.name]
    assert names(sector="data_protection") == [world.es_dpa.name]
    assert names(q="MARKTAUFSICHT") == [world.de.name]
    assert names(member_state="ES", page_size=1, page=2) == [world.es_general.name]
    detail = client.get(f"{P}/{world.fr.pk}").json()
    assert detail["single_point_of_contact"] is True and detail["email"] == "contact@msa.example"
    assert "organisation" not in detail and "active" not in detail


def test_the_member_states_show_gaps_and_reports() -> None:
    world = build_world()
    rows = {row["code"]: row for row in Client().get(f"{P}/member-states").json()}
    assert len(rows) == 27
    assert rows["FR"]["single_point_of_contact"] == world.fr.pk and rows["FR"]["gaps"] == [
        "notifying"
    ]
    assert rows["FR"]["last_report_received_on"] == world.report.received_on.isoformat()
    assert rows["FR"]["report"]["due_on"] > world.report.due_on.isoformat()
    assert rows["PT"]["gaps"] == ["notifying", "market_surveillance", "single_point_of_contact"]
    assert rows["PT"]["report"]["due_on"] == world.report.due_on.isoformat()
    assert rows["IT"]["gaps"] == ["notifying", "market_surveillance", "single_point_of_contact"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{P}?member_state=UK", "member_state"),
        (f"{P}?kind=ombudsman", "kind"),
        (f"{P}?sector=space", "sector"),
        (f"{P}?q=%00", "q"),
        (f"{P}?q=" + "x" * 201, "q"),
        (f"{P}?page=0", "page"),
        (f"{P}/directory.csv?member_state=XX", "member_state"),
        (f"{P}/0", "authority_id"),
        (f"{P}/abc", "authority_id"),
        (f"{P}/{MAX_ID + 1}", "authority_id"),
    ],
)
def test_a_bad_query_is_a_422_naming_it(url: str, field: str) -> None:
    response = Client().get(url)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_unknown_id_is_a_404() -> None:
    build_world()
    client = principal(Role.HEAD_OF_UNIT).client
    assert Client().get(f"{P}/{MAX_ID}").status_code == 404
    assert client.patch(f"{P}/{MAX_ID}", "{}", content_type="application/json").status_code == 404
    assert client.post(f"{P}/{MAX_ID}/end").status_code == 404
    assert client.get(f"{P}/member-states/FR/resource-reports/{MAX_ID}/file").status_code == 404


NOTIFYING = {"member_state": "FR", "name": "N", "kind": "notifying"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NOTIFYING, "name": "Autorité de surveillance (test)"}, "name"),
        ({**NOTIFYING, "name": "N\x00"}, "name"),
        ({**NOTIFYING, "email": "x"}, "email"),
        ({**NOTIFYING, "organisation": 1}, "organisation"),
        ({**NOTIFYING, "organisation": MAX_ID}, "organisation"),
        ({**NOTIFYING, "kind": 3}, "kind"),
        ({"member_state": "FR", "name": "N"}, "kind"),
        ({**NOTIFYING, "contact_published_on": "x"}, "contact_published_on"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(body: dict[str, Any], field: str) -> None:
    build_world()
    # organisation 1 exists (a principal's or the world's) but is not a free national one
    client = principal(Role.LEGAL_OFFICER).client
    response = client.post(P, json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}


def test_wrong_states_are_422_naming_the_field() -> None:
    world = build_world()
    client = principal(Role.POLICY_OFFICER).client
    notifying = client.post(f"{P}/{world.es_notifying.pk}/single-point-of-contact")
    assert notifying.status_code == 422
    assert notifying.json()["errors"][0]["field"] == "single_point_of_contact"
    ended = client.post(f"{P}/{world.it_ended.pk}/end")
    assert ended.status_code == 422 and ended.json()["errors"][0]["field"] == "active"
    demoted = client.patch(
        f"{P}/{world.fr.pk}", json.dumps({"kind": "notifying"}), content_type="application/json"
    )
    assert demoted.status_code == 422 and demoted.json()["errors"][0]["field"] == "kind"
    twice = client.post(
        f"{P}/member-states/FR/resource-reports",
        {
            "received_on": world.report.received_on.isoformat(),
            "file": pdf(),
            "due_on": world.report.due_on.isoformat(),
        },
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "due_on"
    wrong = client.post(
        f"{P}/member-states/FR/resource-reports",
        {"received_on": world.report.received_on.isoformat(), "file": pdf(name="x.exe")},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "file"
    missing = client.post(f"{P}/member-states/FR/resource-reports", {"received_on": "2026-01-01"})
    assert missing.status_code == 422


def test_an_editor_links_unlinks_and_renames() -> None:
    world = build_world()
    client = principal(Role.ADMINISTRATOR).client
    response = client.patch(
        f"{P}/{world.es_general.pk}",
        json.dumps({"name": "Autoridad renombrada (test)", "website": None}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Autoridad renombrada (test)"
    unlinked = client.patch(
        f"{P}/{world.fr.pk}", json.dumps({"organisation": None}), content_type="application/json"
    )
    assert unlinked.status_code == 200 and unlinked.json()["organisation"] is None


@pytest.mark.parametrize("rows", [3, 40])
def test_the_query_counts_are_pinned(rows: int, django_assert_num_queries: Any) -> None:
    for n in range(rows):
        authority(member_state="AT", name=f"Behörde {n:02d} (test)")
    client = Client()
    with django_assert_num_queries(2):  # count, page
        assert client.get(P, {"member_state": "AT"}).status_code == 200
    with django_assert_num_queries(1):
        assert b"".join(client.get(f"{P}/directory.csv").streaming_content)
    with django_assert_num_queries(3):  # counts, contact points, reports
        assert client.get(f"{P}/member-states").status_code == 200


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({}, "received_on"),
        ({"received_on": "26/11/2026"}, "received_on"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"received_on": "2026-01-01", "due_on": "soon"}, "due_on"),
        ({"received_on": "2026-01-01", "due_on": "2026-01-01"}, "due_on"),
        ({"received_on": "2026-01-01", "summary": "a\x00b"}, "summary"),
    ],
)
def test_a_bad_report_form_is_422_naming_the_field(form: dict[str, str], field: str) -> None:
    client = principal(Role.HEAD_OF_UNIT).client
    response = client.post(f"{P}/member-states/FR/resource-reports", {**form, "file": pdf()})
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
