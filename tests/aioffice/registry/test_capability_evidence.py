"""Annex XIII(e): a designation cites the capability evaluations on record for a version.

The registry core knows evaluation results only through the sources registered with
`registry.evidence`; here a source of the test's own stands in for the evaluations app
(whose source is tested with real runs in tests/aioffice/evaluations)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import evidence, services
from aioffice.registry.evidence import CapabilityEvidence
from aioffice.registry.models import Decision, DecisionLetter, ModelVersion, Provider

pytestmark = pytest.mark.django_db

RESULT = CapabilityEvidence(
    key="test.result:1",
    label="refusal_probe (safeguards): 0.950, 95% CI 0.880 to 1.000, 40 items",
    detail="run #7 through staging, finished 2026-11-20",
    url="/office/evaluations/runs/7/report/",
    sha256="a" * 64,
)


@pytest.fixture
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ModelVersion]]:
    asked: list[ModelVersion] = []

    def fake(version: ModelVersion) -> list[CapabilityEvidence]:
        asked.append(version)
        return [RESULT]

    monkeypatch.setattr(evidence, "_capability_sources", [fake])
    yield asked


@pytest.fixture
def version(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> ModelVersion:
    made = version_factory(provider_factory("Gamma AI"), model_name="Gamma-1")
    services.version_assess(actor=None, version=made)
    return made


def test_register_capability_source_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "_capability_sources", [])

    def one(version: ModelVersion) -> list[CapabilityEvidence]:
        return [RESULT]

    evidence.register_capability_source(one)
    evidence.register_capability_source(one)
    assert evidence._capability_sources == [one]


def test_the_designation_page_lists_and_stores_the_cited_evaluations(
    source: list[ModelVersion], version: ModelVersion
) -> None:
    leo = signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"))
    url = reverse("registry:version_designate", args=[version.pk])
    page = leo.get(url)
    assert RESULT.label in page.text
    assert 'value="test.result:1"' in page.text
    assert source == [version]

    without_e = leo.post(
        url,
        {
            "kind": "designated_annex_xiii",
            "reasons": "Capabilities.",
            "annex_a": "Many parameters.",
            "evidence": ["test.result:1"],
        },
    )
    assert without_e.status_code == 200
    assert "criterion (e)" in without_e.text
    assert not Decision.objects.filter(version=version).exists()

    unknown = leo.post(
        url,
        {
            "kind": "designated_annex_xiii",
            "reasons": "Capabilities.",
            "annex_e": "Results.",
            "evidence": ["test.result:999"],
        },
    )
    assert unknown.status_code == 200
    assert 'id="id_evidence-error"' in unknown.text or "not one of the available" in unknown.text

    done = leo.post(
        url,
        {
            "kind": "designated_annex_xiii",
            "reasons": "High-impact capabilities shown by evaluation.",
            "annex_e": "The refusal results cited below.",
            "evidence": ["test.result:1"],
        },
    )
    assert done.status_code == 302
    decision = Decision.objects.get(version=version)
    assert decision.evidence == [
        {
            "key": RESULT.key,
            "label": RESULT.label,
            "detail": RESULT.detail,
            "url": RESULT.url,
            "sha256": RESULT.sha256,
        }
    ]
    letter = DecisionLetter.objects.get(decision=decision).document.read().decode()
    assert RESULT.label in letter
    assert RESULT.sha256 in letter


def test_without_evaluations_on_record_the_page_says_so(
    monkeypatch: pytest.MonkeyPatch, version: ModelVersion
) -> None:
    monkeypatch.setattr(evidence, "_capability_sources", [])
    leo = signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"))
    page = leo.get(reverse("registry:version_designate", args=[version.pk]))
    assert 'data-testid="no-capability-evidence"' in page.text
    assert 'name="evidence"' not in page.text


@pytest.mark.parametrize("kind", ["designated_failure_to_notify"])
def test_only_an_annex_xiii_designation_cites_evaluations(kind: str, version: ModelVersion) -> None:
    leo = make_user(Role.LEGAL_OFFICER, "leo")
    with pytest.raises(Exception) as caught:
        services.decision_take(
            actor=leo, version=version, kind=kind, reasons="Not notified.", evidence=[RESULT]
        )
    error: Any = caught.value
    assert "Annex XIII designation only" in str(error.message_dict["evidence"])


def test_the_api_cites_evaluations_by_their_key(
    source: list[ModelVersion], version: ModelVersion
) -> None:
    leo = signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"))
    url = f"/api/v1/registry/versions/{version.pk}/decisions"
    body = {
        "kind": "designated_annex_xiii",
        "reasons": "Capabilities.",
        "annex_xiii": {"e": "The results cited."},
    }
    unknown = leo.post(url, {**body, "evidence": ["nope"]}, content_type="application/json")
    assert unknown.status_code == 422
    assert "evidence" in unknown.text
    done = leo.post(url, {**body, "evidence": [RESULT.key]}, content_type="application/json")
    assert done.status_code == 201, done.text
    assert done.json()["evidence"][0]["sha256"] == RESULT.sha256
