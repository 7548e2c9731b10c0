"""A small consultation written for the analysis tests (our own words): a draft with three
sections, a campaign of six near-identical responses, two themes (copyright opt-outs and
energy reporting) in differently worded comments, a few unrelated comments, general
comments (no section) that belong to a section, and one confidential response."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from aioffice.accounts.models import User
from aioffice.drafting.choices import StakeholderCategory, Visibility
from aioffice.drafting.models_consultations import (
    Audience,
    Confidentiality,
    Consultation,
    Feedback,
    IdentityCheck,
    Position,
    Response,
)
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project

OPENS = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2026, 11, 1, 17, 0, tzinfo=datetime.UTC)

SECTIONS = {
    "documentation": (
        "Documentation for downstream providers",
        "Providers keep the technical documentation of the model up to date and give "
        "downstream providers the information they need to integrate the model safely.",
    ),
    "copyright": (
        "Copyright policy and reservations of rights",
        "Providers adopt a policy to comply with Union copyright law and respect "
        "machine-readable reservations of rights, such as robots.txt, when crawling the web.",
    ),
    "energy": (
        "Energy consumption",
        "Providers measure and report the energy consumed to train the model, or estimate it "
        "where it cannot be measured.",
    ),
}

CAMPAIGN = [
    "Please remove the duty to honour opt-outs written in any format other than robots.txt, "
    "since web crawlers cannot read such reservations reliably.",
    "Please remove the duty to honour opt-outs written in any format other than robots.txt, "
    "since web crawlers cannot read such reservations reliably. Thank you.",
    "Dear chairs, please remove the duty to honour opt-outs written in any format other "
    "than robots.txt, since web crawlers cannot read such reservations reliably.",
    "Please remove the duty to honour opt-outs written in any format other than robots.txt "
    "since web crawlers can not read such reservations reliably.",
    "please remove the duty to honour opt-outs written in any format other than robots.txt, "
    "since web crawlers cannot read such reservations reliably!",
    "Please remove the duty to honour opt outs written in any format other than robots.txt, "
    "since web crawlers cannot read such reservations reliably.",
]

COPYRIGHT_THEME = [
    "Rightholders need a simple way to reserve their rights: the code should name which "
    "machine-readable opt-out protocols crawlers must respect besides robots.txt.",
    "The list of machine-readable opt-out protocols that crawlers respect should be kept "
    "up to date by the Office, not only robots.txt.",
    "Crawlers should respect opt-out protocols set in page metadata as well as robots.txt; "
    "rightholders cannot always edit robots.txt on platforms they use.",
    "A machine-readable opt-out should bind crawlers even when robots.txt is silent.",
]

ENERGY_THEME = [
    "The energy consumed for training should be reported in kilowatt-hours together with "
    "the method used to measure or estimate the energy.",
    "Reporting the energy consumption of training runs is welcome, but the estimate method "
    "for the energy used by cloud hardware must be explained.",
    "We support reporting the energy used for training; an estimate based on hardware hours "
    "should be accepted where metering of the energy is not possible.",
    "Energy reporting should cover every training run, and the energy estimate should state "
    "its uncertainty.",
]

OTHER = [
    "The timeline for the first signatures seems too short for small companies.",
    "Please publish the minutes of the plenary sessions sooner.",
]

GENERAL = {
    # text: the section it belongs to
    "Besides training, the energy consumed when the model answers users should be reported, "
    "with an estimate where metering is not possible.": "energy",
    "The technical documentation given to downstream providers should describe the known "
    "limitations of the model and how to integrate it safely.": "documentation",
}


@dataclass
class World:
    project: Project
    draft: Draft
    consultation: Consultation
    sections: dict[str, Section]
    campaign: list[Feedback] = field(default_factory=list)
    copyright: list[Feedback] = field(default_factory=list)
    energy: list[Feedback] = field(default_factory=list)
    other: list[Feedback] = field(default_factory=list)
    general: dict[str, Feedback] = field(default_factory=dict)  # section key -> feedback
    confidential: Feedback | None = None


def build(project: Project, author: User) -> World:
    draft = Draft.objects.create(
        project=project,
        number=1,
        title="First draft (test)",
        status=DraftStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        published_on=OPENS.date(),
        created_by=author,
    )
    sections = {
        key: Section.objects.create(
            draft=draft,
            key=key,
            kind=SectionKind.COMMITMENT,
            number=str(position),
            title=title,
            text=text,
            position=position,
        )
        for position, (key, (title, text)) in enumerate(SECTIONS.items(), start=1)
    }
    consultation = Consultation.objects.create(
        draft=draft,
        title="Consultation on the first draft (test)",
        audience=Audience.PUBLIC,
        opens_at=OPENS,
        closes_at=CLOSES,
        created_by=author,
    )
    world = World(project, draft, consultation, sections)
    count = 0

    def respond(
        text: str,
        section: Section | None,
        position: str = Position.COMMENT,
        confidentiality: str = Confidentiality.PUBLIC,
    ) -> Feedback:
        nonlocal count
        count += 1
        response = Response.objects.create(
            consultation=consultation,
            reference=f"T-AN-{count:04d}",
            name=f"Respondent {count}",
            category=StakeholderCategory.INDIVIDUAL,
            identity_check=IdentityCheck.EMAIL_CONFIRMED,
            confidentiality=confidentiality,
            submitted_at=OPENS + datetime.timedelta(hours=count),
        )
        return Feedback.objects.create(
            response=response, section=section, position=position, comment=text
        )

    world.campaign = [respond(t, sections["copyright"], Position.OPPOSE) for t in CAMPAIGN]
    world.copyright = [respond(t, sections["copyright"]) for t in COPYRIGHT_THEME]
    world.energy = [
        respond(t, sections["energy"], Position.SUPPORT if i % 2 else Position.COMMENT)
        for i, t in enumerate(ENERGY_THEME)
    ]
    world.other = [respond(t, None) for t in OTHER]
    world.general = {key: respond(text, None) for text, key in GENERAL.items()}
    world.confidential = respond(
        "Our confidential view: energy figures for training should be reported only to the "
        "Office, since the energy used reveals the size of our training runs.",
        sections["energy"],
        Position.OPPOSE,
        Confidentiality.CONFIDENTIAL,
    )
    world.energy.append(world.confidential)
    return world
