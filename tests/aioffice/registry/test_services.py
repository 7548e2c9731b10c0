"""Registry services on the real database: each change is audited with before and after,
a failure leaves nothing behind, and every legal answer comes from aiact."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from aiact import ModelFacts, assess_model, load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.core import audit
from aioffice.core.models import AuditEvent
from aioffice.registry import services
from aioffice.registry.models import Assessment, AuthorisedRepresentative, ModelVersion, Provider

pytestmark = pytest.mark.django_db

MANDATE = b"%PDF-1.7 written mandate under Art. 54(1)"


def _representative(name: str = "EU Rep SARL") -> Any:
    return accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.AUTHORISED_REPRESENTATIVE,
        country="IE",
        established_in_union=True,
    )


def _appoint(provider: Provider, **extra: Any) -> AuthorisedRepresentative:
    data: dict[str, Any] = {
        "provider": provider,
        "document": ContentFile(MANDATE, name="mandate.pdf"),
        "union_country": "ie",
        "tasks": ["art54_3_a", "art54_3_b", "art54_3_c", "art54_3_d"],
        "start": timezone.now().date() - timedelta(days=30),
        **extra,
    }
    if "representative" not in data:
        data["representative"] = _representative()
    return services.representative_appoint(actor=None, **data)


def _last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("seq")


# --- providers and representatives -----------------------------------------------------------


def test_only_a_gpai_provider_organisation_can_be_registered(db: None) -> None:
    downstream = accounts.organisation_create(
        actor=None,
        name="Integrator",
        kind=OrganisationKind.DOWNSTREAM_PROVIDER,
        country="DE",
        established_in_union=True,
    )
    with pytest.raises(ValidationError) as error:
        services.provider_register(actor=None, organisation=downstream)
    assert "organisation" in error.value.message_dict
    assert not Provider.objects.exists()


def test_a_mandate_is_stored_with_its_hash_and_size(provider_factory: Callable[..., Any]) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    mandate = _appoint(provider)
    assert mandate.mandate_sha256 == hashlib.sha256(MANDATE).hexdigest()
    assert mandate.mandate_size == len(MANDATE)
    assert mandate.union_country == "IE"
    with mandate.mandate_document.open("rb") as stored:
        assert stored.read() == MANDATE
    event = _last_event("registry.mandate.appointed")
    assert event.after["mandate_sha256"] == mandate.mandate_sha256
    assert event.after["tasks"] == ["art54_3_a", "art54_3_b", "art54_3_c", "art54_3_d"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"union_country": "US"}, "union_country"),
        ({"tasks": []}, "tasks"),
        ({"tasks": ["art99"]}, "tasks"),
        ({"document": ContentFile(b"", name="empty.pdf")}, "mandate_document"),
    ],
)
def test_a_bad_mandate_is_refused_naming_the_field(
    provider_factory: Callable[..., Any], extra: dict[str, Any], field: str
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    with pytest.raises(ValidationError) as error:
        _appoint(provider, **extra)
    assert field in error.value.message_dict
    assert not AuthorisedRepresentative.objects.exists()


def test_a_mandate_cannot_end_before_it_starts(provider_factory: Callable[..., Any]) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        _appoint(provider, start=date(2026, 1, 10), end=date(2026, 1, 1))


def test_terminating_the_only_mandate_flags_a_provider_outside_the_union(
    provider_factory: Callable[..., Any],
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    mandate = _appoint(provider)
    done = services.representative_terminate(
        actor=None, mandate=mandate, reasons="The provider refused to share Annex XI documents."
    )
    assert done.terminated_at is not None
    provider.refresh_from_db()
    assert provider.lacks_representative
    assert provider.lacks_representative_since is not None
    event = _last_event("registry.mandate.terminated")
    assert event.before["terminated_at"] is None
    assert event.after["termination_reasons"].startswith("The provider refused")
    flagged = _last_event("registry.provider.representative_lacking")
    assert flagged.before == {"lacks_representative": False}
    assert flagged.after["lacks_representative"] is True
    # A new mandate lowers the flag again.
    _appoint(provider, representative=_representative("Second Rep BV"))
    provider.refresh_from_db()
    assert not provider.lacks_representative
    assert (
        _last_event("registry.provider.representative_restored").after["lacks_representative"]
        is False
    )


def test_a_provider_in_the_union_is_not_flagged(provider_factory: Callable[..., Any]) -> None:
    provider = provider_factory("Union AI", in_union=True)
    mandate = _appoint(provider)
    services.representative_terminate(actor=None, mandate=mandate, reasons="Contract ended.")
    provider.refresh_from_db()
    assert not provider.lacks_representative


def test_a_provider_with_another_current_mandate_is_not_flagged(
    provider_factory: Callable[..., Any],
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    first = _appoint(provider)
    _appoint(provider, representative=_representative("Second Rep BV"))
    services.representative_terminate(actor=None, mandate=first, reasons="Breach of Art. 53.")
    provider.refresh_from_db()
    assert not provider.lacks_representative


@pytest.mark.parametrize("reasons", ["", "   "])
def test_termination_needs_reasons_and_changes_nothing_without(
    provider_factory: Callable[..., Any], reasons: str
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    mandate = _appoint(provider)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.representative_terminate(actor=None, mandate=mandate, reasons=reasons)
    assert "reasons" in error.value.message_dict
    mandate.refresh_from_db()
    assert mandate.terminated_at is None
    assert AuditEvent.objects.count() == events


def test_a_mandate_is_terminated_once(provider_factory: Callable[..., Any]) -> None:
    mandate = _appoint(provider_factory("Frontier Inc", in_union=False))
    services.representative_terminate(actor=None, mandate=mandate, reasons="Breach.")
    with pytest.raises(ValidationError) as error:
        services.representative_terminate(actor=None, mandate=mandate, reasons="Again.")
    assert "already terminated" in error.value.message_dict["mandate"][0]


def test_termination_rolls_back_with_its_audit_event(
    provider_factory: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    mandate = _appoint(provider)

    def failing_record(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.representative_terminate(actor=None, mandate=mandate, reasons="Breach.")
    mandate.refresh_from_db()
    provider.refresh_from_db()
    assert mandate.terminated_at is None
    assert not provider.lacks_representative


# --- models and versions ---------------------------------------------------------------------


def test_a_version_is_created_with_an_audit_event(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    version = version_factory(provider_factory("Union AI"), parameters=70_000_000_000)
    event = _last_event("registry.version.created")
    assert event.object_id == str(version.pk)
    assert event.after["training_compute_flop"] == 3.8e25
    assert event.after["parameters"] == 70_000_000_000


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"open_source": {"rights": ["access", "sell"]}}, "open_source"),
        ({"open_source": {"licence": "MIT"}}, "open_source"),
        ({"generates": ["smell"]}, "generates"),
        ({"compute_method": "reported", "training_compute_flop": None}, "__all__"),
        ({"compute_method": "six_pd", "parameters": None}, "__all__"),
        ({"eu_business_users": 12_000}, "__all__"),
        ({"distribution_channels": ["pigeon"]}, "distribution_channels"),
        ({"public_fields": ["secret_sauce"]}, "public_fields"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(
    provider_factory: Callable[..., Any],
    version_factory: Callable[..., ModelVersion],
    facts: dict[str, Any],
    field: str,
) -> None:
    provider = provider_factory("Union AI")
    with pytest.raises(ValidationError) as error:
        version_factory(provider, **facts)
    assert field in error.value.message_dict, error.value.message_dict
    assert not ModelVersion.objects.exists()


def test_an_update_records_only_what_changed(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    version = version_factory(provider_factory("Union AI"), training_compute_flop=9e24)
    services.version_update(actor=None, version=version, training_compute_flop=2.1e25)
    event = _last_event("registry.version.updated")
    assert event.before == {"training_compute_flop": 9e24}
    assert event.after == {"training_compute_flop": 2.1e25}


# --- assessments -----------------------------------------------------------------------------


def test_an_assessment_stores_what_aiact_was_asked_and_answered(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    provider = provider_factory("Frontier Inc", in_union=False)
    version = version_factory(provider, eu_business_users=12_000, reach_counted_on="2026-10-01")
    assessment = services.version_assess(actor=None, version=version, as_of=date(2026, 11, 25))
    law = load_law()
    expected = assess_model(ModelFacts.from_json(assessment.facts), law=law).to_json()
    assert assessment.result == expected
    assert float(assessment.facts["training_compute_flop"]) == 3.8e25  # an int on PostgreSQL
    assert assessment.facts["provider_established_in_eu"] is False
    assert assessment.facts["eu_registered_business_users"] == 12_000
    assert assessment.facts["as_of"] == "2026-11-25"
    assert assessment.rules_version == law.rules_version
    assert assessment.law == "as-amended"
    assert assessment.gpai == "true"
    assert assessment.systemic_risk_status == expected["systemic_risk"]["status"] == "presumed"
    assert assessment.obligations == {o["id"]: o["status"] for o in expected["obligations"]}
    version.refresh_from_db()
    assert version.current_assessment_id == assessment.pk
    event = _last_event("registry.version.assessed")
    assert event.before is None
    assert event.after["systemic_risk_status"] == "presumed"
    assert event.after["rules_version"] == law.rules_version


def test_the_current_assessment_is_the_latest(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    version = version_factory(provider_factory("Union AI"), training_compute_flop=9e24)
    first = services.version_assess(actor=None, version=version)
    assert first.systemic_risk_status == "not_sr"
    services.version_update(actor=None, version=version, training_compute_flop=2e25)
    second = services.version_assess(actor=None, version=version)
    version.refresh_from_db()
    assert version.current_assessment_id == second.pk
    assert second.systemic_risk_status == "presumed"
    event = _last_event("registry.version.assessed")
    assert event.before["systemic_risk_status"] == "not_sr"
    assert event.after["systemic_risk_status"] == "presumed"
    assert version.assessments.count() == 2


def test_six_pd_and_hardware_estimates_are_aiacts(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    provider = provider_factory("Union AI")
    six_pd = version_factory(
        provider,
        label="6pd",
        compute_method="six_pd",
        training_compute_flop=None,
        parameters=400_000_000_000,
        training_tokens=15_000_000_000_000,
    )
    hardware = version_factory(
        provider,
        label="hw",
        compute_method="hardware",
        training_compute_flop=None,
        compute_gpu_hours="30000000",
        compute_peak_flops=989e12,
        compute_utilisation="0.4",
    )
    a = services.version_assess(actor=None, version=six_pd)
    assert a.facts["training_compute_flop"] is None
    assert a.facts["parameters"] == 400_000_000_000
    assert a.result["training_compute"]["method"] != "reported"
    assert a.training_compute_flop == pytest.approx(6 * 4e11 * 1.5e13)
    b = services.version_assess(actor=None, version=hardware)
    assert b.facts["training_compute_flop"] == pytest.approx(3e7 * 3600 * 989e12 * 0.4)
    assert b.systemic_risk_status == "presumed"


def test_a_modification_carries_what_is_known_of_the_original(
    provider_factory: Callable[..., Any], version_factory: Callable[..., ModelVersion]
) -> None:
    original = version_factory(provider_factory("Union AI"))
    services.version_assess(actor=None, version=original)
    modifier = version_factory(
        provider_factory("Tuner GmbH", country="DE"),
        model_name="Tuned",
        training_compute_flop=None,
        compute_method="",
        modifies=original,
        modification_compute_flop=1e24,
    )
    assessment = services.version_assess(actor=None, version=modifier)
    assert float(assessment.facts["modifies"]["training_compute_flop"]) == 3.8e25  # int on PG
    assert assessment.facts["modifies"]["systemic_risk"] is True
    assert assessment.facts["modification_compute_flop"] == 1e24


def test_an_assessment_rolls_back_with_its_audit_event(
    provider_factory: Callable[..., Any],
    version_factory: Callable[..., ModelVersion],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = version_factory(provider_factory("Union AI"))

    def failing_record(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.version_assess(actor=None, version=version)
    assert not Assessment.objects.exists()
    version.refresh_from_db()
    assert version.current_assessment_id is None
