"""The monitoring API's answers: a version's obligations, the filtered list of gaps with its
pinned query count, the CSV sibling and errors that name the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


@pytest.fixture
def world(make: Any) -> dict[str, Any]:
    alpha = make.provider("Alpha AI")
    gamma = make.provider("Gamma Inc", in_union=False)
    alpha_1 = make.version(alpha, model_name="Alpha", label="1")
    make.notify(alpha_1, TODAY)
    make.sign(alpha, TODAY - timedelta(days=30))
    gamma_1 = make.version(gamma, model_name="Gamma", label="1")
    return {
        "alpha_1": alpha_1,
        "gamma": gamma,
        "gamma_1": gamma_1,
        "staff": signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess")),
        "alpha_client": make.member_client(alpha, "alice"),
    }


def test_a_version_with_its_obligations_and_evidence(world: dict[str, Any]) -> None:
    response = world["alpha_client"].get(f"/api/v1/monitoring/versions/{world['alpha_1'].pk}")
    assert response.status_code == 200
    body = response.json()
    obligations = {o["obligation"]: o for o in body["obligations"]}
    assert obligations["art52_1"]["status"] == "met"
    assert obligations["art52_1"]["evidence"][0]["kind"] == "notification"
    assert obligations["art53_1_a"]["status"] == "overdue"
    assert obligations["art53_1_a"]["due"] == "2025-09-01"
    assert obligations["art53_3"]["status"] == "not_expected"
    assert {"obligation": "art54_1", "reason": "provider established in the Union"} in body[
        "not_applicable"
    ]


def test_the_gaps_list_filters_and_paginates(world: dict[str, Any]) -> None:
    staff = world["staff"]
    body = staff.get("/api/v1/monitoring/gaps", {"obligation": "art54_1"}).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["version_id"] == world["gamma_1"].pk
    assert [(o["obligation"], o["status"]) for o in item["obligations"]] == [("art54_1", "overdue")]
    body = staff.get("/api/v1/monitoring/gaps", {"provider": world["gamma"].pk}).json()
    assert [i["version_id"] for i in body["items"]] == [world["gamma_1"].pk]
    body = staff.get("/api/v1/monitoring/gaps", {"page_size": 1, "page": 2}).json()
    assert body["count"] == 2 and len(body["items"]) == 1


def test_bad_filters_are_422_naming_the_field(world: dict[str, Any]) -> None:
    response = world["staff"].get("/api/v1/monitoring/gaps", {"status": "bogus"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    response = world["staff"].get("/api/v1/monitoring/gaps.csv", {"obligation": "art99"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "obligation"


def test_the_csv_sibling_has_the_same_filters(world: dict[str, Any]) -> None:
    response = world["staff"].get("/api/v1/monitoring/gaps.csv", {"status": "met"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("provider,model,version,version_id")
    assert len(lines) == 2 and ",art52_1," in lines[1]


def test_the_list_query_count_is_pinned(
    make: Any, world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    staff = world["staff"]
    staff.get("/api/v1/monitoring/gaps")
    for n in range(5):
        make.version(world["gamma"], model_name="Gamma", label=f"extra-{n}")
    # session, user, OTP device, roles; page; the sources (notifications 1, mandates 1,
    # documentation 2, code of practice 5); count.
    with django_assert_num_queries(15):
        body = staff.get("/api/v1/monitoring/gaps").json()
    assert body["count"] == 7


@pytest.mark.parametrize("version_id", ["0", "-1", str(2**64)])
def test_a_version_id_outside_the_database_range_is_a_422(
    version_id: str, world: dict[str, Any]
) -> None:
    response = world["staff"].get(f"/api/v1/monitoring/versions/{version_id}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"]
