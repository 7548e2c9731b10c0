"""Documentation as evidence for compliance monitoring, in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aioffice.registry.documentation import services
from aioffice.registry.documentation.evidence import evidence_for
from aioffice.registry.documentation.models import AnnexXIIRequest

from .conftest import ANNEX_XII, downstream, make_provider, make_version

pytestmark = pytest.mark.django_db


def _submit(version: Any, doc_type: str, content: dict[str, Any]) -> Any:
    return services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None, version=version, doc_type=doc_type, content=content
        ),
    )


def test_the_current_submission_is_met_or_incomplete_with_the_missing_items() -> None:
    version = make_version(make_provider("Prov"))
    _submit(version, "annex_xii", {"licence": "MIT"})
    newest = _submit(version, "annex_xii", ANNEX_XII)
    _submit(version, "annex_xi_1", {"licence": "MIT"})
    services.submission_save_draft(actor=None, version=version, doc_type="framework", content={})
    found = {e.kind: e for e in evidence_for([version], timezone.now().date())}
    assert set(found) == {"document:annex_xii", "document:annex_xi_1"}  # drafts are not evidence
    assert found["document:annex_xii"].status == "met"
    assert found["document:annex_xii"].obligation == "art53_1_b"
    assert found["document:annex_xii"].url.endswith(f"/{newest.pk}/")
    incomplete = found["document:annex_xi_1"]
    assert incomplete.status == "incomplete" and incomplete.obligation == "art53_1_a"
    assert "Annex XI 1(2)(d)" in incomplete.detail


def test_an_overdue_annex_xii_request_is_overdue_evidence() -> None:
    version = make_version(make_provider("Prov"))
    made = services.annex_xii_request_create(
        actor=None, requester=downstream(), version=version, message="Please."
    )
    assert list(evidence_for([version], made.due_on)) == []
    later = made.due_on + timedelta(days=1)
    (late,) = evidence_for([version], later)
    assert late.status == "overdue" and late.obligation == "art53_1_b" and late.due == made.due_on
    AnnexXIIRequest.objects.filter(pk=made.pk).update(due_on=made.asked_on)
    assert evidence_for([version], made.asked_on) == []


def test_any_number_of_versions_costs_two_queries(django_assert_num_queries: Any) -> None:
    provider = make_provider("Prov")
    versions = [make_version(provider, f"v{i}") for i in range(8)]
    for version in versions:
        _submit(version, "annex_xii", ANNEX_XII)
        _submit(version, "copyright_policy", {})
        services.annex_xii_request_create(
            actor=None, requester=downstream(), version=version, message="Please."
        )
    later = timezone.now().date() + timedelta(days=60)
    with django_assert_num_queries(2):
        found = list(evidence_for(versions[:2], later))
    assert len(found) == 6
    with django_assert_num_queries(2):
        found = list(evidence_for(versions, later))
    assert len(found) == 24
