"""Demo data for cooperation, part database (loaded by `aioffice.demo._load_cooperation`):
fictional "(demo)" systems registered through the services, so that each entry carries
aiact's answer: two section A entries of the demo provider, one of them in the secure
section (Annex III point 6, law enforcement), a section B entry (Art. 6(3)), and the
section C use of the public one by the demo city."""

from __future__ import annotations

from typing import Any

from aioffice.cooperation import services_database as services
from aioffice.cooperation.models_database import Registration

DEMO = "Demo data: a fictional entry."


def _provider_points(trade_name: str, purpose: str, **more: Any) -> dict[str, Any]:
    return {
        "registrant_name": "Aurora Models SE",
        "registrant_contact": "registrations@aurora.example",
        "submitter_name": "Priya (demo)",
        "trade_name": trade_name,
        "reference": f"{trade_name.split()[0].upper()}-DEMO-1",
        "intended_purpose": f"{purpose} {DEMO}",
        "status": "on_market",
        **more,
    }


def load(*, users: dict[str, Any]) -> None:
    """Loads once (nothing when a demo entry exists or the demo users are missing)."""
    if Registration.objects.filter(trade_name__endswith="(demo)").exists():
        return
    provider, city = users.get("provider"), users.get("city")
    if provider is None or city is None:
        return
    organisation = provider.memberships.get().organisation
    hiring = services.registration_create(
        actor=provider,
        organisation=organisation,
        section="A",
        annex_iii_point="4",
        values=_provider_points(
            "TalentLens (demo)",
            "Ranks job applications for recruiters, who review every ranking.",
            information_and_logic="Applications and job descriptions; a ranking model.",
            member_states=["DE", "FR", "ES"],
            more_info_url="https://aurora.example/talentlens",
        ),
    )
    services.registration_create(
        actor=provider,
        organisation=organisation,
        section="A",
        annex_iii_point="6",
        sensitive_context=True,
        values=_provider_points(
            "RiskLedger (demo)",
            "Helps police analysts assess the reliability of evidence.",
            member_states=["ES"],
        ),
    )
    services.registration_create(
        actor=provider,
        organisation=organisation,
        section="B",
        annex_iii_point="3",
        values=_provider_points(
            "RoomPlanner (demo)",
            "Assigns exam rooms to candidates already admitted.",
            art6_3_conditions="A narrow procedural task (Art. 6(3)(a)).",
        ),
    )
    city_organisation = city.memberships.get().organisation
    services.registration_create(
        actor=city,
        organisation=city_organisation,
        section="C",
        annex_iii_point="4",
        values={
            "registrant_name": city_organisation.name,
            "registrant_contact": "digital@beispielhausen.example",
            "submitter_name": "Carla (demo)",
            "system": hiring.number,
            "fria_summary": f"Applicants' rights weighed; each ranking reviewed by staff. {DEMO}",
        },
    )
