"""The vocabularies of the registry.

Where a vocabulary is also an input of `aiact` (modalities, the systemic-risk statuses of
its answer), `aiact` is the judge: the registry checks facts by handing them to
`aiact.ModelFacts.from_json`, never by testing the values itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComputeMethod(models.TextChoices):
    """How the training compute of a version was obtained (GL Annex)."""

    REPORTED = "reported", _("Reported by the provider")
    SIX_PD = "six_pd", _("Estimated as 6·P·D from parameters and tokens")
    HARDWARE = "hardware", _("Estimated from hardware, time and utilisation")


class Modality(models.TextChoices):
    TEXT = "text", _("Text")
    CODE = "code", _("Code")
    AUDIO = "audio", _("Audio")
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")


class DistributionChannel(models.TextChoices):
    API = "api", _("API")
    WEIGHTS_DOWNLOAD = "weights_download", _("Download of the weights")
    CONSUMER_APP = "consumer_app", _("Consumer application")
    CLOUD_MARKETPLACE = "cloud_marketplace", _("Cloud marketplace")
    INTEGRATED_PRODUCT = "integrated_product", _("Integrated in the provider's own products")
    OTHER = "other", _("Other")


class MandateTask(models.TextChoices):
    """The tasks of an authorised representative (Art. 54(3)(a)-(d) and 54(4))."""

    VERIFY_DOCUMENTATION = "art54_3_a", _("Verify the technical documentation and compliance")
    KEEP_DOCUMENTATION = "art54_3_b", _("Keep the documentation and contact details available")
    PROVIDE_INFORMATION = "art54_3_c", _("Provide information to the AI Office on request")
    COOPERATE = "art54_3_d", _("Cooperate with the AI Office and the authorities")
    BE_ADDRESSED = "art54_4", _("Be addressed in addition to or instead of the provider")


class SystemicRiskStatus(models.TextChoices):
    """The systemic-risk status in `aiact`'s answer (`systemic_risk.status`)."""

    NOT_SR = "not_sr", _("No systemic risk")
    PRESUMED = "presumed", _("Presumed (Art. 51(2))")
    CONFIRMED = "confirmed", _("Confirmed (Art. 52(3))")
    DESIGNATED = "designated", _("Designated (Art. 52(4))")
    NOT_SR_BY_ACCEPTANCE = "not_sr_by_acceptance", _("No systemic risk: arguments accepted")


# The statuses that put a model version on the public list of Art. 52(6).
PUBLIC_LIST_STATUSES: frozenset[str] = frozenset(
    {SystemicRiskStatus.PRESUMED, SystemicRiskStatus.CONFIRMED, SystemicRiskStatus.DESIGNATED}
)


class LawSelection(models.TextChoices):
    """`aiact.load_law(selection)`: the law as amended (default) or as published in 2024."""

    AS_AMENDED = "as-amended", _("As amended")
    AS_PUBLISHED = "as-published", _("As published")


class PublicField(models.TextChoices):
    """The facts of a version that a provider or the Office may mark public (Art. 52(6),
    with Art. 78: everything else stays confidential). Model and provider names are
    always public."""

    PLACED_ON_MARKET = "placed_on_market", _("Placed on the market")
    GENERATES = "generates", _("Modalities generated")
    PARAMETERS = "parameters", _("Parameters")
    TRAINING_TOKENS = "training_tokens", _("Training tokens")
    TRAINING_COMPUTE_FLOP = "training_compute_flop", _("Training compute (FLOP)")
    COMPUTE_METHOD = "compute_method", _("Compute estimation method")
    OPEN_SOURCE = "open_source", _("Open-source licence facts")
    MODIFIES = "modifies", _("Model it modifies")
    DISTRIBUTION_CHANNELS = "distribution_channels", _("Distribution channels")
    EU_BUSINESS_USERS = "eu_business_users", _("Registered business users in the Union")
    EU_END_USERS = "eu_end_users", _("Registered end users in the Union")


# The 27 Member States (ISO 3166-1 alpha-2; Greece is "GR" here, not the EU's "EL").
EU_MEMBER_STATES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip

# The 27 Member States in English, translated for the reader (Django has no country names).
# The codes are ISO 3166-1 alpha-2, as in the registry (Greece is GR, not the EU's EL).
MEMBER_STATE_NAMES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GR": _("Greece"),
    "HR": _("Croatia"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "LV": _("Latvia"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SE": _("Sweden"),
    "SI": _("Slovenia"),
    "SK": _("Slovakia"),
}
assert set(MEMBER_STATE_NAMES) == set(EU_MEMBER_STATES)  # the same 27 as the registry
MEMBER_STATE_CHOICES = [(code, MEMBER_STATE_NAMES[code]) for code in EU_MEMBER_STATES]


class NotificationTrigger(models.TextChoices):
    """What makes a provider notify (Art. 52(1)); aiact's `trigger` input."""

    COMPUTE_THRESHOLD = "compute_threshold", _("The training compute threshold is met")
    MODIFICATION = (
        "modification_of_high_impact_model",
        _("Modification of a model with systemic risk"),
    )


class NotificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    MORE_INFORMATION_REQUESTED = "more_information_requested", _("More information requested")
    HEARING = "hearing", _("Hearing (Art. 94)")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DecisionKind(models.TextChoices):
    """The Commission's decisions under Art. 52(3)-(5). All but `confirmed` are aiact's
    `decisions[].type`; `confirmed` (no arguments filed) leaves the presumption as it is."""

    ARGUMENTS_ACCEPTED = "arguments_accepted", _("Arguments accepted (Art. 52(3))")
    ARGUMENTS_REJECTED = "arguments_rejected", _("Arguments rejected (Art. 52(3))")
    CONFIRMED = "confirmed", _("Systemic risk confirmed (no arguments filed)")
    DESIGNATED_ANNEX_XIII = "designated_annex_xiii", _("Designated on Annex XIII (Art. 52(4))")
    DESIGNATED_FAILURE_TO_NOTIFY = (
        "designated_failure_to_notify",
        _("Designated after a failure to notify"),
    )
    DESIGNATION_MAINTAINED = "designation_maintained", _("Designation maintained (Art. 52(5))")
    DESIGNATION_LIFTED = "designation_lifted", _("Designation lifted (Art. 52(5))")


# The decisions that are not an input of aiact.
DECISIONS_NOT_IN_AIACT: frozenset[str] = frozenset({DecisionKind.CONFIRMED})

# Annex XIII (a) to (g): the criteria recorded with a designation under Art. 52(4).
ANNEX_XIII_CRITERIA: tuple[str, ...] = ("a", "b", "c", "d", "e", "f", "g")
