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
