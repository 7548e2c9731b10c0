"""Every route under /api/v1/documentation/ for every principal (the role matrix of this
delegated prefix, see aioffice.core.testing.DELEGATED_API_PREFIXES)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, organisation, principal
from aioffice.registry.documentation import services

from .conftest import ANNEX_XII, downstream, make_version, pdf, provider_of

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/documentation/"


def _sample() -> dict[str, int]:
    """A version (systemic risk) of the provider the organisation-member principal works
    for, one draft per writing route, a submitted Annex XII and a request for it."""
    version = make_version(provider_of(organisation(OrganisationKind.GPAI_PROVIDER)))

    def draft(doc_type: str, content: dict[str, Any] | None = None) -> int:
        return services.submission_save_draft(
            actor=None, version=version, doc_type=doc_type, content=content or {}
        ).pk

    annex_xii = services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type="annex_xii", content=ANNEX_XII
        ),
    )
    made = services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="For our assistant."
    )
    return {
        "version": version.pk,
        "edit": draft("annex_xi_1"),
        "submit": draft("copyright_policy"),
        "attach": draft("annex_xi_2"),
        "annex_xii": annex_xii.pk,
        "request": made.pk,
    }


Sample = tuple[str, Callable[[], Any] | None, str]  # url, body, encoding


def _samples(ids: dict[str, int]) -> dict[tuple[str, str], Sample]:
    v, r = ids["version"], ids["request"]
    return {
        ("GET", PREFIX + "types"): (PREFIX + "types", None, ""),
        ("GET", PREFIX + "versions/{version_id}"): (f"{PREFIX}versions/{v}", None, ""),
        ("GET", PREFIX + "submissions"): (PREFIX + "submissions?status=draft", None, ""),
        ("GET", PREFIX + "submissions.csv"): (PREFIX + "submissions.csv", None, ""),
        ("GET", PREFIX + "submissions/{submission_id}"): (
            f"{PREFIX}submissions/{ids['annex_xii']}?audience=downstream_providers",
            None,
            "",
        ),
        ("POST", PREFIX + "versions/{version_id}/submissions"): (
            f"{PREFIX}versions/{v}/submissions",
            lambda: {"doc_type": "model_report", "content": {"report_date": "2026-11-20"}},
            "json",
        ),
        ("PUT", PREFIX + "submissions/{submission_id}"): (
            f"{PREFIX}submissions/{ids['edit']}",
            lambda: {"content": {"licence": "Proprietary"}},
            "json",
        ),
        ("POST", PREFIX + "submissions/{submission_id}/submit"): (
            f"{PREFIX}submissions/{ids['submit']}/submit",
            None,
            "json",
        ),
        ("POST", PREFIX + "submissions/{submission_id}/attachments"): (
            f"{PREFIX}submissions/{ids['attach']}/attachments",
            lambda: {"field": "evaluation_reports", "file": pdf("evals.pdf")},
            "multipart",
        ),
        ("GET", PREFIX + "requests"): (PREFIX + "requests?overdue=false", None, ""),
        ("GET", PREFIX + "requests.csv"): (PREFIX + "requests.csv", None, ""),
        ("GET", PREFIX + "requests/{request_id}"): (f"{PREFIX}requests/{r}", None, ""),
        ("POST", PREFIX + "versions/{version_id}/requests"): (
            f"{PREFIX}versions/{v}/requests",
            lambda: {"message": "Please send the Annex XII information."},
            "json",
        ),
        ("POST", PREFIX + "requests/{request_id}/answer"): (
            f"{PREFIX}requests/{r}/answer",
            lambda: {"submission_id": ids["annex_xii"], "note": "Here it is."},
            "json",
        ),
    }


def _expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    if path in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    staff = name in OFFICE_ROLES
    own = name == Role.ORGANISATION_MEMBER
    if path == PREFIX + "versions/{version_id}/requests":
        return 403  # only downstream providers ask (none among these principals)
    if path == PREFIX + "versions/{version_id}/submissions" or path.endswith("/attachments"):
        return 201 if own else 403 if staff else 404
    if method in {"POST", "PUT"}:
        return 200 if own else 403 if staff else 404
    if path in {PREFIX + "types", PREFIX + "submissions", PREFIX + "requests"}:
        return 200
    if path.endswith(".csv"):
        return 200
    return 200 if staff or own else 404


def test_every_route_has_a_sample_request() -> None:
    assert set(
        _samples(
            {k: 1 for k in ("version", "request", "annex_xii")}
            | {"edit": 1, "submit": 1, "attach": 1}
        )
    ) == api_routes(api, PREFIX)


def test_no_route_of_the_prefix_is_public() -> None:
    assert not [p for _, p in api_routes(api, PREFIX) if p in PUBLIC_ROUTES]


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    ids = _sample()
    who = principal(name)
    for (method, path), (url, body, encoding) in sorted(_samples(ids).items()):
        data = body() if body else None
        if method == "GET":
            response = who.client.get(url)
        elif encoding == "multipart":
            response = who.client.post(url, data)
        elif method == "PUT":
            response = who.client.put(url, data, content_type="application/json")
        else:
            response = who.client.post(url, data, content_type="application/json")
        expected = _expected(name, method, path)
        assert response.status_code == expected, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
