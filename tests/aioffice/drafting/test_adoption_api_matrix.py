"""The adoption API (/api/v1/drafting/adoption/): every route for every principal. The
public routes answer everyone; the organisation-member principal acts for a provider that
signed the safety chapter on paper, signs the transparency chapter and reports; the Office's
staff read the reports; nobody else gets anything. Plus bad input and unknown codes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal
from aioffice.drafting import services_adoption as services
from aioffice.registry.testing import registered_provider

from .test_adoption_world import AdoptionWorld, adoption_world, opened, today

__all__ = ["adoption_world"]
pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/drafting/adoption"
P = PREFIX + "/{slug}"
STAFF = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
MEMBER = Role.ORGANISATION_MEMBER


def _expected(route: tuple[str, str], name: str) -> int:
    method, path = route
    if path in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    if method == "POST":
        return 201 if name == MEMBER else 403
    return 200 if name == MEMBER or name in STAFF else 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(adoption_world: AdoptionWorld, name: str) -> None:
    w = adoption_world
    opening = opened(w)
    who = principal(name)
    # the organisation member's principal acts for "Test gpai_provider"
    provider = registered_provider("Test gpai_provider") if name == MEMBER else w.alpha
    services.signature_record(
        actor=w.runner,
        opening=opening,
        provider=provider,
        chapters=[w.safety],
        signed_on=today() - datetime.timedelta(days=2),
    )
    slug = w.project.slug
    samples: dict[tuple[str, str], tuple[str, dict[str, Any] | None]] = {
        ("GET", P): (f"{PREFIX}/{slug}", None),
        ("GET", P + "/signatories"): (f"{PREFIX}/{slug}/signatories", None),
        ("GET", P + "/signatories.csv"): (f"{PREFIX}/{slug}/signatories.csv", None),
        ("POST", P + "/signatures"): (
            f"{PREFIX}/{slug}/signatures",
            {"provider": provider.pk, "chapters": [w.transparency.pk]},
        ),
        ("GET", P + "/reports"): (f"{PREFIX}/{slug}/reports", None),
        ("POST", P + "/reports"): (
            f"{PREFIX}/{slug}/reports",
            {
                "provider": provider.pk,
                "narrative": "Measures (test).",
                "values": {str(k.pk): "5" for k in w.kpis},
            },
        ),
    }
    assert set(samples) == api_routes(api, PREFIX + "/")
    for route, (url, body) in samples.items():
        if body is None:
            response = who.client.get(url)
        else:
            response = who.client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == _expected(route, name), (route, response.content[:300])
    if name == MEMBER:
        reports = who.client.get(f"{PREFIX}/{slug}/reports").json()
        assert reports["count"] == 1


def test_public_summary_lists_signatories_and_hides_unpublished_assessments(
    adoption_world: AdoptionWorld, client: Any
) -> None:
    w = adoption_world
    opening = opened(w)
    services.signature_record(
        actor=w.runner, opening=opening, provider=w.alpha, chapters=[w.safety], signed_on=today()
    )
    services.assessment_create(
        actor=w.assessor,
        draft=w.draft,
        assessed_on=today(),
        outcome="adequate",
        reasons="Fine (test).",
        board_opinion=w.opinion,
        board_opinion_note="Followed.",
    )
    body = client.get(f"{PREFIX}/{w.project.slug}").json()
    assert body["version"] == 1
    assert [c["signatories"] for c in body["chapters"]] == [[], ["Alpha Models (test)"]]
    assert body["assessments"] == []
    csv = b"".join(client.get(f"{PREFIX}/{w.project.slug}/signatories.csv").streaming_content)
    assert b"Alpha Models (test)" in csv
    assert client.get(f"{PREFIX}/no-such-code").status_code == 404


def test_bad_input_names_the_field(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opened(w)
    member = principal(MEMBER)
    provider = registered_provider("Test gpai_provider")
    url = f"{PREFIX}/{w.project.slug}/signatures"
    response = member.client.post(
        url,
        json.dumps({"provider": provider.pk, "chapters": [w.kpis[0].pk]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "chapters" in response.content.decode()
    response = member.client.post(
        f"{PREFIX}/{w.project.slug}/reports",
        json.dumps({"provider": provider.pk, "narrative": "x", "values": {"abc": "1"}}),
        content_type="application/json",
    )
    assert response.status_code == 422
