"""Demo data for drafting, part adoption: the demo code's second version adopted as its final
text and opened for signature (a report every six months, the first due in two months);
Aurora signs every chapter and Northwind the safety and security chapter only, through the
platform as their members would; an adequacy assessment of the final text under the amended
procedure with the Board's opinion on the code (recorded here: the cooperation demo's Board
opinion is about a qualified alert), published; Aurora's first implementation report with a
value for each key performance indicator. Invented records in our own words, marked "demo
data"; loads once."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aioffice.cooperation import services_bodies
from aioffice.cooperation.choices import Adoption as HowAdopted
from aioffice.cooperation.choices import BodyKind, OpinionKind
from aioffice.cooperation.models_bodies import Body, Opinion
from aioffice.demo_data.drafting_projects import CODE_SLUG
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import Adoption
from aioffice.drafting.models_drafts import Draft, DraftStatus
from aioffice.drafting.models_projects import Project
from aioffice.registry.models import Provider

ALL_CHAPTERS = "Aurora Models SE"  # the demo user "provider"
SAFETY_ONLY = "Northwind Intelligence Inc."  # the demo user "foreign-provider"
OPINION_SUBJECT = "Opinion on the code of practice on general-purpose AI models (demo data)"
# what Aurora reports for each indicator, by the indicator's key in the demo code
VALUES = {
    "kpi-doc-complete": ("100 %", "Both model versions on the market have a complete form."),
    "kpi-share-time": ("92 %", "Three requests answered late during the summer."),
    "kpi-cr-crawlers": ("4 of 4", ""),
    "kpi-incident-time": ("median 2, longest 5", "One incident in the period."),
}


def _final_text(code: Project) -> Draft | None:
    """The drafts demo's version 2; failing that, the newest published version."""
    published = Draft.objects.filter(project=code, status=DraftStatus.PUBLISHED)
    return published.filter(number=2).first() or published.order_by("-number").first()


def _board_opinion(actor: Any, on: datetime.date) -> Opinion | None:
    """The Board's opinion on the demo code (made once); None without a Board."""
    found = Opinion.objects.filter(body__kind=BodyKind.BOARD, subject=OPINION_SUBJECT).first()
    if found is not None:
        return found
    board = Body.objects.filter(kind=BodyKind.BOARD).order_by("pk").first()
    if board is None:
        return None
    return services_bodies.opinion_create(
        actor=actor,
        body=board,
        kind=OpinionKind.OPINION,
        subject=OPINION_SUBJECT,
        text=(
            "The Board finds that the code covers the obligations of providers of "
            "general-purpose AI models and asks the Office to review the incident indicators "
            "after the first reports (demo data)."
        ),
        adopted_on=on,
        adoption=HowAdopted.CONSENSUS,
        published=True,
    )


def _provider(name: str) -> Provider | None:
    return Provider.objects.filter(organisation__name=name).first()


def load(*, users: dict[str, Any]) -> None:
    code = Project.objects.filter(slug=CODE_SLUG).first()
    if code is None or Adoption.objects.filter(project=code).exists():
        return
    final = _final_text(code)
    if final is None:
        return
    runner, legal = users["policy"], users["legal"]
    today = timezone.now().date()
    adopted_on = max(today - datetime.timedelta(days=7), final.published_on or today)
    with transaction.atomic():
        adoption = services.adopt(
            actor=runner,
            draft=final,
            adopted_on=adopted_on,
            reference="AI Office decision 2026/demo-1 (demo data)",
            note="Adopted after the second round of comments (demo data).",
        )
        opening = services.opening_create(
            actor=runner,
            adoption=adoption,
            opens_on=adopted_on,
            report_every_months=6,
            first_report_due=today + datetime.timedelta(days=60),
        )
        chapters = services.chapters_of(final)
        aurora, northwind = _provider(ALL_CHAPTERS), _provider(SAFETY_ONLY)
        if aurora is not None and "provider" in users:
            services.sign(
                actor=users["provider"], opening=opening, provider=aurora, chapters=chapters
            )
        safety = [c for c in chapters if c.registry_chapter == "safety_and_security"]
        safety = safety or [c for c in chapters if c.key == "safety"]
        if northwind is not None and safety and "foreign-provider" in users:
            services.sign(
                actor=users["foreign-provider"],
                opening=opening,
                provider=northwind,
                chapters=safety,
            )
        opinion = _board_opinion(runner, today - datetime.timedelta(days=3))
        if opinion is not None:
            assessment = services.assessment_create(
                actor=legal,
                draft=final,
                assessed_on=today,
                outcome="adequate",
                reasons=(
                    "The commitments and measures cover the documentation, copyright and "
                    "systemic-risk obligations; the indicators let the Office follow how "
                    "they are applied (demo data)."
                ),
                board_opinion=opinion,
                board_opinion_note=(
                    "The Board's request to review the incident indicators is planned for "
                    "the first reporting round (demo data)."
                ),
            )
            services.assessment_publish(actor=legal, assessment=assessment)
        if aurora is not None and "provider" in users:
            kpis = services.indicators_of(final)
            services.report_submit(
                actor=users["provider"],
                opening=opening,
                provider=aurora,
                narrative=(
                    "We completed the documentation forms for both model versions, named our "
                    "crawlers on our website and ran the incident procedure once (demo data)."
                ),
                values={k.pk: VALUES.get(k.key, ("reported", ""))[0] for k in kpis},
                notes={k.pk: VALUES.get(k.key, ("", ""))[1] for k in kpis},
            )
