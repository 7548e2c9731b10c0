"""`aioffice registry reassess`: new snapshots only where something changed, and a table of
the outcomes that changed. The facts sit on both sides of aiact's threshold; nothing about
aiact is patched."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from aiact import load_law
from aioffice.cli import main
from aioffice.core.models import AuditEvent
from aioffice.registry import services
from aioffice.registry.models import Assessment, ModelVersion, decode_answer, encode_answer

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 25)


@pytest.fixture
def two_versions(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> tuple[ModelVersion, ModelVersion]:
    provider = provider_factory("Union AI")
    below = version_factory(provider, label="small", training_compute_flop=9e24)
    above = version_factory(provider, label="large", training_compute_flop=3.8e25)
    return below, above


def test_the_first_run_assesses_every_version(two_versions: Any) -> None:
    report = services.versions_reassess(actor=None, as_of=DAY)
    assert (report.checked, report.stored, report.first) == (2, 2, 2)
    assert report.changes == []
    statuses = dict(
        ModelVersion.objects.values_list("label", "current_assessment__systemic_risk_status")
    )
    assert statuses == {"small": "not_sr", "large": "presumed"}
    event = AuditEvent.objects.get(action="registry.versions.reassessed")
    assert sorted(event.after["versions"]) == sorted(v.pk for v in two_versions)
    assert event.after["rules_version"] == load_law().rules_version


def test_nothing_changed_nothing_stored(two_versions: Any) -> None:
    services.versions_reassess(actor=None, as_of=DAY)
    again = services.versions_reassess(actor=None, as_of=DAY)
    assert (again.checked, again.stored) == (2, 0)
    assert Assessment.objects.count() == 2
    assert AuditEvent.objects.filter(action="registry.versions.reassessed").count() == 1


def test_a_rerun_on_the_same_day_does_not_ask_aiact_again(
    two_versions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.versions_reassess(actor=None, as_of=DAY)
    asked: list[Any] = []
    real = services.assess_model
    monkeypatch.setattr(services, "assess_model", lambda *a, **k: asked.append(a) or real(*a, **k))
    again = services.versions_reassess(actor=None, as_of=DAY)
    assert (again.checked, again.stored, asked) == (2, 0, [])
    # The next day aiact is asked again (a period may have ended); the outcome held.
    later = services.versions_reassess(actor=None, as_of=date(2026, 11, 26))
    assert (later.checked, later.stored, len(asked)) == (2, 0, 2)


def test_crossing_the_threshold_is_reported_with_its_obligations(two_versions: Any) -> None:
    below, _ = two_versions
    services.versions_reassess(actor=None, as_of=DAY)
    services.version_update(actor=None, version=below, training_compute_flop=1.2e25)
    report = services.versions_reassess(actor=None, as_of=DAY)
    assert report.stored == 1
    [change] = report.changes
    assert change.version_id == below.pk
    assert (change.old_status, change.new_status) == ("not_sr", "presumed")
    changed = {oid: (old, new) for oid, old, new in change.obligations}
    assert changed["art55_1_a"] == ("not_applicable", "applicable")
    below.refresh_from_db()
    assert below.current_assessment is not None
    assert below.current_assessment.systemic_risk_status == "presumed"
    assert below.assessments.count() == 2
    event = AuditEvent.objects.filter(action="registry.versions.reassessed").latest("seq")
    assert event.after["outcome_changed"] == [below.pk]


def test_a_provider_leaving_the_union_changes_the_representative_obligation(
    two_versions: Any,
) -> None:
    below, _ = two_versions
    services.versions_reassess(actor=None, as_of=DAY)
    org = below.model.provider.organisation
    type(org).objects.filter(pk=org.pk).update(established_in_union=False, country="US")
    report = services.versions_reassess(actor=None, as_of=DAY)
    assert report.stored == 2
    assert all(("art54_1", "not_applicable", "applicable") in c.obligations for c in report.changes)


def test_another_law_selection_or_rules_version_stores_new_snapshots(two_versions: Any) -> None:
    services.versions_reassess(actor=None, as_of=DAY)
    published = services.versions_reassess(actor=None, law="as-published", as_of=DAY)
    assert published.stored == 2
    assert set(Assessment.objects.values_list("law", flat=True)) == {"as-amended", "as-published"}
    # A snapshot made under earlier rules is replaced even when the outcome is the same.
    below, _ = two_versions
    below.refresh_from_db()
    assert below.current_assessment is not None
    Assessment.objects.filter(pk=below.current_assessment.pk).update(rules_version="0.0.1+old")
    again = services.versions_reassess(actor=None, law="as-published", as_of=DAY)
    assert (again.stored, again.changes) == (1, [])


def test_a_modification_follows_its_original_in_the_same_run(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    original = version_factory(provider_factory("Union AI"), training_compute_flop=9e24)
    modifier = version_factory(
        provider_factory("Tuner GmbH", country="DE"),
        model_name="Tuned",
        compute_method="",
        training_compute_flop=None,
        modifies=original,
        modification_compute_flop=1e24,
    )
    services.versions_reassess(actor=None, as_of=DAY)
    modifier.refresh_from_db()
    assert modifier.current_assessment is not None
    assert modifier.current_assessment.facts["modifies"]["systemic_risk"] is False
    services.version_update(actor=None, version=original, training_compute_flop=3e25)
    services.versions_reassess(actor=None, as_of=DAY)
    modifier.refresh_from_db()
    assert modifier.current_assessment is not None
    modifies = modifier.current_assessment.facts["modifies"]
    # A JSON column on PostgreSQL gives 3e25 back as the integer 30000000000000000000000000:
    # the same number for aiact, which reads every figure as a Decimal.
    assert float(modifies["training_compute_flop"]) == 3e25
    assert modifies["systemic_risk"] is True


def test_small_batches_give_the_same_answer(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    provider = provider_factory("Union AI")
    for i in range(7):
        version_factory(provider, label=str(i), training_compute_flop=(i + 1) * 4e24)
    report = services.versions_reassess(actor=None, as_of=DAY, batch_size=3)
    assert (report.checked, report.stored) == (7, 7)
    assert AuditEvent.objects.filter(action="registry.versions.reassessed").count() == 3
    presumed = ModelVersion.objects.filter(current_assessment__systemic_risk_status="presumed")
    assert presumed.count() == 5  # 1.2e25 and above


def test_the_command_prints_the_changed_outcomes(
    two_versions: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["registry", "reassess", "--as-of", "2026-11-25"]) == 0
    first = capsys.readouterr().out
    assert "2 versions checked" in first and "2 snapshots stored" in first
    below, _ = two_versions
    services.version_update(actor=None, version=below, training_compute_flop=1.2e25)
    assert main(["registry", "reassess", "--as-of", "2026-11-25", "--batch-size", "1"]) == 0
    out = capsys.readouterr().out
    assert "Outcomes that changed" in out
    assert "not_sr → presumed" in out
    assert "art55_1_a" in out and "not_applicable" in out  # the table wraps at 80 columns
    assert "1 outcomes changed" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "25/11/2026"], "--as-of"),
        (["--law", "as-imagined"], "--law"),
        (["--batch-size", "0"], "--batch-size"),
        (["--bogus"], "No such option"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["registry", "reassess", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ") and message in err[0]


def test_the_status_copy_moves_with_the_pointer(two_versions: Any) -> None:
    below, above = two_versions
    assert below.systemic_risk_status is None  # not assessed yet
    services.versions_reassess(actor=None, as_of=DAY)
    services.version_update(actor=None, version=below, training_compute_flop=1.2e25)
    services.versions_reassess(actor=None, as_of=DAY)
    services.version_assess(actor=None, version=above, as_of=DAY)
    for version in ModelVersion.objects.select_related("current_assessment"):
        assert version.current_assessment is not None
        assert version.systemic_risk_status == version.current_assessment.systemic_risk_status
        newest = version.assessments.order_by("-id").first()
        assert version.current_assessment == newest
    assert set(ModelVersion.objects.values_list("systemic_risk_status", flat=True)) == {"presumed"}


def test_the_answer_is_stored_compressed_and_read_back_whole(two_versions: Any) -> None:
    services.versions_reassess(actor=None, as_of=DAY)
    assessment = Assessment.objects.order_by("id").first()
    assert assessment is not None
    answer = assessment.result
    assert answer["rules_version"] == assessment.rules_version
    assert len(encode_answer(answer)) < len(json.dumps(answer)) / 4
    assert decode_answer(encode_answer(answer)) == answer
