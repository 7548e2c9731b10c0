"""Demo data for cooperation, part sandboxes (loaded by `aioffice.demo._load_cooperation`,
after the authorities), through the services.

Every sandbox and application here is invented for the demo and says so: a French sandbox,
operational, run by the demo French market surveillance authority; a Spanish one, planned;
the AI Office's Union-level sandbox (Art. 57(3a)), planned; all three on the published list.
Aurora Models SE (the `provider` login) has applied to the French sandbox and waits for the
decision. Loaded once: a second call changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from aioffice.accounts.models import Organisation
from aioffice.cooperation import services_sandboxes as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_sandboxes import Sandbox, SandboxLevel, SandboxStatus

DEMO = "Demo data: an invented sandbox, not a real one."
FRENCH = "Bac à sable réglementaire de l'IA (démo)"
FRENCH_AUTHORITY = "Autorité de surveillance du marché (démo)"
SPANISH_AUTHORITY = "Autoridad general de vigilancia del mercado de IA (demo)"


def load(*, users: dict[str, Any]) -> None:
    """The three sandboxes and Aurora's pending application, once."""
    if Sandbox.objects.filter(name=FRENCH).exists():
        return
    keeper = users.get("policy")
    french = Authority.objects.filter(name=FRENCH_AUTHORITY).first()
    spanish = Authority.objects.filter(name=SPANISH_AUTHORITY).first()
    today = timezone.now().date()
    if french is not None:
        box = services.sandbox_create(
            actor=keeper,
            name=FRENCH,
            member_state="FR",
            operating_authority=french,
            status=SandboxStatus.OPERATIONAL,
            established_on=today - timedelta(days=120),
            capacity=8,
            focus_sectors="Health, public services, mobility",
            website="https://sandbox-fr.example.org",
            description=f"Testing AI systems with the national authorities. {DEMO}",
            published=True,
        )
        aurora = Organisation.objects.filter(name="Aurora Models SE").first()
        applicant = users.get("provider")
        if aurora is not None and applicant is not None:
            services.application_submit(
                actor=applicant,
                sandbox=box,
                applicant=aurora,
                project="Aurora triage assistant (demo)",
                system_description=(
                    "An assistant ranking emergency calls by urgency, built on Aurora Polaris. "
                    f"{DEMO}"
                ),
                sme=False,
                real_world_testing_planned=True,
            )
    if spanish is not None:
        services.sandbox_create(
            actor=keeper,
            name="Sandbox de IA de España (demo)",
            member_state="ES",
            operating_authority=spanish,
            status=SandboxStatus.PLANNED,
            capacity=12,
            focus_sectors="Finance, energy",
            description=DEMO,
            published=True,
        )
    services.sandbox_create(
        actor=keeper,
        name="Union-level AI regulatory sandbox (demo)",
        level=SandboxLevel.UNION,
        status=SandboxStatus.PLANNED,
        capacity=10,
        description=(
            "The AI Office's sandbox for AI systems under its exclusive competence "
            f"(Art. 75(1)), with priority access for SMEs, start-ups and small mid-caps. {DEMO}"
        ),
        published=True,
    )
