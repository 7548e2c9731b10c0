"""Choices shared by the cooperation parts; each part's own choices live beside them here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityKind(models.TextChoices):
    """What a national competent authority is designated as (Art. 70(1))."""

    NOTIFYING = "notifying", _("Notifying authority")
    MARKET_SURVEILLANCE = "market_surveillance", _("Market surveillance authority")


class AuthoritySector(models.TextChoices):
    """The remit of a market surveillance authority (Art. 74(3), (6)-(8); GOV-01)."""

    GENERAL = "general", _("General")
    FINANCIAL = "financial", _("Financial supervision (Art. 74(6))")
    SECTORAL = "annex_i_sectoral", _("Annex I sectoral legislation (Art. 74(3))")
    DATA_PROTECTION = (
        "data_protection",
        _("Data protection, Annex III points 1, 6, 7 and 8 (Art. 74(8))"),
    )


# --- bodies -----------------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    """The Union-level bodies the Office supports (Arts 65-68)."""

    BOARD = "board", _("European Artificial Intelligence Board")
    BOARD_SUBGROUP = "board_subgroup", _("Sub-group of the Board")
    ADVISORY_FORUM = "advisory_forum", _("Advisory forum")
    FORUM_SUBGROUP = "forum_subgroup", _("Sub-group of the advisory forum")
    SCIENTIFIC_PANEL = "scientific_panel", _("Scientific panel of independent experts")


class SeatRole(models.TextChoices):
    """What a person is in a body (Art. 65(1)-(2), (8); Art. 67(2), (4); Art. 68)."""

    REPRESENTATIVE = "representative", _("Member State representative")
    ALTERNATE = "alternate", _("Alternate")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("AI Office (secretariat, without vote)")
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    PERMANENT = "permanent", _("Permanent member")
    CO_CHAIR = "co_chair", _("Co-chair")
    EXPERT = "expert", _("Independent expert")


class ForumCategory(models.TextChoices):
    """The interests the advisory forum balances (Art. 67(2))."""

    INDUSTRY = "industry", _("Industry")
    START_UPS = "start_ups", _("Start-ups")
    SMES = "smes", _("SMEs")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MinutesStatus(models.TextChoices):
    NONE = "none", _("No minutes yet")
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class BodyDocumentKind(models.TextChoices):
    RULES_OF_PROCEDURE = "rules_of_procedure", _("Rules of procedure")
    MEETING = "meeting", _("Meeting document")
    DECLARATION = "declaration", _("Declaration of interests")
    OPINION = "opinion", _("Opinion or recommendation")


class OpinionKind(models.TextChoices):
    """What a body adopts: Art. 66(e) recommendations and opinions, the Board's opinion on a
    qualified alert (Art. 66(n)), its rules of procedure (Art. 65(4))."""

    RECOMMENDATION = "recommendation", _("Recommendation (Art. 66(e))")
    OPINION = "opinion", _("Opinion (Art. 66(e))")
    ALERT_OPINION = "alert_opinion", _("Opinion on a qualified alert (Art. 66(n))")
    RULES_OF_PROCEDURE = "rules_of_procedure", _("Rules of procedure (Art. 65(4))")


class Adoption(models.TextChoices):
    CONSENSUS = "consensus", _("By consensus")
    VOTE = "vote", _("By vote")


class VoteCast(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstention")
