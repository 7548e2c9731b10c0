"""The EU database for high-risk AI systems (Art. 49 and 71, Annexes VIII and IX; DB-01..03).

A `Registration` is one entry: a provider's high-risk system (Annex VIII section A), a
provider's system it concluded is not high-risk under Art. 6(3) (section B), a public
authority's use of a system (section C) or a real-world test (Annex IX). The searchable
points are columns (the registrant's name, trade name, reference, intended purpose, status,
Member States, Annex III point, section, registered_at) with `search`, their folded text;
the other points are `details`, one JSON object checked per section by the services.

Which points are entered and shown, and who sees the entry (public, the secure section of
Art. 49(4), national only, the authorities only), is aiact's answer
(`evaluate("cooperation", {"check": "database-visibility", ...})`), kept on the row with its
rules version, reasons and citations.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from aioffice.accounts.models import Organisation

USER = settings.AUTH_USER_MODEL


def fold(text: str) -> str:
    """Text as the search compares it: NFKC-normalised and case-folded (as the portal's)."""
    return unicodedata.normalize("NFKC", text).casefold()


class Section(models.TextChoices):
    """Who registers what (Art. 49(1)-(3), Art. 60(4)(c))."""

    A = "A", _("Section A: high-risk AI system (provider)")
    B = "B", _("Section B: not high-risk under Art. 6(3) (provider)")
    C = "C", _("Section C: use by a public authority (deployer)")
    IX = "IX", _("Annex IX: testing in real-world conditions")


class Visibility(models.TextChoices):
    """Who sees an entry (aiact's answer; DB-01..03)."""

    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Secure section (Art. 49(4))")
    NATIONAL = "national", _("Registered at national level (Art. 49(5))")
    AUTHORITIES = "authorities", _("Market surveillance authorities and the Commission")


class SystemStatus(models.TextChoices):
    """The system's status (section A point 7, section B point 8)."""

    ON_MARKET = "on_market", _("On the market or in service")
    NO_LONGER = "no_longer", _("No longer on the market or in service")
    RECALLED = "recalled", _("Recalled")


class EntryState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WITHDRAWN = "withdrawn", _("Withdrawn by the registrant")


ANNEX_III_POINTS: list[tuple[str, StrOrPromise]] = [
    ("1", _("1. Biometrics")),
    ("2", _("2. Critical infrastructure")),
    ("3", _("3. Education and vocational training")),
    ("4", _("4. Employment, workers' management, access to self-employment")),
    ("5", _("5. Essential private and public services and benefits")),
    ("6", _("6. Law enforcement")),
    ("7", _("7. Migration, asylum and border control management")),
    ("8", _("8. Administration of justice and democratic processes")),
]


class RegistrationSequence(models.Model):
    """The last number given in a section and year: numbers are allocated under its lock."""

    section = models.CharField(max_length=2, choices=Section.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "year"], name="cooperation_registration_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}-{self.year}: {self.last}"


class Registration(models.Model):
    """One entry of the EU database."""

    number = models.CharField(_("registration number"), max_length=32, unique=True)
    section = models.CharField(_("section"), max_length=2, choices=Section.choices)
    annex_iii_point = models.CharField(
        _("Annex III area"), max_length=1, choices=ANNEX_III_POINTS, blank=True
    )
    sensitive_context = models.BooleanField(
        _("law enforcement, migration, asylum or border control"), default=False
    )
    publication_consent = models.BooleanField(
        _("the provider consents to publication (Annex IX)"), default=False
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="database_registrations",
        verbose_name=_("registrant organisation"),
    )
    submitted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # point 1 (A, B, C) or Annex IX point 2: the provider or the deployer
    registrant_name = models.CharField(_("provider or deployer"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    intended_purpose = models.TextField(_("intended purpose"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SystemStatus.choices, blank=True)
    # "|FR|DE|": filtered with one LIKE (A point 10; B point 9 while it applied)
    member_states = models.CharField(_("Member States"), max_length=100, blank=True)
    # section C point 3: the provider's entry, when it is in this database
    system = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("the provider's entry (section C point 3)"),
    )
    system_url = models.URLField(_("URL of the provider's entry"), blank=True)
    details = models.JSONField(_("other points"), default=dict, blank=True)
    state = models.CharField(
        max_length=12, choices=EntryState.choices, default=EntryState.REGISTERED
    )
    # aiact's answer (DB-01..03)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices)
    fields = models.JSONField(default=list)
    rules_version = models.CharField(max_length=64)
    reasons = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    # the folded text of the searchable points, for the free-text search
    search = models.TextField(editable=False, default="")
    registered_at = models.DateTimeField(_("registered on"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration in the EU database")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(
                fields=["visibility", "state", "-registered_at", "-id"],
                name="coop_reg_listed",
            ),
            models.Index(fields=["section", "visibility"], name="coop_reg_section"),
            models.Index(fields=["annex_iii_point", "visibility"], name="coop_reg_area"),
            models.Index(fields=["status", "visibility"], name="coop_reg_status"),
            models.Index(fields=["organisation", "-registered_at"], name="coop_reg_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="national"), name="cooperation_registration_not_national"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def shows(self, point: str) -> bool:
        """Whether a point is entered and shown (aiact's `fields`)."""
        return point in self.fields

    @property
    def member_state_codes(self) -> list[str]:
        return [code for code in self.member_states.split("|") if code]


class RegistrationStatusChange(models.Model):
    """One step of an entry's history: registered, status changed, updated, withdrawn."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    event = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=SystemStatus.choices, blank=True)
    state = models.CharField(max_length=12, choices=EntryState.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["registration", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.event}"


class RegistrationFile(models.Model):
    """A file of an entry: the certificate (section A point 9) or the EU declaration of
    conformity (point 11), kept with its SHA-256."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="files")
    point = models.CharField(max_length=4)
    file = models.FileField(upload_to="cooperation/database/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["registration", "point", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.registration_id} point {self.point}: {self.filename}"


# --- the points of each section ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    """One input of a section, filed under its point of Annex VIII or IX. `kind`: a column
    of `Registration`, a key of `details`, a URL in `details`, or a file."""

    point: str
    key: str
    label: Promise
    kind: str = "detail"
    required: bool = False


_REGISTRANT = (
    Point("1", "registrant_name", _("Provider: name"), "column", True),
    Point("1", "registrant_address", _("Provider: address")),
    Point("1", "registrant_contact", _("Provider: contact details"), "detail", True),
    Point("2", "submitter_name", _("Person submitting on the provider's behalf"), "detail", True),
    Point("2", "submitter_contact", _("Their address and contact details")),
    Point("3", "authorised_representative", _("Authorised representative (if any)")),
    Point("4", "trade_name", _("Trade name"), "column", True),
    Point(
        "4", "reference", _("Unambiguous reference (identification, traceability)"), "column", True
    ),
    Point("5", "intended_purpose", _("Intended purpose"), "column", True),
)

POINTS: dict[str, tuple[Point, ...]] = {
    Section.A: (
        *_REGISTRANT,
        Point("5", "components", _("Components and functions supported")),
        Point(
            "6", "information_and_logic", _("Information used and operating logic"), "detail", True
        ),
        Point("7", "status", _("Status"), "column", True),
        Point("8", "certificate", _("Certificate: type, number, expiry date, notified body")),
        Point("9", "certificate_file", _("Scanned copy of the certificate"), "file"),
        Point("10", "member_states", _("Member States"), "column", True),
        Point("11", "declaration_file", _("EU declaration of conformity"), "file"),
        Point("12", "instructions_url", _("Electronic instructions for use"), "url"),
        Point("13", "more_info_url", _("More information (URL)"), "url"),
    ),
    Section.B: (
        *_REGISTRANT,
        Point("6", "art6_3_conditions", _("Art. 6(3) conditions relied on"), "detail", True),
        Point("7", "grounds_summary", _("Summary of the grounds"), "detail", True),
        Point("8", "status", _("Status"), "column", True),
        Point("9", "member_states", _("Member States"), "column", True),
    ),
    Section.C: (
        Point("1", "registrant_name", _("Deployer: name"), "column", True),
        Point("1", "registrant_address", _("Deployer: address")),
        Point("1", "registrant_contact", _("Deployer: contact details"), "detail", True),
        Point(
            "2", "submitter_name", _("Person submitting on the deployer's behalf"), "detail", True
        ),
        Point("2", "submitter_contact", _("Their address and contact details")),
        Point("3", "system", _("The provider's entry (number or URL)"), "system", True),
        Point(
            "4",
            "fria_summary",
            _("Summary of the fundamental rights impact assessment"),
            "detail",
            True,
        ),
        Point("5", "dpia_summary", _("Summary of the data protection impact assessment")),
    ),
    Section.IX: (
        Point("2", "registrant_name", _("Provider or prospective provider: name"), "column", True),
        Point("2", "registrant_contact", _("Provider: contact details"), "detail", True),
        Point("2", "deployers", _("Deployers involved and their contact details")),
        Point("3", "trade_name", _("Identification of the system"), "column", True),
        Point("3", "intended_purpose", _("Brief description and intended purpose"), "column", True),
        Point("4", "testing_plan", _("Main characteristics of the testing plan"), "detail", True),
        Point("5", "suspension", _("Suspension or termination")),
    ),
}
# the point that is the registration number itself (Annex IX point 1)
NUMBER_POINT: dict[str, str] = {Section.IX: "1"}
