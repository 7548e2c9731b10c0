"""The combination: aiact's obligations for a version against the evidence, on the real
database, with the registry's own sources and with stub sources for the statuses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from aiact._obligations import OBLIGATION_IDS
from aioffice.registry import services
from aioffice.registry.evidence import Evidence
from aioffice.registry.models import ModelVersion
from aioffice.registry.monitoring import selectors
from aioffice.registry.monitoring.sources import SOURCES, mandate_evidence, notification_evidence

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


def _statuses(version: ModelVersion, sources: Any = None) -> dict[str, str]:
    version = selectors.with_answers(ModelVersion.objects.all()).get(pk=version.pk)
    compliance = selectors.compliance_of([version], TODAY, sources)[0]
    return {item.obligation: item.status for item in compliance.obligations}


def _item(version: ModelVersion, obligation: str, sources: Any = None) -> Any:
    version = selectors.with_answers(ModelVersion.objects.all()).get(pk=version.pk)
    compliance = selectors.compliance_of([version], TODAY, sources)[0]
    return next(i for i in compliance.obligations if i.obligation == obligation)


def test_the_obligation_ids_are_aiacts() -> None:
    assert selectors.OBLIGATIONS == OBLIGATION_IDS
    assert selectors.obligation_label("art53_1_a") == "Art. 53(1)(a)"
    assert selectors.obligation_label("art52_1") == "Art. 52(1)"


def test_without_evidence_past_due_is_overdue_and_registry_less_ones_are_not_missing(
    make: Any,
) -> None:
    version = make.version(make.provider("Alpha AI"))
    statuses = _statuses(version)
    # aiact: placed 2025-09-01, so Art. 53 and 55 were due on placing; the notification has
    # no due date until the date the threshold was known is given.
    assert statuses["art53_1_a"] == "overdue"
    assert statuses["art55_1_a"] == "overdue"
    assert statuses["art52_1"] == "missing"
    assert _item(version, "art52_1").detail == "no due date known yet"
    assert statuses["art53_3"] == "not_expected"
    assert statuses["art55_1_c"] == "not_expected"
    assert "art54_1" not in statuses  # established in the Union: it does not apply
    item = _item(version, "art53_1_a")
    assert item.due == date(2025, 9, 1)
    assert f"{(TODAY - date(2025, 9, 1)).days} days past the due date 2025-09-01" in item.detail


def test_the_not_applicable_obligations_carry_aiacts_reason(make: Any) -> None:
    version = make.version(make.provider("Alpha AI"))
    version = selectors.with_answers(ModelVersion.objects.all()).get(pk=version.pk)
    compliance = selectors.compliance_of([version], TODAY, [])[0]
    assert dict(compliance.not_applicable)["art54_1"] == "provider established in the Union"


def test_a_legacy_model_without_evidence_is_missing_with_its_due_date(make: Any) -> None:
    version = make.version(make.provider("Alpha AI"), placed_on_market="2024-07-01")
    item = _item(version, "art53_1_a")
    assert item.status == "missing"
    assert item.due is not None and item.due > TODAY
    assert item.detail == f"due by {item.due.isoformat()}"


def test_a_model_placed_later_is_not_yet_due(make: Any) -> None:
    later = (TODAY + timedelta(days=60)).isoformat()
    version = make.version(make.provider("Alpha AI"), placed_on_market=later)
    statuses = _statuses(version)
    assert statuses["art53_1_a"] == "not_yet_due"
    assert _item(version, "art53_1_a").detail == f"applies from {later}"


def test_a_notification_meets_art52_and_a_late_one_says_how_late(make: Any) -> None:
    on_time = make.version(make.provider("Alpha AI"))
    notification = make.notify(on_time, TODAY)
    item = _item(on_time, "art52_1")
    assert item.status == "met"
    assert item.evidence[0].kind == "notification"
    assert item.evidence[0].url == f"/registry/notifications/{notification.tracking_number}/"
    assert item.detail == ""

    late = make.version(make.provider("Beta Labs"))
    notification = make.notify(late, date(2025, 9, 1))
    assert notification.late
    item = _item(late, "art52_1")
    assert item.status == "met"
    days = (notification.submitted_on - notification.due).days
    assert f"received {days} days late (due {notification.due.isoformat()})" in item.detail


def test_a_withdrawn_notification_is_no_evidence(make: Any) -> None:
    version = make.version(make.provider("Alpha AI"))
    notification = make.notify(version, TODAY)
    notification.status = "withdrawn"
    notification.save(update_fields=["status"])  # the withdrawal service is another item's
    assert not list(notification_evidence([version], TODAY))


def test_art54_a_current_mandate_meets_it_and_a_terminated_one_is_overdue(make: Any) -> None:
    provider = make.provider("Gamma Inc", in_union=False)
    version = make.version(provider)
    assert _statuses(version)["art54_1"] == "overdue"  # none, due on placing

    mandate = make.appoint(provider, date(2025, 8, 1))
    item = _item(version, "art54_1")
    assert item.status == "met"
    assert item.evidence[0].kind == "mandate"

    services.representative_terminate(actor=None, mandate=mandate, reasons="Acts contrary.")
    item = _item(version, "art54_1")
    assert item.status == "overdue"
    assert f"the last one ended on {TODAY.isoformat()}" in item.detail


def test_a_mandate_that_starts_later_is_pending_evidence(make: Any) -> None:
    provider = make.provider("Gamma Inc", in_union=False)
    version = make.version(provider)
    make.appoint(provider, TODAY + timedelta(days=10))
    (evidence,) = mandate_evidence(
        [selectors.with_answers(ModelVersion.objects.all()).get(pk=version.pk)], TODAY
    )
    assert evidence.status == "pending"


def _stub(*evidence: Evidence) -> Any:
    def source(versions: Sequence[ModelVersion], on: date) -> Iterable[Evidence]:
        return evidence

    return source


def test_stub_evidence_gives_met_incomplete_and_overdue(make: Any) -> None:
    version = make.version(make.provider("Alpha AI"))

    def doc(status: Any, due: date | None, detail: str = "") -> Evidence:
        return Evidence(
            version.pk, "art53_1_a", "document:annex_xi_1", "Annex XI", status, due, detail
        )

    met = _item(version, "art53_1_a", [_stub(doc("met", None))])
    assert met.status == "met"
    future = TODAY + timedelta(days=5)
    incomplete = _item(version, "art53_1_a", [_stub(doc("incomplete", future, "1(b) missing"))])
    assert (incomplete.status, incomplete.detail, incomplete.due) == (
        "incomplete",
        "1(b) missing",
        future,
    )
    past = TODAY - timedelta(days=3)
    overdue = _item(version, "art53_1_a", [_stub(doc("incomplete", past, "1(b) missing"))])
    assert overdue.status == "overdue"
    assert overdue.detail == f"1(b) missing; 3 days past the due date {past.isoformat()}"
    said = _item(version, "art53_1_a", [_stub(doc("overdue", None, "late"))])
    assert said.status == "overdue"
    both = _item(version, "art53_1_a", [_stub(doc("incomplete", past), doc("met", None))])
    assert both.status == "met"


def test_every_source_is_called_once_for_a_page(make: Any) -> None:
    provider = make.provider("Alpha AI")
    versions = [make.version(provider, label=str(n)) for n in range(3)]
    calls: list[int] = []

    def counting(page: Sequence[ModelVersion], on: date) -> Iterable[Evidence]:
        calls.append(len(page))
        return ()

    loaded = list(
        selectors.with_answers(ModelVersion.objects.filter(pk__in=[v.pk for v in versions]))
    )
    selectors.compliance_of(loaded, TODAY, [counting, *SOURCES])
    assert calls == [3]


def test_the_summary_counts_by_obligation_and_provider_in_two_queries(
    make: Any, django_assert_num_queries: Any
) -> None:
    alpha = make.provider("Alpha AI")
    beta = make.provider("Beta Labs", in_union=False)
    make.version(alpha, label="1")
    make.version(alpha, label="2", placed_on_market=(TODAY + timedelta(days=9)).isoformat())
    make.version(beta, label="1", training_compute_flop=1e24)  # not systemic risk
    with django_assert_num_queries(2):  # the groups, the names of the providers shown
        found = selectors.summary(ModelVersion.objects.filter(current_assessment__isnull=False))
    counts = {c.obligation: (c.due, c.later) for c in found.by_obligation}
    assert found.versions == 3
    assert counts["art53_1_a"] == (2, 1)
    assert counts["art55_1_a"] == (1, 1)
    assert counts["art54_1"] == (1, 0)
    providers = {p.name: (p.versions, p.due, p.later) for p in found.by_provider}
    # Alpha: version 1 has 8 registry-evidenced obligations in force (art52_1, 53(1)(a)-(d),
    # 55(1)(a), (b), (d)); version 2 has them later. Beta: 53(1)(a)-(d), 54(1).
    assert providers["Alpha AI"][0] == 2
    assert providers["Beta Labs"] == (1, 5, 0)


def test_the_documentation_source_gives_met_and_incomplete_with_the_missing_items(
    make: Any,
) -> None:
    version = make.version(make.provider("Alpha AI"))
    make.document(
        version,
        "copyright_policy",
        {"policy_summary": "We honour opt-outs.", "responsibilities": "Legal team."},
    )
    make.document(version, "annex_xi_1", {})
    policy = _item(version, "art53_1_c")
    assert policy.evidence[0].kind == "document:copyright_policy"
    assert policy.evidence[0].url.startswith("/")
    annex = _item(version, "art53_1_a")
    assert annex.evidence[0].kind == "document:annex_xi_1"
    assert annex.evidence[0].status == "incomplete"
    # aiact's due date (placing, 2025-09-01) has passed: overdue, with the missing items.
    assert annex.status == "overdue"
    assert annex.evidence[0].detail and annex.detail.startswith(annex.evidence[0].detail)
    assert policy.status in {"met", "overdue"}
    assert (policy.status == "met") == (policy.evidence[0].status == "met")


def test_the_code_of_practice_source_speaks_for_a_signatory_with_systemic_risk(
    make: Any,
) -> None:
    provider = make.provider("Alpha AI")
    version = make.version(provider)
    make.notify(version, TODAY)
    make.sign(provider, TODAY - timedelta(days=30))
    item = _item(version, "art55_1_b")
    kinds = {e.kind for e in item.evidence}
    assert kinds == {"cop:framework", "cop:model_report"}
    assert item.status in {"missing", "overdue", "incomplete"}
