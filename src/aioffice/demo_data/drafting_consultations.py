"""Demo data for drafting, part consultations: a public consultation on version 1 of the
demo code (closed, about sixty responses of varied positions, some anonymous or
confidential, a campaign of fifteen near-identical letters; published) and a working-group
consultation on version 2, closed before that version was adopted; a public consultation on
the draft guidelines, open now. Invented texts in our own words, marked "demo data"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aioffice.demo_data.drafting_projects import CODE_SLUG, GUIDELINES_SLUG
from aioffice.drafting import services_consultations as services
from aioffice.drafting.models_consultations import (
    Channel,
    Consultation,
    IdentityCheck,
    Response,
)
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.drafting.models_projects import Project

PUBLIC_TITLE = "Public consultation on the first draft (demo data)"
GROUPS_TITLE = "Working groups' consultation on the second draft (demo data)"
GUIDELINES_TITLE = "Public consultation on the draft guidelines (demo data)"

CATEGORIES = (
    "provider",
    "downstream_provider",
    "civil_society",
    "academia",
    "rightholder",
    "individual",
    "member_state",
    "other",
)
CONFIDENTIALITY = ("public", "public", "anonymous", "public", "confidential")
POSITIONS = ("support", "oppose", "comment", "support", "comment", "oppose")

# (what it is about, a view on it) — combined into varied comments, all our own words
TOPICS = (
    ("the documentation form", "it should say which fields small providers may leave out"),
    ("the thirty-day answer period", "a shorter period for security fixes would help"),
    ("keeping earlier versions", "ten years is long for a model withdrawn after months"),
    ("the copyright policy", "it should name who at the provider answers rightholders"),
    ("opt-out signals", "more than one machine-readable format should count"),
    ("the key performance indicators", "a share of forms completed says little about quality"),
    ("evaluations before release", "independent testers need access early enough to matter"),
    ("incident reporting", "the draft should say what counts as a serious incident"),
    ("energy figures", "estimates should come with the method used to reach them"),
    ("downstream information", "integrators need known limits in plain language"),
)
CAMPAIGN = (
    "Please drop the duty to respect reservations of rights in formats other than robots.txt: "
    "crawlers cannot read them reliably (demo data)."
)
CAMPAIGN_VARIANTS = (
    "",
    " Thank you.",
    " Kind regards.",
    " We count on you.",
    " This matters to our members.",
)


def _comment(index: int) -> str:
    topic, view = TOPICS[index % len(TOPICS)]
    openers = ("On", "About", "Concerning", "As to", "Regarding")
    return f"{openers[index % len(openers)]} {topic}: {view} (demo data, response {index + 1})."


def _rows(sections: list[Section]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(45):
        respondent = f"r{i}"
        base = {
            "respondent": respondent,
            "name": f"Respondent {i + 1} (demo data)",
            "organisation": f"Demo organisation {i % 12 + 1}" if i % 3 else "",
            "category": CATEGORIES[i % len(CATEGORIES)],
            "email": f"respondent{i + 1}@demo.example",
            "confidentiality": CONFIDENTIALITY[i % len(CONFIDENTIALITY)],
        }
        target = sections[(i * 7) % len(sections)]
        rows.append(
            {
                **base,
                "section": target.key,
                "position": POSITIONS[i % len(POSITIONS)],
                "comment": _comment(i),
                "proposed_wording": (
                    f"Replace the second sentence by: 'Signatories state {TOPICS[i % 10][0]} "
                    "in one public place.' (demo data)"
                    if i % 4 == 0
                    else ""
                ),
            }
        )
        if i % 5 == 0:
            rows.append(
                {
                    **base,
                    "section": "",
                    "position": "comment",
                    "comment": f"In general the draft reads well but is long (demo data, {i}).",
                }
            )
    copyright_section = next((s for s in sections if "copyright" in s.key), sections[-1])
    for j in range(15):
        rows.append(
            {
                "respondent": f"campaign{j}",
                "name": f"Campaign writer {j + 1} (demo data)",
                "organisation": "",
                "category": "provider" if j % 2 else "downstream_provider",
                "email": f"campaign{j + 1}@demo.example",
                "confidentiality": "public" if j % 3 else "anonymous",
                "section": copyright_section.key if j % 4 else "",
                "position": "oppose",
                "comment": CAMPAIGN + CAMPAIGN_VARIANTS[j % len(CAMPAIGN_VARIANTS)],
            }
        )
    return rows


def _public(runner: Any, draft: Draft) -> None:
    now = timezone.now()
    found = services.consultation_open(
        actor=runner,
        draft=draft,
        title=PUBLIC_TITLE,
        introduction="Tell the chairs what works and what does not in the first draft (demo data).",
        audience="public",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    sections = list(Section.objects.filter(draft=draft).order_by("position"))
    made = services.import_feedback(actor=runner, consultation=found, rows=_rows(sections))
    # the period was weeks ago: the responses came in through the site during it
    opens = now - datetime.timedelta(days=65)
    closes = now - datetime.timedelta(days=35)
    Consultation.objects.filter(pk=found.pk).update(opens_at=opens, closes_at=closes)
    checks = (
        IdentityCheck.EMAIL_CONFIRMED,
        IdentityCheck.ACCOUNT_SECOND_FACTOR,
        IdentityCheck.EMAIL_UNCONFIRMED,
        IdentityCheck.EMAIL_CONFIRMED,
        IdentityCheck.OFFICE_IMPORT,
    )
    for index, response in enumerate(made):
        check = checks[index % len(checks)]
        Response.objects.filter(pk=response.pk).update(
            submitted_at=opens + datetime.timedelta(hours=6 + index * 11),
            identity_check=check,
            channel=Channel.IMPORT if check == IdentityCheck.OFFICE_IMPORT else Channel.WEB,
            email_confirmed_at=opens if check == IdentityCheck.EMAIL_CONFIRMED else None,
        )
    found.refresh_from_db()
    services.responses_publish(actor=runner, consultation=found)


def _groups(runner: Any, draft: Draft) -> None:
    now = timezone.now()
    services.consultation_open(
        actor=runner,
        draft=draft,
        title=GROUPS_TITLE,
        introduction=(
            "Members of working groups 1 and 2: your views on the second draft (demo data)."
        ),
        audience="working_groups",
        working_groups=list(draft.project.working_groups.filter(number__in=[1, 2])),
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    # the period was weeks ago and ended before the second version was adopted
    # (demo_data.drafting_adoption): the final version follows the consultations
    found = Consultation.objects.get(draft=draft, title=GROUPS_TITLE)
    Consultation.objects.filter(pk=found.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=9)
    )
    found.refresh_from_db()
    services.consultation_close(actor=runner, consultation=found)


def load(*, users: dict[str, Any]) -> None:
    code = Project.objects.filter(slug=CODE_SLUG).first()
    if code is None or Consultation.objects.filter(draft__project=code).exists():
        return
    first = Draft.objects.filter(project=code, number=1, status="published").first()
    second = Draft.objects.filter(project=code, number=2, status="published").first()
    runner = users["policy"]
    with transaction.atomic():
        if first is not None:
            _public(runner, first)
        if second is not None:
            _groups(runner, second)
        guidelines = Draft.objects.filter(
            project__slug=GUIDELINES_SLUG,
            project__public=True,
            status="published",
            visibility="public",
        ).first()
        if guidelines is not None:
            now = timezone.now()
            services.consultation_open(
                actor=runner,
                draft=guidelines,
                title=GUIDELINES_TITLE,
                introduction=(
                    "Open to everyone: tell us where the draft guidelines are unclear (demo data)."
                ),
                audience="public",
                opens_at=now - datetime.timedelta(days=3),
                closes_at=now + datetime.timedelta(days=40),
            )
