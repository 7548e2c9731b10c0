"""Demo data for drafting, part drafts: two published versions of the demo code of practice
(three chapters with commitments, measures and key performance indicators; the second
version changes about a third of the sections, each change explained) and one published
version of the guidelines project. Invented texts in our own words, marked "demo data"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from aioffice.demo_data.drafting_projects import CODE_SLUG, GUIDELINES_SLUG
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft
from aioffice.drafting.models_projects import Project


def _s(key: str, kind: str, number: str, title: str, text: str, *children: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"key": key, "kind": kind, "number": number, "title": title}
    out["text"] = text
    if children:
        out["children"] = list(children)
    return out


def code_document(gpai_code: bool) -> dict[str, Any]:
    """Version 1 of the demo code (demo data)."""
    chapters = [
        _s(
            "transparency", "chapter", "I", "Transparency (demo data)",
            "How signatories document their models and share that documentation.",
            _s(
                "doc-keep", "commitment", "1", "Keeping model documentation",
                "Signatories draw up documentation of each model and keep it current.",
                _s(
                    "doc-form", "measure", "1.1", "A single documentation form",
                    "Signatories fill in one form per model version, covering training, "
                    "intended uses and known limits.",
                    _s("kpi-doc-complete", "kpi", "KPI 1.1", "Forms complete",
                       "Share of model versions placed on the market with a complete form."),
                ),
                _s(
                    "doc-retention", "measure", "1.2", "Keeping earlier versions",
                    "Earlier forms are kept for ten years after a model is withdrawn.",
                ),
            ),
            _s(
                "doc-share", "commitment", "2", "Sharing with downstream providers",
                "Signatories give downstream providers what they need to meet their duties.",
                _s(
                    "doc-share-time", "measure", "2.1", "Time to answer",
                    "A request from a downstream provider is answered within thirty days.",
                    _s("kpi-share-time", "kpi", "KPI 2.1", "Requests answered on time",
                       "Share of downstream requests answered within the period."),
                ),
            ),
        ),
        _s(
            "copyright", "chapter", "II", "Copyright (demo data)",
            "How signatories respect Union law on copyright and related rights.",
            _s(
                "cr-policy", "commitment", "3", "A copyright policy",
                "Signatories adopt, publish a summary of and apply a copyright policy.",
                _s(
                    "cr-reservations", "measure", "3.1", "Reading reservations of rights",
                    "Crawlers used for training follow machine-readable reservations.",
                    _s("kpi-cr-crawlers", "kpi", "KPI 3.1", "Crawlers checked",
                       "Share of crawlers tested against the common reservation formats."),
                ),
                _s(
                    "cr-complaints", "measure", "3.2", "Complaints from rightholders",
                    "A point of contact receives complaints and answers them.",
                ),
            ),
        ),
        _s(
            "safety", "chapter", "III", "Safety and security (demo data)",
            "How providers of models with systemic risk assess and mitigate those risks.",
            _s(
                "risk-framework", "commitment", "4", "A safety and security framework",
                "Signatories write down how they identify, analyse and accept risks.",
                _s(
                    "risk-review", "measure", "4.1", "Reviewing the framework",
                    "The framework is reviewed once a year and after each serious incident.",
                ),
            ),
            _s(
                "incidents", "commitment", "5", "Serious incidents",
                "Signatories track serious incidents and report them to the Office.",
                _s(
                    "incident-report", "measure", "5.1", "Reporting without delay",
                    "An initial report is sent as soon as a link to the model is established.",
                    _s("kpi-incident-time", "kpi", "KPI 5.1", "Days to first report",
                       "Median days between awareness of an incident and the first report."),
                ),
            ),
        ),
    ]  # fmt: skip
    if gpai_code:
        for chapter, name in zip(
            chapters, ("transparency", "copyright", "safety_and_security"), strict=True
        ):
            chapter["registry_chapter"] = name
    return {
        "title": "Code of practice on general-purpose AI models, first draft (demo data)",
        "explanation": "The first text put to the working groups (demo data).",
        "sections": chapters,
    }


# version 2: (key, new text, explanation) — about a third of the sections change
CHANGES = [
    (
        "doc-retention",
        "Earlier forms are kept for at least ten years after a model is withdrawn and are "
        "given to the Office on request.",
        "Respondents asked that the Office can see earlier forms; the period is a floor.",
    ),
    (
        "doc-share-time",
        "A request from a downstream provider is answered within fourteen days, or thirty "
        "days where the provider explains why more time is needed.",
        "Downstream providers found thirty days too long; the chairs kept a longer period "
        "for complex requests.",
    ),
    (
        "cr-reservations",
        "Crawlers used for training follow machine-readable reservations, including those "
        "expressed in the site's metadata, and signatories publish the crawlers they use.",
        "Rightholders asked for metadata to count and for the crawlers to be named.",
    ),
    (
        "risk-review",
        "The framework is reviewed at least once a year, after each serious incident and "
        "before a substantially modified model is placed on the market.",
        "Added a review before a substantial modification, as the plenary asked.",
    ),
    (
        "kpi-incident-time",
        "Median and longest number of days between awareness of an incident and the first report.",
        "The longest delay shows what a median hides.",
    ),
]


def _version_two(runner: Any, project: Project) -> Draft:
    draft = services.draft_next(
        actor=runner,
        project=project,
        title="Code of practice on general-purpose AI models, second draft (demo data)",
    )
    for key, text, explanation in CHANGES:
        row = draft.sections.get(key=key)
        services.section_update(
            actor=runner,
            section=row,
            kind=row.kind,
            number=row.number,
            title=row.title,
            text=text,
            explanation=explanation,
            registry_chapter=row.registry_chapter,
        )
    services.section_add(
        actor=runner,
        draft=draft,
        key="cr-transparency",
        kind="measure",
        number="3.3",
        title="A public summary of training content",
        text="Signatories publish a summary of the content used for training, by source type.",
        explanation="New: several respondents linked the copyright policy to this summary.",
        parent="cr-policy",
    )
    services.section_remove(actor=runner, section=draft.sections.get(key="cr-complaints"))
    # incidents come before the framework in the safety chapter
    services.section_move(
        actor=runner, section=draft.sections.get(key="incidents"), parent="safety", index=1
    )
    services.draft_update(
        actor=runner,
        draft=draft,
        title=draft.title,
        explanation=(
            "The second draft follows the first consultation: shorter periods, clearer "
            "floors, a new measure on the training-content summary, the complaints measure "
            "folded into the policy, incidents before the framework (demo data)."
        ),
    )
    return draft


def _guidelines(runner: Any, project: Project, published_on: datetime.date) -> None:
    document = {
        "title": "Guidelines on reporting serious incidents, draft (demo data)",
        "sections": [
            _s("scope", "section", "1", "Scope",
               "Which providers and incidents the guidelines cover."),
            _s(
                "what", "section", "2", "What to report",
                "The facts known, the model concerned and the harm observed or likely.",
                _s("what-minimum", "section", "2.1", "A minimum report",
                   "An initial report may be short; it is completed as facts are known."),
            ),
            _s("when", "section", "3", "When to report",
               "The periods run from the moment a link to the system is established."),
            _s("how", "section", "4", "How to report",
               "Through the Office's platform, with a reference kept for later updates."),
        ],
    }  # fmt: skip
    draft = services.draft_import(actor=runner, project=project, document=document)
    services.draft_publish(
        actor=runner, draft=draft, visibility="public", published_on=published_on
    )


def load(*, users: dict[str, Any]) -> None:
    code = Project.objects.filter(slug=CODE_SLUG).first()
    if code is None or Draft.objects.filter(project=code).exists():
        return
    runner = users["policy"]
    today = timezone.now().date()
    with transaction.atomic():
        first = services.draft_import(
            actor=runner, project=code, document=code_document(code.gpai_code)
        )
        services.draft_publish(
            actor=runner,
            draft=first,
            visibility="public",
            published_on=today - datetime.timedelta(days=70),
        )
        second = _version_two(runner, code)
        services.draft_publish(
            actor=runner,
            draft=second,
            visibility="public",
            published_on=today - datetime.timedelta(days=14),
        )
        guidelines = Project.objects.filter(slug=GUIDELINES_SLUG).first()
        if guidelines is not None and not guidelines.drafts.exists():
            _guidelines(runner, guidelines, today - datetime.timedelta(days=30))
