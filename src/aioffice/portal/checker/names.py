"""Human names, in our own words, for the codes in aiact's answers (tiers, obligation ids,
prohibited practices, transparency duties, statuses), each with the provision it rests on.

aiact names obligations by ids such as ``art16_provider_obligations``; the checker shows a
name and links the provision. A test checks that every id aiact can return has a name here.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FAILING_CONDITIONS",
    "GPAI_OBLIGATIONS",
    "PRACTICES",
    "PROVIDER_STATUS",
    "ROUTES",
    "SYSTEMIC_RISK_STATUS",
    "SYSTEM_OBLIGATIONS",
    "TIERS",
    "TRANSPARENCY",
    "Named",
    "Provision",
]


class Provision(NamedTuple):
    """A provision of an instrument (``AIA``: the AI Act), as aiact's citations name it."""

    instrument: str
    article: str
    paragraph: str | None = None
    point: str | None = None

    @property
    def label(self) -> str:
        text = f"Art. {self.article}"
        if self.paragraph:
            text += f"({self.paragraph})"
        if self.point:
            text += f"({self.point})"
        return text


class Named(NamedTuple):
    name: Promise
    provision: Provision


TIERS: Final[dict[str, Promise]] = {
    "out_of_scope": _("Outside the scope of the AI Act"),
    "prohibited": _("Prohibited practice"),
    "high_risk": _("High-risk AI system"),
    "limited_risk": _("Limited risk: transparency duties apply"),
    "minimal_risk": _("Minimal risk"),
}

ROUTES: Final[dict[str, Promise]] = {
    "annex_i": _("a product, or a safety component of a product, covered by Annex I (Art. 6(1))"),
    "annex_iii": _("a use listed in Annex III (Art. 6(2))"),
}

SYSTEM_OBLIGATIONS: Final[dict[str, Named]] = {
    "art4_ai_literacy": Named(
        _("Take measures for the AI literacy of staff and others using AI systems for you"),
        Provision("AIA", "4"),
    ),
    "art6_4_document_assessment": Named(
        _(
            "Document the assessment that the system is not high-risk, before placing it on the "
            "market"
        ),
        Provision("AIA", "6", "4"),
    ),
    "art16_provider_obligations": Named(
        _(
            "Obligations of providers of high-risk AI systems (requirements, quality management, "
            "technical documentation, conformity assessment, CE marking)"
        ),
        Provision("AIA", "16"),
    ),
    "art22_authorised_representative": Named(
        _("Tasks of the authorised representative of a provider established outside the Union"),
        Provision("AIA", "22"),
    ),
    "art23_importer": Named(
        _("Obligations of importers of high-risk AI systems"),
        Provision("AIA", "23"),
    ),
    "art24_distributor": Named(
        _("Obligations of distributors of high-risk AI systems"),
        Provision("AIA", "24"),
    ),
    "art25_4_written_agreement": Named(
        _(
            "A written agreement with the suppliers of AI systems, models, tools, services and "
            "components used in the system"
        ),
        Provision("AIA", "25", "4"),
    ),
    "art26_deployer_obligations": Named(
        _(
            "Obligations of deployers of high-risk AI systems (use as instructed, human "
            "oversight, monitoring, logs)"
        ),
        Provision("AIA", "26"),
    ),
    "art49_1_register_system": Named(
        _("Register yourself and the system in the EU database before placing it on the market"),
        Provision("AIA", "49", "1"),
    ),
    "art49_2_register_derogation": Named(
        _("Register in the EU database a system you consider not high-risk under Art. 6(3)"),
        Provision("AIA", "49", "2"),
    ),
    "art49_5_register_nationally": Named(
        _("Register the system at national level (critical infrastructure)"),
        Provision("AIA", "49", "5"),
    ),
    "art73_report_serious_incidents": Named(
        _("Report serious incidents to the market surveillance authorities"),
        Provision("AIA", "73"),
    ),
}

PRACTICES: Final[dict[str, Named]] = {
    "art5_1_a": Named(
        _("Subliminal, manipulative or deceptive techniques causing significant harm"),
        Provision("AIA", "5", "1", "a"),
    ),
    "art5_1_b": Named(
        _("Exploiting vulnerabilities due to age, disability or social or economic situation"),
        Provision("AIA", "5", "1", "b"),
    ),
    "art5_1_ba": Named(
        _("Intimate images of an identifiable person without consent"),
        Provision("AIA", "5", "1", "ba"),
    ),
    "art5_1_bb": Named(_("Child sexual abuse material"), Provision("AIA", "5", "1", "bb")),
    "art5_1_c": Named(
        _("Social scoring leading to unfavourable treatment"), Provision("AIA", "5", "1", "c")
    ),
    "art5_1_d": Named(
        _("Predicting criminal offences solely from profiling or personality traits"),
        Provision("AIA", "5", "1", "d"),
    ),
    "art5_1_e": Named(
        _("Untargeted scraping of facial images for facial recognition databases"),
        Provision("AIA", "5", "1", "e"),
    ),
    "art5_1_f": Named(
        _("Emotion recognition at the workplace or in education"), Provision("AIA", "5", "1", "f")
    ),
    "art5_1_g": Named(
        _("Biometric categorisation to infer sensitive characteristics"),
        Provision("AIA", "5", "1", "g"),
    ),
    "art5_1_h": Named(
        _("Real-time remote biometric identification in public spaces for law enforcement"),
        Provision("AIA", "5", "1", "h"),
    ),
}

