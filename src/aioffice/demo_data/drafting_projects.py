"""Demo data for drafting, part projects: a code of practice for general-purpose AI models
in drafting (two chairs, four working groups, members of every category with their
declarations, a plenary with agenda and published minutes) and a guidelines project in
preparation. Invented records, in our own words, marked "demo data"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from aioffice.drafting import services_projects as services
from aioffice.drafting.choices import StakeholderCategory as C
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_projects import MeetingKind, Project

CODE_SLUG = "gpai-code-demo"
GUIDELINES_SLUG = "guidelines-serious-incidents-demo"

GROUPS = [
    ("Transparency and documentation", "How model documentation is kept and shared downstream."),
    ("Copyright", "A policy on Union copyright law and on reservations of rights."),
    ("Risk assessment", "Identifying and analysing systemic risks along the model's life."),
    ("Risk mitigation", "Safeguards, security and serious-incident reporting."),
]

# (group number, name, organisation, category, demo username or None, review outcome)
MEMBERS: list[tuple[int, str, str, str, str | None, str]] = [
    (1, "Priya (demo)", "Aurora Models SE", C.PROVIDER, "provider", "no_conflict"),
    (1, "Dario (demo)", "Brightline Apps SAS", C.DOWNSTREAM_PROVIDER, "downstream", "no_conflict"),
    (1, "Open Docs Collective (demo data)", "", C.CIVIL_SOCIETY, None, "pending"),
    (2, "Guild of Illustrators (demo data)", "", C.RIGHTHOLDER, None, "managed"),
    (2, "Press Publishers Forum (demo data)", "", C.RIGHTHOLDER, None, "no_conflict"),
    (2, "Frank (demo)", "Northwind Intelligence Inc.", C.PROVIDER, "foreign-provider", "pending"),
    (3, "Institute for Model Evaluation (demo data)", "", C.ACADEMIA, None, "no_conflict"),
    (3, "Priya (demo)", "Aurora Models SE", C.PROVIDER, "provider", "no_conflict"),
    (3, "Ministry of Digital Affairs (demo data)", "", C.MEMBER_STATE, None, "no_conflict"),
    (4, "Safety Research Lab (demo data)", "", C.ACADEMIA, None, "excluded"),
    (4, "Digital Rights Network (demo data)", "", C.CIVIL_SOCIETY, None, "no_conflict"),
    (4, "Standards observer (demo data)", "", C.OBSERVER, None, "no_conflict"),
]


def load(*, users: dict[str, Any]) -> None:
    if Project.objects.filter(slug=CODE_SLUG).exists():
        return
    runner = users["policy"]
    with transaction.atomic():
        # the guidelines first: the code, newest, heads the public index
        services.project_create(
            actor=runner,
            slug=GUIDELINES_SLUG,
            title="Guidelines on reporting serious incidents (demo data)",
            kind="guidelines",
            legal_basis="other",
            citation="Art. 73(7)",
            summary="Guidance for providers on what to report, when and how (demo data).",
            public=True,
        )
        _code(runner, users)


def _code(runner: Any, users: dict[str, Any]) -> None:
    start = datetime.date(2026, 6, 1)
    project = services.project_create(
        actor=runner,
        slug=CODE_SLUG,
        title="Code of practice on general-purpose AI models (demo data)",
        kind="code_of_practice",
        legal_basis="art56",
        citation="Art. 56",
        summary=(
            "A code written with providers, rightholders, civil society and experts that "
            "details how providers of general-purpose AI models meet their obligations "
            "(demo data)."
        ),
        public=True,
        gpai_code=not Project.objects.filter(gpai_code=True).exists(),
    )
    services.project_set_status(actor=runner, project=project, status="drafting")
    groups = [
        services.group_create(actor=runner, project=project, name=name, mandate=mandate)
        for name, mandate in GROUPS
    ]
    for username, affiliation in (
        ("panel", "Independent researcher, university of applied AI (demo data)"),
        ("citizen", "Civic AI Watch (demo data)"),
    ):
        role = services.role_appoint(
            actor=runner,
            project=project,
            user=users[username],
            kind="chair",
            affiliation=affiliation,
            independence_statement="I hold no financial interest in any model provider.",
            appointed_on=start,
        )
        declaration = services.declaration_submit(
            actor=runner, role=role, interests="No interests to declare.", declared_on=start
        )
        services.declaration_review(actor=runner, declaration=declaration, outcome="no_conflict")
    services.role_appoint(
        actor=runner, project=project, user=users["legal"], kind="drafter", appointed_on=start
    )
    for number, name, organisation, category, login, outcome in MEMBERS:
        member = services.member_admit(
            actor=runner,
            working_group=groups[number - 1],
            category=category,
            name=name,
            user=users.get(login) if login else None,
            organisation_name=organisation,
            admitted_on=start,
        )
        declaration = services.declaration_submit(
            actor=runner,
            member=member,
            interests="Employment and funding of the last three years (demo data).",
            declared_on=start,
        )
        if outcome != "pending":
            services.declaration_review(
                actor=runner,
                declaration=declaration,
                outcome=outcome,
                note="" if outcome == "no_conflict" else "Does not vote on item 2 (demo data).",
            )
    held = datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC)
    plenary = services.meeting_create(
        actor=runner,
        project=project,
        kind=MeetingKind.PLENARY,
        title="Opening plenary (demo data)",
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=3),
        place="Brussels and online",
        agenda="1. Welcome by the chairs\n2. Working method and timeline\n3. Questions",
        visibility=Visibility.PUBLIC,
    )
    services.meeting_update(
        actor=runner,
        meeting=plenary,
        minutes=(
            "The chairs presented the four working groups and the drafting timeline. "
            "Participants asked about the consultation periods (demo data)."
        ),
    )
    services.meeting_publish_minutes(
        actor=runner, meeting=plenary, published_on=datetime.date(2026, 7, 8)
    )
    services.meeting_create(
        actor=runner,
        project=project,
        kind=MeetingKind.WORKING_GROUP,
        working_group=groups[1],
        title="Copyright group, first sitting (demo data)",
        starts_at=held + datetime.timedelta(days=14),
        agenda="1. Reservations of rights\n2. Complaint handling",
    )
