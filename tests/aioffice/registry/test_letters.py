"""Decision letters: generated with every decision, from what is stored and aiact's answer,
self-contained and printable, checked by their SHA-256, served only to those who may see
the decision."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aiact import load_law
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import letters, services
from aioffice.registry.models import Decision, DecisionLetter, ModelVersion, Provider

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


@pytest.fixture
def designated(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> Decision:
    """An Annex XIII designation of a version of a provider outside the Union that has an
    authorised representative."""
    provider = provider_factory("Gamma Inc", in_union=False)
    representative = accounts.organisation_create(
        actor=None,
        name="Gamma EU Representative",
        kind="authorised_representative",
        country="NL",
        established_in_union=True,
    )
    services.representative_appoint(
        actor=None,
        provider=provider,
        representative=representative,
        document=ContentFile(b"%PDF-1.7 mandate", name="mandate.pdf"),
        union_country="NL",
        tasks=["art54_3_c"],
        start=TODAY - timedelta(days=60),
    )
    version = version_factory(provider, model_name="Gamma-2", label="2.1")
    return services.decision_take(
        actor=make_user(Role.HEAD_OF_UNIT, "hugo"),
        version=version,
        kind="designated_annex_xiii",
        reasons="Capabilities at the level of the most advanced models.",
        annex_xiii={"g": "Reach: <many> users in the Union.", "e": "Benchmarks at the frontier."},
    )


def test_every_decision_has_its_letter_with_a_true_checksum(designated: Decision) -> None:
    letter = DecisionLetter.objects.get(decision=designated)
    content = letter.document.read()
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert len(content) == letter.size
    assert letter.content_type == "text/html; charset=utf-8"
    assert letter.rules_version == load_law().rules_version
    assert str(letter.document.name).startswith("registry/letters/")


def test_the_letter_says_who_what_why_and_on_which_rules(designated: Decision) -> None:
    text = DecisionLetter.objects.get(decision=designated).document.read().decode()
    reference = f"D-{designated.decided_on:%Y}-{designated.pk:06d}"
    assert letters.reference_of(designated) == reference
    for expected in (
        reference,
        "Gamma Inc",
        "Gamma EU Representative",
        "(NL)",
        "Gamma-2",
        "2.1",
        "designated_annex_xiii",
        "Capabilities at the level of the most advanced models.",
        "(e) Benchmarks at the frontier.",
        "(g) Reach: &lt;many&gt; users in the Union.",  # escaped, never markup
        "No draft decision was sent before this decision.",
        "GPAI-CLS-02",
        "AI Act, Art. 52(4)",
        load_law().rules_version,
        f"{designated.decided_on:%Y-%m-%d}",
    ):
        assert expected in text, expected
    assert text.index("(e) Benchmarks") < text.index("(g) Reach")


def test_the_letter_is_self_contained_and_printable(designated: Decision) -> None:
    text = DecisionLetter.objects.get(decision=designated).document.read().decode().lower()
    assert text.startswith("<!doctype html>")
    assert "@media print" in text and "@page" in text
    for outside in ("<script", "<link", 'src="', "url("):
        assert outside not in text, outside


def test_the_letter_is_served_only_to_those_who_see_the_decision(
    designated: Decision, provider_factory: Callable[..., Provider]
) -> None:
    url = f"/api/v1/registry/decisions/{designated.pk}/letter"
    letter = DecisionLetter.objects.get(decision=designated)
    gina = make_user(None, "gina")
    accounts.membership_add(
        actor=None,
        user=gina,
        organisation=designated.version.model.provider.organisation,
        role=Role.ORGANISATION_MEMBER,
    )
    own = signed_in_client(gina).get(url)
    assert own.status_code == 200
    assert own["X-Content-SHA256"] == letter.sha256
    assert own["Repr-Digest"].startswith("sha-256=:")
    assert "attachment" in own["Content-Disposition"]
    staff = signed_in_client(make_user(Role.POLICY_OFFICER, "paula")).get(url)
    assert staff.status_code == 200
    other = provider_factory("Delta AI")
    dario = make_user(None, "dario")
    accounts.membership_add(
        actor=None, user=dario, organisation=other.organisation, role=Role.ORGANISATION_MEMBER
    )
    assert signed_in_client(dario).get(url).status_code == 404
    assert signed_in_client(make_user(None, "nobody")).get(url).status_code == 404
    assert Client().get(url).status_code == 401
    unverified = signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"), second_factor=False)
    assert unverified.get(url).status_code == 401  # the API asks staff for the second factor
    assert (
        signed_in_client(gina).get(f"/api/v1/registry/decisions/{10**9}/letter").status_code == 404
    )


def test_a_decision_keeps_the_assessment_it_rests_on(designated: Decision) -> None:
    """The facts, aiact's reasons and citations, and the rules version of the decision are
    the snapshot stored in the decision's transaction: the version's assessment as of the
    decision's date, which already counts the decision."""
    designated.refresh_from_db()
    assessment = designated.assessment
    assert assessment is not None
    assert assessment.version_id == designated.version_id
    assert assessment.as_of == designated.decided_on
    assert assessment.rules_version == load_law().rules_version
    assert assessment.facts["decisions"][-1]["type"] == "designated_annex_xiii"
    assert assessment.systemic_risk_status == "designated"
    status = assessment.result["systemic_risk"]
    assert status["basis"] == "designated" and status["reasons"] and status["citations"]