TRANSPARENCY: Final[dict[str, Named]] = {
    "art50_1": Named(
        _("Inform people that they are interacting with an AI system (provider)"),
        Provision("AIA", "50", "1"),
    ),
    "art50_2": Named(
        _("Mark synthetic outputs in a machine-readable, detectable way (provider)"),
        Provision("AIA", "50", "2"),
    ),
    "art50_3": Named(
        _(
            "Inform the people exposed to emotion recognition or biometric categorisation "
            "(deployer)"
        ),
        Provision("AIA", "50", "3"),
    ),
    "art50_4": Named(
        _(
            "Disclose that a deep fake or a text on matters of public interest is artificially "
            "generated or manipulated (deployer)"
        ),
        Provision("AIA", "50", "4"),
    ),
}

GPAI_OBLIGATIONS: Final[dict[str, Named]] = {
    "art52_1": Named(
        _("Notify the Commission that the model meets the threshold for systemic risk"),
        Provision("AIA", "52", "1"),
    ),
    "art53_1_a": Named(
        _("Technical documentation of the model for the AI Office and national authorities"),
        Provision("AIA", "53", "1", "a"),
    ),
    "art53_1_b": Named(
        _(
            "Information and documentation for providers who integrate the model into their AI "
            "systems"
        ),
        Provision("AIA", "53", "1", "b"),
    ),
    "art53_1_c": Named(
        _("A policy to comply with Union copyright law"), Provision("AIA", "53", "1", "c")
    ),
    "art53_1_d": Named(
        _("A public summary of the content used to train the model"),
        Provision("AIA", "53", "1", "d"),
    ),
    "art53_3": Named(
        _("Cooperate with the Commission and national authorities"), Provision("AIA", "53", "3")
    ),
    "art54_1": Named(
        _("Appoint an authorised representative in the Union"), Provision("AIA", "54", "1")
    ),
    "art55_1_a": Named(
        _("Evaluate the model, including adversarial testing"), Provision("AIA", "55", "1", "a")
    ),
    "art55_1_b": Named(
        _("Assess and mitigate systemic risks at Union level"), Provision("AIA", "55", "1", "b")
    ),
    "art55_1_c": Named(
        _("Track, document and report serious incidents"), Provision("AIA", "55", "1", "c")
    ),
    "art55_1_d": Named(
        _("Ensure adequate cybersecurity protection of the model"), Provision("AIA", "55", "1", "d")
    ),
}

SYSTEMIC_RISK_STATUS: Final[dict[str, Promise]] = {
    "presumed": _("Presumed to have systemic risk"),
    "confirmed": _("Systemic risk confirmed by the Commission"),
    "designated": _("Designated by the Commission as a model with systemic risk"),
    "not_sr": _("No systemic risk"),
}

PROVIDER_STATUS: Final[dict[str, Promise]] = {
    "provider": _("You are the provider of the model"),
    "modifier_is_provider": _(
        "As the one who modified the model, you are the provider of the modified model"
    ),
    "modifier_not_provider": _(
        "The modification does not make you the provider of the modified model"
    ),
}

FAILING_CONDITIONS: Final[dict[str, Promise]] = {
    "no_open_source_release": _("the model is not released under a free and open-source licence"),
    "licence_lacks_access": _("the licence does not allow access to the model"),
    "licence_lacks_use": _("the licence does not allow use of the model"),
    "licence_lacks_modify": _("the licence does not allow modification of the model"),
    "licence_lacks_distribute": _("the licence does not allow distribution of the model"),
    "restriction_non_commercial": _("the licence allows non-commercial use only"),
    "restriction_research_only": _("the licence allows research use only"),
    "restriction_no_distribution": _("the licence forbids distribution"),
    "restriction_user_scale_threshold": _(
        "the licence needs another licence above a number of users"
    ),
    "restriction_separate_commercial_licence": _("commercial use needs a separate licence"),
    "monetised": _("the model is monetised"),
    "weights_not_public": _("the weights are not public"),
    "architecture_not_public": _("information on the architecture is not public"),
    "usage_info_not_public": _("information on the use of the model is not public"),
    "systemic_risk": _("the model has systemic risk"),
}
