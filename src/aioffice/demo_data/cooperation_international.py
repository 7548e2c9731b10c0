"""Demo data for cooperation, part international (loaded by `aioffice.demo._load_cooperation`),
through the services.

Four real institutions as partners, described neutrally (what they are, nothing more); the
contact points are invented. Every agreement, dialogue, date, round and document here is
invented for the demo and says so: none is a real arrangement of the AI Office. Loaded
once: a second call changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.cooperation import services_international as services
from aioffice.cooperation.models_international import Agreement, Partner

DEMO = "Demo data: invented for the demo, not a real arrangement of the AI Office."

PARTNERS: tuple[dict[str, Any], ...] = (
    {
        "name": "UK AI Security Institute",
        "country": "GB",
        "kind": "safety_institute",
        "description": "A government institute of the United Kingdom working on advanced AI.",
    },
    {
        "name": "US Center for AI Standards and Innovation",
        "country": "US",
        "kind": "safety_institute",
        "description": "A centre of the US National Institute of Standards and Technology.",
    },
    {
        "name": "Japan AI Safety Institute",
        "country": "JP",
        "kind": "safety_institute",
        "description": "Japan's AI safety institute.",
    },
    {
        "name": "OECD",
        "country": "FR",
        "kind": "international_organisation",
        "website": "https://www.oecd.org/",
        "description": "The Organisation for Economic Co-operation and Development (Paris).",
    },
)


def load(*, users: dict[str, Any]) -> None:
    if Partner.objects.filter(name=PARTNERS[0]["name"]).exists():
        return
    actor = users.get("policy")
    partners = {
        values["name"]: services.partner_create(
            actor=actor,
            contact_point="International relations desk (invented contact, demo data)",
            published=True,
            **values,
        )
        for values in PARTNERS
    }
    _dialogue(actor, partners)
    _letters(actor, partners)
    _statement(actor, partners)


def _dialogue(actor: Any, partners: dict[str, Partner]) -> None:
    dialogue = services.agreement_create(
        actor=actor,
        title="Demo: technical dialogue on evaluation methods",
        kind="dialogue",
        partners=[
            partners["UK AI Security Institute"].pk,
            partners["Japan AI Safety Institute"].pk,
        ],
        member_states=["FR", "ES"],
        status="exploratory",
        status_on=date(2026, 1, 15),
        summary=f"Exchanges of experts on how capabilities are evaluated. {DEMO}",
        member_state_support=(
            "The Office invites the French and Spanish market surveillance authorities to the "
            f"technical rounds and shares their summaries. {DEMO}"
        ),
        published=True,
    )
    services.agreement_status_change(
        actor=actor,
        agreement=dialogue,
        status="in_force",
        on=date(2026, 3, 1),
        note=f"Terms of reference agreed. {DEMO}",
    )
    services.dialogue_round_add(
        actor=actor,
        agreement=dialogue,
        held_on=date(2026, 4, 20),
        place="Brussels",
        summary=f"First round: vocabulary and the evaluations each side runs. {DEMO}",
        public=True,
    )
    services.dialogue_round_add(
        actor=actor,
        agreement=dialogue,
        held_on=date(2026, 10, 6),
        place="Online",
        summary=f"Second round: preparation of a shared test set (internal). {DEMO}",
        public=False,
    )


def _letters(actor: Any, partners: dict[str, Partner]) -> Agreement:
    """Unpublished; it involves France, so the French demo authority sees it."""
    return services.agreement_create(
        actor=actor,
        title="Demo: administrative arrangement on sharing benchmark results",
        kind="administrative_arrangement",
        partners=[partners["US Center for AI Standards and Innovation"].pk],
        member_states=["FR"],
        status="under_negotiation",
        status_on=date(2026, 6, 2),
        summary=f"Draft text under discussion. {DEMO}",
        member_state_support=f"The French authority is consulted on the draft. {DEMO}",
        published=False,
    )


def _statement(actor: Any, partners: dict[str, Partner]) -> None:
    statement = services.agreement_create(
        actor=actor,
        title="Demo: joint statement on terms used in AI incident reporting",
        kind="joint_statement",
        partners=[partners["OECD"].pk],
        status="under_negotiation",
        status_on=date(2026, 5, 4),
        summary=f"A shared glossary of incident-reporting terms. {DEMO}",
        published=True,
    )
    services.agreement_status_change(
        actor=actor, agreement=statement, status="signed", on=date(2026, 9, 14)
    )
    text = f"Demo: joint statement (text).\n\n{DEMO}\n".encode()
    services.agreement_document_add(
        actor=actor,
        agreement=statement,
        upload=SimpleUploadedFile("joint-statement-demo.txt", text, content_type="text/plain"),
        title="Joint statement (demo text)",
        public=True,
    )
