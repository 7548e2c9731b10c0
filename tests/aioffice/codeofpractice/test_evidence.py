"""Evidence for compliance monitoring and the deadlines on a day (COP-04, COP-05)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aiact import evaluate, load_law
from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry.codeofpractice import services
from aioffice.registry.codeofpractice.evidence import evidence_for
from aioffice.registry.codeofpractice.models import Chapter
from aioffice.registry.models import ModelVersion

from .conftest import make_provider, make_version, pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
S_AND_S = Chapter.SAFETY_AND_SECURITY


def _versions() -> list[ModelVersion]:
    return list(
        ModelVersion.objects.select_related("model__provider__organisation", "current_assessment")
        .defer("current_assessment__facts", "current_assessment__result")
        .order_by("id")
    )


def test_pending_overdue_met_and_nothing_for_non_signatories() -> None:
    late = make_provider("Late AI")
    late_version = make_version(late, placed_on_market=TODAY - timedelta(days=90))
    services.signature_add(actor=None, provider=late, chapter=S_AND_S, signed_on=TODAY)
    early = make_provider("Early AI")
    early_version = make_version(early, placed_on_market=TODAY + timedelta(days=90))
    services.signature_add(actor=None, provider=early, chapter=S_AND_S, signed_on=TODAY)
    outsider = make_provider("Outside AI")
    make_version(outsider)

    found = {(e.version_id, e.obligation, e.kind): e for e in evidence_for(_versions(), TODAY)}
    assert {obligation for _, obligation, _ in found} == {"art55_1_a", "art55_1_b"}
    assert {v for v, _, _ in found} == {late_version.pk, early_version.pk}

    report = found[(late_version.pk, "art55_1_a", "cop:model_report")]
    assert report.status == "overdue" and report.due == late_version.placed_on_market
    framework = found[(early_version.pk, "art55_1_b", "cop:framework")]
    clock = evaluate(
        "clock",
        {
            "clock": "cop-framework",
            "from": TODAY.isoformat(),
            "placing": early_version.placed_on_market.isoformat(),  # type: ignore[union-attr]
        },
        law=load_law(),
    )
    assert framework.status == "pending"
    assert framework.due.isoformat() == clock["result"]["ai_office_access_by"]  # type: ignore[union-attr, index, call-overload]

    services.framework_submit(
        actor=None, provider=early, document=pdf(), framework_version="1", confirmed_on=TODAY
    )
    services.model_report_submit(actor=None, version=early_version, document=pdf(), kind="interim")
    found = {(e.version_id, e.obligation, e.kind): e for e in evidence_for(_versions(), TODAY)}
    assert found[(early_version.pk, "art55_1_b", "cop:framework")].status == "met"
    assert found[(early_version.pk, "art55_1_a", "cop:model_report")].status == "incomplete"
    services.model_report_submit(
        actor=None, version=early_version, document=pdf(), most_capable=True
    )
    found = {(e.version_id, e.obligation, e.kind): e for e in evidence_for(_versions(), TODAY)}
    met = found[(early_version.pk, "art55_1_a", "cop:model_report")]
    assert met.status == "met" and met.due is not None  # the next refresh
    later = {(e.version_id, e.kind): e for e in evidence_for(_versions(), met.due + timedelta(1))}
    assert later[(early_version.pk, "cop:model_report")].status == "overdue"


@pytest.mark.parametrize("providers", [1, 6])
def test_evidence_costs_five_queries_for_any_number_of_versions(
    providers: int, django_assert_num_queries: object
) -> None:
    for n in range(providers):
        provider = make_provider(f"Provider {n}")
        for label in ("1", "2"):
            make_version(provider, label=label, placed_on_market=TODAY)
        services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
        services.framework_submit(
            actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
    versions = _versions()
    with django_assert_num_queries(5):  # type: ignore[operator]
        evidence = list(evidence_for(versions, TODAY))
    assert len(evidence) == 4 * len(versions)


@pytest.mark.parametrize("providers", [1, 5])
def test_the_deadline_list_has_pinned_queries(
    providers: int, django_assert_num_queries: object
) -> None:
    for n in range(providers):
        provider = make_provider(f"Provider {n}")
        make_version(provider, placed_on_market=TODAY)
        services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    staff.get("/api/v1/code-of-practice/deadlines")  # warm the session and the second factor
    # session, user, OTP device, roles, count, page, and deadlines_of's five
    with django_assert_num_queries(11):  # type: ignore[operator]
        response = staff.get("/api/v1/code-of-practice/deadlines")
    assert response.json()["count"] == providers
    csv_response = staff.get("/api/v1/code-of-practice/deadlines.csv")
    assert b"".join(csv_response.streaming_content).count(b"\n") == providers + 1  # type: ignore[attr-defined]


def test_the_submission_lists_have_pinned_queries(
    client: Client, django_assert_num_queries: object
) -> None:
    for n in range(3):
        provider = make_provider(f"Provider {n}")
        version = make_version(provider, placed_on_market=TODAY)
        services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=TODAY)
        services.framework_submit(
            actor=None, provider=provider, document=pdf(), framework_version="1", confirmed_on=TODAY
        )
        services.model_report_submit(actor=None, version=version, document=pdf())
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    staff.get("/api/v1/code-of-practice/frameworks")
    for url in ("/api/v1/code-of-practice/frameworks", "/api/v1/code-of-practice/model-reports"):
        # session, user, OTP device, roles, count, page
        with django_assert_num_queries(6):  # type: ignore[operator]
            response = staff.get(url)
        assert response.json()["count"] == 3


def test_a_framework_and_model_report_filed_as_documentation_count_for_the_deadlines() -> None:
    """One document, two ways in: filed through the documentation app, the Framework and
    the Model Report meet COP-04 and COP-05 as through the Code of Practice's form, and the
    deadlines say where they were filed."""
    from aioffice.registry.documentation import services as documentation

    provider = make_provider("Filed AI")
    version = make_version(provider, placed_on_market=TODAY - timedelta(days=90))
    signed_on = TODAY - timedelta(days=30)
    services.signature_add(actor=None, provider=provider, chapter=S_AND_S, signed_on=signed_on)
    before = {(e.kind, e.obligation): e for e in evidence_for(_versions(), TODAY)}
    assert before[("cop:model_report", "art55_1_a")].status == "overdue"
    for doc_type in ("framework", "model_report"):
        draft = documentation.submission_save_draft(
            actor=None, version=version, doc_type=doc_type, content={}
        )
        documentation.submission_submit(actor=None, submission=draft)
    after = {(e.kind, e.obligation): e for e in evidence_for(_versions(), TODAY)}
    framework = after[("cop:framework", "art55_1_b")]
    report = after[("cop:model_report", "art55_1_a")]
    assert framework.status == "met" and "documentation" in framework.detail
    assert report.status == "met" and "documentation" in report.detail
    # A day before they were filed, they do not count.
    earlier = {(e.kind, e.obligation): e for e in evidence_for(_versions(), TODAY - timedelta(1))}
    assert earlier[("cop:model_report", "art55_1_a")].status == "overdue"
