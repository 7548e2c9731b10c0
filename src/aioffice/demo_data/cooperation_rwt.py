"""Demo data for cooperation, part real-world testing (loaded by
`aioffice.demo._load_cooperation` after the sandboxes). Invented records, marked "demo data":
Aurora's test submitted to the French demo authority and tacitly approved, running (demo
assumption: French law allows tacit approval), and a sensitive-context test submitted to
the Spanish data-protection authority (Art. 74(8)), in the secure section."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts.models import Organisation
from aioffice.cooperation import services_rwt as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import RealWorldTest

FR_AUTHORITY = "Autorité de surveillance du marché (démo)"
ES_AUTHORITY = "Agencia de protección de datos (demo)"
PROVIDER = "Aurora Models SE"
ALL_CONDITIONS = {
    "transfer_safeguards": True,
    "vulnerable_protected": True,
    "deployers_informed": True,
    "informed_consent": True,
    "oversight": True,
    "reversible": True,
}


def _plan(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% demo data: a testing plan\n%%EOF\n", content_type="application/pdf"
    )


def load(*, users: dict[str, Any]) -> None:
    """Loads once (nothing when Aurora already has a test or the authorities are missing)."""
    provider = Organisation.objects.filter(name=PROVIDER).first()
    fr = Authority.objects.filter(organisation__name=FR_AUTHORITY).first()
    es = Authority.objects.filter(organisation__name=ES_AUTHORITY).first()
    person = users.get("provider")
    if provider is None or fr is None or es is None or person is None:
        return
    if RealWorldTest.objects.filter(provider=provider).exists():
        return
    # demo assumption: French law allows tacit approval of testing plans
    services.national_rule_set(
        actor=None, member_state="FR", tacit_allowed=True, source="demo data (assumption)"
    )
    common = {
        "actor": person,
        "provider": provider,
        "provider_contact": "rwt@aurora.example (demo data)",
        "scope": "annex_iii",
        "conditions": ALL_CONDITIONS,
    }
    test = services.test_register(
        authority=fr,
        system_name="Aurora Hiring Assistant (demo data)",
        description="Ranks job applications for human review (demo data).",
        plan_summary="Three months with two employers in Lyon, 400 applicants (demo data).",
        deployers="Brightline Apps SAS (demo data)",
        annex_iii_point="4",
        member_states=["FR"],
        plan=_plan("aurora-hiring-plan.pdf"),
        publication_consent=True,
        **common,
    )
    # demo: the plan went in 31 days ago and the authority did not answer, so it is deemed
    # approved (the period as aiact gave it, moved back as a whole)
    assert test.tacit_on is not None
    back = timedelta(days=(test.tacit_on - test.submitted_on).days + 1)
    RealWorldTest.objects.filter(pk=test.pk).update(
        submitted_on=test.submitted_on - back,
        approval_due=test.approval_due - back,
        tacit_on=test.tacit_on - back,
    )
    services.apply_tacit(only=test.pk)
    test.refresh_from_db()
    services.test_start(actor=person, test=test)
    services.consent_record(
        actor=person,
        test=test,
        participants=40,
        checklist={
            k: True
            for k in (
                "nature",
                "conditions",
                "rights",
                "reversal",
                "identification",
                "dated",
                "documented",
                "copy_given",
                "before_participation",
            )
        },
    )
    services.test_register(
        authority=es,
        system_name="Aurora Border Document Checker (demo data)",
        description="Checks travel documents at border crossings (demo data).",
        plan_summary="Two crossings, six weeks (demo data).",
        annex_iii_point="7",
        sensitive_context=True,
        member_states=["ES"],
        plan=_plan("aurora-border-plan.pdf"),
        **common,
    )
