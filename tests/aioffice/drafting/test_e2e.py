"""The issue's end-to-end test, on the real database, through the services and the key
pages: drafting project → working group → draft 1 → consultation → 300 comments (imported
by the Office; written by the generator below) → grouping (an analysis run with the lexical
embedder: the planted campaign and the three planted themes are found) → draft 2 with its
comparison (the changed sections with the drafters' explanations) → adoption → signature
opening → signatures (the registry's signatures of the GPAI Code) → the first
implementation report due on the one clock.

Every text here is written for the test."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting import compare
from aioffice.drafting import services_adoption as adoption
from aioffice.drafting import services_analysis as analysis
from aioffice.drafting import services_consultations as consultations
from aioffice.drafting import services_drafts as drafts
from aioffice.drafting import services_projects as projects
from aioffice.drafting.choices import (
    LegalBasis,
    ProjectKind,
    ProjectStatus,
    StakeholderCategory,
    Visibility,
)
from aioffice.drafting.models_analysis import GroupKind, RunStatus
from aioffice.drafting.models_consultations import Feedback
from aioffice.drafting.models_drafts import DraftStatus, Section
from aioffice.registry.codeofpractice.models import Signature as RegistrySignature
from aioffice.registry.testing import registered_provider
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

# --- the first draft ---------------------------------------------------------------------------

DOCUMENT: dict[str, Any] = {
    "title": "End-to-end code, first draft",
    "explanation": "The first version, for consultation.",
    "sections": [
        {
            "key": "transparency",
            "kind": "chapter",
            "number": "1",
            "title": "Transparency",
            "registry_chapter": "transparency",
            "children": [
                {
                    "key": "energy",
                    "kind": "measure",
                    "number": "1.1",
                    "title": "Energy used in training",
                    "text": "Signatories report the energy their training runs used.",
                },
                {
                    "key": "marking",
                    "kind": "measure",
                    "number": "1.2",
                    "title": "Marking of generated content",
                    "text": "Signatories mark generated images so that tools can detect them.",
                },
            ],
        },
        {
            "key": "copyright",
            "kind": "chapter",
            "number": "2",
            "title": "Copyright",
            "registry_chapter": "copyright",
            "children": [
                {
                    "key": "opt-outs",
                    "kind": "measure",
                    "number": "2.1",
                    "title": "Reservations of rights",
                    "text": "Crawlers respect machine-readable reservations of rights.",
                }
            ],
        },
        {
            "key": "safety",
            "kind": "chapter",
            "number": "3",
            "title": "Safety and security",
            "registry_chapter": "safety_and_security",
            "children": [
                {
                    "key": "incidents",
                    "kind": "measure",
                    "number": "3.1",
                    "title": "Serious incidents",
                    "text": "Signatories tell the Office of serious incidents without delay.",
                    "children": [
                        {
                            "key": "kpi-incidents",
                            "kind": "kpi",
                            "number": "3.1.a",
                            "title": "Incidents reported on time",
                            "text": "The share of serious incidents reported within the period.",
                        }
                    ],
                }
            ],
        },
    ],
}

# --- 300 comments ------------------------------------------------------------------------------

CAMPAIGN = (
    "We ask the chairs to delete the duty to honour reservations of rights written in any "
    "form other than the robots exclusion file, because crawlers cannot read them reliably "
    "and small developers would be exposed to endless claims."
)
CAMPAIGN_SIZE = 40

# three themes: each comment joins one opening and one ending of its theme (both use the
# theme's words), never the same pair twice
THEMES: dict[str, tuple[list[str], list[str]]] = {
    "energy": (
        [
            "The energy consumption of training should be reported",
            "Energy figures for each training run should be published",
            "Reporting the energy used to train the model is welcome",
            "The energy report on training is too vague",
            "Estimating training energy from hardware hours should be allowed",
            "The energy used by cloud hardware during training matters",
            "Metering of training energy is not always possible",
            "A common unit for training energy is needed",
        ],
        [
            "in kilowatt-hours, with the method of measuring the energy.",
            "so that the energy efficiency of models can be compared.",
            "and an energy estimate should state its uncertainty.",
            "including the energy of failed training runs.",
            "with the energy of data centre cooling counted too.",
            "and the Office should publish the energy figures it receives.",
            "because energy disclosure drives more efficient training.",
        ],
    ),
    "marking": (
        [
            "Watermarks in generated images must survive cropping",
            "Detection tools for the watermark should be free",
            "A robust watermark on generated pictures is essential",
            "Invisible watermarks are easily stripped from generated images",
            "Independent labs should test watermark detection",
            "The watermark of generated video should be checked too",
            "Providers should publish how watermark detection performs",
            "Marking generated images with a watermark is not enough alone",
        ],
        [
            "and detection must work after compression of the image.",
            "so that journalists can detect generated images quickly.",
            "with a public interface to detect the watermark.",
            "and watermark detection rates should be reported yearly.",
            "because edited images often lose their watermark.",
            "and metadata marking should complement the watermark.",
            "so that platforms can label generated images automatically.",
        ],
    ),
    "incidents": (
        [
            "Serious incidents should be reported to the Office quickly",
            "The serious incident report template needs a root cause field",
            "A clear definition of a serious incident is missing",
            "Reporting serious incidents within fifteen days is realistic",
            "Near misses should not count as serious incidents",
            "Serious incidents affecting many users need an immediate report",
            "The indicator on serious incidents reported on time is useful",
            "Follow-up reports on serious incidents should be required",
        ],
        [
            "and the incident report should name the corrective measures.",
            "so that the Office can compare incidents across providers.",
            "with a follow-up incident report once the cause is known.",
            "because late incident reports hide systemic problems.",
            "and the incident register should be shared with authorities.",
            "so that every serious incident is counted in the indicator.",
            "with incident reports kept confidential where needed.",
        ],
    ),
}
THEME_SIZE = 50
THEME_SECTIONS = {"energy": "energy", "marking": "marking", "incidents": "incidents"}

# the rest: one-off remarks, each on its own subject
SUBJECTS = [
    "the plenary calendar",
    "translations of the draft",
    "the glossary",
    "the role of observers",
    "meeting minutes",
    "the numbering of measures",
    "accessibility of the consultation form",
    "the timeline for signatures",
    "small and medium enterprises",
    "academic access to models",
    "open-weight releases",
    "the review clause",
    "the scientific panel",
    "national authorities",
    "the use of standards",
    "the cost estimates",
    "international partners",
    "the list of signatories",
    "the languages of publication",
    "public sector deployers",
    "fine-tuning by customers",
    "model cards",
    "the complaint channel",
    "trade secrets",
    "security of model weights",
    "red-team exercises",
    "evaluations by third parties",
    "child safety",
    "election integrity",
    "chemical risks",
]
REMARKS = [
    "Please clarify {s}.",
    "We suggest revisiting {s} in the next round.",
    "Our members have concerns about {s}.",
    "The text says too little about {s}.",
    "A workshop on {s} would help.",
]
OTHERS = 300 - CAMPAIGN_SIZE - THEME_SIZE * len(THEMES)


def campaign_copy(rng: random.Random, index: int) -> str:
    changes = [
        lambda t: t,
        lambda t: "Dear chairs, " + t[0].lower() + t[1:],
        lambda t: t + " Thank you.",
        lambda t: t.replace("endless", "many"),
        lambda t: t.replace(", because", " because"),
    ]
    return changes[index % len(changes)](CAMPAIGN)


def comments(seed: int = 9) -> list[dict[str, str]]:
    """The 300 import rows, with a `planted` column: campaign, a theme's name or other."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def row(text: str, section: str, position: str, planted: str) -> None:
        number = len(rows)
        rows.append(
            {
                "name": f"Respondent {number}",
                "organisation": f"Organisation {number % 37}",
                "category": ["civil_society", "academia", "provider", "individual"][number % 4],
                "confidentiality": ["public", "anonymous", "confidential"][number % 3],
                "section": section,
                "position": position,
                "comment": text,
                "planted": planted,
            }
        )

    for index in range(CAMPAIGN_SIZE):
        row(campaign_copy(rng, index), "opt-outs", "oppose", "campaign")
    for theme, (openings, endings) in THEMES.items():
        pairs = [(o, e) for o in openings for e in endings]
        for opening, ending in rng.sample(pairs, THEME_SIZE):
            text = f"{opening} {ending}"
            row(text, THEME_SECTIONS[theme], rng.choice(["support", "oppose", "comment"]), theme)
    for index in range(OTHERS):
        subject = SUBJECTS[index % len(SUBJECTS)]
        remark = REMARKS[(index // len(SUBJECTS)) % len(REMARKS)]
        row(remark.format(s=subject) + f" (note {index})", "", "comment", "other")
    order = list(range(len(rows)))
    rng.shuffle(order)
    return [rows[i] for i in order]


# --- helpers -----------------------------------------------------------------------------------


def member_of(provider: Any, username: str) -> User:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return user


def today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.django_db
def test_from_project_to_signatures(
    drafting_runner: User, drafting_media: Any, settings: Any
) -> None:
    settings.SEMANTIC_EMBEDDER = "lexical"
    runner = drafting_runner
    office = signed_in_client(runner)

    # the project, a chair, a working group and a member
    project = projects.project_create(
        actor=runner,
        title="End-to-end code of practice",
        kind=ProjectKind.CODE_OF_PRACTICE,
        legal_basis=LegalBasis.ART56,
        citation="Art. 56",
        public=True,
        gpai_code=True,
    )
    projects.project_set_status(actor=runner, project=project, status=ProjectStatus.DRAFTING)
    chair = make_user(None, "e2e-chair")
    projects.role_appoint(
        actor=runner,
        project=project,
        user=chair,
        kind="chair",
        affiliation="A university (test)",
        independence_statement="No interest in any provider (test).",
    )
    group = projects.group_create(actor=runner, project=project, name="Transparency (test)")
    member = make_user(None, "e2e-member")
    projects.member_admit(
        actor=runner,
        working_group=group,
        category=StakeholderCategory.CIVIL_SOCIETY,
        user=member,
        organisation_name="A foundation (test)",
    )
    page = office.get(reverse("drafting:project", args=[project.slug]))
    assert page.status_code == 200
    assert "Transparency (test)" in page.content.decode()

    # draft 1, published to everyone
    first = drafts.draft_import(actor=runner, project=project, document=DOCUMENT)
    first = drafts.draft_publish(actor=runner, draft=first, visibility=Visibility.PUBLIC)
    assert first.number == 1 and first.status == DraftStatus.PUBLISHED

    # the consultation, 300 comments imported by the Office, then closed
    now = timezone.now()
    consultation = consultations.consultation_open(
        actor=runner,
        draft=first,
        title="Consultation on the first draft (test)",
        audience="public",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    assert Deadline.objects.filter(kind=DeadlineKind.CONSULTATION_CLOSE).count() == 1
    rows = comments()
    planted = {row["comment"]: row["planted"] for row in rows}
    imported = consultations.import_feedback(
        actor=runner,
        consultation=consultation,
        rows=[{k: v for k, v in row.items() if k != "planted"} for row in rows],
    )
    assert len(imported) == 300
    items = Feedback.objects.filter(response__consultation=consultation)
    assert items.count() == 300
    kind_of = {pk: planted[text] for pk, text in items.values_list("id", "comment")}
    public = signed_in_client(make_user(None, "e2e-reader"), second_factor=False)
    assert public.get(reverse("drafting:consultation", args=[consultation.pk])).status_code == 200
    listing = office.get(reverse("drafting:consultation_feedback", args=[consultation.pk]))
    assert listing.status_code == 200
    export = office.get(
        reverse("drafting:consultation_export", args=[consultation.pk]), {"format": "csv"}
    )
    assert export.status_code == 200
    exported = b"".join(export.streaming_content) if export.streaming else export.content
    assert exported.decode().count("\n") >= 301  # the header and the 300 comments
    consultation = consultations.consultation_close(actor=runner, consultation=consultation)

    # grouping: an analysis run, done here (the worker's job)
    run = analysis.run_request(actor=runner, consultation=consultation, enqueue=False)
    run = analysis.run_execute(run.pk)
    assert run.status == RunStatus.DONE, run.error
    assert run.model == "lexical-hash-v1" and run.feedback_count == 300
    groups = list(run.groups.prefetch_related("members"))
    campaigns = [g for g in groups if g.kind == GroupKind.CAMPAIGN]
    themes = [g for g in groups if g.kind == GroupKind.THEME]
    biggest = max(campaigns, key=lambda g: g.size)
    members = [kind_of[m.feedback_id] for m in biggest.members.all()]
    assert members.count("campaign") >= CAMPAIGN_SIZE - 2 and set(members) == {"campaign"}
    for theme in THEMES:
        found = [
            g
            for g in themes
            if sum(kind_of[m.feedback_id] == theme for m in g.members.all()) >= 0.8 * g.size
        ]
        assert found, f"theme {theme} not found"
        covered = sum(g.size for g in found)
        assert covered >= THEME_SIZE // 2, (theme, covered)
        assert any(g.section is not None and g.section.key == THEME_SECTIONS[theme] for g in found)

    # draft 2: two sections changed, with the drafters' explanations; the comparison
    second = drafts.draft_next(actor=runner, project=project, title="End-to-end code, draft 2")
    energy = second.sections.get(key="energy")
    drafts.section_update(
        actor=runner,
        section=energy,
        title=energy.title,
        number=energy.number,
        text="Signatories report the energy their training runs used, measured or estimated.",
        explanation="Many comments asked for estimates where metering is impossible.",
    )
    opt_outs = second.sections.get(key="opt-outs")
    drafts.section_update(
        actor=runner,
        section=opt_outs,
        title=opt_outs.title,
        number=opt_outs.number,
        text="Crawlers respect reservations of rights in the robots exclusion file and in "
        "page metadata.",
        explanation="The campaign's concern: the accepted forms of reservation are now named.",
    )
    second = drafts.draft_publish(actor=runner, draft=second, visibility=Visibility.PUBLIC)
    comparison = compare.compare(
        list(Section.objects.filter(draft=first).order_by("position")),
        list(Section.objects.filter(draft=second).order_by("position")),
    )
    changed = {row.key: row for row in comparison.changed_only()}
    assert set(changed) == {"energy", "opt-outs"}
    assert changed["energy"].explanation.startswith("Many comments")
    assert "text" in changed["opt-outs"].changed_fields
    page = public.get(reverse("drafting:draft_compare", args=[project.slug, 2, 1]))
    assert page.status_code == 200
    assert "Many comments asked for estimates" in page.content.decode()

    # adoption, signature opening, signatures
    adopted = adoption.adopt(actor=runner, draft=second, adopted_on=today(), reference="E2E")
    second.refresh_from_db()
    project.refresh_from_db()
    assert second.status == DraftStatus.FINAL and project.status == ProjectStatus.ADOPTED
    due = today() + datetime.timedelta(days=90)
    opening = adoption.opening_create(
        actor=runner,
        adoption=adopted,
        opens_on=today(),
        report_every_months=12,
        first_report_due=due,
    )
    chapters = {s.key: s for s in adoption.chapters_of(second)}
    assert set(chapters) == {"transparency", "copyright", "safety"}
    alpha = registered_provider("Alpha Models (e2e test)")
    beta = registered_provider("Beta Models (e2e test)")
    adoption.sign(
        actor=member_of(alpha, "e2e-alpha"),
        opening=opening,
        provider=alpha,
        chapters=list(chapters.values()),
    )
    adoption.sign(
        actor=member_of(beta, "e2e-beta"),
        opening=opening,
        provider=beta,
        chapters=[chapters["safety"]],
    )
    signed = RegistrySignature.objects.filter(withdrawn_on__isnull=True)
    assert sorted(signed.filter(provider=alpha).values_list("chapter", flat=True)) == [
        "copyright",
        "safety_and_security",
        "transparency",
    ]
    assert list(signed.filter(provider=beta).values_list("chapter", flat=True)) == [
        "safety_and_security"
    ]
    page = public.get(reverse("drafting:adoption", args=[project.slug]))
    assert page.status_code == 200
    assert "Alpha Models (e2e test)" in page.content.decode()

    # the first implementation report of each signatory falls due on the one clock
    reports = Deadline.objects.filter(kind=DeadlineKind.CODE_REPORT).order_by("provider_id")
    assert [(d.provider_id, d.due_on) for d in reports] == [(alpha.pk, due), (beta.pk, due)]
    assert all(d.provider_to_act and d.rules_version for d in reports)
