"""Demo data for cooperation, part bodies (loaded by `aioffice.demo._load_cooperation`): the
Board with a few fictional representatives, its two standing sub-groups, the advisory forum
with its permanent members (named by Art. 67(5)), the scientific panel with fictional
experts and their declarations, one held Board meeting with minutes and an Art. 66(n)
opinion with a vote. Every invented person or record says "demo"."""

from __future__ import annotations

from datetime import date
from typing import Any

from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import (
    Adoption,
    BodyKind,
    MeetingStatus,
    MinutesStatus,
    OpinionKind,
    SeatRole,
)
from aioffice.cooperation.models_bodies import Body
from aioffice.supervision.models import QualifiedAlert

BOARD = "European Artificial Intelligence Board"
START = date(2025, 8, 2)
# the permanent members the law names (Art. 67(5))
PERMANENT = (
    "European Union Agency for Fundamental Rights (FRA)",
    "European Union Agency for Cybersecurity (ENISA)",
    "European Committee for Standardization (CEN)",
    "European Committee for Electrotechnical Standardization (CENELEC)",
    "European Telecommunications Standards Institute (ETSI)",
)


def load(*, users: dict[str, Any]) -> None:
    """Loads once: nothing happens when the Board is already there."""
    if Body.objects.filter(name=BOARD).exists():
        return
    actor = users.get("policy")
    board = services.body_create(
        actor=actor,
        kind=BodyKind.BOARD,
        name=BOARD,
        description="One representative per Member State (Art. 65). Demo data.",
    )
    for name in ("Market surveillance (ADCO)", "Notifying authorities"):
        services.body_create(
            actor=actor,
            kind=BodyKind.BOARD_SUBGROUP,
            name=f"Standing sub-group: {name}",
            parent=board,
            standing=True,
        )
    for state, person in (("FR", "Camille Martin (demo)"), ("DE", "Jonas Weber (demo)")):
        services.member_add(
            actor=actor,
            body=board,
            role=SeatRole.REPRESENTATIVE,
            person_name=person,
            member_state=state,
            term_start=START,
        )
    services.member_add(
        actor=actor,
        body=board,
        role=SeatRole.REPRESENTATIVE,
        person_name="Lucía García (demo)",
        member_state="ES",
        term_start=START,
    )
    services.member_add(
        actor=actor,
        body=board,
        role=SeatRole.OBSERVER,
        person_name="European Data Protection Supervisor (demo contact)",
        organisation="EDPS",
    )
    services.member_add(
        actor=actor,
        body=board,
        role=SeatRole.SECRETARIAT,
        person_name="AI Office secretariat",
        organisation="AI Office",
    )
    forum = services.body_create(
        actor=actor,
        kind=BodyKind.ADVISORY_FORUM,
        name="Advisory forum",
        description="Stakeholders' technical expertise (Art. 67). Demo data.",
    )
    for organisation in PERMANENT:
        services.member_add(
            actor=actor,
            body=forum,
            role=SeatRole.PERMANENT,
            person_name=organisation,
            organisation=organisation,
        )
    services.member_add(
        actor=actor,
        body=forum,
        role=SeatRole.MEMBER,
        person_name="Open Algorithms Association (demo)",
        category="civil_society",
        commercial=False,
        term_start=START,
    )
    panel = services.body_create(
        actor=actor,
        kind=BodyKind.SCIENTIFIC_PANEL,
        name="Scientific panel of independent experts",
        description="Independent experts (Art. 68). Demo data.",
    )
    for n, (person, country, user) in enumerate(
        (
            ("Dr Ana Novak (demo)", "SI", users.get("panel")),
            ("Prof. Mikael Berg (demo)", "SE", None),
        ),
        start=1,
    ):
        services.member_add(
            actor=actor,
            body=panel,
            role=SeatRole.EXPERT,
            person_name=person,
            user=user,
            expertise="Evaluation of general-purpose AI models (demo)",
            nationality=country,
            declaration=f"Demo declaration {n}: no interest in any provider of AI models.",
        )
    meeting = services.meeting_create(
        actor=actor,
        body=board,
        title="Board plenary (demo)",
        date=date(2026, 3, 4),
        place="Brussels",
        published=True,
    )
    for title in ("Opening", "Qualified alert on a general-purpose AI model", "Any other business"):
        services.agenda_item_add(actor=actor, meeting=meeting, title=title)
    services.meeting_update(actor=actor, meeting=meeting, status=MeetingStatus.HELD)
    services.minutes_save(
        actor=actor,
        meeting=meeting,
        minutes="The Board discussed the qualified alert and adopted an opinion. Demo data.",
        status=MinutesStatus.APPROVED,
        published=True,
    )
    alert = QualifiedAlert.objects.order_by("intake_id").first()
    services.opinion_create(
        actor=actor,
        body=board,
        meeting=meeting,
        kind=OpinionKind.ALERT_OPINION if alert is not None else OpinionKind.OPINION,
        alert=alert,
        subject="Opinion on a qualified alert of the scientific panel (demo)",
        text="The Board supports a documentation request to the provider. Demo data.",
        adopted_on=meeting.date,
        adoption=Adoption.VOTE,
        state_votes={"FR": "for", "DE": "for", "ES": "abstain"},
        published=True,
    )
