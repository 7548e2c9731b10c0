"""The watch-list API: every route for every principal (AI Office staff only), the error
format, and pinned query counts of the lists."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import api
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    api_routes,
    make_user,
    principal,
    signed_in_client,
)
from aioffice.registry.models import GPAIModel
from aioffice.registry.watchlist import services
from aioffice.registry.watchlist.models import Match, WatchlistImport

from .conftest import ROWS, csv_bytes, upload

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/watchlist/"


def _world() -> dict[str, int]:
    """An import with suggested matches, and a staged file still to map."""
    made = services.watchlist_import(
        actor=None, file=upload(csv_bytes(*ROWS)), mapping=None, source="Fictional dataset"
    )
    staged = services.watchlist_stage(
        actor=None, file=upload(csv_bytes(ROWS[1]), name="later.csv"), source="Later"
    )
    atlas, lumen = (made.rows.get(number=n).matches.first() for n in (1, 3))
    assert atlas is not None and lumen is not None
    return {
        "import": made.pk,
        "staged": staged.pk,
        "confirm": atlas.pk,
        "reject": lumen.pk,
        "row": made.rows.get(number=2).pk,  # Quill-2: nothing suggested
        "model": GPAIModel.objects.get(name="Lumen 4").pk,
    }


def _samples(w: dict[str, int]) -> dict[tuple[str, str], tuple[str, Any]]:
    """One request per route: the URL and the body (a dict is multipart, a str JSON)."""
    i = w["import"]
    upload_body = {
        "file": SimpleUploadedFile("new.csv", csv_bytes(ROWS[0], ROWS[3]), "text/csv"),
        "source": "Fictional dataset, later copy",
        "mapping": json.dumps({"model": "Model"}),
    }
    return {
        ("GET", f"{PREFIX}imports"): (f"{PREFIX}imports", None),
        ("GET", f"{PREFIX}imports.csv"): (f"{PREFIX}imports.csv", None),
        ("POST", f"{PREFIX}imports"): (f"{PREFIX}imports", upload_body),
        ("GET", f"{PREFIX}imports/{{import_id}}"): (f"{PREFIX}imports/{i}", None),
        ("POST", f"{PREFIX}imports/{{import_id}}/rows"): (
            f"{PREFIX}imports/{w['staged']}/rows",
            json.dumps(
                {"mapping": {"model": "Model", "training_compute_flop": "Training compute (FLOP)"}}
            ),
        ),
        ("GET", f"{PREFIX}imports/{{import_id}}/rows"): (f"{PREFIX}imports/{i}/rows", None),
        ("GET", f"{PREFIX}imports/{{import_id}}/rows.csv"): (f"{PREFIX}imports/{i}/rows.csv", None),
        ("POST", f"{PREFIX}imports/{{import_id}}/rows/{{row_id}}/matches"): (
            f"{PREFIX}imports/{i}/rows/{w['row']}/matches",
            json.dumps({"model_id": w["model"]}),
        ),
        ("GET", f"{PREFIX}matches"): (f"{PREFIX}matches?import_id={i}", None),
        ("GET", f"{PREFIX}matches.csv"): (f"{PREFIX}matches.csv", None),
        ("POST", f"{PREFIX}matches/{{match_id}}/confirm"): (
            f"{PREFIX}matches/{w['confirm']}/confirm",
            "{}",
        ),
        ("POST", f"{PREFIX}matches/{{match_id}}/reject"): (
            f"{PREFIX}matches/{w['reject']}/reject",
            "{}",
        ),
        ("GET", f"{PREFIX}entries"): (f"{PREFIX}entries", None),
        ("GET", f"{PREFIX}entries.csv"): (f"{PREFIX}entries.csv?on=import", None),
    }


def _expected(name: str, method: str) -> int:
    if name == ANONYMOUS:
        return 401
    if name not in OFFICE_ROLES:
        return 403
    return 201 if method == "POST" else 200


def test_every_route_has_a_sample_request() -> None:
    fake = {"import": 1, "staged": 2, "confirm": 1, "reject": 2, "row": 1, "model": 1}
    assert set(_samples(fake)) == api_routes(api, PREFIX)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str, registered: Any) -> None:
    who = principal(name)
    world = _world()
    for (method, path), (url, body) in sorted(_samples(world).items()):
        if method == "GET":
            response = who.client.get(url)
        elif isinstance(body, dict):
            response = who.client.post(url, body)
        else:
            response = who.client.post(url, body, content_type="application/json")
        expected = _expected(name, method)
        if expected == 201 and ("/matches/" in path or path.endswith("/rows")):
            expected = 200  # a decision or a mapping changes an existing record
        assert response.status_code == expected, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")


def test_staff_without_their_second_factor_are_refused(registered: Any) -> None:
    user = make_user(Role.POLICY_OFFICER, "paula")
    client = signed_in_client(user, second_factor=False)
    assert client.get(f"{PREFIX}imports").status_code == 401


def test_bad_input_names_the_field(registered: Any) -> None:
    client = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))
    world = _world()
    bad_mapping = client.post(
        f"{PREFIX}imports",
        {
            "file": SimpleUploadedFile("x.csv", b"Name,Flops\nA,1e25\n", "text/csv"),
            "source": "x",
            "mapping": "{not json",
        },
    )
    assert bad_mapping.status_code == 422
    assert bad_mapping.json()["errors"][0]["field"] == "mapping"
    unmapped = client.post(
        f"{PREFIX}imports",
        {"file": SimpleUploadedFile("x.csv", b"Name,Flops\nA,1e25\n", "text/csv"), "source": "x"},
    )
    assert unmapped.status_code == 422
    fields = {e["field"] for e in unmapped.json()["errors"]}
    assert fields == {"mapping.training_compute_flop"}  # "Name" is taken for the model
    again = client.post(
        f"{PREFIX}imports",
        {"file": SimpleUploadedFile("again.csv", csv_bytes(*ROWS), "text/csv"), "source": "x"},
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "file"
    twice = client.post(f"{PREFIX}matches/{world['confirm']}/confirm")
    assert twice.status_code == 200
    assert client.post(f"{PREFIX}matches/{world['confirm']}/confirm").status_code == 422
    assert client.get(f"{PREFIX}entries?on=yesterday").status_code == 422
    assert client.get(f"{PREFIX}imports/999999").status_code == 404
    assert client.get(f"{PREFIX}entries?import_id={world['staged']}").status_code == 422
    no_model = client.post(
        f"{PREFIX}imports/{world['import']}/rows/{world['row']}/matches",
        {"model_id": 999999},
        content_type="application/json",
    )
    assert no_model.status_code == 422 and no_model.json()["errors"][0]["field"] == "model_id"
    neither = client.post(
        f"{PREFIX}imports/{world['import']}/rows/{world['row']}/matches",
        {},
        content_type="application/json",
    )
    assert neither.status_code == 422 and neither.json()["errors"][0]["field"] == "model_id"
    assert WatchlistImport.objects.count() == 2


def test_lists_have_a_pinned_number_of_queries(
    registered: Any, django_assert_num_queries: Any
) -> None:
    client = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo"))
    world = _world()
    i = world["import"]
    for match in Match.objects.filter(pk__in=[world["confirm"], world["reject"]]):
        services.match_confirm(actor=None, match=match)
    # Every request: session, user, OTP device, roles. Then, whatever the page size:
    with django_assert_num_queries(6):  # count, page
        client.get(f"{PREFIX}imports?page_size=50")
    with django_assert_num_queries(8):  # the import, count, page, their matches
        client.get(f"{PREFIX}imports/{i}/rows?page_size=50")
    with django_assert_num_queries(6):  # count, page
        client.get(f"{PREFIX}matches?page_size=50")
    # the import, its flagged rows, confirmed matches, notifications, pending suggestions
    with django_assert_num_queries(9):
        client.get(f"{PREFIX}entries?page_size=50")
    with django_assert_num_queries(9):
        b"".join(client.get(f"{PREFIX}entries.csv").streaming_content)
    with django_assert_num_queries(6):  # the import, the rows
        b"".join(client.get(f"{PREFIX}imports/{i}/rows.csv").streaming_content)
    with django_assert_num_queries(5):  # the matches
        b"".join(client.get(f"{PREFIX}matches.csv").streaming_content)
